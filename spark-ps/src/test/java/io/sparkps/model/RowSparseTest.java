package io.sparkps.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RowSparseTest {
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

      RowSparse.Compacted c = RowSparse.compact(batch);

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

  @Test
  void compactOfAnEmptyBatchHasNoFeatures() {
    Batch empty = new Batch(10, new int[] {0}, new int[0], new float[0], new float[0]);
    RowSparse.Compacted c = RowSparse.compact(empty);
    assertEquals(0, c.features().length);
    assertEquals(0, c.batch().size());
  }

  @Test
  void byFeatureIsTrueForParamsWithOneRowPerFeature() {
    assertArrayEquals(new boolean[] {true, false},
        RowSparse.byFeature(new BinaryLogisticRegression(), 123));
    // A bias of 1 row is not by feature even with 1 feature.
    assertArrayEquals(new boolean[] {true, false},
        RowSparse.byFeature(new BinaryLogisticRegression(), 1));
    // The MLP's first layer is by feature, the layers after it are not.
    assertArrayEquals(new boolean[] {true, false, false, false},
        RowSparse.byFeature(new MlpClassifier(new int[] {8}, 3), 20));
  }
}
