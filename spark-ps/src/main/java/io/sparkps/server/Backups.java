package io.sparkps.server;

import io.sparkps.transport.Connection;
import io.sparkps.transport.InstallSlice;
import io.sparkps.transport.RemoteException;
import io.sparkps.transport.Replicate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A primary's links to the servers that follow one slice: its backups, whose acknowledgement a
 * step's answers wait for, and its learners, servers receiving the slice (it is moving to them)
 * that get every step too but are not waited for. A step goes to each over its connection,
 * encoded at once, so that the steps of a slice leave in the order it applied them; a backup's
 * refusal and an unreachable backup fail the step's future differently ({@link
 * SliceState.BackupFailure}).
 */
final class Backups implements SliceState.Forwarder {
  private final Map<Integer, Connection> backups;
  private final Map<Integer, Connection> learners;
  /** The latest step or copy sent to each follower, backups and learners alike. */
  private final Map<Integer, CompletableFuture<Void>> last = new HashMap<>();

  /** @param backups the connection to each backup, by server id */
  Backups(Map<Integer, Connection> backups) {
    this(backups, Map.of());
  }

  /**
   * @param backups the connection to each backup, by server id
   * @param learners the connection to each learner, by server id
   */
  Backups(Map<Integer, Connection> backups, Map<Integer, Connection> learners) {
    this.backups = Collections.unmodifiableMap(new LinkedHashMap<>(backups));
    this.learners = Collections.unmodifiableMap(new LinkedHashMap<>(learners));
  }

  @Override
  public Set<Integer> backups() {
    return backups.keySet();
  }

  @Override
  public Set<Integer> followers() {
    Set<Integer> all = new java.util.LinkedHashSet<>(backups.keySet());
    all.addAll(learners.keySet());
    return all;
  }

  @Override
  public CompletableFuture<Void> forward(Replicate step) {
    List<CompletableFuture<Void>> acks = new ArrayList<>(backups.size());
    for (Map.Entry<Integer, Connection> e : backups.entrySet()) {
      acks.add(sent(e.getKey(), acknowledged(e.getKey(), e.getValue().requestNow(
          step::withRequestId))));
    }
    for (Map.Entry<Integer, Connection> e : learners.entrySet()) {
      sent(e.getKey(), acknowledged(e.getKey(), e.getValue().requestNow(step::withRequestId)));
    }
    return acks.size() == 1 ? acks.get(0)
        : CompletableFuture.allOf(acks.toArray(new CompletableFuture[0]));
  }

  @Override
  public synchronized CompletableFuture<Void> drained() {
    return CompletableFuture.allOf(last.values().toArray(new CompletableFuture[0]));
  }

  @Override
  public synchronized CompletableFuture<Void> settled() {
    return CompletableFuture.allOf(last.values().stream().map(f -> f.handle((v, e) -> null))
        .toArray(CompletableFuture[]::new));
  }

  private synchronized CompletableFuture<Void> sent(int id, CompletableFuture<Void> ack) {
    last.put(id, ack);
    return ack;
  }

  /** Sends a copy of the slice to follower {@code id}, which is about to be added. */
  CompletableFuture<Void> install(int id, InstallSlice copy) {
    Connection c = backups.containsKey(id) ? backups.get(id) : learners.get(id);
    if (c == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "server " + id + " is not among the followers " + followers()));
    }
    return sent(id, acknowledged(id, c.requestNow(copy::withRequestId)));
  }

  private static CompletableFuture<Void> acknowledged(int id,
      CompletableFuture<io.sparkps.transport.Message> ack) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ack.whenComplete((m, e) -> {
      if (e == null) {
        done.complete(null);
        return;
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null
          ? e.getCause() : e;
      done.completeExceptionally(new SliceState.BackupFailure(id,
          cause instanceof RemoteException, cause));
      // A refusal other than NOT_PRIMARY (a step out of order) is a fault of this server's:
      // it is reported as is, and the copy keeps its role.
    });
    return done;
  }
}
