package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Training task to the driver, one way: where worker {@code worker} stands in epoch {@code
 * epoch} of the fit. Counts are the task's own in that epoch so far (a later report of the same
 * epoch replaces an earlier one), so reports that could not be sent at once are coalesced by
 * keeping the newest of each epoch, and a task run again replaces what its earlier attempt said.
 *
 * <pre>
 * header: source = worker, version = run, requestId = 0
 * payload: int attempt | int epoch | byte epochEnded | long steps | long examples
 *          | double lossSum
 * </pre>
 *
 * @param run the run of the training stage (Spark's stage id and attempt number)
 * @param attempt which attempt of the worker's task this is: higher replaces lower
 * @param epoch the epoch, counted from 0
 * @param epochEnded whether the task finished that epoch's steps
 * @param steps steps of the epoch the task ran
 * @param examples examples of those steps
 * @param lossSum sum over those steps of the batch's mean loss times its examples
 */
public record ProgressReport(long run, int worker, int attempt, int epoch, boolean epochEnded,
    long steps, long examples, double lossSum) implements Message {
  @Override public MessageType type() { return MessageType.PROGRESS_REPORT; }
  @Override public Header header() { return new Header(worker, 0, 0, 0, run, 0); }
  @Override public int payloadLength() {
    return 2 * Integer.BYTES + 1 + 2 * Long.BYTES + Double.BYTES;
  }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeInt(attempt);
    out.writeInt(epoch);
    out.writeByte(epochEnded ? 1 : 0);
    out.writeLong(steps);
    out.writeLong(examples);
    out.writeDouble(lossSum);
  }

  static ProgressReport read(Header h, ByteBuf in) {
    int attempt = in.readInt();
    int epoch = in.readInt();
    boolean ended = in.readByte() != 0;
    long steps = in.readLong();
    long examples = in.readLong();
    return new ProgressReport(h.version(), h.source(), attempt, epoch, ended, steps, examples,
        in.readDouble());
  }
}
