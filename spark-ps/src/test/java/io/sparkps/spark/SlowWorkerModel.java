package io.sparkps.spark;

import io.sparkps.model.Batch;
import org.apache.spark.TaskContext;

/** Logistic regression whose gradient takes {@code delayMs} longer on one worker's task. */
final class SlowWorkerModel extends WrappedLogistic {
  private final int slowWorker;
  private final long delayMs;

  SlowWorkerModel(int slowWorker, long delayMs) {
    this.slowWorker = slowWorker;
    this.delayMs = delayMs;
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
}
