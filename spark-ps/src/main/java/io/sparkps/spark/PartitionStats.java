package io.sparkps.spark;

import java.io.Serializable;

/** Counts of one input partition, gathered before training to plan steps and check labels. */
record PartitionStats(int partition, long count, double minLabel, double maxLabel,
    long nonIntegerLabels, int maxFeatures) implements Serializable {}
