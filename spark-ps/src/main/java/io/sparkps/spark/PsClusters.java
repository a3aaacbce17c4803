package io.sparkps.spark;

import io.sparkps.cluster.PsCluster;
import io.sparkps.config.PsConf;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server cluster of each running Spark application. Trainings in one application (one
 * notebook) reuse its cluster; the cluster stops with the SparkContext.
 */
public final class PsClusters {
  private static final Logger LOG = LoggerFactory.getLogger(PsClusters.class);
  private static final Map<String, PsCluster> BY_APP = new HashMap<>();

  private PsClusters() {}

  /**
   * The application's cluster with {@code numServers} servers keeping {@code replication}
   * backups of every slice, started if needed.
   */
  static synchronized PsCluster getOrStart(SparkContext sc, PsConf conf, int numServers,
      int replication) {
    String app = sc.applicationId();
    PsCluster running = BY_APP.get(app);
    if (running != null && running.numServers() == numServers
        && running.replication() == replication
        && running.info().encrypted() == conf.cryptoEnabled()
        && running.awaitHealthy(conf.get(PsConf.SERVER_START_TIMEOUT).toMillis())) {
      return running;
    }
    if (running != null && running.isHealthy() && running.numServers() == numServers
        && running.replication() == replication
        && running.info().encrypted() == conf.cryptoEnabled()) {
      return running;
    }
    if (running != null) {
      LOG.info("Restarting the parameter servers: {} with replication {} wanted, {} with {} "
          + "running (healthy: {}, encrypted: {})", numServers, replication, running.numServers(),
          running.replication(), running.isHealthy(), running.info().encrypted());
      running.close();
      BY_APP.remove(app);
    }
    PsCluster started = PsCluster.start(conf, numServers, serverHost(sc, conf), replication,
        CheckpointStore.serialize(sc.hadoopConfiguration()));
    BY_APP.put(app, started);
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
    if (c != null) {
      c.close();
    }
  }

  private static String serverHost(SparkContext sc, PsConf conf) {
    String host = conf.get(PsConf.SERVER_HOST);
    if (!host.isEmpty()) {
      return host;
    }
    if (sc.isLocal() || sc.master().startsWith("local-cluster")) {
      return "127.0.0.1";
    }
    return sc.getConf().get("spark.driver.host", "127.0.0.1");
  }
}
