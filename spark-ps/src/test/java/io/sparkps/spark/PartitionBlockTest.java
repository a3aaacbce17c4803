package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.model.Batch;
import io.sparkps.model.EpochOrder;
import io.sparkps.model.ExampleBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A worker's batches from its partition's block are those it packed from a list of examples
 * before the block: the same shuffles with the same Random, the same wrap-around, the same
 * empty batches of an empty partition.
 */
class PartitionBlockTest {
  @Test
  void batchesEqualThoseOfTheListOfExamples() {
    SplittableRandom random = new SplittableRandom(11);
    int[] sizes = {0, 1, 3, 63, 64, 65, 200, 1000};
    for (int n : sizes) {
      for (boolean shuffle : new boolean[] {true, false}) {
        int numFeatures = 1 + random.nextInt(500);
        List<LabeledExample> data = new ArrayList<>();
        for (int e = 0; e < n; e++) {
          data.add(example(random, numFeatures));
        }
        ExampleBlock block = LabeledExample.block(
            CollectionConverters.asScala(data.iterator()), numFeatures);
        int batchSize = 1 + random.nextInt(100);
        // As many steps as a larger partition of the stage would take.
        int steps = Math.max(1, (n + 2 * batchSize) / batchSize);
        long seed = random.nextLong();

        EpochOrder order = new EpochOrder(n, new Random(seed));
        int[] oldOrder = new int[Math.max(n, 1)];
        for (int i = 0; i < n; i++) {
          oldOrder[i] = i;
        }
        Random oldRandom = new Random(seed);
        for (int epoch = 0; epoch < 3; epoch++) {
          if (shuffle) {
            order.shuffle();
            oldShuffle(oldOrder, n, oldRandom);
          }
          for (int s = 0; s < steps; s++) {
            String where = "n=" + n + " shuffle=" + shuffle + " epoch " + epoch + " step " + s;
            Batch expected = oldBuild(data, oldOrder,
                (int) ((long) s * batchSize % oldOrder.length), n == 0 ? 0 : batchSize,
                numFeatures);
            assertSame(expected, order.batch(block, s, batchSize), where);
          }
        }
      }
    }
  }

  private static LabeledExample example(SplittableRandom random, int numFeatures) {
    int[] idx = random.ints(random.nextInt(Math.min(numFeatures, 30) + 1), 0, numFeatures)
        .distinct().sorted().toArray();
    float[] vals = new float[idx.length];
    for (int i = 0; i < vals.length; i++) {
      vals[i] = (float) random.nextGaussian();
    }
    return new LabeledExample(random.nextInt(2), numFeatures, idx, vals);
  }

  private static void assertSame(Batch expected, Batch actual, String where) {
    assertEquals(expected.numFeatures(), actual.numFeatures(), where);
    assertArrayEquals(expected.rowStart(), actual.rowStart(), where);
    assertArrayEquals(expected.indices(), actual.indices(), where);
    assertArrayEquals(expected.values(), actual.values(), where);
    assertArrayEquals(expected.labels(), actual.labels(), where);
  }

  /** The workers' shuffle before the block. */
  private static void oldShuffle(int[] order, int n, Random random) {
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  /** The workers' batches before the block: packed from a list of examples. */
  private static Batch oldBuild(List<LabeledExample> data, int[] order, int from, int count,
      int numFeatures) {
    int nnz = 0;
    for (int i = 0; i < count; i++) {
      nnz += data.get(order[(from + i) % order.length]).indices().length;
    }
    int[] rowStart = new int[count + 1];
    int[] indices = new int[nnz];
    float[] values = new float[nnz];
    float[] labels = new float[count];
    int at = 0;
    for (int i = 0; i < count; i++) {
      LabeledExample e = data.get(order[(from + i) % order.length]);
      System.arraycopy(e.indices(), 0, indices, at, e.indices().length);
      System.arraycopy(e.values(), 0, values, at, e.values().length);
      at += e.indices().length;
      rowStart[i + 1] = at;
      labels[i] = e.label();
    }
    return new Batch(numFeatures, rowStart, indices, values, labels);
  }
}
