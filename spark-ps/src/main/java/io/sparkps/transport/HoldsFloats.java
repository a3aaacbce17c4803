package io.sparkps.transport;

/**
 * A message whose floats may lie in the received frame ({@link FloatPayload}). The last
 * handlers of the pipelines release them once the message was handled ({@link #release}); a
 * message made from arrays holds nothing to release. (Not Netty's ReferenceCounted: the
 * message types are public API, and those who use them need not compile against Netty.)
 */
interface HoldsFloats {
  /** The floats that may be frame bytes. */
  FloatPayload floats();

  /** Releases the frame bytes {@code msg} holds, if it is a message that may hold some. */
  static void release(Object msg) {
    if (msg instanceof HoldsFloats h) {
      h.floats().release(1);
    }
  }
}
