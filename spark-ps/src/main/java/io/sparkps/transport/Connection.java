package io.sparkps.transport;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * A way to send requests to one peer: a Netty connection ({@link TransportClient}) or, for a
 * server in the same JVM, a direct call ({@link LocalEndpoints}). Thread safe.
 */
public interface Connection extends AutoCloseable {

  /**
   * Sends the request that {@code build} makes from a fresh request id; the future completes
   * with the response, or fails with {@link RemoteException}, {@link TransportException} or a
   * timeout.
   */
  CompletableFuture<Message> request(LongFunction<? extends Message> build);

  /**
   * Like {@link #request}, but the request is encoded before this returns, so that requests
   * made one after another by one caller (holding a lock) leave in that order, and arrays the
   * request refers to may change as soon as this returns.
   */
  default CompletableFuture<Message> requestNow(LongFunction<? extends Message> build) {
    return request(build);
  }

  boolean isActive();

  /** Who the peer is, for error messages. */
  String peer();

  @Override
  void close();
}
