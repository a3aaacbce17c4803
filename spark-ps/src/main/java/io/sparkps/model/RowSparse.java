package io.sparkps.model;

import io.sparkps.param.ParamSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Row-sparse training: which params are indexed by feature, so that a step needs only the
 * rows of the features its batch touches, and a batch renumbered over those features.
 *
 * <pre>{@code
 * boolean[] byFeature = RowSparse.byFeature(model, numFeatures); // logistic: {true, false}
 * RowSparse.Compacted c = RowSparse.compact(batch);
 * // rows c.features()[i] of the by-feature params, then:
 * model.gradient(c.batch(), rowsAndWholeParams, gradients);
 * }</pre>
 */
public final class RowSparse {
  private RowSparse() {}

  /**
   * Per param of {@code model.params(numFeatures)}, whether it has one row per feature: its
   * row count is {@code numFeatures} and follows the feature count (one more with one more
   * feature), which tells a weight matrix from a param that is that size by chance.
   */
  public static boolean[] byFeature(TrainableModel model, int numFeatures) {
    List<ParamSpec> a = model.params(numFeatures);
    List<ParamSpec> b = model.params(numFeatures + 1);
    boolean[] out = new boolean[a.size()];
    for (int p = 0; p < out.length; p++) {
      out[p] = a.get(p).rows() == numFeatures && b.get(p).rows() == numFeatures + 1;
    }
    return out;
  }

  /**
   * A batch over only the features it uses.
   *
   * @param features the batch's distinct feature indices, ascending
   * @param batch the same examples, feature {@code features[i]} renumbered {@code i}
   */
  public record Compacted(int[] features, Batch batch) {}

  /**
   * The batch's distinct features and the batch renumbered over them. One pass hashes every
   * index once; only the distinct ones are sorted, which in a wide model with skewed feature
   * frequencies are far fewer than the batch's non-zeros. The result shares the batch's row
   * starts, values and labels.
   */
  public static Compacted compact(Batch batch) {
    int n = batch.rowStart()[batch.size()];
    int[] global = batch.indices();
    int bits = 33 - Integer.numberOfLeadingZeros(Math.max(1, n));
    int capacity = 1 << bits;
    int mask = capacity - 1;
    int[] keys = new int[capacity];
    int[] slotOf = new int[n];
    Arrays.fill(keys, -1);
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
    int[] features = Arrays.copyOf(distinct, k);
    Arrays.sort(features);
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
}
