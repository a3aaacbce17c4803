package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Client to coordinator: the slice map, once its epoch is past {@code knownEpoch} (at once
 * when it already is; otherwise when it changes, or after a while with the same epoch).
 * Answered with {@link Routes}; the coordinator also sends every later change to the asking
 * connection unasked, as a {@link Routes} with request id 0.
 */
public record RoutesRequest(long requestId, long knownEpoch) implements Message {
  @Override public MessageType type() { return MessageType.ROUTES_REQUEST; }
  @Override public Header header() { return Header.slice(requestId, 0, 0, knownEpoch); }
  @Override public int payloadLength() { return 0; }
  @Override public void writePayload(ByteBuf out) { }
}
