package io.sparkps.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Loading LIBSVM files, finding the project's shared data, and generating data. */
public final class ExampleData {
  private ExampleData() {}

  /**
   * A LIBSVM file with its labels mapped to 0/1 (a label {@code <= 0} becomes 0). NaN and
   * infinite labels stay as they are, for the trainer's handleInvalid to see.
   */
  public static Dataset<Row> libsvm(SparkSession spark, String path, int numFeatures) {
    var reader = spark.read().format("libsvm");
    if (numFeatures > 0) {
      reader = reader.option("numFeatures", Integer.toString(numFeatures));
    }
    Column label = functions.col("label");
    // Spark SQL orders NaN above +Infinity, so neither comparison holds for it.
    return reader.load(path).withColumn("label", functions
        .when(label.gt(0).and(label.lt(Double.POSITIVE_INFINITY)), 1.0)
        .when(label.leq(0).and(label.gt(Double.NEGATIVE_INFINITY)), 0.0)
        .otherwise(label));
  }

  /**
   * The shared data folder ({@code shared/data} beside the checkout), found from the
   * {@code sparkps.data.dir} property or by walking up from the working directory.
   */
  public static Optional<Path> sharedDataDir() {
    String prop = System.getProperty("sparkps.data.dir");
    if (prop != null && Files.isDirectory(Path.of(prop))) {
      return Optional.of(Path.of(prop));
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared").resolve("data");
      if (Files.isDirectory(candidate.resolve("a9a"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * A generated binary classification set: {@code n} rows of {@code d} sparse binary features
   * (about 10% set, like one-hot census columns), labelled by a fixed random linear model plus
   * logistic noise, so that the Bayes-optimal AUC is well below 1. Sets drawn with the same
   * {@code modelSeed} and different {@code rowSeed}s share their labelling model.
   */
  public static Dataset<Row> generated(SparkSession spark, int n, int d, long modelSeed,
      long rowSeed) {
    Random model = new Random(modelSeed);
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      w[j] = model.nextGaussian();
    }
    Random r = new Random(rowSeed);
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<Integer> idx = new ArrayList<>();
      double margin = -0.1 * d * 0.1;
      for (int j = 0; j < d; j++) {
        if (r.nextDouble() < 0.1) {
          idx.add(j);
          margin += w[j];
        }
      }
      double u = Math.min(Math.max(r.nextDouble(), 1e-12), 1 - 1e-12);
      double label = margin + Math.log(u / (1 - u)) > 0 ? 1.0 : 0.0;
      int[] indices = idx.stream().mapToInt(Integer::intValue).toArray();
      double[] ones = new double[indices.length];
      java.util.Arrays.fill(ones, 1.0);
      rows.add(RowFactory.create(label, Vectors.sparse(d, indices, ones)));
    }
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    return spark.createDataFrame(rows, schema);
  }
}
