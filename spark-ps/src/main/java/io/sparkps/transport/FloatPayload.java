package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The floats of a message, read where they lie: a region of a caller's {@code float[]} (a
 * request being sent, an answer decoded into the caller's array), or the raw little-endian
 * bytes of a received frame, kept as a retained slice of it instead of being decoded into an
 * array.
 *
 * <p>A payload from a frame holds a reference to the frame's buffers: the pipeline's last
 * handlers release it once they handled the message ({@link HoldsFloats#release}), and nothing
 * may read it afterwards. A payload over an array holds nothing to
 * release. Not thread safe; reading it from several threads at once is fine.
 */
public final class FloatPayload {
  private static final FloatPayload EMPTY = new FloatPayload(new float[0], 0, 0, null);
  /** Floats copied per block when a reader wants them as an array: 64 KiB, cache-resident. */
  public static final int BLOCK = 16 * 1024;

  private final float[] array;
  private final int offset;
  private final int length;
  private final ByteBuf bytes;

  private FloatPayload(float[] array, int offset, int length, ByteBuf bytes) {
    this.array = array;
    this.offset = offset;
    this.length = length;
    this.bytes = bytes;
  }

  /** The whole of {@code values}; nothing is copied, so it must not change while in use. */
  public static FloatPayload of(float[] values) {
    return new FloatPayload(values, 0, values.length, null);
  }

  /** {@code values[from, from + length)}, not copied. */
  public static FloatPayload of(float[] values, int from, int length) {
    if (from < 0 || length < 0 || from > values.length - length) {
      throw new IndexOutOfBoundsException("floats [" + from + ", " + ((long) from + length)
          + ") of an array of " + values.length);
    }
    return new FloatPayload(values, from, length, null);
  }

  static FloatPayload empty() {
    return EMPTY;
  }

  /** The rest of {@code in}, as a retained slice of it: the caller releases the payload. */
  static FloatPayload readRest(ByteBuf in) {
    int n = in.readableBytes();
    if (n % Float.BYTES != 0) {
      throw new CorruptedFrameException("float payload of " + n + " bytes is not a multiple "
          + "of 4");
    }
    if (n == 0) {
      return EMPTY;
    }
    return new FloatPayload(null, 0, n / Float.BYTES, in.readRetainedSlice(n));
  }

  public int length() {
    return length;
  }

  /** Whether the floats are bytes of a received frame, which must be released. */
  public boolean isBuffer() {
    return bytes != null;
  }

  /** Float {@code i}; for single values, not for loops over many (see {@link #copyTo}). */
  public float get(int i) {
    if (i < 0 || i >= length) {
      throw new IndexOutOfBoundsException("float " + i + " of " + length);
    }
    return bytes == null ? array[offset + i]
        : Float.intBitsToFloat(bytes.getIntLE(bytes.readerIndex() + i * Float.BYTES));
  }

  /** Copies floats {@code [from, from + n)} to {@code dst[at, at + n)}, in bulk. */
  public void copyTo(int from, float[] dst, int at, int n) {
    if (from < 0 || n < 0 || from > length - n) {
      throw new IndexOutOfBoundsException("floats [" + from + ", " + ((long) from + n)
          + ") of " + length);
    }
    if (bytes == null) {
      System.arraycopy(array, offset + from, dst, at, n);
      return;
    }
    int start = bytes.readerIndex() + from * Float.BYTES;
    int byteCount = n * Float.BYTES;
    Floats.bulk(bytes, start, byteCount, (view, first, count) ->
        view.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, at + first, count));
    for (int k : Floats.straddlers(bytes, start, byteCount)) {
      dst[at + k] = Float.intBitsToFloat(bytes.getIntLE(start + k * Float.BYTES));
    }
  }

  /** The floats as a new array (the array itself when this is the whole of one). */
  public float[] toArray() {
    if (bytes == null && offset == 0 && length == array.length) {
      return array;
    }
    if (bytes == null) {
      return Arrays.copyOfRange(array, offset, offset + length);
    }
    float[] out = new float[length];
    copyTo(0, out, 0, length);
    return out;
  }

  /** Takes the floats block by block, in order. */
  @FunctionalInterface
  public interface Block {
    /** Floats {@code [from, from + n)} of the payload are {@code a[base, base + n)}. */
    void accept(float[] a, int base, int from, int n);
  }

  /**
   * Hands the floats to {@code block} in blocks of at most {@value #BLOCK}: straight from the
   * array of a payload over one, else copied block by block into a buffer of the calling
   * thread that stays in cache, so that no array of the payload's size is made. {@code block}
   * must not call this method again on the same thread.
   */
  public void forEachBlock(Block block) {
    if (bytes == null) {
      for (int from = 0; from < length; from += BLOCK) {
        block.accept(array, offset + from, from, Math.min(BLOCK, length - from));
      }
      return;
    }
    float[] scratch = SCRATCH.get();
    for (int from = 0; from < length; from += BLOCK) {
      int n = Math.min(BLOCK, length - from);
      copyTo(from, scratch, 0, n);
      block.accept(scratch, 0, from, n);
    }
  }

  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(
      () -> new float[BLOCK]);

  /** The index of the first NaN or infinite float, or -1 when all are finite. */
  public int firstNonFinite() {
    int[] first = {-1};
    forEachBlock((a, base, from, n) -> {
      if (first[0] < 0 && !allFinite(a, base, n)) {
        for (int i = 0; i < n; i++) {
          if (!Float.isFinite(a[base + i])) {
            first[0] = from + i;
            return;
          }
        }
      }
    });
    return first[0];
  }

  /**
   * Whether {@code a[base, base + n)} are all finite: a float is not when its exponent bits
   * are all ones, and adding one to them then carries into the sign bit. A branch-free OR over
   * the block, which the JIT turns into vector code, unlike a loop that stops at the first.
   */
  private static boolean allFinite(float[] a, int base, int n) {
    int carry = 0;
    for (int i = base; i < base + n; i++) {
      carry |= (Float.floatToRawIntBits(a[i]) & 0x7f800000) + 0x00800000;
    }
    return carry >= 0;
  }

  /** Writes the floats to {@code out} as little-endian bytes. */
  void writeTo(ByteBuf out) {
    if (bytes == null) {
      Floats.write(out, array, offset, length);
    } else {
      out.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
    }
  }

  /** References to the frame bytes held (as {@link ByteBuf#refCnt}); 1 over an array. */
  int refCnt() {
    return bytes == null ? 1 : bytes.refCnt();
  }

  /**
   * Gives back {@code n} references to the frame bytes (as {@link ByteBuf#release(int)});
   * true once they are freed. A payload over an array has nothing to give back: false.
   */
  boolean release(int n) {
    return bytes != null && bytes.release(n);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FloatPayload other) || other.length != length) {
      return false;
    }
    return Arrays.equals(toArray(), other.toArray());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toArray());
  }

  @Override
  public String toString() {
    return length + " floats" + (bytes == null ? "" : " in a frame");
  }
}
