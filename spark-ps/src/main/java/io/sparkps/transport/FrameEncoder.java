package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes a {@link Message} as one frame. Stateless: one shared instance serves every channel.
 *
 * <pre>
 * offset size field
 *   0     4   magic           0x50535331 ("PSS1"), big-endian
 *   4     1   protocol version {@value #PROTOCOL_VERSION}
 *   5     1   message type    {@link MessageType#id()}
 *   6     2   flags           0
 *   8     4   source
 *  12     4   destination
 *  16     4   param id
 *  20     4   slice id
 *  24     8   version
 *  32     8   request id
 *  40     4   payload length  n, at most the receiver's frame limit minus 44
 *  44     n   payload         type specific; float arrays are raw little-endian IEEE 754
 * </pre>
 *
 * The header is big-endian (network order); only float payloads are little-endian, so that
 * they copy straight to and from native buffers on x86 and ARM. Version 2 changed the
 * handshake (both sides prove the secret; keys for encrypted connections, see {@link
 * Handshake}). On an encrypted connection these frames travel inside records ({@link
 * RecordEncoder}).
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<Message> {
  public static final int MAGIC = 0x50535331;
  public static final byte PROTOCOL_VERSION = 2;
  public static final int HEADER_BYTES = 44;
  public static final FrameEncoder INSTANCE = new FrameEncoder();

  private FrameEncoder() {
    super(Message.class, true);
  }

  /**
   * Frames above this size are written into pieces of it: the allocator pools buffers up to
   * 1 MiB only, and a fresh multi-megabyte buffer per frame costs more in page faults than its
   * bytes cost to copy.
   */
  static final int PIECE_BYTES = 256 * 1024;

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Message msg, boolean preferDirect) {
    return allocate(ctx.alloc(), msg);
  }

  private static ByteBuf allocate(ByteBufAllocator alloc, Message msg) {
    return allocate(alloc, HEADER_BYTES + msg.payloadLength());
  }

  /** A pooled direct buffer of {@code frame} bytes, in pieces when it is large. */
  static ByteBuf allocate(ByteBufAllocator alloc, int frame) {
    if (frame <= PIECE_BYTES) {
      return alloc.directBuffer(frame);
    }
    int pieces = (frame + PIECE_BYTES - 1) / PIECE_BYTES;
    CompositeByteBuf out = alloc.compositeDirectBuffer(pieces);
    for (int left = frame; left > 0; left -= PIECE_BYTES) {
      int n = Math.min(PIECE_BYTES, left);
      out.addComponent(false, alloc.directBuffer(n, n).writerIndex(n));
    }
    return out;
  }

  /**
   * The frame of {@code msg}, encoded now on the calling thread, into buffers from {@code alloc}
   * laid out as the pipeline's encoder lays them out. Written to a channel, it passes this
   * encoder unchanged; whoever does not write it must release it. For an answer whose arrays
   * may change once it is made.
   */
  public static ByteBuf encode(ByteBufAllocator alloc, Message msg) {
    ByteBuf out = allocate(alloc, msg);
    try {
      write(msg, out);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
    write(msg, out);
  }

  /** Writes one whole frame to {@code out}; also used by tests to make frames by hand. */
  public static void write(Message msg, ByteBuf out) {
    int payloadLength = msg.payloadLength();
    writeHeader(msg.type(), msg.header(), payloadLength, out);
    int start = out.writerIndex();
    msg.writePayload(out);
    int written = out.writerIndex() - start;
    if (written != payloadLength) {
      throw new IllegalStateException(
          msg.type() + " wrote " + written + " payload bytes but announced " + payloadLength);
    }
  }

  /** Writes the header of a frame whose payload has {@code payloadLength} bytes. */
  static void writeHeader(MessageType type, Header h, int payloadLength, ByteBuf out) {
    out.writeInt(MAGIC);
    out.writeByte(PROTOCOL_VERSION);
    out.writeByte(type.id());
    out.writeShort(0);
    out.writeInt(h.source());
    out.writeInt(h.destination());
    out.writeInt(h.paramId());
    out.writeInt(h.sliceId());
    out.writeLong(h.version());
    out.writeLong(h.requestId());
    out.writeInt(payloadLength);
  }
}
