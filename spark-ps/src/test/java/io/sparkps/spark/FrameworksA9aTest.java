package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every SINGA framework trains LR on a9a to the reference AUC through PSTrainer.fit. */
class FrameworksA9aTest {

  @ParameterizedTest
  @ValueSource(strings = {"sandblaster", "allreduce", "downpour", "hogwild", "inmemory-hogwild"})
  void reachesReferenceAuc(String framework) {
    SparkSession spark = SharedSpark.get();
    PSTrainerModel model = new PSTrainer().setFramework(framework).setNumWorkers(2)
        .setMaxEpochs(3).fit(TestData.a9aTrain(spark));
    Dataset<Row> scored = model.transform(TestData.a9aTest(spark));
    double auc = new BinaryClassificationEvaluator().evaluate(scored);
    TrainingSummary s = model.summary();
    System.out.printf("%s: AUC %.4f, %.2f s, %.0f examples/s, servers %d, divergence %g%n",
        framework, auc, s.trainSeconds(), s.examplesPerSecond(), s.numServers(),
        s.copyDivergence());
    assertEquals(framework, s.framework());
    assertEquals(2, s.numWorkers());
    assertTrue(auc >= 0.89, framework + " test AUC " + auc);
    // After the final sync every server group's copy equals the master copy (syncFreq=1).
    assertTrue(s.copyDivergence() < 1e-4, framework + " copies differ by " + s.copyDivergence());
    // The loss curve's time axis: one time per step, increasing, within the stage.
    double[] t = s.stepSeconds();
    assertEquals(s.stepLoss().length, t.length);
    for (int i = 1; i < t.length; i++) {
      assertTrue(t[i] > t[i - 1], framework + " step " + i + " ends at " + t[i]);
    }
    assertTrue(t[0] > 0 && t[t.length - 1] <= s.trainSeconds());
    for (TrainingSummary.WorkerStats w : s.workers()) {
      TrainingSummary.StepPhases p = w.phases();
      assertTrue(p.computeSeconds() > 0 && p.pushSeconds() > 0, framework + " " + p);
      assertTrue(p.batchSeconds() + p.pullSeconds() + p.computeSeconds() + p.pushSeconds()
          <= w.seconds(), framework + " " + p + " within " + w.seconds() + " s");
    }
  }
}
