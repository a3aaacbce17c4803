package io.sparkps.spark;

import io.sparkps.model.Batch;
import io.sparkps.model.RowSparse;

/** Batches at the Spark edge: a row-sparse step's compaction and a single row to predict. */
final class BatchBuilder {
  private BatchBuilder() {}

  /** {@link RowSparse.Compacted} under the name the steppers use. */
  record Compacted(int[] features, Batch batch) {}

  /** {@link RowSparse#compact}. */
  static Compacted compact(Batch batch) {
    RowSparse.Compacted c = RowSparse.compact(batch);
    return new Compacted(c.features(), c.batch());
  }

  /** A batch of one example, for prediction. */
  static Batch single(int[] indices, float[] values, int numFeatures) {
    return new Batch(numFeatures, new int[] {0, indices.length}, indices, values, new float[1]);
  }
}
