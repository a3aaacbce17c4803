package io.sparkps.transport;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-application secret that every peer proves it holds before it may send requests, and
 * that the keys of encrypted connections derive from (see {@link Handshake}).
 */
public final class Secret {
  private static final String HMAC = "HmacSHA256";
  private final byte[] key;

  private Secret(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException("secret must have at least 16 bytes, got " + key.length);
    }
    this.key = key.clone();
  }

  /** A fresh random secret of 32 bytes. */
  public static Secret generate(SecureRandom random) {
    byte[] key = new byte[32];
    random.nextBytes(key);
    return new Secret(key);
  }

  public static Secret fromHex(String hex) {
    return new Secret(HexFormat.of().parseHex(hex.trim()));
  }

  public String toHex() {
    return HexFormat.of().formatHex(key);
  }

  /** HMAC-SHA256 of {@code data} under the secret. */
  byte[] sign(byte[] data) {
    return hmac(key, data);
  }

  /** HMAC-SHA256 of {@code data} under {@code key}. */
  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(HMAC + " is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "Secret(hidden)";
  }
}
