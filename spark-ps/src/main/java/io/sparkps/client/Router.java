package io.sparkps.client;

import java.util.concurrent.CompletableFuture;

/** Tells a client where slices are served: a fixed list, or the coordinator's slice map. */
interface Router extends AutoCloseable {
  RouteTable current();

  /**
   * A table of an epoch after {@code epoch}: at once when the current one is, otherwise once
   * the map changes, or the current one again after a while without a change.
   */
  CompletableFuture<RouteTable> newerThan(long epoch);

  /** Whether slices can move to other servers (then a failed request is worth resending). */
  boolean moves();

  @Override
  void close();

  /** The routes of a fixed list of servers, which never change. */
  static Router fixed(RouteTable table) {
    return new Router() {
      @Override
      public RouteTable current() {
        return table;
      }

      @Override
      public CompletableFuture<RouteTable> newerThan(long epoch) {
        return CompletableFuture.completedFuture(table);
      }

      @Override
      public boolean moves() {
        return false;
      }

      @Override
      public void close() {
      }
    };
  }
}
