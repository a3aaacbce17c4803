package io.sparkps.cluster;

import io.sparkps.transport.Routes;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The slice map: for every copy of every slice, its primary server, its backups and its size,
 * with a map epoch that grows with every change. Clients see it only as published {@link
 * Routes}, made once the servers have taken the roles a change gives them, so that a client
 * never holds a map that is ahead of the servers. Thread safe.
 */
final class SliceDirectory {
  /** A copy of a slice: its param, slice, and the server index the slicer gave it. */
  record Copy(int paramId, int sliceId, int slot) {
    @Override
    public String toString() {
      return "param " + paramId + " slice " + sliceId;
    }
  }

  /**
   * Where one copy lives now. A pinned copy is never moved to balance load: other copies of
   * its slice sync with it at its address (several server groups).
   */
  record Placement(int primary, List<Integer> backups, long floats, boolean pinned) {
    Placement {
      backups = List.copyOf(backups);
    }

    Placement(int primary, List<Integer> backups, long floats) {
      this(primary, backups, floats, false);
    }

    /** The same copy with {@code primary} and {@code backups}. */
    Placement with(int primary, List<Integer> backups) {
      return new Placement(primary, backups, floats, pinned);
    }

    boolean lost() {
      return primary < 0;
    }

    boolean holds(int server) {
      return primary == server || backups.contains(server);
    }
  }

  /** What the loss of one server changed. */
  record Change(long epoch, List<Copy> promoted, List<Copy> shrunk, List<Copy> lost) {}

  private final Map<Copy, Placement> copies = new LinkedHashMap<>();
  private long epoch;
  private String lost = "";
  private Routes published = emptyRoutes();

  private static Routes emptyRoutes() {
    return new Routes(0, -1, new int[0], new String[0], new int[0], new int[0], new int[0],
        new int[0], new int[0], "");
  }

  synchronized long nextEpoch() {
    return ++epoch;
  }

  synchronized void put(Copy copy, Placement placement) {
    copies.put(copy, placement);
  }

  synchronized Placement get(Copy copy) {
    return copies.get(copy);
  }

  /** Forgets every copy of the param. */
  synchronized void dropParam(int paramId) {
    copies.keySet().removeIf(c -> c.paramId() == paramId);
  }

  /**
   * Takes server {@code dead} out of the map in a new epoch: the first backup of each copy it
   * was primary of becomes the primary; a copy without a backup is lost; it leaves every
   * backup list.
   */
  synchronized Change remove(int dead) {
    List<Copy> promoted = new ArrayList<>();
    List<Copy> shrunk = new ArrayList<>();
    List<Copy> gone = new ArrayList<>();
    for (Map.Entry<Copy, Placement> e : copies.entrySet()) {
      Placement p = e.getValue();
      if (p.primary() == dead) {
        if (p.backups().isEmpty()) {
          e.setValue(p.with(-1, List.of()));
          gone.add(e.getKey());
        } else {
          e.setValue(p.with(p.backups().get(0), p.backups().subList(1, p.backups().size())));
          promoted.add(e.getKey());
        }
      } else if (p.backups().contains(dead)) {
        List<Integer> rest = new ArrayList<>(p.backups());
        rest.remove(Integer.valueOf(dead));
        e.setValue(p.with(p.primary(), rest));
        shrunk.add(e.getKey());
      }
    }
    return new Change(++epoch, promoted, shrunk, gone);
  }

  /** Whether every copy {@code server} is primary of has a backup to take over. */
  synchronized boolean canTakeOver(int server) {
    for (Placement p : copies.values()) {
      if (p.primary() == server && p.backups().isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Copies with fewer than {@code factor} backups, still served by a primary. */
  synchronized List<Copy> underReplicated(int factor) {
    List<Copy> out = new ArrayList<>();
    copies.forEach((c, p) -> {
      if (!p.lost() && p.backups().size() < factor) {
        out.add(c);
      }
    });
    return out;
  }

  /** Floats each server holds, as primary or backup. */
  synchronized Map<Integer, Long> load() {
    Map<Integer, Long> load = new HashMap<>();
    for (Placement p : copies.values()) {
      if (p.lost()) {
        continue;
      }
      load.merge(p.primary(), p.floats(), Long::sum);
      for (int b : p.backups()) {
        load.merge(b, p.floats(), Long::sum);
      }
    }
    return load;
  }

  /** Every copy and where it lives, in creation order. */
  synchronized Map<Copy, Placement> snapshot() {
    return new LinkedHashMap<>(copies);
  }

  /** Copies that live on {@code server}, as primary or backup. */
  synchronized int copiesOn(int server) {
    int n = 0;
    for (Placement p : copies.values()) {
      if (p.primary() == server || p.backups().contains(server)) {
        n++;
      }
    }
    return n;
  }

  /** Remembers what made copies lost, for the error of every request to one. */
  synchronized void lostBecause(String why) {
    lost = lost.isEmpty() ? why : lost + "; " + why;
  }

  /** Makes the map as it stands the one clients see, with the live servers' addresses. */
  synchronized Routes publish(Map<Integer, InetSocketAddress> live) {
    int[] ids = new int[live.size()];
    String[] hosts = new String[ids.length];
    int[] ports = new int[ids.length];
    int i = 0;
    for (Map.Entry<Integer, InetSocketAddress> e : live.entrySet()) {
      ids[i] = e.getKey();
      hosts[i] = e.getValue().getHostString();
      ports[i] = e.getValue().getPort();
      i++;
    }
    int n = copies.size();
    int[] params = new int[n];
    int[] slices = new int[n];
    int[] slots = new int[n];
    int[] primaries = new int[n];
    int k = 0;
    for (Map.Entry<Copy, Placement> e : copies.entrySet()) {
      params[k] = e.getKey().paramId();
      slices[k] = e.getKey().sliceId();
      slots[k] = e.getKey().slot();
      primaries[k] = e.getValue().primary();
      k++;
    }
    published = new Routes(0, epoch, ids, hosts, ports, params, slices, slots, primaries, lost);
    return published;
  }

  synchronized Routes published() {
    return published;
  }

  /** "id@host:port" of each server, comma separated, as {@link io.sparkps.transport.SetRole} wants. */
  static String describe(List<Integer> servers, IntFunction<InetSocketAddress> address) {
    StringBuilder b = new StringBuilder();
    for (int id : servers) {
      InetSocketAddress a = address.apply(id);
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(id).append('@').append(a.getHostString()).append(':').append(a.getPort());
    }
    return b.toString();
  }
}
