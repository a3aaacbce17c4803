package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import io.sparkps.config.OptimizerConfig;

/**
 * Creates a slice as {@link CreateSlice} does, but from a checkpoint file a server wrote for
 * {@link Checkpoint}: its values, optimizer state, version and every group's next step come
 * from {@code path}, read through Hadoop's FileSystem. Answered with {@link Ack}, or a {@link
 * Failure} saying why the file cannot be loaded (missing, truncated, another length or group
 * count).
 *
 * <pre>
 * payload: optimizer | setup | length (int32) | path (int32 length + UTF-8)
 * </pre>
 *
 * @param length floats the slice must have
 */
public record LoadSlice(long requestId, int paramId, int sliceId, OptimizerConfig optimizer,
    SliceSetup setup, int length, String path) implements Message {
  @Override public MessageType type() { return MessageType.LOAD_SLICE; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, 0); }

  @Override
  public int payloadLength() {
    return CreateSlice.OPTIMIZER_BYTES + setup.encodedLength() + Integer.BYTES
        + Floats.stringLength(path);
  }

  @Override
  public void writePayload(ByteBuf out) {
    CreateSlice.writeOptimizer(out, optimizer);
    setup.write(out);
    out.writeInt(length);
    Floats.writeString(out, path);
  }

  static LoadSlice read(Header h, ByteBuf in) {
    OptimizerConfig optimizer = CreateSlice.readOptimizer(in);
    SliceSetup setup = SliceSetup.read(in);
    int length = in.readInt();
    if (length < 0) {
      throw new CorruptedFrameException("LOAD_SLICE of " + length + " floats");
    }
    return new LoadSlice(h.requestId(), h.paramId(), h.sliceId(), optimizer, setup, length,
        Floats.readString(in));
  }
}
