package io.sparkps.spark;

import io.sparkps.model.Batch;
import io.sparkps.model.EpochOrder;
import io.sparkps.model.ExampleBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The mini-batch of each step of one worker, also of steps ahead (a worker that does not wait
 * prepares coming batches): step {@code epoch * stepsPerEpoch + k} is batch {@code k} of the
 * epoch's {@link EpochOrder}. Each epoch's order is the one before it shuffled once more with
 * the worker's {@link Random}, epoch 0's the partition's own order shuffled once; without
 * shuffling every epoch keeps the partition's order. Orders are made in epoch order as steps
 * ask for them and forgotten once the worker's current step is past them.
 */
final class StepBatches {
  private final ExampleBlock data;
  private final int batchSize;
  private final int stepsPerEpoch;
  private final boolean shuffle;
  /** The orders of epochs {@code firstEpoch}, {@code firstEpoch + 1}, ... made so far. */
  private final List<EpochOrder> orders = new ArrayList<>();
  private int firstEpoch;

  StepBatches(ExampleBlock data, int batchSize, int stepsPerEpoch, boolean shuffle,
      Random random) {
    this.data = data;
    this.batchSize = batchSize;
    this.stepsPerEpoch = stepsPerEpoch;
    this.shuffle = shuffle;
    EpochOrder first = new EpochOrder(data.size(), random);
    if (shuffle) {
      first.shuffle();
    }
    orders.add(first);
  }

  /** Examples in each step's batch: none for an empty partition, which still takes part. */
  int examples() {
    return data.size() == 0 ? 0 : batchSize;
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
    return orders.get(epoch - firstEpoch).batch(data, (int) (step % stepsPerEpoch), batchSize);
  }

  private EpochOrder next(EpochOrder order) {
    EpochOrder out = order.copy();
    if (shuffle) {
      out.shuffle();
    }
    return out;
  }
}
