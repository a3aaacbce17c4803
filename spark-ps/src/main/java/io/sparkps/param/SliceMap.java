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

  /** Floats held by each server. */
  public long[] loadPerServer() {
    long[] load = new long[numServers];
    for (SliceInfo s : slices) {
      load[s.server()] += s.length();
    }
    return load;
  }
}
