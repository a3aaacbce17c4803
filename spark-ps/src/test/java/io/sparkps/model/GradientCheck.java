package io.sparkps.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.param.ParamSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a model's loss and gradient against a double-precision reference loss and its central
 * finite differences, param by param.
 */
final class GradientCheck {

  /** A model's mean loss on a fixed batch, written independently of the model, in double. */
  interface ReferenceLoss {
    double at(double[][] params);
  }

  private static final double EPS = 1e-5;

  private GradientCheck() {}

  /**
   * Runs {@code model.gradient} with gradient arrays pre-filled with NaN (so every entry must be
   * written), compares its loss and every gradient entry with {@code reference}, and returns the
   * model's gradients.
   */
  static float[][] check(
      TrainableModel model, Batch batch, float[][] params, ReferenceLoss reference) {
    List<ParamSpec> specs = model.params(batch.numFeatures());
    float[][] gradients = new float[params.length][];
    for (int p = 0; p < params.length; p++) {
      gradients[p] = new float[params[p].length];
      Arrays.fill(gradients[p], Float.NaN);
    }
    double loss = model.gradient(batch, params, gradients);

    double[][] x = toDouble(params);
    assertEquals(reference.at(x), loss, 1e-5, "loss");
    for (int p = 0; p < x.length; p++) {
      for (int i = 0; i < x[p].length; i++) {
        double saved = x[p][i];
        x[p][i] = saved + EPS;
        double up = reference.at(x);
        x[p][i] = saved - EPS;
        double down = reference.at(x);
        x[p][i] = saved;
        double expected = (up - down) / (2 * EPS);
        String name = specs.get(p).name();
        int index = i;
        assertEquals(
            expected,
            gradients[p][i],
            1e-5 + 1e-3 * Math.abs(expected),
            () -> "gradient of " + name + "[" + index + "]");
      }
    }
    return gradients;
  }

  static double[][] toDouble(float[][] values) {
    double[][] out = new double[values.length][];
    for (int p = 0; p < values.length; p++) {
      out[p] = new double[values[p].length];
      for (int i = 0; i < values[p].length; i++) {
        out[p][i] = values[p][i];
      }
    }
    return out;
  }

  /** {@code log(sum(exp(logits))) - logits[label]}, shifted by the maximum. */
  static double crossEntropy(double[] logits, int label) {
    double max = Arrays.stream(logits).max().orElseThrow();
    double sum = 0;
    for (double z : logits) {
      sum += Math.exp(z - max);
    }
    return max + Math.log(sum) - logits[label];
  }
}
