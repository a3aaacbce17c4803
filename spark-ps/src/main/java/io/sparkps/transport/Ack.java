package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/** A request succeeded and has nothing to return. */
public record Ack(long requestId) implements Message {
  @Override public MessageType type() { return MessageType.ACK; }
  @Override public Header header() { return Header.request(requestId); }
  @Override public int payloadLength() { return 0; }
  @Override public void writePayload(ByteBuf out) {}
}
