package io.sparkps.spark;

import java.io.Serializable;

/**
 * Counts of one input partition, gathered before training to plan steps and check labels.
 *
 * @param nonIntegerLabels labels with a fractional part
 * @param nonFiniteLabels NaN or infinite labels
 * @param numFeatures largest feature vector size seen
 */
record PartitionStats(int partition, long count, double minLabel, double maxLabel,
    long nonIntegerLabels, long nonFiniteLabels, int numFeatures) implements Serializable {}
