package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.cluster.PsCluster;
import io.sparkps.cluster.SliceMove;
import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.param.SliceInfo;
import io.sparkps.param.Slicer;
import io.sparkps.testing.SharedSpark;
import io.sparkps.transport.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server cluster grows and shrinks while real fits run (real server JVMs, real sockets,
 * servers an operator starts with bin/ps-server). Sandblaster with SGD and a fixed seed is
 * deterministic, so a fit whose slices moved and that ends with the weights of an undisturbed
 * one lost no update and applied none twice.
 */
class ElasticServersTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static BackgroundFits background;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    spark = SharedSpark.get();
    background = new BackgroundFits(spark);
    train = background.train();
  }

  @AfterAll
  static void stop() {
    background.close();
  }

  @AfterEach
  void fresh() {
    // Paused, killed or resized servers: the next test starts from a clean cluster.
    background.reset("spark.ps.replication", "spark.ps.slicesPerServer", "spark.ps.maxInFlight");
  }


  /** Many small steps: long enough (several seconds here) for servers to start meanwhile. */
  private static PSTrainer sandblaster() {
    return new PSTrainer().setFramework("sandblaster").setNumWorkers(2).setNumServers(2)
        .setOptimizer("sgd").setStepSize(0.05).setBatchSize(8).setMaxEpochs(4).setSeed(7);
  }

  private static Future<PSTrainerModel> fitInBackground(PSTrainer trainer) throws Exception {
    return background.start(trainer);
  }

  private static void awaitSteps(PsCluster cluster, long steps, Future<?> fit)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (cluster.stepsApplied() < steps) {
      assertFalse(fit.isDone(), "the fit ended before step " + steps);
      assertTrue(System.nanoTime() < deadline, "step " + steps + " not reached in 60 s");
      Thread.sleep(5);
    }
  }

  /** Every server holds within one slice of its share of the bytes. */
  private static void assertEven(PsCluster cluster, int servers, long sliceBytes) {
    Map<Integer, Long> held = cluster.bytesHeld();
    assertEquals(servers, held.size(), held.toString());
    long total = held.values().stream().mapToLong(Long::longValue).sum();
    held.forEach((id, bytes) -> assertTrue(Math.abs(bytes - (double) total / servers)
        <= sliceBytes, "server " + id + " holds " + bytes + " of " + total + " bytes, more than"
        + " one slice (" + sliceBytes + " bytes) from a " + servers + "th: " + held));
  }

  @Test
  void sandblasterEndsWithTheUndisturbedWeightsWhileServersGrowFromTwoToFourAndShrinkToThree()
      throws Exception {
    spark.conf().set("spark.ps.replication", "1");
    spark.conf().set("spark.ps.slicesPerServer", "4");
    PSTrainerModel undisturbed = sandblaster().fit(train);
    List<SliceInfo> slices = Slicer.slice(new BinaryLogisticRegression().params(
        undisturbed.numFeatures()), 2, 1, 4).slices();
    long sliceBytes = Float.BYTES * slices.stream().mapToLong(SliceInfo::length).max()
        .orElseThrow();

    // The same fit, each step 2 ms slower (same gradients), so that it outlasts two resizes
    // however quickly the machine trains.
    Future<PSTrainerModel> fit = fitInBackground(sandblaster().setModel(new PacedModel(2)));
    PsCluster cluster = PsClusters.running(spark.sparkContext());
    Map<Integer, Long> first = cluster.livePids();
    awaitSteps(cluster, 200, fit);
    List<SliceMove> grown = cluster.resize(4);
    assertFalse(fit.isDone(), "the fit ended while the servers were added: make it longer");
    assertEven(cluster, 4, sliceBytes);
    assertTrue(grown.stream().anyMatch(SliceMove::primary), grown.toString());

    awaitSteps(cluster, cluster.stepsApplied() + 200, fit);
    List<SliceMove> shrunk = cluster.resize(3);
    assertFalse(fit.isDone(), "the fit ended while a server was removed: make it longer");
    assertEven(cluster, 3, sliceBytes);
    assertFalse(shrunk.isEmpty());

    PSTrainerModel resized = fit.get(120, TimeUnit.SECONDS);
    Weights.assertSame(undisturbed, resized);
    assertEquals(undisturbed.summary().serverSharesApplied(),
        resized.summary().serverSharesApplied());
    assertEquals(0, resized.summary().serverFailures());
    assertEquals(3, cluster.liveServers());
    first.forEach((id, pid) -> assertEquals(pid, cluster.livePids().get(id),
        "server " + id + " was restarted"));
    System.out.println("resize during sandblaster: " + grown.size() + " moves growing, "
        + shrunk.size() + " shrinking; longest switch " + cluster.moves().stream()
            .mapToDouble(SliceMove::switchMillis).max().orElse(0) + " ms");
  }

  @Test
  void aChangedNumServersBetweenFitsReusesTheRunningServers() {
    PSTrainer quick = new PSTrainer().setFramework("sandblaster").setNumWorkers(2)
        .setOptimizer("sgd").setBatchSize(256).setMaxEpochs(1).setSeed(3);
    quick.setNumServers(2).fit(train);
    Map<Integer, Long> two = PsClusters.running(spark.sparkContext()).livePids();
    assertEquals(2, two.size());

    quick.setNumServers(3).fit(train);
    PsCluster cluster = PsClusters.running(spark.sparkContext());
    Map<Integer, Long> three = cluster.livePids();
    assertEquals(3, three.size(), three.toString());
    two.forEach((id, pid) -> assertEquals(pid, three.get(id), "server " + id + " restarted"));

    PSTrainerModel shrunk = quick.setNumServers(2).fit(train);
    assertTrue(cluster == PsClusters.running(spark.sparkContext()), "a new cluster started");
    Map<Integer, Long> back = cluster.livePids();
    assertEquals(2, back.size(), back.toString());
    back.forEach((id, pid) -> assertEquals(pid, three.get(id), "server " + id + " restarted"));
    assertEquals(2, shrunk.summary().numServers());
  }

  /** bin/ps-server, run as an operator would, with the join command the driver logged. */
  private Process psServer(String joinCommand, Path secretFile, Path log) throws Exception {
    List<String> args = new ArrayList<>(Arrays.asList(joinCommand.trim().split("\\s+")));
    assertEquals("bin/ps-server", args.get(0), joinCommand);
    args.set(0, ROOT.resolve("bin/ps-server").toString());
    int file = args.indexOf("--secret-file");
    assertTrue(file > 0, joinCommand);
    if (secretFile != null) {
      args.set(file + 1, secretFile.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("SPARKPS_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("SPARKPS_SERVER_MEMORY", "256m");
    return pb.start();
  }

  @Test
  void anOperatorsServerJoinsADownpourFitWhileAWrongSecretIsRefused() throws Exception {
    spark.conf().set("spark.ps.replication", "1");
    // Workers that wait for each answer: a fit long enough for a server to start and join.
    spark.conf().set("spark.ps.maxInFlight", "1");
    PSTrainer downpour = new PSTrainer().setFramework("downpour").setNumWorkers(2)
        .setNumServers(2).setOptimizer("sgd").setStepSize(0.05).setBatchSize(8)
        .setMaxEpochs(4).setSeed(7);
    Future<PSTrainerModel> fit = fitInBackground(downpour);
    PsCluster cluster = PsClusters.running(spark.sparkContext());
    String join = cluster.joinCommand();
    Process joined = null;
    try {
      Path wrong = tmp.resolve("wrong-secret");
      Files.writeString(wrong, Secret.generate(new SecureRandom()).toHex() + "\n",
          StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
      Path refusedLog = tmp.resolve("refused.log");
      Process refused = psServer(join, wrong, refusedLog);
      assertTrue(refused.waitFor(60, TimeUnit.SECONDS), "a server with a wrong secret still "
          + "runs after 60 s");
      String said = Files.readString(refusedLog);
      assertEquals(5, refused.exitValue(), said);
      assertTrue(said.contains("refused"), said);
      assertEquals(2, cluster.liveServers());
      assertTrue(cluster.failures().isEmpty(), cluster.failures().toString());

      Path joinedLog = tmp.resolve("joined.log");
      joined = psServer(join, null, joinedLog);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (cluster.bytesHeld().size() < 3 || cluster.bytesHeld().values().stream()
          .anyMatch(b -> b == 0)) {
        assertTrue(joined.isAlive(), "bin/ps-server exited: " + Files.readString(joinedLog));
        assertFalse(fit.isDone(), "the fit ended before the joined server received slices: "
            + cluster.bytesHeld());
        assertTrue(System.nanoTime() < deadline, "no slices on the joined server in 90 s: "
            + cluster.bytesHeld() + "\n" + Files.readString(joinedLog));
        Thread.sleep(20);
      }
      PSTrainerModel model = fit.get(120, TimeUnit.SECONDS);
      TrainingSummary s = model.summary();
      int slices = Slicer.slice(new BinaryLogisticRegression().params(model.numFeatures()), 2,
          1).slices().size();
      assertEquals(0, s.serverFailures());
      assertEquals(3, cluster.liveServers());
      // Every worker step pushes every slice once; each counts once wherever it was served.
      assertEquals(s.totalSteps() * slices, s.serverSharesApplied(), s.toString());
      assertTrue(cluster.moves().stream().anyMatch(m -> m.reason().equals("join")),
          cluster.moves().toString());

      PsClusters.stop(spark.sparkContext().applicationId());
      assertTrue(joined.waitFor(30, TimeUnit.SECONDS), "the joined server outlived its cluster");
      assertEquals(0, joined.exitValue(), Files.readString(joinedLog));
    } finally {
      if (joined != null) {
        joined.destroyForcibly();
      }
    }
  }
}
