package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * Length-prefixed int arrays in payloads (big-endian, like the header), copied in bulk as
 * {@link Floats} does.
 */
final class Ints {
  private Ints() {}

  static int length(int[] values) {
    return Integer.BYTES + values.length * Integer.BYTES;
  }

  static void write(ByteBuf out, int[] values) {
    out.writeInt(values.length);
    int bytes = values.length * Integer.BYTES;
    out.ensureWritable(bytes);
    int at = out.writerIndex();
    Floats.bulk(out, at, bytes, (view, first, count) ->
        view.asIntBuffer().put(values, first, count));
    for (int k : Floats.straddlers(out, at, bytes)) {
      out.setInt(at + k * Integer.BYTES, values[k]);
    }
    out.writerIndex(at + bytes);
  }

  static int[] read(ByteBuf in) {
    int n = in.readInt();
    if (n < 0 || (long) n * Integer.BYTES > in.readableBytes()) {
      throw new CorruptedFrameException("int array of " + n + " entries, but only "
          + in.readableBytes() + " bytes remain in the frame");
    }
    int[] values = new int[n];
    int bytes = n * Integer.BYTES;
    int at = in.readerIndex();
    Floats.bulk(in, at, bytes, (view, first, count) ->
        view.asIntBuffer().get(values, first, count));
    for (int k : Floats.straddlers(in, at, bytes)) {
      values[k] = in.getInt(at + k * Integer.BYTES);
    }
    in.skipBytes(bytes);
    return values;
  }
}
