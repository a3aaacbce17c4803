package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * Training task to the driver, at the epoch-end gate of a fit that has one: worker {@code
 * worker} of run {@code run} has finished epoch {@code epoch} (every step answered) with these
 * figures. Answered with {@link EpochDecided} once every worker's figures for the epoch are in,
 * or with a {@link Failure}. Sending the same (run, worker, epoch) again gets the same answer.
 *
 * <pre>
 * header: source = worker, version = run, requestId
 * payload: int epoch | int n | n doubles
 * </pre>
 */
public record EpochEnd(long requestId, long run, int worker, int epoch, double[] figures)
    implements Message {
  @Override public MessageType type() { return MessageType.EPOCH_END; }
  @Override public Header header() { return new Header(worker, 0, 0, 0, run, requestId); }
  @Override public int payloadLength() {
    return 2 * Integer.BYTES + figures.length * Double.BYTES;
  }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeInt(epoch);
    out.writeInt(figures.length);
    for (double f : figures) {
      out.writeDouble(f);
    }
  }

  static EpochEnd read(Header h, ByteBuf in) {
    int epoch = in.readInt();
    int n = in.readInt();
    if (n < 0 || (long) n * Double.BYTES > in.readableBytes()) {
      throw new CorruptedFrameException("EPOCH_END says " + n + " figures, but "
          + in.readableBytes() + " bytes follow");
    }
    double[] figures = new double[n];
    for (int i = 0; i < n; i++) {
      figures[i] = in.readDouble();
    }
    return new EpochEnd(h.requestId(), h.version(), h.source(), epoch, figures);
  }
}
