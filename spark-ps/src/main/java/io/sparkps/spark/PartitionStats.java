package io.sparkps.spark;

import java.io.Serializable;
import java.util.Iterator;

/**
 * Counts of one input partition, gathered before training to plan steps and check the data.
 * Rows with a NaN or infinite value are counted apart and left out of the other figures; the
 * labels and widths cover training and held-out rows alike.
 *
 * @param count training rows whose values are all finite
 * @param heldOut held-out (validation) rows whose values are all finite
 * @param nonIntegerLabels labels with a fractional part
 * @param numFeatures largest feature vector size seen (over every row)
 * @param invalidRows rows with a NaN or infinite label or feature value
 * @param firstInvalid the first of those, or null
 */
record PartitionStats(int partition, long count, long heldOut, double minLabel, double maxLabel,
    long nonIntegerLabels, int numFeatures, long invalidRows, InvalidRow firstInvalid)
    implements Serializable {

  static PartitionStats of(int partition, Iterator<LabeledExample> rows) {
    long count = 0;
    long held = 0;
    long fractional = 0;
    long invalid = 0;
    InvalidRow first = null;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int width = 0;
    for (long row = 0; rows.hasNext(); row++) {
      LabeledExample e = rows.next();
      width = Math.max(width, e.size());
      InvalidRow bad = InvalidRow.find(e, partition, row);
      if (bad != null) {
        invalid++;
        first = first == null ? bad : first;
        continue;
      }
      if (e.heldOut()) {
        held++;
      } else {
        count++;
      }
      float y = e.label();
      min = Math.min(min, y);
      max = Math.max(max, y);
      if (y != Math.rint(y)) {
        fractional++;
      }
    }
    return new PartitionStats(partition, count, held, min, max, fractional, width, invalid, first);
  }
}
