package io.sparkps.server;

import io.sparkps.transport.Connection;
import io.sparkps.transport.InstallSlice;
import io.sparkps.transport.RemoteException;
import io.sparkps.transport.Replicate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A primary's links to the backups of one slice. A step goes to every backup over its
 * connection, encoded at once, so that the steps of a slice leave in the order it applied
 * them; a backup's refusal and an unreachable backup fail the step's future differently
 * ({@link SliceState.BackupFailure}).
 */
final class Backups implements SliceState.Forwarder {
  private final Map<Integer, Connection> links;

  /** @param links the connection to each backup, by server id */
  Backups(Map<Integer, Connection> links) {
    this.links = Collections.unmodifiableMap(new LinkedHashMap<>(links));
  }

  @Override
  public Set<Integer> backups() {
    return links.keySet();
  }

  @Override
  public CompletableFuture<Void> forward(Replicate step) {
    List<CompletableFuture<Void>> acks = new ArrayList<>(links.size());
    for (Map.Entry<Integer, Connection> e : links.entrySet()) {
      acks.add(acknowledged(e.getKey(), e.getValue().requestNow(step::withRequestId)));
    }
    return acks.size() == 1 ? acks.get(0)
        : CompletableFuture.allOf(acks.toArray(new CompletableFuture[0]));
  }

  /** Sends a copy of the slice to backup {@code id}, which is about to be added. */
  CompletableFuture<Void> install(int id, InstallSlice copy) {
    Connection c = links.get(id);
    if (c == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "server " + id + " is not among the backups " + links.keySet()));
    }
    return acknowledged(id, c.requestNow(copy::withRequestId));
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
