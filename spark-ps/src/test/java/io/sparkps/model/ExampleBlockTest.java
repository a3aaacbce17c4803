package io.sparkps.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExampleBlockTest {
  @Test
  void growsPastItsFirstCapacityKeepingEveryExample() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 10_000;
    int[][] indices = new int[n][];
    float[][] values = new float[n][];
    ExampleBlock.Builder b = ExampleBlock.builder(1000);
    for (int e = 0; e < n; e++) {
      // Now and then a row wider than everything before it, to grow the arrays by more than half.
      int k = e == 5000 ? 900 : random.nextInt(12);
      indices[e] = random.ints(k, 0, 1000).distinct().sorted().toArray();
      values[e] = new float[indices[e].length];
      for (int i = 0; i < values[e].length; i++) {
        values[e][i] = (float) random.nextDouble();
      }
      b.add(e % 3, indices[e], values[e]);
      assertEquals(e + 1, b.size());
    }
    ExampleBlock block = b.build();
    assertEquals(n, block.size());
    assertEquals(1000, block.numFeatures());
    long nnz = 0;
    for (int e = 0; e < n; e++) {
      assertArrayEquals(indices[e], block.indices(e), "example " + e);
      assertArrayEquals(values[e], block.values(e), "example " + e);
      assertEquals(e % 3, block.label(e));
      nnz += indices[e].length;
    }
    assertEquals(nnz, block.nonZeros());
    assertTrue(block.bytes() >= 8 * nnz + 8L * n, "bytes " + block.bytes());
  }

  @Test
  void packsTheGivenOrderWrappingAround() {
    ExampleBlock block = ExampleBlock.builder(5)
        .add(0f, new int[] {0, 4}, new float[] {1f, 2f})
        .add(1f, new int[] {}, new float[] {})
        .add(2f, new int[] {3}, new float[] {3f})
        .build();
    Batch b = block.pack(new int[] {2, 0, 1}, 1, 5);
    assertArrayEquals(new float[] {0f, 1f, 2f, 0f, 1f}, b.labels());
    assertArrayEquals(new int[] {0, 2, 2, 3, 5, 5}, b.rowStart());
    assertArrayEquals(new int[] {0, 4, 3, 0, 4}, b.indices());
    assertArrayEquals(new float[] {1f, 2f, 3f, 1f, 2f}, b.values());
    assertEquals(5, b.numFeatures());
  }

  @Test
  void anEmptyBlockGivesEmptyBatches() {
    ExampleBlock empty = ExampleBlock.builder(7).build();
    EpochOrder order = new EpochOrder(0, new Random(1));
    order.shuffle();
    Batch b = order.batch(empty, 3, 64);
    assertEquals(0, b.size());
    assertEquals(7, b.numFeatures());
    assertArrayEquals(new int[] {0}, b.rowStart());
  }

  @Test
  void refusesBadExamples() {
    ExampleBlock.Builder b = ExampleBlock.builder(4);
    assertThrows(IllegalArgumentException.class,
        () -> b.add(0f, new int[] {1, 4}, new float[] {1f, 1f}));
    assertThrows(IllegalArgumentException.class,
        () -> b.add(0f, new int[] {1}, new float[] {1f, 1f}));
    b.build();
    assertThrows(IllegalStateException.class, () -> b.add(0f, new int[] {}, new float[] {}));
  }
}
