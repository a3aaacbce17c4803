package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Coordinator to a server that registered without an id (one an operator started to join a
 * running cluster): the id the coordinator gave it, under which it sends heartbeats.
 */
public record Joined(long requestId, int serverId) implements Message {
  @Override public MessageType type() { return MessageType.JOINED; }
  @Override public Header header() { return new Header(serverId, 0, 0, 0, 0, requestId); }
  @Override public int payloadLength() { return 0; }
  @Override public void writePayload(ByteBuf out) {}
}
