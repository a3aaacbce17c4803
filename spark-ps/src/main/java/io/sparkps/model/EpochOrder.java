package io.sparkps.model;

import java.util.Random;

/**
 * The order a worker visits its examples in, epoch after epoch, and the mini-batches of an
 * epoch: batch {@code k} is the {@code batchSize} examples from place {@code k * batchSize}
 * (modulo the number of examples) on, wrapping around to the first ones, so that a small
 * partition takes part in as many steps as a large one.
 *
 * <pre>{@code
 * EpochOrder order = new EpochOrder(block.size(), new Random(seed));
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *   order.shuffle();
 *   for (int k = 0; k < stepsPerEpoch; k++) {
 *     Batch batch = order.batch(block, k, 64);
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread safe.
 */
public final class EpochOrder {
  private final int size;
  private final int[] order;
  private final Random random;

  /**
   * The examples {@code 0 .. size - 1} in order, to be shuffled with {@code random}.
   *
   * @throws IllegalArgumentException if size is negative
   */
  public EpochOrder(int size, Random random) {
    if (size < 0) {
      throw new IllegalArgumentException("size=" + size + " must be >= 0");
    }
    this.size = size;
    this.order = new int[Math.max(size, 1)];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    this.random = random;
  }

  /**
   * A copy of the current order that shuffles with the same Random: the order of the next epoch
   * once shuffled, while this one still serves the current epoch's batches.
   */
  public EpochOrder copy() {
    EpochOrder out = new EpochOrder(size, random);
    System.arraycopy(order, 0, out.order, 0, order.length);
    return out;
  }

  /** Shuffles the current order (Fisher-Yates, from the last place down, with the Random). */
  public void shuffle() {
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  /** The example at {@code place} of the current order. */
  public int example(int place) {
    if (place < 0 || place >= size) {
      throw new IndexOutOfBoundsException("place " + place + " of " + size);
    }
    return order[place];
  }

  /**
   * Batch {@code k} of the current order: {@code batchSize} examples of {@code block}, or
   * none when there are no examples.
   *
   * @param block the examples, as many as this order has
   */
  public Batch batch(ExampleBlock block, int k, int batchSize) {
    if (block.size() != size) {
      throw new IllegalArgumentException("a block of " + block.size()
          + " examples in an order of " + size);
    }
    return block.pack(order, (int) ((long) k * batchSize % order.length),
        size == 0 ? 0 : batchSize);
  }
}
