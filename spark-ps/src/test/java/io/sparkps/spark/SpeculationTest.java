package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.model.Batch;
import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.ParamSpec;
import io.sparkps.param.Slicer;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import io.sparkps.testing.TwoHostCluster;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code spark.speculation=true}, Spark runs a copy of a slow worker's task on the other
 * host of a two-host standalone cluster while the slow one goes on: two attempts of one
 * partition push the same steps at the same time, and the servers apply each step once.
 */
class SpeculationTest {
  private static final AtomicInteger speculativeTasks = new AtomicInteger();
  private static TwoHostCluster cluster;
  private static SparkSession spark;
  private static Dataset<Row> train;

  @BeforeAll
  static void start() {
    SharedSpark.get().stop();  // one SparkContext per JVM
    cluster = TwoHostCluster.start();
    spark = cluster.session("spark-ps-speculation", Map.of(
        "spark.speculation", "true",
        "spark.speculation.interval", "100ms",
        "spark.speculation.quantile", "0.5",
        "spark.speculation.multiplier", "1.5",
        "spark.speculation.minTaskRuntime", "1s",
        "spark.locality.wait", "0"));
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskStart(SparkListenerTaskStart start) {
        if (start.taskInfo().speculative()) {
          speculativeTasks.incrementAndGet();
        }
      }
    });
    train = TestData.a9aTrain(spark).cache();
    train.count();
  }

  @AfterAll
  static void stop() {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /** Logistic regression whose first attempt of partition 1 is slow: its copy is not. */
  static final class SlowFirstAttemptModel implements TrainableModel {
    private final TrainableModel inner = new BinaryLogisticRegression();

    @Override public List<ParamSpec> params(int d) { return inner.params(d); }
    @Override public float[][] initialValues(int d, Random r) { return inner.initialValues(d, r); }
    @Override public int numOutputs() { return 1; }
    @Override public float[] predict(Batch b, float[][] p) { return inner.predict(b, p); }

    @Override
    public double gradient(Batch batch, float[][] params, float[][] gradients) {
      TaskContext ctx = TaskContext.get();
      if (ctx != null && ctx.partitionId() == 1 && ctx.attemptNumber() == 0) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return inner.gradient(batch, params, gradients);
    }
  }

  @Test
  void aSpeculativeCopyOfASlowWorkerAppliesNoStepTwice() throws Exception {
    int before = speculativeTasks.get();
    PSTrainerModel model = new PSTrainer().setFramework("downpour").setNumWorkers(2)
        .setNumServers(2).setOptimizer("sgd").setStepSize(0.1).setBatchSize(64)
        .setMaxEpochs(2).setSeed(7).setModel(new SlowFirstAttemptModel()).fit(train);

    assertTrue(speculativeTasks.get() > before, "Spark ran a speculative copy");
    TrainingSummary s = model.summary();
    long stepsPerWorker = s.stepLoss().length;
    assertEquals(2 * stepsPerWorker, s.totalSteps(), s.toString());
    assertEquals(2 * stepsPerWorker * slices(model, 2), s.serverSharesApplied(), s.toString());
    assertTrue(Double.isFinite(s.finalLoss()), s.toString());
    // The copy, not slowed down, finished first: it started where the slow attempt stood.
    assertTrue(s.workers().get(1).firstStep() > 0, s.workers().toString());
  }

  /** Slices of a9a's logistic regression over {@code servers} servers. */
  private static int slices(PSTrainerModel model, int servers) {
    return Slicer.slice(new BinaryLogisticRegression().params(model.numFeatures()), servers, 1)
        .slices().size();
  }
}
