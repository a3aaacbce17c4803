package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/** Server to client: the response was right; the connection may carry requests now. */
public record AuthOk() implements Message {
  @Override public MessageType type() { return MessageType.AUTH_OK; }
  @Override public Header header() { return Header.EMPTY; }
  @Override public int payloadLength() { return 0; }
  @Override public void writePayload(ByteBuf out) {}
}
