package io.sparkps.spark;

import io.sparkps.client.ClusterInfo;
import io.sparkps.client.ParamLayout;
import io.sparkps.cluster.AddressExchange;
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
 * @param exchange where co-located workers tell the driver their servers' addresses ({@link
 *     AddressExchange}); null for separate servers
 * @param channel where workers report progress and meet the epoch-end gate ({@link
 *     FitChannel})
 * @param validation whether workers evaluate their held-out rows at every epoch's end and
 *     send the gate their {@link ValidationFigures}
 */
record TrainingPlan(ClusterInfo cluster, ParamLayout layout, TrainableModel model,
    ClusterConfig topology, OptimizerConfig optimizer, int numFeatures, int batchSize,
    int epochs, int stepsPerEpoch, long seed, boolean shuffle, int ioThreads, long trainingId,
    boolean localAggregation, boolean[] byFeature, boolean sparse,
    CheckpointPlan checkpoints, int maxInFlight, AddressExchange.Endpoint exchange,
    FitChannel.Endpoint channel, boolean validation) implements Serializable {

  /** The same plan, with co-located workers exchanging addresses through {@code endpoint}. */
  TrainingPlan withExchange(AddressExchange.Endpoint endpoint) {
    return new TrainingPlan(cluster, layout, model, topology, optimizer, numFeatures, batchSize,
        epochs, stepsPerEpoch, seed, shuffle, ioThreads, trainingId, localAggregation, byFeature,
        sparse, checkpoints, maxInFlight, endpoint, channel, validation);
  }

  /** The same plan, with workers reporting to the driver at {@code endpoint}. */
  TrainingPlan withChannel(FitChannel.Endpoint endpoint) {
    return new TrainingPlan(cluster, layout, model, topology, optimizer, numFeatures, batchSize,
        epochs, stepsPerEpoch, seed, shuffle, ioThreads, trainingId, localAggregation, byFeature,
        sparse, checkpoints, maxInFlight, exchange, endpoint, validation);
  }

  boolean colocated() {
    return !topology.serverWorkerSeparate();
  }

  /** Per worker, the co-located server it hosts, or -1. */
  int[] hostedServers() {
    int[] out = new int[topology.totalWorkers()];
    for (int w = 0; w < out.length; w++) {
      out[w] = hostedServer(w);
    }
    return out;
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
