package io.sparkps.cluster;

/**
 * One slice copy the cluster moved while it ran, because a server joined or is leaving, or to
 * even out the bytes servers hold.
 *
 * @param slice the copy ("param 3 slice 1")
 * @param from the server that held it
 * @param to the server that holds it now; -1 when a backup was only dropped
 * @param primary whether the primary moved (then clients switched to {@code to}) or a backup
 * @param bytes the values moved, in bytes; 0 when {@code to} held a backup already (a hand-over)
 * @param copyMillis copying the slice to {@code to} while its primary kept serving
 * @param switchMillis for a primary: from the old primary's last answer to the new map
 *     published, the time the slice was not served; 0 for a backup
 * @param reason "join", "leave" or "balance"
 * @param atNanos when the move ended ({@link System#nanoTime()} of the driver)
 */
public record SliceMove(String slice, int from, int to, boolean primary, long bytes,
    double copyMillis, double switchMillis, String reason, long atNanos) {

  /** Copy rate in MB/s (10^6 bytes); 0 when nothing was copied. */
  public double copyMBps() {
    return bytes == 0 || copyMillis <= 0 ? 0 : bytes / 1e3 / copyMillis;
  }

  @Override
  public String toString() {
    return slice + " " + (primary ? "primary" : "backup") + " " + from + " -> "
        + (to < 0 ? "dropped" : to) + " (" + reason + ", " + bytes + " bytes, copy "
        + String.format(java.util.Locale.ROOT, "%.1f", copyMillis) + " ms"
        + (primary ? String.format(java.util.Locale.ROOT, ", switch %.1f ms", switchMillis) : "")
        + ")";
  }
}
