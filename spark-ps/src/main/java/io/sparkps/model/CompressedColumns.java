package io.sparkps.model;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Decides whether a batch is sparse enough to be computed over only the features it touches, and
 * if so which ones. Also the one place that checks the batch's feature indices are in range, so
 * the matrix builders can index without checks.
 */
final class CompressedColumns {

  /**
   * The batch is compressed when it touches fewer than {@code numFeatures / DENSE_FRACTION}
   * distinct features. Below that the gather/scatter and the binary searches cost less than
   * multiplying a mostly-zero {@code size x numFeatures} matrix.
   */
  static final int DENSE_FRACTION = 4;

  private CompressedColumns() {}

  /**
   * Returns the ascending distinct feature indices of the batch when they are few enough to
   * compress, or {@code null} when the batch should be computed over all features.
   *
   * @throws IllegalArgumentException if a feature index is outside {@code [0, numFeatures)}
   */
  static int[] select(Batch batch) {
    int numFeatures = batch.numFeatures();
    int from = batch.rowStart()[0];
    int to = batch.rowStart()[batch.size()];
    int[] indices = batch.indices();
    if ((long) (to - from) * DENSE_FRACTION < numFeatures) {
      // Fewer stored values than the threshold: whatever the overlap, it compresses, and sorting
      // a copy costs O(nnz log nnz) with nothing proportional to numFeatures.
      int[] sorted = Arrays.copyOfRange(indices, from, to);
      Arrays.sort(sorted);
      if (sorted.length > 0) {
        checkRange(sorted[0], numFeatures);
        checkRange(sorted[sorted.length - 1], numFeatures);
      }
      return unique(sorted);
    }
    // Many stored values compared to numFeatures: a bitmap is linear and avoids the sort.
    BitSet seen = new BitSet(numFeatures);
    for (int p = from; p < to; p++) {
      checkRange(indices[p], numFeatures);
      seen.set(indices[p]);
    }
    int distinct = seen.cardinality();
    if ((long) distinct * DENSE_FRACTION >= numFeatures) {
      return null;
    }
    int[] columns = new int[distinct];
    for (int i = 0, f = seen.nextSetBit(0); f >= 0; f = seen.nextSetBit(f + 1)) {
      columns[i++] = f;
    }
    return columns;
  }

  /** Drops repeats from a sorted array; returns a new array of exactly the distinct values. */
  private static int[] unique(int[] sorted) {
    int n = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (n == 0 || sorted[i] != sorted[n - 1]) {
        sorted[n++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, n);
  }

  private static void checkRange(int feature, int numFeatures) {
    if (feature < 0 || feature >= numFeatures) {
      throw new IllegalArgumentException(
          "feature index " + feature + " is outside [0, numFeatures = " + numFeatures + ")");
    }
  }
}
