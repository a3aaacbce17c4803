package io.sparkps.transport;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Requests waiting for their answers, by request id, each with a deadline. One periodic sweep
 * fails the overdue ones: a timer task per request would cost more than the request itself on
 * the hot path, and would stay queued long after its answer arrived.
 */
public final class PendingRequests {
  /**
   * One request waiting: its future, deadline and where its answer's floats go (or null).
   * Whoever completes it first claims it, so that an answer is never written into the sink
   * after the request timed out or failed (a retry may own the sink by then).
   */
  public static final class Entry {
    private final CompletableFuture<Message> future = new CompletableFuture<>();
    private final long deadlineNanos;
    private final FloatSink sink;
    private final AtomicBoolean claimed = new AtomicBoolean();

    private Entry(long deadlineNanos, FloatSink sink) {
      this.deadlineNanos = deadlineNanos;
      this.sink = sink;
    }

    public CompletableFuture<Message> future() {
      return future;
    }

    /** Where the answer's floats go, or null: the answer keeps its own array. */
    public FloatSink sink() {
      return sink;
    }

    private boolean claim() {
      return claimed.compareAndSet(false, true);
    }
  }

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
    return add(id, null);
  }

  /** The same, for a request whose answer's floats go to {@code sink} (null: none). */
  public CompletableFuture<Message> add(long id, FloatSink sink) {
    Entry entry = new Entry(System.nanoTime() + timeoutNanos, sink);
    pending.put(id, entry);
    entry.future.whenComplete((m, e) -> pending.remove(id));
    return entry.future;
  }

  /**
   * Request {@code id}, taken from here for its answer, or null when it already completed,
   * timed out or failed. The caller completes its future.
   */
  public Entry claim(long id) {
    Entry e = pending.remove(id);
    return e != null && e.claim() ? e : null;
  }

  public void failAll(Function<Long, Throwable> cause) {
    for (Map.Entry<Long, Entry> e : pending.entrySet()) {
      if (e.getValue().claim()) {
        e.getValue().future.completeExceptionally(cause.apply(e.getKey()));
      }
    }
  }

  void sweep() {
    long now = System.nanoTime();
    for (Iterator<Entry> it = pending.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (now - e.deadlineNanos > 0 && e.claim()) {
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
