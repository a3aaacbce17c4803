package io.sparkps.spark;

import io.sparkps.model.Batch;
import java.util.List;

/** Packs examples into {@link Batch}es. */
final class BatchBuilder {
  private BatchBuilder() {}

  /** The examples {@code order[from]}, {@code order[from + 1]}, ... {@code count} of them, wrapping. */
  static Batch build(List<LabeledExample> data, int[] order, int from, int count, int numFeatures) {
    int nnz = 0;
    for (int i = 0; i < count; i++) {
      nnz += data.get(order[(from + i) % order.length]).indices().length;
    }
    int[] rowStart = new int[count + 1];
    int[] indices = new int[nnz];
    float[] values = new float[nnz];
    float[] labels = new float[count];
    int at = 0;
    for (int i = 0; i < count; i++) {
      LabeledExample e = data.get(order[(from + i) % order.length]);
      System.arraycopy(e.indices(), 0, indices, at, e.indices().length);
      System.arraycopy(e.values(), 0, values, at, e.values().length);
      at += e.indices().length;
      rowStart[i + 1] = at;
      labels[i] = e.label();
    }
    return new Batch(numFeatures, rowStart, indices, values, labels);
  }

  /** The distinct feature indices of a batch, ascending. */
  static int[] distinctFeatures(Batch batch) {
    int n = batch.rowStart()[batch.size()];
    int[] all = java.util.Arrays.copyOf(batch.indices(), n);
    java.util.Arrays.sort(all);
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (k == 0 || all[i] != all[k - 1]) {
        all[k++] = all[i];
      }
    }
    return java.util.Arrays.copyOf(all, k);
  }

  /**
   * The same batch over only {@code features} (its distinct features, ascending): feature
   * {@code features[i]} becomes feature {@code i} of a {@code features.length}-wide batch.
   */
  static Batch compact(Batch batch, int[] features) {
    int n = batch.rowStart()[batch.size()];
    int[] local = new int[n];
    int[] global = batch.indices();
    for (int i = 0; i < n; i++) {
      local[i] = java.util.Arrays.binarySearch(features, global[i]);
    }
    return new Batch(features.length, batch.rowStart(), local, batch.values(), batch.labels());
  }

  /** A batch of one example, for prediction. */
  static Batch single(int[] indices, float[] values, int numFeatures) {
    return new Batch(numFeatures, new int[] {0, indices.length}, indices, values, new float[1]);
  }
}
