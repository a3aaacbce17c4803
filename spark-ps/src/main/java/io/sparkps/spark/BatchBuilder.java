package io.sparkps.spark;

import io.sparkps.model.Batch;

/** Batches at the Spark edge: a single row to predict. */
final class BatchBuilder {
  private BatchBuilder() {}

  /** A batch of one example, for prediction. */
  static Batch single(int[] indices, float[] values, int numFeatures) {
    return new Batch(numFeatures, new int[] {0, indices.length}, indices, values, new float[1]);
  }
}
