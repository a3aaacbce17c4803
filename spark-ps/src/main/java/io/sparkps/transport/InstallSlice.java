package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import io.sparkps.config.OptimizerConfig;

/**
 * Primary to a new backup: a whole copy of a slice — values, optimizer state, version, the
 * next step of every worker group it serves and its counters — taken while the primary held
 * the slice's lock, so that the steps it forwards afterwards follow on from it. Answered with
 * {@link Ack}.
 *
 * @param groupSteps per served group, the first step not yet applied
 * @param sharesApplied worker gradients in the steps applied so far
 * @param optimizerState the optimizer's saved state
 */
public record InstallSlice(long requestId, int paramId, int sliceId, long epoch,
    OptimizerConfig optimizer, SliceSetup setup, long version, long[] groupSteps,
    long sharesApplied, byte[] optimizerState, float[] values) implements Message {
  /** The same copy as request {@code id}. */
  public InstallSlice withRequestId(long id) {
    return new InstallSlice(id, paramId, sliceId, epoch, optimizer, setup, version, groupSteps,
        sharesApplied, optimizerState, values);
  }

  @Override public MessageType type() { return MessageType.INSTALL_SLICE; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, version); }

  @Override
  public int payloadLength() {
    return Long.BYTES + CreateSlice.OPTIMIZER_BYTES + setup.encodedLength() + Integer.BYTES
        + groupSteps.length * Long.BYTES + Long.BYTES + Integer.BYTES + optimizerState.length
        + values.length * Float.BYTES;
  }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeLong(epoch);
    CreateSlice.writeOptimizer(out, optimizer);
    setup.write(out);
    out.writeInt(groupSteps.length);
    for (long s : groupSteps) {
      out.writeLong(s);
    }
    out.writeLong(sharesApplied);
    out.writeInt(optimizerState.length);
    out.writeBytes(optimizerState);
    Floats.write(out, values);
  }

  static InstallSlice read(Header h, ByteBuf in) {
    long epoch = in.readLong();
    OptimizerConfig optimizer = CreateSlice.readOptimizer(in);
    SliceSetup setup = SliceSetup.read(in);
    int groups = in.readInt();
    if (groups < 0 || (long) groups * Long.BYTES > in.readableBytes()) {
      throw new CorruptedFrameException("INSTALL_SLICE with " + groups + " groups, but only "
          + in.readableBytes() + " bytes remain");
    }
    long[] steps = new long[groups];
    for (int i = 0; i < groups; i++) {
      steps[i] = in.readLong();
    }
    long shares = in.readLong();
    int stateBytes = in.readInt();
    if (stateBytes < 0 || stateBytes > in.readableBytes()) {
      throw new CorruptedFrameException("INSTALL_SLICE with " + stateBytes + " state bytes, "
          + "but only " + in.readableBytes() + " remain");
    }
    byte[] state = new byte[stateBytes];
    in.readBytes(state);
    return new InstallSlice(h.requestId(), h.paramId(), h.sliceId(), epoch, optimizer, setup,
        h.version(), steps, shares, state, Floats.readRest(in));
  }
}
