package io.sparkps.spark;

import io.sparkps.model.Batch;
import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.ParamSpec;
import java.util.List;
import java.util.Random;
import org.apache.spark.TaskContext;

/** Logistic regression whose gradient takes {@code delayMs} longer on one worker's task. */
final class SlowWorkerModel implements TrainableModel {
  private final TrainableModel inner = new BinaryLogisticRegression();
  private final int slowWorker;
  private final long delayMs;

  SlowWorkerModel(int slowWorker, long delayMs) {
    this.slowWorker = slowWorker;
    this.delayMs = delayMs;
  }

  @Override
  public List<ParamSpec> params(int numFeatures) {
    return inner.params(numFeatures);
  }

  @Override
  public float[][] initialValues(int numFeatures, Random random) {
    return inner.initialValues(numFeatures, random);
  }

  @Override
  public double gradient(Batch batch, float[][] params, float[][] gradients) {
    TaskContext ctx = TaskContext.get();
    if (ctx != null && ctx.partitionId() == slowWorker) {
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return inner.gradient(batch, params, gradients);
  }

  @Override
  public int numOutputs() {
    return inner.numOutputs();
  }

  @Override
  public float[] predict(Batch batch, float[][] params) {
    return inner.predict(batch, params);
  }
}
