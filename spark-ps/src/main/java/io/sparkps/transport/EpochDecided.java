package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * The driver's answer to an {@link EpochEnd}: whether the workers train another epoch, and
 * whether the epoch just ended is the best so far.
 *
 * <pre>
 * header: requestId
 * payload: byte goOn | byte best
 * </pre>
 */
public record EpochDecided(long requestId, boolean goOn, boolean best) implements Message {
  @Override public MessageType type() { return MessageType.EPOCH_DECIDED; }
  @Override public Header header() { return Header.request(requestId); }
  @Override public int payloadLength() { return 2; }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeByte(goOn ? 1 : 0);
    out.writeByte(best ? 1 : 0);
  }

  static EpochDecided read(Header h, ByteBuf in) {
    boolean goOn = in.readByte() != 0;
    return new EpochDecided(h.requestId(), goOn, in.readByte() != 0);
  }
}
