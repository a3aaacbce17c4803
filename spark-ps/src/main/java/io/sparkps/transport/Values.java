package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/** The values of a slice at a version: the answer to {@link Get} and {@link Update}. */
public record Values(long requestId, int paramId, int sliceId, long version, float[] values)
    implements Message {
  @Override public MessageType type() { return MessageType.VALUES; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, version); }
  @Override public int payloadLength() { return values.length * Float.BYTES; }
  @Override public void writePayload(ByteBuf out) { Floats.write(out, values); }

  static Values read(Header h, ByteBuf in) {
    return new Values(h.requestId(), h.paramId(), h.sliceId(), h.version(), Floats.readRest(in));
  }
}
