package io.sparkps.spark;

import io.sparkps.model.Batch;
import io.sparkps.model.BinaryLogisticRegression;

/**
 * Logistic regression whose every gradient takes {@code delayMs} longer: a fit long enough to
 * be killed in the middle, with the same results as {@link BinaryLogisticRegression}. With a
 * marker, a task creates that file once it has computed {@code markAt} gradients, so that a
 * test can wait for its workers to be well into the training.
 */
final class PacedModel extends WrappedLogistic {
  private final long delayMs;
  private final String marker;
  private final int markAt;
  private transient int calls;

  PacedModel(long delayMs) {
    this(delayMs, null, 0);
  }

  PacedModel(long delayMs, java.nio.file.Path marker, int markAt) {
    this.delayMs = delayMs;
    this.marker = marker == null ? null : marker.toString();
    this.markAt = markAt;
  }

  @Override
  public double gradient(Batch batch, float[][] params, float[][] gradients) {
    try {
      Thread.sleep(delayMs);
      if (marker != null && ++calls == markAt) {
        java.nio.file.Files.writeString(java.nio.file.Path.of(marker), "");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return inner.gradient(batch, params, gradients);
  }
}
