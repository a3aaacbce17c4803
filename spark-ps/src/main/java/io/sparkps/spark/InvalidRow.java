package io.sparkps.spark;

import java.io.Serializable;

/**
 * A row of the training data with a NaN or infinite value, as the statistics pass before
 * training finds it (the first one of its partition).
 *
 * @param partition the partition of the training data the row is in
 * @param row the row's position in its partition, from 0
 * @param feature the index of the feature holding the value, or -1 when it is the label
 * @param value the value as training would hold it (a 32-bit float)
 */
record InvalidRow(int partition, long row, int feature, float value) implements Serializable {

  /**
   * The first non-finite value of {@code e}: its label, else its first such feature; null
   * when every value is finite.
   */
  static InvalidRow find(LabeledExample e, int partition, long row) {
    if (!Float.isFinite(e.label())) {
      return new InvalidRow(partition, row, -1, e.label());
    }
    float[] values = e.values();
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        return new InvalidRow(partition, row, e.indices()[i], values[i]);
      }
    }
    return null;
  }

  /** Whether the label and every feature value of {@code e} are finite. */
  static boolean finite(LabeledExample e) {
    return find(e, 0, 0) == null;
  }

  boolean inLabel() {
    return feature < 0;
  }

  /**
   * Where the row is and what is wrong with it, e.g. {@code "row 17 of partition 1 of the
   * dataset has the value NaN at feature 3"}.
   *
   * @param repartitioned whether the dataset was repartitioned into {@code parts} partitions
   *     for the workers (then the partition is one of those, not of the dataset)
   */
  String describe(boolean repartitioned, int parts) {
    String where = "row " + row + " of partition " + partition + (repartitioned
        ? " (of the dataset as repartitioned into " + parts + " parts, one per worker)"
        : " of the dataset");
    return where + (inLabel() ? " has the label " + value
        : " has the value " + value + " at feature " + feature);
  }
}
