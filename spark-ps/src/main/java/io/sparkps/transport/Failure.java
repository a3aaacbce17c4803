package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * A request failed on the peer. {@code kind} says what the sender may do: nothing ({@link
 * Kind#FATAL}: a bad request), the same request later ({@link Kind#RETRIABLE}: a timeout), or
 * the same request to the slice's current primary ({@link Kind#NOT_PRIMARY}: the peer does not
 * serve that slice, or no longer; the sender refreshes its slice map and resends), or the same
 * request once the map has changed ({@link Kind#MOVING}: the slice is switching to another
 * server; a map naming its new primary is published within moments).
 */
public record Failure(long requestId, Kind kind, String message) implements Message {

  /** What a failed request's sender may do. The ordinal is the byte on the wire. */
  public enum Kind { FATAL, RETRIABLE, NOT_PRIMARY, MOVING }

  public Failure(long requestId, boolean retriable, String message) {
    this(requestId, retriable ? Kind.RETRIABLE : Kind.FATAL, message);
  }

  public boolean retriable() {
    return kind != Kind.FATAL;
  }

  @Override public MessageType type() { return MessageType.FAILURE; }
  @Override public Header header() { return Header.request(requestId); }
  @Override public int payloadLength() { return 1 + Floats.stringLength(message); }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeByte(kind.ordinal());
    Floats.writeString(out, message);
  }

  static Failure read(Header h, ByteBuf in) {
    int k = in.readByte();
    if (k < 0 || k >= Kind.values().length) {
      throw new CorruptedFrameException("unknown failure kind " + k);
    }
    return new Failure(h.requestId(), Kind.values()[k], Floats.readString(in));
  }
}
