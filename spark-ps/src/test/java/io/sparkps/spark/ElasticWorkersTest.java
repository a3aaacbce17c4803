package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.param.Slicer;
import io.sparkps.testing.LocalClusterSpark;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ExecutorAllocationClient;
import org.apache.spark.scheduler.ExecutorDecommissionInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Elastic workers ({@code spark.ps.elasticWorkers}) on a {@code local-cluster} of two one-core
 * workers under dynamic allocation, started with one executor: a downpour fit speeds up when a
 * second executor joins in the middle of it, and survives the decommission of an executor with
 * every step applied once. The test asks for and decommissions executors itself, at moments it
 * chooses, through the same scheduler calls dynamic allocation makes (its own backlog timer is
 * set out of reach).
 */
class ElasticWorkersTest {
  private static final int SHARDS = 8;
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static ExecutorService background;
  private static Path steps;
  /** When each executor registered with the driver (ms), by executor id. */
  private static final Map<String, Long> REGISTERED = new ConcurrentHashMap<>();
  /** When each executor was given its first task (ms), by executor id. */
  private static final Map<String, Long> FIRST_TASK = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    SharedSpark.get().stop();  // one SparkContext per JVM
    spark = LocalClusterSpark.start("spark-ps-elastic-workers", "local-cluster[2,1,1024]",
        Map.ofEntries(
            Map.entry("spark.dynamicAllocation.enabled", "true"),
            Map.entry("spark.dynamicAllocation.shuffleTracking.enabled", "true"),
            Map.entry("spark.dynamicAllocation.minExecutors", "1"),
            Map.entry("spark.dynamicAllocation.initialExecutors", "1"),
            Map.entry("spark.dynamicAllocation.maxExecutors", "2"),
            Map.entry("spark.dynamicAllocation.schedulerBacklogTimeout", "1h"),
            Map.entry("spark.dynamicAllocation.executorIdleTimeout", "1h"),
            Map.entry("spark.decommission.enabled", "true"),
            // A decommissioned executor is killed with the task it is running, half a second
            // after it was told, so that its unit runs again elsewhere.
            Map.entry("spark.executor.decommission.forceKillTimeout", "500ms"),
            Map.entry("spark.ps.elasticWorkers", "true")));
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onExecutorAdded(SparkListenerExecutorAdded added) {
        REGISTERED.put(added.executorId(), added.time());
      }

