package io.sparkps.model;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Binary logistic regression: {@code P(y = 1 | x) = sigmoid(weights . x + bias)}, trained on the
 * mean log-loss.
 *
 * <p>Params: {@value #WEIGHTS} (a vector of {@code numFeatures}) and {@value #BIAS} (a vector of
 * 1). Labels are 0/1; any label above 0.5 counts as positive. {@link #predict} returns {@code P(y
 * = 1)} per row, so {@link #numOutputs()} is 1.
 *
 * <p>Sparse batches (touching fewer than a quarter of the features) are computed over only the
 * features they touch, so the cost of a step scales with the batch, not with {@code numFeatures};
 * the weights gradient is still written in full, with exact zeros outside the batch.
 *
 * <pre>{@code
 * TrainableModel lr = new BinaryLogisticRegression();
 * float[][] w = lr.initialValues(batch.numFeatures(), new Random(7));
 * float[][] g = {new float[batch.numFeatures()], new float[1]};
 * for (int step = 0; step < 100; step++) {
 *   double loss = lr.gradient(batch, w, g);
 *   for (int p = 0; p < w.length; p++) {
 *     for (int i = 0; i < w[p].length; i++) w[p][i] -= 0.5f * g[p][i];
 *   }
 * }
 * float[] probabilities = lr.predict(batch, w);
 * }</pre>
 *
 * <p>Instances hold no state and are thread safe.
 */
public final class BinaryLogisticRegression extends LinearModel {

  private static final long serialVersionUID = 1L;

  public BinaryLogisticRegression() {}

  @Override
  public double gradient(Batch batch, float[][] params, float[][] gradients) {
    checkShapes("param", params, batch.numFeatures());
    checkShapes("gradient", gradients, batch.numFeatures());
    int n = batch.size();
    if (n == 0) {
      return emptyBatch(gradients);
    }
    DenseBatchMatrix x = DenseBatchMatrix.of(batch);
    INDArray margins = scores(x, params);
    float[] m = margins.toFloatVector();
    float[] labels = batch.labels();
    float[] y = new float[n];
    double lossSum = 0;
    for (int i = 0; i < n; i++) {
      boolean positive = labels[i] > 0.5f;
      y[i] = positive ? 1f : 0f;
      // -log sigmoid(m) = softplus(-m) and -log(1 - sigmoid(m)) = softplus(m); written as
      // max(z, 0) + log1p(exp(-|z|)) so that exp never overflows and small losses keep precision.
      double z = positive ? -m[i] : m[i];
      lossSum += Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }
    // d loss_i / d margin_i = sigmoid(margin_i) - y_i.
    INDArray residual =
        Transforms.sigmoid(margins, false).subi(Nd4j.create(y, new long[] {n, 1}, 'c'));
    float[] perColumn =
        x.matrix() == null
            ? new float[0]
            : Nd4j.gemm(x.matrix(), residual, true, false).muli(1.0 / n).toFloatVector();
    x.scatter(perColumn, gradients[0]);
    gradients[1][0] = (float) (residual.sumNumber().doubleValue() / n);
    return lossSum / n;
  }

  @Override
  public float[] predict(Batch batch, float[][] params) {
    checkShapes("param", params, batch.numFeatures());
    if (batch.size() == 0) {
      return new float[0];
    }
    return Transforms.sigmoid(scores(DenseBatchMatrix.of(batch), params), false).toFloatVector();
  }

  @Override
  public Task task() {
    return Task.BINARY_CLASSIFICATION;
  }

  /**
   * Accepts exactly 0 and 1. {@link #gradient} is more lenient (above 0.5 is positive), but a data
   * set with other labels was most likely meant for a different model.
   */
  @Override
  public String checkLabel(double label) {
    return Labels.checkBinary(label);
  }

  @Override
  public String toString() {
    return "BinaryLogisticRegression";
  }

  private static void checkShapes(String kind, float[][] arrays, int numFeatures) {
    if (arrays == null || arrays.length != 2) {
      throw new IllegalArgumentException(
          kind + "s must hold 2 arrays (" + WEIGHTS + ", " + BIAS + "), got "
              + (arrays == null ? "null" : arrays.length));
    }
    checkLength(kind, WEIGHTS, arrays[0], numFeatures, " = numFeatures of the batch");
    checkLength(kind, BIAS, arrays[1], 1, "");
  }

  private static void checkLength(
      String kind, String name, float[] array, int expected, String why) {
    if (array == null || array.length != expected) {
      throw new IllegalArgumentException(
          kind + " " + name + " has length " + (array == null ? "null" : array.length)
              + ", expected " + expected + why);
    }
  }
}
