package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The epoch-end gate in real fits: every worker's figures reach the driver's gate summed, once
 * per epoch, and a decision to stop ends every worker's training after that epoch.
 */
class EpochGateTest {
  private static final int WORKERS = 2;
  private static final int ROWS = 600;
  private static final int BATCH = 25;

  /** Stops after epoch {@code stopAfter} (from 0); records what it was given. */
  static final class StopAfter implements EpochGate {
    final int stopAfter;
    final List<Integer> epochs = Collections.synchronizedList(new ArrayList<>());
    final List<double[]> sums = Collections.synchronizedList(new ArrayList<>());
    final List<String> threads = Collections.synchronizedList(new ArrayList<>());

    StopAfter(int stopAfter) {
      this.stopAfter = stopAfter;
    }

    @Override
    public EpochDecision epochEnded(int epoch, double[] summed) {
      epochs.add(epoch);
      sums.add(summed.clone());
      threads.add(Thread.currentThread().getName());
      return new EpochDecision(epoch < stopAfter, epoch == 0);
    }

    @Override
    public String validationMetric() {
      return "areaUnderROC";
    }

    @Override
    public double[] validation(int epoch) {
      return new double[] {epoch + 0.5, 0.9};
    }
  }

  @AfterEach
  void unset() {
    SharedSpark.get().conf().unset("spark.ps.elasticWorkers");
  }

  private static PSTrainer trainer(String framework) {
    return new PSTrainer().setFramework(framework).setNumWorkers(WORKERS).setNumServers(2)
        .setOptimizer("sgd").setStepSize(0.1).setBatchSize(BATCH).setMaxEpochs(5).setSeed(3);
  }

  @Test
  void stopsEveryFrameworkAfterTheEpochTheGateSays() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, ROWS, 4, 17, WORKERS);
    for (String framework : List.of("sandblaster", "downpour", "allreduce", "elastic")) {
      boolean elastic = framework.equals("elastic");
      if (elastic) {
        spark.conf().set("spark.ps.elasticWorkers", "true");
      }
      StopAfter gate = new StopAfter(1);
      TrainingListenerTest.Recorder recorder = new TrainingListenerTest.Recorder();
      PSTrainer trainer = trainer(elastic ? "downpour" : framework).addListener(recorder);
      TrainingSummary summary = new TrainingRun(trainer, data).withEpochGate(gate).run()
          .summary();

      assertEquals(List.of(0, 1), gate.epochs, framework);
      assertEquals(1, gate.threads.stream().distinct().count(), framework);
      int workers = summary.numWorkers();
      // Every worker's examples of the epoch and a 1 each, summed over the workers.
      long stepsPerEpoch = (ROWS / workers + BATCH - 1) / BATCH;
      for (double[] sum : gate.sums) {
        assertEquals(3, sum.length, framework);
        assertEquals((double) workers * stepsPerEpoch * BATCH, sum[0], 1e-9, framework);
        assertTrue(sum[1] > 0, framework);
        assertEquals(workers, sum[2], 1e-9, framework);
      }
      assertEquals(2L * workers * stepsPerEpoch * BATCH, summary.examples(), framework);
      assertEquals(2L * workers * stepsPerEpoch, summary.totalSteps(), framework);
      assertTrue(!Double.isNaN(summary.epochLoss()[1]), framework);
      assertTrue(Double.isNaN(summary.epochLoss()[2]), framework);
      // The listeners' end-of-epoch events carry the gate's validation figures.
      List<TrainingProgress> ends = recorder.epochEnds();
      assertEquals(2, ends.size(), framework);
      assertArrayEquals(new double[] {0.5, 1.5},
          ends.stream().mapToDouble(TrainingProgress::validationLoss).toArray(), framework);
      assertEquals("areaUnderROC", ends.get(1).validationMetric());
      assertEquals(0.9, ends.get(1).validationValue(), 0.0);
      SharedSpark.get().conf().unset("spark.ps.elasticWorkers");
    }
  }
}
