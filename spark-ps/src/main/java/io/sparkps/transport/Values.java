package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * The values of a slice at a version: the answer to {@link Get}, {@link Update} and {@link
 * Sync}.
 *
 * @param version updates applied to the slice on this server
 * @param clock steps completed by the slowest worker group the slice's server serves
 */
public record Values(long requestId, int paramId, int sliceId, long version, long clock,
    float[] values) implements Message {

  public Values(long requestId, int paramId, int sliceId, long version, float[] values) {
    this(requestId, paramId, sliceId, version, 0, values);
  }

  @Override public MessageType type() { return MessageType.VALUES; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, version); }
  @Override public int payloadLength() { return Long.BYTES + values.length * Float.BYTES; }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeLong(clock);
    Floats.write(out, values);
  }

  static Values read(Header h, ByteBuf in) {
    long clock = in.readLong();
    return new Values(h.requestId(), h.paramId(), h.sliceId(), h.version(), clock,
        Floats.readRest(in));
  }
}