      @Override
      public void onTaskStart(SparkListenerTaskStart start) {
        FIRST_TASK.putIfAbsent(start.taskInfo().executorId(), start.taskInfo().launchTime());
      }
    });
    background = Executors.newSingleThreadExecutor();
    steps = Files.createTempDirectory("spark-ps-elastic");
    awaitExecutors(1);
    train = TestData.a9aTrain(spark).cache();
    train.count();
    // Loads the training's classes and ND4J on the first executor, which would otherwise
    // slow its first steps down, and the rate before the second executor joins with them.
    new PSTrainer().setFramework("downpour").setNumWorkers(2).setNumServers(2).setMaxEpochs(1)
        .fit(TestData.generated(spark, 400, 3, 3, 2));
  }

  @AfterAll
  static void stop() throws IOException {
    if (background != null) {
      background.shutdownNow();
    }
    if (spark != null) {
      spark.stop();
    }
    if (steps != null) {
      clearSteps();
      Files.delete(steps);
    }
  }

  private static void clearSteps() throws IOException {
    try (var files = Files.list(steps)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
  }

  private static ExecutorAllocationClient backend() {
    return (ExecutorAllocationClient) spark.sparkContext().schedulerBackend();
  }

  private static List<String> executorIds() {
    return new ArrayList<>(CollectionConverters.asJava(backend().getExecutorIds()));
  }

  private static void awaitExecutors(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (executorIds().size() != n) {
      assertTrue(System.nanoTime() < deadline, "the cluster has " + executorIds()
          + " executors, not " + n + ", after 120 s");
      Thread.sleep(50);
    }
  }

  /** Decommissions {@code id} for good: dynamic allocation's target goes down with it. */
  private static void decommission(String id) {
    assertTrue(backend().decommissionExecutor(id, new ExecutorDecommissionInfo(
        "decommissioned by ElasticWorkersTest", scala.Option.empty()), true, false),
        "executor " + id + " accepted for decommission");
  }

  /** Brings the cluster to {@code n} executors, adding or decommissioning. */
  private static void executors(int n) throws InterruptedException {
    List<String> ids = executorIds();
    if (ids.size() < n) {
      spark.sparkContext().requestExecutors(n - ids.size());
    }
    for (int i = n; i < ids.size(); i++) {
      decommission(ids.get(i));
    }
    awaitExecutors(n);
  }

  /** Steps of {@code delayMs} or more: the sleep, not the two busy cores, sets the pace. */
  private static PSTrainer downpour(int batchSize, int epochs, long delayMs) {
    return new PSTrainer().setFramework("downpour").setNumWorkers(SHARDS).setNumServers(2)
        .setOptimizer("sgd").setStepSize(0.1).setBatchSize(batchSize).setMaxEpochs(epochs)
        .setSeed(7).setModel(new StepClockModel(delayMs, steps));
  }

  private static long total(Map<String, List<Long>> byExecutor) {
    return byExecutor.values().stream().mapToLong(List::size).sum();
  }

  /** Every worker step of the fit was applied once on every slice. */
  private static void assertEveryStepAppliedOnce(PSTrainerModel model, int epochs) {
    TrainingSummary s = model.summary();
    long stepsPerShard = s.stepLoss().length;
    assertEquals(0, stepsPerShard % epochs, "steps per shard are steps per epoch x epochs");
    assertEquals(SHARDS, s.numWorkers(), s.toString());
    assertEquals(SHARDS * stepsPerShard, s.totalSteps(), s.toString());
    int slices = Slicer.slice(new BinaryLogisticRegression().params(model.numFeatures()), 2, 1)
        .slices().size();
    assertEquals(SHARDS * stepsPerShard * slices, s.serverSharesApplied(), s.toString());
    assertEquals(epochs, s.epochLoss().length);
    assertTrue(Double.isFinite(s.finalLoss()) && s.finalLoss() < 0.5, s.toString());
  }

  @Test
  void aDownpourFitSpeedsUpWhenAnExecutorJoins() throws Exception {
    executors(1);
    clearSteps();
    String first = executorIds().get(0);
    // 8 shards of ~4070 rows: 64 steps of 64 rows per shard and epoch, 2048 steps in all,
    // of 25 ms or more: about 70 s on one executor, enough for a second one to start (10 to
    // 30 s on two busy cores) and then train for a while.
    Future<PSTrainerModel> fit = background.submit(() -> downpour(64, 4, 25).fit(train));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (total(StepClockModel.read(steps)) < 100) {
      assertFalse(fit.isDone(), "the fit ended before its 100th step");
      assertTrue(System.nanoTime() < deadline, "100 steps not run within 120 s");
      Thread.sleep(20);
    }
    long asked = System.currentTimeMillis();
    assertTrue(spark.sparkContext().requestExecutors(1), "a second executor requested");
    PSTrainerModel model = fit.get(180, TimeUnit.SECONDS);

    assertEveryStepAppliedOnce(model, 4);
    Map<String, List<Long>> byExecutor = StepClockModel.read(steps);
    List<Long> all = byExecutor.values().stream().flatMap(List::stream).sorted().toList();
    List<String> joined = byExecutor.keySet().stream().filter(e -> !e.equals(first)).toList();
    assertEquals(1, joined.size(), "one more executor trained: " + byExecutor.keySet());
    List<Long> theirs = byExecutor.get(joined.get(0));
    long joinedAt = theirs.stream().mapToLong(Long::longValue).min().orElseThrow();
    // Before: from the first step to the request. After: from the new executor's first step
    // to the last. Between them the new executor's JVM starts, on the same two cores.
    long start = all.get(0);
    long end = all.get(all.size() - 1);
    long before = all.stream().filter(t -> t < asked).count();
    long after = all.stream().filter(t -> t >= joinedAt).count();
    double rateBefore = before * 1000.0 / (asked - start);
    double rateAfter = after * 1000.0 / Math.max(1, end - joinedAt);
    long registered = REGISTERED.get(joined.get(0));
    long firstTask = FIRST_TASK.get(joined.get(0));
    System.out.printf("elastic-workers: steps/s before=%.1f after=%.1f ratio=%.2f (%d steps "
        + "on one executor in %.1f s, then %d on two in %.1f s, %d of them on the second "
        + "executor; it registered %.1f s after it was asked for, got its first unit %.1f s "
        + "later and ran its first step %.1f s after that)%n", rateBefore, rateAfter,
        rateAfter / rateBefore, before, (asked - start) / 1000.0, after,
        (end - joinedAt) / 1000.0, theirs.size(), (registered - asked) / 1000.0,
        (firstTask - registered) / 1000.0, (joinedAt - firstTask) / 1000.0);
    // A pending unit goes to the new executor as soon as it registers. Its first step comes
    // later by the start of a task on a fresh JVM, which loads the training's classes and
    // ND4J: 1.5 to 12 s on the test machine, depending on its load.
    assertTrue(firstTask - registered < 5_000, "the second executor got its first unit "
        + (firstTask - registered) + " ms after it registered");
    assertTrue(after > 200 && theirs.size() > 100, "the second executor trained a good part: "
        + theirs.size() + " of the " + after + " steps after it joined");
    assertTrue(rateAfter > 1.3 * rateBefore, String.format("steps/s before %.1f, after %.1f",
        rateBefore, rateAfter));
  }

  @Test
  void aDecommissionedExecutorsUnitRunsAgainWithEveryStepAppliedOnce() throws Exception {
    executors(2);
    clearSteps();
    // 8 shards: 128 steps of 32 rows per shard and epoch, 2048 steps in all.
    Future<PSTrainerModel> fit = background.submit(() -> downpour(32, 2, 10).fit(train));
    String victim = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (victim == null) {
      // 150 steps on one executor: 22 steps into its second unit (of 128 steps, 1.3 s or
      // more), which its decommission cuts short.
      for (Map.Entry<String, List<Long>> e : StepClockModel.read(steps).entrySet()) {
        if (e.getValue().size() >= 150) {
          victim = e.getKey();
        }
      }
      assertFalse(fit.isDone(), "the fit ended before an executor ran 150 steps");
      assertTrue(System.nanoTime() < deadline, "no executor ran 150 steps within 120 s");
      Thread.sleep(5);
    }
    decommission(victim);
    PSTrainerModel model = fit.get(180, TimeUnit.SECONDS);

    assertEveryStepAppliedOnce(model, 2);
    assertFalse(executorIds().contains(victim), "executor " + victim + " is gone");
    TrainingSummary s = model.summary();
    // The cut unit ran again and resumed after the steps it had applied.
    assertTrue(s.workers().stream().anyMatch(w -> w.firstStep() > 0), s.workers().toString());
    System.out.printf("elastic-workers: decommissioned executor %s after %d of its steps; "
        + "units resumed: %s%n", victim, StepClockModel.read(steps).get(victim).size(),
        s.workers().stream().filter(w -> w.firstStep() > 0)
            .map(w -> "shard " + w.worker() + " skipped " + w.firstStep()).toList());
  }
}
