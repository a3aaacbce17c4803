package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model saves and loads, sits in a Pipeline, and is tuned by CrossValidator. */
class MlIntegrationTest {
  private Path dir;

  @BeforeEach
  void tempDir() throws Exception {
    dir = Files.createTempDirectory("sparkps-ml-");
  }

  @AfterEach
  void cleanUp() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static double[] probabilities(Dataset<Row> scored) {
    return scored.select("probability").collectAsList().stream()
        .mapToDouble(r -> ((Vector) r.get(0)).apply(1)).toArray();
  }

  @Test
  void saveThenLoadGivesIdenticalPredictionsAndParams() throws Exception {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, 600, 6, 7, 2);
    PSTrainerModel model = new PSTrainer().setNumWorkers(2).setMaxEpochs(2)
        .setPredictionCol("yhat").fit(data);
    String path = dir.resolve("model").toString();
    model.write().overwrite().save(path);
    PSTrainerModel loaded = PSTrainerModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    assertEquals("yhat", loaded.getOrDefault(loaded.predictionCol()));
    assertFalse(loaded.hasSummary());
    float[][] a = model.paramValues();
    float[][] b = loaded.paramValues();
    for (int p = 0; p < a.length; p++) {
      assertArrayEquals(a[p], b[p]);
    }
    assertArrayEquals(probabilities(model.transform(data)), probabilities(loaded.transform(data)));
    List<Row> yhat = loaded.transform(data).select("yhat").limit(1).collectAsList();
    assertEquals(1, yhat.size());
  }

  @Test
  void trainerSavesItsParams() throws Exception {
    PSTrainer trainer = new PSTrainer().setFramework("downpour").setStepSize(0.25)
        .setMaxEpochs(7);
    SharedSpark.get();
    String path = dir.resolve("trainer").toString();
    trainer.write().overwrite().save(path);
    PSTrainer loaded = PSTrainer.load(path);
    assertEquals("downpour", loaded.getFramework());
    assertEquals(0.25, loaded.getStepSize());
    assertEquals(7, loaded.getMaxEpochs());
  }

  @Test
  void worksAsAPipelineStageAndThePipelineModelRoundTrips() throws Exception {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, 600, 6, 8, 2)
        .withColumnRenamed("features", "raw");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StandardScaler().setInputCol("raw").setOutputCol("features"),
        new PSTrainer().setNumWorkers(2).setMaxEpochs(2)});
    PipelineModel fitted = pipeline.fit(data);
    double auc = new BinaryClassificationEvaluator().evaluate(fitted.transform(data));
    assertTrue(auc > 0.8, "pipeline AUC " + auc);
    String path = dir.resolve("pipeline").toString();
    fitted.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    assertArrayEquals(probabilities(fitted.transform(data)), probabilities(loaded.transform(data)));
  }

  @Test
  void crossValidatorPicksAmongStepSizes() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, 800, 6, 9, 2);
    PSTrainer trainer = new PSTrainer().setNumWorkers(2).setMaxEpochs(1).setOptimizer("sgd");
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(trainer.stepSize(), new double[] {1e-4, 0.5})
        .build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(trainer)
        .setEstimatorParamMaps(grid).setEvaluator(new BinaryClassificationEvaluator())
        .setNumFolds(2).setSeed(1).fit(data);
    double[] metrics = cv.avgMetrics();
    assertEquals(2, metrics.length);
    assertTrue(metrics[1] > metrics[0], "step 0.5 must beat 1e-4 after one epoch: "
        + metrics[0] + " vs " + metrics[1]);
    PSTrainerModel best = (PSTrainerModel) cv.bestModel();
    assertEquals(0.5, ((PSTrainer) best.parent()).getStepSize());
    assertEquals(0.5, best.getStepSize()); // the model answers its trainer's params
    assertEquals("sgd", best.getOptimizer());
  }
}
