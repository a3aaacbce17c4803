package io.sparkps.bench.training;

import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * A data set in memory as spark-ps workers hold their partitions: per example a label and its
 * stored features (every index of a dense vector, zeros included), as floats.
 */
record Examples(int numFeatures, float[] labels, int[][] indices, float[][] values) {

  int size() {
    return labels.length;
  }

  /** Rows of (label, features vector), as the benchmarks' data frames hold them. */
  static Examples of(List<Row> rows) {
    int n = rows.size();
    float[] labels = new float[n];
    int[][] indices = new int[n][];
    float[][] values = new float[n][];
    int width = 0;
    for (int r = 0; r < n; r++) {
      Row row = rows.get(r);
      labels[r] = (float) row.getDouble(0);
      Vector v = (Vector) row.get(1);
      width = Math.max(width, v.size());
      double[] stored;
      if (v instanceof SparseVector s) {
        indices[r] = s.indices().clone();
        stored = s.values();
      } else {
        stored = ((DenseVector) v).values();
        indices[r] = new int[stored.length];
        for (int i = 0; i < stored.length; i++) {
          indices[r][i] = i;
        }
      }
      values[r] = new float[stored.length];
      for (int i = 0; i < stored.length; i++) {
        values[r][i] = (float) stored[i];
      }
    }
    return new Examples(width, labels, indices, values);
  }
}
