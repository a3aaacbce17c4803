package io.sparkps.spark;

import java.io.Serializable;

/**
 * What happened during a training.
 *
 * @param framework the framework's name
 * @param numWorkers workers that trained
 * @param numServers servers that held the params
 * @param epochLoss mean training loss of each epoch, over all workers' mini-batches
 * @param stepLoss mean mini-batch loss at each step, over the workers
 * @param totalSteps updates pushed by all workers together
 * @param examples examples processed (counted once per epoch they were used in)
 * @param trainSeconds wall time of the training stage
 * @param workers what each worker did, by worker id
 * @param copyDivergence with several server groups: the largest difference between a group's
 *     copy of a value and its master copy after the final sync; 0 with one server group
 * @param serverUpdates UPDATE messages the servers received, over all slices and copies
 * @param serverShares worker gradients those messages carried (more than {@code
 *     serverUpdates} when the stub summed several workers' gradients into one message)
 * @param serverUpdateBytes payload bytes of those messages
 */
public record TrainingSummary(String framework, int numWorkers, int numServers,
    double[] epochLoss, double[] stepLoss, long totalSteps, long examples, double trainSeconds,
    java.util.List<WorkerStats> workers, double copyDivergence, long serverUpdates,
    long serverShares, long serverUpdateBytes) implements Serializable {

  /**
   * One worker's share of a training.
   *
   * @param maxLead most steps the worker ran ahead of the slowest worker group it saw
   */
  public record WorkerStats(int worker, int group, long steps, long examples, double seconds,
      long maxLead) implements Serializable {

    public double stepsPerSecond() {
      return seconds > 0 ? steps / seconds : 0;
    }
  }

  /** Examples processed per second of training. */
  public double examplesPerSecond() {
    return trainSeconds > 0 ? examples / trainSeconds : 0;
  }

  /** Loss of the last epoch. */
  public double finalLoss() {
    return epochLoss.length == 0 ? Double.NaN : epochLoss[epochLoss.length - 1];
  }
}
