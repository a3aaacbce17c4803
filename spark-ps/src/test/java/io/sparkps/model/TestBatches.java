package io.sparkps.model;

import java.util.Arrays;
import java.util.Random;

/** Builds {@link Batch}es for tests from dense rows or per-row index lists. */
final class TestBatches {

  private TestBatches() {}

  /** A batch storing every feature of every row. */
  static Batch dense(float[][] rows, float[] labels) {
    int numFeatures = rows.length == 0 ? 0 : rows[0].length;
    int[][] indices = new int[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      indices[r] = new int[numFeatures];
      Arrays.setAll(indices[r], i -> i);
    }
    return sparse(numFeatures, indices, rows, labels);
  }

  /** A batch with {@code indices[r]} and {@code values[r]} as row {@code r}. */
  static Batch sparse(int numFeatures, int[][] indices, float[][] values, float[] labels) {
    int[] rowStart = new int[indices.length + 1];
    for (int r = 0; r < indices.length; r++) {
      rowStart[r + 1] = rowStart[r] + indices[r].length;
    }
    int[] flatIndices = new int[rowStart[indices.length]];
    float[] flatValues = new float[flatIndices.length];
    for (int r = 0; r < indices.length; r++) {
      System.arraycopy(indices[r], 0, flatIndices, rowStart[r], indices[r].length);
      System.arraycopy(values[r], 0, flatValues, rowStart[r], values[r].length);
    }
    return new Batch(numFeatures, rowStart, flatIndices, flatValues, labels);
  }

  /** {@code rows} rows of {@code perRow} distinct random features, Gaussian values, 0/1 labels. */
  static Batch randomSparse(Random random, int rows, int numFeatures, int perRow) {
    int[][] indices = new int[rows][];
    float[][] values = new float[rows][perRow];
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      indices[r] = random.ints(0, numFeatures).distinct().limit(perRow).sorted().toArray();
      for (int i = 0; i < perRow; i++) {
        values[r][i] = (float) random.nextGaussian();
      }
      labels[r] = random.nextBoolean() ? 1f : 0f;
    }
    return sparse(numFeatures, indices, values, labels);
  }

  /** The same rows as {@code batch} with other labels. */
  static Batch withLabels(Batch batch, float[] labels) {
    return new Batch(
        batch.numFeatures(), batch.rowStart(), batch.indices(), batch.values(), labels);
  }

  /** {@code rows} labels drawn uniformly from the classes {@code 0 .. numClasses - 1}. */
  static float[] randomClasses(Random random, int rows, int numClasses) {
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = random.nextInt(numClasses);
    }
    return labels;
  }

  /**
   * Takes {@code steps} steps of full-batch gradient descent with learning rate {@code rate},
   * updating {@code params} in place.
   */
  static void descend(TrainableModel model, Batch batch, float[][] params, float rate, int steps) {
    float[][] gradients = new float[params.length][];
    for (int p = 0; p < params.length; p++) {
      gradients[p] = new float[params[p].length];
    }
    for (int step = 0; step < steps; step++) {
      model.gradient(batch, params, gradients);
      for (int p = 0; p < params.length; p++) {
        for (int i = 0; i < params[p].length; i++) {
          params[p][i] -= rate * gradients[p][i];
        }
      }
    }
  }

  /** Fraction of rows whose most probable class, in {@code probabilities}, is their label. */
  static double accuracy(float[] probabilities, float[] labels, int numClasses) {
    int correct = 0;
    for (int r = 0; r < labels.length; r++) {
      int best = 0;
      for (int k = 1; k < numClasses; k++) {
        if (probabilities[r * numClasses + k] > probabilities[r * numClasses + best]) {
          best = k;
        }
      }
      correct += best == (int) labels[r] ? 1 : 0;
    }
    return correct / (double) labels.length;
  }

  /** Uniform random floats in {@code [-scale, scale)}. */
  static float[] randomFloats(Random random, int length, double scale) {
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
    }
    return out;
  }
}
