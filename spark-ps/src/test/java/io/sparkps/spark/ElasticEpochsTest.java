package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.param.Slicer;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Elastic workers on {@code local[2]}: one training stage per epoch, whose units (shard, epoch)
 * train the same mini-batches, in the same order per shard, as one task per worker does.
 */
class ElasticEpochsTest {

  @AfterEach
  void unset() {
    SharedSpark.get().conf().unset("spark.ps.elasticWorkers");
    SharedSpark.get().conf().unset("spark.ps.maxInFlight");
  }

  private static PSTrainer downpour(int workers) {
    return new PSTrainer().setFramework("downpour").setNumWorkers(workers).setNumServers(2)
        .setOptimizer("sgd").setStepSize(0.1).setBatchSize(50).setMaxEpochs(3).setSeed(5);
  }

  @Test
  void oneShardTrainsTheWeightsOfOneWorkerEpochByEpoch() throws Exception {
    SparkSession spark = SharedSpark.get();
    // One step in flight, so that one worker's steps are computed from the same values.
    spark.conf().set("spark.ps.maxInFlight", "1");
    Dataset<Row> data = TestData.generated(spark, 1000, 4, 11, 3);
    PSTrainerModel fixed = downpour(1).fit(data);

    spark.conf().set("spark.ps.elasticWorkers", "true");
    List<String> jobs = new ArrayList<>();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart job) {
        String d = job.properties() == null ? null
            : job.properties().getProperty("spark.job.description");
        if (d != null && d.startsWith(TrainingRun.JOB_PREFIX)) {
          jobs.add(d);
        }
      }
    };
    spark.sparkContext().addSparkListener(listener);
    PSTrainerModel elastic;
    try {
      elastic = downpour(1).fit(data);
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }

    assertEquals(List.of(
        "spark-ps training: downpour, 1 workers, 2 servers, 3 epochs, elastic workers, epoch 1/3",
        "spark-ps training: downpour, 1 workers, 2 servers, 3 epochs, elastic workers, epoch 2/3",
        "spark-ps training: downpour, 1 workers, 2 servers, 3 epochs, elastic workers, epoch 3/3"),
        jobs);
    // One group waiting for each answer, so nothing runs asynchronously: the same steps on the
    // same batches.
    Weights.assertSame(fixed, elastic);
    TrainingSummary a = fixed.summary();
    TrainingSummary b = elastic.summary();
    assertEquals(a.totalSteps(), b.totalSteps());
    assertEquals(a.serverSharesApplied(), b.serverSharesApplied());
    assertEquals(a.examples(), b.examples());
    for (int e = 0; e < 3; e++) {
      assertEquals(a.epochLoss()[e], b.epochLoss()[e], 1e-6, "epoch " + e);
    }
    TrainingSummary.WorkerStats w = b.workers().get(0);
    assertEquals(a.totalSteps(), w.steps());
    assertEquals(0, w.firstStep());
  }

  @Test
  void moreShardsThanSlotsApplyEveryStepOnce() {
    SparkSession spark = SharedSpark.get();
    spark.conf().set("spark.ps.elasticWorkers", "true");
    // Unset numWorkers: 4 shards per task slot of local[2].
    PSTrainerModel model = downpour(0).fit(TestData.generated(spark, 2000, 4, 11, 3));

    TrainingSummary s = model.summary();
    assertEquals(8, s.numWorkers(), s.toString());
    long stepsPerShard = s.stepLoss().length;
    assertEquals(8 * stepsPerShard, s.totalSteps());
    int slices = Slicer.slice(new BinaryLogisticRegression().params(model.numFeatures()), 2, 1)
        .slices().size();
    assertEquals(8 * stepsPerShard * slices, s.serverSharesApplied());
    assertEquals(s.totalSteps() * 50, s.examples(), "a full batch at every step: " + s);
    assertTrue(s.epochLoss()[2] < s.epochLoss()[0], s.toString());
  }
}
