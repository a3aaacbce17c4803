package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Client to server: whether the client encrypts, its ephemeral X25519 public key when it does,
 * and its proof that it holds the application secret: HMAC-SHA256 under the secret of the
 * handshake so far (see {@link Handshake}), which binds both public keys to the secret.
 *
 * <pre>
 * payload: [1 encrypted: 0 or 1] [32 public key, only when encrypted] [32 proof]
 * </pre>
 */
public record AuthResponse(boolean encrypted, byte[] publicKey, byte[] mac) implements Message {
  public AuthResponse {
    Handshake.checkLengths("AUTH_RESPONSE", encrypted, mac.length, publicKey.length);
  }

  @Override public MessageType type() { return MessageType.AUTH_RESPONSE; }
  @Override public Header header() { return Header.EMPTY; }
  @Override public int payloadLength() { return 1 + publicKey.length + mac.length; }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeByte(encrypted ? 1 : 0);
    out.writeBytes(publicKey);
    out.writeBytes(mac);
  }

  static AuthResponse read(Header h, ByteBuf in) {
    boolean encrypted = Handshake.readFlag(in);
    byte[] publicKey = new byte[encrypted ? Math.min(Handshake.KEY_BYTES, in.readableBytes()) : 0];
    in.readBytes(publicKey);
    return new AuthResponse(encrypted, publicKey, Floats.readBytes(in));
  }
}
