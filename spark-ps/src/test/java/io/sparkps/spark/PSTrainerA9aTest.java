package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The foundation's promise: LR on a9a through PSTrainer.fit reaches the reference AUC. */
class PSTrainerA9aTest {

  private static double auc(PSTrainerModel model, Dataset<Row> test) {
    return new BinaryClassificationEvaluator().evaluate(model.transform(test));
  }

  @Test
  void sandblasterTwoWorkersTwoServersReachesReferenceAuc() {
    SparkSession spark = SharedSpark.get();
    PSTrainerModel model = new PSTrainer()
        .setFramework("sandblaster").setNumWorkers(2).setNumServers(2).setMaxEpochs(3)
        .fit(TestData.a9aTrain(spark));
    double auc = auc(model, TestData.a9aTest(spark));
    System.out.println("sandblaster a9a AUC " + auc + " " + model.summary());
    assertTrue(auc >= 0.89, "test AUC " + auc);
    assertEquals(2, model.summary().numWorkers());
  }

  @Test
  void downpourTwoGroupsReachesReferenceAuc() {
    SparkSession spark = SharedSpark.get();
    PSTrainerModel model = new PSTrainer()
        .setFramework("downpour").setNumWorkers(2).setNumServers(2).setMaxEpochs(3)
        .fit(TestData.a9aTrain(spark));
    double auc = auc(model, TestData.a9aTest(spark));
    System.out.println("downpour a9a AUC " + auc + " " + model.summary());
    assertTrue(auc >= 0.89, "test AUC " + auc);
  }
}
