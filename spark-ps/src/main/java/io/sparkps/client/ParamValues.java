package io.sparkps.client;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A trained model's param values. A param indexed by feature can be kept row-sparse — only
 * its rows that are not all zero, by row — so that a model of millions of features, most of
 * them never seen or zeroed, is never held whole; other params are held whole.
 */
public final class ParamValues implements Serializable {
  private final long[] numRows;
  private final int[] cols;
  private final float[][] dense;
  private final int[][] rows;
  private final float[][] rowValues;

  /**
   * @param dense per param its whole values, or null when row-sparse
   * @param rows per row-sparse param its present rows, ascending (null otherwise)
   * @param rowValues per row-sparse param the values of those rows, {@code cols} each
   */
  public ParamValues(long[] numRows, int[] cols, float[][] dense, int[][] rows,
      float[][] rowValues) {
    this.numRows = numRows.clone();
    this.cols = cols.clone();
    this.dense = dense;
    this.rows = rows;
    this.rowValues = rowValues;
  }

  public int size() {
    return cols.length;
  }

  public boolean isRowSparse(int param) {
    return dense[param] == null;
  }

  public long numRows(int param) {
    return numRows[param];
  }

  public int cols(int param) {
    return cols[param];
  }

  /** The present rows of a row-sparse param (ascending), or null for a whole one. */
  public int[] rows(int param) {
    return rows[param];
  }

  /** The values of a row-sparse param's present rows, or the whole values of another. */
  public float[] values(int param) {
    return dense[param] != null ? dense[param] : rowValues[param];
  }

  /** Every param whole (absent rows are zeros). Builds full arrays: for small models. */
  public float[][] whole() {
    float[][] out = new float[cols.length][];
    for (int p = 0; p < out.length; p++) {
      if (dense[p] != null) {
        out[p] = dense[p].clone();
      } else {
        out[p] = new float[Math.toIntExact(numRows[p] * cols[p])];
        for (int i = 0; i < rows[p].length; i++) {
          System.arraycopy(rowValues[p], i * cols[p], out[p], rows[p][i] * cols[p], cols[p]);
        }
      }
    }
    return out;
  }

  /**
   * The params for the features {@code sortedFeatures} only: a row-sparse param becomes their
   * rows, in order (zeros for absent rows); whole params stay whole.
   */
  public float[][] forFeatures(int[] sortedFeatures) {
    float[][] out = new float[cols.length][];
    for (int p = 0; p < out.length; p++) {
      if (dense[p] != null) {
        out[p] = dense[p];
        continue;
      }
      int c = cols[p];
      out[p] = new float[sortedFeatures.length * c];
      for (int i = 0; i < sortedFeatures.length; i++) {
        int at = Arrays.binarySearch(rows[p], sortedFeatures[i]);
        if (at >= 0) {
          System.arraycopy(rowValues[p], at * c, out[p], i * c, c);
        }
      }
    }
    return out;
  }

  /** Whether every param is whole. */
  public boolean allWhole() {
    for (float[] d : dense) {
      if (d == null) {
        return false;
      }
    }
    return true;
  }
}
