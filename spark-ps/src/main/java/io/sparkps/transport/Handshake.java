package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * The cryptography of the handshake, after Spark's {@code spark.network.crypto} (its {@code
 * AuthEngine}): both sides prove they hold the application {@link Secret} with HMAC-SHA256 over
 * the whole handshake, and, on encrypted connections, agree on fresh keys with ephemeral X25519
 * keys that those proofs bind to the secret.
 *
 * <pre>
 * server -> client  CHALLENGE      e_s, nonce, pub_s (pub_s only when e_s = 1)
 * client -> server  AUTH_RESPONSE  e_c, pub_c, HMAC(secret, "client" | T)
 * server -> client  AUTH_OK        HMAC(secret, "server" | T)   (the first record if encrypted)
 *
 * T    = e_s | nonce | pub_s | e_c | pub_c          (the transcript)
 * prk  = HMAC(HMAC(secret, "keys" | T), X25519(priv, pub_peer))   (HKDF-Extract, RFC 5869)
 * okm  = HKDF-Expand(prk, "spark-ps records", 56)
 *      = client-to-server key (16) | server-to-client key (16) | client IV (12) | server IV (12)
 * </pre>
 *
 * ("client", "server" and "keys" stand for the ASCII labels "spark-ps/2 client" and so on.)
 *
 * A man in the middle without the secret can neither forge a proof nor swap a public key (both
 * are in T), and the keys depend on the secret as well as on the key agreement. Records are
 * AES-128-GCM (see {@link RecordCipher}). Each side decides from its own setting whether it
 * encrypts and refuses a peer that decides otherwise, so nothing can downgrade a connection.
 */
