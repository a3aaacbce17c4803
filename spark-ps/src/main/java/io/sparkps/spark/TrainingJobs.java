package io.sparkps.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Tells when the training job of a fit starts: its job description begins with {@link
 * PSTrainer#TRAINING_JOB_PREFIX}. For tools that act during training (fault injection,
 * progress), without polling Spark's status.
 */
public final class TrainingJobs {
  private TrainingJobs() {}

  /** Runs {@code action}, on Spark's listener thread, whenever a fit's training job starts. */
  public static void onStart(SparkContext sc, Runnable action) {
    sc.addSparkListener(new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        String description = start.properties() == null ? null
            : start.properties().getProperty("spark.job.description");
        if (description != null && description.startsWith(PSTrainer.TRAINING_JOB_PREFIX)) {
          action.run();
        }
      }
    });
  }
}
