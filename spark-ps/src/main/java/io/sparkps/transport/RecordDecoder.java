package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.crypto.AEADBadTagException;

/**
 * Decrypts the records of an encrypted connection (laid out in {@link RecordEncoder}) and
 * passes their plaintext on to the {@link FrameDecoder}. A record length out of range is refused
 * before the record's bytes arrive, and a record that fails its check closes the connection,
 * each with a {@link CorruptedFrameException} or {@link TooLongFrameException} naming what was
 * seen; nothing of such a record reaches the frame decoder. One instance per channel.
 */
final class RecordDecoder extends ByteToMessageDecoder {
  private static final int MAX_LENGTH = RecordEncoder.RECORD_BYTES - Integer.BYTES;

  private final RecordCipher cipher;

  RecordDecoder(RecordCipher cipher) {
    this.cipher = cipher;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    try {
      while (in.readableBytes() >= Integer.BYTES) {
        ByteBuf plain = open(ctx, in);
        if (plain == null) {
          return;
        }
        out.add(plain);
      }
    } catch (RuntimeException e) {
      // Drop what is buffered so that the close does not decode the same bad bytes again.
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  /** The plaintext of the next record, or null until all of it is here. */
  private ByteBuf open(ChannelHandlerContext ctx, ByteBuf in) {
    int length = in.getInt(in.readerIndex());
    if (length > MAX_LENGTH) {
      throw new TooLongFrameException("record of " + length + " bytes from "
          + ctx.channel().remoteAddress() + " exceeds the limit of " + MAX_LENGTH + " bytes ("
          + "record " + cipher.records() + " of a connection encrypted by "
          + "spark.ps.crypto.enabled)");
    }
    if (length <= RecordCipher.TAG_BYTES) {
      throw new CorruptedFrameException("record of " + length + " bytes from "
          + ctx.channel().remoteAddress() + ", less than its " + RecordCipher.TAG_BYTES
          + "-byte tag and one byte (record " + cipher.records() + " of a connection "
          + "encrypted by spark.ps.crypto.enabled)");
    }
    if (in.readableBytes() < Integer.BYTES + length) {
      return null;
    }
    int at = in.readerIndex() + Integer.BYTES;
    int plainBytes = length - RecordCipher.TAG_BYTES;
    ByteBuf plain = ctx.alloc().directBuffer(plainBytes);
    try {
      cipher.open(in, at, length, plain);
      in.skipBytes(Integer.BYTES + length);
      return plain;
    } catch (AEADBadTagException e) {
      plain.release();
      throw new CorruptedFrameException("record " + cipher.records() + " of " + length
          + " bytes from " + ctx.channel().remoteAddress() + " fails authentication: altered "
          + "on the way, or not sealed with this connection's key (spark.ps.crypto.enabled)", e);
    } catch (GeneralSecurityException | RuntimeException e) {
      plain.release();
      throw new CorruptedFrameException("could not decrypt record " + cipher.records()
          + " from " + ctx.channel().remoteAddress() + ": " + e, e);
    }
  }
}
