package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Server to the server holding the master copy of a slice: add {@code delta}, the sender's
 * local change since its last sync. Answered with the master's {@link Values} after adding.
 */
public record Sync(long requestId, int paramId, int sliceId, float[] delta) implements Message {
  @Override public MessageType type() { return MessageType.SYNC; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, 0); }
  @Override public int payloadLength() { return delta.length * Float.BYTES; }
  @Override public void writePayload(ByteBuf out) { Floats.write(out, delta); }

  static Sync read(Header h, ByteBuf in) {
    return new Sync(h.requestId(), h.paramId(), h.sliceId(), Floats.readRest(in));
  }
}
