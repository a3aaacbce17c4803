package io.sparkps.param;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where every slice of a model's params lives. Immutable; shipped to every worker.
 *
 * @param params the model's params, in model order
 * @param slices every slice, ordered by param, then offset
 * @param numServers how many servers the slices are spread over
 */
public record SliceMap(List<ParamSpec> params, List<SliceInfo> slices, int numServers)
    implements Serializable {

  public SliceMap {
    params = List.copyOf(params);
    slices = List.copyOf(slices);
  }

  /** The slices of param {@code param}, by offset. */
  public List<SliceInfo> slicesOf(int param) {
    List<SliceInfo> out = new ArrayList<>();
    for (SliceInfo s : slices) {
      if (s.param() == param) {
        out.add(s);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The same slices on another group of servers: server {@code k} becomes {@code offset + k},
   * with {@code numServers} the size of the whole server list.
   */
  public SliceMap onServers(int offset, int numServers) {
    List<SliceInfo> moved = new ArrayList<>(slices.size());
    for (SliceInfo s : slices) {
      moved.add(new SliceInfo(s.param(), s.paramId(), s.sliceId(), s.offset(), s.length(),
          offset + s.server()));
    }
    return new SliceMap(params, moved, numServers);
  }

  /** Floats held by each server. */
  public long[] loadPerServer() {
    long[] load = new long[numServers];
    for (SliceInfo s : slices) {
      load[s.server()] += s.length();
    }
    return load;
  }
}
