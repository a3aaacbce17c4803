package io.sparkps.server;

import io.sparkps.transport.InstallSlice;
import io.sparkps.transport.LoadSlice;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The checkpoint file of one slice: what a backup would get in {@link InstallSlice}, minus
 * what the fit that loads it sets again (map epoch, optimizer config, slice setup).
 *
 * <pre>
 * int32 magic 0x53504b31 ("SPK1") | int32 paramId | int32 sliceId | int64 version
 * int32 groups | groups x int64 next step | int64 sharesApplied
 * int32 stateBytes | optimizer state | int32 floats | floats (little-endian)
 * int64 CRC32 of everything before it
 * </pre>
 * Big-endian (DataOutputStream) but for the floats and the optimizer state, which keep their
 * little-endian bytes. The CRC makes a truncated or damaged file fail to load, with its name.
 */
final class SliceFile {
  static final int MAGIC = 0x53504b31;
  private static final int CHUNK = 1 << 16;

  private SliceFile() {}

  static void write(InstallSlice copy, OutputStream target) throws IOException {
    CheckedOutputStream checked = new CheckedOutputStream(target, new CRC32());
    DataOutputStream out = new DataOutputStream(checked);
    out.writeInt(MAGIC);
    out.writeInt(copy.paramId());
    out.writeInt(copy.sliceId());
    out.writeLong(copy.version());
    out.writeInt(copy.groupSteps().length);
    for (long s : copy.groupSteps()) {
      out.writeLong(s);
    }
    out.writeLong(copy.sharesApplied());
    out.writeInt(copy.optimizerState().length);
    out.write(copy.optimizerState());
    float[] values = copy.values();
    out.writeInt(values.length);
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; ) {
      chunk.clear();
      int n = Math.min(CHUNK / Float.BYTES, values.length - i);
      chunk.asFloatBuffer().put(values, i, n);
      out.write(chunk.array(), 0, n * Float.BYTES);
      i += n;
    }
    out.flush();
    out.writeLong(checked.getChecksum().getValue());
    out.flush();
  }

  /**
   * Reads a file written by {@link #write} as the slice {@code load} creates.
   *
   * @throws IOException naming what does not match: a bad magic number or checksum, a file
   *     that ends early, another length or number of worker groups than {@code load}'s
   */
  static InstallSlice read(InputStream source, LoadSlice load) throws IOException {
    CheckedInputStream checked = new CheckedInputStream(source, new CRC32());
    DataInputStream in = new DataInputStream(checked);
    try {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IOException(String.format("not a spark-ps slice file: magic 0x%08x, "
            + "expected 0x%08x", magic, MAGIC));
      }
      in.readInt();
      in.readInt();
      long version = in.readLong();
      int groups = in.readInt();
      if (groups != load.setup().numGroups()) {
        throw new IOException("the file has the steps of " + groups + " worker groups, the "
            + "slice serves " + load.setup().numGroups());
      }
      long[] steps = new long[groups];
      for (int g = 0; g < groups; g++) {
        steps[g] = in.readLong();
      }
      long shares = in.readLong();
      int stateBytes = in.readInt();
      if (stateBytes < 0 || stateBytes > 64 + 4L * Float.BYTES * load.length()) {
        throw new IOException("the file claims " + stateBytes + " bytes of optimizer state "
            + "for " + load.length() + " floats");
      }
      byte[] state = new byte[stateBytes];
      in.readFully(state);
      int length = in.readInt();
      if (length != load.length()) {
        throw new IOException("the file holds " + length + " floats, the slice has "
            + load.length());
      }
      float[] values = new float[length];
      byte[] chunk = new byte[CHUNK];
      for (int i = 0; i < length; ) {
        int n = Math.min(CHUNK / Float.BYTES, length - i);
        in.readFully(chunk, 0, n * Float.BYTES);
        ByteBuffer.wrap(chunk, 0, n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer().get(values, i, n);
        i += n;
      }
      long computed = checked.getChecksum().getValue();
      long stored = in.readLong();
      if (stored != computed) {
        throw new IOException("checksum mismatch: the file is damaged");
      }
      return new InstallSlice(0, load.paramId(), load.sliceId(), 0, load.optimizer(),
          load.setup(), version, steps, shares, state, values);
    } catch (EOFException e) {
      throw new IOException("the file ends early (truncated)", e);
    }
  }
}
