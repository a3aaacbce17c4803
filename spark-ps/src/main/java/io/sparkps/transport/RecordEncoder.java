package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.security.GeneralSecurityException;

/**
 * Encrypts every byte an encrypted connection sends, once its handshake is done: the frames the
 * {@link FrameEncoder} wrote become records, each at most {@value #RECORD_BYTES} bytes on the
 * wire, so that a frame of any size is cut into records the receiver can check one by one.
 *
 * <pre>
 * offset size   field
 *   0     4     length n: ciphertext plus tag, 17 .. {@value #RECORD_BYTES} - 4, big-endian
 *   4     n-16  ciphertext of the next n-16 bytes of frames (AES-GCM, see {@link RecordCipher})
 *   n-12  16    GCM tag
 * </pre>
 *
 * One instance per channel (it counts records); runs on the channel's event loop.
 */
final class RecordEncoder extends ChannelOutboundHandlerAdapter {
  /** Largest record on the wire, length field and tag included: one pooled 64 KiB buffer. */
  static final int RECORD_BYTES = 64 * 1024;
  /** Most frame bytes one record carries. */
  static final int MAX_PLAINTEXT = RECORD_BYTES - Integer.BYTES - RecordCipher.TAG_BYTES;

  private final RecordCipher cipher;

  RecordEncoder(RecordCipher cipher) {
    this.cipher = cipher;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf plain)) {
      // Everything below the frame encoder is bytes; anything else would leave unencrypted.
      ReferenceCountUtil.release(msg);
      promise.setFailure(new IllegalStateException(
          "cannot encrypt a " + msg.getClass().getName() + ", only frame bytes"));
      return;
    }
    if (!plain.isReadable()) {
      ctx.write(plain, promise);
      return;
    }
    ByteBuf sealed;
    try {
      sealed = seal(ctx.alloc(), plain);
    } catch (GeneralSecurityException | RuntimeException e) {
      promise.setFailure(new TransportException("could not encrypt a record for "
          + ctx.channel().remoteAddress() + ": " + e, e));
      return;
    } finally {
      plain.release();
    }
    ctx.write(sealed, promise);
  }

  private ByteBuf seal(ByteBufAllocator alloc, ByteBuf plain) throws GeneralSecurityException {
    int n = plain.readableBytes();
    if (n <= MAX_PLAINTEXT) {
      return sealOne(alloc, plain, plain.readerIndex(), n);
    }
    CompositeByteBuf out = alloc.compositeDirectBuffer((n + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT);
    try {
      for (int at = plain.readerIndex(), end = at + n; at < end; at += MAX_PLAINTEXT) {
        out.addComponent(true, sealOne(alloc, plain, at, Math.min(MAX_PLAINTEXT, end - at)));
      }
      return out;
    } catch (GeneralSecurityException | RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /** One record of the {@code len} bytes of {@code plain} at {@code at}. */
  private ByteBuf sealOne(ByteBufAllocator alloc, ByteBuf plain, int at, int len)
      throws GeneralSecurityException {
    int length = len + RecordCipher.TAG_BYTES;
    ByteBuf out = alloc.directBuffer(Integer.BYTES + length);
    try {
      out.writeInt(length);
      cipher.seal(plain, at, len, out);
      return out;
    } catch (GeneralSecurityException | RuntimeException e) {
      out.release();
      throw e;
    }
  }
}
