package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.LocalClusterSpark;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Co-located servers and Downpour with separate executor JVMs: each worker runs in its own
 * executor process, so co-located servers live in two different JVMs and reach each other,
 * and the driver, over sockets.
 */
class LocalClusterFrameworksTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    SparkSession shared = SharedSpark.get();
    shared.stop();  // one SparkContext per JVM
    spark = LocalClusterSpark.start("spark-ps-local-cluster");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"allreduce", "downpour", "hogwild", "inmemory-hogwild"})
  void trainsOnTwoExecutorJvms(String framework) {
    Dataset<Row> train = TestData.a9aTrain(spark).cache();
    PSTrainerModel model = new PSTrainer().setFramework(framework).setNumWorkers(2)
        .setMaxEpochs(3).fit(train);
    double auc = new BinaryClassificationEvaluator().evaluate(
        model.transform(TestData.a9aTest(spark)));
    System.out.printf("local-cluster %s: AUC %.4f, %.2f s%n", framework, auc,
        model.summary().trainSeconds());
    assertEquals(2, spark.sparkContext().getExecutorMemoryStatus().size() - 1,
        "two executor JVMs besides the driver");
    assertTrue(auc >= 0.89, framework + " AUC " + auc);
  }
}
