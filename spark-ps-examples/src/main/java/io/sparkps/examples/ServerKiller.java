package io.sparkps.examples;

import io.sparkps.cluster.PsCluster;
import io.sparkps.spark.PsClusters;
import io.sparkps.spark.TrainingJobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * Fault injection for the examples ({@code --kill-server-after MS}): once the training job of
 * the next fit has run for the given time, one live parameter server process, chosen at random,
 * is killed with SIGKILL — as a lost machine or an OOM killer would. With replication the fit
 * goes on; without it, it fails and says which server died.
 */
final class ServerKiller {
  private ServerKiller() {}

  /** Arms the killer for the next training job of {@code spark}; returns at once. */
  static void after(SparkSession spark, long delayMs, long seed) {
    CountDownLatch started = new CountDownLatch(1);
    TrainingJobs.onStart(spark.sparkContext(), started::countDown);
    Thread killer = new Thread(() -> {
      try {
        started.await();
        Thread.sleep(delayMs);
        PsCluster cluster = PsClusters.running(spark.sparkContext());
        if (cluster == null) {
          System.err.println("--kill-server-after: no separate servers to kill");
          return;
        }
        // Servers on executors report their pids on their own hosts: only those that are
        // server processes on this machine can be killed from here.
        List<Long> pids = new ArrayList<>(cluster.livePids().values());
        pids.removeIf(pid -> ProcessHandle.of(pid).flatMap(h -> h.info().commandLine())
            .filter(c -> c.contains("io.sparkps.server.ServerMain")).isEmpty());
        if (pids.isEmpty()) {
          System.err.println("--kill-server-after: no server process runs on this machine");
          return;
        }
        long pid = pids.get(new Random(seed).nextInt(pids.size()));
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        System.err.println("--kill-server-after: killed parameter server pid " + pid
            + " with SIGKILL " + TimeUnit.MILLISECONDS.toMillis(delayMs) + " ms into training");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "server-killer");
    killer.setDaemon(true);
    killer.start();
  }
}
