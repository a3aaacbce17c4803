package io.sparkps.client;

import io.sparkps.param.SliceInfo;
import io.sparkps.transport.Routes;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each slice is served at one map epoch: the live servers' addresses and every slice
 * copy's primary. Immutable. A copy is named by its param, slice and the server index the
 * slicer gave it ({@link SliceInfo#server()}), which stays its name when it moves.
 */
final class RouteTable {
  /** The primary of a copy whose every copy is lost. */
  static final int LOST = -1;

  private record Copy(int paramId, int sliceId, int slot) {}

  private final long epoch;
  private final Map<Integer, InetSocketAddress> servers;
  private final Map<Copy, Integer> primaries;
  private final String lost;
  private final boolean fixed;

  private RouteTable(long epoch, Map<Integer, InetSocketAddress> servers,
      Map<Copy, Integer> primaries, String lost, boolean fixed) {
    this.epoch = epoch;
    this.servers = servers;
    this.primaries = primaries;
    this.lost = lost;
    this.fixed = fixed;
  }

  /** A fixed list: server {@code i} at {@code addresses[i]} serves every slice placed on it. */
  static RouteTable fixed(List<InetSocketAddress> addresses) {
    Map<Integer, InetSocketAddress> servers = new HashMap<>();
    for (int i = 0; i < addresses.size(); i++) {
      servers.put(i, addresses.get(i));
    }
    return new RouteTable(0, Map.copyOf(servers), Map.of(), "", true);
  }

  static RouteTable of(Routes r) {
    Map<Integer, InetSocketAddress> servers = new HashMap<>();
    for (int i = 0; i < r.serverIds().length; i++) {
      servers.put(r.serverIds()[i], new InetSocketAddress(r.hosts()[i], r.ports()[i]));
    }
    Map<Copy, Integer> primaries = new HashMap<>();
    for (int i = 0; i < r.paramIds().length; i++) {
      primaries.put(new Copy(r.paramIds()[i], r.sliceIds()[i], r.slots()[i]),
          r.primaries()[i]);
    }
    return new RouteTable(r.epoch(), Map.copyOf(servers), Map.copyOf(primaries), r.lost(),
        false);
  }

  long epoch() {
    return epoch;
  }

  /**
   * The server id serving {@code slice} now, or {@link #LOST}.
   *
   * @throws IllegalArgumentException if the map does not know the slice
   */
  int primaryOf(SliceInfo slice) {
    if (fixed) {
      return slice.server();
    }
    Integer p = primaries.get(new Copy(slice.paramId(), slice.sliceId(), slice.server()));
    if (p == null) {
      throw new IllegalArgumentException("the slice map (epoch " + epoch + ") has no slice "
          + slice.sliceId() + " of param " + slice.paramId() + ": it was never created, or "
          + "was dropped");
    }
    return p;
  }

  /** The address of server {@code id}, or null when it is not a live server. */
  InetSocketAddress address(int id) {
    return servers.get(id);
  }

  Map<Integer, InetSocketAddress> servers() {
    return servers;
  }

  /** What happened to lost slices, for the error of a request to one. */
  String lost() {
    return lost;
  }

  @Override
  public String toString() {
    return "slice map epoch " + epoch + " over servers " + servers;
  }
}
