package io.sparkps.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link TrainingListener} that keeps a fit's events in a queue for another thread to take:
 * how the PySpark wrapper hears a fit that it runs on a background thread, by polling from the
 * thread that called {@code fit} (where a notebook's display lives), without a Py4J callback
 * server.
 *
 * <p>The queue is bounded for the events that come at an interval within an epoch: when it
 * already holds {@code capacity} events, such an event is dropped (and counted in {@link
 * #dropped()}), so that a reader that stopped reading cannot make the driver hold a growing
 * backlog. The fit's start, every epoch's end and the fit's end are always kept: there are
 * at most {@code maxEpochs + 2} of them per fit, and they are what a reader must not miss.
 * Adding never blocks the driver's listener thread. Thread safe.
 *
 * <pre>{@code
 * ProgressQueue queue = new ProgressQueue(256);
 * trainer.addListener(queue);
 * // on another thread, while the fit runs:
 * Object event = queue.poll(200);  // TrainingStart, TrainingProgress, TrainingSummary or null
 * }</pre>
 */
public final class ProgressQueue implements TrainingListener {

  private final int capacity;
  private final Deque<Object> events = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition added = lock.newCondition();
  private long dropped;
  private boolean ended;

  /** A queue that keeps up to {@code capacity} events before dropping those within epochs. */
  public ProgressQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public void fitStarted(TrainingStart start) {
    add(start, true);
  }

  @Override
  public void progressed(TrainingProgress progress) {
    add(progress, progress.epochEnded());
  }

  @Override
  public void fitEnded(TrainingSummary summary) {
    lock.lock();
    try {
      ended = true;
    } finally {
      lock.unlock();
    }
    add(summary, true);
  }

  /**
   * The oldest event not yet taken, waiting up to {@code timeoutMillis} for one: a {@link
   * TrainingStart}, {@link TrainingProgress} or {@link TrainingSummary}, or null when none came
   * in time.
   */
  public Object poll(long timeoutMillis) throws InterruptedException {
    long left = TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
    lock.lock();
    try {
      while (events.isEmpty()) {
        if (left <= 0) {
          return null;
        }
        left = added.awaitNanos(left);
      }
      return events.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #fitEnded} was heard (its summary may still wait in the queue). */
  public boolean ended() {
    lock.lock();
    try {
      return ended;
    } finally {
      lock.unlock();
    }
  }

  /** Events within epochs dropped because the queue was full. */
  public long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  private void add(Object event, boolean keep) {
    lock.lock();
    try {
      if (!keep && events.size() >= capacity) {
        dropped++;
        return;
      }
      events.addLast(event);
      added.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
