package io.sparkps.client;

import io.sparkps.param.SliceInfo;
import io.sparkps.param.SliceMap;
import io.sparkps.transport.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A worker's view of a wide model, row by row: params indexed by feature (one row per feature)
 * are never held whole; each step pulls only the rows of the features its mini-batch touches
 * and pushes only those rows' gradients. Other params (a bias, hidden layers) are held whole
 * and kept in step as in {@link ParamSet}. Not thread safe: one per worker.
 *
 * <pre>{@code
 * int[] features = ...;                          // the batch's distinct features, ascending
 * float[][] params = view.pull(client, features); // feature params: features.length rows each
 * model.gradient(compactBatch, params, grads);    // grads in the same compact shapes
 * view.push(client, Share.of(step, group, worker, n), grads);
 * }</pre>
 *
 * <p>A worker that does not wait asks for the rows of coming batches ahead ({@link #prefetch})
 * and leaves its pushes in flight ({@link #send}), taking their answers as in {@link ParamSet}.
 */
public final class SparseParamSet {
  private final SliceMap map;
  private final boolean[] byFeature;
  private final float[][] whole;
  private final long[] clocks;
  private final StepWindow window;
  private int[] features = new int[0];

  /**
   * The rows of one batch's features, asked for and perhaps not yet answered.
   * {@link #values} waits for them.
   */
  public final class Rows {
    private final int[] features;
    private final float[][] out;
    private final List<CompletableFuture<Values>> pending = new ArrayList<>();
    private final List<int[]> ranges = new ArrayList<>();
    private final List<SliceInfo> slices = new ArrayList<>();
    private boolean filled;

    private Rows(int[] features, float[][] out) {
      this.features = features;
      this.out = out;
    }

    /** The batch's distinct features, ascending. */
    public int[] features() {
      return features;
    }
  }

  /** @param byFeature per param: whether its rows are indexed by feature */
  public SparseParamSet(SliceMap map, boolean[] byFeature) {
    this.map = map;
    this.byFeature = byFeature.clone();
    this.whole = new float[map.params().size()][];
    for (int p = 0; p < whole.length; p++) {
      if (!byFeature[p]) {
        whole[p] = new float[Math.toIntExact(map.params().get(p).length())];
      }
    }
    this.clocks = new long[map.slices().size()];
    this.window = new StepWindow(clocks.length, this::storeAnswer);
  }

  private int cols(int param) {
    return map.params().get(param).cols();
  }

  /**
   * The step a task of worker group {@code group} starts at: the first step of the group that
   * some slice has not applied (0 for a fresh training); slices past it ignore its shares. The
   * rows a step pulls are those of the slices now, also where a slice is a step ahead.
   *
   * @param attempt the run of the group's stage this task belongs to, from 0
   */
  public long resume(PsClient client, int group, int attempt) {
    List<CompletableFuture<io.sparkps.transport.Resumed>> pending = new ArrayList<>();
    for (SliceInfo s : map.slices()) {
      pending.add(client.resume(s, group, attempt, io.sparkps.transport.Resume.NEXT, false));
    }
    long start = pending.isEmpty() ? 0 : Long.MAX_VALUE;
    for (CompletableFuture<io.sparkps.transport.Resumed> p : pending) {
      start = Math.min(start, PsClient.await(p, client.timeoutMs()).nextStep());
    }
    return start;
  }

  /** Pulls the params that are held whole; call once before the first step. */
  public void pullWhole(PsClient client) {
    List<CompletableFuture<Values>> pending = new ArrayList<>();
    List<SliceInfo> slices = new ArrayList<>();
    for (SliceInfo s : map.slices()) {
      if (!byFeature[s.param()]) {
        pending.add(client.pull(s, 0));
        slices.add(s);
      }
    }
    for (int i = 0; i < pending.size(); i++) {
      storeWhole(slices.get(i), PsClient.await(pending.get(i), client.timeoutMs()));
    }
  }

  private void storeWhole(SliceInfo s, Values v) {
    System.arraycopy(v.values(), 0, whole[s.param()], (int) s.offset(), s.length());
    clocks[map.slices().indexOf(s)] = v.clock();
  }

  /** The features of slice {@code s} among {@code features}: [from, to) positions. */
  private int[] range(SliceInfo s, int[] features) {
    int c = cols(s.param());
    long firstRow = s.offset() / c;
    long endRow = firstRow + s.length() / c;
    int from = lowerBound(features, firstRow);
    int to = lowerBound(features, endRow);
    return new int[] {from, to, (int) firstRow};
  }

  private static int lowerBound(int[] sorted, long key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The params for a batch that touches {@code sortedFeatures} (strictly increasing): a param
   * indexed by feature comes back as {@code sortedFeatures.length} rows, row i being feature
   * {@code sortedFeatures[i]}; the others whole. Blocks up to the timeout.
   */
  public float[][] pull(PsClient client, int[] sortedFeatures) {
    return values(prefetch(client, sortedFeatures), client.timeoutMs());
  }

  /** Asks for the rows of {@code sortedFeatures} (strictly increasing) without waiting. */
  public Rows prefetch(PsClient client, int[] sortedFeatures) {
    float[][] out = new float[whole.length][];
    for (int p = 0; p < out.length; p++) {
      out[p] = byFeature[p] ? new float[sortedFeatures.length * cols(p)] : null;
    }
    Rows rows = new Rows(sortedFeatures, out);
    for (SliceInfo s : map.slices()) {
      if (!byFeature[s.param()]) {
        continue;
      }
      int[] r = range(s, sortedFeatures);
      if (r[0] == r[1]) {
        continue;
      }
      int[] ids = new int[r[1] - r[0]];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = sortedFeatures[r[0] + i] - r[2];
      }
      rows.pending.add(client.pullRows(s, 0, ids));
      rows.ranges.add(r);
      rows.slices.add(s);
    }
    return rows;
  }

  /**
   * The params for the batch of {@code rows}, as {@link #pull} returns them: waits (each slice
   * up to the timeout) for the rows asked for; the params held whole are the values now. The
   * next {@link #push} pushes rows of these features.
   */
  public float[][] values(Rows rows, long timeoutMs) {
    if (!rows.filled) {
      for (int i = 0; i < rows.pending.size(); i++) {
        Values v = PsClient.await(rows.pending.get(i), timeoutMs);
        int c = cols(rows.slices.get(i).param());
        System.arraycopy(v.values(), 0, rows.out[rows.slices.get(i).param()],
            rows.ranges.get(i)[0] * c, v.values().length);
      }
      rows.filled = true;
    }
    for (int p = 0; p < whole.length; p++) {
      if (!byFeature[p]) {
        rows.out[p] = whole[p];
      }
    }
    this.features = rows.features;
    return rows.out;
  }

  /**
   * Pushes one step's gradient sums in the shapes {@link #pull} returned: rows of the last
   * pulled features for params indexed by feature (every slice gets a share, possibly of no
   * rows, so that a synchronous group counts it), whole arrays for the others, whose new values
   * are kept. Blocks up to the timeout, with every step still in flight.
   */
  public void push(PsClient client, Share share, float[][] gradientSums) {
    send(client, share, features, gradientSums);
    window.awaitAll(client.timeoutMs());
  }

  /**
   * Pushes one step's gradient sums, as {@link #push} does for the batch of {@code
   * sortedFeatures}, and leaves its answers in flight.
   */
  public void send(PsClient client, Share share, int[] sortedFeatures, float[][] gradientSums) {
    List<CompletableFuture<Values>> pending = new ArrayList<>();
    List<SliceInfo> slices = map.slices();
    int[] indexes = new int[slices.size()];
    for (int k = 0; k < slices.size(); k++) {
      SliceInfo s = slices.get(k);
      indexes[k] = k;
      if (byFeature[s.param()]) {
        int[] r = range(s, sortedFeatures);
        int c = cols(s.param());
        int[] rows = new int[r[1] - r[0]];
        for (int i = 0; i < rows.length; i++) {
          rows[i] = sortedFeatures[r[0] + i] - r[2];
        }
        float[] grad = Arrays.copyOfRange(gradientSums[s.param()], r[0] * c, r[1] * c);
        pending.add(client.pushRows(s, share, rows, grad));
      } else {
        float[] part = Arrays.copyOfRange(gradientSums[s.param()], (int) s.offset(),
            (int) s.offset() + s.length());
        pending.add(client.push(s, share, part));
      }
    }
    window.add(indexes, pending);
  }

  /** The steps sent and not yet answered in full, whose answers this set takes. */
  public StepWindow steps() {
    return window;
  }

  private void storeAnswer(int slice, Values v) {
    SliceInfo s = map.slices().get(slice);
    if (!byFeature[s.param()]) {
      System.arraycopy(v.values(), 0, whole[s.param()], (int) s.offset(), s.length());
    }
    clocks[slice] = v.clock();
  }

  /** Steps completed by the slowest worker group, as last reported by the servers. */
  public long minClock() {
    long min = Long.MAX_VALUE;
    for (long c : clocks) {
      min = Math.min(min, c);
    }
    return clocks.length == 0 ? 0 : min;
  }
}
