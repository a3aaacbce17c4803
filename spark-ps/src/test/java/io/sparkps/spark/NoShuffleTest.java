package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Gradients and parameters never go through Spark shuffle: the training stage has none. */
class NoShuffleTest {

  /** Per stage: tasks, and shuffle bytes plus records read and written. */
  private static final class ShuffleMeter extends SparkListener {
    final Map<Integer, Boolean> trainingStage = new ConcurrentHashMap<>();
    final AtomicLong trainingTasks = new AtomicLong();
    final AtomicLong trainingShuffle = new AtomicLong();
    final AtomicLong otherShuffleWrite = new AtomicLong();

    @Override
    public void onJobStart(SparkListenerJobStart job) {
      String description = job.properties() == null ? null
          : job.properties().getProperty("spark.job.description");
      boolean training = description != null && description.startsWith(TrainingRun.JOB_PREFIX);
      job.stageIds().foreach(id -> trainingStage.put((Integer) id, training));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      TaskMetrics m = end.taskMetrics();
      if (m == null) {
        return;
      }
      long read = m.shuffleReadMetrics().totalBytesRead() + m.shuffleReadMetrics().recordsRead();
      long written = m.shuffleWriteMetrics().bytesWritten()
          + m.shuffleWriteMetrics().recordsWritten();
      if (trainingStage.getOrDefault(end.stageId(), false)) {
        trainingTasks.incrementAndGet();
        trainingShuffle.addAndGet(read + written);
      } else {
        otherShuffleWrite.addAndGet(written);
      }
    }
  }

  @Test
  void trainingStageReadsAndWritesNoShuffleData() throws Exception {
    SparkSession spark = SharedSpark.get();
    ShuffleMeter meter = new ShuffleMeter();
    spark.sparkContext().addSparkListener(meter);
    try {
      // One input partition for two workers: the data preparation must shuffle, training not.
      new PSTrainer().setNumWorkers(2).setNumServers(1).setMaxEpochs(2)
          .fit(TestData.libsvm(spark, "spark/sample_libsvm_data.txt", 692).coalesce(1));
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(meter);
    }
    assertEquals(2, meter.trainingTasks.get(), "one training task per worker");
    assertEquals(0, meter.trainingShuffle.get(), "shuffle bytes+records in the training stage");
    assertTrue(meter.otherShuffleWrite.get() > 0,
        "the meter must see the preparation's shuffle, or it proves nothing");
  }
}
