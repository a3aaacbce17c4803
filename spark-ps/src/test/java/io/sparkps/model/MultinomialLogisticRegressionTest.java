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

class MultinomialLogisticRegressionTest {

  private static final int K = 3;

  private final MultinomialLogisticRegression model = new MultinomialLogisticRegression(K);

  @Test
  void declaresFeatureMajorWeightsAndBiasAndStartsAtZero() {
    assertEquals(
        List.of(ParamSpec.matrix("weights", 5, K), ParamSpec.vector("bias", K)), model.params(5));
    float[][] init = model.initialValues(5, new Random(1));
    assertArrayEquals(new float[5 * K], init[0]);
    assertArrayEquals(new float[K], init[1]);
    assertEquals(K, model.numOutputs());
    assertEquals(TrainableModel.Task.MULTICLASS_CLASSIFICATION, model.task());
    assertEquals("MultinomialLogisticRegression(numClasses=3)", model.toString());
  }

  @Test
  void gradientMatchesFiniteDifferencesOnDenseBatch() {
    Random random = new Random(21);
    int rows = 12;
    int numFeatures = 4;
    float[][] x = new float[rows][];
    for (int r = 0; r < rows; r++) {
      x[r] = TestBatches.randomFloats(random, numFeatures, 2);
    }
    Batch batch = TestBatches.dense(x, TestBatches.randomClasses(random, rows, K));
    assertNull(CompressedColumns.select(batch), "a dense batch takes the dense path");
    float[][] params = {
      TestBatches.randomFloats(random, numFeatures * K, 0.5), TestBatches.randomFloats(random, K, 1)
    };
    GradientCheck.check(model, batch, params, w -> referenceLoss(batch, w));
  }

  @Test
  void gradientMatchesFiniteDifferencesOnSparseBatchOverTouchedRowsOnly() {
    Random random = new Random(22);
    int numFeatures = 200;
    Batch batch =
        TestBatches.withLabels(
            TestBatches.randomSparse(random, 20, numFeatures, 2),
            TestBatches.randomClasses(random, 20, K));
    assertTrue(DenseBatchMatrix.of(batch).compressed(), "at most 40 of 200 features: compressed");
    float[][] params = {
      TestBatches.randomFloats(random, numFeatures * K, 0.5), TestBatches.randomFloats(random, K, 1)
    };
    float[][] gradients = GradientCheck.check(model, batch, params, w -> referenceLoss(batch, w));

    boolean[] touched = new boolean[numFeatures];
    for (int index : batch.indices()) {
      touched[index] = true;
    }
    for (int f = 0; f < numFeatures; f++) {
      if (!touched[f]) {
        // GradientCheck pre-filled NaN: untouched rows must be overwritten with exact zeros.
        float[] row = Arrays.copyOfRange(gradients[0], f * K, (f + 1) * K);
        assertArrayEquals(new float[K], row, "gradient row of untouched feature " + f);
      }
    }
  }

  @Test
  void lossAndGradientOfTwoExamplesMatchHandComputedValues() {
    // Rows (1, 0) of class 0 and (0, 2) of class 2; weights rows (1, 0, -1) and (0, 0.5, 0),
    // bias (0, 0, 0.5): logits (1, 0, -0.5) and (0, 1, 0.5).
    Batch batch = TestBatches.dense(new float[][] {{1, 0}, {0, 2}}, new float[] {0, 2});
    float[][] params = {{1, 0, -1, 0, 0.5f, 0}, {0, 0, 0.5f}};
    float[][] gradients = {new float[6], new float[3]};
    double loss = model.gradient(batch, params, gradients);
    // (log(e + 1 + e^-0.5) - 1 + log(1 + e + e^0.5) - 0.5) / 2
    assertEquals(0.8223192273748398, loss, 1e-6);
    // With p1 = softmax(1, 0, -0.5), p2 = softmax(0, 1, 0.5): row f of the weights gradient is
    // (x1[f] (p1 - e0) + x2[f] (p2 - e2)) / 2 and the bias gradient (p1 - e0 + p2 - e2) / 2.
    assertArrayEquals(
        new float[] {
          -0.18573414f, 0.11561195f, 0.07012219f, 0.18632372f, 0.50648039f, -0.69280411f
        },
        gradients[0],
        1e-6f);
    assertArrayEquals(new float[] {-0.09257228f, 0.36885214f, -0.27627987f}, gradients[1], 1e-6f);
  }

