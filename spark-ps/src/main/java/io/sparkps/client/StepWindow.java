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
  /** Stores a slice's answer: {@code slice} indexes the param set's slices. */
  @FunctionalInterface
  interface Store {
    void store(int slice, Values answer);
  }

  /** One pushed step: the answer of each slice it went to. */
  private record Step(int[] slices, List<CompletableFuture<Values>> answers, boolean[] taken) {
    boolean allTaken() {
      for (boolean t : taken) {
        if (!t) {
          return false;
        }
      }
      return true;
    }
  }

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
    steps.addLast(new Step(slices, answers, new boolean[slices.length]));
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
      steps.removeFirst();
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
    steps.removeFirst();
    takeArrived(timeoutMs);
  }

  /** Waits for every step's answers and takes them. */
  public void awaitAll(long timeoutMs) {
    while (!steps.isEmpty()) {
      awaitOldest(timeoutMs);
    }
  }
}
