package io.sparkps.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** The shared third-party data sets, read from {@code ../shared/data}. */
public final class TestData {
  private TestData() {}

  /** The data folder: the {@code sparkps.data.dir} property, else {@code shared/data} upwards. */
  public static Path dir() {
    String prop = System.getProperty("sparkps.data.dir");
    if (prop != null && Files.isDirectory(Path.of(prop))) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("data");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      candidate = p.resolveSibling("shared").resolve("data");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("cannot find shared/data; set -Dsparkps.data.dir");
  }

  /** A LIBSVM file with labels mapped to 0/1 ({@code <= 0} becomes 0). */
  public static Dataset<Row> libsvm(SparkSession spark, String relative, int numFeatures) {
    return spark.read().format("libsvm")
        .option("numFeatures", Integer.toString(numFeatures))
        .load(dir().resolve(relative).toString())
        .withColumn("label", functions.when(functions.col("label").gt(0), 1.0).otherwise(0.0));
  }

  /**
   * {@code n} rows of a noisy linear binary problem with {@code d} dense features, in exactly
   * {@code partitions} partitions of consecutive rows (row i in partition i / (n / partitions)).
   */
  public static Dataset<Row> generated(SparkSession spark, int n, int d, long seed,
      int partitions) {
    java.util.Random r = new java.util.Random(seed);
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      w[j] = r.nextGaussian();
    }
    java.util.List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[d];
      double m = 0;
      for (int j = 0; j < d; j++) {
        x[j] = r.nextGaussian();
        m += w[j] * x[j];
      }
      double label = m + r.nextGaussian() > 0 ? 1.0 : 0.0;
      rows.add(org.apache.spark.sql.RowFactory.create(label,
          org.apache.spark.ml.linalg.Vectors.dense(x)));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("label", org.apache.spark.sql.types.DataTypes.DoubleType, false)
        .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType(), false);
    return spark.createDataFrame(new org.apache.spark.api.java.JavaSparkContext(
        spark.sparkContext()).parallelize(rows, partitions), schema);
  }

  public static Dataset<Row> a9aTrain(SparkSession spark) {
    return libsvm(spark, "a9a/a9a", 123);
  }

  public static Dataset<Row> a9aTest(SparkSession spark) {
    return libsvm(spark, "a9a/a9a.t", 123);
  }
}
