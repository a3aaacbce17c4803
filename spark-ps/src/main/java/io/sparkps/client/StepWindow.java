package io.sparkps.client;

import io.sparkps.transport.Values;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The steps a worker has pushed and not yet taken every answer of, oldest first: the window
 * that lets a worker compute its next step while earlier ones are on the wire. Answers are
 * taken on the worker's thread, never on the network's, and for each slice in the order the
 * steps were pushed, so that a slice's values never go back to an earlier step even when its
 * answers arrive out of order (resent after a failover). Not thread safe: one per worker.
 */
public final class StepWindow {
  /** How many of the last round trips {@link #minRoundTripNanos} looks at. */
  static final int ROUND_TRIPS_KEPT = 64;

  /** Stores a slice's answer: {@code slice} indexes the param set's slices. */
  @FunctionalInterface
  interface Store {
    void store(int slice, Values answer);
  }

  /**
   * One pushed step: the answer of each slice it went to, when it was sent, and when its last
   * answer arrived (set on the network's thread; 0 until then).
   */
  private static final class Step {
    final int[] slices;
    final List<CompletableFuture<Values>> answers;
    final boolean[] taken;
    final long sent = System.nanoTime();
    volatile long arrived;

    Step(int[] slices, List<CompletableFuture<Values>> answers) {
      this.slices = slices;
      this.answers = answers;
      this.taken = new boolean[slices.length];
      CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0]))
          .whenComplete((v, e) -> arrived = System.nanoTime());
    }

    boolean allTaken() {
      for (boolean t : taken) {
        if (!t) {
          return false;
        }
      }
      return true;
    }
  }

  /** Round trips of the last steps answered, in nanoseconds; 0 where none yet. */
  private final long[] roundTrips = new long[ROUND_TRIPS_KEPT];
  private int roundTripCount;

  private final ArrayDeque<Step> steps = new ArrayDeque<>();
  private final boolean[] blocked;
  private final Store store;

  /** @param sliceCount how many slices the param set has */
  StepWindow(int sliceCount, Store store) {
    this.blocked = new boolean[sliceCount];
    this.store = store;
  }

  /** Adds a step just pushed: {@code answers.get(i)} is the answer of slice {@code slices[i]}. */
  void add(int[] slices, List<CompletableFuture<Values>> answers) {
    steps.addLast(new Step(slices, answers));
  }

  /** Steps pushed and not yet answered in full. */
  public int size() {
    return steps.size();
  }

  /**
   * Takes every answer that has arrived, without waiting, as long as each slice's answers of
   * earlier steps were taken; a failed answer throws.
   */
  public void takeArrived(long timeoutMs) {
    java.util.Arrays.fill(blocked, false);
    for (Step step : steps) {
      for (int i = 0; i < step.slices.length; i++) {
        int slice = step.slices[i];
        if (step.taken[i] || blocked[slice]) {
          continue;
        }
        CompletableFuture<Values> answer = step.answers.get(i);
        if (answer.isDone()) {
          store.store(slice, PsClient.await(answer, timeoutMs));
          step.taken[i] = true;
        } else {
          blocked[slice] = true;
        }
      }
    }
    while (!steps.isEmpty() && steps.peekFirst().allTaken()) {
      done(steps.removeFirst());
    }
  }

  /**
   * The shortest round trip, from push to last answer, of the last {@value #ROUND_TRIPS_KEPT}
   * steps answered: the network's and the servers' time without the queueing that steps in
   * flight add; 0 before any step was answered.
   */
  public long minRoundTripNanos() {
    long min = 0;
    for (int i = 0; i < Math.min(roundTripCount, roundTrips.length); i++) {
      min = min == 0 ? roundTrips[i] : Math.min(min, roundTrips[i]);
    }
    return min;
  }

  private void done(Step step) {
    long arrived = step.arrived;
    if (arrived > 0) {
      roundTrips[roundTripCount++ % roundTrips.length] = Math.max(1, arrived - step.sent);
    }
  }

  /** Waits for the oldest step's answers (each up to the timeout) and takes them. */
  public void awaitOldest(long timeoutMs) {
    Step oldest = steps.peekFirst();
    if (oldest == null) {
      return;
    }
    for (int i = 0; i < oldest.slices.length; i++) {
      if (!oldest.taken[i]) {
        store.store(oldest.slices[i], PsClient.await(oldest.answers.get(i), timeoutMs));
        oldest.taken[i] = true;
      }
    }
    done(steps.removeFirst());
    takeArrived(timeoutMs);
  }

  /** Waits for every step's answers and takes them. */
  public void awaitAll(long timeoutMs) {
    while (!steps.isEmpty()) {
      awaitOldest(timeoutMs);
    }
  }
}
