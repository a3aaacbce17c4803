package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous between groups: a slowed Downpour group does not slow the other; a staleness
 * bound makes the fast group wait on the server so it never runs more than that many steps
 * ahead.
 */
class AsyncGroupsTest {
  private static final long DELAY_MS = 20;

  private static TrainingSummary run(int staleness) {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, 3200, 5, 4, 2);
    return new PSTrainer().setFramework("downpour").setNumWorkers(2).setNumServers(1)
        .setBatchSize(10).setMaxEpochs(1).setStaleness(staleness)
        .setModel(new SlowWorkerModel(1, DELAY_MS)).fit(data).summary();
  }

  @Test
  void slowGroupDoesNotSlowTheOtherAndStalenessBoundsTheLead() {
    TrainingSummary free = run(-1);
    TrainingSummary.WorkerStats fast = free.workers().get(0);
    TrainingSummary.WorkerStats slow = free.workers().get(1);
    assertEquals(160, fast.steps());
    assertEquals(160, slow.steps());
    assertTrue(fast.stepsPerSecond() > 3 * slow.stepsPerSecond(),
        "unbounded: fast " + fast.stepsPerSecond() + " steps/s, slow " + slow.stepsPerSecond());
    assertTrue(fast.maxLead() > 10, "unbounded: the fast group runs ahead, lead "
        + fast.maxLead());

    int s = 2;
    TrainingSummary bounded = run(s);
    TrainingSummary.WorkerStats boundedFast = bounded.workers().get(0);
    assertTrue(boundedFast.maxLead() <= s, "lead " + boundedFast.maxLead() + " > " + s);
    assertTrue(boundedFast.stepsPerSecond() < 2 * bounded.workers().get(1).stepsPerSecond(),
        "bounded: the fast group waits for the slow one");
  }
}
