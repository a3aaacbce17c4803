package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * The values of a slice at a version: the answer to {@link Get}, {@link Update} and {@link
 * Sync}. Received, its floats stay in the frame until the {@link TransportClient} hands the
 * answer over: then they are an array (a new one, or the region of the caller's array the
 * request named, see {@link FloatSink}).
 *
 * @param version updates applied to the slice on this server
 * @param clock steps completed by the slowest worker group the slice's server serves
 */
public record Values(long requestId, int paramId, int sliceId, long version, long clock,
    FloatPayload payload) implements Message, HoldsFloats {

  public Values(long requestId, int paramId, int sliceId, long version, long clock,
      float[] values) {
    this(requestId, paramId, sliceId, version, clock, FloatPayload.of(values));
  }

  public Values(long requestId, int paramId, int sliceId, long version, float[] values) {
    this(requestId, paramId, sliceId, version, 0, values);
  }

  /**
   * The values as an array: the answer's own array when it has one of exactly its floats,
   * else a copy (of the caller's region, for an answer decoded into one).
   */
  public float[] values() {
    return payload.toArray();
  }

  /** The same answer with its floats written into {@code sink}, which it then views. */
  Values into(FloatSink sink) {
    sink.fill(payload);
    return with(sink.view());
  }

  /** The same answer with its floats in a new array, if they lie in a frame. */
  Values detached() {
    return payload.isBuffer() ? with(FloatPayload.of(payload.toArray())) : this;
  }

  /** The same answer with its floats in {@code floats}. */
  Values with(FloatPayload floats) {
    return new Values(requestId, paramId, sliceId, version, clock, floats);
  }

  @Override public FloatPayload floats() { return payload; }
  @Override public MessageType type() { return MessageType.VALUES; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, version); }
  @Override public int payloadLength() { return Long.BYTES + payload.length() * Float.BYTES; }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeLong(clock);
    payload.writeTo(out);
  }

  static Values read(Header h, ByteBuf in) {
    long clock = in.readLong();
    return new Values(h.requestId(), h.paramId(), h.sliceId(), h.version(), clock,
        FloatPayload.readRest(in));
  }
}
