package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Server to coordinator, once after start: where the server listens for workers (the address
 * it advertises, which may differ from the one it binds), and its process id on its host.
 * Answered with {@link Ack}.
 */
public record Register(long requestId, int serverId, String host, int port, long pid)
    implements Message {
  @Override public MessageType type() { return MessageType.REGISTER; }
  @Override public Header header() { return new Header(serverId, 0, 0, 0, 0, requestId); }
  @Override public int payloadLength() {
    return Floats.stringLength(host) + Integer.BYTES + Long.BYTES;
  }

  @Override
  public void writePayload(ByteBuf out) {
    Floats.writeString(out, host);
    out.writeInt(port);
    out.writeLong(pid);
  }

  static Register read(Header h, ByteBuf in) {
    String host = Floats.readString(in);
    int port = in.readInt();
    return new Register(h.requestId(), h.source(), host, port, in.readLong());
  }
}
