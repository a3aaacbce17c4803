package io.sparkps.spark;

import io.sparkps.config.InvalidConfigException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Keeps the first {@link InvalidConfigException} a task of one job group failed with (a
 * worker whose training diverged names stepSize). Spark's abort of a barrier stage says only
 * that a task "finished unsuccessfully", without the task's exception, so the driver learns it
 * here, from the listener bus.
 */
final class TaskFailures extends SparkListener {
  private final String jobGroup;
  private final Set<Integer> jobs = ConcurrentHashMap.newKeySet();
  private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
  private final AtomicReference<InvalidConfigException> invalid = new AtomicReference<>();
  private final CountDownLatch jobEnded = new CountDownLatch(1);

  private TaskFailures(String jobGroup) {
    this.jobGroup = jobGroup;
  }

  /** Watches the jobs of {@code jobGroup} until removed with {@code removeSparkListener}. */
  static TaskFailures watch(SparkContext sc, String jobGroup) {
    TaskFailures f = new TaskFailures(jobGroup);
    sc.addSparkListener(f);
    return f;
  }

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    if (start.properties() != null
        && jobGroup.equals(start.properties().getProperty("spark.jobGroup.id"))) {
      jobs.add(start.jobId());
      start.stageIds().foreach(id -> stages.add((Integer) id));
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (stages.contains(end.stageId()) && end.reason() instanceof ExceptionFailure f
        && f.exception().isDefined() && f.exception().get() instanceof InvalidConfigException e) {
      invalid.compareAndSet(null, e);
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    if (jobs.contains(end.jobId())) {
      jobEnded.countDown();
    }
  }

  /**
   * The first InvalidConfigException of a task of the group, or null: waits up to {@code
   * timeoutMs} for the end of the group's job to reach the listener (after its tasks' ends).
   */
  InvalidConfigException invalidConfig(long timeoutMs) {
    try {
      jobEnded.await(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return invalid.get();
  }
}
