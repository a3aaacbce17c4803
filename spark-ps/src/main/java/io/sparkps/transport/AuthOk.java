package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Server to client: the response was right; the connection may carry requests now. Carries the
 * server's own proof that it holds the application secret (HMAC-SHA256 of the handshake, see
 * {@link Handshake}); on an encrypted connection it is the first record.
 *
 * <pre>
 * payload: [32 proof]
 * </pre>
 */
public record AuthOk(byte[] mac) implements Message {
  public AuthOk {
    if (mac.length != Handshake.MAC_BYTES) {
      throw new IllegalArgumentException("AUTH_OK proof of " + mac.length + " bytes, expected "
          + Handshake.MAC_BYTES);
    }
  }

  @Override public MessageType type() { return MessageType.AUTH_OK; }
  @Override public Header header() { return Header.EMPTY; }
  @Override public int payloadLength() { return mac.length; }
  @Override public void writePayload(ByteBuf out) { out.writeBytes(mac); }

  static AuthOk read(Header h, ByteBuf in) {
    return new AuthOk(Floats.readBytes(in));
  }
}
