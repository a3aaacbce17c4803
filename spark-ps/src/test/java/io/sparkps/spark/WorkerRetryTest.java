package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.param.Slicer;
import io.sparkps.testing.LocalClusterSpark;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Executor JVMs killed with SIGKILL in the middle of real fits on a {@code local-cluster}:
 * Spark, or spark-ps for a barrier stage, runs a worker's partition again, and every step is
 * applied once. Sandblaster with SGD and a fixed seed is deterministic, so a disturbed fit that
 * ends with the weights of an undisturbed one lost no step and applied none twice; for the
 * asynchronous frameworks the servers' count of applied shares says the same.
 */
class WorkerRetryTest {
  private static final Random RANDOM = new Random();
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static ExecutorService background;
  private static Path marker;

  @BeforeAll
  static void start() {
    SharedSpark.get().stop();  // one SparkContext per JVM
    spark = LocalClusterSpark.start("spark-ps-worker-retry");
    train = TestData.a9aTrain(spark).cache();
    train.count();
    background = Executors.newSingleThreadExecutor();
    try {
      marker = Files.createTempFile("spark-ps-worker-retry", ".marker");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() throws java.io.IOException {
    if (marker != null) {
      Files.deleteIfExists(marker);
    }
    if (background != null) {
      background.shutdownNow();
    }
    if (spark != null) {
      spark.stop();
    }
  }

  /** The executor JVMs of the local cluster: processes started below this one. */
  private static List<ProcessHandle> executors() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .toList();
  }

  /** Waits until both executors are up (a killed one is replaced by its worker). */
  private static void awaitTwoExecutors() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (spark.sparkContext().getExecutorMemoryStatus().size() < 3) {
      assertTrue(System.nanoTime() < deadline, "the local cluster did not get two executors");
      Thread.sleep(100);
    }
  }

  /** The model of every fit here; its marker is created 300 steps into a task. */
  private static PacedModel model() {
    return new PacedModel(1, marker, 300);
  }

  /**
   * Fits in the background and SIGKILLs a random executor JVM at a random moment after one of
   * the fit's tasks computed 300 steps (of about 3000).
   */
  private static PSTrainerModel fitKillingAnExecutor(PSTrainer trainer) throws Exception {
    awaitTwoExecutors();
    Files.deleteIfExists(marker);
    Future<PSTrainerModel> fit = background.submit(() -> trainer.fit(train));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(marker)) {
      if (fit.isDone()) {
        fit.get();
        throw new AssertionError("the fit ended before its workers got going");
      }
      assertTrue(System.nanoTime() < deadline, "no worker ran 300 steps within 120 s");
      Thread.sleep(2);
    }
    Thread.sleep(RANDOM.nextInt(500));
    if (fit.isDone()) {
      throw new AssertionError("the fit ended before an executor could be killed");
    }
    List<ProcessHandle> jvms = executors();
    assertEquals(2, jvms.size(), "two executor JVMs to choose from");
    jvms.get(RANDOM.nextInt(2)).destroyForcibly();
    return fit.get(180, TimeUnit.SECONDS);
  }

  /** Slices of a9a's logistic regression over {@code servers} servers. */
  private static int slices(PSTrainerModel model, int servers) {
    return Slicer.slice(new BinaryLogisticRegression().params(model.numFeatures()), servers, 1)
        .slices().size();
  }

  @Test
  void sandblasterEndsWithTheUndisturbedWeightsWhenAnExecutorIsKilled() throws Exception {
    PSTrainer sandblaster = new PSTrainer().setFramework("sandblaster").setNumWorkers(2)
        .setNumServers(2).setOptimizer("sgd").setStepSize(0.1).setBatchSize(32)
        .setMaxEpochs(6).setSeed(7).setModel(model());
    awaitTwoExecutors();
    PSTrainerModel undisturbed = sandblaster.fit(train);
    assertEquals(1, undisturbed.summary().stageRuns());

    PSTrainerModel disturbed = fitKillingAnExecutor(sandblaster);

    TrainingSummary s = disturbed.summary();
    assertTrue(s.stageRuns() >= 2, "the barrier stage ran again: " + s);
    // The failed run's surviving task was interrupted, not left waiting for its group until
    // spark.ps.rpc.timeout (120 s) with its task slot.
    assertTrue(s.trainSeconds() < 60, "the training took " + s.trainSeconds() + " s");
    assertTrue(s.workers().stream().allMatch(w -> w.firstStep() > 0),
        "both workers resumed past step 0: " + s.workers());
    Weights.assertSame(undisturbed, disturbed);
    assertEquals(undisturbed.summary().serverSharesApplied(), s.serverSharesApplied());
    assertEquals(undisturbed.summary().totalSteps(), s.totalSteps());
  }

  @Test
  void downpourAppliesEveryWorkerStepOnceWhenAnExecutorIsKilled() throws Exception {
    PSTrainer downpour = new PSTrainer().setFramework("downpour").setNumWorkers(2)
        .setNumServers(2).setOptimizer("sgd").setStepSize(0.1).setBatchSize(32)
        .setMaxEpochs(6).setSeed(7).setModel(model());
    PSTrainerModel model = fitKillingAnExecutor(downpour);

    TrainingSummary s = model.summary();
    long stepsPerWorker = s.stepLoss().length;
    assertEquals(2 * stepsPerWorker, s.totalSteps(), s.toString());
    // Every worker step pushes every slice once; each share is applied once however often a
    // task of its worker sent it.
    assertEquals(2 * stepsPerWorker * slices(model, 2), s.serverSharesApplied(), s.toString());
    assertTrue(s.workers().stream().anyMatch(w -> w.firstStep() > 0),
        "a retried task resumed past step 0: " + s.workers());
  }

  @Test
  void hogwildRunsItsCoLocatedStageAgainAndAppliesEveryStepOnce() throws Exception {
    PSTrainer hogwild = new PSTrainer().setFramework("hogwild").setNumWorkers(2)
        .setOptimizer("sgd").setStepSize(0.1).setBatchSize(32).setMaxEpochs(6).setSeed(7)
        .setModel(model());
    awaitTwoExecutors();
    PSTrainerModel undisturbed = hogwild.fit(train);

    PSTrainerModel disturbed = fitKillingAnExecutor(hogwild);

    TrainingSummary s = disturbed.summary();
    assertTrue(s.stageRuns() >= 2, s.toString());
    // Co-located servers died with the executor: the stage starts again from step 0, on new
    // servers, and applies each step once.
    assertEquals(undisturbed.summary().serverSharesApplied(), s.serverSharesApplied());
    assertEquals(undisturbed.summary().totalSteps(), s.totalSteps());
    assertTrue(Double.isFinite(s.finalLoss()) && s.finalLoss() < 0.5, s.toString());
  }
}
