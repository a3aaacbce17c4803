package io.sparkps.spark;

import io.sparkps.cluster.PsCluster;
import io.sparkps.cluster.SliceMove;
import io.sparkps.config.PsConf;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server cluster of each running Spark application. Trainings in one application (one
 * notebook) reuse its cluster — grown or shrunk in place when a training wants another number of
 * servers — and the cluster stops with the SparkContext.
 */
public final class PsClusters {
  private static final Logger LOG = LoggerFactory.getLogger(PsClusters.class);
  private static final Map<String, PsCluster> BY_APP = new HashMap<>();
  private static final Map<String, ServerPlacement> PLACED = new HashMap<>();

  private PsClusters() {}

  /**
   * The application's cluster with {@code numServers} servers keeping {@code replication}
   * backups of every slice, placed as {@code placement} says: the running one, resized if it
   * has another number of servers (its servers stay, servers are added or removed), or a new
   * one when none runs or the replication, placement or encryption differ.
   */
  static synchronized PsCluster getOrStart(SparkContext sc, PsConf conf, int numServers,
      int replication, ServerPlacement placement) {
    String app = sc.applicationId();
    PsCluster running = BY_APP.get(app);
    boolean same = running != null && running.replication() == replication
        && placement.sameAs(PLACED.get(app))
        && running.info().encrypted() == conf.cryptoEnabled();
    long startTimeoutMs = conf.get(PsConf.SERVER_START_TIMEOUT).toMillis();
    if (same && (running.awaitHealthy(startTimeoutMs) || running.isHealthy())) {
      if (running.liveServers() == numServers) {
        return running;
      }
      try {
        int before = running.liveServers();
        List<SliceMove> moves = running.resize(numServers);
        LOG.info("Resized the parameter servers from {} to {} ({} slice copies moved)", before,
            numServers, moves.size());
        return running;
      } catch (RuntimeException e) {
        LOG.warn("Could not resize the parameter servers to {}: {}; starting new ones",
            numServers, e.toString());
      }
    }
    if (running != null) {
      LOG.info("Restarting the parameter servers: {} with replication {} {} wanted, {} with {} "
          + "{} running (healthy: {}, encrypted: {})", numServers, replication,
          placement.describe(), running.numServers(), running.replication(),
          PLACED.get(app).describe(), running.isHealthy(), running.info().encrypted());
      running.close();
      BY_APP.remove(app);
      PLACED.remove(app);
    }
    LOG.info("Starting {} parameter servers {}", numServers, placement.describe());
    PsCluster started = PsCluster.start(conf, numServers, placement.start(sc, conf),
        replication, CheckpointStore.serialize(sc.hadoopConfiguration()));
    BY_APP.put(app, started);
    PLACED.put(app, placement);
    if (running == null) {
      sc.addSparkListener(new SparkListener() {
        @Override
        public void onApplicationEnd(SparkListenerApplicationEnd end) {
          stop(app);
        }
      });
    }
    return started;
  }

  /** The running cluster of the application, if any; for tests and tools. */
  public static synchronized PsCluster running(SparkContext sc) {
    return BY_APP.get(sc.applicationId());
  }

  /** Stops the application's cluster now; the next training starts a new one. */
  public static synchronized void stop(String applicationId) {
    PsCluster c = BY_APP.remove(applicationId);
    PLACED.remove(applicationId);
    if (c != null) {
      c.close();
    }
  }
}
