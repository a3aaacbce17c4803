package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.sparkps.config.PsException;
import java.util.List;

/**
 * Reads frames written by {@link FrameEncoder}. A bad magic number, protocol version or type, a
 * frame over the limit, or a payload its type cannot parse raises a {@link
 * CorruptedFrameException} or {@link TooLongFrameException} naming what was seen; the pipeline's
 * error handler then closes the channel. One instance per channel.
 *
 * <p>The floats of UPDATE, UPDATE_ROWS, REPLICATE and VALUES are not decoded: the message keeps
 * them as a retained slice of the received bytes ({@link FloatPayload}), read in place by
 * whoever handles it, and is released by the pipeline once handled. The received chunks of a
 * frame are kept as they came (a composite) until it is whole, so a large frame is never
 * copied into one buffer.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  /** Frame limit before the peer has authenticated: enough for the handshake messages. */
  static final int HANDSHAKE_FRAME_BYTES = 1024;

  private final int maxFrameBytes;
  private int limit;

  /**
   * @param maxFrameBytes largest whole frame (header + payload) accepted once the peer has
   *     authenticated; until then only {@value #HANDSHAKE_FRAME_BYTES} bytes
   */
  public FrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
    this.limit = Math.min(maxFrameBytes, HANDSHAKE_FRAME_BYTES);
    // Keep the received chunks as they are until a frame is whole, instead of copying them
    // into one buffer that grows (and is reallocated) with every chunk of a large frame.
    setCumulator(COMPOSITE_CUMULATOR);
  }

  /** The handshake succeeded: accept frames up to the full limit. */
  void authenticated() {
    limit = maxFrameBytes;
  }

  /**
   * Bytes received and not decoded yet. Called by a handshake handler while this decoder hands
   * it a message: what the peer sent behind that message.
   */
  int buffered() {
    return actualReadableBytes();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    try {
      decodeFrame(ctx, in, out);
    } catch (RuntimeException e) {
      // Drop what is buffered so that the close does not decode the same bad bytes again.
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  private void decodeFrame(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < FrameEncoder.HEADER_BYTES) {
      return;
    }
    int at = in.readerIndex();
    int magic = in.getInt(at);
    if (magic != FrameEncoder.MAGIC) {
      throw new CorruptedFrameException(String.format(
          "bad magic 0x%08x from %s, expected 0x%08x", magic, ctx.channel().remoteAddress(),
          FrameEncoder.MAGIC));
    }
    byte version = in.getByte(at + 4);
    if (version != FrameEncoder.PROTOCOL_VERSION) {
      throw new CorruptedFrameException("protocol version " + version + " from "
          + ctx.channel().remoteAddress() + ", this side speaks " + FrameEncoder.PROTOCOL_VERSION);
    }
    byte typeId = in.getByte(at + 5);
    MessageType type = MessageType.of(typeId);
    if (type == null) {
      throw new CorruptedFrameException("unknown message type " + typeId + " from "
          + ctx.channel().remoteAddress());
    }
    int payloadLength = in.getInt(at + 40);
    long frameBytes = (long) FrameEncoder.HEADER_BYTES + payloadLength;
    if (payloadLength < 0 || frameBytes > limit) {
      throw new TooLongFrameException("frame of " + frameBytes + " bytes from "
          + ctx.channel().remoteAddress() + " exceeds the limit of " + limit + " bytes ("
          + (limit == maxFrameBytes ? "spark.ps.transport.maxFrameBytes"
              : "before authentication") + ")");
    }
    if (in.readableBytes() < frameBytes) {
      return;
    }
    Header header = new Header(in.getInt(at + 8), in.getInt(at + 12), in.getInt(at + 16),
        in.getInt(at + 20), in.getLong(at + 24), in.getLong(at + 32));
    in.skipBytes(FrameEncoder.HEADER_BYTES);
    ByteBuf payload = in.readSlice(payloadLength);
    Message msg;
    try {
      msg = type.read(header, payload);
    } catch (IndexOutOfBoundsException | IllegalArgumentException | PsException e) {
      throw new CorruptedFrameException(
          type + " payload of " + payloadLength + " bytes does not parse: " + e.getMessage(), e);
    }
    if (payload.isReadable()) {
      HoldsFloats.release(msg);
      throw new CorruptedFrameException(type + " payload has " + payload.readableBytes()
          + " bytes left over after parsing");
    }
    out.add(msg);
  }
}
