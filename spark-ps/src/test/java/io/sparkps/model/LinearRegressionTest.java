package io.sparkps.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.param.ParamSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearRegressionTest {

  private final LinearRegression model = new LinearRegression();

  @Test
  void declaresWeightsAndBiasAndStartsAtZero() {
    assertEquals(
        List.of(ParamSpec.vector("weights", 5), ParamSpec.vector("bias", 1)), model.params(5));
    float[][] init = model.initialValues(5, new Random(1));
    assertArrayEquals(new float[5], init[0]);
    assertArrayEquals(new float[1], init[1]);
    assertEquals(1, model.numOutputs());
    assertEquals(TrainableModel.Task.REGRESSION, model.task());
    assertEquals("LinearRegression", model.toString());
  }

  @Test
  void gradientMatchesFiniteDifferencesOnDenseBatch() {
    Random random = new Random(31);
    int rows = 12;
    int numFeatures = 6;
    float[][] x = new float[rows][];
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      x[r] = TestBatches.randomFloats(random, numFeatures, 2);
      labels[r] = (float) (3 * random.nextGaussian());
    }
    Batch batch = TestBatches.dense(x, labels);
    assertNull(CompressedColumns.select(batch), "a dense batch takes the dense path");
    float[][] params = {TestBatches.randomFloats(random, numFeatures, 0.5), {0.3f}};
    GradientCheck.check(model, batch, params, w -> referenceLoss(batch, w));
  }

  @Test
  void gradientMatchesFiniteDifferencesOnSparseBatch() {
    Random random = new Random(32);
    Batch batch = TestBatches.randomSparse(random, 20, 200, 2);
    assertTrue(DenseBatchMatrix.of(batch).compressed());
    float[][] params = {TestBatches.randomFloats(random, 200, 0.5), {-0.2f}};
    GradientCheck.check(model, batch, params, w -> referenceLoss(batch, w));
  }

  @Test
  void lossAndGradientOfTwoExamplesMatchHandComputedValues() {
    // Rows (1, 2) with label 1 and (0, 1) with label 0; w = (1, -1), b = 0.5: both predict -0.5,
    // errors yhat - y = -1.5 and -0.5.
    Batch batch = TestBatches.dense(new float[][] {{1, 2}, {0, 1}}, new float[] {1, 0});
    float[][] gradients = {new float[2], new float[1]};
    double loss = model.gradient(batch, new float[][] {{1, -1}, {0.5f}}, gradients);
    // (0.5 * 1.5^2 + 0.5 * 0.5^2) / 2
    assertEquals(0.625, loss, 1e-6);
    // (-1.5 * (1, 2) - 0.5 * (0, 1)) / 2 and (-1.5 - 0.5) / 2.
    assertArrayEquals(new float[] {-0.75f, -1.75f}, gradients[0], 1e-6f);
    assertEquals(-1f, gradients[1][0], 1e-6f);
  }

  @Test
  void predictIsTheLinearFunctionOnBothPaths() {
    Batch dense = TestBatches.dense(new float[][] {{0.5f, 2}, {0.3f, 0}}, new float[2]);
    float[] yhat = model.predict(dense, new float[][] {{0.5f, -0.25f}, {0.1f}});
    assertArrayEquals(new float[] {0.25f - 0.5f + 0.1f, 0.15f + 0.1f}, yhat, 1e-6f);

    Random random = new Random(33);
    Batch sparse = TestBatches.randomSparse(random, 7, 1000, 3);
    float[][] params = {TestBatches.randomFloats(random, 1000, 1), {0.2f}};
    float[] p = model.predict(sparse, params);
    for (int r = 0; r < sparse.size(); r++) {
      assertEquals(predict(sparse, r, GradientCheck.toDouble(params)), p[r], 1e-6, "row " + r);
    }
  }

  @Test
  void gradientDescentRecoversALine() {
    // y = 2 x - 1 on x = 0, 1, 2, 3.
    Batch batch =
        TestBatches.dense(new float[][] {{0}, {1}, {2}, {3}}, new float[] {-1, 1, 3, 5});
    float[][] params = model.initialValues(1, new Random(0));
    TestBatches.descend(model, batch, params, 0.1f, 2000);
    assertEquals(2f, params[0][0], 1e-3f);
    assertEquals(-1f, params[1][0], 1e-3f);
  }

  @Test
  void checkLabelAcceptsFiniteValuesOnly() {
    for (double label : new double[] {0, -3.5, 1e30, Double.MIN_VALUE}) {
      assertNull(model.checkLabel(label), "label " + label);
    }
    assertEquals("label NaN is not finite", model.checkLabel(Double.NaN));
    assertEquals("label Infinity is not finite", model.checkLabel(Double.POSITIVE_INFINITY));
    assertEquals("label -Infinity is not finite", model.checkLabel(Double.NEGATIVE_INFINITY));
  }

  @Test
  void gradientRejectsANonFiniteLabel() {
    Batch batch = TestBatches.dense(new float[][] {{1}, {2}}, new float[] {2, Float.NaN});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.gradient(batch, new float[][] {{1}, {0}}, new float[][] {{0}, {0}}));
    assertEquals("row 1 of the batch: label NaN is not finite", e.getMessage());
  }

  @Test
  void emptyBatchAndFeaturelessRowsGiveTheBiasOnlyModel() {
    float[][] params = {new float[100], new float[] {2f}};
    float[][] gradients = {new float[100], new float[1]};
    Arrays.fill(gradients[0], Float.NaN);
    Batch empty = TestBatches.sparse(100, new int[0][], new float[0][], new float[0]);
    assertEquals(0.0, model.gradient(empty, params, gradients));
    assertArrayEquals(new float[100], gradients[0]);

    Batch noFeatures =
        TestBatches.sparse(100, new int[][] {{}, {}}, new float[][] {{}, {}}, new float[] {1, 5});
    Arrays.fill(gradients[0], Float.NaN);
    // Errors 2 - 1 and 2 - 5.
    assertEquals((0.5 + 4.5) / 2, model.gradient(noFeatures, params, gradients), 1e-6);
    assertArrayEquals(new float[100], gradients[0]);
    assertEquals(-1f, gradients[1][0], 1e-6f);
    assertArrayEquals(new float[] {2, 2}, model.predict(noFeatures, params));
  }

  /** Mean of half the squared error, in double. */
  private static double referenceLoss(Batch batch, double[][] params) {
    double sum = 0;
    for (int r = 0; r < batch.size(); r++) {
      double error = batch.labels()[r] - predict(batch, r, params);
      sum += 0.5 * error * error;
    }
    return sum / batch.size();
  }

  private static double predict(Batch batch, int r, double[][] params) {
    double yhat = params[1][0];
    for (int p = batch.rowStart()[r]; p < batch.rowStart()[r + 1]; p++) {
      yhat += params[0][batch.indices()[p]] * batch.values()[p];
    }
    return yhat;
  }
}
