package io.sparkps.spark;

import java.io.Serializable;

/**
 * What one worker reports when its training task ends.
 *
 * @param worker worker id (the partition index)
 * @param group its worker group
 * @param steps updates it pushed
 * @param examples examples it computed gradients on
 * @param epochLoss mean training loss of each epoch, as seen by this worker
 * @param seconds wall time of the task's training loop
 */
record WorkerResult(int worker, int group, long steps, long examples, double[] epochLoss,
    double seconds) implements Serializable {}
