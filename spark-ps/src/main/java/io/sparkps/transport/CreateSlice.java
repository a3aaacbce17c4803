package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.OptimizerType;

/**
 * Creates (or replaces) a slice on a server with its initial values and the optimizer that
 * applies its updates. Answered with {@link Ack}.
 *
 * @param setup aggregation, consistency and sync settings of the slice
 */
public record CreateSlice(
    long requestId, int paramId, int sliceId, OptimizerConfig optimizer, SliceSetup setup,
    float[] values) implements Message {

  /** A plain slice: one group of {@code sharesPerStep} workers, no staleness bound, no sync. */
  public CreateSlice(long requestId, int paramId, int sliceId, OptimizerConfig optimizer,
      int sharesPerStep, float[] values) {
    this(requestId, paramId, sliceId, optimizer, SliceSetup.single(sharesPerStep), values);
  }

  // type; learningRate, l2, l1, momentum, beta1, beta2, epsilon, ftrlBeta
  static final int OPTIMIZER_BYTES = 1 + 8 * Float.BYTES;

  @Override public MessageType type() { return MessageType.CREATE_SLICE; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, 0); }

  @Override
  public int payloadLength() {
    return OPTIMIZER_BYTES + setup.encodedLength() + values.length * Float.BYTES;
  }

  @Override
  public void writePayload(ByteBuf out) {
    writeOptimizer(out, optimizer);
    setup.write(out);
    Floats.write(out, values);
  }

  static void writeOptimizer(ByteBuf out, OptimizerConfig optimizer) {
    out.writeByte(optimizer.type().ordinal());
    out.writeFloat(optimizer.learningRate());
    out.writeFloat(optimizer.l2());
    out.writeFloat(optimizer.l1());
    out.writeFloat(optimizer.momentum());
    out.writeFloat(optimizer.beta1());
    out.writeFloat(optimizer.beta2());
    out.writeFloat(optimizer.epsilon());
    out.writeFloat(optimizer.ftrlBeta());
  }

  static CreateSlice read(Header h, ByteBuf in) {
    OptimizerConfig optimizer = readOptimizer(in);
    SliceSetup setup = SliceSetup.read(in);
    return new CreateSlice(h.requestId(), h.paramId(), h.sliceId(), optimizer, setup,
        Floats.readRest(in));
  }

  static OptimizerConfig readOptimizer(ByteBuf in) {
    int typeId = in.readByte();
    OptimizerType[] types = OptimizerType.values();
    if (typeId < 0 || typeId >= types.length) {
      throw new CorruptedFrameException("unknown optimizer id " + typeId);
    }
    OptimizerConfig optimizer = OptimizerConfig.builder(types[typeId])
        .learningRate(in.readFloat())
        .l2(in.readFloat())
        .l1(in.readFloat())
        .momentum(in.readFloat())
        .beta1(in.readFloat())
        .beta2(in.readFloat())
        .epsilon(in.readFloat())
        .ftrlBeta(in.readFloat())
        .build();
    return optimizer;
  }
}
