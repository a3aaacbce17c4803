package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.model.Batch;
import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.ParamSpec;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A worker of a synchronous group that dies makes the fit fail with its cause, not hang. */
class WorkerFailureTest {

  /** Logistic regression that throws on one worker after a few steps. */
  static final class DyingWorkerModel implements TrainableModel {
    private final TrainableModel inner = new BinaryLogisticRegression();
    private transient int calls;

    @Override public List<ParamSpec> params(int d) { return inner.params(d); }
    @Override public float[][] initialValues(int d, Random r) { return inner.initialValues(d, r); }
    @Override public int numOutputs() { return 1; }
    @Override public float[] predict(Batch b, float[][] p) { return inner.predict(b, p); }

    @Override
    public double gradient(Batch batch, float[][] params, float[][] gradients) {
      if (TaskContext.getPartitionId() == 1 && ++calls == 3) {
        throw new IllegalStateException("injected failure of worker 1");
      }
      return inner.gradient(batch, params, gradients);
    }
  }

  @Test
  void theGroupFailsWithTheWorkersErrorWithinTheTimeout() {
    SparkSession spark = SharedSpark.get();
    spark.conf().set("spark.ps.rpc.timeout", "5s");
    try {
      Exception e = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> assertThrows(
          Exception.class, () -> new PSTrainer().setFramework("sandblaster").setNumWorkers(2)
              .setNumServers(1).setBatchSize(10).setMaxEpochs(1)
              .setModel(new DyingWorkerModel())
              .fit(TestData.generated(spark, 400, 5, 5, 2))));
      String all = String.valueOf(e.getMessage());
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        all += " / " + c.getMessage();
      }
      assertTrue(all.contains("injected failure of worker 1"), all);
    } finally {
      spark.conf().unset("spark.ps.rpc.timeout");
    }
  }
}
