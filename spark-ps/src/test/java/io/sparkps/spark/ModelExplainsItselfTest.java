package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SparseMatrix;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fitted model answers every param of its trainer, also after save/load, and shows its
 * coefficients, single-vector predictions and metrics as MLlib's models do.
 */
class ModelExplainsItselfTest {
  private Path dir;

  @BeforeEach
  void tempDir() throws Exception {
    dir = Files.createTempDirectory("sparkps-explain-");
  }

  @AfterEach
  void cleanUp() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String valueOf(org.apache.spark.ml.param.Params owner, String name) {
    Param p = owner.getParam(name);
    return p.jsonEncode(owner.getOrDefault(p));
  }

  private static void assertSameParams(PSTrainer trainer, PSTrainerModel model) {
    List<String> names = Stream.of(trainer.params()).map(Param::name).toList();
    assertEquals(names, Stream.of(model.params()).map(Param::name).toList());
    for (String name : names) {
      assertEquals(valueOf(trainer, name), valueOf(model, name), name);
    }
  }

  @Test
  void binaryModelSharesParamsShowsCoefficientsAndEvaluatesAsMllib() throws Exception {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, 600, 6, 7, 2);
    PSTrainer trainer = new PSTrainer().setNumWorkers(2).setMaxEpochs(2).setStepSize(0.3)
        .setRegParam(0.01).setBatchSize(32).setSeed(5).setNumClasses(2)
        .setPredictionCol("yhat");
    PSTrainerModel model = trainer.fit(data);
    assertEquals(0.3, model.getStepSize());
    assertEquals(0.01, model.getRegParam());
    assertEquals(2, model.getNumClasses());
    assertSameParams(trainer, model);
    assertTrue(model.explainParams().contains("stepSize: learning rate"),
        model.explainParams());

    float[][] values = model.paramValues();
    Vector w = model.coefficients();
    assertEquals(model.numFeatures(), w.size());
    for (int j = 0; j < w.size(); j++) {
      assertEquals(values[0][j], w.apply(j), 0);
    }
    assertEquals(values[1][0], model.intercept(), 0);
    Matrix m = model.coefficientMatrix();
    assertEquals(1, m.numRows());
    assertEquals(6, m.numCols());
    assertEquals(w.apply(3), m.apply(0, 3), 0);
    assertEquals(2, model.numClasses());

    Row first = model.transform(data).select("features", "probability", "rawPrediction",
        "yhat").first();
    Vector x = first.getAs(0);
    assertArrayEquals(((Vector) first.get(1)).toArray(), model.predictProbability(x).toArray(),
        1e-12);
    assertArrayEquals(((Vector) first.get(2)).toArray(), model.predictRaw(x).toArray(), 1e-12);
    assertEquals(first.getDouble(3), model.predict(x), 0);

    BinaryClassificationEvaluation eval = assertInstanceOf(BinaryClassificationEvaluation.class,
        model.evaluate(data));
    Dataset<Row> scored = model.transform(data);
    assertEquals(new BinaryClassificationEvaluator().evaluate(scored), eval.areaUnderROC(), 1e-12);
    MulticlassClassificationEvaluator multi = new MulticlassClassificationEvaluator()
        .setPredictionCol("yhat");
    assertEquals(multi.setMetricName("accuracy").evaluate(scored), eval.accuracy(), 1e-12);
    assertEquals(multi.setMetricName("logLoss").evaluate(scored), eval.logLoss(), 1e-12);
    assertTrue(eval.areaUnderROC() > 0.8, "AUC " + eval.areaUnderROC());
    assertEquals(eval.areaUnderROC(), eval.metrics().get("areaUnderROC"));

