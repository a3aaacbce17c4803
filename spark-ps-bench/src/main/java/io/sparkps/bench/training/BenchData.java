package io.sparkps.bench.training;

import io.sparkps.examples.ExampleData;
import io.sparkps.examples.MnistData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
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

  /** The frame in 2 partitions, cached and counted, so that a fit reads it from memory. */
  public static Dataset<Row> cached(Dataset<Row> df) {
    Dataset<Row> out = df.repartition(2).cache();
    out.count();
    return out;
  }
}
