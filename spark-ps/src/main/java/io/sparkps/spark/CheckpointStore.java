package io.sparkps.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A checkpoint directory, through Hadoop's FileSystem. Each checkpoint is a directory {@code
 * step-<T>-<fit>} holding one file per slice (written by the servers) and, once every slice's
 * file is complete, a {@code MANIFEST} (written under a temporary name, then renamed): a
 * directory without it is incomplete and never loaded. The driver reads the latest committed
 * checkpoint; worker 0 commits new ones and deletes all but the last {@link #KEEP}.
 */
final class CheckpointStore {
  /** Committed checkpoints kept; older and incomplete ones are deleted at each commit. */
  static final int KEEP = 2;
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)-([0-9a-f]+)");

  /** A committed checkpoint: its directory and manifest. */
  record Committed(String dir, CheckpointManifest manifest) {}

  private final Path root;
  private final FileSystem fs;

  /** @throws UncheckedIOException if no FileSystem serves {@code dir} */
  CheckpointStore(String dir, Configuration conf) {
    this.root = new Path(dir);
    try {
      this.fs = root.getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Hadoop configuration as bytes, to ship to servers and executors. */
  static byte[] serialize(Configuration conf) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      conf.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Configuration deserialize(byte[] bytes) {
    Configuration conf = new Configuration(false);
    try {
      conf.readFields(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return conf;
  }

  /** The directory of the checkpoint of {@code step} by fit {@code fitId}, fully qualified. */
  String stepDir(long step, String fitId) {
    return fs.makeQualified(new Path(root, "step-" + step + "-" + fitId)).toString();
  }

  /** The newest committed checkpoint (by step), if any; incomplete ones are passed over. */
  Optional<Committed> latest() throws IOException {
    List<FileStatus> dirs = stepDirs();
    dirs.sort(Comparator.comparingLong(CheckpointStore::stepOf).reversed());
    for (FileStatus d : dirs) {
      Path manifest = new Path(d.getPath(), CheckpointManifest.FILE_NAME);
      if (!fs.exists(manifest)) {
        continue;
      }
      String text;
      try (InputStream in = fs.open(manifest)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return Optional.of(new Committed(d.getPath().toString(),
          CheckpointManifest.parse(text, manifest.toString())));
    }
    return Optional.empty();
  }

  /**
   * Makes the checkpoint in {@code stepDir} visible: writes its manifest under a temporary
   * name and renames it to {@code MANIFEST}.
   */
  void commit(String stepDir, CheckpointManifest manifest) throws IOException {
    Path dir = new Path(stepDir);
    for (String file : manifest.files().values()) {
      if (!fs.exists(new Path(dir, file))) {
        throw new IOException("slice file " + new Path(dir, file) + " is missing");
      }
    }
    Path temp = new Path(dir, "_tmp." + CheckpointManifest.FILE_NAME + "." + UUID.randomUUID());
    try (FSDataOutputStream out = fs.create(temp, true)) {
      out.write(manifest.toText().getBytes(StandardCharsets.UTF_8));
      out.hsync();
    }
    if (!fs.rename(temp, new Path(dir, CheckpointManifest.FILE_NAME))) {
      fs.delete(temp, false);
      throw new IOException("could not rename " + temp + " to its manifest");
    }
  }

  /**
   * Deletes every checkpoint directory but the {@link #KEEP} newest committed ones: older
   * ones, and incomplete ones (abandoned, or left by a writer that was killed).
   */
  void cleanUp() throws IOException {
    List<FileStatus> dirs = stepDirs();
    dirs.sort(Comparator.comparingLong(CheckpointStore::stepOf).reversed());
    int kept = 0;
    for (FileStatus d : dirs) {
      boolean committed = fs.exists(new Path(d.getPath(), CheckpointManifest.FILE_NAME));
      if (committed && kept < KEEP) {
        kept++;
      } else {
        fs.delete(d.getPath(), true);
      }
    }
  }

  private List<FileStatus> stepDirs() throws IOException {
    List<FileStatus> out = new ArrayList<>();
    if (!fs.exists(root)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(root)) {
      if (s.isDirectory() && STEP_DIR.matcher(s.getPath().getName()).matches()) {
        out.add(s);
      }
    }
    return out;
  }

  private static long stepOf(FileStatus dir) {
    Matcher m = STEP_DIR.matcher(dir.getPath().getName());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
