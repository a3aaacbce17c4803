package io.sparkps.server;

import io.sparkps.server.optim.Optimizer;
import io.sparkps.transport.Update;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One slice on a server: its values, version, optimizer state, the gradient shares of steps not
 * yet complete, and the GETs waiting for a version. All methods lock the slice; callers answer
 * outside of it through the returned {@link Reply} lists.
 */
final class SliceState {
  /** Somebody waiting for the slice's values. */
  interface Reply {
    void values(long version, float[] values);
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

  private record Waiter(long minVersion, Reply reply) {}

  private final float[] values;
  private final Optimizer optimizer;
  private final int sharesPerStep;
  private final Map<StepKey, Aggregate> open = new HashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private long version;
  private long updatesReceived;
  private long duplicatesDropped;

  SliceState(float[] values, Optimizer optimizer, int sharesPerStep) {
    this.values = values;
    this.optimizer = optimizer;
    this.sharesPerStep = sharesPerStep;
  }

  int length() {
    return values.length;
  }

  /** The values at a version. */
  record Snapshot(long version, float[] values) {}

  /** Answers at once if the slice has {@code minVersion}; otherwise parks the reply. */
  synchronized Snapshot getOrWait(long minVersion, Reply reply) {
    if (version >= minVersion) {
      return new Snapshot(version, values.clone());
    }
    waiters.add(new Waiter(minVersion, reply));
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
   * gradient, bumps the version and answers every share of that step and every GET the new
   * version satisfies. A share from a worker already counted for that step is dropped (a
   * retried task), but its sender still gets the answer.
   */
  void update(Update u, Reply reply) {
    if (u.gradientSum().length != values.length) {
      throw new IllegalArgumentException("UPDATE of param " + u.paramId() + " slice "
          + u.sliceId() + " has " + u.gradientSum().length + " floats, the slice has "
          + values.length);
    }
    List<Reply> toAnswer;
    float[] snapshot;
    long newVersion;
    synchronized (this) {
      updatesReceived++;
      StepKey key = new StepKey(u.group(), u.step());
      Aggregate agg = open.computeIfAbsent(key, k -> new Aggregate(values.length));
      agg.replies.add(reply);
      if (!agg.workers.add(u.workerId())) {
        duplicatesDropped++;
        return;
      }
      float[] g = u.gradientSum();
      float[] sum = agg.sum;
      for (int i = 0; i < sum.length; i++) {
        sum[i] += g[i];
      }
      agg.shares += u.shares();
      agg.examples += u.examples();
      if (agg.shares < sharesPerStep) {
        return;
      }
      open.remove(key);
      float scale = agg.examples > 0 ? 1f / agg.examples : 0f;
      for (int i = 0; i < sum.length; i++) {
        sum[i] *= scale;
      }
      optimizer.apply(values, sum);
      version++;
      newVersion = version;
      snapshot = values.clone();
      toAnswer = agg.replies;
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.minVersion <= version) {
          toAnswer.add(w.reply);
          it.remove();
        }
      }
    }
    for (Reply r : toAnswer) {
      r.values(newVersion, snapshot);
    }
  }

  synchronized long updatesReceived() {
    return updatesReceived;
  }

  synchronized long duplicatesDropped() {
    return duplicatesDropped;
  }

  /** Bytes held: values plus optimizer state. */
  long bytes() {
    return (long) values.length * Float.BYTES + optimizer.stateBytes();
  }
}
