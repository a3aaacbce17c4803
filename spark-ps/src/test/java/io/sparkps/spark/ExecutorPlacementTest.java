package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.cluster.PsCluster;
import io.sparkps.testing.LocalClusterSpark;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Separate servers placed on executors ({@code spark.ps.server.placement=executors}) of a
 * {@code local-cluster} of two 2-core executors, each executor a JVM of its own: each server
 * is a JVM launched by a long-running Spark task beside its executor. They train exactly as
 * servers on the driver's host do, survive kill -9 with replication, and never outlive their
 * executor or the cluster.
 */
class ExecutorPlacementTest {
  private static final Random RANDOM = new Random();
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static ExecutorService background;

  @BeforeAll
  static void start() {
    SharedSpark.get().stop();  // one SparkContext per JVM
    spark = LocalClusterSpark.start("spark-ps-executor-placement", "local-cluster[2,2,1536]",
        Map.of("spark.ps.lease", "3s"));
    train = TestData.a9aTrain(spark).cache();
    train.count();
    background = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void stop() {
    background.shutdownNow();
    spark.stop();
  }

  @AfterEach
  void fresh() {
    for (String key : List.of("spark.ps.replication", "spark.ps.server.placement")) {
      spark.conf().unset(key);
    }
    PsClusters.stop(spark.sparkContext().applicationId());
  }

  private static PSTrainer sandblaster() {
    return new PSTrainer().setFramework("sandblaster").setNumWorkers(2).setNumServers(2)
        .setOptimizer("sgd").setStepSize(0.1).setBatchSize(32).setMaxEpochs(3).setSeed(7);
  }

  /** The JVM that launched each live server, by server pid. */
  private static Map<Long, ProcessHandle> parents() {
    Map<Long, ProcessHandle> out = new java.util.TreeMap<>();
    for (long pid : PsClusters.running(spark.sparkContext()).livePids().values()) {
      ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
      out.put(pid, server.parent().orElseThrow());
    }
    return out;
  }

  private static boolean isExecutor(ProcessHandle p) {
    return p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend");
  }

  @Test
  void serversRunBesideExecutorsAndTrainAsServersOnTheDriverDo() {
    spark.conf().set("spark.ps.server.placement", "driver");
    PSTrainerModel onDriver = sandblaster().fit(train);
    for (ProcessHandle parent : parents().values()) {
      assertEquals(ProcessHandle.current().pid(), parent.pid());
    }
    PsClusters.stop(spark.sparkContext().applicationId());

    spark.conf().set("spark.ps.server.placement", "executors");
    PSTrainerModel onExecutors = sandblaster().fit(train);
    Map<Long, ProcessHandle> parents = parents();
    assertEquals(2, parents.size());
    // Servers spread over distinct hosts (MultiHostIT); here both executors are one host, so
    // which executor launches each server is Spark's choice.
    for (ProcessHandle parent : parents.values()) {
      assertTrue(isExecutor(parent), "launched by " + parent.info().commandLine());
    }
    // Both executors are on this host; Spark calls it localhost in local-cluster.
    assertEquals(1, onExecutors.summary().serverHosts().size(),
        onExecutors.summary().serverHosts().toString());
    Weights.assertSame(onDriver, onExecutors);

    // A later fit reuses the servers.
    PsCluster cluster = PsClusters.running(spark.sparkContext());
    sandblaster().fit(train);
    assertTrue(cluster == PsClusters.running(spark.sparkContext()));
  }

  @Test
  void aKilledServerOnAnExecutorLosesNothing() throws Exception {
    spark.conf().set("spark.ps.server.placement", "executors");
    spark.conf().set("spark.ps.replication", "1");
    // Starts the servers first, so that the kill below lands in training, not in start-up.
    sandblaster().setMaxEpochs(1).fit(train);

    int before = PsClusters.running(spark.sparkContext()).failures().size();
    Future<PSTrainerModel> fit = background.submit(() -> sandblaster().setMaxEpochs(6)
        .fit(train));
    Thread.sleep(1500 + RANDOM.nextInt(1000));
    assertTrue(!fit.isDone(), "the fit ended before a server could be killed");
    List<Long> pids = new ArrayList<>(PsClusters.running(spark.sparkContext()).livePids()
        .values());
    long victim = pids.get(RANDOM.nextInt(pids.size()));
    new ProcessBuilder("kill", "-KILL", Long.toString(victim)).start().waitFor();
    PSTrainerModel disturbed = fit.get(120, TimeUnit.SECONDS);

    PsCluster cluster = PsClusters.running(spark.sparkContext());
    assertEquals(before + 1, cluster.failures().size(), "killed pid " + victim);
    assertTrue(cluster.failures().get(before).reason().contains("status 137"),
        cluster.failures().get(before).toString());
    PSTrainerModel sixEpochs = sandblaster().setMaxEpochs(6).fit(train);
    Weights.assertSame(sixEpochs, disturbed);
    assertTrue(cluster.awaitHealthy(30_000), "the lost server was replaced");
  }

  @Test
  void aServerExitsWithItsExecutor() throws Exception {
    spark.conf().set("spark.ps.server.placement", "executors");
    sandblaster().setMaxEpochs(1).fit(train);
    Map<Long, ProcessHandle> parents = parents();
    long server = parents.keySet().iterator().next();
    ProcessHandle executor = parents.get(server);
    assertNotEquals(ProcessHandle.current().pid(), executor.pid());
    executor.destroyForcibly();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ProcessHandle.of(server).map(ProcessHandle::isAlive).orElse(false)) {
      assertTrue(System.nanoTime() < deadline, "server " + server + " outlived its executor");
      Thread.sleep(50);
    }
    // The worker starts a new executor: wait for it, so that the next test has its slots.
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < 3) {
      assertTrue(System.nanoTime() < deadline, "the lost executor was not replaced");
      Thread.sleep(100);
    }
  }

  @Test
  void stoppingTheClusterStopsEveryServerAndItsTask() throws Exception {
    spark.conf().set("spark.ps.server.placement", "executors");
    sandblaster().setMaxEpochs(1).fit(train);
    Set<Long> servers = new HashSet<>(PsClusters.running(spark.sparkContext()).livePids()
        .values());
    assertEquals(2, servers.size());
    PsClusters.stop(spark.sparkContext().applicationId());
    for (long pid : servers) {
      assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "pid " + pid);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (spark.sparkContext().statusTracker().getActiveJobIds().length > 0) {
      assertTrue(System.nanoTime() < deadline, "a server's job is still running");
      Thread.sleep(50);
    }
  }
}