  @Test
  void lossStaysFiniteAndAccurateForHugeLogits() {
    Batch batch = TestBatches.dense(new float[][] {{1}, {-1}}, new float[] {0, 0});
    float[][] params = {{1000, 0, -1000}, new float[K]};
    float[][] gradients = {new float[K], new float[K]};
    // Logits (1000, 0, -1000) and (-1000, 0, 1000), both of class 0: row 0 is right, and row 1
    // is off by 2000, with exp(2000) far beyond float and double.
    double loss = model.gradient(batch, params, gradients);
    assertEquals(1000.0, loss, 1e-6);
    // Row 1 alone contributes: x = -1 times (p - e0) / 2 = (-1, 0, 1) / 2.
    assertArrayEquals(new float[] {0.5f, 0, -0.5f}, gradients[0], 1e-6f);
    assertArrayEquals(new float[] {-0.5f, 0, 0.5f}, gradients[1], 1e-6f);
    assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1}, model.predict(batch, params), 1e-6f);
  }

  @Test
  void predictIsSoftmaxOfLogitsOnTheCompressedPath() {
    Random random = new Random(23);
    Batch batch = TestBatches.randomSparse(random, 7, 1000, 3);
    float[][] params = {TestBatches.randomFloats(random, 1000 * K, 1), {0.2f, -0.1f, 0}};
    float[] p = model.predict(batch, params);
    assertEquals(7 * K, p.length);
    double[][] w = GradientCheck.toDouble(params);
    for (int r = 0; r < batch.size(); r++) {
      double[] z = logits(batch, r, w);
      double sum = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
      for (int k = 0; k < K; k++) {
        assertEquals(Math.exp(z[k]) / sum, p[r * K + k], 1e-6, "row " + r + " class " + k);
      }
    }
  }

  @Test
  void gradientDescentSeparatesThreeGaussianBlobs() {
    Random random = new Random(24);
    double[][] centers = {{0, 3}, {3, -2}, {-3, -2}};
    int rows = 300;
    float[][] x = new float[rows][];
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      int k = r % K;
      labels[r] = k;
      x[r] =
          new float[] {
            (float) (centers[k][0] + random.nextGaussian()),
            (float) (centers[k][1] + random.nextGaussian())
          };
    }
    Batch batch = TestBatches.dense(x, labels);
    float[][] params = model.initialValues(2, random);
    TestBatches.descend(model, batch, params, 0.5f, 100);
    double accuracy = TestBatches.accuracy(model.predict(batch, params), labels, K);
    assertTrue(accuracy > 0.95, "training accuracy " + accuracy);
  }

  @Test
  void checkLabelAcceptsOnlyClassIndices() {
    for (double label : new double[] {0, 1, 2}) {
      assertNull(model.checkLabel(label), "label " + label);
    }
    assertEquals("label 3.0 is not a class index in [0, 3)", model.checkLabel(3));
    assertEquals("label -1.0 is not a class index in [0, 3)", model.checkLabel(-1));
    assertEquals("label 1.5 is not a class index in [0, 3)", model.checkLabel(1.5));
    assertEquals("label NaN is not a class index in [0, 3)", model.checkLabel(Double.NaN));
  }

  @Test
  void gradientRejectsALabelOutsideTheClasses() {
    Batch batch = TestBatches.dense(new float[][] {{1}, {2}}, new float[] {2, 3});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                model.gradient(
                    batch,
                    model.initialValues(1, new Random(0)),
                    new float[][] {new float[K], new float[K]}));
    assertEquals("row 1 of the batch: label 3.0 is not a class index in [0, 3)", e.getMessage());
  }

  @Test
  void wrongParamLengthsNameTheParamAndItsShape() {
    Batch batch = TestBatches.dense(new float[][] {new float[4]}, new float[] {1});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.predict(batch, new float[][] {new float[4], new float[K]}));
    assertEquals("param weights has length 4, expected 12 (4 x 3)", e.getMessage());
    IllegalArgumentException count =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.predict(batch, new float[][] {new float[12]}));
    assertEquals("params must hold 2 arrays (weights, bias), got 1", count.getMessage());
  }

  @Test
  void constructorRejectsFewerThanTwoClasses() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new MultinomialLogisticRegression(1));
    assertEquals("numClasses must be at least 2, got 1", e.getMessage());
  }

  @Test
  void emptyBatchAndFeaturelessRowsGiveTheBiasOnlyModel() {
    float[][] params = {new float[100 * K], new float[] {1, 0, 0}};
    float[][] gradients = {new float[100 * K], new float[K]};
    Arrays.fill(gradients[0], Float.NaN);
    Batch empty = TestBatches.sparse(100, new int[0][], new float[0][], new float[0]);
    assertEquals(0.0, model.gradient(empty, params, gradients));
    assertArrayEquals(new float[100 * K], gradients[0]);
    assertEquals(0, model.predict(empty, params).length);

    Batch noFeatures =
        TestBatches.sparse(100, new int[][] {{}}, new float[][] {{}}, new float[] {0});
    Arrays.fill(gradients[0], Float.NaN);
    double loss = model.gradient(noFeatures, params, gradients);
    double sum = Math.E + 2;
    assertEquals(Math.log(sum) - 1, loss, 1e-6);
    assertArrayEquals(new float[100 * K], gradients[0]);
    assertArrayEquals(
        new float[] {(float) (Math.E / sum - 1), (float) (1 / sum), (float) (1 / sum)},
        gradients[1],
        1e-6f);
  }

  /** Mean cross-entropy in double. */
  private static double referenceLoss(Batch batch, double[][] params) {
    double sum = 0;
    for (int r = 0; r < batch.size(); r++) {
      sum += GradientCheck.crossEntropy(logits(batch, r, params), (int) batch.labels()[r]);
    }
    return sum / batch.size();
  }

  private static double[] logits(Batch batch, int r, double[][] params) {
    double[] z = Arrays.copyOf(params[1], K);
    for (int p = batch.rowStart()[r]; p < batch.rowStart()[r + 1]; p++) {
      for (int k = 0; k < K; k++) {
        z[k] += params[0][batch.indices()[p] * K + k] * batch.values()[p];
      }
    }
    return z;
  }
}
