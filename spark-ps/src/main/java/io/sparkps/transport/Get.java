package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Asks for the values of a slice once it has at least {@code minVersion} updates; answered with
 * {@link Values}, or with {@link Failure} when the version is not reached within the server's
 * timeout.
 */
public record Get(long requestId, int paramId, int sliceId, long minVersion) implements Message {
  @Override public MessageType type() { return MessageType.GET; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, minVersion); }
  @Override public int payloadLength() { return 0; }
  @Override public void writePayload(ByteBuf out) {}
}
