package io.sparkps.server;

import io.sparkps.transport.Heartbeat;
import io.sparkps.transport.Register;
import io.sparkps.transport.RemoteException;
import io.sparkps.transport.Shutdown;
import io.sparkps.transport.Transport;
import io.sparkps.transport.TransportClient;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a server's lease with the coordinator: registers, heartbeats every interval, reconnects
 * when the connection drops, and calls {@code onExpired} once the server has run for longer
 * than the lease without an answer, or {@code onShutdown} when the coordinator says stop. This
 * is what makes servers exit after the driver dies, however it dies.
 *
 * <p>The lease counts time the process ran, not time on the clock. A server paused for longer
 * than the lease (SIGSTOP, a long GC pause, a frozen container) would otherwise find on waking
 * that nothing had been answered for longer than the lease, and exit although the driver is
 * alive: the pause is its own, not the driver's. So each tick adds the time since the previous
 * tick, capped at {@value #MAX_INTERVALS_PER_TICK} intervals, to the silence, and every answer
 * (to a heartbeat or to the registration) resets the silence to 0. A pause of any length then
 * costs at most {@value #MAX_INTERVALS_PER_TICK} intervals, on top of at most about one
 * interval since the last answer, and the server heartbeats again before it judges the driver:
 * a lease longer than three intervals survives any pause (the defaults, lease 5 s and interval
 * 1 s, leave at least 2 s). A driver that is really gone (killed with SIGKILL, its host down)
 * still ends the server after about the lease, as the ticks go on adding about one interval
 * each. Jumps of the clock count the same way: forward at most the cap, backward nothing.
 */
final class LeaseKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  /** Most intervals one tick counts against the lease, however late it comes. */
  static final int MAX_INTERVALS_PER_TICK = 2;

  private final Transport transport;
  private final InetSocketAddress coordinator;
  private final Register registration;
  private final long leaseMs;
  private final long maxTickMs;
  private final LongSupplier clock;
  private final Runnable onExpired;
  private final Runnable onShutdown;
  private volatile Runnable onFenced = () -> { };
  private volatile java.util.function.Consumer<String> onRefused = why -> { };
  /** The id heartbeats carry: the registration's, or the one the coordinator gave a joiner. */
  private volatile int serverId;
  private final ScheduledExecutorService timer;
  /** Running time since the last answer, counted by the ticks and reset by answers. */
  private final AtomicLong silentMs = new AtomicLong();
  /** Clock at the previous tick; only ticks use it, and they run one at a time. */
  private long previousTick;
  private volatile TransportClient link;
  private volatile boolean connecting;

  /**
   * Starts keeping the lease on a timer of its own: the first tick (which registers) runs at
   * once, then one every {@code intervalMs}.
   *
   * @param clock milliseconds, the keeper's only time source
   */
  LeaseKeeper(Transport transport, InetSocketAddress coordinator, Register registration,
      long leaseMs, long intervalMs, LongSupplier clock, Runnable onExpired, Runnable onShutdown) {
    this(transport, coordinator, registration, leaseMs, intervalMs, clock, onExpired,
        onShutdown, true);
  }

  private LeaseKeeper(Transport transport, InetSocketAddress coordinator, Register registration,
      long leaseMs, long intervalMs, LongSupplier clock, Runnable onExpired, Runnable onShutdown,
      boolean scheduled) {
    if (intervalMs < 1 || leaseMs <= intervalMs) {
      throw new IllegalArgumentException("leaseMs=" + leaseMs + ", intervalMs=" + intervalMs
          + ": the interval must be >= 1 ms and shorter than the lease");
    }
    this.transport = transport;
    this.coordinator = coordinator;
    this.registration = registration;
    this.serverId = registration.serverId();
    this.leaseMs = leaseMs;
    this.maxTickMs = MAX_INTERVALS_PER_TICK * intervalMs;
    this.clock = clock;
    this.onExpired = onExpired;
    this.onShutdown = onShutdown;
    this.previousTick = clock.getAsLong();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ps-lease");
      t.setDaemon(true);
      return t;
    });
    if (scheduled) {
      timer.scheduleWithFixedDelay(this::tick, 0, intervalMs, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * A keeper that ticks only when {@link #tick()} is called, for tests that decide when time
   * passes (with a clock of their own) and when the keeper looks at it.
   */
  static LeaseKeeper drivenByHand(Transport transport, InetSocketAddress coordinator,
      Register registration, long leaseMs, long intervalMs, LongSupplier clock,
      Runnable onExpired, Runnable onShutdown) {
    return new LeaseKeeper(transport, coordinator, registration, leaseMs, intervalMs, clock,
        onExpired, onShutdown, false);
  }

  /**
   * Counts the running time since the previous tick against the lease, then expires it or
   * heartbeats (connecting and registering first if there is no connection). Ticks must not
   * overlap: the timer runs them one at a time.
   */
  void tick() {
    long now = clock.getAsLong();
    long elapsed = now - previousTick;
    previousTick = now;
    long counted = Math.max(0, Math.min(elapsed, maxTickMs));
    if (elapsed > maxTickMs) {
      LOG.warn("No lease tick for {} ms (the process was paused, or the clock jumped): counting"
          + " {} ms of it against the lease", elapsed, counted);
    }
    long silent = silentMs.addAndGet(counted);
    if (silent > leaseMs) {
      LOG.error("No answer from the coordinator at {} for {} ms of running time, more than the"
          + " lease of {} ms (spark.ps.lease): the driver is gone, stopping", coordinator,
          silent, leaseMs);
      timer.shutdown();
      onExpired.run();
      return;
    }
    TransportClient c = link;
    if (c != null && c.isActive()) {
      c.request(id -> new Heartbeat(id, serverId))
          .whenComplete((m, e) -> answered(e));
    } else if (!connecting) {
      connect();
    }
  }

  /** Running time counted since the coordinator last answered, as of the last tick or answer. */
  long silentMs() {
    return silentMs.get();
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
      return c.request(id -> new Register(id, serverId, registration.host(),
          registration.port(), registration.pid()));
    }).whenComplete((m, e) -> {
      connecting = false;
      if (m instanceof io.sparkps.transport.Joined j) {
        serverId = j.serverId();
        LOG.info("Joined the cluster at {} as server {}", coordinator, serverId);
      }
      Throwable cause = e instanceof java.util.concurrent.CompletionException
          && e.getCause() != null ? e.getCause() : e;
      // Only a server that has never been in the cluster gives up: a wrong secret does not heal,
      // while one that was in keeps trying (its connection broke) until its lease expires.
      if (serverId < 0 && (cause instanceof io.sparkps.transport.AuthRefusedException
          || (cause instanceof RemoteException r && !r.isRetriable()))) {
        LOG.error("The coordinator at {} refused this server: {}", coordinator,
            cause.getMessage());
        timer.shutdown();
        onRefused.accept(cause.getMessage());
      } else if (!answered(e)) {
        LOG.warn("Could not reach the coordinator at {}: {}", coordinator, e.toString());
      }
    });
  }

  /**
   * Renews the lease when the coordinator answered, also when it answered that this server
   * was declared lost (then {@code onFenced} runs: the server drops what it held, and goes on
   * living while the coordinator does). Returns whether the coordinator answered.
   */
  private boolean answered(Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException
        && error.getCause() != null ? error.getCause() : error;
    if (cause == null) {
      silentMs.set(0);
      return true;
    }
    if (cause instanceof RemoteException r && r.notPrimary()) {
      silentMs.set(0);
      onFenced.run();
      return true;
    }
    return false;
  }

  /** What to do, once, when the coordinator refuses this server (a wrong secret). */
  void onRefused(java.util.function.Consumer<String> action) {
    this.onRefused = action;
  }

  /** The id this server has in the cluster; for a joiner, known once it registered. */
  int serverId() {
    return serverId;
  }

  /** What to do when the coordinator says this server was declared lost (at every answer). */
  void onFenced(Runnable action) {
    this.onFenced = action;
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
