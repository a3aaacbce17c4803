package io.sparkps.bench.mllib;

import java.util.HashSet;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.ExecutorMetrics;
import org.apache.spark.status.api.v1.ExecutorSummary;
import org.apache.spark.storage.RDDInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Executor-side memory during fits, as Spark reports it: the size of the cached RDDs (its
 * storage figures, {@code SparkContext.getRDDStorageInfo}, sampled by a thread while a fit
 * runs) and the executors' peak JVM heap (the status store's peak executor metrics, polled in
 * the executors every {@code spark.executor.metrics.pollingInterval} and sent with their
 * heartbeats).
 *
 * <p>The cache is split in two: the RDDs cached before the watch started (the caller's
 * training data) and those cached since (what the fit cached of its own, spark-ps's examples
 * or MLlib's instances), the latter at their largest.
 */
final class ExecutorMemory implements AutoCloseable {
  private final SparkContext sc;
  private final Set<Integer> before = new HashSet<>();
  private final long inputBytes;
  private final Thread sampler;
  private volatile boolean stop;
  private volatile long fitPeak;

  private ExecutorMemory(SparkContext sc) {
    this.sc = sc;
    long input = 0;
    for (RDDInfo info : sc.getRDDStorageInfo()) {
      before.add(info.id());
      input += info.memSize() + info.diskSize();
    }
    this.inputBytes = input;
    this.sampler = new Thread(this::sample, "executor-memory-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Starts sampling the cache; {@link #close()} stops it. */
  static ExecutorMemory watch(SparkContext sc) {
    return new ExecutorMemory(sc);
  }

  private void sample() {
    while (!stop) {
      long fit = 0;
      for (RDDInfo info : sc.getRDDStorageInfo()) {
        if (!before.contains(info.id())) {
          fit += info.memSize() + info.diskSize();
        }
      }
      fitPeak = Math.max(fitPeak, fit);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Bytes of the RDDs cached when the watch started, in memory and on disk. */
  long inputBytes() {
    return inputBytes;
  }

  /** Most bytes the RDDs cached since the watch started held at once, as sampled. */
  long fitPeakBytes() {
    return fitPeak;
  }

  /**
   * The largest peak JVM heap of any executor so far (driver left out), or -1 when no
   * executor has reported one yet.
   */
  static long peakExecutorHeap(SparkContext sc) {
    long peak = -1;
    for (ExecutorSummary e : CollectionConverters.asJava(sc.statusStore().executorList(true))) {
      if (e.id().equals("driver") || e.peakMemoryMetrics().isEmpty()) {
        continue;
      }
      ExecutorMetrics m = e.peakMemoryMetrics().get();
      peak = Math.max(peak, m.getMetricValue("JVMHeapMemory"));
    }
    return peak;
  }

  @Override
  public void close() {
    stop = true;
    sampler.interrupt();
    try {
      sampler.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
