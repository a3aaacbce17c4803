package io.sparkps.bench.training;

import io.sparkps.examples.ExampleData;
import io.sparkps.examples.MnistData;
import io.sparkps.model.ExampleBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The data sets of the training benchmarks, from the shared data folder: a9a with its test
 * set, and MNIST's 10k test images split 8k train / 2k test. Frames hold (label, features).
 */
public final class BenchData {
  private BenchData() {}

  private static Path shared(String folder) {
    return ExampleData.sharedDataDir().orElseThrow(() -> new IllegalStateException(
        "no shared data folder found: set -Dsparkps.data.dir")).resolve(folder);
  }

  /** The first {@code rows} rows of a9a's training set. */
  public static Dataset<Row> a9aTrain(SparkSession spark, int rows) {
    return ExampleData.libsvm(spark, shared("a9a").resolve("a9a").toString(), 123).limit(rows)
        .select("label", "features");
  }

  /** a9a's test set. */
  static Dataset<Row> a9aTest(SparkSession spark) {
    return ExampleData.libsvm(spark, shared("a9a").resolve("a9a.t").toString(), 123)
        .select("label", "features");
  }

  /** MNIST's training part (the first 8k images), or its first {@code rows} rows. */
  static List<Row> mnistTrain(int rows) {
    List<Row> all = mnist();
    return all.subList(0, Math.min(rows, all.size() * 8 / 10));
  }

  /** MNIST's test part (the last 2k images). */
  static List<Row> mnistTest() {
    List<Row> all = mnist();
    return all.subList(all.size() * 8 / 10, all.size());
  }

  private static List<Row> mnist() {
    Path dir = shared("mnist");
    try {
      return MnistData.read(dir.resolve("t10k-images-idx3-ubyte.gz"),
          dir.resolve("t10k-labels-idx1-ubyte.gz"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Rows of (label, features vector), as the benchmarks' frames hold them, in one block as a
   * spark-ps worker holds its partition (every index of a dense vector stored, zeros
   * included), {@code numFeatures} the largest vector size.
   */
  static ExampleBlock block(List<Row> rows) {
    int width = 0;
    for (Row row : rows) {
      width = Math.max(width, ((Vector) row.get(1)).size());
    }
    ExampleBlock.Builder block = ExampleBlock.builder(width);
    for (Row row : rows) {
      Vector v = (Vector) row.get(1);
      int[] indices;
      double[] stored;
      if (v instanceof SparseVector s) {
        indices = s.indices();
        stored = s.values();
      } else {
        stored = ((DenseVector) v).values();
        indices = new int[stored.length];
        for (int i = 0; i < stored.length; i++) {
          indices[i] = i;
        }
      }
      float[] values = new float[stored.length];
      for (int i = 0; i < stored.length; i++) {
        values[i] = (float) stored[i];
      }
      block.add((float) row.getDouble(0), indices, values);
    }
    return block.build();
  }

  /** The frame in 2 partitions, cached and counted, so that a fit reads it from memory. */
  public static Dataset<Row> cached(Dataset<Row> df) {
    Dataset<Row> out = df.repartition(2).cache();
    out.count();
    return out;
  }
}
