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

  public static Dataset<Row> a9aTrain(SparkSession spark) {
    return libsvm(spark, "a9a/a9a", 123);
  }

  public static Dataset<Row> a9aTest(SparkSession spark) {
    return libsvm(spark, "a9a/a9a.t", 123);
  }
}
