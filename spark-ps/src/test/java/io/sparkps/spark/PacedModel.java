package io.sparkps.spark;

import io.sparkps.model.Batch;
import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.ParamSpec;
import java.util.List;
import java.util.Random;

/**
 * Logistic regression whose every gradient takes {@code delayMs} longer: a fit long enough to
 * be killed in the middle, with the same results as {@link BinaryLogisticRegression}.
 */
final class PacedModel implements TrainableModel {
  private final TrainableModel inner = new BinaryLogisticRegression();
  private final long delayMs;

  PacedModel(long delayMs) {
    this.delayMs = delayMs;
  }

  @Override
  public List<ParamSpec> params(int numFeatures) {
    return inner.params(numFeatures);
  }

  @Override
  public float[][] initialValues(int numFeatures, Random random) {
    return inner.initialValues(numFeatures, random);
  }

  @Override
  public boolean zeroInitialized() {
    return inner.zeroInitialized();
  }

  @Override
  public double gradient(Batch batch, float[][] params, float[][] gradients) {
    try {
      Thread.sleep(delayMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return inner.gradient(batch, params, gradients);
  }

  @Override
  public int numOutputs() {
    return inner.numOutputs();
  }

  @Override
  public float[] predict(Batch batch, float[][] params) {
    return inner.predict(batch, params);
  }
}
