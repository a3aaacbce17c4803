package io.sparkps.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Row-wise softmax and its cross-entropy on a {@code rows x classes} float matrix of logits, the
 * output layer of the multi-class models.
 *
 * <p>Every row is shifted by its maximum first, so {@code exp} sees values {@code <= 0} and never
 * overflows, and the log-sum-exp of the row is {@code max + log(sum(exp(shifted)))} with the sum
 * between 1 and the number of classes. Both methods work in place on the logits.
 */
final class Softmax {

  private Softmax() {}

  /** Turns {@code logits} into class probabilities, in place; returns it. */
  static INDArray probabilities(INDArray logits) {
    logits.subiColumnVector(logits.max(true, 1));
    Transforms.exp(logits, false);
    return logits.diviColumnVector(logits.sum(true, 1));
  }

  /**
   * Computes the mean cross-entropy of the rows against their classes and turns {@code logits},
   * in place, into the gradient of that mean with respect to the logits: {@code (p - onehot) /
   * rows}.
   *
   * @param classes the class of each row, each in {@code [0, logits.columns())}
   * @return the mean over the rows of {@code -log p[row, class]}
   */
  static double meanCrossEntropy(INDArray logits, int[] classes) {
    int rows = classes.length;
    int numClasses = (int) logits.columns();
    float[] oneHotData = new float[rows * numClasses];
    for (int r = 0; r < rows; r++) {
      oneHotData[r * numClasses + classes[r]] = 1f;
    }
    INDArray oneHot = Nd4j.create(oneHotData, new long[] {rows, numClasses}, 'c');

    logits.subiColumnVector(logits.max(true, 1));
    // sum over rows of shifted[row, class]; -log p = log(sum(exp(shifted))) - shifted[class].
    double picked = logits.mul(oneHot).sumNumber().doubleValue();
    Transforms.exp(logits, false);
    INDArray sums = logits.sum(true, 1);
    double logSums = Transforms.log(sums, true).sumNumber().doubleValue();
    logits.diviColumnVector(sums).subi(oneHot).divi(rows);
    return (logSums - picked) / rows;
  }
}
