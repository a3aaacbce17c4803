package io.sparkps.server;

import io.sparkps.server.optim.Optimizer;
import io.sparkps.transport.SliceSetup;
import io.sparkps.transport.Update;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One slice on a server: its values, version, optimizer state, the gradient shares of steps not
 * yet complete, the answers held back by the staleness bound, the GETs waiting for a version,
 * and, for a copy that is not the master, the state of its syncs with the master. All methods
 * lock the slice; answers and sync sends happen outside the lock, through {@link Effects}.
 */
final class SliceState {
  /** Somebody waiting for the slice's values. */
  interface Reply {
    void values(long version, long clock, float[] values);
  }

  /** The values at a version. */
  record Snapshot(long version, long clock, float[] values) {}

  /** What an update or a sync answer asks the caller to do once the lock is released. */
  record Effects(List<Reply> replies, Snapshot snapshot, float[] syncDelta,
      List<Runnable> flushed) {
    static final Effects NONE = new Effects(List.of(), null, null, List.of());

    void answer() {
      for (Reply r : replies) {
        r.values(snapshot.version(), snapshot.clock(), snapshot.values());
      }
      flushed.forEach(Runnable::run);
    }
  }

  private record StepKey(int group, long step) {}

  private static final class Aggregate {
    final float[] sum;
    final Set<Integer> workers = new HashSet<>();
    final List<Reply> replies = new ArrayList<>(2);
    int shares;
    long examples;

    Aggregate(int length) {
      sum = new float[length];
    }
  }

  private record Waiter(long minVersion, long minClock, Reply reply) {}

  private final float[] values;
  private final Optimizer optimizer;
  private final SliceSetup setup;
  private final long[] groupSteps;
  private final Map<StepKey, Aggregate> open = new HashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private long version;
  private long updatesReceived;
  private long sharesReceived;
  private long bytesReceived;
  private long duplicatesDropped;

  // Sync with the master copy (only when setup.master() is not empty).
  private final float[] lastSync;
  private final ArrayDeque<float[]> inFlight = new ArrayDeque<>();
  private int updatesSinceSync;
  private int maxInFlight;
  private long syncsSent;
  private final List<Runnable> flushWaiters = new ArrayList<>();

  SliceState(float[] values, Optimizer optimizer, SliceSetup setup) {
    this.values = values;
    this.optimizer = optimizer;
    this.setup = setup;
    this.groupSteps = new long[setup.numGroups()];
    this.lastSync = setup.master().isEmpty() ? null : values.clone();
  }

  int length() {
    return values.length;
  }

  SliceSetup setup() {
    return setup;
  }

  /** Steps completed by the slowest served group. */
  private long clock() {
    long min = Long.MAX_VALUE;
    for (long s : groupSteps) {
      min = Math.min(min, s);
    }
    return min;
  }

  /** Answers at once if the slice has {@code minVersion}; otherwise parks the reply. */
  synchronized Snapshot getOrWait(long minVersion, Reply reply) {
    if (version >= minVersion) {
      return new Snapshot(version, clock(), values.clone());
    }
    waiters.add(new Waiter(minVersion, -1, reply));
    return null;
  }

  synchronized long version() {
    return version;
  }

  /** Removes a parked reply (its request timed out); true if it was still parked. */
  synchronized boolean cancel(Reply reply) {
    return waiters.removeIf(w -> w.reply == reply);
  }

  /**
   * Adds one share. When the group's step has all its shares, applies the optimizer to the mean
   * gradient, bumps the version and releases every answer the new state allows: the shares of
   * that step (held back until the slowest group is within the staleness bound), and parked
   * GETs. A share from a worker already counted for that step is dropped (a retried task), but
   * its sender still gets the answer.
   */
  Effects update(Update u, Reply reply) {
    if (u.gradientSum().length != values.length) {
      throw new IllegalArgumentException("UPDATE of param " + u.paramId() + " slice "
          + u.sliceId() + " has " + u.gradientSum().length + " floats, the slice has "
          + values.length);
    }
    int g = u.group() - setup.firstGroup();
    if (g < 0 || g >= groupSteps.length) {
      throw new IllegalArgumentException("UPDATE from worker group " + u.group() + ", but this "
          + "server serves groups " + setup.firstGroup() + ".." + (setup.firstGroup()
          + groupSteps.length - 1));
    }
    synchronized (this) {
      updatesReceived++;
      sharesReceived += u.shares();
      bytesReceived += u.payloadLength();
      StepKey key = new StepKey(u.group(), u.step());
      Aggregate agg = open.computeIfAbsent(key, k -> new Aggregate(values.length));
      if (!agg.workers.add(u.workerId())) {
        duplicatesDropped++;
        agg.replies.add(reply);
        return Effects.NONE;
      }
      float[] grad = u.gradientSum();
      float[] sum = agg.sum;
      for (int i = 0; i < sum.length; i++) {
        sum[i] += grad[i];
      }
      agg.shares += u.shares();
      agg.examples += u.examples();
      long required = setup.staleness() == SliceSetup.UNBOUNDED ? -1
          : u.step() + 1 - setup.staleness();
      agg.replies.add(reply);
      if (agg.shares < setup.sharesPerStep()) {
        return Effects.NONE;
      }
      open.remove(key);
      float scale = agg.examples > 0 ? 1f / agg.examples : 0f;
      for (int i = 0; i < sum.length; i++) {
        sum[i] *= scale;
      }
      optimizer.apply(values, sum);
      version++;
      groupSteps[g] = Math.max(groupSteps[g], u.step() + 1);
      for (Reply r : agg.replies) {
        waiters.add(new Waiter(-1, required, r));
      }
      if (lastSync != null) {
        updatesSinceSync++;
      }
      return release(maybeSync(false));
    }
  }

