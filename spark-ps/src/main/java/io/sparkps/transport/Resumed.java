package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * The answer to {@link Resume}.
 *
 * @param nextStep the first step of the group this slice has not applied
 * @param clock steps completed by the slowest worker group the slice serves
 * @param exact whether {@code values} are the values at the start of the step asked for (always
 *     for {@link Resume#NEXT}); false when the slice no longer has them and sent its values now
 * @param values the values, or an empty array when not asked for
 */
public record Resumed(long requestId, int paramId, int sliceId, long nextStep, long clock,
    boolean exact, float[] values) implements Message {
  @Override public MessageType type() { return MessageType.RESUMED; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, nextStep); }
  @Override public int payloadLength() { return Long.BYTES + 1 + values.length * Float.BYTES; }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeLong(clock);
    out.writeBoolean(exact);
    Floats.write(out, values);
  }

  static Resumed read(Header h, ByteBuf in) {
    long clock = in.readLong();
    boolean exact = in.readBoolean();
    return new Resumed(h.requestId(), h.paramId(), h.sliceId(), h.version(), clock, exact,
        Floats.readRest(in));
  }
}
