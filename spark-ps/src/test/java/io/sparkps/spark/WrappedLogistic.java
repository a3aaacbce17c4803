package io.sparkps.spark;

import io.sparkps.model.Batch;
import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.ParamSpec;
import java.util.List;
import java.util.Random;

/**
 * Logistic regression with a test's behaviour around its gradient: subclasses override {@link
 * #gradient} and call {@code inner}'s; everything else is {@link BinaryLogisticRegression}'s, so
 * the results are its results.
 */
abstract class WrappedLogistic implements TrainableModel {
  protected final TrainableModel inner = new BinaryLogisticRegression();

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
