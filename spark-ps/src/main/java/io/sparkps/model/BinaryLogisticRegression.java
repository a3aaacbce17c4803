package io.sparkps.model;

import java.util.Random;

/**
 * Binary logistic regression: {@code P(y = 1 | x) = sigmoid(weights . x + bias)}, trained on the
 * mean log-loss.
 *
 * <p>Params: {@value #WEIGHTS} (a vector of {@code numFeatures}) and {@value #BIAS} (a vector of
 * 1). Labels are 0/1; any label above 0.5 counts as positive. {@link #predict} returns {@code P(y
 * = 1)} per row, so {@link #numOutputs()} is 1.
 *
 * <p>Scores and gradients are computed straight from the batch's compressed rows, so the cost of
 * a step scales with the batch's stored values, not with {@code numFeatures}; the weights
 * gradient is still written in full, with exact zeros outside the batch.
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
    int[] rowStart = batch.rowStart();
    int[] indices = batch.indices();
    float[] values = batch.values();
    float[] labels = batch.labels();
    float[] weights = params[0];
    float[] weightGradient = gradients[0];
    java.util.Arrays.fill(weightGradient, 0f);
    double lossSum = 0;
    double residualSum = 0;
    for (int i = 0; i < n; i++) {
      double m = margin(batch, i, weights, params[1][0]);
      boolean positive = labels[i] > 0.5f;
      // -log sigmoid(m) = softplus(-m) and -log(1 - sigmoid(m)) = softplus(m); written as
      // max(z, 0) + log1p(exp(-|z|)) so that exp never overflows and small losses keep precision.
      double z = positive ? -m : m;
      lossSum += Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
      // d loss_i / d margin_i = sigmoid(margin_i) - y_i, averaged over the batch.
      double residual = sigmoid(m) - (positive ? 1.0 : 0.0);
      residualSum += residual;
      float scaled = (float) (residual / n);
      for (int p = rowStart[i]; p < rowStart[i + 1]; p++) {
        weightGradient[indices[p]] += scaled * values[p];
      }
    }
    gradients[1][0] = (float) (residualSum / n);
    return lossSum / n;
  }

  @Override
  public float[] predict(Batch batch, float[][] params) {
    checkShapes("param", params, batch.numFeatures());
    float[] out = new float[batch.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) sigmoid(margin(batch, i, params[0], params[1][0]));
    }
    return out;
  }

  /**
   * {@code x_row . weights + bias}, straight from the batch's stored values: a linear score
   * needs no dense matrix, whose building would cost more than the score itself.
   *
   * @throws IllegalArgumentException if a feature index is outside {@code [0, numFeatures)}
   */
  private static double margin(Batch batch, int row, float[] weights, float bias) {
    int[] indices = batch.indices();
    float[] values = batch.values();
    double m = bias;
    for (int p = batch.rowStart()[row]; p < batch.rowStart()[row + 1]; p++) {
      int feature = indices[p];
      if (feature < 0 || feature >= weights.length) {
        throw new IllegalArgumentException("feature index " + feature
            + " is outside [0, numFeatures = " + weights.length + ")");
      }
      m += (double) weights[feature] * values[p];
    }
    return m;
  }

  private static double sigmoid(double m) {
    return m >= 0 ? 1 / (1 + Math.exp(-m)) : Math.exp(m) / (1 + Math.exp(m));
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
