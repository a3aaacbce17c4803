package io.sparkps.param;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits params into slices of about equal size and gives each slice to the least-loaded server.
 *
 * <p>The target slice size is the total parameter count over the number of servers, so that a
 * large param is spread over all servers and small params (a bias) stay whole. Slices always
 * hold whole rows, so that a row of a matrix param is never split between servers.
 */
public final class Slicer {
  /** Largest slice, in floats; keeps every frame well under the transport's frame limit. */
  public static final int MAX_SLICE_FLOATS = 1 << 22;

  private Slicer() {}

  /**
   * @param params the model's params
   * @param numServers servers to spread over, at least 1
   * @param firstParamId cluster-wide id of the first param; the others follow in order
   */
  public static SliceMap slice(List<ParamSpec> params, int numServers, int firstParamId) {
    return slice(params, numServers, firstParamId, 1);
  }

  /**
   * Like {@link #slice(List, int, int)}, with each server's share cut into {@code
   * slicesPerServer} slices (the unit that moves when servers join or leave).
   */
  public static SliceMap slice(List<ParamSpec> params, int numServers, int firstParamId,
      int slicesPerServer) {
    if (numServers < 1) {
      throw new IllegalArgumentException("numServers must be >= 1, got " + numServers);
    }
    if (slicesPerServer < 1) {
      throw new IllegalArgumentException("slicesPerServer must be >= 1, got " + slicesPerServer);
    }
    long total = 0;
    for (ParamSpec p : params) {
      total += p.length();
    }
    long pieces = (long) numServers * slicesPerServer;
    long target = Math.max(1, Math.min(MAX_SLICE_FLOATS, (total + pieces - 1) / pieces));

    List<SliceInfo> unassigned = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      ParamSpec p = params.get(i);
      int cols = p.cols();
      if (cols > MAX_SLICE_FLOATS) {
        throw new IllegalArgumentException("param " + p.name() + " has rows of " + cols
            + " floats, more than the largest slice of " + MAX_SLICE_FLOATS);
      }
      long rowsPerSlice = Math.max(1, target / cols);
      long numSlices = (p.rows() + rowsPerSlice - 1) / rowsPerSlice;
      // Spread the rows evenly instead of leaving one small remainder slice.
      long base = p.rows() / numSlices;
      long extra = p.rows() % numSlices;
      long row = 0;
      for (int s = 0; s < numSlices; s++) {
        long rows = base + (s < extra ? 1 : 0);
        unassigned.add(new SliceInfo(i, firstParamId + i, s, row * cols, (int) (rows * cols), -1));
        row += rows;
      }
    }

    // Largest first, each to the least-loaded server (ties: lowest index).
    List<SliceInfo> bySize = new ArrayList<>(unassigned);
    bySize.sort(Comparator.comparingInt(SliceInfo::length).reversed());
    long[] load = new long[numServers];
    List<SliceInfo> assigned = new ArrayList<>();
    for (SliceInfo s : bySize) {
      int server = 0;
      for (int k = 1; k < numServers; k++) {
        if (load[k] < load[server]) {
          server = k;
        }
      }
      load[server] += s.length();
      assigned.add(new SliceInfo(s.param(), s.paramId(), s.sliceId(), s.offset(), s.length(),
          server));
    }
    assigned.sort(Comparator.comparingInt(SliceInfo::param).thenComparingLong(SliceInfo::offset));
    return new SliceMap(params, assigned, numServers);
  }
}
