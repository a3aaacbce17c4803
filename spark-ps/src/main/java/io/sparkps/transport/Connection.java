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

  /**
   * Like {@link #request}, for a request answered with {@link Values}: the answer's floats are
   * written into {@code sink} before the future completes (on the thread that completes it),
   * and the {@link Values} handed over has that region as its floats, so that no array is
   * made for them. An answer of another length fails the future. The region must not be read
   * or written until the future completes. Other answers (a failure, another message) are
   * handed over as they are.
   */
  default CompletableFuture<Message> request(LongFunction<? extends Message> build,
      FloatSink sink) {
    return request(build).thenApply(m -> m instanceof Values v ? v.into(sink) : m);
  }

  boolean isActive();

  /** Who the peer is, for error messages. */
  String peer();

  @Override
  void close();
}
