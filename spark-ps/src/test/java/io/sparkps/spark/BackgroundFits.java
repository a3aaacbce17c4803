package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Fits of a9a a test runs in the background, to disturb them once their training stage runs;
 * the cached training data, and a fresh cluster for each test.
 */
final class BackgroundFits implements AutoCloseable {
  private final ExecutorService background = Executors.newSingleThreadExecutor();
  private final AtomicInteger trainingJobs = new AtomicInteger();
  private final SparkSession spark;
  private final Dataset<Row> train;

  BackgroundFits(SparkSession spark) {
    this.spark = spark;
    this.train = io.sparkps.testing.TestData.a9aTrain(spark).cache();
    train.count();
    TrainingJobs.onStart(spark.sparkContext(), trainingJobs::incrementAndGet);
  }

  /** a9a's training rows, cached. */
  Dataset<Row> train() {
    return train;
  }

  /** Unsets {@code keys} and stops the application's servers: the next test starts afresh. */
  void reset(String... keys) {
    for (String key : keys) {
      spark.conf().unset(key);
    }
    PsClusters.stop(spark.sparkContext().applicationId());
  }

  /** Starts {@code trainer.fit} on a9a; returns once its training stage has started. */
  Future<PSTrainerModel> start(PSTrainer trainer) throws Exception {
    return start(trainer, train);
  }

  /** Starts {@code trainer.fit(data)}; returns once its training stage has started. */
  Future<PSTrainerModel> start(PSTrainer trainer, Dataset<Row> data) throws Exception {
    int before = trainingJobs.get();
    Future<PSTrainerModel> fit = background.submit(() -> trainer.fit(data));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (trainingJobs.get() == before) {
      if (fit.isDone()) {
        fit.get();
        throw new AssertionError("the fit ended before its training stage was seen");
      }
      assertTrue(System.nanoTime() < deadline, "the training stage did not start within 60 s");
      Thread.sleep(2);
    }
    return fit;
  }

  @Override
  public void close() {
    background.shutdownNow();
    train.unpersist();
  }
}
