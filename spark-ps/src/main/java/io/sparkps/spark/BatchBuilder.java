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

  /**
   * A batch over only the features it uses.
   *
   * @param features the batch's distinct feature indices, ascending
   * @param batch the same examples, feature {@code features[i]} renumbered {@code i}
   */
  record Compacted(int[] features, Batch batch) {}

  /**
   * The batch's distinct features and the batch renumbered over them. One pass hashes every
   * index once; only the distinct ones are sorted, which in a wide model with skewed feature
   * frequencies are far fewer than the batch's non-zeros.
   */
  static Compacted compact(Batch batch) {
    int n = batch.rowStart()[batch.size()];
    int[] global = batch.indices();
    int bits = 33 - Integer.numberOfLeadingZeros(Math.max(1, n));
    int capacity = 1 << bits;
    int mask = capacity - 1;
    int[] keys = new int[capacity];
    int[] slotOf = new int[n];
    java.util.Arrays.fill(keys, -1);
    int[] distinct = new int[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      int key = global[i];
      int slot = slot(key, bits);
      while (keys[slot] != -1 && keys[slot] != key) {
        slot = (slot + 1) & mask;
      }
      if (keys[slot] == -1) {
        keys[slot] = key;
        distinct[k++] = key;
      }
      slotOf[i] = slot;
    }
    int[] features = java.util.Arrays.copyOf(distinct, k);
    java.util.Arrays.sort(features);
    int[] localOfSlot = new int[capacity];
    for (int j = 0; j < k; j++) {
      int slot = slot(features[j], bits);
      while (keys[slot] != features[j]) {
        slot = (slot + 1) & mask;
      }
      localOfSlot[slot] = j;
    }
    int[] local = new int[n];
    for (int i = 0; i < n; i++) {
      local[i] = localOfSlot[slotOf[i]];
    }
    return new Compacted(features, new Batch(k, batch.rowStart(), local, batch.values(),
        batch.labels()));
  }

  /** Where {@code key} starts probing in a table of {@code 2^bits} slots (Fibonacci hashing). */
  private static int slot(int key, int bits) {
    return (key * 0x9E3779B9) >>> (32 - bits);
  }

  /** A batch of one example, for prediction. */
  static Batch single(int[] indices, float[] values, int numFeatures) {
    return new Batch(numFeatures, new int[] {0, indices.length}, indices, values, new float[1]);
  }
}
