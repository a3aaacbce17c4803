package io.sparkps.model;

import io.sparkps.param.ParamSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multinomial (softmax) logistic regression over {@code K} classes: {@code P(y = k | x) =
 * softmax(x . weights + bias)[k]}, trained on the mean cross-entropy.
 *
 * <p>Params: {@value #WEIGHTS}, a {@code numFeatures x K} matrix (row-major, so the row of a
 * feature holds its {@code K} class weights and a worker can pull only the rows its batch
 * touches), and {@value #BIAS}, a vector of {@code K}. Labels are class indices {@code 0 .. K -
 * 1}; {@link #predict} returns the {@code K} class probabilities of each row, so {@link
 * #numOutputs()} is {@code K}.
 *
 * <p>Sparse batches are computed over only the rows of {@value #WEIGHTS} for the features they
 * touch, as in {@link BinaryLogisticRegression}; the gradient of the other rows is exactly 0.
 *
 * <pre>{@code
 * TrainableModel softmax = new MultinomialLogisticRegression(3);
 * List<ParamSpec> specs = softmax.params(100);    // weights 100 x 3, bias 3 x 1
 * float[] p = softmax.predict(batch, values);     // batch.size() x 3, each row sums to 1
 * }</pre>
 *
 * <p>Instances hold only {@code K} and are thread safe.
 */
public final class MultinomialLogisticRegression implements TrainableModel {

  private static final long serialVersionUID = 1L;

  /** Name of the weights param, {@code numFeatures x numClasses}. */
  public static final String WEIGHTS = "weights";

  /** Name of the bias param, one value per class. */
  public static final String BIAS = "bias";

  private final int numClasses;

  /**
   * @param numClasses number of classes {@code K}, at least 2 (for 2 classes {@link
   *     BinaryLogisticRegression} needs half the params)
   */
  public MultinomialLogisticRegression(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
    }
    this.numClasses = numClasses;
  }

  public int numClasses() {
    return numClasses;
  }

  @Override
  public List<ParamSpec> params(int numFeatures) {
    if (numFeatures < 1) {
      throw new IllegalArgumentException("numFeatures must be at least 1, got " + numFeatures);
    }
    ParamArrays.checkFits(WEIGHTS, numFeatures, numClasses);
    return List.of(
        ParamSpec.matrix(WEIGHTS, numFeatures, numClasses), ParamSpec.vector(BIAS, numClasses));
  }

  @Override
  public boolean zeroInitialized() {
    return true;
  }

  /**
   * All zeros: the cross-entropy is convex in the params, and zero weights start every class at
   * probability {@code 1 / K}. {@code random} is not used.
   */
  @Override
  public float[][] initialValues(int numFeatures, Random random) {
    params(numFeatures); // validates numFeatures
    return new float[][] {new float[numFeatures * numClasses], new float[numClasses]};
  }

  /**
   * @throws IllegalArgumentException if a label is not a class index in {@code [0, K)}
   */
  @Override
  public double gradient(Batch batch, float[][] params, float[][] gradients) {
    List<ParamSpec> specs = params(batch.numFeatures());
    ParamArrays.check("param", params, specs);
    ParamArrays.check("gradient", gradients, specs);
    int[] classes = Labels.classIndices(batch, numClasses);
    if (batch.size() == 0) {
      // No examples: the mean is undefined; a zero step leaves the servers' values unchanged.
      Arrays.fill(gradients[0], 0f);
      Arrays.fill(gradients[1], 0f);
      return 0.0;
    }
    DenseBatchMatrix x = DenseBatchMatrix.of(batch);
    INDArray residual = logits(x, params);
    double loss = Softmax.meanCrossEntropy(residual, classes);
    if (x.matrix() == null) {
      Arrays.fill(gradients[0], 0f);
    } else {
      INDArray perColumn = Nd4j.gemm(x.matrix(), residual, true, false);
      x.scatterRows(ParamArrays.flat(perColumn), gradients[0], numClasses);
    }
    ParamArrays.copyTo(residual.sum(0), gradients[1]);
    return loss;
  }

  @Override
  public int numOutputs() {
    return numClasses;
  }

  @Override
  public float[] predict(Batch batch, float[][] params) {
    ParamArrays.check("param", params, params(batch.numFeatures()));
    if (batch.size() == 0) {
      return new float[0];
    }
    return ParamArrays.flat(Softmax.probabilities(logits(DenseBatchMatrix.of(batch), params)));
  }

  @Override
  public Task task() {
    return Task.MULTICLASS_CLASSIFICATION;
  }

  @Override
  public String checkLabel(double label) {
    return Labels.checkClassIndex(label, numClasses);
  }

  @Override
  public String toString() {
    return "MultinomialLogisticRegression(numClasses=" + numClasses + ")";
  }

  /** {@code x . weights + bias} as a new {@code rows x K} float matrix. */
  private INDArray logits(DenseBatchMatrix x, float[][] params) {
    INDArray bias = ParamArrays.matrix(params[1], 1, numClasses);
    if (x.matrix() == null) {
      // The batch touches no feature: every row's logits are the bias.
      return Nd4j.zeros(DataType.FLOAT, x.rows(), numClasses).addiRowVector(bias);
    }
    return x.matrix().mmul(x.gatherRows(params[0], numClasses)).addiRowVector(bias);
  }
}
