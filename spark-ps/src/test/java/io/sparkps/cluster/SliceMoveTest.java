package io.sparkps.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.client.ParamLayout;
import io.sparkps.client.PsClient;
import io.sparkps.client.Share;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.PsConf;
import io.sparkps.param.SliceInfo;
import io.sparkps.transport.SliceSetup;
import io.sparkps.transport.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slices move while two workers push synchronous steps to them without pause: real server JVMs
 * join and leave a running cluster. The values are exact in floats (SGD on small integer
 * gradients, rates that are powers of two), so the final values prove that every step was
 * applied exactly once, whichever server served it.
 */
class SliceMoveTest {
  private static final int SLICES = 8;
  private static final int FLOATS = 1000;
  private static final int WORKERS = 2;
  private static final long SLICE_BYTES = FLOATS * Float.BYTES;

  private PsCluster cluster;
  private ExecutorService workers;

  @BeforeEach
  void start() {
    PsConf conf = new PsConf(Map.of(PsConf.SERVER_MEMORY.key(), "128m"));
    cluster = PsCluster.start(conf, 2, "127.0.0.1", 1);
    workers = Executors.newFixedThreadPool(WORKERS);
  }

  @AfterEach
  void stop() {
    workers.shutdownNow();
    cluster.close();
  }

  private List<SliceInfo> createParam() {
    int paramId = cluster.reserveParamIds(1);
    List<SliceInfo> slices = new ArrayList<>();
    for (int s = 0; s < SLICES; s++) {
      slices.add(new SliceInfo(0, paramId, s, (long) s * FLOATS, FLOATS, s % 2));
    }
    cluster.createSlices(slices, OptimizerConfig.sgd(0.5f), SliceSetup.single(WORKERS),
        ParamLayout.InitialValues.zeros());
    return slices;
  }

  /** Worker {@code w}'s gradient at {@code step}: small integers, so every sum is exact. */
  private static float[] gradient(int w, long step) {
    float[] g = new float[FLOATS];
    for (int i = 0; i < FLOATS; i++) {
      g[i] = w == 0 ? (step + i) % 3 : 1;
    }
    return g;
  }

  /** The values after {@code steps} steps: each subtracts 0.5 * 0.5 * (g0 + g1). */
  private static float[] expected(long steps) {
    float[] v = new float[FLOATS];
    for (long k = 0; k < steps; k++) {
      float[] g0 = gradient(0, k);
      float[] g1 = gradient(1, k);
      for (int i = 0; i < FLOATS; i++) {
        v[i] -= 0.5f * (0.5f * (g0[i] + g1[i]));
      }
    }
    return v;
  }

  /** Pushes steps 0, 1, ... of worker {@code w} to every slice until {@code stopAt}. */
  private Future<Long> worker(int w, List<SliceInfo> slices, AtomicLong done, AtomicLong stopAt) {
    PsClient client = PsClient.connect(cluster.info());
    return workers.submit(() -> {
      try {
        long step = 0;
        while (step < stopAt.get()) {
          List<CompletableFuture<Values>> answers = new ArrayList<>();
          for (SliceInfo s : slices) {
            answers.add(client.push(s, new Share(step, 0, w, 1, 1), gradient(w, step)));
          }
          for (CompletableFuture<Values> a : answers) {
            PsClient.await(a, 30_000);
          }
          step++;
          if (w == 0) {
            done.set(step);
          }
        }
        return step;
      } finally {
        client.close();
      }
    });
  }

  /** Every worker pushing its steps to every slice, until told where to stop. */
  private final class Pushing {
    final AtomicLong done = new AtomicLong();
    private final AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
    private final List<Future<Long>> workers = new ArrayList<>();

    Pushing(List<SliceInfo> slices) {
      for (int w = 0; w < WORKERS; w++) {
        workers.add(worker(w, slices, done, stopAt));
      }
    }

    /** Waits until the workers completed {@code steps} steps; fails if one stopped. */
    void await(long steps) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (done.get() < steps) {
        for (Future<Long> w : workers) {
          if (w.isDone()) {
            w.get();
            throw new AssertionError("a worker stopped at step " + done.get());
          }
        }
        assertTrue(System.nanoTime() < deadline, "the workers are stuck at step " + done.get());
        Thread.sleep(5);
      }
    }

