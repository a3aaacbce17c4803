package io.sparkps.spark;

import io.sparkps.transport.ProgressReport;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the workers' {@link ProgressReport}s into the fit's {@link TrainingProgress} events.
 *
 * <p>It keeps, per (worker, epoch), the newest report of the newest attempt: a report counts
 * what its task did in that epoch so far, so a later one replaces an earlier one, and a task
 * run again (a retried task, a stage run again, elastic epochs) replaces, never adds to, what
 * its earlier attempt said. An epoch has ended once every worker's report of it says so; ended
 * epochs are announced once each, in order. Aggregation is the summary's: an epoch's loss is the
 * mean over the workers that had examples of each worker's example-weighted mean loss.
 *
 * <p>Between epoch ends, reports sent at spark.ps.progress.interval are announced as progress
 * within the epoch, at most once per half interval whatever the number of workers.
 */
final class ProgressTracker {
  /** What one attempt of one worker said about one epoch. */
  private record Entry(long run, int attempt, boolean ended, long steps, long examples,
      double lossSum) {}

  private final int workers;
  private final int maxEpochs;
  private final long examplesPerEpoch;
  private final long intervalNanos;
  private final TrainingEvents events;
  private final EpochGate gate;
  /** When the first step was about to run ({@link #started}). */
  private long start = System.nanoTime();
  private final Map<Long, Entry> entries = new HashMap<>();
  /** The next epoch to announce as ended. */
  private int nextEpoch;
  private long lastPeriodic = Long.MIN_VALUE;

  /**
   * @param examplesPerEpoch examples of one epoch over all workers, for the ETA
   * @param gate the fit's epoch-end gate, whose validation figures the end-of-epoch events
   *     carry; null without one
   */
  ProgressTracker(int workers, int maxEpochs, long examplesPerEpoch, long intervalMs,
      TrainingEvents events, EpochGate gate) {
    this.workers = workers;
    this.maxEpochs = maxEpochs;
    this.examplesPerEpoch = examplesPerEpoch;
    this.intervalNanos = intervalMs * 1_000_000L;
    this.events = events;
    this.gate = gate;
  }

  /** The training stage is about to start: elapsed time and pace count from now. */
  synchronized void started() {
    start = System.nanoTime();
  }

  synchronized void report(ProgressReport r) {
    if (r.worker() < 0 || r.worker() >= workers || r.epoch() < 0 || r.epoch() >= maxEpochs) {
      return;
    }
    long key = (long) r.epoch() * workers + r.worker();
    Entry old = entries.get(key);
    if (old != null && (old.run() > r.run() || old.run() == r.run()
        && (old.attempt() > r.attempt() || old.attempt() == r.attempt() && old.ended()))) {
      return; // an older attempt's, or a late one of an epoch its task already ended
    }
    entries.put(key, new Entry(r.run(), r.attempt(), r.epochEnded(), r.steps(), r.examples(),
        r.lossSum()));
    boolean announced = false;
    while (nextEpoch < maxEpochs && ended(nextEpoch)) {
      events.progressed(progress(nextEpoch, true));
      nextEpoch++;
      announced = true;
    }
    long now = System.nanoTime();
    if (!announced && !r.epochEnded() && r.epoch() >= nextEpoch
        && (lastPeriodic == Long.MIN_VALUE || now - lastPeriodic >= intervalNanos / 2)) {
      lastPeriodic = now;
      events.progressed(progress(r.epoch(), false));
    }
  }

  private boolean ended(int epoch) {
    for (int w = 0; w < workers; w++) {
      Entry e = entries.get((long) epoch * workers + w);
      if (e == null || !e.ended()) {
        return false;
      }
    }
    return true;
  }

  private TrainingProgress progress(int epoch, boolean epochEnded) {
    double lossSum = 0;
    int lossWorkers = 0;
    for (int w = 0; w < workers; w++) {
      Entry e = entries.get((long) epoch * workers + w);
      if (e != null && e.examples() > 0) {
        lossSum += e.lossSum() / e.examples();
        lossWorkers++;
      }
    }
    long examples = 0;
    for (Entry e : entries.values()) {
      examples += e.examples();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    double rate = elapsed > 0 ? examples / elapsed : Double.NaN;
    long left = Math.max(0, (long) maxEpochs * examplesPerEpoch - examples);
    double eta = rate > 0 ? left / rate : Double.NaN;
    double[] validation = epochEnded && gate != null ? gate.validation(epoch)
        : new double[] {Double.NaN, Double.NaN};
    return new TrainingProgress(epoch + 1, maxEpochs, epochEnded, examples,
        lossWorkers == 0 ? Double.NaN : lossSum / lossWorkers, rate, elapsed, eta,
        validation[0], gate == null ? null : gate.validationMetric(), validation[1]);
  }
}
