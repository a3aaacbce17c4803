package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Server to client, first message on a connection: a random nonce for the client to sign and
 * whether the server encrypts, with its ephemeral X25519 public key when it does.
 *
 * <pre>
 * payload: [1 encrypted: 0 or 1] [32 nonce] [32 public key, only when encrypted]
 * </pre>
 */
public record Challenge(boolean encrypted, byte[] nonce, byte[] publicKey) implements Message {
  public Challenge {
    Handshake.checkLengths("CHALLENGE", encrypted, nonce.length, publicKey.length);
  }

  @Override public MessageType type() { return MessageType.CHALLENGE; }
  @Override public Header header() { return Header.EMPTY; }
  @Override public int payloadLength() { return 1 + nonce.length + publicKey.length; }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeByte(encrypted ? 1 : 0);
    out.writeBytes(nonce);
    out.writeBytes(publicKey);
  }

  static Challenge read(Header h, ByteBuf in) {
    boolean encrypted = Handshake.readFlag(in);
    byte[] nonce = new byte[Math.min(Handshake.NONCE_BYTES, in.readableBytes())];
    in.readBytes(nonce);
    return new Challenge(encrypted, nonce, Floats.readBytes(in));
  }
}
