package io.sparkps.model;

import io.sparkps.param.ParamSpec;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the models on one linear score {@code x . weights + bias} share: their two params, zero
 * start values and the score itself. Subclasses add the loss and the output.
 */
abstract class LinearModel implements TrainableModel {
  private static final long serialVersionUID = 1L;

  /** Name of the weights param, one entry per feature. */
  public static final String WEIGHTS = "weights";

  /** Name of the bias param, a single value. */
  public static final String BIAS = "bias";

  @Override
  public List<ParamSpec> params(int numFeatures) {
    if (numFeatures < 1) {
      throw new IllegalArgumentException("numFeatures must be at least 1, got " + numFeatures);
    }
    return List.of(ParamSpec.vector(WEIGHTS, numFeatures), ParamSpec.vector(BIAS, 1));
  }

  @Override
  public boolean zeroInitialized() {
    return true;
  }

  /**
   * All zeros: the loss is convex, so there is no symmetry to break. {@code random} is not
   * used.
   */
  @Override
  public float[][] initialValues(int numFeatures, Random random) {
    params(numFeatures); // validates numFeatures
    return new float[][] {new float[numFeatures], new float[1]};
  }

  @Override
  public int numOutputs() {
    return 1;
  }

  /**
   * The gradient of an empty batch: the mean is undefined, and a zero step leaves the servers'
   * values unchanged. Returns the loss, 0.
   */
  static double emptyBatch(float[][] gradients) {
    java.util.Arrays.fill(gradients[0], 0f);
    gradients[1][0] = 0f;
    return 0.0;
  }

  /** {@code x . weights + bias} as a {@code rows x 1} float array. */
  static INDArray scores(DenseBatchMatrix x, float[][] params) {
    float bias = params[1][0];
    if (x.matrix() == null) {
      // The batch touches no feature: every score is the bias.
      return Nd4j.valueArrayOf(new long[] {x.rows(), 1}, bias);
    }
    return x.matrix().mmul(x.gather(params[0])).addi(bias);
  }
}
