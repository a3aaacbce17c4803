package io.sparkps.cluster;

import java.util.List;

/**
 * One lost server, as the coordinator handled it.
 *
 * @param serverId the server's id
 * @param what the server: id, address and process id
 * @param reason why it was taken for lost ("exited with status 137 ...", "sent no heartbeat
 *     for 3012 ms ...")
 * @param detectedNanos when the coordinator found it lost ({@link System#nanoTime()} of the
 *     driver)
 * @param takenOverNanos when the backups of its slices had taken over, or -1 if that did not
 *     complete
 * @param promoted the slice copies whose backups became their primaries
 * @param lost the slice copies that had no other copy
 */
public record ServerFailure(int serverId, String what, String reason, long detectedNanos,
    long takenOverNanos, List<String> promoted, List<String> lost) {

  public ServerFailure {
    promoted = List.copyOf(promoted);
    lost = List.copyOf(lost);
  }

  /** From finding the server lost to its backups serving, in ms; -1 if they did not. */
  public double takeOverMillis() {
    return takenOverNanos < 0 ? -1 : (takenOverNanos - detectedNanos) / 1e6;
  }
}
