package io.sparkps.server.optim;

import io.sparkps.config.OptimizerType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The byte layout of {@link Optimizer#saveState} for optimizers with state, shared so that
 * every rule writes and checks it the same way:
 * <pre>
 *   byte 0   the {@link OptimizerType} ordinal (its wire id) of the optimizer that saved it
 *   byte 1   0: never used, nothing follows; 1: the rule's state follows
 *   ...      the rule's state arrays (float, little-endian) and counters (long), in a fixed
 *            order per rule
 * </pre>
 * The type byte is there because a size check alone cannot tell, say, a momentum velocity
 * from an AdaGrad accumulator of the same slice. The flag byte is there because state arrays
 * are allocated on the first update: a slice never updated saves 2 bytes instead of zeros for
 * the whole slice, and its restored copy still holds no state (its {@link
 * Optimizer#stateBytes} stays 0) until it is updated. Floats are copied as raw bits, so NaN
 * payloads survive too.
 */
final class StateCodec {

  /** The type and flag bytes. */
  static final int HEADER_BYTES = 2;

  private static final byte NEVER_USED = 0;
  private static final byte HAS_STATE = 1;

  private StateCodec() {
  }

  /** The state of an optimizer of {@code type} that has not been updated yet. */
  static byte[] neverUsed(OptimizerType type) {
    return new byte[] {(byte) type.ordinal(), NEVER_USED};
  }

  /**
   * A little-endian buffer of {@code HEADER_BYTES + payloadBytes} with the header written, for
   * the caller to put exactly {@code payloadBytes} of state into; its backing array is the
   * saved state.
   *
   * @throws IllegalStateException if the state does not fit in one byte array
   */
  static ByteBuffer begin(OptimizerType type, long payloadBytes) {
    long total = HEADER_BYTES + payloadBytes;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(type + " state of " + total
          + " bytes does not fit in one byte array");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) type.ordinal()).put(HAS_STATE);
    return out;
  }

  /** Appends {@code values} as raw float bits. */
  static void putFloats(ByteBuffer out, float[] values) {
    out.asFloatBuffer().put(values);
    out.position(out.position() + Float.BYTES * values.length);
  }

  /**
   * Checks that {@code state} was saved by an optimizer of {@code type} whose state, once
   * used, has {@code payloadBytes} after the header, before anything is changed.
   *
   * @param sliceLength only for the message
   * @return null if the state is "never used", else a little-endian buffer positioned at the
   *     payload
   * @throws IllegalArgumentException naming the expected and actual sizes and types if it
   *     does not fit
   */
  static ByteBuffer open(byte[] state, OptimizerType type, int sliceLength, long payloadBytes) {
    long usedBytes = HEADER_BYTES + payloadBytes;
    boolean fits = state.length >= HEADER_BYTES
        && state[0] == (byte) type.ordinal()
        && (state[1] == NEVER_USED && state.length == HEADER_BYTES
            || state[1] == HAS_STATE && state.length == usedBytes);
    if (!fits) {
      throw new IllegalArgumentException("cannot load " + describe(state) + " of "
          + state.length + " bytes into the " + type + " optimizer of a slice of " + sliceLength
          + " floats, which expects " + type + " state of " + HEADER_BYTES
          + " bytes (never used) or " + usedBytes + " bytes (used)");
    }
    if (state[1] == NEVER_USED) {
      return null;
    }
    return ByteBuffer.wrap(state, HEADER_BYTES, state.length - HEADER_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Checks that {@code state} is the empty state of a rule without state.
   *
   * @throws IllegalArgumentException naming the expected and actual sizes if it is not empty
   */
  static void requireEmpty(byte[] state, OptimizerType type, int sliceLength) {
    if (state.length != 0) {
      throw new IllegalArgumentException("cannot load " + describe(state) + " of "
          + state.length + " bytes into the " + type + " optimizer of a slice of " + sliceLength
          + " floats, which has no state and expects 0 bytes");
    }
  }

  /** Reads {@code n} floats as raw bits into a new array. */
  static float[] getFloats(ByteBuffer in, int n) {
    float[] values = new float[n];
    in.asFloatBuffer().get(values);
    in.position(in.position() + Float.BYTES * n);
    return values;
  }

  private static String describe(byte[] state) {
    if (state.length < HEADER_BYTES) {
      return "state without header (a stateless SGD saves none)";
    }
    int id = state[0] & 0xff;
    OptimizerType[] types = OptimizerType.values();
    String saver = id < types.length ? types[id] + " state" : "state of unknown type " + id;
    String flag = state[1] == NEVER_USED ? "never used"
        : state[1] == HAS_STATE ? "used" : "bad flag " + state[1];
    return saver + " (" + flag + ")";
  }
}
