package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/** Client to server: HMAC-SHA256 of the challenge nonce under the application secret. */
public record AuthResponse(byte[] mac) implements Message {
  @Override public MessageType type() { return MessageType.AUTH_RESPONSE; }
  @Override public Header header() { return Header.EMPTY; }
  @Override public int payloadLength() { return mac.length; }
  @Override public void writePayload(ByteBuf out) { out.writeBytes(mac); }

  static AuthResponse read(Header h, ByteBuf in) {
    return new AuthResponse(Floats.readBytes(in));
  }
}
