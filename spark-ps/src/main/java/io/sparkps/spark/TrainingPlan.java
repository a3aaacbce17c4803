package io.sparkps.spark;

import io.sparkps.client.ClusterInfo;
import io.sparkps.client.ParamLayout;
import io.sparkps.config.ClusterConfig;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.model.TrainableModel;
import java.io.Serializable;

/**
 * Everything a worker task needs, shipped with the task.
 *
 * @param cluster the servers (separate servers), or only the secret and limits (co-located)
 * @param layout where the params live
 * @param stepsPerEpoch steps every worker runs per epoch, wrapping around a smaller partition
 * @param ioThreads event loop threads of a co-located server
 * @param trainingId unique per fit: names the per-JVM stub
 * @param localAggregation whether workers of a group in one JVM push through the stub
 * @param byFeature per param, whether its rows are indexed by feature
 * @param sparse whether workers pull and push only the feature rows their batches touch
 * @param checkpoints the fit's checkpoints, or null when it writes none
 * @param maxInFlight steps a worker keeps in flight: 1 in a synchronous group
 */
record TrainingPlan(ClusterInfo cluster, ParamLayout layout, TrainableModel model,
    ClusterConfig topology, OptimizerConfig optimizer, int numFeatures, int batchSize,
    int epochs, int stepsPerEpoch, long seed, boolean shuffle, int ioThreads, long trainingId,
    boolean localAggregation, boolean[] byFeature, boolean sparse,
    CheckpointPlan checkpoints, int maxInFlight) implements Serializable {

  boolean colocated() {
    return !topology.serverWorkerSeparate();
  }

  /** The co-located server that worker {@code worker} hosts, or -1. */
  int hostedServer(int worker) {
    int servers = topology.totalServers();
    int workers = topology.totalWorkers();
    for (int s = 0; s < servers; s++) {
      if ((long) s * workers / servers == worker) {
        return s;
      }
    }
    return -1;
  }
}
