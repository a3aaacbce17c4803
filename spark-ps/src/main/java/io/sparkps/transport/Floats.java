package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Raw little-endian float arrays in payloads. */
final class Floats {
  private Floats() {}

  static void write(ByteBuf out, float[] values) {
    int bytes = values.length * Float.BYTES;
    out.ensureWritable(bytes);
    int at = out.writerIndex();
    if (out.nioBufferCount() == 1) {
      FloatBuffer view = out.nioBuffer(at, bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      view.put(values);
    } else {
      for (int i = 0; i < values.length; i++) {
        out.setIntLE(at + i * Float.BYTES, Float.floatToRawIntBits(values[i]));
      }
    }
    out.writerIndex(at + bytes);
  }

  /** Reads the rest of {@code in} as floats. */
  static float[] readRest(ByteBuf in) {
    int bytes = in.readableBytes();
    if (bytes % Float.BYTES != 0) {
      throw new io.netty.handler.codec.CorruptedFrameException(
          "float payload of " + bytes + " bytes is not a multiple of 4");
    }
    float[] values = new float[bytes / Float.BYTES];
    if (in.nioBufferCount() == 1) {
      in.nioBuffer(in.readerIndex(), bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
          .get(values);
      in.skipBytes(bytes);
    } else {
      for (int i = 0; i < values.length; i++) {
        values[i] = Float.intBitsToFloat(in.readIntLE());
      }
    }
    return values;
  }

  static void writeString(ByteBuf out, String s) {
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.writeBytes(bytes);
  }

  static int stringLength(String s) {
    return Integer.BYTES + s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  static String readString(ByteBuf in) {
    int n = in.readInt();
    if (n < 0 || n > in.readableBytes()) {
      throw new io.netty.handler.codec.CorruptedFrameException(
          "string of " + n + " bytes, but only " + in.readableBytes() + " remain in the frame");
    }
    byte[] bytes = new byte[n];
    in.readBytes(bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  static byte[] readBytes(ByteBuf in) {
    byte[] bytes = new byte[in.readableBytes()];
    in.readBytes(bytes);
    return bytes;
  }
}
