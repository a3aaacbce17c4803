package io.sparkps.server;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoint files through Hadoop's FileSystem, configured as the driver's Spark application
 * is (its Hadoop configuration, handed over on the server's standard input): local files,
 * HDFS, S3A, whatever the application can write.
 */
final class HadoopStore implements CheckpointIo.Store {
  private final Configuration conf;

  /** @param serialized {@code Configuration.write}'s bytes, or null for Hadoop's defaults */
  HadoopStore(byte[] serialized) throws IOException {
    if (serialized == null) {
      conf = new Configuration();
    } else {
      conf = new Configuration(false);
      conf.readFields(new DataInputStream(new ByteArrayInputStream(serialized)));
    }
  }

  @Override
  public void write(String path, CheckpointIo.IoConsumer<OutputStream> body) throws IOException {
    Path target = new Path(path);
    FileSystem fs = target.getFileSystem(conf);
    Path temp = new Path(target.getParent(), "_tmp." + target.getName() + "." + UUID.randomUUID());
    try {
      try (FSDataOutputStream out = fs.create(temp, true)) {
        body.accept(out);
        out.hsync();
      }
      if (!fs.rename(temp, target)) {
        throw new IOException("could not rename " + temp + " to " + target);
      }
    } catch (IOException | RuntimeException e) {
      try {
        fs.delete(temp, false);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  @Override
  public InputStream open(String path) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(conf).open(p);
  }
}
