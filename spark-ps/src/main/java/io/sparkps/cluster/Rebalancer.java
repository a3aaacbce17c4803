package io.sparkps.cluster;

import io.sparkps.cluster.SliceDirectory.Copy;
import io.sparkps.cluster.SliceDirectory.Placement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Plans how slice copies move when servers join or leave: one move at a time, from the map as it
 * stands, so that a plan never acts on a map a failover has changed meanwhile. In order:
 *
 * <ol>
 *   <li>every copy on a leaving server goes to the serving server with the fewest bytes that
 *       does not hold that slice yet (a backup with nowhere to go is dropped; a primary with
 *       nowhere to go hands over to one of its backups);
 *   <li>primaries even out, so that requests spread over every server: a primary goes from a
 *       server serving more bytes as primary to one serving fewer, by handing over to a backup
 *       there when it has one (no copy), else by moving the copy;
 *   <li>backups even out the bytes each server holds.
 * </ol>
 *
 * Each step takes the move that narrows the spread most (the sum of squared loads falls by
 * twice the copy's size times what is left of the gap once it moved): only a copy smaller than
 * the gap between its two servers moves, so the plan ends, with no copy left that could narrow
 * a gap. Pinned copies (that
 * other server groups sync with) never move. Pure: no I/O, not thread bound.
 */
final class Rebalancer {
  /**
   * Moves {@code copy}'s role ({@code primary} or a backup) from server {@code from} to {@code
   * to}, -1 when it is only dropped. A primary moving to one of its backups hands over (no
   * copy); {@code keepFrom}: the old primary stays a backup.
   */
  record Move(Copy copy, int from, int to, boolean primary, boolean keepFrom, long floats,
      String reason) {}

  private Rebalancer() {}

  /** The next move, or null when the map is as even as moves of whole slices make it. */
  static Move next(Map<Copy, Placement> copies, Set<Integer> serving, Set<Integer> leaving) {
    Move off = offLeaving(copies, serving, leaving);
    if (off != null) {
      return off;
    }
    Move primary = evenPrimaries(copies, serving);
    return primary != null ? primary : evenBackups(copies, serving);
  }

  /** Bytes each serving server holds, as primary and backup ({@code primaries}: primary only). */
  static Map<Integer, Long> load(Map<Copy, Placement> copies, Set<Integer> servers,
      boolean primariesOnly) {
    Map<Integer, Long> load = new HashMap<>();
    servers.forEach(s -> load.put(s, 0L));
    for (Placement p : copies.values()) {
      if (p.lost()) {
        continue;
      }
      load.computeIfPresent(p.primary(), (k, v) -> v + p.floats());
      if (!primariesOnly) {
        p.backups().forEach(b -> load.computeIfPresent(b, (k, v) -> v + p.floats()));
      }
    }
    return load;
  }

  private static Move offLeaving(Map<Copy, Placement> copies, Set<Integer> serving,
      Set<Integer> leaving) {
    Map<Integer, Long> load = load(copies, serving, false);
    for (Map.Entry<Copy, Placement> e : copies.entrySet()) {
      Placement p = e.getValue();
      for (int l : leaving) {
        if (p.lost() || !p.holds(l)) {
          continue;
        }
        Integer to = serving.stream().filter(s -> !p.holds(s))
            .min(Comparator.<Integer>comparingLong(load::get).thenComparingInt(s -> s))
            .orElse(null);
        boolean primary = p.primary() == l;
        if (to != null) {
          return new Move(e.getKey(), l, to, primary, false, p.floats(), "leave");
        }
        if (!primary) {
          return new Move(e.getKey(), l, -1, false, false, p.floats(), "leave");
        }
        Integer backup = p.backups().stream().filter(serving::contains).findFirst()
            .orElse(null);
        if (backup != null) {
          return new Move(e.getKey(), l, backup, true, false, p.floats(), "leave");
        }
      }
    }
    return null;
  }

  private static Move evenPrimaries(Map<Copy, Placement> copies, Set<Integer> serving) {
    Map<Integer, Long> load = load(copies, serving, true);
    Move best = null;
    long bestScore = 0;
    for (Map.Entry<Copy, Placement> e : copies.entrySet()) {
      Placement p = e.getValue();
      if (p.pinned() || p.lost() || !serving.contains(p.primary())) {
        continue;
      }
      for (int to : serving) {
        long gap = load.get(p.primary()) - load.get(to);
        long score = p.floats() * (gap - p.floats());
        boolean swap = p.backups().contains(to);
        if (score > bestScore || (score == bestScore && best != null && swap
            && !best.keepFrom())) {
          best = new Move(e.getKey(), p.primary(), to, true, swap, p.floats(), "balance");
          bestScore = score;
        }
      }
    }
    return best;
  }

  private static Move evenBackups(Map<Copy, Placement> copies, Set<Integer> serving) {
    Map<Integer, Long> load = load(copies, serving, false);
    Move best = null;
    long bestScore = 0;
    for (Map.Entry<Copy, Placement> e : copies.entrySet()) {
      Placement p = e.getValue();
      if (p.pinned() || p.lost()) {
        continue;
      }
      for (int from : p.backups()) {
        if (!serving.contains(from)) {
          continue;
        }
        for (int to : serving) {
          long score = p.floats() * (load.get(from) - load.get(to) - p.floats());
          if (!p.holds(to) && score > bestScore) {
            best = new Move(e.getKey(), from, to, false, false, p.floats(), "balance");
            bestScore = score;
          }
        }
      }
    }
    return best;
  }

}
