package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/** Coordinator to server: stop now. */
public record Shutdown() implements Message {
  @Override public MessageType type() { return MessageType.SHUTDOWN; }
  @Override public Header header() { return Header.EMPTY; }
  @Override public int payloadLength() { return 0; }
  @Override public void writePayload(ByteBuf out) {}
}
