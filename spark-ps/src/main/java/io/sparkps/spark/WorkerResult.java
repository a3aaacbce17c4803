package io.sparkps.spark;

import java.io.Serializable;

/**
 * What one worker reports when its training task ends.
 *
 * @param worker worker id (the partition index)
 * @param group its worker group
 * @param steps steps it ran (pushed)
 * @param firstStep the step it started at: 0, or where its group stood when it ran again
 * @param examples examples it computed gradients on
 * @param epochLoss mean training loss of each epoch, as seen by this worker
 * @param stepLoss mean loss of this worker's mini-batch at each step
 * @param stepSeconds seconds from the start of the training loop to the end of each step
 * @param seconds wall time of the task's training loop
 * @param maxLead most steps this worker ran ahead of the slowest group it saw
 * @param phases where the steps spent their time
 * @param params final params gathered by this worker (co-located servers: worker 0), or null
 * @param copyDivergence largest difference between a server group's copy and the master copy
 *     after the final sync, when this worker gathered the params; NaN otherwise
 * @param serverCounters UPDATE messages, shares and bytes the servers received, when this
 *     worker gathered the params; null otherwise
 */
record WorkerResult(int worker, int group, long steps, long firstStep, long examples, double[] epochLoss,
    double[] stepLoss, double[] stepSeconds, double seconds, long maxLead,
    TrainingSummary.StepPhases phases, io.sparkps.client.ParamValues params,
    double copyDivergence, long[] serverCounters) implements Serializable {

  WorkerResult gathered(io.sparkps.client.ParamValues values, double divergence,
      long[] counters) {
    return new WorkerResult(worker, group, steps, firstStep, examples, epochLoss, stepLoss,
        stepSeconds, seconds, maxLead, phases, values, divergence, counters);
  }
}
