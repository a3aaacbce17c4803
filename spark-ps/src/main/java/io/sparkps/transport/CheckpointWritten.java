package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Worker 0 to a slice's primary, after its {@link Checkpoint} was answered: answered with
 * {@link Ack} once the copy it took is complete under {@code path}, or with {@link Failure}
 * when the write failed or this server took no copy for that path (the slice moved to another
 * server meanwhile).
 *
 * <pre>
 * payload: path (int32 length + UTF-8)
 * </pre>
 */
public record CheckpointWritten(long requestId, int paramId, int sliceId, String path)
    implements Message {
  @Override public MessageType type() { return MessageType.CHECKPOINT_WRITTEN; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, 0); }
  @Override public int payloadLength() { return Floats.stringLength(path); }

  @Override
  public void writePayload(ByteBuf out) {
    Floats.writeString(out, path);
  }

  static CheckpointWritten read(Header h, ByteBuf in) {
    return new CheckpointWritten(h.requestId(), h.paramId(), h.sliceId(), Floats.readString(in));
  }
}
