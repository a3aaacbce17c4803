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
 * @param stepSeconds at each step, the seconds from the start of a worker's training loop
 *     (connected to the servers, before its first pull) to the end of that step (its push
 *     answered), averaged over the workers like {@code stepLoss}: the time axis of the loss
 *     curve. It leaves out the start of the stage (task launch, connecting), which {@code
 *     trainSeconds} includes
 * @param totalSteps steps of all workers together, each counted once whichever task of its
 *     worker ran it
 * @param examples examples processed (counted once per epoch they were used in)
 * @param trainSeconds wall time of the training stage
 * @param workers what each worker did, by worker id
 * @param copyDivergence with several server groups: the largest difference between a group's
 *     copy of a value and its master copy after the final sync; 0 with one server group
 * @param serverUpdates UPDATE messages the servers received, over all slices and copies
 * @param serverShares worker gradients those messages carried (more than {@code
 *     serverUpdates} when the stub summed several workers' gradients into one message)
 * @param serverUpdateBytes payload bytes of those messages
 * @param serverSharesApplied worker gradients in the steps the servers applied, over all
 *     slices: each counted once however often it was sent (a step resent after a failover, a
 *     retried share), and kept across failovers. With every worker pushing every slice at
 *     every step it is workers x steps x slices
 * @param serverFailures separate servers lost during the training (failed over to backups)
 * @param recoveryMillis the longest pause a lost server caused any slice: from the
 *     coordinator finding it lost to the first acknowledged update of a promoted copy; NaN
 *     when no server was lost (or no update followed)
 * @param stageRuns runs of the training stage: 1, or more when spark-ps ran a stage that
 *     runs all its tasks at once again after it lost an executor (its workers resuming at
 *     their groups' last applied steps)
 * @param skippedRows rows left out of the training for a NaN or infinite label or feature
 *     value ({@code handleInvalid=skip}); 0 otherwise
 * @param resumedFromStep the step of the checkpoint the fit resumed from, or null when it
 *     started afresh
 * @param serverHosts the distinct hosts separate servers ran on (the addresses they
 *     advertised), replacements included, in the order they joined; empty for co-located
 *     servers, which run in the workers' executors
 * @param validation the validation curve and early stopping, or null for a fit without a
 *     validation set ({@code validationIndicatorCol}). With early stopping {@code epochLoss}
 *     and {@code stepLoss} cover the epochs that ran
 */
public record TrainingSummary(String framework, int numWorkers, int numServers,
    double[] epochLoss, double[] stepLoss, double[] stepSeconds, long totalSteps,
    long examples, double trainSeconds, java.util.List<WorkerStats> workers,
    double copyDivergence, long serverUpdates, long serverShares, long serverUpdateBytes,
    long serverSharesApplied, int serverFailures, double recoveryMillis, int stageRuns,
    long skippedRows, Long resumedFromStep, java.util.List<String> serverHosts,
    Validation validation) implements Serializable {

  /** A summary without a validation set. */
  public TrainingSummary(String framework, int numWorkers, int numServers,
      double[] epochLoss, double[] stepLoss, double[] stepSeconds, long totalSteps,
      long examples, double trainSeconds, java.util.List<WorkerStats> workers,
      double copyDivergence, long serverUpdates, long serverShares, long serverUpdateBytes,
      long serverSharesApplied, int serverFailures, double recoveryMillis, int stageRuns,
      long skippedRows, Long resumedFromStep, java.util.List<String> serverHosts) {
    this(framework, numWorkers, numServers, epochLoss, stepLoss, stepSeconds, totalSteps,
        examples, trainSeconds, workers, copyDivergence, serverUpdates, serverShares,
        serverUpdateBytes, serverSharesApplied, serverFailures, recoveryMillis, stageRuns,
        skippedRows, resumedFromStep, serverHosts, null);
  }

  /**
   * The held-out rows' figures at the end of every epoch the fit ran (index {@code e} is
   * epoch {@code e + 1}).
   *
   * @param metric the name of the second figure: {@code areaUnderROC} for binary models
   *     (read from a fine histogram of the scores, see the docs), {@code accuracy} for
   *     multi-class ones, {@code rmse} for regression
   * @param loss the model's mean loss over the validation rows (the loss training reports)
   * @param metricValues the metric at the end of every epoch
   * @param bestEpoch the epoch of the lowest validation loss, counted from 1 (an improvement
   *     counting only when lower than the best by more than validationTol); 0 when no epoch
   *     had a finite loss. With earlyStoppingRounds &gt; 0 the model is that epoch's
   * @param stoppedEarly whether early stopping ended the fit before maxEpochs
   * @param rows validation rows evaluated each epoch
   */
  public record Validation(String metric, double[] loss, double[] metricValues, int bestEpoch,
      boolean stoppedEarly, long rows) implements Serializable {

    /** Epochs the fit ran. */
    public int epochs() {
      return loss.length;
    }

    /** The lowest validation loss, NaN without a finite one. */
    public double bestLoss() {
      return bestEpoch == 0 ? Double.NaN : loss[bestEpoch - 1];
    }
  }

  /**
   * One worker's share of a training.
   *
   * @param steps steps the worker ran in its last task (those not applied before it started)
   * @param firstStep the step that task started at: 0, or, for a task Spark or spark-ps ran
   *     again, the first step its group had not applied. With elastic workers (a task per
   *     epoch), {@code steps} and {@code firstStep} add up over the worker's tasks, {@code
   *     firstStep} being the steps they found applied when they started
   * @param seconds wall time of the worker's training loop
   * @param maxLead most steps the worker ran ahead of the slowest worker group it saw
   * @param phases where the worker's steps spent that time
   */
  public record WorkerStats(int worker, int group, long steps, long firstStep, long examples,
      double seconds, long maxLead, StepPhases phases) implements Serializable {

    public double stepsPerSecond() {
      return seconds > 0 ? steps / seconds : 0;
    }
  }

  /**
   * Seconds a worker spent in each phase of its steps, summed over the steps. The rest of its
   * training loop's time went to connecting and the initial pull of the params.
   *
   * @param batchSeconds packing examples into mini-batches
   * @param pullSeconds pulling the rows a batch touches (row-sparse training only: in dense
   *     training the answer to a push carries the next step's params)
   * @param computeSeconds the model's gradient, scaled to a sum over the batch
   * @param pushSeconds sending the gradients and waiting for the answer: the servers' update
   *     and, in a synchronous group, the wait for the group's slowest worker
   */
  public record StepPhases(double batchSeconds, double pullSeconds, double computeSeconds,
      double pushSeconds) implements Serializable {}

  /** Examples processed per second of training. */
  public double examplesPerSecond() {
    return trainSeconds > 0 ? examples / trainSeconds : 0;
  }

  /** Loss of the last epoch. */
  public double finalLoss() {
    return epochLoss.length == 0 ? Double.NaN : epochLoss[epochLoss.length - 1];
  }
}
