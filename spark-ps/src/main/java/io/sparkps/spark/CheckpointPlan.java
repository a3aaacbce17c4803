package io.sparkps.spark;

import io.sparkps.config.CheckpointInterval;
import java.io.Serializable;

/**
 * The checkpoints of one fit, shipped with its tasks to worker 0, which triggers and commits
 * them.
 *
 * @param dir the checkpoint directory (a Hadoop path or URI)
 * @param fitId names this fit's checkpoint directories, so that no two fits write to one
 * @param identity the model's identity, written into every manifest
 * @param hadoopConf the driver's Hadoop configuration ({@code Configuration.write}'s bytes)
 */
record CheckpointPlan(String dir, CheckpointInterval interval, String fitId,
    CheckpointManifest identity, byte[] hadoopConf) implements Serializable {}
