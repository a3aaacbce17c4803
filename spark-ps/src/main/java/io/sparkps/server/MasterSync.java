package io.sparkps.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * How a copy that is not the master of its slice keeps in step with the master (Distributed
 * Hogwild): every {@code syncFreq} local updates, while fewer than {@code syncFreq} syncs are in
 * flight, it sends its change since the last sync; the master adds it and answers with its
 * values, and this copy becomes the master's plus the local change made since. Not thread
 * safe: used under its slice's lock.
 */
final class MasterSync {
  private final int syncFreq;
  private final float[] lastSync;
  private final ArrayDeque<float[]> inFlight = new ArrayDeque<>();
  private final List<Runnable> flushWaiters = new ArrayList<>();
  private int updatesSinceSync;
  private int maxInFlight;
  private long syncsSent;

  MasterSync(float[] values, int syncFreq) {
    this.lastSync = values.clone();
    this.syncFreq = syncFreq;
  }

  /** One more local update. */
  void updated() {
    updatesSinceSync++;
  }

  /**
   * Starts a sync when due: after syncFreq local updates, or always when {@code force} (a
   * flush, which also refreshes this copy from the master), and while fewer than syncFreq syncs
   * are in flight. Returns the delta to send, or null.
   */
  float[] due(float[] values, boolean force) {
    boolean due = force || updatesSinceSync >= syncFreq;
    if (!due || inFlight.size() >= syncFreq) {
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
   * The master answered the oldest sync in flight with its values {@code master}: everything
   * shifts by {@code master - sent}. Returns the next delta to send, or null; false in {@code
   * answered[0]} when no sync was in flight.
   */
  float[] answered(float[] values, float[] master, boolean[] answered) {
    float[] sent = inFlight.pollFirst();
    answered[0] = sent != null;
    if (sent == null) {
      return null;
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
    return due(values, !flushWaiters.isEmpty() && updatesSinceSync > 0);
  }

  /** Forgets the oldest sync in flight: it failed, its change stays in this copy only. */
  void failed() {
    inFlight.pollFirst();
  }

  /**
   * Waits with {@code done} until everything local reached the master; returns the delta to
   * send now (even an empty change, to take the master's latest values), or null.
   */
  float[] flush(Runnable done, float[] values) {
    flushWaiters.add(done);
    return inFlight.isEmpty() ? due(values, true) : null;
  }

  /**
   * The flushes that are done, removed: with nothing in flight and, unless {@code
   * afterFailure}, no unsent local change.
   */
  List<Runnable> flushed(boolean afterFailure) {
    if (flushWaiters.isEmpty() || !inFlight.isEmpty()
        || (!afterFailure && updatesSinceSync != 0)) {
      return List.of();
    }
    List<Runnable> out = new ArrayList<>(flushWaiters);
    flushWaiters.clear();
    return out;
  }

  int maxInFlight() {
    return maxInFlight;
  }

  long syncsSent() {
    return syncsSent;
  }
}
