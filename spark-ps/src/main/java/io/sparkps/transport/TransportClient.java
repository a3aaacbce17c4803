package io.sparkps.transport;

import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * One authenticated connection to a peer, carrying requests and their responses.
 *
 * <p>Thread safe: any thread may call {@link #request}. Every request gets a fresh id; its future
 * completes with the response, fails with {@link RemoteException} when the peer answers {@link
 * Failure}, with {@link TransportException} naming the peer when the connection closes, and
 * with a {@link TimeoutException} when no answer comes within the timeout.
 *
 * <pre>{@code
 * Values v = (Values) client.request(id -> new Get(id, paramId, sliceId, 0)).get();
 * }</pre>
 */
public final class TransportClient implements AutoCloseable {
  private final Channel channel;
  private final long timeoutMs;
  private final AtomicLong nextId = new AtomicLong(1);
  private final Map<Long, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();

  TransportClient(Channel channel, long timeoutMs) {
    this.channel = channel;
    this.timeoutMs = timeoutMs;
  }

  /** Sends the request that {@code build} makes from a fresh request id. */
  public CompletableFuture<Message> request(LongFunction<? extends Message> build) {
    long id = nextId.getAndIncrement();
    CompletableFuture<Message> future = new CompletableFuture<>();
    pending.put(id, future);
    future.whenComplete((m, e) -> pending.remove(id));
    future.orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
    if (!channel.isActive()) {
      future.completeExceptionally(closed());
      return future;
    }
    channel.writeAndFlush(build.apply(id)).addListener(f -> {
      if (!f.isSuccess()) {
        future.completeExceptionally(new TransportException(
            "could not send to " + remoteAddress() + ": " + f.cause(), f.cause()));
      }
    });
    return future;
  }

  /** Sends a message that has no response. */
  public void send(Message message) {
    channel.writeAndFlush(message);
  }

  void complete(Message response) {
    CompletableFuture<Message> future = pending.get(response.requestId());
    if (future == null) {
      return; // already timed out: the late answer has no one waiting
    }
    if (response instanceof Failure f) {
      future.completeExceptionally(
          new RemoteException(remoteAddress() + ": " + f.message(), f.retriable()));
    } else {
      future.complete(response);
    }
  }

  void failAll(Throwable cause) {
    for (CompletableFuture<Message> f : pending.values()) {
      f.completeExceptionally(cause);
    }
  }

  TransportException closed() {
    return new TransportException("connection to " + remoteAddress() + " closed");
  }

  public boolean isActive() {
    return channel.isActive();
  }

  public SocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  public CompletableFuture<Void> closeFuture() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    channel.closeFuture().addListener(x -> f.complete(null));
    return f;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
