package io.sparkps.model;

import io.sparkps.param.ParamSpec;
import java.util.Arrays;
import java.util.List;
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
public final class LinearRegression extends LinearModel {

  private static final long serialVersionUID = 1L;

  public LinearRegression() {}

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
      return emptyBatch(gradients);
    }
    DenseBatchMatrix x = DenseBatchMatrix.of(batch);
    // d loss_i / d yhat_i = yhat_i - y_i.
    INDArray residual =
        scores(x, params).subi(Nd4j.create(batch.labels(), new long[] {n, 1}, 'c'));
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
  public float[] predict(Batch batch, float[][] params) {
    ParamArrays.check("param", params, params(batch.numFeatures()));
    if (batch.size() == 0) {
      return new float[0];
    }
    return scores(DenseBatchMatrix.of(batch), params).toFloatVector();
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
}
