package io.sparkps.spark;

/**
 * How many steps a worker keeps in flight: as few as hide the round trip of a push behind the
 * computing of the steps after it, at most spark.ps.maxInFlight. Steps in flight cost
 * staleness (a step is computed from values that miss the worker's own latest steps), which
 * hurts some models more than others, so a worker whose step computes as long as its push
 * takes (an MLP) keeps about 2, and one whose step takes microseconds against a round trip of
 * a fraction of a millisecond (logistic regression) keeps the most allowed. The round trip is
 * the shortest of the last ones (the servers' and the network's time without the queueing
 * that steps in flight add: taking the mean would let a window grow itself), the compute time
 * a moving mean. Not thread safe: one per worker.
 */
final class InFlightLimit {
  /** Weight of a new compute time in the moving mean. */
  private static final double NEW_WEIGHT = 1.0 / 16;

  private final int max;
  private double computeNanos;

  /** @param max spark.ps.maxInFlight as the plan gives it, at least 1 */
  InFlightLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    this.max = max;
  }

  /** Records how long a step's gradient took to compute. */
  void computed(long nanos) {
    computeNanos = computeNanos == 0 ? nanos : computeNanos + NEW_WEIGHT * (nanos - computeNanos);
  }

  /**
   * The steps to keep in flight: {@code 1 + ceil(roundTrip / compute)}, between 1 and the
   * maximum; 1 before a round trip and a compute time are known.
   *
   * @param minRoundTripNanos the shortest recent round trip ({@link
   *     io.sparkps.client.StepWindow#minRoundTripNanos}), 0 when none is known
   */
  int size(long minRoundTripNanos) {
    if (max == 1 || minRoundTripNanos <= 0 || computeNanos <= 0) {
      return 1;
    }
    double hidden = Math.ceil(minRoundTripNanos / Math.max(computeNanos, 1.0));
    return (int) Math.min(max, 1 + hidden);
  }
}