    /** Lets the workers make 20 more steps and stop; returns the steps each made. */
    long finish() throws Exception {
      stopAt.set(done.get() + 20);
      long steps = workers.get(0).get(60, TimeUnit.SECONDS);
      assertEquals(steps, workers.get(1).get(60, TimeUnit.SECONDS));
      return steps;
    }
  }

  /** Every slice applied exactly {@code steps} steps: its version and every value. */
  private void assertExact(List<SliceInfo> slices, long steps) {
    float[] want = expected(steps);
    for (SliceInfo s : slices) {
      Values v = PsClient.await(cluster.client().pull(s, 0), 30_000);
      assertEquals(steps, v.version(), s + " applied " + v.version() + " of " + steps + " steps");
      assertArrayEquals(want, v.values(), s + " after " + steps + " steps");
    }
  }

  private void assertBalanced(int servers) {
    Map<Integer, Long> held = cluster.bytesHeld();
    assertEquals(servers, held.size(), held.toString());
    long total = 2L * SLICES * SLICE_BYTES;
    for (Map.Entry<Integer, Long> e : held.entrySet()) {
      assertTrue(Math.abs(e.getValue() - (double) total / servers) <= SLICE_BYTES,
          "server " + e.getKey() + " holds " + e.getValue() + " of " + total + " bytes: "
              + held);
    }
  }

  @Test
  void slicesMoveToJoiningServersAndOffALeavingOneWhileStepsGoOnEachAppliedOnce()
      throws Exception {
    List<SliceInfo> slices = createParam();
    Pushing pushing = new Pushing(slices);
    pushing.await(20);
    Map<Integer, Long> before = cluster.livePids();

    List<SliceMove> grown = cluster.addServers(2);
    long afterGrowth = pushing.done.get();
    assertFalse(grown.isEmpty());
    assertTrue(grown.stream().anyMatch(SliceMove::primary), grown.toString());
    assertBalanced(4);
    pushing.await(afterGrowth + 20);

    int leaving = cluster.livePids().keySet().stream().max(Integer::compare).orElseThrow();
    List<SliceMove> shrunk = cluster.removeServer(leaving);
    assertFalse(shrunk.isEmpty());
    assertTrue(shrunk.stream().allMatch(m -> m.from() == leaving || !m.reason().equals("leave")));
    assertBalanced(3);
    assertFalse(cluster.livePids().containsKey(leaving));
    before.forEach((id, pid) -> assertEquals(pid, cluster.livePids().get(id),
        "server " + id + " was replaced"));

    long steps = pushing.finish();
    assertTrue(cluster.failures().isEmpty(), cluster.failures().toString());

    assertExact(slices, steps);
    for (SliceMove m : cluster.moves()) {
      assertTrue(m.copyMillis() >= 0 && m.switchMillis() >= 0, m.toString());
      if (m.bytes() > 0) {
        assertEquals(SLICE_BYTES, m.bytes(), m.toString());
      }
    }
  }

  /**
   * A server is killed with SIGKILL at a random point while slices move to two joining servers
   * (during a copy, a switch, or between moves): the move under way is given up or completes,
   * the killed server is failed over and replaced, and no step is lost or applied twice.
   */
  @Test
  void aServerKilledWhileSlicesMoveLosesNoStep() throws Exception {
    java.util.Random random = new java.util.Random();
    List<SliceInfo> slices = createParam();
    Pushing pushing = new Pushing(slices);
    pushing.await(20);

    ExecutorService resizer = Executors.newSingleThreadExecutor();
    try {
      Future<List<SliceMove>> growing = resizer.submit(() -> cluster.addServers(2));
      int movesBeforeKill = random.nextInt(6);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (cluster.moves().size() < movesBeforeKill && !growing.isDone()) {
        assertTrue(System.nanoTime() < deadline, "no moves in 60 s");
        Thread.sleep(1);
      }
      Thread.sleep(random.nextInt(20));
      List<Long> pids = new ArrayList<>(cluster.livePids().values());
      long victim = pids.get(random.nextInt(pids.size()));
      ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
      String outcome;
      try {
        outcome = growing.get(120, TimeUnit.SECONDS).size() + " moves";
      } catch (java.util.concurrent.ExecutionException e) {
        // A move the kill cut off is given up, and says which.
        outcome = "gave up: " + e.getCause().getMessage();
        assertTrue(e.getCause().getMessage().contains("slice"), outcome);
      }
      long lostBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (cluster.failures().isEmpty()) {
        assertTrue(System.nanoTime() < lostBy, "the kill of pid " + victim + " went unnoticed");
        Thread.sleep(5);
      }
      assertTrue(cluster.awaitHealthy(60_000), "no replacement joined");
      cluster.rebalance();
      assertBalanced(4);
      System.out.println("killed pid " + victim + " after " + movesBeforeKill + " moves: "
          + outcome + "; " + cluster.failures());
    } finally {
      resizer.shutdownNow();
    }

    pushing.await(pushing.done.get() + 20);
    long steps = pushing.finish();
    assertEquals(1, cluster.failures().size(), cluster.failures().toString());
    assertTrue(cluster.failures().get(0).lost().isEmpty(), cluster.failures().toString());
    assertExact(slices, steps);
  }
}
