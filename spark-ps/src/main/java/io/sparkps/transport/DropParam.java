package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/** Frees every slice of a param on the server; answered with {@link Ack}. */
public record DropParam(long requestId, int paramId) implements Message {
  @Override public MessageType type() { return MessageType.DROP_PARAM; }
  @Override public Header header() { return Header.slice(requestId, paramId, 0, 0); }
  @Override public int payloadLength() { return 0; }
  @Override public void writePayload(ByteBuf out) {}
}
