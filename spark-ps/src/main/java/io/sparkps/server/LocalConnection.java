package io.sparkps.server;

import io.sparkps.transport.Connection;
import io.sparkps.transport.Failure;
import io.sparkps.transport.Message;
import io.sparkps.transport.RemoteException;
import java.util.concurrent.CompletableFuture;
import io.sparkps.transport.PendingRequests;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A connection to a server in the same JVM: requests are handed to the server directly, with no
 * socket and no serialisation. Timeouts and failures behave as over Netty.
 */
public final class LocalConnection implements Connection {
  private final ParamServer server;
  private final String name;
  private final AtomicLong nextId = new AtomicLong(1);
  private final PendingRequests pending;
  private volatile boolean open = true;

  /** @param timer sweeps requests past their timeout */
  public LocalConnection(ParamServer server, String name, long timeoutMs,
      ScheduledExecutorService timer) {
    this.server = server;
    this.name = name;
    this.pending = new PendingRequests(timeoutMs, name);
    pending.startSweeping(timer);
  }

  @Override
  public CompletableFuture<Message> request(LongFunction<? extends Message> build) {
    long id = nextId.getAndIncrement();
    CompletableFuture<Message> future = pending.add(id);
    if (!open) {
      future.completeExceptionally(new io.sparkps.transport.TransportException(
          "local connection to " + name + " is closed"));
      return future;
    }
    try {
      server.process(build.apply(id), answer -> {
        if (answer instanceof Failure f) {
          future.completeExceptionally(new RemoteException(name + ": " + f.message(),
              f.kind()));
        } else {
          future.complete(answer);
        }
      });
    } catch (RuntimeException e) {
      future.completeExceptionally(new RemoteException(name + ": " + e, false));
    }
    return future;
  }

  @Override
  public boolean isActive() {
    return open;
  }

  @Override
  public String peer() {
    return name + " (in this JVM)";
  }

  @Override
  public void close() {
    open = false;
    pending.stop();
  }
}
