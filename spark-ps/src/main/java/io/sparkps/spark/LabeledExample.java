package io.sparkps.spark;

import io.sparkps.model.ExampleBlock;
import java.io.Serializable;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * One training example as the cached training RDD holds it: a label and the non-zero features,
 * free of Spark types. A training task reads its partition of them once into an {@link
 * ExampleBlock} ({@link #block}) and keeps no example objects.
 */
record LabeledExample(float label, int size, int[] indices, float[] values)
    implements Serializable {

  /** One more than the largest feature index present, 0 for no features. */
  int width() {
    return indices.length == 0 ? 0 : indices[indices.length - 1] + 1;
  }

  /**
   * A partition's examples as one block, read once from the iterator: the examples themselves
   * are not kept, so a task holds its partition in a few arrays instead of objects.
   */
  static ExampleBlock block(scala.collection.Iterator<LabeledExample> partition,
      int numFeatures) {
    ExampleBlock.Builder block = ExampleBlock.builder(numFeatures);
    while (partition.hasNext()) {
      LabeledExample e = partition.next();
      block.add(e.label(), e.indices(), e.values());
    }
    return block.build();
  }

  static LabeledExample of(double label, Vector features) {
    if (features instanceof SparseVector s) {
      int[] idx = s.indices();
      double[] vals = s.values();
      float[] f = new float[vals.length];
      for (int i = 0; i < vals.length; i++) {
        f[i] = (float) vals[i];
      }
      return new LabeledExample((float) label, s.size(), idx.clone(), f);
    }
    double[] vals = ((DenseVector) features).values();
    int[] idx = new int[vals.length];
    float[] f = new float[vals.length];
    for (int i = 0; i < vals.length; i++) {
      idx[i] = i;
      f[i] = (float) vals[i];
    }
    return new LabeledExample((float) label, vals.length, idx, f);
  }
}
