package io.sparkps.transport;

import io.netty.util.ReferenceCounted;

/**
 * A message whose floats may lie in the received frame ({@link FloatPayload}): it is reference
 * counted like a buffer, so that Netty's handlers (and {@link
 * io.netty.util.ReferenceCountUtil#release}) free the frame once the message was handled. A
 * message made from arrays holds nothing; releasing it does nothing.
 */
interface HoldsFloats extends ReferenceCounted {
  /** The floats that may be frame bytes. */
  FloatPayload floats();

  @Override
  default int refCnt() {
    return floats().refCnt();
  }

  @Override
  default ReferenceCounted retain() {
    return retain(1);
  }

  @Override
  default ReferenceCounted retain(int increment) {
    floats().retain(increment);
    return this;
  }

  @Override
  default ReferenceCounted touch() {
    return this;
  }

  @Override
  default ReferenceCounted touch(Object hint) {
    return this;
  }

  @Override
  default boolean release() {
    return release(1);
  }

  @Override
  default boolean release(int decrement) {
    return floats().release(decrement);
  }
}
