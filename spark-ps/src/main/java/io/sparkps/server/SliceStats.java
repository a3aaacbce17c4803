package io.sparkps.server;

import java.io.Serializable;

/**
 * Counters of one slice on one server.
 *
 * @param version updates applied
 * @param updatesReceived gradient shares received
 * @param duplicatesDropped shares dropped as repeats of an already counted worker and step
 * @param syncsSent syncs sent to the master copy
 * @param maxSyncsInFlight most syncs that were in flight at once
 * @param bytes memory held by values and optimizer state
 * @param values the values now
 */
public record SliceStats(long version, long updatesReceived, long duplicatesDropped,
    long syncsSent, int maxSyncsInFlight, long bytes, float[] values) implements Serializable {}
