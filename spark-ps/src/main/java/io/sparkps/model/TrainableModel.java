package io.sparkps.model;

import io.sparkps.param.ParamSpec;
import java.io.Serializable;
import java.util.List;
import java.util.function.IntConsumer;

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
   * Whether {@link #initialValues} is all zeros: then the servers create the params without
   * anyone building them whole, which matters for models with millions of features.
   */
  default boolean zeroInitialized() {
    return false;
  }

  /**
   * Computes the mean loss over the batch and writes the mean gradient of that loss (without any
   * regularisation, which the servers' optimizers add) into {@code gradients}, which has the
   * same shapes as {@code params} and is overwritten.
   *
   * @return the mean loss of the batch
   */
  double gradient(Batch batch, float[][] params, float[][] gradients);

  /**
   * As {@link #gradient(Batch, float[][], float[][])}, telling {@code ready} the index of each
   * param as soon as its gradient is final, so that a worker can send it while the rest is
   * computed: backprop finishes the last layers first, and the servers can apply their update
   * while the worker computes the first layers' gradient. Each param is announced exactly once,
   * and all of them before this returns. Once {@code ready.accept(p)} is called, the model must
   * neither write {@code gradients[p]} nor read {@code params[p]} again: the caller may send
   * the one and overwrite the other with the servers' answer.
   *
   * <p>The default computes the whole gradient, then announces every param in order; a model
   * whose gradient comes in stages (layers) overrides it.
   *
   * @return the mean loss of the batch
   */
  default double gradient(Batch batch, float[][] params, float[][] gradients,
      IntConsumer ready) {
    double loss = gradient(batch, params, gradients);
    for (int p = 0; p < gradients.length; p++) {
      ready.accept(p);
    }
    return loss;
  }

  /** Number of outputs per example that {@link #predict} returns (1 for a binary model). */
  int numOutputs();

  /**
   * Predicts the batch: a {@code batch.size() x numOutputs()} row-major array; for a binary
   * classifier the probability of the positive class, for a multi-class one the class
   * probabilities, for a regression the predicted value.
   */
  float[] predict(Batch batch, float[][] params);

  /** What a model predicts, which decides the labels it accepts and how it is evaluated. */
  enum Task {
    /** Labels 0 and 1; {@link #predict} returns {@code P(y = 1)}. */
    BINARY_CLASSIFICATION,
    /**
     * Labels are class indices {@code 0 .. numOutputs() - 1}; {@link #predict} returns the
     * probability of each class.
     */
    MULTICLASS_CLASSIFICATION,
    /** Any finite label; {@link #predict} returns the predicted value. */
    REGRESSION
  }

  /** The kind of prediction this model makes; binary classification unless overridden. */
  default Task task() {
    return Task.BINARY_CLASSIFICATION;
  }

  /**
   * Whether {@code label} is a valid label for this model, so that callers can reject a bad data
   * set before training on it. The default follows {@link #task()}: 0 or 1 for binary
   * classification, an integer in {@code [0, numOutputs())} for multi-class classification, any
   * finite value for regression.
   *
   * @return null when the label is valid, otherwise a short reason naming the label
   */
  default String checkLabel(double label) {
    return switch (task()) {
      case BINARY_CLASSIFICATION -> Labels.checkBinary(label);
      case MULTICLASS_CLASSIFICATION -> Labels.checkClassIndex(label, numOutputs());
      case REGRESSION -> Labels.checkFinite(label);
    };
  }
}
