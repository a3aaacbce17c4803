package io.sparkps.transport;

import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
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
public final class TransportClient implements Connection {
  private final Channel channel;
  private final AtomicLong nextId = new AtomicLong(1);
  private final PendingRequests pending;

  TransportClient(Channel channel, long timeoutMs) {
    this.channel = channel;
    this.pending = new PendingRequests(timeoutMs, String.valueOf(channel.remoteAddress()));
    pending.startSweeping(channel.eventLoop());
    channel.closeFuture().addListener(f -> pending.stop());
  }

  /** Sends the request that {@code build} makes from a fresh request id. */
  @Override
  public CompletableFuture<Message> request(LongFunction<? extends Message> build) {
    return send(build, false, null);
  }

  @Override
  public CompletableFuture<Message> requestNow(LongFunction<? extends Message> build) {
    return send(build, true, null);
  }

  /** Decodes the answer's floats straight from the received frame into {@code sink}. */
  @Override
  public CompletableFuture<Message> request(LongFunction<? extends Message> build,
      FloatSink sink) {
    return send(build, false, sink);
  }

  private CompletableFuture<Message> send(LongFunction<? extends Message> build,
      boolean encodeNow, FloatSink sink) {
    long id = nextId.getAndIncrement();
    CompletableFuture<Message> future = pending.add(id, sink);
    if (!channel.isActive()) {
      future.completeExceptionally(closed());
      return future;
    }
    if (encodeNow) {
      io.netty.buffer.ByteBuf frame = FrameEncoder.encode(channel.alloc(), build.apply(id));
      // Always through the event loop's queue, even from the loop itself: a write made there
      // directly would overtake writes other threads queued before it.
      channel.eventLoop().execute(
          () -> channel.writeAndFlush(frame).addListener(f -> failed(future, f)));
    } else {
      channel.writeAndFlush(build.apply(id)).addListener(f -> failed(future, f));
    }
    return future;
  }

  /**
   * Whether a one-way message written now would go out without queueing behind a full
   * outbound buffer: the connection is open and Netty's write buffer is under its high mark.
   */
  public boolean isWritable() {
    return channel.isActive() && channel.isWritable();
  }

  /**
   * Sends a one-way message (request id 0), not waiting for it to be written; the future
   * completes once it has been, or fails naming the peer.
   */
  public CompletableFuture<Void> send(Message message) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    channel.writeAndFlush(message).addListener(f -> {
      if (f.isSuccess()) {
        written.complete(null);
      } else {
        written.completeExceptionally(new TransportException(
            "could not send to " + remoteAddress() + ": " + f.cause(), f.cause()));
      }
    });
    return written;
  }

  private void failed(CompletableFuture<Message> future, io.netty.util.concurrent.Future<?> f) {
    if (!f.isSuccess()) {
      future.completeExceptionally(new TransportException(
          "could not send to " + remoteAddress() + ": " + f.cause(), f.cause()));
    }
  }

  /**
   * Completes the request {@code response} answers. Called on the event loop, before the
   * pipeline releases the response: floats of VALUES that lie in the frame are copied out
   * here, into the request's sink or a new array.
   */
  void complete(Message response) {
    PendingRequests.Entry entry = pending.claim(response.requestId());
    if (entry == null) {
      return; // already timed out: the late answer has no one waiting
    }
    CompletableFuture<Message> future = entry.future();
    if (response instanceof Failure f) {
      future.completeExceptionally(
          new RemoteException(remoteAddress() + ": " + f.message(), f.kind()));
    } else if (response instanceof Values v) {
      Values handed;
      try {
        handed = entry.sink() == null ? v.detached() : v.into(entry.sink());
      } catch (RuntimeException e) {
        future.completeExceptionally(new IllegalStateException("answer from "
            + remoteAddress() + " does not fit: " + e.getMessage(), e));
        return;
      }
      future.complete(handed);
    } else {
      future.complete(response);
    }
  }

  void failAll(Throwable cause) {
    pending.failAll(id -> cause);
  }

  TransportException closed() {
    return new TransportException("connection to " + remoteAddress() + " closed");
  }

  @Override
  public String peer() {
    return String.valueOf(channel.remoteAddress());
  }

  @Override
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
