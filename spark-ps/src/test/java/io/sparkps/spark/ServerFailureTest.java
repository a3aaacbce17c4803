package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.cluster.PsCluster;
import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.param.Slicer;
import io.sparkps.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
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
 * Separate servers killed with SIGKILL, or paused with SIGSTOP, in the middle of real fits
 * (real server JVMs, real sockets). Sandblaster with SGD and a fixed seed is deterministic, so
 * a disturbed fit that ends with the weights of an undisturbed one lost no acknowledged update
 * and applied none twice.
 */
class ServerFailureTest {
  private static final Random RANDOM = new Random();
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static BackgroundFits background;

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
    background.reset("spark.ps.replication", "spark.ps.rpc.timeout");
  }


  /** Replicated: about 3 s of training here. */
  private static PSTrainer sandblaster(int servers) {
    return new PSTrainer().setFramework("sandblaster").setNumWorkers(2)
        .setNumServers(servers).setOptimizer("sgd").setStepSize(0.1).setBatchSize(32)
        .setMaxEpochs(4).setSeed(7);
  }

  /** Not replicated, so faster: smaller batches keep it training for a few seconds. */
  private static PSTrainer unreplicated() {
    return sandblaster(2).setBatchSize(8).setStepSize(0.05);
  }

  /**
   * Starts the fit in the background and returns a random while (0.3 to 1.3 s) after its
   * training job started: in the middle of its training.
   */
  private static Future<PSTrainerModel> fitInBackground(PSTrainer trainer) throws Exception {
    Future<PSTrainerModel> fit = background.start(trainer);
    Thread.sleep(300 + RANDOM.nextInt(1000));
    if (fit.isDone()) {
      throw new AssertionError("the fit ended before the failure could be injected");
    }
    return fit;
  }

  private static long randomLiveServer() {
    Map<Integer, Long> pids = PsClusters.running(spark.sparkContext()).livePids();
    List<Long> all = new ArrayList<>(pids.values());
    return all.get(RANDOM.nextInt(all.size()));
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
  }

  /**
   * Stops a random live server (SIGSTOP) for three leases (spark.ps.lease=3s in SharedSpark),
   * long past the failure timeout, then lets it go on; returns its pid.
   */
  private static long pauseALiveServer() throws Exception {
    long paused = randomLiveServer();
    signal("STOP", paused);
    try {
      Thread.sleep(9_000);
    } finally {
      signal("CONT", paused);
    }
    return paused;
  }

  @Test
  void sandblasterLosesNothingWhenAReplicatedServerIsKilled() throws Exception {
    spark.conf().set("spark.ps.replication", "1");
    PSTrainerModel undisturbed = sandblaster(3).fit(train);
    assertEquals(0, undisturbed.summary().serverFailures());

    Future<PSTrainerModel> fit = fitInBackground(sandblaster(3));
    long victim = randomLiveServer();
    signal("KILL", victim);
    PSTrainerModel disturbed = fit.get(120, TimeUnit.SECONDS);

    assertEquals(1, disturbed.summary().serverFailures(), "killed pid " + victim);
    assertTrue(disturbed.summary().recoveryMillis() >= 0, disturbed.summary().toString());
    Weights.assertSame(undisturbed, disturbed);
    assertEquals(undisturbed.summary().serverSharesApplied(),
        disturbed.summary().serverSharesApplied());
  }

  @Test
  void downpourAppliesEveryWorkerStepOnceWhenAServerIsKilled() throws Exception {
    spark.conf().set("spark.ps.replication", "1");
    PSTrainer downpour = new PSTrainer().setFramework("downpour").setNumWorkers(2)
        .setNumServers(3).setOptimizer("sgd").setStepSize(0.1).setBatchSize(32)
        .setMaxEpochs(4).setSeed(7);
    Future<PSTrainerModel> fit = fitInBackground(downpour);
    signal("KILL", randomLiveServer());
    PSTrainerModel model = fit.get(120, TimeUnit.SECONDS);

    TrainingSummary s = model.summary();
    int slices = Slicer.slice(new BinaryLogisticRegression().params(model.numFeatures()), 3, 1)
        .slices().size();
    assertEquals(1, s.serverFailures());
    assertEquals(2, s.numWorkers());
    // Every worker step pushes every slice once; each counts once however often it was sent.
    assertEquals(s.totalSteps() * slices, s.serverSharesApplied(), s.toString());
  }

  @Test
  void withoutReplicationAKilledServerFailsTheFitFastAndSaysWhy() throws Exception {
    spark.conf().set("spark.ps.replication", "0");
    spark.conf().set("spark.ps.rpc.timeout", "30s");
    Future<PSTrainerModel> fit = fitInBackground(unreplicated());
    long victim = randomLiveServer();
    long killed = System.nanoTime();
    signal("KILL", victim);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> fit.get(120, TimeUnit.SECONDS));
    double seconds = (System.nanoTime() - killed) / 1e9;
    assertTrue(seconds < 30, "failed after " + seconds + " s, beyond spark.ps.rpc.timeout");
    String message = e.getCause().getMessage();
    assertTrue(message.contains("pid " + victim), message);
    assertTrue(message.contains("spark.ps.replication"), message);
    assertTrue(message.contains("exited with status 137"), message);

    // The failed fit's tasks are gone: the next fit gets the slots at once.
    long next = System.nanoTime();
    PSTrainerModel after = sandblaster(2).setMaxEpochs(1).fit(train);
    double nextSeconds = (System.nanoTime() - next) / 1e9;
    assertTrue(nextSeconds < 30, "the next fit took " + nextSeconds + " s");
    assertEquals(0, after.summary().serverFailures());
  }

  @Test
  void aPausedServerIsFailedOverAndDoesNotExit() throws Exception {
    spark.conf().set("spark.ps.replication", "1");
    PSTrainerModel undisturbed = sandblaster(3).fit(train);
    Future<PSTrainerModel> fit = fitInBackground(sandblaster(3));
    long paused = pauseALiveServer();
    PSTrainerModel model = fit.get(120, TimeUnit.SECONDS);
    Weights.assertSame(undisturbed, model);
    Thread.sleep(2_000);
    assertTrue(ProcessHandle.of(paused).map(ProcessHandle::isAlive).orElse(false),
        "the paused server exited after it woke up");
  }

  @Test
  void withoutReplicationAPausedServerIsWaitedFor() throws Exception {
    spark.conf().set("spark.ps.replication", "0");
    PSTrainerModel undisturbed = unreplicated().fit(train);
    Future<PSTrainerModel> fit = fitInBackground(unreplicated());
    long paused = pauseALiveServer();
    PSTrainerModel model = fit.get(120, TimeUnit.SECONDS);
    assertEquals(0, model.summary().serverFailures());
    Weights.assertSame(undisturbed, model);
    PsCluster cluster = PsClusters.running(spark.sparkContext());
    assertTrue(cluster.livePids().containsValue(paused), "the paused server is still serving");
    assertFalse(cluster.failures().stream().anyMatch(f -> f.what().contains("pid " + paused)));
  }
}