final class Handshake {
  static final int NONCE_BYTES = 32;
  static final int MAC_BYTES = 32;
  static final int KEY_BYTES = 32;
  private static final int AES_KEY_BYTES = 16;
  private static final int IV_BYTES = 12;
  private static final String CURVE = "X25519";
  /** DER prefix of an X.509 SubjectPublicKeyInfo of an X25519 key (RFC 8410): raw key after it. */
  private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65,
      0x6e, 0x03, 0x21, 0x00};
  private static final byte[] CLIENT = label("spark-ps/2 client");
  private static final byte[] SERVER = label("spark-ps/2 server");
  private static final byte[] KEYS = label("spark-ps/2 keys");
  private static final byte[] RECORDS = label("spark-ps records");

  /** The keys of one encrypted connection, one per direction. */
  record Keys(byte[] clientKey, byte[] clientIv, byte[] serverKey, byte[] serverIv) {
    /** What this side encrypts its records with: the server key if it accepted the connection. */
    RecordCipher sending(boolean accepted) {
      return accepted ? new RecordCipher(serverKey, serverIv)
          : new RecordCipher(clientKey, clientIv);
    }

    /** What the peer's records are decrypted with. */
    RecordCipher receiving(boolean accepted) {
      return sending(!accepted);
    }
  }

  private Handshake() {}

  /** A fresh ephemeral key pair; its public half travels with {@link #publicKey}. */
  static KeyPair newKeyPair() {
    try {
      return KeyPairGenerator.getInstance(CURVE).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(CURVE + " is not available in this JVM", e);
    }
  }

  /** The raw 32 bytes of an X25519 public key. */
  static byte[] publicKey(KeyPair pair) {
    byte[] encoded = pair.getPublic().getEncoded();
    return Arrays.copyOfRange(encoded, encoded.length - KEY_BYTES, encoded.length);
  }

  /** Everything both sides said, in order: what the proofs sign and the keys derive from. */
  static byte[] transcript(Challenge c, boolean clientEncrypted, byte[] clientKey) {
    return ByteBuffer.allocate(2 + c.nonce().length + c.publicKey().length + clientKey.length)
        .put((byte) (c.encrypted() ? 1 : 0)).put(c.nonce()).put(c.publicKey())
        .put((byte) (clientEncrypted ? 1 : 0)).put(clientKey).array();
  }

  static byte[] clientProof(Secret secret, byte[] transcript) {
    return secret.sign(concat(CLIENT, transcript));
  }

  static byte[] serverProof(Secret secret, byte[] transcript) {
    return secret.sign(concat(SERVER, transcript));
  }

  /**
   * The connection's keys, from this side's private key and the peer's public key.
   *
   * @throws GeneralSecurityException if the peer's key is not a usable X25519 key
   */
  static Keys keys(Secret secret, byte[] transcript, PrivateKey mine, byte[] peerKey)
      throws GeneralSecurityException {
    KeyAgreement agreement = KeyAgreement.getInstance(CURVE);
    agreement.init(mine);
    agreement.doPhase(KeyFactory.getInstance(CURVE).generatePublic(
        new X509EncodedKeySpec(concat(X509_PREFIX, peerKey))), true);
    byte[] shared = agreement.generateSecret();
    byte[] prk = hmac(secret.sign(concat(KEYS, transcript)), shared);
    Arrays.fill(shared, (byte) 0);
    // HKDF-Expand: two HMAC blocks give the 56 bytes.
    byte[] t1 = hmac(prk, concat(RECORDS, new byte[] {1}));
    byte[] okm = concat(t1, hmac(prk, concat(concat(t1, RECORDS), new byte[] {2})));
    Arrays.fill(prk, (byte) 0);
    int ivs = 2 * AES_KEY_BYTES;
    Keys keys = new Keys(Arrays.copyOfRange(okm, 0, AES_KEY_BYTES),
        Arrays.copyOfRange(okm, ivs, ivs + IV_BYTES),
        Arrays.copyOfRange(okm, AES_KEY_BYTES, ivs),
        Arrays.copyOfRange(okm, ivs + IV_BYTES, ivs + 2 * IV_BYTES));
    Arrays.fill(okm, (byte) 0);
    return keys;
  }

  /**
   * Runs the handshake's cryptography once on throwaway keys, so that the JDK loads and
   * initialises X25519, HMAC and AES-GCM now (hundreds of milliseconds the first time in a JVM
   * on a busy machine) instead of during the first handshake: a server's first registration
   * must be answered within its lease.
   */
  static void warmUp() {
    try {
      KeyPair a = newKeyPair();
      KeyPair b = newKeyPair();
      Challenge c = new Challenge(true, new byte[NONCE_BYTES], publicKey(a));
      byte[] t = transcript(c, true, publicKey(b));
      Secret throwaway = Secret.generate(new SecureRandom());
      Keys keys = keys(throwaway, t, b.getPrivate(), c.publicKey());
      keys.sending(false).seal(Unpooled.wrappedBuffer(new byte[1]), 0, 1,
          Unpooled.buffer(1 + RecordCipher.TAG_BYTES));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's X25519 or AES-GCM does not work here", e);
    }
  }

  /** Lengths of a CHALLENGE's nonce or an AUTH_RESPONSE's proof, and of the public key. */
  static void checkLengths(String what, boolean encrypted, int fixedBytes, int keyBytes) {
    if (fixedBytes != NONCE_BYTES || keyBytes != (encrypted ? KEY_BYTES : 0)) {
      throw new IllegalArgumentException(what + " with " + fixedBytes + " nonce/proof bytes and "
          + keyBytes + " public key bytes, expected " + NONCE_BYTES + " and "
          + (encrypted ? KEY_BYTES : 0) + (encrypted ? " (encrypted)" : " (not encrypted)"));
    }
  }

  /** The first payload byte of a CHALLENGE or AUTH_RESPONSE: 0 or 1. */
  static boolean readFlag(ByteBuf in) {
    byte flag = in.readByte();
    if (flag != 0 && flag != 1) {
      throw new IllegalArgumentException("encryption flag " + flag + ", expected 0 or 1");
    }
    return flag == 1;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    return Secret.hmac(key, data);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] label(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
