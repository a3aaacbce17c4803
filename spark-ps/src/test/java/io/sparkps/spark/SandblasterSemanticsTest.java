package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.model.Batch;
import io.sparkps.model.MlpClassifier;
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

  /**
   * An MLP's workers push each layer as backprop finishes it, the last layer first; the step is
   * still the one of a single model on the union of the workers' batches.
   */
  @Test
  void anMlpPushedLayerByLayerEqualsOneModelOnTheUnionOfItsBatches() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, N, D, 5, 2);
    int[] hidden = {4};
    PSTrainerModel model = new PSTrainer().setFramework("sandblaster").setNumWorkers(2)
        .setNumServers(2).setModelType("mlp").setHiddenLayers(hidden).setNumClasses(2)
        .setOptimizer("sgd").setStepSize(LR).setBatchSize(BATCH).setMaxEpochs(2)
        .setShuffle(false).setSeed(7).fit(data);

    MlpClassifier mlp = new MlpClassifier(hidden, 2);
    float[][] params = mlp.initialValues(D, new java.util.Random(7));
    float[][] initial = new float[params.length][];
    float[][] gradients = new float[params.length][];
    for (int p = 0; p < params.length; p++) {
      initial[p] = params[p].clone();
      gradients[p] = new float[params[p].length];
    }
    List<Row> rows = data.collectAsList();  // partition 0 is the first half, in order
    int half = N / 2;
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int s = 0; s < half / BATCH; s++) {
        int[] rowStart = new int[2 * BATCH + 1];
        int[] indices = new int[2 * BATCH * D];
        float[] values = new float[2 * BATCH * D];
        float[] labels = new float[2 * BATCH];
        for (int part = 0; part < 2; part++) {
          for (int i = 0; i < BATCH; i++) {
            Row r = rows.get(part * half + s * BATCH + i);
            int at = part * BATCH + i;
            double[] x = ((Vector) r.get(1)).toArray();
            for (int j = 0; j < D; j++) {
              indices[at * D + j] = j;
              values[at * D + j] = (float) x[j];
            }
            labels[at] = (float) r.getDouble(0);
            rowStart[at + 1] = (at + 1) * D;
          }
        }
        mlp.gradient(new Batch(D, rowStart, indices, values, labels), params, gradients);
        for (int p = 0; p < params.length; p++) {
          for (int i = 0; i < params[p].length; i++) {
            params[p][i] -= (float) LR * gradients[p][i];
          }
        }
      }
    }
    float[][] trained = model.paramValues();
    double moved = 0;
    for (int p = 0; p < params.length; p++) {
      for (int i = 0; i < params[p].length; i++) {
        assertEquals(params[p][i], trained[p][i], 1e-4, "param " + p + " value " + i);
        moved = Math.max(moved, Math.abs(params[p][i] - initial[p][i]));
      }
    }
    assertTrue(moved > 0.05, "the reference must have moved for the comparison to mean "
        + "anything, moved " + moved);
  }

  @Test
  void theStubSendsOneMessagePerJvmCarryingTheSharesOfItsWorkers() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, N, D, 3, 2);
    PSTrainer trainer = new PSTrainer().setFramework("sandblaster").setNumWorkers(2)
        .setNumServers(2).setOptimizer("sgd").setStepSize(LR).setBatchSize(BATCH)
        .setMaxEpochs(1).setShuffle(false);
    PSTrainerModel stub = trainer.copy(new org.apache.spark.ml.param.ParamMap())
        .setLocalAggregation(true).fit(data);
    PSTrainerModel direct = trainer.copy(new org.apache.spark.ml.param.ParamMap())
        .setLocalAggregation(false).fit(data);
    long stepsPerWorker = (N / 2) / BATCH;
    // Both workers run in this JVM (local[2]): with the stub every step of every slice is one
    // message carrying two shares; without it, two messages.
    TrainingSummary s = stub.summary();
    TrainingSummary d = direct.summary();
    long slices = d.serverShares() / (2 * stepsPerWorker);
    assertTrue(slices >= 2, "the params span several slices: " + slices);
    assertEquals(2 * stepsPerWorker * slices, d.serverUpdates());
    assertEquals(stepsPerWorker * slices, s.serverUpdates());
    assertEquals(d.serverShares(), s.serverShares());
    float[][] a = stub.paramValues();
    float[][] b = direct.paramValues();
    for (int p = 0; p < a.length; p++) {
      for (int j = 0; j < a[p].length; j++) {
        assertEquals(b[p][j], a[p][j], 1e-5, "the stub changes no result");
      }
    }
  }
}
