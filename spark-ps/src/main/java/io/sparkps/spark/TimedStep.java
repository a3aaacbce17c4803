package io.sparkps.spark;

import io.sparkps.model.Batch;

/**
 * One way of running a training step against the servers, keeping the time it spends in
 * each phase: an implementation calls {@link #begin} as a step starts, then {@link #pulled},
 * {@link #computed} and {@link #pushed} as each of its phases ends, so that every phase's time
 * runs from the end of the one before.
 */
abstract class TimedStep implements AutoCloseable {
  private long pullNanos;
  private long computeNanos;
  private long pushNanos;
  private long mark;

  /** Computes and pushes one step; returns the batch's mean loss. */
  abstract double step(Batch batch, long step, int examples);

  abstract long minClock();

  /** The step this task starts at: the first one its group has not applied on every slice. */
  abstract long firstStep();

  @Override
  public void close() {}

  final void begin() {
    mark = System.nanoTime();
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
