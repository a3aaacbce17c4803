package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * A gradient share for one slice at one step of one worker group, answered with the slice's
 * {@link Values} once the update it belongs to has been applied. A received UPDATE keeps its
 * gradient in the frame ({@link FloatPayload}) and is released once handled.
 *
 * @param workerId the sending worker (or the first of the workers a stub summed for)
 * @param step the group's step this share belongs to
 * @param group the worker group
 * @param shares how many workers' gradients are summed in {@code gradient}
 * @param examples how many examples those gradients were summed over
 * @param gradient the sum over examples of the per-example gradient
 */
public record Update(
    long requestId, int workerId, int paramId, int sliceId, long step, int group, int shares,
    int examples, FloatPayload gradient) implements Message, HoldsFloats {

  /** An UPDATE of the whole of {@code gradientSum}, which is not copied. */
  public Update(long requestId, int workerId, int paramId, int sliceId, long step, int group,
      int shares, int examples, float[] gradientSum) {
    this(requestId, workerId, paramId, sliceId, step, group, shares, examples,
        FloatPayload.of(gradientSum));
  }

  /** The gradient as an array: a copy when it lies in a frame. */
  public float[] gradientSum() {
    return gradient.toArray();
  }

  @Override public FloatPayload floats() { return gradient; }
  @Override public MessageType type() { return MessageType.UPDATE; }

  @Override
  public Header header() {
    return new Header(workerId, 0, paramId, sliceId, step, requestId);
  }

  @Override public int payloadLength() { return 3 * Integer.BYTES + gradient.length() * Float.BYTES; }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeInt(group);
    out.writeInt(shares);
    out.writeInt(examples);
    gradient.writeTo(out);
  }

  static Update read(Header h, ByteBuf in) {
    int group = in.readInt();
    int shares = in.readInt();
    int examples = in.readInt();
    return new Update(h.requestId(), h.source(), h.paramId(), h.sliceId(), h.version(), group,
        shares, examples, FloatPayload.readRest(in));
  }
}
