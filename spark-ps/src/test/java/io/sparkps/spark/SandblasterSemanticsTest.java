package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Synchronous within a group: Sandblaster with N workers and plain SGD ends with the parameters
 * of one model stepping on the N workers' mini-batches taken together.
 */
class SandblasterSemanticsTest {
  private static final int N = 400;
  private static final int D = 5;
  private static final int BATCH = 20;
  private static final double LR = 0.5;

  @Test
  void twoWorkersEqualOneModelOnTheUnionOfTheirBatches() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, N, D, 3, 2);
    PSTrainerModel model = new PSTrainer().setFramework("sandblaster").setNumWorkers(2)
        .setNumServers(2).setOptimizer("sgd").setStepSize(LR).setBatchSize(BATCH)
        .setMaxEpochs(2).setShuffle(false).fit(data);

    List<Row> rows = data.collectAsList();  // partition 0 is the first half, in order
    double[] w = new double[D];
    double[] b = {0};
    int half = N / 2;
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int s = 0; s < half / BATCH; s++) {
        double[] g = new double[D];
        double gb = 0;
        for (int part = 0; part < 2; part++) {
          for (int i = 0; i < BATCH; i++) {
            Row r = rows.get(part * half + s * BATCH + i);
            double[] x = ((Vector) r.get(1)).toArray();
            double m = b[0];
            for (int j = 0; j < D; j++) {
              m += w[j] * x[j];
            }
            double err = 1 / (1 + Math.exp(-m)) - r.getDouble(0);
            for (int j = 0; j < D; j++) {
              g[j] += err * x[j];
            }
            gb += err;
          }
        }
        for (int j = 0; j < D; j++) {
          w[j] -= LR * g[j] / (2 * BATCH);
        }
        b[0] -= LR * gb / (2 * BATCH);
      }
    }
    float[][] trained = model.paramValues();
    double moved = 0;
    for (int j = 0; j < D; j++) {
      assertEquals(w[j], trained[0][j], 1e-4, "weight " + j);
      moved = Math.max(moved, Math.abs(w[j]));
    }
    assertEquals(b[0], trained[1][0], 1e-4, "bias");
    assertTrue(moved > 0.1, "the reference must have moved for the comparison to mean anything");
    assertEquals(2L * 2 * (half / BATCH), model.summary().totalSteps());
  }
}
