package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Coordinator to server: forget the copy of one slice this server held, once the slice lives
 * on other servers (it moved away, or this server is leaving). Answered with {@link Ack}, also
 * when the server did not hold it.
 */
public record DropSlice(long requestId, int paramId, int sliceId) implements Message {
  @Override public MessageType type() { return MessageType.DROP_SLICE; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, 0); }
  @Override public int payloadLength() { return 0; }
  @Override public void writePayload(ByteBuf out) {}
}
