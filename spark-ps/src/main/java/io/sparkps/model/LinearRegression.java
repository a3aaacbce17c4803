package io.sparkps.model;

import io.sparkps.param.ParamSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Linear regression: {@code yhat = weights . x + bias}, trained on the mean of half the squared
 * error, {@code 0.5 * (y - yhat)^2}.
 *
 * <p>Params: {@value #WEIGHTS} (a vector of {@code numFeatures}) and {@value #BIAS} (a vector of
 * 1). Labels are any finite values; {@link #predict} returns {@code yhat} per row, so {@link
 * #numOutputs()} is 1. Sparse batches are computed over only the features they touch, as in
 * {@link BinaryLogisticRegression}.
 *
 * <pre>{@code
 * TrainableModel ols = new LinearRegression();
 * double loss = ols.gradient(batch, values, gradients);   // mean 0.5 * squared error
 * float[] yhat = ols.predict(batch, values);
 * }</pre>
 *
 * <p>Instances hold no state and are thread safe.
 */
public final class LinearRegression implements TrainableModel {

  private static final long serialVersionUID = 1L;

  /** Name of the weights param, one entry per feature. */
  public static final String WEIGHTS = "weights";

  /** Name of the bias param, a single value. */
  public static final String BIAS = "bias";

  public LinearRegression() {}

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

  /** All zeros: the loss is convex. {@code random} is not used. */
  @Override
  public float[][] initialValues(int numFeatures, Random random) {
    params(numFeatures); // validates numFeatures
    return new float[][] {new float[numFeatures], new float[1]};
  }

  /**
   * @throws IllegalArgumentException if a label is NaN or infinite, which would turn every param
   *     it touches into NaN on the servers
   */
  @Override
  public double gradient(Batch batch, float[][] params, float[][] gradients) {
    List<ParamSpec> specs = params(batch.numFeatures());
    ParamArrays.check("param", params, specs);
    ParamArrays.check("gradient", gradients, specs);
    Labels.checkAllFinite(batch);
    int n = batch.size();
    if (n == 0) {
      // No examples: the mean is undefined; a zero step leaves the servers' values unchanged.
      Arrays.fill(gradients[0], 0f);
      gradients[1][0] = 0f;
      return 0.0;
    }
    DenseBatchMatrix x = DenseBatchMatrix.of(batch);
    // d loss_i / d yhat_i = yhat_i - y_i.
    INDArray residual =
        predictions(x, params).subi(Nd4j.create(batch.labels(), new long[] {n, 1}, 'c'));
    float[] r = residual.toFloatVector();
    double lossSum = 0;
    double residualSum = 0;
    for (float e : r) {
      lossSum += 0.5 * e * e;
      residualSum += e;
    }
    if (x.matrix() == null) {
      Arrays.fill(gradients[0], 0f);
    } else {
      float[] perColumn =
          Nd4j.gemm(x.matrix(), residual, true, false).muli(1.0 / n).toFloatVector();
      x.scatter(perColumn, gradients[0]);
    }
    gradients[1][0] = (float) (residualSum / n);
    return lossSum / n;
  }

  @Override
  public int numOutputs() {
    return 1;
  }

  @Override
  public float[] predict(Batch batch, float[][] params) {
    ParamArrays.check("param", params, params(batch.numFeatures()));
    if (batch.size() == 0) {
      return new float[0];
    }
    return predictions(DenseBatchMatrix.of(batch), params).toFloatVector();
  }

  @Override
  public Task task() {
    return Task.REGRESSION;
  }

  @Override
  public String checkLabel(double label) {
    return Labels.checkFinite(label);
  }

  @Override
  public String toString() {
    return "LinearRegression";
  }

  /** {@code x . weights + bias} as a new {@code rows x 1} float array. */
  private static INDArray predictions(DenseBatchMatrix x, float[][] params) {
    float bias = params[1][0];
    if (x.matrix() == null) {
      // The batch touches no feature: every prediction is the bias.
      return Nd4j.valueArrayOf(new long[] {x.rows(), 1}, bias);
    }
    return x.matrix().mmul(x.gather(params[0])).addi(bias);
  }
}
