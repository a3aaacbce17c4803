package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * VALUES frames that share their floats: a server encodes the values it answers with once
 * (a {@link #body}), and each answer is its own header and clock followed by a retained
 * duplicate of that body, so that the answers of one step to several shares cost one copy of
 * the slice, not one each. The frame is laid out as {@link FrameEncoder} writes {@link Values}.
 */
public final class ValuesFrames {
  /** A body up to this size is copied into its frames, cheaper than a composite of two. */
  static final int COPY_BYTES = 16 * 1024;

  private ValuesFrames() {}

  /** The floats of {@code values} as VALUES carry them, in pooled direct buffers. */
  public static ByteBuf body(ByteBufAllocator alloc, float[] values) {
    ByteBuf out = FrameEncoder.allocate(alloc, values.length * Float.BYTES);
    Floats.write(out, values);
    return out;
  }

  /**
   * The floats of rows {@code rows} (each {@code width} floats) of {@code values}, in order,
   * as VALUES carry them.
   */
  public static ByteBuf body(ByteBufAllocator alloc, float[] values, int[] rows, int width) {
    int bytes = rows.length * width * Float.BYTES;
    ByteBuf out = FrameEncoder.allocate(alloc, bytes);
    if (width == 1 && out.nioBufferCount() == 1) {
      int at = out.writerIndex();
      for (int i = 0; i < rows.length; i++) {
        out.setIntLE(at + i * Float.BYTES, Float.floatToRawIntBits(values[rows[i]]));
      }
      out.writerIndex(at + bytes);
    } else {
      for (int r : rows) {
        Floats.write(out, values, r * width, width);
      }
    }
    return out;
  }

  /**
   * A VALUES frame with {@code body} (from {@link #body}) as its floats; the body is not
   * released, and may go to more frames. Whoever does not write the frame releases it.
   */
  public static ByteBuf frame(ByteBufAllocator alloc, long requestId, int paramId, int sliceId,
      long version, long clock, ByteBuf body) {
    int floatBytes = body.readableBytes();
    int payload = Long.BYTES + floatBytes;
    int headBytes = FrameEncoder.HEADER_BYTES + Long.BYTES;
    ByteBuf head = alloc.directBuffer(floatBytes <= COPY_BYTES ? headBytes + floatBytes
        : headBytes);
    FrameEncoder.writeHeader(MessageType.VALUES,
        Header.slice(requestId, paramId, sliceId, version), payload, head);
    head.writeLong(clock);
    if (floatBytes <= COPY_BYTES) {
      head.writeBytes(body, body.readerIndex(), floatBytes);
      return head;
    }
    CompositeByteBuf frame = alloc.compositeDirectBuffer(2 + body.nioBufferCount());
    frame.addComponent(true, head);
    frame.addFlattenedComponents(true, body.retainedDuplicate());
    return frame;
  }
}
