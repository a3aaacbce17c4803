package io.sparkps.server;

import io.sparkps.transport.FloatPayload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps of one slice that do not have all their shares yet, by worker group and step: for
 * a dense step the sum of its gradients, for a sparse one the sum of every row sent (a dense
 * step is the case of all rows, kept as one array so that it costs no map). A second share of
 * the same worker in a step is not counted. Not thread safe: used under its slice's lock.
 */
final class StepShares {
  private record Key(int group, long step) {}

  /** One open step: who sent a share, who waits for the step, and the sums so far. */
  final class Step {
    private final Set<Integer> workers = new HashSet<>();
    private final List<SliceState.Reply> replies = new ArrayList<>(2);
    private int shares;
    private long examples;
    private float[] sum;
    private Map<Integer, float[]> rows;

    /** Adds a sender's reply; false when its worker already sent a share of this step. */
    boolean join(int worker, SliceState.Reply reply) {
      replies.add(reply);
      return workers.add(worker);
    }

    /**
     * Adds a dense share, read where it lies (it is not kept): the first one is copied into
     * the step's sum, an array the previous step of this slice gave back if it has the length.
     */
    void add(FloatPayload gradient, int shareCount, int exampleCount) {
      if (sum == null) {
        sum = spare != null && spare.length == gradient.length() ? spare
            : new float[gradient.length()];
        spare = null;
        gradient.copyTo(0, sum, 0, sum.length);
      } else {
        float[] acc = sum;
        gradient.forEachBlock((g, base, from, n) -> {
          for (int i = 0; i < n; i++) {
            acc[from + i] += g[base + i];
          }
        });
      }
      count(shareCount, exampleCount);
    }

    /** Adds a sparse share: rows {@code ids} of {@code width} floats each. */
    void addRows(int[] ids, FloatPayload gradientRows, int width, int shareCount,
        int exampleCount) {
      if (rows == null) {
        rows = new HashMap<>();
      }
      Map<Integer, float[]> byRow = rows;
      gradientRows.forEachBlock((g, base, from, n) -> {
        for (int i = 0; i < n; ) {
          int row = (from + i) / width;
          int j = (from + i) - row * width;
          int take = Math.min(width - j, n - i);
          float[] acc = byRow.computeIfAbsent(ids[row], r -> new float[width]);
          for (int k = 0; k < take; k++) {
            acc[j + k] += g[base + i + k];
          }
          i += take;
        }
      });
      count(shareCount, exampleCount);
    }

    private void count(int shareCount, int exampleCount) {
      shares += shareCount;
      examples += exampleCount;
    }

    boolean complete(int sharesPerStep) {
      return shares >= sharesPerStep;
    }

    int shares() {
      return shares;
    }

    List<SliceState.Reply> replies() {
      return replies;
    }

    /** The factor that makes the sum a mean: one over the examples (0 for none). */
    float scale() {
      return examples > 0 ? 1f / examples : 0f;
    }

    /** The dense sum. */
    float[] sum() {
      return sum;
    }

    /** The rows any share sent, ascending. */
    int[] rowIds() {
      return rows == null ? new int[0]
          : rows.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The mean gradient of {@code ids} (from {@link #rowIds()}), row after row. */
    float[] meanRows(int[] ids, int width) {
      float[] mean = new float[ids.length * width];
      float scale = scale();
      for (int i = 0; i < ids.length; i++) {
        float[] acc = rows.get(ids[i]);
        for (int j = 0; j < width; j++) {
          mean[i * width + j] = acc[j] * scale;
        }
      }
      return mean;
    }
  }

  private final Map<Key, Step> dense = new HashMap<>();
  /** The sum of the dense step closed last, for the next one to sum into. */
  private float[] spare;
  private final Map<Key, Step> sparse = new HashMap<>();

  /** The open dense step, or null when no share of it came yet. */
  Step denseIfOpen(int group, long step) {
    return dense.get(new Key(group, step));
  }

  /** The open dense step, opened if needed. */
  Step dense(int group, long step) {
    return dense.computeIfAbsent(new Key(group, step), k -> new Step());
  }

  /** The open sparse step, or null when no share of it came yet. */
  Step sparseIfOpen(int group, long step) {
    return sparse.get(new Key(group, step));
  }

  /** The open sparse step, opened if needed. */
  Step sparse(int group, long step) {
    return sparse.computeIfAbsent(new Key(group, step), k -> new Step());
  }

  /** Forgets every open step of {@code group}: their senders are gone and send them again. */
  void discard(int group) {
    dense.keySet().removeIf(k -> k.group() == group);
    sparse.keySet().removeIf(k -> k.group() == group);
  }

  /** Forgets every open step; returns who waited for them, to be told to send again. */
  List<SliceState.Reply> drain() {
    List<SliceState.Reply> out = new ArrayList<>();
    dense.values().forEach(st -> out.addAll(st.replies));
    sparse.values().forEach(st -> out.addAll(st.replies));
    dense.clear();
    sparse.clear();
    return out;
  }

  void closeDense(int group, long step) {
    dense.remove(new Key(group, step));
  }

  /**
   * The dense sum of a closed step is no longer needed (applied, and its forwarded step
   * encoded): the next step sums into it.
   */
  void recycle(Step closed) {
    if (closed.sum != null) {
      spare = closed.sum;
      closed.sum = null;
    }
  }

  void closeSparse(int group, long step) {
    sparse.remove(new Key(group, step));
  }
}