    String path = dir.resolve("model").toString();
    model.write().overwrite().save(path);
    PSTrainerModel loaded = PSTrainerModel.load(path);
    assertSameParams(trainer, loaded);
    assertArrayEquals(w.toArray(), loaded.coefficients().toArray(), 0);
    assertEquals(model.intercept(), loaded.intercept(), 0);
  }

  @Test
  void readsVersionOneModelsWithTheirColumnParams() throws Exception {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, 200, 3, 9, 2);
    PSTrainerModel model = new PSTrainer().setNumWorkers(2).setMaxEpochs(1).setStepSize(0.4)
        .fit(data).setPredictionCol("yhat");
    String path = dir.resolve("v1").toString();
    model.write().overwrite().save(path);
    // The metadata.json of version 1: the four column params, nothing else.
    ObjectMapper json = new ObjectMapper();
    Path meta = Path.of(path, "metadata.json");
    ObjectNode v1 = (ObjectNode) json.readTree(meta.toFile());
    v1.put("formatVersion", 1);
    v1.remove("defaultParams");
    ObjectNode params = v1.putObject("params");
    params.put("featuresCol", "\"features\"");
    params.put("predictionCol", "\"yhat\"");
    params.put("probabilityCol", "\"probability\"");
    params.put("rawPredictionCol", "\"rawPrediction\"");
    json.writeValue(meta.toFile(), v1);
    Files.deleteIfExists(Path.of(path, ".metadata.json.crc"));
    PSTrainerModel loaded = PSTrainerModel.load(path);
    assertEquals("yhat", loaded.getPredictionCol());
    assertEquals(0.1, loaded.getStepSize()); // not in version 1: the default
    assertArrayEquals(model.coefficients().toArray(), loaded.coefficients().toArray(), 0);

    v1.put("formatVersion", 7);
    json.writeValue(meta.toFile(), v1);
    Exception e = assertThrows(IllegalArgumentException.class, () -> PSTrainerModel.load(path));
    assertTrue(e.getMessage().contains("format version 7"), e.getMessage());
  }

  @Test
  void multinomialModelGivesMatrixAndProbabilitiesOfItsClasses() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = spark.read().format("libsvm").option("numFeatures", "4")
        .load(TestData.dir().resolve("spark/sample_multiclass_classification_data.txt")
            .toString());
    PSTrainerModel model = new PSTrainer().setModelType("multinomial").setNumWorkers(2)
        .setBatchSize(8).setMaxEpochs(5).setStepSize(0.3).fit(data);
    assertEquals(3, model.numClasses());
    float[][] values = model.paramValues(); // weights 4 x 3 row-major, bias 3
    Matrix m = model.coefficientMatrix();
    assertInstanceOf(DenseMatrix.class, m);
    assertEquals(3, m.numRows());
    assertEquals(4, m.numCols());
    for (int f = 0; f < 4; f++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(values[0][f * 3 + c], m.apply(c, f), 0);
      }
    }
    assertArrayEquals(new double[] {values[1][0], values[1][1], values[1][2]},
        model.interceptVector().toArray(), 0);
    Exception e = assertThrows(UnsupportedOperationException.class, model::coefficients);
    assertTrue(e.getMessage().contains("coefficientMatrix"), e.getMessage());

    for (Row r : model.transform(data).select("features", "probability", "prediction")
        .limit(5).collectAsList()) {
      Vector p = model.predictProbability(r.getAs(0));
      assertEquals(3, p.size());
      assertEquals(1.0, p.toArray()[0] + p.toArray()[1] + p.toArray()[2], 1e-6);
      assertArrayEquals(((Vector) r.get(1)).toArray(), p.toArray(), 1e-12);
      assertEquals(r.getDouble(2), model.predict(r.getAs(0)), 0);
    }
    ClassificationEvaluation eval = (ClassificationEvaluation) model.evaluate(data);
    assertEquals(new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(data)), eval.accuracy(), 1e-12);
  }

  @Test
  void wideSparseModelKeepsSparseCoefficients() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.libsvm(spark, "spark/sample_libsvm_data.txt", 692);
    PSTrainerModel model = new PSTrainer().setNumWorkers(2).setMaxEpochs(1)
        .setPullMode("sparse").fit(data);
    SparseVector w = assertInstanceOf(SparseVector.class, model.coefficients());
    assertEquals(692, w.size());
    assertTrue(w.numActives() < 692, "actives " + w.numActives());
    float[] whole = model.paramValues()[0];
    for (int j = 0; j < whole.length; j++) {
      assertEquals(whole[j], w.apply(j), 0);
    }

    PSTrainerModel softmax = new PSTrainer().setModelType("multinomial").setNumWorkers(2)
        .setMaxEpochs(1).setPullMode("sparse").fit(data);
    SparseMatrix m = assertInstanceOf(SparseMatrix.class, softmax.coefficientMatrix());
    assertEquals(2, m.numRows());
    assertEquals(692, m.numCols());
    assertTrue(m.numActives() < 2 * 692, "actives " + m.numActives());
    float[] weights = softmax.paramValues()[0]; // 692 x 2 row-major
    for (int f = 0; f < 692; f++) {
      assertEquals(weights[f * 2], m.apply(0, f), 0);
      assertEquals(weights[f * 2 + 1], m.apply(1, f), 0);
    }
  }

  @Test
  void regressionAndMlpSayWhatTheyLack() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, 300, 4, 3, 2);
    PSTrainerModel linear = new PSTrainer().setModelType("linear").setNumWorkers(2)
        .setMaxEpochs(2).fit(data);
    assertEquals(4, linear.coefficients().size());
    assertThrows(UnsupportedOperationException.class, linear::numClasses);
    RegressionEvaluation eval = (RegressionEvaluation) linear.evaluate(data);
    assertEquals(new RegressionEvaluator().evaluate(linear.transform(data)),
        eval.rootMeanSquaredError(), 1e-12);
    Row first = linear.transform(data).select("features", "prediction").first();
    assertEquals(first.getDouble(1), linear.predict(first.getAs(0)), 0);

    PSTrainerModel mlp = new PSTrainer().setModelType("mlp").setHiddenLayers(3)
        .setNumWorkers(2).setMaxEpochs(1).fit(data);
    Exception e = assertThrows(UnsupportedOperationException.class, mlp::coefficients);
    assertTrue(e.getMessage().contains("modelType=mlp"), e.getMessage());
    Exception noLabel = assertThrows(io.sparkps.config.InvalidConfigException.class,
        () -> mlp.evaluate(data.drop("label")));
    assertTrue(noLabel.getMessage().contains("labelCol=label"), noLabel.getMessage());
  }
}
