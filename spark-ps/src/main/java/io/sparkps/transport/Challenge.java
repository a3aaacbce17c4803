package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/** Server to client, first message on a connection: a random nonce the client must sign. */
public record Challenge(byte[] nonce) implements Message {
  @Override public MessageType type() { return MessageType.CHALLENGE; }
  @Override public Header header() { return Header.EMPTY; }
  @Override public int payloadLength() { return nonce.length; }
  @Override public void writePayload(ByteBuf out) { out.writeBytes(nonce); }

  static Challenge read(Header h, ByteBuf in) {
    return new Challenge(Floats.readBytes(in));
  }
}
