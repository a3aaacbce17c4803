package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Primary to backup: one step the primary applied to a slice, to be applied the same way
 * (same optimizer call on the same floats, so the copies stay equal bit for bit). Answered
 * with {@link Ack}, or {@link Failure} when the receiver is not a backup of the slice at this
 * epoch (the sender is then a stale primary) or the step does not follow its version.
 *
 * @param version the slice's version after the step
 * @param group the worker group whose step it was, and {@code step} its number
 * @param shares worker gradients the step summed
 * @param scale the factor of a dense {@code gradient} (1 / examples)
 * @param rows the rows of a sparse step, or null for a dense one; then {@code gradient}
 *     holds those rows' mean gradients
 */
public record Replicate(long requestId, int paramId, int sliceId, long epoch, long version,
    int group, long step, int shares, float scale, int[] rows, FloatPayload gradient)
    implements Message, HoldsFloats {
  /** A step whose gradient is the whole of {@code gradient}, which is not copied. */
  public Replicate(long requestId, int paramId, int sliceId, long epoch, long version,
      int group, long step, int shares, float scale, int[] rows, float[] gradient) {
    this(requestId, paramId, sliceId, epoch, version, group, step, shares, scale, rows,
        FloatPayload.of(gradient));
  }

  @Override public FloatPayload floats() { return gradient; }

  /** The same step as request {@code id}. */
  public Replicate withRequestId(long id) {
    return new Replicate(id, paramId, sliceId, epoch, version, group, step, shares, scale, rows,
        gradient);
  }

  @Override public MessageType type() { return MessageType.REPLICATE; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, version); }

  @Override
  public int payloadLength() {
    return 2 * Long.BYTES + 2 * Integer.BYTES + Float.BYTES + 1
        + (rows == null ? 0 : Ints.length(rows)) + gradient.length() * Float.BYTES;
  }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeLong(epoch);
    out.writeLong(step);
    out.writeInt(group);
    out.writeInt(shares);
    out.writeFloat(scale);
    out.writeBoolean(rows != null);
    if (rows != null) {
      Ints.write(out, rows);
    }
    gradient.writeTo(out);
  }

  static Replicate read(Header h, ByteBuf in) {
    long epoch = in.readLong();
    long step = in.readLong();
    int group = in.readInt();
    int shares = in.readInt();
    float scale = in.readFloat();
    int[] rows = in.readBoolean() ? Ints.read(in) : null;
    return new Replicate(h.requestId(), h.paramId(), h.sliceId(), epoch, h.version(), group,
        step, shares, scale, rows, FloatPayload.readRest(in));
  }
}
