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

class BinaryLogisticRegressionTest {

  private final BinaryLogisticRegression model = new BinaryLogisticRegression();

  @Test
  void declaresWeightsAndBiasAndStartsAtZero() {
    assertEquals(
        List.of(ParamSpec.vector("weights", 5), ParamSpec.vector("bias", 1)), model.params(5));
    float[][] init = model.initialValues(5, new Random(1));
    assertArrayEquals(new float[5], init[0]);
    assertArrayEquals(new float[1], init[1]);
    assertEquals(1, model.numOutputs());
  }

  @Test
  void gradientMatchesFiniteDifferencesOnDenseBatch() {
    Random random = new Random(11);
    int rows = 12;
    int numFeatures = 6;
    float[][] x = new float[rows][];
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      x[r] = TestBatches.randomFloats(random, numFeatures, 2);
      labels[r] = random.nextBoolean() ? 1f : 0f;
    }
    Batch batch = TestBatches.dense(x, labels);
    assertNull(CompressedColumns.select(batch), "a dense batch takes the dense path");
    checkGradient(batch, TestBatches.randomFloats(random, numFeatures, 0.5), 0.3f);
  }

  @Test
  void gradientMatchesFiniteDifferencesOnSparseBatchOverTouchedFeaturesOnly() {
    Random random = new Random(12);
    Batch batch = TestBatches.randomSparse(random, 40, 1000, 5);
    assertTrue(DenseBatchMatrix.of(batch).compressed(), "at most 200 of 1000 features: compressed");
    float[] weights = TestBatches.randomFloats(random, 1000, 0.5);
    float[][] gradients = checkGradient(batch, weights, -0.2f);

    boolean[] touched = new boolean[1000];
    for (int index : batch.indices()) {
      touched[index] = true;
    }
    for (int f = 0; f < 1000; f++) {
      if (!touched[f]) {
        // checkGradient pre-filled NaN: untouched entries must be overwritten with exact zeros.
        assertEquals(0f, gradients[0][f], "gradient of untouched feature " + f);
      }
    }
  }

  @Test
  void lossAndGradientOfTwoExamplesMatchHandComputedValues() {
    // Rows (1, 2) with label 1 and (0, 1) with label 0; w = (1, -1), b = 0.5: both margins -0.5.
    Batch batch = TestBatches.dense(new float[][] {{1, 2}, {0, 1}}, new float[] {1, 0});
    float[][] gradients = {new float[2], new float[1]};
    double loss = model.gradient(batch, new float[][] {{1, -1}, {0.5f}}, gradients);
    // (log(1 + e^0.5) + log(1 + e^-0.5)) / 2
    assertEquals(0.7240769841801067, loss, 1e-6);
    // With s = sigmoid(-0.5): ((s - 1) * (1, 2) + s * (0, 1)) / 2 and ((s - 1) + s) / 2.
    assertArrayEquals(new float[] {-0.31122967f, -0.43368900f}, gradients[0], 1e-6f);
    assertEquals(-0.12245933f, gradients[1][0], 1e-6f);
  }

  @Test
  void lossStaysFiniteAndAccurateForHugeMargins() {
    Batch batch = TestBatches.dense(new float[][] {{1}, {-1}}, new float[] {1, 0});
    float[][] gradients = {new float[1], new float[1]};
    // Margin -1000 for a positive and +1000 for a negative: each loss is ~1000, exp(1000) = inf.
    double loss = model.gradient(batch, new float[][] {{-1000}, {0}}, gradients);
    assertEquals(1000.0, loss, 1e-6);
    // Residuals are (0 - 1) and (1 - 0): ((-1) * 1 + 1 * (-1)) / 2 for the weight, 0 for the bias.
    assertEquals(-1f, gradients[0][0], 1e-6f);
    assertEquals(0f, gradients[1][0], 1e-6f);
  }

  @Test
  void predictIsSigmoidOfMarginForEachRow() {
    Batch batch = TestBatches.dense(new float[][] {{0.5f, 2}, {0.3f, 0}}, new float[] {0, 0});
    float[] p = model.predict(batch, new float[][] {{0.5f, -0.25f}, {0.1f}});
    double m0 = 0.5 * 0.5 - 0.25 * 2 + 0.1;
    double m1 = 0.3 * 0.5 + 0.1;
    assertArrayEquals(
        new float[] {(float) (1 / (1 + Math.exp(-m0))), (float) (1 / (1 + Math.exp(-m1)))},
        p,
        1e-6f);
  }

  @Test
  void predictIsTheSameOnTheCompressedPath() {
    Random random = new Random(13);
    Batch batch = TestBatches.randomSparse(random, 7, 1000, 3);
    float[][] params = {TestBatches.randomFloats(random, 1000, 1), {0.2f}};
    float[] p = model.predict(batch, params);
    for (int r = 0; r < batch.size(); r++) {
      double m = margin(batch, r, toDouble(params[0]), params[1][0]);
      assertEquals(1 / (1 + Math.exp(-m)), p[r], 1e-6, "row " + r);
    }
  }

  @Test
  void gradientDescentSeparatesSyntheticData() {
    Random random = new Random(14);
    int rows = 600;
    int numFeatures = 20;
    float[] truth = TestBatches.randomFloats(random, numFeatures, 1);
    float[][] x = new float[rows][];
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      x[r] = TestBatches.randomFloats(random, numFeatures, 1);
      double m = 0.2;
      for (int f = 0; f < numFeatures; f++) {
        m += truth[f] * x[r][f];
      }
      labels[r] = m > 0 ? 1f : 0f;
    }
    Batch all = TestBatches.dense(x, labels);
    float[][] params = model.initialValues(numFeatures, random);
    float[][] gradients = {new float[numFeatures], new float[1]};
    for (int epoch = 0; epoch < 30; epoch++) {
      for (int start = 0; start < rows; start += 100) {
        Batch batch =
            TestBatches.dense(
                Arrays.copyOfRange(x, start, start + 100),
                Arrays.copyOfRange(labels, start, start + 100));
        model.gradient(batch, params, gradients);
        for (int p = 0; p < params.length; p++) {
          for (int i = 0; i < params[p].length; i++) {
            params[p][i] -= 1.0f * gradients[p][i];
          }
        }
      }
    }
    float[] predicted = model.predict(all, params);
    int correct = 0;
    for (int r = 0; r < rows; r++) {
      correct += (predicted[r] > 0.5f) == (labels[r] > 0.5f) ? 1 : 0;
    }
    double accuracy = correct / (double) rows;
    assertTrue(accuracy > 0.95, "training accuracy " + accuracy);
  }

  @Test
  void wrongParamLengthsNameTheParamAndBothLengths() {
    Batch batch = TestBatches.dense(new float[][] {new float[10]}, new float[] {1});
    float[][] gradients = {new float[10], new float[1]};
    IllegalArgumentException weights =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.gradient(batch, new float[][] {new float[9], new float[1]}, gradients));
    assertEquals(
        "param weights has length 9, expected 10 = numFeatures of the batch",
        weights.getMessage());
    IllegalArgumentException bias =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.predict(batch, new float[][] {new float[10], new float[2]}));
    assertEquals("param bias has length 2, expected 1", bias.getMessage());
    IllegalArgumentException gradient =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                model.gradient(
                    batch,
                    new float[][] {new float[10], new float[1]},
                    new float[][] {new float[11], new float[1]}));
    assertEquals(
        "gradient weights has length 11, expected 10 = numFeatures of the batch",
        gradient.getMessage());
  }

  @Test
  void featureIndexOutsideTheBatchWidthIsRejected() {
    Batch batch =
        TestBatches.sparse(1000, new int[][] {{3, 1000}}, new float[][] {{1, 1}}, new float[] {1});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.predict(batch, model.initialValues(1000, new Random(0))));
    assertEquals("feature index 1000 is outside [0, numFeatures = 1000)", e.getMessage());
  }

  @Test
  void emptyBatchAndFeaturelessRowsGiveTheBiasOnlyModel() {
    float[][] params = {new float[100], new float[] {2f}};
    float[][] gradients = {new float[100], new float[1]};
    Arrays.fill(gradients[0], Float.NaN);
    Batch empty = TestBatches.sparse(100, new int[0][], new float[0][], new float[0]);
    assertEquals(0.0, model.gradient(empty, params, gradients));
    assertArrayEquals(new float[100], gradients[0]);
    assertEquals(0, model.predict(empty, params).length);

    Batch noFeatures =
        TestBatches.sparse(100, new int[][] {{}, {}}, new float[][] {{}, {}}, new float[] {1, 0});
    Arrays.fill(gradients[0], Float.NaN);
    double loss = model.gradient(noFeatures, params, gradients);
    assertEquals((Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(2))) / 2, loss, 1e-6);
    assertArrayEquals(new float[100], gradients[0]);
    assertEquals(1 / (1 + Math.exp(-2)) - 0.5, gradients[1][0], 1e-6);
    assertArrayEquals(new float[] {0.880797f, 0.880797f}, model.predict(noFeatures, params), 1e-6f);
  }

  /**
   * Checks the model's loss and gradient against a double-precision reference loss and its
   * central differences. Returns the model's gradients, which were pre-filled with NaN.
   */
  private float[][] checkGradient(Batch batch, float[] weights, float bias) {
    int numFeatures = batch.numFeatures();
    float[][] gradients = {new float[numFeatures], new float[1]};
    Arrays.fill(gradients[0], Float.NaN);
    gradients[1][0] = Float.NaN;
    double loss = model.gradient(batch, new float[][] {weights, {bias}}, gradients);

    double[] w = toDouble(weights);
    assertEquals(referenceLoss(batch, w, bias), loss, 1e-5);
    double eps = 1e-5;
    for (int f = 0; f < numFeatures; f++) {
      double saved = w[f];
      w[f] = saved + eps;
      double up = referenceLoss(batch, w, bias);
      w[f] = saved - eps;
      double down = referenceLoss(batch, w, bias);
      w[f] = saved;
      double expected = (up - down) / (2 * eps);
      assertEquals(expected, gradients[0][f], 1e-5 + 1e-3 * Math.abs(expected), "weight " + f);
    }
    double expectedBias =
        (referenceLoss(batch, w, bias + eps) - referenceLoss(batch, w, bias - eps)) / (2 * eps);
    assertEquals(expectedBias, gradients[1][0], 1e-5 + 1e-3 * Math.abs(expectedBias), "bias");
    return gradients;
  }

  /** Mean log-loss in double, written the textbook way (fine for the small margins here). */
  private static double referenceLoss(Batch batch, double[] w, double bias) {
    double sum = 0;
    for (int r = 0; r < batch.size(); r++) {
      double p = 1 / (1 + Math.exp(-margin(batch, r, w, bias)));
      sum -= batch.labels()[r] > 0.5f ? Math.log(p) : Math.log(1 - p);
    }
    return sum / batch.size();
  }

  private static double margin(Batch batch, int r, double[] w, double bias) {
    double m = bias;
    for (int p = batch.rowStart()[r]; p < batch.rowStart()[r + 1]; p++) {
      m += w[batch.indices()[p]] * batch.values()[p];
    }
    return m;
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
