package io.sparkps.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;

/**
 * Interrupts a training task's thread once Spark marks the task killed. Spark kills the other
 * tasks of a failed barrier stage without interrupting their threads, and a worker waiting for
 * its group's step would then hold its task slot until {@code spark.ps.rpc.timeout}; the
 * interrupt ends that wait at once. One daemon thread per executor JVM looks at every running
 * training task a few times a second.
 */
final class TaskWatch implements AutoCloseable {
  private static final long PERIOD_MS = 50;
  private static final Map<TaskWatch, Boolean> WATCHED = new ConcurrentHashMap<>();
  private static final ScheduledExecutorService TICKS =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spark-ps-task-watch");
        t.setDaemon(true);
        return t;
      });

  static {
    TICKS.scheduleWithFixedDelay(TaskWatch::tick, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  private final TaskContext context;
  private final Thread thread;
  private boolean interrupted;

  private TaskWatch(TaskContext context, Thread thread) {
    this.context = context;
    this.thread = thread;
  }

  /** Watches the calling thread's task until {@link #close()}. */
  static TaskWatch of(TaskContext context) {
    TaskWatch watch = new TaskWatch(context, Thread.currentThread());
    WATCHED.put(watch, Boolean.TRUE);
    return watch;
  }

  private static void tick() {
    for (TaskWatch w : WATCHED.keySet()) {
      synchronized (w) {
        if (!w.interrupted && w.context.isInterrupted()) {
          w.interrupted = true;
          w.thread.interrupt();
        }
      }
    }
  }

  @Override
  public void close() {
    WATCHED.remove(this);
    synchronized (this) {
      // An interrupt that came after the task's last wait must not reach Spark's next task.
      if (interrupted) {
        Thread.interrupted();
      }
      interrupted = true;
    }
  }
}
