package io.sparkps.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.sparkps.transport.Ack;
import io.sparkps.transport.Heartbeat;
import io.sparkps.transport.LocalServer;
import io.sparkps.transport.Message;
import io.sparkps.transport.Register;
import io.sparkps.transport.RequestHandler;
import io.sparkps.transport.Transport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lease against a real coordinator endpoint on 127.0.0.1, with a clock and ticks driven by
 * hand: a pause of the server must not end it, a coordinator that is gone must.
 */
class LeaseKeeperTest {

  private static final long LEASE_MS = 1000;
  private static final long INTERVAL_MS = 100;
  private static final long MAX_TICK_MS = LeaseKeeper.MAX_INTERVALS_PER_TICK * INTERVAL_MS;
  private static final long TIMEOUT_MS = 10_000;

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final AtomicInteger expired = new AtomicInteger();
  private final AtomicInteger shutdowns = new AtomicInteger();
  private FakeCoordinator coordinator;
  private LocalServer server;
  private Transport client;
  private LeaseKeeper keeper;

  @BeforeEach
  void start() {
    coordinator = new FakeCoordinator();
    server = new LocalServer(coordinator, TIMEOUT_MS, 1 << 20);
    client = new Transport("lease-test", LocalServer.SECRET, 1, 1 << 20, TIMEOUT_MS);
    keeper = LeaseKeeper.drivenByHand(client, server.address(),
        new Register(0, 7, "127.0.0.1", 4321, 99), LEASE_MS, INTERVAL_MS, clock::get,
        expired::incrementAndGet, shutdowns::incrementAndGet);
  }

  @AfterEach
  void stop() {
    keeper.close();
    client.close();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aPauseLongerThanTheLeaseDoesNotExpireIt() throws Exception {
    registerAndHeartbeat(3);

    clock.addAndGet(10 * LEASE_MS);  // the server was frozen for ten leases
    keeper.tick();
    assertEquals(0, expired.get(), "a pause of the server must not look like a dead driver");
    await(() -> coordinator.heartbeats.get() == 4, "the heartbeat after the pause");
    await(() -> keeper.silentMs() == 0, "the answer to the heartbeat after the pause");

    for (int i = 0; i < 20; i++) {  // and it goes on as before, well past one more lease
      answeredTick();
    }
    assertEquals(0, expired.get());
    assertEquals(0, shutdowns.get());
  }

  @Test
  void aGoneCoordinatorExpiresTheLeaseAfterItsRunningTime() throws Exception {
    registerAndHeartbeat(2);
    closeCoordinator();

    // Every tick counts one interval: the lease holds while the sum is within it.
    for (long silent = INTERVAL_MS; silent <= LEASE_MS; silent += INTERVAL_MS) {
      clock.addAndGet(INTERVAL_MS);
      keeper.tick();
      assertEquals(silent, keeper.silentMs());
      assertEquals(0, expired.get(), "expired after " + silent + " ms of silence");
    }
    clock.addAndGet(INTERVAL_MS);
    keeper.tick();
    assertEquals(1, expired.get(), "a lease of " + LEASE_MS + " ms, silent for "
        + keeper.silentMs() + " ms");
  }

  @Test
  void lateTicksCountAtMostTheCapAndTheLeaseStillExpires() throws Exception {
    registerAndHeartbeat(1);
    closeCoordinator();

    clock.addAndGet(10 * LEASE_MS);  // paused, and the driver died meanwhile
    keeper.tick();
    assertEquals(MAX_TICK_MS, keeper.silentMs());
    assertEquals(0, expired.get());

    for (long silent = 2 * MAX_TICK_MS; silent <= LEASE_MS; silent += MAX_TICK_MS) {
      clock.addAndGet(3 * INTERVAL_MS);  // late ticks count as the cap too
      keeper.tick();
      assertEquals(silent, keeper.silentMs());
      assertEquals(0, expired.get(), "expired after " + silent + " ms of counted silence");
    }
    clock.addAndGet(3 * INTERVAL_MS);
    keeper.tick();
    assertEquals(1, expired.get(), "a lease of " + LEASE_MS + " ms, silent for "
        + keeper.silentMs() + " ms");
  }

  @Test
  void theClockGoingBackCountsNothing() throws Exception {
    registerAndHeartbeat(1);
    coordinator.answering = false;
    clock.addAndGet(-10 * LEASE_MS);
    keeper.tick();
    assertEquals(0, keeper.silentMs());
    clock.addAndGet(INTERVAL_MS);
    keeper.tick();
    assertEquals(INTERVAL_MS, keeper.silentMs());
  }

  @Test
  void anIntervalNotShorterThanTheLeaseIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LeaseKeeper.drivenByHand(client, server.address(),
            new Register(0, 7, "127.0.0.1", 4321, 99), 500, 500, clock::get, () -> { }, () -> { }));
    assertTrue(e.getMessage().contains("leaseMs=500") && e.getMessage().contains(
        "intervalMs=500"), e.getMessage());
  }

  /**
   * Registers, then heartbeats {@code n} times, each answered. Every tick moves the clock first,
   * so that each wait for a silence of 0 sees the answer to that very tick, and no answer is
   * still on its way afterwards.
   */
  private void registerAndHeartbeat(int n) throws InterruptedException {
    clock.addAndGet(INTERVAL_MS);
    keeper.tick();
    await(() -> coordinator.registrations.get() == 1, "the registration");
    await(() -> keeper.silentMs() == 0, "the answer to the registration");
    for (int i = 0; i < n; i++) {
      answeredTick();
    }
  }

  private void answeredTick() throws InterruptedException {
    int before = coordinator.heartbeats.get();
    clock.addAndGet(INTERVAL_MS);
    keeper.tick();
    await(() -> coordinator.heartbeats.get() == before + 1, "heartbeat " + (before + 1));
    await(() -> keeper.silentMs() == 0, "the answer to heartbeat " + (before + 1));
  }

  /** The driver is gone: its listening channel and every connection are closed. */
  private void closeCoordinator() {
    server.close();
    server = null;
  }

  private static void await(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what + " after " + TIMEOUT_MS + " ms");
      }
      Thread.sleep(1);
    }
  }

  /** Acks registrations and, while {@link #answering}, heartbeats. */
  private static final class FakeCoordinator implements RequestHandler {
    final AtomicInteger registrations = new AtomicInteger();
    final AtomicInteger heartbeats = new AtomicInteger();
    volatile boolean answering = true;

    @Override
    public void handle(Channel peer, Message message) {
      if (message instanceof Register r) {
        registrations.incrementAndGet();
        peer.writeAndFlush(new Ack(r.requestId()));
      } else if (message instanceof Heartbeat h) {
        heartbeats.incrementAndGet();
        if (answering) {
          peer.writeAndFlush(new Ack(h.requestId()));
        }
      } else {
        throw new IllegalArgumentException("a coordinator does not take " + message.type());
      }
    }
  }
}
