package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.PsException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import io.sparkps.testing.LocalClusterSpark;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Co-located servers and Downpour with separate executor JVMs: each worker runs in its own
 * executor process, so co-located servers live in two different JVMs and reach each other,
 * and the driver, over sockets.
 */
class LocalClusterFrameworksTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    SparkSession shared = SharedSpark.get();
    shared.stop();  // one SparkContext per JVM
    spark = LocalClusterSpark.start("spark-ps-local-cluster");
  }

  @AfterAll
  static void stop() {
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

  @Test
  void aLostExecutorFailsACoLocatedFitAtOnceSayingWhyAndTheNextFitTrains() throws Exception {
    Dataset<Row> train = TestData.a9aTrain(spark).cache();
    train.count();
    AtomicInteger trainingJobs = new AtomicInteger();
    TrainingJobs.onStart(spark.sparkContext(), trainingJobs::incrementAndGet);
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<PSTrainerModel> fit = background.submit(() -> new PSTrainer()
          .setFramework("hogwild").setNumWorkers(2).setBatchSize(8).setMaxEpochs(20)
          .fit(train));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (trainingJobs.get() == 0 && System.nanoTime() < deadline && !fit.isDone()) {
        Thread.sleep(5);
      }
      Thread.sleep(2_000);
      List<ProcessHandle> jvms = executors();
      assertEquals(2, jvms.size(), "two executor JVMs to choose from");
      long killed = System.nanoTime();
      jvms.get(0).destroyForcibly();
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> fit.get(120, TimeUnit.SECONDS));
      double seconds = (System.nanoTime() - killed) / 1e9;
      assertTrue(e.getCause() instanceof PsException, String.valueOf(e.getCause()));
      String message = e.getCause().getMessage();
      assertTrue(message.contains("an executor was lost") && message.contains("co-located"),
          message);
      assertTrue(seconds < 60, "the fit failed " + seconds + " s after the executor died");
    } finally {
      background.shutdownNow();
    }
    // The worker starts a new executor; once both are back, a new fit trains.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (spark.sparkContext().getExecutorMemoryStatus().size() < 3
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    PSTrainerModel after = new PSTrainer().setFramework("hogwild").setNumWorkers(2)
        .setMaxEpochs(1).fit(train);
    assertTrue(after.summary().examples() > 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"allreduce", "downpour", "hogwild", "inmemory-hogwild"})
  void trainsOnTwoExecutorJvms(String framework) {
    Dataset<Row> train = TestData.a9aTrain(spark).cache();
    PSTrainerModel model = new PSTrainer().setFramework(framework).setNumWorkers(2)
        .setMaxEpochs(3).fit(train);
    double auc = new BinaryClassificationEvaluator().evaluate(
        model.transform(TestData.a9aTest(spark)));
    System.out.printf("local-cluster %s: AUC %.4f, %.2f s%n", framework, auc,
        model.summary().trainSeconds());
    assertEquals(2, spark.sparkContext().getExecutorMemoryStatus().size() - 1,
        "two executor JVMs besides the driver");
    assertTrue(auc >= 0.89, framework + " AUC " + auc);
  }
}
