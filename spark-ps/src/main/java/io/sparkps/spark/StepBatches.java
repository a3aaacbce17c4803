package io.sparkps.spark;

import io.sparkps.model.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The mini-batch of each step of one worker, also of steps ahead (a worker that does not wait
 * prepares coming batches): step {@code epoch * stepsPerEpoch + s} packs the examples from
 * position {@code s * batchSize} of the epoch's order, wrapping around the partition. Each
 * epoch's order is the one before it shuffled once more with the worker's {@link Random},
 * epoch 0's the partition's own order shuffled once; without shuffling every epoch keeps the
 * partition's order. Orders are made in epoch order as steps ask for them and forgotten once
 * the worker's current step is past them.
 */
final class StepBatches {
  private final List<LabeledExample> data;
  private final int batchSize;
  private final int stepsPerEpoch;
  private final boolean shuffle;
  private final Random random;
  private final int numFeatures;
  /** The orders of epochs {@code firstEpoch}, {@code firstEpoch + 1}, ... made so far. */
  private final List<int[]> orders = new ArrayList<>();
  private int firstEpoch;

  StepBatches(List<LabeledExample> data, int batchSize, int stepsPerEpoch, boolean shuffle,
      Random random, int numFeatures) {
    this.data = data;
    this.batchSize = batchSize;
    this.stepsPerEpoch = stepsPerEpoch;
    this.shuffle = shuffle;
    this.random = random;
    this.numFeatures = numFeatures;
    int n = data.size();
    int[] order = new int[Math.max(n, 1)];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      shuffle(order, n, random);
    }
    orders.add(order);
  }

  /** Examples in each step's batch: none for an empty partition, which still takes part. */
  int examples() {
    return data.isEmpty() ? 0 : batchSize;
  }

  /** The batch of the worker's current step; orders of earlier epochs are forgotten. */
  Batch current(long step) {
    int epoch = (int) (step / stepsPerEpoch);
    while (firstEpoch < epoch) {
      if (orders.size() == 1) {
        orders.add(next(orders.get(0)));
      }
      orders.remove(0);
      firstEpoch++;
    }
    return at(step);
  }

  /** The batch of step {@code step}, at or after the current one. */
  Batch at(long step) {
    int epoch = (int) (step / stepsPerEpoch);
    if (epoch < firstEpoch) {
      throw new IllegalArgumentException("step " + step + " is in epoch " + epoch
          + ", before the current epoch " + firstEpoch);
    }
    while (firstEpoch + orders.size() <= epoch) {
      orders.add(next(orders.get(orders.size() - 1)));
    }
    int[] order = orders.get(epoch - firstEpoch);
    int s = (int) (step % stepsPerEpoch);
    return BatchBuilder.build(data, order, (int) ((long) s * batchSize % order.length),
        examples(), numFeatures);
  }

  private int[] next(int[] order) {
    int[] out = order.clone();
    if (shuffle) {
      shuffle(out, data.size(), random);
    }
    return out;
  }

  private static void shuffle(int[] order, int n, Random random) {
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
}
