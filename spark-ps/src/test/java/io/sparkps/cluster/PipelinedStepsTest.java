package io.sparkps.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.client.ParamLayout;
import io.sparkps.client.ParamSet;
import io.sparkps.client.PsClient;
import io.sparkps.client.Share;
import io.sparkps.client.Stub;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.PsConf;
import io.sparkps.param.ParamSpec;
import io.sparkps.param.SliceInfo;
import io.sparkps.param.SliceMap;
import io.sparkps.transport.SliceSetup;
import io.sparkps.transport.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workers of two asynchronous groups keep eight steps in flight each ({@link ParamSet#send}),
 * against real server JVMs with a backup of every slice, and a server is killed with SIGKILL at
 * a random point. The steps in flight on the killed server are resent to the new primaries in
 * no particular order; every one must be applied exactly once. SGD on small integer gradients
 * with a power-of-two rate makes every value exact whatever the order of the groups' steps.
 */
class PipelinedStepsTest {
  private static final int SLICES = 6;
  private static final int FLOATS = 500;
  private static final int GROUPS = 2;
  private static final int WINDOW = 8;

  private PsCluster cluster;
  private ExecutorService workers;

  @BeforeEach
  void start() {
    cluster = PsCluster.start(new PsConf(Map.of(PsConf.SERVER_MEMORY.key(), "128m")), 2,
        "127.0.0.1", 1);
    workers = Executors.newFixedThreadPool(GROUPS);
  }

  @AfterEach
  void stop() {
    workers.shutdownNow();
    cluster.close();
  }

  private SliceMap createParam() {
    int paramId = cluster.reserveParamIds(1);
    List<SliceInfo> slices = new ArrayList<>();
    for (int s = 0; s < SLICES; s++) {
      slices.add(new SliceInfo(0, paramId, s, (long) s * FLOATS, FLOATS, s % 2));
    }
    cluster.createSlices(slices, OptimizerConfig.sgd(0.5f),
        new SliceSetup(1, 0, GROUPS, SliceSetup.UNBOUNDED, 1, ""),
        ParamLayout.InitialValues.zeros());
    return new SliceMap(List.of(ParamSpec.vector("w", (long) SLICES * FLOATS)), slices, 2);
  }

  /** Group {@code g}'s gradient at {@code step}: small integers, so every sum is exact. */
  private static float[] gradient(int g, long step) {
    float[] out = new float[SLICES * FLOATS];
    for (int i = 0; i < out.length; i++) {
      out[i] = g == 0 ? (step + i) % 3 : 1 + (i + step) % 2;
    }
    return out;
  }

  /** Pushes steps 0 .. steps-1 of group {@code g}, eight in flight, as a worker does. */
  private Future<?> worker(int g, SliceMap map, long steps, AtomicLong done) {
    PsClient client = PsClient.connect(cluster.info());
    return workers.submit(() -> {
      try {
        ParamSet params = new ParamSet(map);
        Stub stub = Stub.join(1000 + g);
        try {
          for (long step = 0; step < steps; step++) {
            params.steps().takeArrived(30_000);
            while (params.steps().size() >= WINDOW) {
              params.steps().awaitOldest(30_000);
            }
            params.send(client, stub, 1, new Share(step, g, g, 1, 1),
                new float[][] {gradient(g, step)});
            done.incrementAndGet();
          }
          params.steps().awaitAll(30_000);
        } finally {
          stub.leave();
        }
        return null;
      } finally {
        client.close();
      }
    });
  }

  @Test
  void aServerKilledUnderStepsInFlightLosesNoneAndAppliesNoneTwice() throws Exception {
    Random random = new Random();
    long steps = 400;
    SliceMap map = createParam();
    AtomicLong done = new AtomicLong();
    List<Future<?>> running = new ArrayList<>();
    for (int g = 0; g < GROUPS; g++) {
      running.add(worker(g, map, steps, done));
    }
    long killAt = 40 + random.nextInt(300);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (done.get() < killAt) {
      assertTrue(System.nanoTime() < deadline, "the workers are stuck at " + done.get());
      Thread.sleep(1);
    }
    List<Long> pids = new ArrayList<>(cluster.livePids().values());
    long victim = pids.get(random.nextInt(pids.size()));
    ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
    for (Future<?> f : running) {
      f.get(120, TimeUnit.SECONDS);
    }
    System.out.println("killed pid " + victim + " after " + killAt + " steps sent; "
        + cluster.failures());
    assertEquals(1, cluster.failures().size(), cluster.failures().toString());

    float[] want = new float[SLICES * FLOATS];
    for (int g = 0; g < GROUPS; g++) {
      for (long k = 0; k < steps; k++) {
        float[] grad = gradient(g, k);
        for (int i = 0; i < want.length; i++) {
          want[i] -= 0.5f * grad[i];
        }
      }
    }
    for (SliceInfo s : map.slices()) {
      Values v = PsClient.await(cluster.client().pull(s, 0), 30_000);
      assertEquals(GROUPS * steps, v.version(), s + " applied " + v.version() + " steps");
      assertArrayEquals(java.util.Arrays.copyOfRange(want, (int) s.offset(),
          (int) s.offset() + FLOATS), v.values(), s.toString());
    }
  }
}
