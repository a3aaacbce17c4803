package io.sparkps.model;

import io.sparkps.param.ParamSpec;
import java.io.Serializable;
import java.util.List;

/**
 * The model SPI: what a model tells spark-ps so that workers can train it against the servers.
 *
 * <p>A model is stateless apart from its hyper-parameters; the parameter values live on the
 * servers and are handed in as one flat float array per declared param, in the order of
 * {@link #params(int)}. Implementations must be {@link Serializable}: the instance is shipped to
 * every worker.
 *
 * <pre>{@code
 * TrainableModel lr = new BinaryLogisticRegression();
 * List<ParamSpec> specs = lr.params(123);                  // weights[123], bias[1]
 * float[][] values = lr.initialValues(123, new java.util.Random(7));
 * float[][] grads = {new float[123], new float[1]};
 * double loss = lr.gradient(batch, values, grads);         // mean loss and mean gradient
 * }</pre>
 */
public interface TrainableModel extends Serializable {

  /** The params of this model for inputs of {@code numFeatures} features. */
  List<ParamSpec> params(int numFeatures);

  /** Initial values, one array per param of {@link #params(int)}, each of its full length. */
  float[][] initialValues(int numFeatures, java.util.Random random);

  /**
   * Computes the mean loss over the batch and writes the mean gradient of that loss (without any
   * regularisation, which the servers' optimizers add) into {@code gradients}, which has the
   * same shapes as {@code params} and is overwritten.
   *
   * @return the mean loss of the batch
   */
  double gradient(Batch batch, float[][] params, float[][] gradients);

  /** Number of outputs per example that {@link #predict} returns (1 for a binary model). */
  int numOutputs();

  /**
   * Predicts the batch: a {@code batch.size() x numOutputs()} row-major array; for a binary
   * classifier the probability of the positive class, for a multi-class one the class
   * probabilities, for a regression the predicted value.
   */
  float[] predict(Batch batch, float[][] params);
}
