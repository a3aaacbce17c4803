package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/** Server to coordinator, renews the server's lease; answered with {@link Ack}. */
public record Heartbeat(long requestId, int serverId) implements Message {
  @Override public MessageType type() { return MessageType.HEARTBEAT; }
  @Override public Header header() { return new Header(serverId, 0, 0, 0, 0, requestId); }
  @Override public int payloadLength() { return 0; }
  @Override public void writePayload(ByteBuf out) {}
}
