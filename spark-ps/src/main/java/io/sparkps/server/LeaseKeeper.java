package io.sparkps.server;

import io.sparkps.transport.Heartbeat;
import io.sparkps.transport.Register;
import io.sparkps.transport.Shutdown;
import io.sparkps.transport.Transport;
import io.sparkps.transport.TransportClient;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a server's lease with the coordinator: registers, heartbeats every interval, reconnects
 * when the connection drops, and calls {@code onExpired} once no heartbeat has been answered for
 * longer than the lease, or {@code onShutdown} when the coordinator says stop. This is what makes
 * servers exit after the driver dies, however it dies.
 */
final class LeaseKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

  private final Transport transport;
  private final InetSocketAddress coordinator;
  private final Register registration;
  private final long leaseMs;
  private final LongSupplier clock;
  private final Runnable onExpired;
  private final Runnable onShutdown;
  private final ScheduledExecutorService timer;
  private volatile TransportClient link;
  private volatile long lastAnswered;
  private volatile boolean connecting;

  LeaseKeeper(Transport transport, InetSocketAddress coordinator, Register registration,
      long leaseMs, long intervalMs, LongSupplier clock, Runnable onExpired, Runnable onShutdown) {
    this.transport = transport;
    this.coordinator = coordinator;
    this.registration = registration;
    this.leaseMs = leaseMs;
    this.clock = clock;
    this.onExpired = onExpired;
    this.onShutdown = onShutdown;
    this.lastAnswered = clock.getAsLong();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ps-lease");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::tick, 0, intervalMs, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    long silent = clock.getAsLong() - lastAnswered;
    if (silent > leaseMs) {
      LOG.error("No answer from the coordinator at {} for {} ms, more than the lease of {} ms "
          + "(spark.ps.lease): the driver is gone, stopping", coordinator, silent, leaseMs);
      timer.shutdown();
      onExpired.run();
      return;
    }
    TransportClient c = link;
    if (c != null && c.isActive()) {
      c.request(id -> new Heartbeat(id, registration.serverId()))
          .thenRun(() -> lastAnswered = clock.getAsLong());
    } else if (!connecting) {
      connect();
    }
  }

  private void connect() {
    connecting = true;
    transport.connect(coordinator, m -> {
      if (m instanceof Shutdown) {
        LOG.info("The coordinator asked this server to stop");
        onShutdown.run();
      }
    }).thenCompose(c -> {
      link = c;
      return c.request(id -> new Register(id, registration.serverId(), registration.host(),
          registration.port()));
    }).whenComplete((m, e) -> {
      connecting = false;
      if (e == null) {
        lastAnswered = clock.getAsLong();
      } else {
        LOG.warn("Could not reach the coordinator at {}: {}", coordinator, e.toString());
      }
    });
  }

  @Override
  public void close() {
    timer.shutdownNow();
    TransportClient c = link;
    if (c != null) {
      c.close();
    }
  }
}
