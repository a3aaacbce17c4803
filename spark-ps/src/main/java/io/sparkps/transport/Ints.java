package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

/** Length-prefixed int arrays in payloads (big-endian, like the header). */
final class Ints {
  private Ints() {}

  static int length(int[] values) {
    return Integer.BYTES + values.length * Integer.BYTES;
  }

  static void write(ByteBuf out, int[] values) {
    out.writeInt(values.length);
    for (int v : values) {
      out.writeInt(v);
    }
  }

  static int[] read(ByteBuf in) {
    int n = in.readInt();
    if (n < 0 || (long) n * Integer.BYTES > in.readableBytes()) {
      throw new CorruptedFrameException("int array of " + n + " entries, but only "
          + in.readableBytes() + " bytes remain in the frame");
    }
    int[] values = new int[n];
    for (int i = 0; i < n; i++) {
      values[i] = in.readInt();
    }
    return values;
  }
}
