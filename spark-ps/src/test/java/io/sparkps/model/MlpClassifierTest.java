package io.sparkps.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.param.ParamSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MlpClassifierTest {

  @Test
  void declaresOneWeightMatrixAndBiasPerLayer() {
    MlpClassifier mlp = new MlpClassifier(new int[] {4, 3}, 5);
    assertEquals(
        List.of(
            ParamSpec.matrix("w0", 6, 4),
            ParamSpec.vector("b0", 4),
            ParamSpec.matrix("w1", 4, 3),
            ParamSpec.vector("b1", 3),
            ParamSpec.matrix("w2", 3, 5),
            ParamSpec.vector("b2", 5)),
        mlp.params(6));
    assertEquals(5, mlp.numOutputs());
    assertEquals(TrainableModel.Task.MULTICLASS_CLASSIFICATION, mlp.task());
    assertEquals("MlpClassifier(hiddenLayers=[4, 3], numClasses=5)", mlp.toString());
  }

  @Test
  void initialValuesAreSeededHeAndGlorotWeightsAndZeroBiases() {
    MlpClassifier mlp = new MlpClassifier(new int[] {100}, 50);
    float[][] a = mlp.initialValues(400, new Random(5));
    assertTrue(Arrays.deepEquals(a, mlp.initialValues(400, new Random(5))), "same seed");
    assertFalse(Arrays.equals(a[0], mlp.initialValues(400, new Random(6))[0]), "other seed");
    assertEquals(Math.sqrt(2.0 / 400), std(a[0]), 0.05 * Math.sqrt(2.0 / 400), "He for w0");
    assertEquals(Math.sqrt(2.0 / 150), std(a[2]), 0.05 * Math.sqrt(2.0 / 150), "Glorot for w1");
    assertArrayEquals(new float[100], a[1]);
    assertArrayEquals(new float[50], a[3]);
  }

  @Test
  void gradientMatchesFiniteDifferencesOnDenseBatch() {
    Random random = new Random(41);
    MlpClassifier mlp = new MlpClassifier(new int[] {4, 3}, 3);
    int rows = 10;
    float[][] x = new float[rows][];
    for (int r = 0; r < rows; r++) {
      x[r] = TestBatches.randomFloats(random, 5, 2);
    }
    Batch batch = TestBatches.dense(x, TestBatches.randomClasses(random, rows, 3));
    float[][] params = randomParams(mlp, 5, random);
    GradientCheck.check(mlp, batch, params, w -> referenceLoss(mlp, batch, w));
  }

  @Test
  void gradientMatchesFiniteDifferencesOnSparseBatch() {
    Random random = new Random(42);
    MlpClassifier mlp = new MlpClassifier(new int[] {3}, 2);
    Batch batch =
        TestBatches.withLabels(
            TestBatches.randomSparse(random, 15, 200, 2), TestBatches.randomClasses(random, 15, 2));
    assertTrue(DenseBatchMatrix.of(batch).compressed());
    float[][] params = randomParams(mlp, 200, random);
    GradientCheck.check(mlp, batch, params, w -> referenceLoss(mlp, batch, w));
  }

  @Test
  void announcesEachLayerAsBackpropFinishesItAndReadsNoParamAfter() {
    Random random = new Random(44);
    MlpClassifier mlp = new MlpClassifier(new int[] {5, 4}, 3);
    Batch batch = TestBatches.withLabels(TestBatches.randomSparse(random, 12, 40, 5),
        TestBatches.randomClasses(random, 12, 3));
    float[][] params = randomParams(mlp, 40, random);
    float[][] expected = zerosLike(params);
    double expectedLoss = mlp.gradient(batch, params, expected);

    // Each param's values are scribbled over as soon as it is announced, as a worker writing
    // the servers' answer into them would; its gradient is copied at that moment.
    float[][] scribbled = new float[params.length][];
    for (int p = 0; p < params.length; p++) {
      scribbled[p] = params[p].clone();
    }
    float[][] gradients = zerosLike(params);
    float[][] atAnnouncement = new float[params.length][];
    java.util.List<Integer> order = new java.util.ArrayList<>();
    double loss = mlp.gradient(batch, scribbled, gradients, p -> {
      order.add(p);
      atAnnouncement[p] = gradients[p].clone();
      java.util.Arrays.fill(scribbled[p], Float.NaN);
    });

    assertEquals(java.util.List.of(4, 5, 2, 3, 0, 1), order, "last layer first");
    assertEquals(expectedLoss, loss, 0.0);
    for (int p = 0; p < params.length; p++) {
      assertArrayEquals(expected[p], atAnnouncement[p], 0f, "param " + p + " when announced");
      assertArrayEquals(expected[p], gradients[p], 0f, "param " + p + " at the end");
    }
  }

  private static float[][] zerosLike(float[][] arrays) {
    float[][] zeros = new float[arrays.length][];
    for (int p = 0; p < arrays.length; p++) {
      zeros[p] = new float[arrays[p].length];
    }
    return zeros;
  }

  @Test
  void lossOfTwoExamplesMatchesHandComputedValue() {
    // w0 rows (1, -1) and (0, 1); w1 the identity; zero biases. Row (1, 2) of class 1: hidden
    // (1, 1), logits (1, 1). Row (2, 0) of class 0: hidden pre-activation (2, -2), after ReLU
    // (2, 0), logits (2, 0).
    MlpClassifier mlp = new MlpClassifier(new int[] {2}, 2);
    Batch batch = TestBatches.dense(new float[][] {{1, 2}, {2, 0}}, new float[] {1, 0});
    float[][] params = {{1, -1, 0, 1}, {0, 0}, {1, 0, 0, 1}, {0, 0}};
    float[][] gradients = {new float[4], new float[2], new float[4], new float[2]};
    double loss = mlp.gradient(batch, params, gradients);
    assertEquals((Math.log(2) + Math.log1p(Math.exp(-2))) / 2, loss, 1e-6);
    double p = 1 / (1 + Math.exp(-2));
    assertArrayEquals(
        new float[] {0.5f, 0.5f, (float) p, (float) (1 - p)}, mlp.predict(batch, params), 1e-6f);
    // Row 2's second hidden unit is off (pre-activation -2): only row 1 reaches w0's column 1,
    // through d loss / d hidden = (w1 row 1) . (p1 - e1) / 2 = (0.5 - 1) / 2 = -0.25.
    assertEquals(1 * -0.25f, gradients[0][1], 1e-6f);
    assertEquals(2 * -0.25f, gradients[0][3], 1e-6f);
  }

  @Test
  void predictIsTheForwardPassOfTheMath() {
    Random random = new Random(43);
    MlpClassifier mlp = new MlpClassifier(new int[] {6, 4}, 3);
    Batch batch = TestBatches.randomSparse(random, 9, 1000, 4);
    float[][] params = randomParams(mlp, 1000, random);
    float[] p = mlp.predict(batch, params);
    assertEquals(9 * 3, p.length);
    double[][] w = GradientCheck.toDouble(params);
    for (int r = 0; r < batch.size(); r++) {
      double[] z = logits(mlp, batch, r, w);
      double sum = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
      for (int k = 0; k < 3; k++) {
        assertEquals(Math.exp(z[k]) / sum, p[r * 3 + k], 1e-6, "row " + r + " class " + k);
      }
    }
  }

  @Test
  void gradientDescentLearnsXor() {
    // Four blobs at (+-1, +-1); the class is whether the signs agree: no line separates them.
    Random random = new Random(44);
    int rows = 200;
    float[][] x = new float[rows][];
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      int sx = random.nextBoolean() ? 1 : -1;
      int sy = random.nextBoolean() ? 1 : -1;
      x[r] =
          new float[] {
            (float) (sx + 0.3 * random.nextGaussian()), (float) (sy + 0.3 * random.nextGaussian())
          };
      labels[r] = sx == sy ? 1 : 0;
    }
    Batch batch = TestBatches.dense(x, labels);
    MlpClassifier mlp = new MlpClassifier(new int[] {8}, 2);
    float[][] params = mlp.initialValues(2, new Random(45));
    TestBatches.descend(mlp, batch, params, 0.5f, 500);
    double accuracy = TestBatches.accuracy(mlp.predict(batch, params), labels, 2);
    assertTrue(accuracy > 0.95, "training accuracy " + accuracy);
  }

  @Test
  void checkLabelAcceptsOnlyClassIndices() {
    MlpClassifier mlp = new MlpClassifier(new int[] {8}, 2);
    assertNull(mlp.checkLabel(0));
    assertNull(mlp.checkLabel(1));
    assertEquals("label 2.0 is not a class index in [0, 2)", mlp.checkLabel(2));
    assertEquals("label 0.5 is not a class index in [0, 2)", mlp.checkLabel(0.5));
  }

  @Test
  void constructorNamesTheBadArgument() {
    assertEquals(
        "hiddenLayers must hold at least one layer width, got []: for no hidden layer use "
            + "MultinomialLogisticRegression",
        assertThrows(IllegalArgumentException.class, () -> new MlpClassifier(new int[0], 2))
            .getMessage());
    assertEquals(
        "hiddenLayers must hold at least one layer width, got null: for no hidden layer use "
            + "MultinomialLogisticRegression",
        assertThrows(IllegalArgumentException.class, () -> new MlpClassifier(null, 2))
            .getMessage());
    assertEquals(
        "hiddenLayers[1] must be at least 1, got 0 in [4, 0]",
        assertThrows(IllegalArgumentException.class, () -> new MlpClassifier(new int[] {4, 0}, 2))
            .getMessage());
    assertEquals(
        "numClasses must be at least 2, got 1",
        assertThrows(IllegalArgumentException.class, () -> new MlpClassifier(new int[] {4}, 1))
            .getMessage());
  }

  @Test
  void keepsItsOwnCopyOfTheLayerWidths() {
    int[] widths = {4};
    MlpClassifier mlp = new MlpClassifier(widths, 2);
    widths[0] = 9;
    mlp.hiddenLayers()[0] = 9;
    assertArrayEquals(new int[] {4}, mlp.hiddenLayers());
  }

  @Test
  void emptyBatchAndFeaturelessRowsWriteEveryGradient() {
    MlpClassifier mlp = new MlpClassifier(new int[] {3}, 2);
    float[][] params = randomParams(mlp, 50, new Random(46));
    float[][] gradients = new float[4][];
    for (int p = 0; p < 4; p++) {
      gradients[p] = new float[params[p].length];
      Arrays.fill(gradients[p], Float.NaN);
    }
    Batch empty = TestBatches.sparse(50, new int[0][], new float[0][], new float[0]);
    assertEquals(0.0, mlp.gradient(empty, params, gradients));
    for (float[] gradient : gradients) {
      assertArrayEquals(new float[gradient.length], gradient);
    }

    Batch noFeatures =
        TestBatches.sparse(50, new int[][] {{}, {}}, new float[][] {{}, {}}, new float[] {1, 0});
    GradientCheck.check(mlp, noFeatures, params, w -> referenceLoss(mlp, noFeatures, w));
  }

  /** Initial values with non-zero biases, so the gradient check also covers them. */
  private static float[][] randomParams(MlpClassifier mlp, int numFeatures, Random random) {
    float[][] params = mlp.initialValues(numFeatures, random);
    for (int p = 1; p < params.length; p += 2) {
      params[p] = TestBatches.randomFloats(random, params[p].length, 0.5);
    }
    return params;
  }

  private static double referenceLoss(MlpClassifier mlp, Batch batch, double[][] params) {
    double sum = 0;
    for (int r = 0; r < batch.size(); r++) {
      sum += GradientCheck.crossEntropy(logits(mlp, batch, r, params), (int) batch.labels()[r]);
    }
    return sum / batch.size();
  }

  /** The forward pass of one row in double, straight from the definition. */
  private static double[] logits(MlpClassifier mlp, Batch batch, int r, double[][] params) {
    int[] hidden = mlp.hiddenLayers();
    double[] a = Arrays.copyOf(params[1], hidden[0]);
    for (int p = batch.rowStart()[r]; p < batch.rowStart()[r + 1]; p++) {
      for (int j = 0; j < hidden[0]; j++) {
        a[j] += params[0][batch.indices()[p] * hidden[0] + j] * batch.values()[p];
      }
    }
    for (int layer = 1; layer <= hidden.length; layer++) {
      int in = hidden[layer - 1];
      int out = layer < hidden.length ? hidden[layer] : mlp.numClasses();
      double[] z = Arrays.copyOf(params[2 * layer + 1], out);
      for (int i = 0; i < in; i++) {
        double h = Math.max(0, a[i]);
        for (int j = 0; j < out; j++) {
          z[j] += h * params[2 * layer][i * out + j];
        }
      }
      a = z;
    }
    return a;
  }

  private static double std(float[] values) {
    double sum = 0;
    double squares = 0;
    for (float v : values) {
      sum += v;
      squares += (double) v * v;
    }
    double mean = sum / values.length;
    return Math.sqrt(squares / values.length - mean * mean);
  }
}
