package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Asks for some rows of a slice (row indices within the slice, strictly increasing) once it has
 * at least {@code minVersion} updates; answered with {@link Values} holding those rows, in
 * order, each of the slice's row width.
 */
public record GetRows(long requestId, int paramId, int sliceId, long minVersion, int[] rows)
    implements Message {
  @Override public MessageType type() { return MessageType.GET_ROWS; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, minVersion); }
  @Override public int payloadLength() { return Ints.length(rows); }
  @Override public void writePayload(ByteBuf out) { Ints.write(out, rows); }

  static GetRows read(Header h, ByteBuf in) {
    return new GetRows(h.requestId(), h.paramId(), h.sliceId(), h.version(), Ints.read(in));
  }
}
