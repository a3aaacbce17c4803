package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Worker 0 to a slice's primary, at the start of step {@code step} of worker group {@code
 * group}: copy the slice now — values, optimizer state, version, every group's next step —
 * and write that copy to {@code path} through Hadoop's FileSystem, in the background. Refused
 * ({@link Failure.Kind#FATAL}) when the group's next step on this slice is not {@code step},
 * which would not make a consistent cut. Answered with {@link Ack} as soon as the copy is
 * taken; {@link CheckpointWritten} then asks for the end of the write.
 *
 * <pre>
 * header.version = step
 * payload: group (int32) | path (int32 length + UTF-8)
 * </pre>
 */
public record Checkpoint(long requestId, int paramId, int sliceId, int group, long step,
    String path) implements Message {
  @Override public MessageType type() { return MessageType.CHECKPOINT; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, step); }
  @Override public int payloadLength() { return Integer.BYTES + Floats.stringLength(path); }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeInt(group);
    Floats.writeString(out, path);
  }

  static Checkpoint read(Header h, ByteBuf in) {
    int group = in.readInt();
    return new Checkpoint(h.requestId(), h.paramId(), h.sliceId(), group, h.version(),
        Floats.readString(in));
  }
}