  /** Collects every waiter the current version and clock satisfy. Holds the lock. */
  private Effects release(float[] syncDelta) {
    long clock = clock();
    List<Reply> ready = new ArrayList<>();
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.minVersion <= version && w.minClock <= clock) {
        ready.add(w.reply);
        it.remove();
      }
    }
    Snapshot snap = ready.isEmpty() && syncDelta == null ? null
        : new Snapshot(version, clock, values.clone());
    return new Effects(ready, snap, syncDelta, List.of());
  }

  /**
   * Starts a sync when due: after syncFreq local updates, or always when {@code force} (a
   * flush, which also refreshes this copy from the master), and while fewer than syncFreq syncs
   * are in flight. Returns the delta to send, or null. Holds the lock.
   */
  private float[] maybeSync(boolean force) {
    if (lastSync == null) {
      return null;
    }
    boolean due = force || updatesSinceSync >= setup.syncFreq();
    if (!due || inFlight.size() >= setup.syncFreq()) {
      return null;
    }
    float[] delta = new float[values.length];
    for (int i = 0; i < delta.length; i++) {
      delta[i] = values[i] - lastSync[i];
    }
    float[] sent = values.clone();
    System.arraycopy(sent, 0, lastSync, 0, sent.length);
    inFlight.addLast(sent);
    maxInFlight = Math.max(maxInFlight, inFlight.size());
    updatesSinceSync = 0;
    syncsSent++;
    return delta;
  }

  /**
   * The master answered the oldest sync in flight with its values {@code master}: this copy
   * becomes the master's plus the local change made since that sync was sent, i.e. everything
   * shifts by {@code master - sent}.
   */
  synchronized Effects syncAnswered(float[] master) {
    float[] sent = inFlight.pollFirst();
    if (sent == null) {
      return Effects.NONE;
    }
    for (int i = 0; i < values.length; i++) {
      float shift = master[i] - sent[i];
      values[i] += shift;
      lastSync[i] += shift;
    }
    for (float[] later : inFlight) {
      for (int i = 0; i < later.length; i++) {
        later[i] += master[i] - sent[i];
      }
    }
    float[] next = maybeSync(!flushWaiters.isEmpty() && updatesSinceSync > 0);
    List<Runnable> flushed = List.of();
    if (!flushWaiters.isEmpty() && inFlight.isEmpty() && updatesSinceSync == 0) {
      flushed = new ArrayList<>(flushWaiters);
      flushWaiters.clear();
    }
    return new Effects(List.of(), null, next, flushed);
  }

  /**
   * A sync failed: forget it, so that later ones are not blocked by it. Its change stays in
   * this copy but will not reach the master: the caller logs that.
   */
  synchronized Effects syncFailed() {
    inFlight.pollFirst();
    List<Runnable> flushed = List.of();
    if (!flushWaiters.isEmpty() && inFlight.isEmpty()) {
      flushed = new ArrayList<>(flushWaiters);
      flushWaiters.clear();
    }
    return new Effects(List.of(), null, null, flushed);
  }

  /**
   * Sends everything local to the master; {@code done} runs once no sync is in flight and no
   * local change is unsent (at once on a master copy).
   */
  synchronized Effects flush(Runnable done) {
    if (lastSync == null) {
      return new Effects(List.of(), null, null, List.of(done));
    }
    flushWaiters.add(done);
    // With nothing in flight, sync now, even an empty change, to take the master's latest.
    return new Effects(List.of(), null, inFlight.isEmpty() ? maybeSync(true) : null, List.of());
  }

  /** The master copy takes a non-master's delta. */
  synchronized Snapshot addDelta(float[] delta) {
    if (delta.length != values.length) {
      throw new IllegalArgumentException("SYNC has " + delta.length + " floats, the slice has "
          + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      values[i] += delta[i];
    }
    return new Snapshot(version, clock(), values.clone());
  }

  synchronized long updatesReceived() {
    return updatesReceived;
  }

  synchronized long sharesReceived() {
    return sharesReceived;
  }

  synchronized long bytesReceived() {
    return bytesReceived;
  }

  synchronized long duplicatesDropped() {
    return duplicatesDropped;
  }

  /** Most syncs that were ever in flight at once. */
  synchronized int maxSyncsInFlight() {
    return maxInFlight;
  }

  synchronized long syncsSent() {
    return syncsSent;
  }

  synchronized float[] valuesNow() {
    return values.clone();
  }

  /** Bytes held: values plus optimizer state. */
  long bytes() {
    return (long) values.length * Float.BYTES + optimizer.stateBytes();
  }
}
