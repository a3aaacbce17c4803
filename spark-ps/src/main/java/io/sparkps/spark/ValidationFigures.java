package io.sparkps.spark;

import io.sparkps.model.Batch;
import io.sparkps.model.ExampleBlock;
import io.sparkps.model.TrainableModel;

/**
 * The figures a worker computes on its validation rows at the end of an epoch, laid out so
 * that the driver gets the whole validation set's figures by summing the workers' arrays
 * element by element (which the epoch-end gate does):
 *
 * <pre>
 * [0] rows evaluated   [1] sum of the model's loss over them   then, by task:
 *   binary:      [2 .. 2+BINS)  positives per bin of P(y = 1),  [2+BINS .. 2+2*BINS) negatives
 *   multi-class: [2] rows predicted right (the class of highest probability)
 *   regression:  [2] sum of squared errors
 * </pre>
 *
 * <p>The loss is the model's own ({@link TrainableModel#gradient}), the one training
 * reports. The binary AUC is read from a histogram of {@value #BINS} equal bins of {@code
 * P(y = 1)} summed over the workers: a positive and a negative in the same bin count one half,
 * as exact ties do, so the AUC is off by at most half the share of positive-negative pairs
 * that share a bin ({@link #aucErrorBound}); pairs of exactly equal scores count one half in
 * the exact AUC too.
 */
final class ValidationFigures {
  /** Bins of the binary score histogram. */
  static final int BINS = 4096;
  /** Rows evaluated at once: bounds the memory an evaluation needs. */
  static final int CHUNK = 2048;

  private ValidationFigures() {}

  /**
   * The params to evaluate one chunk of validation rows with, and the chunk as the model must
   * see it: the values a dense worker holds, or, in row-sparse training, the rows the chunk
   * touches with the chunk renumbered over them.
   */
  record Scoring(Batch batch, float[][] params) {}

  /** Gives the {@link Scoring} of a chunk of validation rows. */
  @FunctionalInterface
  interface ParamsFor {
    Scoring of(Batch chunk);
  }

  /** The array's length for a model of {@code task}. */
  static int length(TrainableModel.Task task) {
    return task == TrainableModel.Task.BINARY_CLASSIFICATION ? 2 + 2 * BINS : 3;
  }

  /** The name of the second figure: {@code areaUnderROC}, {@code accuracy} or {@code rmse}. */
  static String metricName(TrainableModel.Task task) {
    return switch (task) {
      case BINARY_CLASSIFICATION -> "areaUnderROC";
      case MULTICLASS_CLASSIFICATION -> "accuracy";
      case REGRESSION -> "rmse";
    };
  }

  /** Whether a higher value of the metric is better (AUC, accuracy) or a lower one (rmse). */
  static boolean higherIsBetter(TrainableModel.Task task) {
    return task != TrainableModel.Task.REGRESSION;
  }

  /** This worker's figures over {@code rows}, with the params {@code params} gives. */
  static double[] of(TrainableModel model, ExampleBlock rows, ParamsFor params) {
    TrainableModel.Task task = model.task();
    double[] out = new double[length(task)];
    int n = rows.size();
    int[] order = new int[Math.max(n, 1)];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int from = 0; from < n; from += CHUNK) {
      Scoring s = params.of(rows.pack(order, from, Math.min(CHUNK, n - from)));
      add(model, task, s.batch(), s.params(), out);
    }
    return out;
  }

  private static void add(TrainableModel model, TrainableModel.Task task, Batch batch,
      float[][] params, double[] out) {
    int n = batch.size();
    float[][] scratch = new float[params.length][];
    for (int p = 0; p < params.length; p++) {
      scratch[p] = new float[params[p].length];
    }
    out[0] += n;
    out[1] += model.gradient(batch, params, scratch) * n;
    float[] predicted = model.predict(batch, params);
    float[] labels = batch.labels();
    switch (task) {
      case BINARY_CLASSIFICATION -> {
        for (int i = 0; i < n; i++) {
          int bin = bin(predicted[i]);
          out[2 + (labels[i] > 0.5f ? 0 : BINS) + bin]++;
        }
      }
      case MULTICLASS_CLASSIFICATION -> {
        int k = model.numOutputs();
        for (int i = 0; i < n; i++) {
          int best = 0;
          for (int c = 1; c < k; c++) {
            if (predicted[i * k + c] > predicted[i * k + best]) {
              best = c;
            }
          }
          out[2] += best == (int) labels[i] ? 1 : 0;
        }
      }
      case REGRESSION -> {
        for (int i = 0; i < n; i++) {
          double e = predicted[i] - labels[i];
          out[2] += e * e;
        }
      }
    }
  }

  /** The bin of a probability: {@code [b / BINS, (b + 1) / BINS)}, 1 in the last. */
  static int bin(float probability) {
    int b = (int) (probability * BINS);
    return Math.max(0, Math.min(BINS - 1, b));
  }

  /** Rows the figures cover. */
  static long rows(double[] summed) {
    return (long) summed[0];
  }

  /** Mean validation loss; NaN over no rows. */
  static double loss(double[] summed) {
    return summed[0] == 0 ? Double.NaN : summed[1] / summed[0];
  }

  /** The metric {@link #metricName} names; NaN when it is undefined (no rows, one class). */
  static double metric(TrainableModel.Task task, double[] summed) {
    if (summed[0] == 0) {
      return Double.NaN;
    }
    return switch (task) {
      case BINARY_CLASSIFICATION -> auc(summed);
      case MULTICLASS_CLASSIFICATION -> summed[2] / summed[0];
      case REGRESSION -> Math.sqrt(summed[2] / summed[0]);
    };
  }

  /**
   * Area under the ROC curve from the score histogram: the share of (positive, negative)
   * pairs where the positive scores higher, a pair in the same bin counting one half.
   */
  static double auc(double[] summed) {
    double positives = 0;
    double negatives = 0;
    double higher = 0;
    for (int b = 0; b < BINS; b++) {
      double pos = summed[2 + b];
      double neg = summed[2 + BINS + b];
      // Pairs of this bin's positives with the negatives of lower bins, and half of the same.
      higher += pos * (negatives + neg / 2);
      positives += pos;
      negatives += neg;
    }
    return positives == 0 || negatives == 0 ? Double.NaN : higher / (positives * negatives);
  }

  /** Most that {@link #auc} can be off the exact AUC: half the pairs that share a bin. */
  static double aucErrorBound(double[] summed) {
    double positives = 0;
    double negatives = 0;
    double shared = 0;
    for (int b = 0; b < BINS; b++) {
      shared += summed[2 + b] * summed[2 + BINS + b];
      positives += summed[2 + b];
      negatives += summed[2 + BINS + b];
    }
    return positives == 0 || negatives == 0 ? Double.NaN
        : shared / 2 / (positives * negatives);
  }
}
