package io.sparkps.spark;

/**
 * One way of running a training step against the servers, keeping the time it spends in
 * each phase: an implementation calls {@link #begin} as a step starts, then {@link #batched},
 * {@link #pulled}, {@link #computed} and {@link #pushed} as each of its phases ends, so that
 * every phase's time runs from the end of the one before. Pull and push time is the time the
 * worker waits on the network: for values it needs, for answers it must have before it goes on.
 */
abstract class TimedStep implements AutoCloseable {
  private long batchNanos;
  private long pullNanos;
  private long computeNanos;
  private long pushNanos;
  private long mark;

  /**
   * Computes and pushes step {@code step} over its batch from {@code batches}; returns the
   * batch's mean loss. The step's answers may still be in flight when it returns.
   */
  abstract double step(long step, int examples, StepBatches batches);

  /** Waits until every step pushed so far is answered and its answer taken. */
  abstract void settle();

  abstract long minClock();

  /**
   * The params to evaluate a chunk of validation rows with, once {@link #settle} returned: the
   * values the worker holds (dense), or the rows the chunk touches, pulled now (row-sparse).
   */
  abstract ValidationFigures.Scoring scoring(io.sparkps.model.Batch chunk);

  /** The step this task starts at: the first one its group has not applied on every slice. */
  abstract long firstStep();

  @Override
  public void close() {}

  final void begin() {
    mark = System.nanoTime();
  }

  final void batched() {
    long now = System.nanoTime();
    batchNanos += now - mark;
    mark = now;
  }

  final void pulled() {
    long now = System.nanoTime();
    pullNanos += now - mark;
    mark = now;
  }

  final void computed() {
    long now = System.nanoTime();
    computeNanos += now - mark;
    mark = now;
  }

  final void pushed() {
    long now = System.nanoTime();
    pushNanos += now - mark;
    mark = now;
  }

  final long batchNanos() {
    return batchNanos;
  }

  final long pullNanos() {
    return pullNanos;
  }

  final long computeNanos() {
    return computeNanos;
  }

  final long pushNanos() {
    return pushNanos;
  }
}
