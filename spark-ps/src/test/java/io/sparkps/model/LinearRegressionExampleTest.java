package io.sparkps.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sparkps.param.ParamSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Keeps the user-defined model shown in {@code package-info.java} compiling and correct. */
class LinearRegressionExampleTest {

  // Same code as the example in package-info.java; keep the two in sync.
  static final class LoopLinearRegression implements TrainableModel {
    public Task task() {
      return Task.REGRESSION; // the default, binary classification, would refuse most labels
    }

    public List<ParamSpec> params(int numFeatures) {
      return List.of(ParamSpec.vector("weights", numFeatures), ParamSpec.vector("bias", 1));
    }

    public float[][] initialValues(int numFeatures, Random random) {
      return new float[][] {new float[numFeatures], new float[1]};
    }

    public double gradient(Batch batch, float[][] params, float[][] gradients) {
      int n = batch.size();
      int[] start = batch.rowStart(), index = batch.indices();
      float[] value = batch.values(), gradW = gradients[0];
      Arrays.fill(gradW, 0f);
      gradients[1][0] = 0f;
      double loss = 0;
      for (int r = 0; r < n; r++) {
        double error = predictRow(batch, r, params) - batch.labels()[r];
        loss += 0.5 * error * error;
        for (int p = start[r]; p < start[r + 1]; p++) {
          gradW[index[p]] += (float) (error * value[p] / n);
        }
        gradients[1][0] += (float) (error / n);
      }
      return loss / n;
    }

    public int numOutputs() {
      return 1;
    }

    public float[] predict(Batch batch, float[][] params) {
      float[] out = new float[batch.size()];
      for (int r = 0; r < out.length; r++) out[r] = (float) predictRow(batch, r, params);
      return out;
    }

    private static double predictRow(Batch batch, int r, float[][] params) {
      double sum = params[1][0];
      for (int p = batch.rowStart()[r]; p < batch.rowStart()[r + 1]; p++) {
        sum += params[0][batch.indices()[p]] * batch.values()[p];
      }
      return sum;
    }
  }

  @Test
  void gradientDescentRecoversALine() {
    // y = 2 x - 1 on x = 0, 1, 2, 3.
    Batch batch =
        TestBatches.dense(new float[][] {{0}, {1}, {2}, {3}}, new float[] {-1, 1, 3, 5});
    LoopLinearRegression model = new LoopLinearRegression();
    float[][] params = model.initialValues(1, new Random(0));
    float[][] gradients = {new float[1], new float[1]};
    for (int step = 0; step < 2000; step++) {
      model.gradient(batch, params, gradients);
      params[0][0] -= 0.1f * gradients[0][0];
      params[1][0] -= 0.1f * gradients[1][0];
    }
    assertEquals(2f, params[0][0], 1e-3f);
    assertEquals(-1f, params[1][0], 1e-3f);
    assertArrayEquals(new float[] {-1, 1, 3, 5}, model.predict(batch, params), 1e-3f);
  }

  @Test
  void agreesWithTheBuiltInLinearRegression() {
    Random random = new Random(3);
    Batch batch =
        TestBatches.withLabels(
            TestBatches.randomSparse(random, 30, 100, 4), TestBatches.randomFloats(random, 30, 5));
    float[][] params = {TestBatches.randomFloats(random, 100, 1), {0.7f}};
    TrainableModel loops = new LoopLinearRegression();
    TrainableModel builtIn = new LinearRegression();
    float[][] loopGradients = {new float[100], new float[1]};
    float[][] builtInGradients = {new float[100], new float[1]};
    assertEquals(
        builtIn.gradient(batch, params, builtInGradients),
        loops.gradient(batch, params, loopGradients),
        1e-5);
    assertArrayEquals(builtInGradients[0], loopGradients[0], 1e-5f);
    assertArrayEquals(builtInGradients[1], loopGradients[1], 1e-5f);
    assertArrayEquals(builtIn.predict(batch, params), loops.predict(batch, params), 1e-5f);
  }

  @Test
  void theDefaultCheckLabelFollowsTheTask() {
    assertNull(new LoopLinearRegression().checkLabel(-2.5));
    assertEquals("label NaN is not finite", new LoopLinearRegression().checkLabel(Double.NaN));
  }
}
