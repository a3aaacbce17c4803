package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A validation set on a9a: evaluated every epoch, early stopping before maxEpochs with the best
 * epoch's model returned, and no change to the training itself.
 */
class ValidationA9aTest {
  private static final int MAX_EPOCHS = 12;
  private static Dataset<Row> data;

  @BeforeAll
  static void data() {
    SparkSession spark = SharedSpark.get();
    // The shared session's 3 s lease is for the tests that kill drivers; servers starting on a
    // busy machine can miss it, and nothing here needs them to exit fast.
    spark.conf().set("spark.ps.lease", "30s");
    // About 20% of the rows held out, chosen by a seeded hash of the row's features.
    data = TestData.a9aTrain(spark)
        .withColumn("isVal", functions.pmod(functions.hash(functions.col("features")
            .cast("string"), functions.lit(7)), functions.lit(5)).equalTo(0))
        .cache();
    data.count();
  }

  @AfterAll
  static void release() {
    data.unpersist();
    SharedSpark.get().conf().unset("spark.ps.lease");
  }

  /** Mean log-loss of {@code model} on the validation rows, from its probabilities. */
  private static double validationLoss(PSTrainerModel model) {
    List<Row> rows = model.transform(data.filter("isVal")).select("label", "probability")
        .collectAsList();
    double sum = 0;
    for (Row r : rows) {
      double p = ((Vector) r.get(1)).apply(1);
      double y = r.getDouble(0);
      sum -= y > 0.5 ? Math.log(p) : Math.log1p(-p);
    }
    return sum / rows.size();
  }

  @ParameterizedTest(name = "{0} pullMode={1} {2} stepSize={3}")
  @CsvSource({"sandblaster, dense, sgd, 0.5", "sandblaster, sparse, sgd, 0.5",
      "allreduce, dense, sgd, 0.5"})
  void earlyStoppingEndsTheFitAndReturnsTheBestEpochsModel(String framework, String pull,
      String optimizer, double stepSize) {
    // SGD plateaus on a9a within a few epochs; the tolerance makes the plateau count.
    // Synchronous frameworks only: an asynchronous worker evaluates with the values it holds
    // as its own epoch ends, while other groups may still be training theirs.
    PSTrainerModel model = new PSTrainer().setFramework(framework).setNumWorkers(2)
        .setNumServers(2).setOptimizer(optimizer).setStepSize(stepSize).setBatchSize(64)
        .setMaxEpochs(MAX_EPOCHS).setPullMode(pull).setValidationIndicatorCol("isVal")
        .setEarlyStoppingRounds(2).setValidationTol(2e-3).fit(data);
    TrainingSummary s = model.summary();
    TrainingSummary.Validation v = s.validation();
    assertNotNull(v);
    System.out.println(framework + " validation loss " + java.util.Arrays.toString(v.loss())
        + " AUC " + java.util.Arrays.toString(v.metricValues()) + " best " + v.bestEpoch());
    assertTrue(v.stoppedEarly(), "stopped early: " + java.util.Arrays.toString(v.loss()));
    assertTrue(v.epochs() < MAX_EPOCHS);
    assertEquals(v.epochs(), s.epochLoss().length);
    assertEquals(v.epochs(), v.metricValues().length);
    assertEquals(v.bestEpoch() + 2, v.epochs(), "stops two epochs after the best");
    assertEquals("areaUnderROC", v.metric());
    long held = data.filter("isVal").count();
    assertEquals(held, v.rows());
    assertTrue(held > 5000 && held < 8000, "about 20% held out: " + held);
    for (double auc : v.metricValues()) {
      assertTrue(auc > 0.85 && auc < 0.95, "validation AUC " + auc);
    }
    // The model is the best epoch's: its loss on the validation rows is the best recorded,
    // and not the last epoch's.
    double recomputed = validationLoss(model);
    double last = v.loss()[v.epochs() - 1];
    assertEquals(v.bestLoss(), recomputed, 2e-6, "the best epoch's loss");
    assertTrue(Math.abs(last - v.bestLoss()) > 1e-5, "the last epoch differs: " + last);
  }

