package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Server to coordinator, once after start: where the server listens for workers. Answered with
 * {@link Ack}.
 */
public record Register(long requestId, int serverId, String host, int port) implements Message {
  @Override public MessageType type() { return MessageType.REGISTER; }
  @Override public Header header() { return new Header(serverId, 0, 0, 0, 0, requestId); }
  @Override public int payloadLength() { return Floats.stringLength(host) + Integer.BYTES; }

  @Override
  public void writePayload(ByteBuf out) {
    Floats.writeString(out, host);
    out.writeInt(port);
  }

  static Register read(Header h, ByteBuf in) {
    String host = Floats.readString(in);
    return new Register(h.requestId(), h.source(), host, in.readInt());
  }
}
