package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.InvalidConfigException;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * transform takes vectors of the model's width, or sparse ones of fewer features; anything
 * else fails with a message naming featuresCol and both sizes.
 */
class TransformWidthTest {
  private static final int FEATURES = 5;
  private static SparkSession spark;
  private static PSTrainerModel model;

  @BeforeAll
  static void train() {
    spark = SharedSpark.get();
    model = new PSTrainer().setNumWorkers(2).setNumServers(1).setMaxEpochs(1)
        .fit(TestData.generated(spark, 100, FEATURES, 1, 2));
  }

  private static Dataset<Row> frame(StructType schema, Vector... vectors) {
    List<Row> rows = java.util.Arrays.stream(vectors).map(v -> RowFactory.create(v)).toList();
    return spark.createDataFrame(rows, schema);
  }

  private static Dataset<Row> frame(Vector... vectors) {
    return frame(new StructType().add("features", SQLDataTypes.VectorType()), vectors);
  }

  private static double[] probability(Vector v) {
    return ((Vector) model.transform(frame(v)).select("probability").first().get(0)).toArray();
  }

  @Test
  void moreFeaturesThanTheModelFailNamingBothSizes() {
    for (Vector v : new Vector[] {Vectors.dense(new double[FEATURES + 1]),
        Vectors.sparse(FEATURES + 2, new int[] {0, 6}, new double[] {1, 1})}) {
      String kind = v instanceof org.apache.spark.ml.linalg.DenseVector ? "dense" : "sparse";
      SparkException e = assertThrows(SparkException.class,
          () -> model.transform(frame(v)).collect());
      assertTrue(e.getMessage().contains("featuresCol=features: a row has a " + kind
          + " vector of size " + v.size() + ", the model was trained on numFeatures="
          + FEATURES), e.getMessage());
    }
  }

  @Test
  void aShorterDenseVectorIsRefusedAShorterSparseOneCountsItsMissingFeaturesAsZeros() {
    SparkException e = assertThrows(SparkException.class,
        () -> model.transform(frame(Vectors.dense(1, 2, 3))).collect());
    assertTrue(e.getMessage().contains("a row has a dense vector of size 3, the model was "
        + "trained on numFeatures=5; a dense vector of another size is a different feature "
        + "layout"), e.getMessage());

    int[] idx = {0, 2};
    double[] vals = {1.5, -2};
    double[] shorter = probability(Vectors.sparse(3, idx, vals));
    assertArrayEquals(probability(Vectors.sparse(FEATURES, idx, vals)), shorter, 0);
    assertArrayEquals(probability(Vectors.dense(1.5, 0, -2, 0, 0)), shorter, 1e-12);
    assertEquals(model.predictRaw(Vectors.sparse(FEATURES, idx, vals)).apply(1),
        model.predictRaw(Vectors.sparse(3, idx, vals)).apply(1), 0);
  }

  @Test
  void columnMetadataOfMoreFeaturesFailsAtOnce() {
    StructType schema = new StructType().add(new AttributeGroup("features", 9).toStructField());
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> model.transform(frame(schema, Vectors.sparse(9, new int[0], new double[0]))));
    assertEquals("featuresCol", e.setting());
    assertTrue(e.getMessage().contains("vectors of size 9 (from its metadata), the model was "
        + "trained on numFeatures=5"), e.getMessage());
  }
}
