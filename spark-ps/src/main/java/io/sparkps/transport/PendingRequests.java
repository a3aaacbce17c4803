package io.sparkps.transport;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Requests waiting for their answers, by request id, each with a deadline. One periodic sweep
 * fails the overdue ones: a timer task per request would cost more than the request itself on
 * the hot path, and would stay queued long after its answer arrived.
 */
public final class PendingRequests {
  private record Entry(CompletableFuture<Message> future, long deadlineNanos) {}

  private final Map<Long, Entry> pending = new ConcurrentHashMap<>();
  private final long timeoutNanos;
  private final String peer;
  private ScheduledFuture<?> sweeper;

  /** @param peer who answers, for the timeout message */
  public PendingRequests(long timeoutMs, String peer) {
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    this.peer = peer;
  }

  /** Sweeps on {@code timer} every tenth of the timeout (at least every 10 ms, at most 1 s). */
  public synchronized void startSweeping(ScheduledExecutorService timer) {
    long period = Math.max(10, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 10));
    sweeper = timer.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  /** A future for request {@code id}, removed from here once it completes in any way. */
  public CompletableFuture<Message> add(long id) {
    CompletableFuture<Message> future = new CompletableFuture<>();
    pending.put(id, new Entry(future, System.nanoTime() + timeoutNanos));
    future.whenComplete((m, e) -> pending.remove(id));
    return future;
  }

  /** The future of request {@code id}, or null when it already completed or timed out. */
  public CompletableFuture<Message> get(long id) {
    Entry e = pending.get(id);
    return e == null ? null : e.future;
  }

  public void failAll(Function<Long, Throwable> cause) {
    for (Map.Entry<Long, Entry> e : pending.entrySet()) {
      e.getValue().future.completeExceptionally(cause.apply(e.getKey()));
    }
  }

  void sweep() {
    long now = System.nanoTime();
    for (Iterator<Entry> it = pending.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (now - e.deadlineNanos > 0) {
        e.future.completeExceptionally(new TimeoutException("no answer from " + peer + " within "
            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (spark.ps.rpc.timeout)"));
      }
    }
  }

  public synchronized void stop() {
    if (sweeper != null) {
      sweeper.cancel(false);
    }
  }
}
