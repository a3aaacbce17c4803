package io.sparkps.model;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch's features as a dense row-major {@code rows x cols} float ND4J matrix, over either all
 * {@code numFeatures} features or only the distinct features the batch touches (see {@link
 * CompressedColumns}). Params indexed by feature (vectors, or matrices with one row per feature)
 * are gathered for the matrix's columns with {@link #gather} or {@link #gatherRows}, and gradients
 * scattered back with {@link #scatter} or {@link #scatterRows}, so models never see which layout
 * was chosen.
 */
final class DenseBatchMatrix {

  /** Largest float[] the JVM reliably allocates. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final int rows;
  private final int cols;
  /** Global feature of each local column, or null when local column == feature. */
  private final int[] columns;
  /** Null when {@code cols == 0}: ND4J cannot multiply by an empty matrix. */
  private final INDArray matrix;

  private DenseBatchMatrix(int rows, int cols, int[] columns, INDArray matrix) {
    this.rows = rows;
    this.cols = cols;
    this.columns = columns;
    this.matrix = matrix;
  }

  /** Builds the matrix of {@code batch}, compressing its columns when the batch is sparse. */
  static DenseBatchMatrix of(Batch batch) {
    int[] columns = CompressedColumns.select(batch);
    int cols = columns == null ? batch.numFeatures() : columns.length;
    int rows = batch.size();
    if (cols == 0 || rows == 0) {
      return new DenseBatchMatrix(rows, cols, columns, null);
    }
    long cells = (long) rows * cols;
    if (cells > MAX_ARRAY) {
      throw new IllegalArgumentException(
          "a batch of " + rows + " rows over " + cols + " feature columns needs " + cells
              + " floats, more than one array holds (" + MAX_ARRAY + "): use smaller batches");
    }
    // Fill a plain float[] and hand it to ND4J once; per-element putScalar calls cross JNI.
    float[] data = new float[(int) cells];
    int[] rowStart = batch.rowStart();
    int[] indices = batch.indices();
    float[] values = batch.values();
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
        int c = columns == null ? indices[p] : Arrays.binarySearch(columns, indices[p]);
        // += so that a repeated index means the sum, as in other CSR libraries.
        data[base + c] += values[p];
      }
    }
    INDArray matrix = Nd4j.create(data, new long[] {rows, cols}, 'c');
    return new DenseBatchMatrix(rows, cols, columns, matrix);
  }

  int rows() {
    return rows;
  }

  int cols() {
    return cols;
  }

  /** Whether only the batch's distinct features became columns. */
  boolean compressed() {
    return columns != null;
  }

  /** The {@code rows x cols} matrix; null when there are no rows or no columns. */
  INDArray matrix() {
    return matrix;
  }

  /** The entries of a per-feature param for this matrix's columns, as a {@code cols x 1} vector. */
  INDArray gather(float[] perFeature) {
    return gatherRows(perFeature, 1);
  }

  /**
   * The rows of a feature-major param ({@code numFeatures x width}, row-major: one row of {@code
   * width} values per feature) for this matrix's columns, as a {@code cols x width} matrix, so
   * that {@code matrix().mmul(gatherRows(param, width))} multiplies by the whole param.
   */
  INDArray gatherRows(float[] perFeature, int width) {
    float[] local;
    if (columns == null) {
      local = perFeature;
    } else {
      local = new float[cols * width];
      for (int c = 0; c < cols; c++) {
        System.arraycopy(perFeature, columns[c] * width, local, c * width, width);
      }
    }
    return Nd4j.create(local, new long[] {cols, width}, 'c');
  }

  /**
   * Writes a per-column result into a per-feature array, overwriting all of it: features outside
   * the batch get exactly 0.
   */
  void scatter(float[] perColumn, float[] perFeature) {
    scatterRows(perColumn, perFeature, 1);
  }

  /**
   * Writes a {@code cols x width} row-major result into a {@code numFeatures x width} row-major
   * array, the inverse of {@link #gatherRows}, overwriting all of it: the rows of features outside
   * the batch get exactly 0.
   */
  void scatterRows(float[] perColumn, float[] perFeature, int width) {
    if (columns == null) {
      System.arraycopy(perColumn, 0, perFeature, 0, cols * width);
      return;
    }
    Arrays.fill(perFeature, 0f);
    for (int c = 0; c < cols; c++) {
      System.arraycopy(perColumn, c * width, perFeature, columns[c] * width, width);
    }
  }
}
