package io.sparkps.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DenseBatchMatrixTest {

  @Test
  void fewStoredValuesSelectTheSortedDistinctFeatures() {
    Batch batch =
        TestBatches.sparse(
            100, new int[][] {{7, 42}, {3, 42}}, new float[][] {{1, 2}, {3, 4}}, new float[2]);
    assertArrayEquals(new int[] {3, 7, 42}, CompressedColumns.select(batch));
  }

  @Test
  void manyStoredValuesOverFewFeaturesStillCompress() {
    // 100 stored values over numFeatures = 100 takes the bitmap branch; only 2 distinct features.
    int[][] indices = new int[50][];
    float[][] values = new float[50][];
    Arrays.fill(indices, new int[] {1, 90});
    Arrays.fill(values, new float[] {1, 1});
    Batch batch = TestBatches.sparse(100, indices, values, new float[50]);
    assertArrayEquals(new int[] {1, 90}, CompressedColumns.select(batch));
  }

  @Test
  void aQuarterOfTheFeaturesOrMoreStaysDense() {
    Batch quarter =
        TestBatches.sparse(8, new int[][] {{0, 5}}, new float[][] {{1, 1}}, new float[1]);
    assertNull(CompressedColumns.select(quarter));
    Batch fewer = TestBatches.sparse(9, new int[][] {{0, 5}}, new float[][] {{1, 1}}, new float[1]);
    assertArrayEquals(new int[] {0, 5}, CompressedColumns.select(fewer));
  }

  @Test
  void compressedMatrixHoldsValuesInLocalColumnsAndScattersBack() {
    Batch batch =
        TestBatches.sparse(
            100, new int[][] {{7, 42}, {3}}, new float[][] {{1, 2}, {3}}, new float[2]);
    DenseBatchMatrix x = DenseBatchMatrix.of(batch);
    assertTrue(x.compressed());
    assertEquals(DataType.FLOAT, x.matrix().dataType());
    // Local columns are features 3, 7, 42.
    assertArrayEquals(new float[] {0, 1, 2, 3, 0, 0}, x.matrix().dup('c').data().asFloat());

    float[] perFeature = new float[100];
    perFeature[42] = 5;
    assertArrayEquals(new float[] {0, 0, 5}, x.gather(perFeature).toFloatVector());

    float[] gradient = new float[100];
    Arrays.fill(gradient, Float.NaN);
    x.scatter(new float[] {-1, -2, -3}, gradient);
    float[] expected = new float[100];
    expected[3] = -1;
    expected[7] = -2;
    expected[42] = -3;
    assertArrayEquals(expected, gradient);
  }

  @Test
  void denseMatrixUsesFeatureIndicesAsColumnsAndSumsRepeats() {
    Batch batch =
        TestBatches.sparse(3, new int[][] {{0, 2, 2}}, new float[][] {{1, 2, 3}}, new float[1]);
    DenseBatchMatrix x = DenseBatchMatrix.of(batch);
    assertFalse(x.compressed());
    assertArrayEquals(new float[] {1, 0, 5}, x.matrix().toFloatVector());
  }

  @Test
  void wholeRowsOfAFeatureMajorMatrixAreGatheredAndScatteredBack() {
    Batch batch =
        TestBatches.sparse(100, new int[][] {{42, 7}}, new float[][] {{1, 2}}, new float[1]);
    DenseBatchMatrix x = DenseBatchMatrix.of(batch);
    assertTrue(x.compressed());
    // A 100 x 3 param whose row f is (f, f + 0.25, f + 0.5).
    float[] param = new float[300];
    for (int f = 0; f < 100; f++) {
      param[3 * f] = f;
      param[3 * f + 1] = f + 0.25f;
      param[3 * f + 2] = f + 0.5f;
    }
    INDArray rows = x.gatherRows(param, 3);
    assertArrayEquals(new long[] {2, 3}, rows.shape());
    assertArrayEquals(
        new float[] {7, 7.25f, 7.5f, 42, 42.25f, 42.5f}, rows.dup('c').data().asFloat());

    float[] gradient = new float[300];
    Arrays.fill(gradient, Float.NaN);
    x.scatterRows(new float[] {1, 2, 3, 4, 5, 6}, gradient, 3);
    float[] expected = new float[300];
    System.arraycopy(new float[] {1, 2, 3}, 0, expected, 21, 3);
    System.arraycopy(new float[] {4, 5, 6}, 0, expected, 126, 3);
    assertArrayEquals(expected, gradient);
  }

  @Test
  void uncompressedRowsAreTheWholeParam() {
    Batch batch = TestBatches.dense(new float[][] {{1, 2}}, new float[1]);
    DenseBatchMatrix x = DenseBatchMatrix.of(batch);
    assertFalse(x.compressed());
    float[] param = {1, 2, 3, 4};
    assertArrayEquals(new float[] {1, 2, 3, 4}, x.gatherRows(param, 2).dup('c').data().asFloat());
    float[] gradient = new float[4];
    x.scatterRows(new float[] {5, 6, 7, 8}, gradient, 2);
    assertArrayEquals(new float[] {5, 6, 7, 8}, gradient);
  }
}
