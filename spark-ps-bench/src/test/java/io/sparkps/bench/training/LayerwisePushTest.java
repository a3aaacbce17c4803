package io.sparkps.bench.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.bench.BenchSpark;
import io.sparkps.examples.MnistData;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LayerwisePush on a few hundred MNIST images, one round: both ways fit and are timed, and
 * they train the same steps.
 */
class LayerwisePushTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = BenchSpark.local("LayerwisePushTest", 2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void bothWaysTrainTheSameStepsAndAreTimed() {
    Dataset<Row> train = BenchData.cached(MnistData.frame(spark, BenchData.mnistTrain(640)));
    List<LayerwisePush.Fits> fits = LayerwisePush.measure(train, new int[] {32, 16}, 1, 1);

    assertEquals(2, fits.size());
    for (LayerwisePush.Fits f : fits) {
      assertTrue(f.rate()[0] > 0 && f.pushMs()[0] > 0, f.toString());
    }
    assertEquals(fits.get(1).finalLoss(), fits.get(0).finalLoss(), 1e-5,
        "pushing layer by layer must not change the steps");
    String table = LayerwisePush.table(fits, 640, "32,16", 1);
    assertTrue(table.contains("| layer by layer |"), table);
  }
}
