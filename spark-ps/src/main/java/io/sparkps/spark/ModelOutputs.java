package io.sparkps.spark;

import io.sparkps.client.ParamValues;
import io.sparkps.model.TrainableModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;

/**
 * What a {@link PSTrainerModel} makes of one feature vector, in MLlib's terms: the outputs of
 * {@link TrainableModel#predict} become a raw prediction, class probabilities and a label (or
 * a value, for regression), the same way in {@code transform} and in the single-vector methods.
 */
final class ModelOutputs {
  private ModelOutputs() {}

  /**
   * The model's outputs for one vector: see {@link TrainableModel#predict}.
   *
   * @throws IllegalArgumentException for a vector of more than {@code d} features, or a dense
   *     one of fewer, naming {@code column}
   */
  static double[] outputs(TrainableModel m, ParamValues p, int d, Vector v, String column) {
    if (v.size() > d || (v.size() < d && v instanceof DenseVector)) {
      throw new IllegalArgumentException("featuresCol=" + column + ": a row has a "
          + (v instanceof DenseVector ? "dense" : "sparse") + " vector of size " + v.size()
          + ", the model was trained on numFeatures=" + d + (v.size() > d
          ? "; vectors of more features than the model knows cannot be scored"
          : "; a dense vector of another size is a different feature layout (sparse vectors "
              + "of fewer features are accepted: the missing features count as zeros)"));
    }
    LabeledExample e = LabeledExample.of(0, v);
    float[] out;
    if (p.allWhole()) {
      float[][] whole = new float[p.size()][];
      for (int i = 0; i < whole.length; i++) {
        whole[i] = p.values(i);
      }
      out = m.predict(BatchBuilder.single(e.indices(), e.values(), d), whole);
    } else {
      // Only the rows of this example's features: indices are ascending and distinct.
      int[] local = new int[e.indices().length];
      for (int i = 0; i < local.length; i++) {
        local[i] = i;
      }
      out = m.predict(BatchBuilder.single(local, e.values(), local.length),
          p.forFeatures(e.indices()));
    }
    double[] result = new double[out.length];
    for (int i = 0; i < out.length; i++) {
      result[i] = out[i];
    }
    return result;
  }

  /**
   * Class probabilities: {@code [1 - q, q]} for a binary model's {@code q = P(y = 1)}, the
   * outputs themselves for a multi-class one.
   */
  static Vector probability(boolean binary, Vector outputs) {
    return binary ? Vectors.dense(1 - outputs.apply(0), outputs.apply(0)) : outputs;
  }

  /**
   * The raw prediction: {@code [-margin, margin]} for a binary model (as MLlib's logistic
   * regression), the log-probabilities for a multi-class one (the margins up to a shared
   * constant, so their argmax is the predicted class).
   */
  static Vector raw(boolean binary, Vector outputs) {
    if (binary) {
      double q = outputs.apply(0);
      double margin = Math.log(q) - Math.log1p(-q);
      return Vectors.dense(-margin, margin);
    }
    double[] logs = new double[outputs.size()];
    for (int i = 0; i < logs.length; i++) {
      logs[i] = Math.log(outputs.apply(i));
    }
    return Vectors.dense(logs);
  }

  /** The predicted label: positive above probability 0.5 (MLlib's threshold), else argmax. */
  static double label(boolean binary, Vector outputs) {
    return binary ? (outputs.apply(0) > 0.5 ? 1.0 : 0.0) : (double) outputs.argmax();
  }
}
