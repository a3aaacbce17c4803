package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.InvalidConfigException;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * NaN and infinite values never reach the model: handleInvalid=error fails the fit before any
 * training step, naming the column, the row and the value; skip trains on the other rows and
 * counts them; a step size that makes the training diverge stops it naming stepSize.
 */
class InvalidDataTest {
  private static final int ROWS = 200;
  private static final int FEATURES = 5;
  /** Rows and their partitions are fixed: two partitions of 100 rows, one per worker. */
  private static final int PARTITIONS = 2;
  private static final AtomicInteger trainingJobs = new AtomicInteger();
  private static SparkSession spark;
  private static List<Row> clean;

  @BeforeAll
  static void start() {
    spark = SharedSpark.get();
    clean = TestData.generated(spark, ROWS, FEATURES, 3, PARTITIONS).collectAsList();
    TrainingJobs.onStart(spark.sparkContext(), trainingJobs::incrementAndGet);
  }

  /**
   * The clean rows with {@code value} put in at feature {@code feature} of row {@code row}, or
   * in its label when {@code feature} is -1.
   */
  private static List<Row> with(List<Row> rows, int row, int feature, double value) {
    List<Row> out = new ArrayList<>(rows);
    Row r = out.get(row);
    double label = r.getDouble(0);
    double[] x = ((Vector) r.get(1)).toArray().clone();
    if (feature < 0) {
      label = value;
    } else {
      x[feature] = value;
    }
    out.set(row, RowFactory.create(label, Vectors.dense(x)));
    return out;
  }

  private static JavaRDD<Row> rdd(List<Row> rows) {
    return new JavaSparkContext(spark.sparkContext()).parallelize(rows, PARTITIONS);
  }

  private static Dataset<Row> frame(JavaRDD<Row> rows) {
    return spark.createDataFrame(rows, TestData.generated(spark, 1, FEATURES, 3, 1).schema());
  }

  private static PSTrainer trainer() {
    return new PSTrainer().setFramework("sandblaster").setNumWorkers(2).setNumServers(1)
        .setMaxEpochs(2).setBatchSize(16).setOptimizer("sgd").setStepSize(0.1).setSeed(5);
  }

  private static int trainingJobsSoFar() throws Exception {
    spark.sparkContext().listenerBus().waitUntilEmpty();
    return trainingJobs.get();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "NaN feature, 130, 3, NaN, featuresCol, features, the value NaN at feature 3",
      "+Inf feature, 130, 3, Infinity, featuresCol, features, the value Infinity at feature 3",
      "-Inf feature, 130, 0, -Infinity, featuresCol, features, the value -Infinity at feature 0",
      "NaN label, 130, -1, NaN, labelCol, label, the label NaN",
  })
  void errorFailsBeforeAnyTrainingStepNamingColumnRowAndValue(String name, int row,
      int feature, double value, String setting, String column, String what) throws Exception {
    Dataset<Row> data = frame(rdd(with(clean, row, feature, value)));
    int before = trainingJobsSoFar();
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> trainer().fit(data));
    String m = e.getMessage();
    assertEquals(setting, e.setting(), m);
    assertTrue(m.startsWith(setting + "=" + column + ": "), m);
    // Row 130 of 200 in two partitions of 100 is row 30 of partition 1.
    assertTrue(m.contains("row 30 of partition 1 of the dataset has " + what), m);
    assertTrue(m.contains("handleInvalid=skip"), m);
    assertEquals(before, trainingJobsSoFar(), "a training job started");
  }

  @Test
  void errorIsTheDefaultAndAnUnknownValueIsRefused() {
    assertEquals("error", new PSTrainer().getHandleInvalid());
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> trainer().setHandleInvalid("keep").fit(frame(rdd(clean))));
    assertEquals("handleInvalid", e.setting());
    assertTrue(e.getMessage().contains("handleInvalid=keep"), e.getMessage());
  }

  @Test
  void skipTrainsAsIfTheBadRowsWereNotThereAndCountsThem() {
    List<Row> bad = with(with(with(clean, 10, 1, Double.NaN), 120, 4,
        Double.POSITIVE_INFINITY), 190, -1, Double.NaN);
    PSTrainerModel skipped = trainer().setHandleInvalid("skip").fit(frame(rdd(bad)));
    // The same partitions without those rows: filtering keeps every row where it was.
    PSTrainerModel reference = trainer().fit(frame(rdd(bad).filter(r ->
        !Double.isNaN(r.getDouble(0)) && java.util.Arrays.stream(((Vector) r.get(1)).toArray())
            .allMatch(Double::isFinite))));

    assertEquals(3, skipped.summary().skippedRows());
    assertEquals(0, reference.summary().skippedRows());
    assertTrue(Double.isFinite(skipped.summary().finalLoss()), skipped.summary().toString());
    assertEquals(reference.summary().examples(), skipped.summary().examples());
    float[][] got = skipped.paramValues();
    float[][] expected = reference.paramValues();
    for (int p = 0; p < expected.length; p++) {
      for (int i = 0; i < expected[p].length; i++) {
        assertTrue(Float.isFinite(got[p][i]), "param " + p + "[" + i + "] = " + got[p][i]);
        assertEquals(expected[p][i], got[p][i], 1e-6, "param " + p + "[" + i + "]");
      }
    }
  }

  /**
   * The squared loss overflows within a few steps (a worker stops at its first NaN loss); the
   * logistic loss, whose gradient is bounded, just grows (the driver refuses the fit).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "linear, the training diverged at step ",
      "logistic, the training diverged: the mean loss grew from 0.69",
  })
  void aStepSizeThatDivergesStopsTheFitNamingStepSize(String modelType, String start) {
    Dataset<Row> a9a = TestData.a9aTrain(spark).limit(2000);
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> trainer()
        .setModelType(modelType).setStepSize(1e6).setMaxEpochs(1).fit(a9a));
    assertEquals("stepSize", e.setting(), e.getMessage());
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
    assertTrue(e.getMessage().contains("stepSize=1000000.0 is too large"), e.getMessage());
  }
}
