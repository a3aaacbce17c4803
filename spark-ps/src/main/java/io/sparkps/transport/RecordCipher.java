package io.sparkps.transport;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM for one direction of one connection. Record {@code n} (0, 1, ...) is sealed with the
 * nonce {@code iv XOR n} (n big-endian in the last 8 of the 12 bytes, as in TLS 1.3) and with
 * its length field as associated data: a record altered, cut, replayed, reordered or left out
 * fails the receiver's check. Not thread safe: each belongs to one handler of one channel and
 * runs on its event loop.
 */
final class RecordCipher {
  static final int TAG_BYTES = 16;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKeySpec key;
  private final byte[] iv;
  private final byte[] nonce;
  private final byte[] lengthField = new byte[Integer.BYTES];
  private final Cipher cipher;
  private long records;

  RecordCipher(byte[] key, byte[] iv) {
    this.key = new SecretKeySpec(key, "AES");
    this.iv = iv.clone();
    this.nonce = new byte[iv.length];
    try {
      this.cipher = Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(TRANSFORMATION + " is not available in this JVM", e);
    }
  }

  /** Records sealed or opened so far: the number of the next one. */
  long records() {
    return records;
  }

  /**
   * Encrypts the next record: the bytes of {@code plaintext}, in order, into {@code out}, with
   * the tag after them.
   *
   * @param recordLength the record's length field: plaintext bytes plus {@value #TAG_BYTES}
   * @return bytes written to {@code out}: {@code recordLength}
   */
  int seal(ByteBuffer[] plaintext, ByteBuffer out, int recordLength)
      throws GeneralSecurityException {
    return run(Cipher.ENCRYPT_MODE, plaintext, out, recordLength);
  }

  /**
   * Decrypts and checks the next record.
   *
   * @throws javax.crypto.AEADBadTagException if the record is not the next one this side's
   *     peer sealed with this key
   */
  int open(ByteBuffer[] ciphertext, ByteBuffer out, int recordLength)
      throws GeneralSecurityException {
    return run(Cipher.DECRYPT_MODE, ciphertext, out, recordLength);
  }

  private int run(int mode, ByteBuffer[] in, ByteBuffer out, int recordLength)
      throws GeneralSecurityException {
    System.arraycopy(iv, 0, nonce, 0, iv.length);
    for (int i = 0; i < Long.BYTES; i++) {
      nonce[nonce.length - 1 - i] ^= (byte) (records >>> (8 * i));
    }
    cipher.init(mode, key, new GCMParameterSpec(8 * TAG_BYTES, nonce));
    for (int i = 0; i < Integer.BYTES; i++) {
      lengthField[i] = (byte) (recordLength >>> (8 * (Integer.BYTES - 1 - i)));
    }
    cipher.updateAAD(lengthField);
    int written = 0;
    for (int i = 0; i < in.length - 1; i++) {
      written += cipher.update(in[i], out);
    }
    written += cipher.doFinal(in[in.length - 1], out);
    records++;
    return written;
  }
}
