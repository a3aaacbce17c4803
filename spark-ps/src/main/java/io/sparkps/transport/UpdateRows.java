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
    int examples, int[] rows, float[] gradientRows) implements Message {

  @Override public MessageType type() { return MessageType.UPDATE_ROWS; }

  @Override
  public Header header() {
    return new Header(workerId, 0, paramId, sliceId, step, requestId);
  }

  @Override
  public int payloadLength() {
    return 3 * Integer.BYTES + Ints.length(rows) + gradientRows.length * Float.BYTES;
  }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeInt(group);
    out.writeInt(shares);
    out.writeInt(examples);
    Ints.write(out, rows);
    Floats.write(out, gradientRows);
  }

  static UpdateRows read(Header h, ByteBuf in) {
    int group = in.readInt();
    int shares = in.readInt();
    int examples = in.readInt();
    int[] rows = Ints.read(in);
    return new UpdateRows(h.requestId(), h.source(), h.paramId(), h.sliceId(), h.version(),
        group, shares, examples, rows, Floats.readRest(in));
  }
}
