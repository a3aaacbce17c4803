package io.sparkps.examples;

import io.sparkps.cluster.PsCluster;
import io.sparkps.cluster.SliceMove;
import io.sparkps.spark.PsClusters;
import io.sparkps.spark.TrainingJobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.SparkSession;

/**
 * Elasticity for the examples ({@code --resize-at STEP:SERVERS}, repeatable): once the model's
 * first slice has applied STEP updates in the next fit, the driver grows or shrinks the server
 * cluster to SERVERS while the training goes on, and the next resize waits for its own step.
 */
final class Resizer {
  /** One resize: at {@code step} updates, to {@code servers} servers. */
  record At(long step, int servers) {
    static At parse(String text) {
      String[] parts = text.split(":");
      try {
        if (parts.length == 2) {
          At at = new At(Long.parseLong(parts[0].trim()), Integer.parseInt(parts[1].trim()));
          if (at.step >= 0 && at.servers >= 1) {
            return at;
          }
        }
      } catch (NumberFormatException e) {
        // Reported below.
      }
      throw new IllegalArgumentException("--resize-at needs STEP:SERVERS (a step >= 0 and at "
          + "least 1 server), got '" + text + "'");
    }
  }

  private final Thread thread;
  private volatile boolean done;
  private volatile RuntimeException failure;

  private Resizer(SparkSession spark, List<At> plan) {
    CountDownLatch started = new CountDownLatch(1);
    TrainingJobs.onStart(spark.sparkContext(), started::countDown);
    thread = new Thread(() -> run(spark, plan, started), "resizer");
    thread.setDaemon(true);
  }

  /** Arms the resizes for the next training job of {@code spark}; returns at once. */
  static Resizer at(SparkSession spark, List<At> plan) {
    List<At> sorted = new ArrayList<>(plan);
    sorted.sort(java.util.Comparator.comparingLong(At::step));
    Resizer r = new Resizer(spark, sorted);
    r.thread.start();
    return r;
  }

  private void run(SparkSession spark, List<At> plan, CountDownLatch started) {
    try {
      started.await();
      for (At at : plan) {
        PsCluster cluster = PsClusters.running(spark.sparkContext());
        if (cluster == null) {
          System.err.println("--resize-at: this framework has no separate servers to resize");
          return;
        }
        long step;
        while ((step = cluster.stepsApplied()) < at.step) {
          if (done) {
            System.err.println("--resize-at " + at.step + ":" + at.servers + ": the fit ended"
                + " at step " + step);
            return;
          }
          Thread.sleep(5);
        }
        int before = cluster.liveServers();
        long start = System.nanoTime();
        List<SliceMove> moves = cluster.resize(at.servers);
        System.err.println(String.format(Locale.ROOT, "--resize-at: %d -> %d servers at step "
            + "%d in %.0f ms, %d slice copies moved, longest switch %.1f ms", before,
            at.servers, step, (System.nanoTime() - start) / 1e6, moves.size(),
            moves.stream().mapToDouble(SliceMove::switchMillis).max().orElse(0)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure = e;
      System.err.println("--resize-at failed: " + e);
    }
  }

  /** The fit ended: stops waiting, and rethrows what made a resize fail. */
  void finish() throws InterruptedException {
    done = true;
    thread.join(60_000);
    if (failure != null) {
      throw failure;
    }
  }
}
