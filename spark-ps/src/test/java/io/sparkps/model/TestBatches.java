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

  /** Uniform random floats in {@code [-scale, scale)}. */
  static float[] randomFloats(Random random, int length, double scale) {
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
    }
    return out;
  }
}
