package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * A gradient share for one slice at one step of one worker group, answered with the slice's
 * {@link Values} once the update it belongs to has been applied.
 *
 * @param workerId the sending worker (or the first of the workers a stub summed for)
 * @param step the group's step this share belongs to
 * @param group the worker group
 * @param shares how many workers' gradients are summed in {@code gradientSum}
 * @param examples how many examples those gradients were summed over
 * @param gradientSum the sum over examples of the per-example gradient
 */
public record Update(
    long requestId, int workerId, int paramId, int sliceId, long step, int group, int shares,
    int examples, float[] gradientSum) implements Message {

  @Override public MessageType type() { return MessageType.UPDATE; }

  @Override
  public Header header() {
    return new Header(workerId, 0, paramId, sliceId, step, requestId);
  }

  @Override public int payloadLength() { return 3 * Integer.BYTES + gradientSum.length * Float.BYTES; }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeInt(group);
    out.writeInt(shares);
    out.writeInt(examples);
    Floats.write(out, gradientSum);
  }

  static Update read(Header h, ByteBuf in) {
    return read(h, in, null);
  }

  /** Reads an UPDATE whose gradient goes into {@code spare} if it has the right length. */
  static Update read(Header h, ByteBuf in, float[] spare) {
    int group = in.readInt();
    int shares = in.readInt();
    int examples = in.readInt();
    return new Update(h.requestId(), h.source(), h.paramId(), h.sliceId(), h.version(), group,
        shares, examples, Floats.readRest(in, spare));
  }
}
