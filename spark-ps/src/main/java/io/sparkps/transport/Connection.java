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

  boolean isActive();

  /** Who the peer is, for error messages. */
  String peer();

  @Override
  void close();
}