  @Test
  void withoutEarlyStoppingAValidationSetChangesNoWeight() {
    PSTrainer trainer = new PSTrainer().setFramework("sandblaster").setNumWorkers(2)
        .setNumServers(2).setOptimizer("sgd").setStepSize(0.5).setBatchSize(64)
        .setMaxEpochs(2).setSeed(5);
    TrainingListenerTest.Recorder recorder = new TrainingListenerTest.Recorder();
    PSTrainerModel validated = trainer.copy(new org.apache.spark.ml.param.ParamMap())
        .setValidationIndicatorCol("isVal").addListener(recorder).fit(data);
    PSTrainerModel alone = trainer.copy(new org.apache.spark.ml.param.ParamMap())
        .fit(data.filter("NOT isVal"));
    float[][] a = validated.paramValues();
    float[][] b = alone.paramValues();
    for (int p = 0; p < a.length; p++) {
      assertArrayEquals(b[p], a[p], "param " + p);
    }
    assertEquals(alone.summary().totalSteps(), validated.summary().totalSteps());
    assertEquals(alone.summary().examples(), validated.summary().examples());
    TrainingSummary.Validation v = validated.summary().validation();
    assertEquals(2, v.epochs());
    assertFalse(v.stoppedEarly());
    assertNull(alone.summary().validation());
    // The listeners' end-of-epoch events carry the validation curve.
    List<TrainingProgress> ends = recorder.epochEnds();
    assertArrayEquals(v.loss(),
        ends.stream().mapToDouble(TrainingProgress::validationLoss).toArray());
    assertArrayEquals(v.metricValues(),
        ends.stream().mapToDouble(TrainingProgress::validationValue).toArray());
    assertEquals("areaUnderROC", ends.get(1).validationMetric());
    // The last epoch's model: its validation loss is the last one recorded.
    assertEquals(v.loss()[1], validationLoss(validated), 2e-6);
  }

  @Test
  void elasticWorkersStopBetweenStagesWithTheBestEpochsValues() {
    SparkSession spark = SharedSpark.get();
    spark.conf().set("spark.ps.elasticWorkers", "true");
    try {
      PSTrainerModel model = new PSTrainer().setFramework("downpour").setNumWorkers(2)
          .setNumServers(2).setMaxEpochs(MAX_EPOCHS).setValidationIndicatorCol("isVal")
          .setEarlyStoppingRounds(2).setValidationTol(2e-3).fit(data);
      TrainingSummary s = model.summary();
      TrainingSummary.Validation v = s.validation();
      System.out.println("elastic validation loss " + java.util.Arrays.toString(v.loss())
          + " best " + v.bestEpoch());
      assertTrue(v.stoppedEarly(), java.util.Arrays.toString(v.loss()));
      assertEquals(v.epochs(), s.epochLoss().length);
      assertEquals(v.bestEpoch() + 2, v.epochs());
      // The driver pulled the values between two stages, once every shard had ended the best
      // epoch; its asynchronous workers evaluated as each of them ended it.
      assertEquals(v.bestLoss(), validationLoss(model), 2e-3);
    } finally {
      spark.conf().unset("spark.ps.elasticWorkers");
    }
  }

  @Test
  void hogwildKeepsWorkerZerosCopyOfTheBestEpoch() {
    // Two co-located server groups: worker 0 flushes the copies and pulls the masters when an
    // epoch is best, while the other group may already train the next epoch.
    PSTrainerModel model = new PSTrainer().setFramework("hogwild").setNumWorkers(2)
        .setNumServers(1).setMaxEpochs(MAX_EPOCHS).setValidationIndicatorCol("isVal")
        .setEarlyStoppingRounds(2).setValidationTol(2e-3).fit(data);
    TrainingSummary.Validation v = model.summary().validation();
    System.out.println("hogwild validation loss " + java.util.Arrays.toString(v.loss())
        + " best " + v.bestEpoch());
    assertTrue(v.stoppedEarly(), java.util.Arrays.toString(v.loss()));
    assertEquals(v.bestEpoch() + 2, v.epochs());
    assertEquals(v.bestLoss(), validationLoss(model), 2e-3);
  }
}
