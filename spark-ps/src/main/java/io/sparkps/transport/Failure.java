package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * A request failed on the peer; {@code retriable} says whether the same request may succeed
 * later (a timeout) or never will (a bad request).
 */
public record Failure(long requestId, boolean retriable, String message) implements Message {
  @Override public MessageType type() { return MessageType.FAILURE; }
  @Override public Header header() { return Header.request(requestId); }
  @Override public int payloadLength() { return 1 + Floats.stringLength(message); }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeBoolean(retriable);
    Floats.writeString(out, message);
  }

  static Failure read(Header h, ByteBuf in) {
    boolean retriable = in.readBoolean();
    return new Failure(h.requestId(), retriable, Floats.readString(in));
  }
}
