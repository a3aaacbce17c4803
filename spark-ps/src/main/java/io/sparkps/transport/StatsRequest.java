package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/** Asks a server for the counters of one slice; answered with {@link Stats}. */
public record StatsRequest(long requestId, int paramId, int sliceId) implements Message {
  @Override public MessageType type() { return MessageType.STATS_REQUEST; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, 0); }
  @Override public int payloadLength() { return 0; }
  @Override public void writePayload(ByteBuf out) {}
}
