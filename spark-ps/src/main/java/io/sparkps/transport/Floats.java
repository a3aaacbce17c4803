package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Raw little-endian float arrays in payloads, and the strings and byte arrays of a few
 * messages. Float arrays are copied in bulk through NIO views of each buffer component; a
 * float that straddles two components (a frame split across received chunks) goes alone.
 */
final class Floats {
  private Floats() {}

  static void write(ByteBuf out, float[] values) {
    write(out, values, 0, values.length);
  }

  /** Writes {@code values[from, from + length)}. */
  static void write(ByteBuf out, float[] values, int from, int length) {
    int bytes = length * Float.BYTES;
    out.ensureWritable(bytes);
    int at = out.writerIndex();
    bulk(out, at, bytes, (view, first, count) ->
        view.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, from + first, count));
    for (int k : straddlers(out, at, bytes)) {
      out.setIntLE(at + k * Float.BYTES, Float.floatToRawIntBits(values[from + k]));
    }
    out.writerIndex(at + bytes);
  }

  /** Reads the rest of {@code in} as floats, into a new array. */
  static float[] readRest(ByteBuf in) {
    int bytes = in.readableBytes();
    if (bytes % Float.BYTES != 0) {
      throw new CorruptedFrameException("float payload of " + bytes + " bytes is not a multiple "
          + "of 4");
    }
    int n = bytes / Float.BYTES;
    float[] values = new float[n];
    int at = in.readerIndex();
    bulk(in, at, bytes, (view, first, count) ->
        view.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, first, count));
    for (int k : straddlers(in, at, bytes)) {
      values[k] = Float.intBitsToFloat(in.getIntLE(at + k * Float.BYTES));
    }
    in.skipBytes(bytes);
    return values;
  }

  /** Copies a run of 4-byte values, {@code first} to {@code first + count}, to or from a view. */
  @FunctionalInterface
  interface Run {
    void copy(ByteBuffer view, int first, int count);
  }

  /**
   * Calls {@code run} once per buffer component of {@code buf[at, at + bytes)}, with a view of
   * the 4-byte values that lie wholly inside that component.
   */
  static void bulk(ByteBuf buf, int at, int bytes, Run run) {
    if (bytes == 0) {
      return;
    }
    int segment = at;
    for (ByteBuffer nio : buf.nioBuffers(at, bytes)) {
      int end = segment + nio.remaining();
      int first = (segment - at + 3) / 4;
      int last = (end - at) / 4;
      if (last > first) {
        int from = nio.position() + at + first * 4 - segment;
        run.copy(nio.duplicate().limit(from + (last - first) * 4).position(from).slice(), first,
            last - first);
      }
      segment = end;
    }
  }

  /** Indices of the 4-byte values of {@code buf[at, at + bytes)} that span two components. */
  static int[] straddlers(ByteBuf buf, int at, int bytes) {
    if (buf.nioBufferCount() == 1 || bytes == 0) {
      return new int[0];
    }
    ByteBuffer[] parts = buf.nioBuffers(at, bytes);
    int[] out = new int[parts.length];
    int n = 0;
    int boundary = at;
    for (int i = 0; i < parts.length - 1; i++) {
      boundary += parts[i].remaining();
      if ((boundary - at) % 4 != 0) {
        out[n++] = (boundary - at) / 4;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  static void writeString(ByteBuf out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.writeBytes(bytes);
  }

  static int stringLength(String s) {
    return Integer.BYTES + s.getBytes(StandardCharsets.UTF_8).length;
  }

  static String readString(ByteBuf in) {
    int n = in.readInt();
    if (n < 0 || n > in.readableBytes()) {
      throw new CorruptedFrameException(
          "string of " + n + " bytes, but only " + in.readableBytes() + " remain in the frame");
    }
    byte[] bytes = new byte[n];
    in.readBytes(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static byte[] readBytes(ByteBuf in) {
    byte[] bytes = new byte[in.readableBytes()];
    in.readBytes(bytes);
    return bytes;
  }
}
