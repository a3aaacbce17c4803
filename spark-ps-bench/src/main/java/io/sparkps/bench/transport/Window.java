package io.sparkps.bench.transport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/** Runs asynchronous operations with a fixed number of them outstanding. */
final class Window {
  private Window() {}

  /**
   * Starts operations {@code 0..count-1}, at most {@code window} outstanding, and waits for all;
   * returns each one's latency in microseconds, from start to completion.
   *
   * @throws TimeoutException when they are not all done within {@code timeoutMs}
   * @throws IllegalStateException when an operation fails (its failure is the cause)
   */
  static double[] run(int count, int window, long timeoutMs,
      IntFunction<CompletableFuture<?>> operation) throws InterruptedException, TimeoutException {
    return run(count, window, timeoutMs, (i, lane) -> operation.apply(i));
  }

  /** An operation that may use state of its lane: no other outstanding one has that lane. */
  @FunctionalInterface
  interface Laned {
    /** Starts operation {@code i} in lane {@code lane}, of {@code [0, window)}. */
    CompletableFuture<?> start(int i, int lane);
  }

  /** The same, each operation with a lane of its own among the outstanding ones. */
  static double[] run(int count, int window, long timeoutMs, Laned operation)
      throws InterruptedException, TimeoutException {
    Semaphore slots = new Semaphore(window);
    ConcurrentLinkedQueue<Integer> lanes = new ConcurrentLinkedQueue<>();
    for (int l = 0; l < window; l++) {
      lanes.add(l);
    }
    AtomicReference<Throwable> failed = new AtomicReference<>();
    double[] latencyUs = new double[count];
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    for (int i = 0; i < count && failed.get() == null; i++) {
      if (!slots.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw new TimeoutException("operation " + i + " of " + count + " could not start "
            + "within " + timeoutMs + " ms");
      }
      int op = i;
      int lane = lanes.poll();
      long start = System.nanoTime();
      operation.start(i, lane).whenComplete((r, e) -> {
        latencyUs[op] = (System.nanoTime() - start) / 1e3;
        if (e != null) {
          failed.compareAndSet(null, e);
        }
        lanes.add(lane);
        slots.release();
      });
    }
    if (!slots.tryAcquire(window, deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
      throw new TimeoutException("operations of " + count + " not done within " + timeoutMs
          + " ms");
    }
    if (failed.get() != null) {
      throw new IllegalStateException("an operation failed: " + failed.get(), failed.get());
    }
    return latencyUs;
  }
}
