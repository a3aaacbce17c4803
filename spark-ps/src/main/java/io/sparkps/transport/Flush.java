package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Sends a slice's unsynced local change to its master copy now, and answers {@link Ack} once
 * no sync of it is pending. On a master copy it answers at once.
 */
public record Flush(long requestId, int paramId, int sliceId) implements Message {
  @Override public MessageType type() { return MessageType.FLUSH; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, 0); }
  @Override public int payloadLength() { return 0; }
  @Override public void writePayload(ByteBuf out) {}
}
