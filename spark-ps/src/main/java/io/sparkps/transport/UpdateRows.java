package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * A sparse gradient share: like {@link Update}, but for some rows of the slice only (row
 * indices within the slice, strictly increasing; possibly none, so that a synchronous group
 * still counts the share). {@code gradientRows} holds those rows' gradient sums, each of the
 * slice's row width. Answered with {@link Values} holding the same rows after the step.
 */
public record UpdateRows(
    long requestId, int workerId, int paramId, int sliceId, long step, int group, int shares,
    int examples, int[] rows, FloatPayload gradient) implements Message, HoldsFloats {

  /** An UPDATE_ROWS of the whole of {@code gradientRows}, which is not copied. */
  public UpdateRows(long requestId, int workerId, int paramId, int sliceId, long step,
      int group, int shares, int examples, int[] rows, float[] gradientRows) {
    this(requestId, workerId, paramId, sliceId, step, group, shares, examples, rows,
        FloatPayload.of(gradientRows));
  }

  /** The rows' gradients as an array: a copy when they lie in a frame. */
  public float[] gradientRows() {
    return gradient.toArray();
  }

  @Override public FloatPayload floats() { return gradient; }

  @Override public MessageType type() { return MessageType.UPDATE_ROWS; }

  @Override
  public Header header() {
    return new Header(workerId, 0, paramId, sliceId, step, requestId);
  }

  @Override
  public int payloadLength() {
    return 3 * Integer.BYTES + Ints.length(rows) + gradient.length() * Float.BYTES;
  }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeInt(group);
    out.writeInt(shares);
    out.writeInt(examples);
    Ints.write(out, rows);
    gradient.writeTo(out);
  }

  static UpdateRows read(Header h, ByteBuf in) {
    int group = in.readInt();
    int shares = in.readInt();
    int examples = in.readInt();
    int[] rows = Ints.read(in);
    return new UpdateRows(h.requestId(), h.source(), h.paramId(), h.sliceId(), h.version(),
        group, shares, examples, rows, FloatPayload.readRest(in));
  }
}
