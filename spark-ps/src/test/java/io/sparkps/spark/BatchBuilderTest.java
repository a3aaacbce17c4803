package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.model.Batch;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchBuilderTest {
  @Test
  void compactRenumbersOverTheSortedDistinctFeatures() {
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 200; trial++) {
      int rows = 1 + random.nextInt(40);
      int width = 1 + random.nextInt(trial % 2 == 0 ? 50 : 10_000_000);
      int[] rowStart = new int[rows + 1];
      for (int r = 0; r < rows; r++) {
        rowStart[r + 1] = rowStart[r] + random.nextInt(30);
      }
      int nnz = rowStart[rows];
      int[] indices = new int[nnz];
      float[] values = new float[nnz];
      for (int i = 0; i < nnz; i++) {
        indices[i] = random.nextInt(width);
        values[i] = i;
      }
      Batch batch = new Batch(width, rowStart, indices, values, new float[rows]);

      BatchBuilder.Compacted c = BatchBuilder.compact(batch);

      int[] expected = Arrays.stream(indices).distinct().sorted().toArray();
      assertArrayEquals(expected, c.features());
      assertEquals(expected.length, c.batch().numFeatures());
      for (int i = 0; i < nnz; i++) {
        assertEquals(indices[i], c.features()[c.batch().indices()[i]], "non-zero " + i);
      }
      assertArrayEquals(rowStart, c.batch().rowStart());
      assertArrayEquals(values, c.batch().values());
    }
  }
}
