package io.sparkps.transport;

/**
 * Where the floats of an answer go: {@code array[offset, offset + length)}, a region of an
 * array its caller owns. The answer is written there, on a Netty thread, before the request's
 * future completes; an answer of another length fails the request instead (the region is then
 * left as it was or partly written — not to be read). The caller must not read or write the
 * region until the future completes.
 */
public record FloatSink(float[] array, int offset, int length) {
  public FloatSink {
    if (offset < 0 || length < 0 || offset > array.length - length) {
      throw new IndexOutOfBoundsException("floats [" + offset + ", " + ((long) offset + length)
          + ") of an array of " + array.length);
    }
  }

  /** Copies {@code floats}, which must have {@link #length} floats, into the region. */
  void fill(FloatPayload floats) {
    if (floats.length() != length) {
      throw new IllegalStateException("an answer of " + floats.length() + " floats for a "
          + "region of " + length);
    }
    floats.copyTo(0, array, offset, length);
  }

  /** The region, as the floats of the answer handed to the caller. */
  FloatPayload view() {
    return FloatPayload.of(array, offset, length);
  }
}
