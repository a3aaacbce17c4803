package io.sparkps.server;

/**
 * What one slice copy has received and applied. Shares applied travel with a backup copy, so
 * that they count every step once across a failover. Not thread safe: used under its slice's
 * lock.
 */
final class SliceCounters {
  /**
   * The counters at one moment.
   *
   * @param updatesReceived UPDATE and UPDATE_ROWS messages
   * @param sharesReceived worker gradients they carried
   * @param bytesReceived their payload bytes
   * @param duplicatesDropped shares of steps already applied or already counted
   * @param sharesApplied worker gradients in the steps applied
   * @param syncsSent syncs sent to the master copy
   * @param maxSyncsInFlight most syncs in flight at once
   */
  record Snapshot(long updatesReceived, long sharesReceived, long bytesReceived,
      long duplicatesDropped, long sharesApplied, long syncsSent, long maxSyncsInFlight) {}

  private long updatesReceived;
  private long sharesReceived;
  private long bytesReceived;
  private long duplicatesDropped;
  private long sharesApplied;

  void received(int shares, int payloadBytes) {
    updatesReceived++;
    sharesReceived += shares;
    bytesReceived += payloadBytes;
  }

  void duplicate() {
    duplicatesDropped++;
  }

  void applied(int shares) {
    sharesApplied += shares;
  }

  /** A backup copy starts from its primary's count. */
  void installed(long applied) {
    sharesApplied = applied;
  }

  long sharesApplied() {
    return sharesApplied;
  }

  Snapshot snapshot(long syncsSent, long maxSyncsInFlight) {
    return new Snapshot(updatesReceived, sharesReceived, bytesReceived, duplicatesDropped,
        sharesApplied, syncsSent, maxSyncsInFlight);
  }
}
