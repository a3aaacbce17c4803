package io.sparkps.spark;

import io.sparkps.model.ExampleBlock;
import java.io.Serializable;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * One training example as the cached training RDD holds it: a label and the non-zero features,
 * free of Spark types. A training task reads its partition of them once into an {@link
 * ExampleBlock} ({@link #blocks}) and keeps no example objects.
 *
 * @param heldOut whether the row belongs to the validation set (validationIndicatorCol): held
 *     out of training and evaluated at the end of every epoch by the worker whose partition
 *     holds it
 */
record LabeledExample(float label, int size, int[] indices, float[] values, boolean heldOut)
    implements Serializable {

  /** A training row. */
  LabeledExample(float label, int size, int[] indices, float[] values) {
    this(label, size, indices, values, false);
  }

  /** One more than the largest feature index present, 0 for no features. */
  int width() {
    return indices.length == 0 ? 0 : indices[indices.length - 1] + 1;
  }

  /**
   * A partition's training examples as one block, read once from the iterator: the examples
   * themselves are not kept, so a task holds its partition in a few arrays instead of objects.
   */
  static ExampleBlock block(scala.collection.Iterator<LabeledExample> partition,
      int numFeatures) {
    return blocks(partition, numFeatures)[0];
  }

  /**
   * A partition's training examples and its held-out ones, as two blocks, each in the order of
   * the partition, read in one pass.
   */
  static ExampleBlock[] blocks(scala.collection.Iterator<LabeledExample> partition,
      int numFeatures) {
    ExampleBlock.Builder training = ExampleBlock.builder(numFeatures);
    ExampleBlock.Builder heldOut = ExampleBlock.builder(numFeatures);
    while (partition.hasNext()) {
      LabeledExample e = partition.next();
      (e.heldOut() ? heldOut : training).add(e.label(), e.indices(), e.values());
    }
    return new ExampleBlock[] {training.build(), heldOut.build()};
  }

  static LabeledExample of(double label, Vector features) {
    return of(label, features, false);
  }

  static LabeledExample of(double label, Vector features, boolean heldOut) {
    if (features instanceof SparseVector s) {
      int[] idx = s.indices();
      double[] vals = s.values();
      float[] f = new float[vals.length];
      for (int i = 0; i < vals.length; i++) {
        f[i] = (float) vals[i];
      }
      return new LabeledExample((float) label, s.size(), idx.clone(), f, heldOut);
    }
    double[] vals = ((DenseVector) features).values();
    int[] idx = new int[vals.length];
    float[] f = new float[vals.length];
    for (int i = 0; i < vals.length; i++) {
      idx[i] = i;
      f[i] = (float) vals[i];
    }
    return new LabeledExample((float) label, vals.length, idx, f, heldOut);
  }
}
