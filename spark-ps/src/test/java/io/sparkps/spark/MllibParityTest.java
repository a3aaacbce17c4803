package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** The built-in models against MLlib's own, on the same data in the same session. */
class MllibParityTest {

  @Test
  void logisticRegressionOnA9aMatchesMllibAuc() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> train = TestData.a9aTrain(spark).cache();
    Dataset<Row> test = TestData.a9aTest(spark).cache();
    BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator();
    double ours = auc.evaluate(new PSTrainer().setNumWorkers(2).setMaxEpochs(5).fit(train)
        .transform(test));
    double mllib = auc.evaluate(new LogisticRegression().fit(train).transform(test));
    System.out.printf("a9a AUC: spark-ps %.4f, MLlib %.4f%n", ours, mllib);
    assertTrue(Math.abs(ours - mllib) <= 0.005, "spark-ps " + ours + " vs MLlib " + mllib);
  }

  @Test
  void multinomialOnSparksMulticlassSampleReachesNinetyPercent() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = spark.read().format("libsvm").option("numFeatures", "4")
        .load(TestData.dir().resolve("spark/sample_multiclass_classification_data.txt")
            .toString());
    Dataset<Row>[] split = data.randomSplit(new double[] {0.7, 0.3}, 11);
    PSTrainerModel model = new PSTrainer().setModelType("multinomial").setNumWorkers(2)
        .setBatchSize(8).setMaxEpochs(30).setStepSize(0.3).fit(split[0]);
    Dataset<Row> scored = model.transform(split[1]);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(scored);
    System.out.printf("multiclass sample accuracy: %.4f%n", accuracy);
    assertEquals(3, model.trainableModel().numOutputs());
    assertTrue(accuracy >= 0.9, "accuracy " + accuracy);
  }

  @Test
  void linearRegressionComesCloseToMllib() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, 2000, 5, 12, 2)
        .withColumn("label", functions.rand(3).multiply(0.1)
            .plus(functions.col("label").multiply(2.0)));
    RegressionEvaluator rmse = new RegressionEvaluator();
    double ours = rmse.evaluate(new PSTrainer().setModelType("linear").setNumWorkers(2)
        .setMaxEpochs(20).setStepSize(0.1).fit(data).transform(data));
    double mllib = rmse.evaluate(new LinearRegression().fit(data).transform(data));
    System.out.printf("linear RMSE: spark-ps %.4f, MLlib %.4f%n", ours, mllib);
    assertTrue(ours <= mllib * 1.05 + 1e-3, "spark-ps RMSE " + ours + " vs MLlib " + mllib);
  }
}
