package io.sparkps.spark;

import java.io.Serializable;

/**
 * What happened during a training.
 *
 * @param framework the framework's name
 * @param numWorkers workers that trained
 * @param numServers servers that held the params
 * @param epochLoss mean training loss of each epoch, over all workers' mini-batches
 * @param totalSteps updates pushed by all workers together
 * @param examples examples processed (counted once per epoch they were used in)
 * @param trainSeconds wall time of the training stage
 */
public record TrainingSummary(String framework, int numWorkers, int numServers,
    double[] epochLoss, long totalSteps, long examples, double trainSeconds)
    implements Serializable {

  /** Examples processed per second of training. */
  public double examplesPerSecond() {
    return trainSeconds > 0 ? examples / trainSeconds : 0;
  }

  /** Loss of the last epoch. */
  public double finalLoss() {
    return epochLoss.length == 0 ? Double.NaN : epochLoss[epochLoss.length - 1];
  }
}
