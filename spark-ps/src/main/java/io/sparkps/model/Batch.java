package io.sparkps.model;

/**
 * A mini-batch of labelled examples in compressed sparse row form.
 *
 * <p>Row {@code r} has the non-zero features {@code indices[rowStart[r] .. rowStart[r + 1])} with
 * the values at the same positions of {@code values}; indices within a row are ascending and
 * below {@link #numFeatures()}. Dense inputs are stored with every index present.
 */
public final class Batch {
  private final int numFeatures;
  private final int[] rowStart;
  private final int[] indices;
  private final float[] values;
  private final float[] labels;

  /**
   * @param numFeatures width of the feature space
   * @param rowStart {@code size + 1} offsets into {@code indices}/{@code values}
   * @param indices feature index of each stored value
   * @param values the stored values
   * @param labels one label per row
   */
  public Batch(int numFeatures, int[] rowStart, int[] indices, float[] values, float[] labels) {
    if (rowStart.length != labels.length + 1) {
      throw new IllegalArgumentException(
          "rowStart has " + rowStart.length + " entries, expected labels.length + 1 = "
              + (labels.length + 1));
    }
    if (indices.length != values.length || rowStart[labels.length] > indices.length) {
      throw new IllegalArgumentException(
          "indices (" + indices.length + ") and values (" + values.length
              + ") must have the same length, at least rowStart[size] = " + rowStart[labels.length]);
    }
    this.numFeatures = numFeatures;
    this.rowStart = rowStart;
    this.indices = indices;
    this.values = values;
    this.labels = labels;
  }

  public int size() {
    return labels.length;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public int[] rowStart() {
    return rowStart;
  }

  public int[] indices() {
    return indices;
  }

  public float[] values() {
    return values;
  }

  public float[] labels() {
    return labels;
  }
}
