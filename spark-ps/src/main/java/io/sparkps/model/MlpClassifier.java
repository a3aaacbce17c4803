package io.sparkps.model;

import io.sparkps.param.ParamSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A multi-layer perceptron classifier: fully connected layers with ReLU activations and a softmax
 * output over {@code numClasses} classes, trained on the mean cross-entropy.
 *
 * <p>Layer {@code i} (0-based; there are {@code hiddenLayers.length + 1}) maps {@code in_i} to
 * {@code out_i} values, where {@code in_0 = numFeatures}, {@code out_i = hiddenLayers[i]} for the
 * hidden layers and the last layer's {@code out} is {@code numClasses}. Its params are {@code
 * "w<i>"}, an {@code in_i x out_i} matrix (row-major: the row of an input holds its outgoing
 * weights), and {@code "b<i>"}, a vector of {@code out_i}, in the order {@code w0, b0, w1, b1,
 * ...}. Sparse batches touch only the rows of {@code w0} for their features, as in {@link
 * MultinomialLogisticRegression}.
 *
 * <p>Labels are class indices {@code 0 .. numClasses - 1}; {@link #predict} returns the class
 * probabilities of each row.
 *
 * <pre>{@code
 * TrainableModel mlp = new MlpClassifier(new int[] {64, 32}, 10);
 * mlp.params(784);   // w0 784 x 64, b0 64, w1 64 x 32, b1 32, w2 32 x 10, b2 10
 * float[][] values = mlp.initialValues(784, new Random(7));
 * }</pre>
 *
 * <p>Instances hold only the layer sizes and are thread safe.
 */
public final class MlpClassifier implements TrainableModel {

  private static final long serialVersionUID = 1L;

  private final int[] hiddenLayers;
  private final int numClasses;

  /**
   * @param hiddenLayers the width of each hidden layer, at least one layer, each at least 1
   * @param numClasses number of classes, at least 2
   */
  public MlpClassifier(int[] hiddenLayers, int numClasses) {
    if (hiddenLayers == null || hiddenLayers.length == 0) {
      throw new IllegalArgumentException(
          "hiddenLayers must hold at least one layer width, got "
              + Arrays.toString(hiddenLayers)
              + ": for no hidden layer use MultinomialLogisticRegression");
    }
    for (int i = 0; i < hiddenLayers.length; i++) {
      if (hiddenLayers[i] < 1) {
        throw new IllegalArgumentException(
            "hiddenLayers[" + i + "] must be at least 1, got " + hiddenLayers[i] + " in "
                + Arrays.toString(hiddenLayers));
      }
    }
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
    }
    this.hiddenLayers = hiddenLayers.clone();
    this.numClasses = numClasses;
  }

  /** Name of the weights param of layer {@code layer}. */
  public static String weightsName(int layer) {
    return "w" + layer;
  }

  /** Name of the bias param of layer {@code layer}. */
  public static String biasName(int layer) {
    return "b" + layer;
  }

  public int[] hiddenLayers() {
    return hiddenLayers.clone();
  }

  public int numClasses() {
    return numClasses;
  }

  @Override
  public List<ParamSpec> params(int numFeatures) {
    int[] widths = widths(numFeatures);
    List<ParamSpec> specs = new ArrayList<>();
    for (int layer = 0; layer < widths.length - 1; layer++) {
      ParamArrays.checkFits(weightsName(layer), widths[layer], widths[layer + 1]);
      specs.add(ParamSpec.matrix(weightsName(layer), widths[layer], widths[layer + 1]));
      specs.add(ParamSpec.vector(biasName(layer), widths[layer + 1]));
    }
    return List.copyOf(specs);
  }

  /**
   * Zero biases and Gaussian weights drawn from {@code random} in param order: He ({@code
   * variance 2 / in}) for the ReLU layers, Glorot ({@code variance 2 / (in + out)}) for the
   * softmax layer, so that activations keep their scale through the layers. Random weights break
   * the symmetry between the units of a layer; the same seed gives the same values.
   */
  @Override
  public float[][] initialValues(int numFeatures, Random random) {
    params(numFeatures); // validates numFeatures and that every param fits in an array
    int[] widths = widths(numFeatures);
    int layers = widths.length - 1;
    float[][] values = new float[2 * layers][];
    for (int layer = 0; layer < layers; layer++) {
      int in = widths[layer];
      int out = widths[layer + 1];
      double std = Math.sqrt(layer < layers - 1 ? 2.0 / in : 2.0 / (in + out));
      float[] weights = new float[in * out];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = (float) (random.nextGaussian() * std);
      }
      values[2 * layer] = weights;
      values[2 * layer + 1] = new float[out];
    }
    return values;
  }

  /**
   * @throws IllegalArgumentException if a label is not a class index in {@code [0, numClasses)}
   */
  @Override
  public double gradient(Batch batch, float[][] params, float[][] gradients) {
    return gradient(batch, params, gradients, p -> { });
  }

  /**
   * Announces each layer's weights and bias as backprop finishes them, from the last layer to
   * the first: the forward pass copies every weight matrix it needs, so no param is read after
   * its gradient is final.
   *
   * @throws IllegalArgumentException if a label is not a class index in {@code [0, numClasses)}
   */
  @Override
  public double gradient(Batch batch, float[][] params, float[][] gradients,
      IntConsumer ready) {
    List<ParamSpec> specs = params(batch.numFeatures());
    ParamArrays.check("param", params, specs);
    ParamArrays.check("gradient", gradients, specs);
    int[] classes = Labels.classIndices(batch, numClasses);
    if (batch.size() == 0) {
      // No examples: the mean is undefined; a zero step leaves the servers' values unchanged.
      for (int p = 0; p < gradients.length; p++) {
        Arrays.fill(gradients[p], 0f);
        ready.accept(p);
      }
      return 0.0;
    }
    DenseBatchMatrix x = DenseBatchMatrix.of(batch);
    Forward pass = forward(x, params);
    int layers = pass.weights.length;
    INDArray delta = pass.activations[layers];
    double loss = Softmax.meanCrossEntropy(delta, classes);
    for (int layer = layers - 1; layer >= 1; layer--) {
      INDArray input = pass.activations[layer];
      ParamArrays.copyTo(Nd4j.gemm(input, delta, true, false), gradients[2 * layer]);
      ParamArrays.copyTo(delta.sum(0), gradients[2 * layer + 1]);
      ready.accept(2 * layer);
      ready.accept(2 * layer + 1);
      // Back through the weights, then through ReLU: its derivative is 1 where the output is > 0.
      INDArray active = input.gt(0).castTo(DataType.FLOAT);
      delta = Nd4j.gemm(delta, pass.weights[layer], false, true).muli(active);
    }
    if (x.matrix() == null) {
      Arrays.fill(gradients[0], 0f);
    } else {
      INDArray perColumn = Nd4j.gemm(x.matrix(), delta, true, false);
      x.scatterRows(ParamArrays.flat(perColumn), gradients[0], hiddenLayers[0]);
    }
    ParamArrays.copyTo(delta.sum(0), gradients[1]);
    ready.accept(0);
    ready.accept(1);
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
    Forward pass = forward(DenseBatchMatrix.of(batch), params);
    return ParamArrays.flat(Softmax.probabilities(pass.activations[pass.weights.length]));
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
    return "MlpClassifier(hiddenLayers=" + Arrays.toString(hiddenLayers) + ", numClasses="
        + numClasses + ")";
  }

  /** {@code numFeatures}, the hidden widths, {@code numClasses}. */
  private int[] widths(int numFeatures) {
    if (numFeatures < 1) {
      throw new IllegalArgumentException("numFeatures must be at least 1, got " + numFeatures);
    }
    int[] widths = new int[hiddenLayers.length + 2];
    widths[0] = numFeatures;
    System.arraycopy(hiddenLayers, 0, widths, 1, hiddenLayers.length);
    widths[widths.length - 1] = numClasses;
    return widths;
  }

  /**
   * What backprop needs from the forward pass. {@code activations[i]} is the input of layer
   * {@code i} for {@code i >= 1} (a ReLU output), {@code activations[layers]} the logits;
   * {@code weights[i]} is layer {@code i}'s weight matrix for {@code i >= 1}.
   */
  private record Forward(INDArray[] activations, INDArray[] weights) {}

  private Forward forward(DenseBatchMatrix x, float[][] params) {
    int layers = hiddenLayers.length + 1;
    INDArray[] activations = new INDArray[layers + 1];
    INDArray[] weights = new INDArray[layers];
    int width = hiddenLayers[0];
    INDArray bias = ParamArrays.matrix(params[1], 1, width);
    INDArray z;
    if (x.matrix() == null) {
      // The batch touches no feature: the first layer sees only its bias.
      z = Nd4j.zeros(DataType.FLOAT, x.rows(), width).addiRowVector(bias);
    } else {
      z = x.matrix().mmul(x.gatherRows(params[0], width)).addiRowVector(bias);
    }
    for (int layer = 1; layer < layers; layer++) {
      int in = width;
      width = layer < layers - 1 ? hiddenLayers[layer] : numClasses;
      activations[layer] = Transforms.relu(z, false);
      weights[layer] = ParamArrays.matrix(params[2 * layer], in, width);
      bias = ParamArrays.matrix(params[2 * layer + 1], 1, width);
      z = activations[layer].mmul(weights[layer]).addiRowVector(bias);
    }
    activations[layers] = z;
    return new Forward(activations, weights);
  }
}
