package io.sparkps.client;

import io.sparkps.param.SliceInfo;
import io.sparkps.param.SliceMap;
import io.sparkps.transport.FloatSink;
import io.sparkps.transport.Resume;
import io.sparkps.transport.Resumed;
import io.sparkps.transport.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A worker's local copy of every param of a model, as one flat array per param, kept in step
 * with the servers slice by slice. A push either waits for its answers ({@link #pushAll}) or
 * leaves them in flight ({@link #send}): the worker then takes the answers that arrived before
 * each step ({@link StepWindow#takeArrived}), waiting only when it has as many steps in flight as it
 * allows. Not thread safe: one per worker.
 */
public final class ParamSet {
  private final SliceMap map;
  private final float[][] values;
  private final long[] clocks;
  private final StepWindow window;
  private final int[] allSlices;
  private int inexact;

  public ParamSet(SliceMap map) {
    this.map = map;
    this.values = new float[map.params().size()][];
    for (int i = 0; i < values.length; i++) {
      values[i] = new float[Math.toIntExact(map.params().get(i).length())];
    }
    this.clocks = new long[map.slices().size()];
    this.window = new StepWindow(clocks.length, this::store);
    this.allSlices = java.util.stream.IntStream.range(0, clocks.length).toArray();
  }

  /** The current local values, one array per param; updated in place by pulls and pushes. */
  public float[][] values() {
    return values;
  }

  /** Pulls every slice at version {@code minVersion} or later; blocks up to the timeout. */
  public void pullAll(PsClient client, long minVersion) {
    List<CompletableFuture<Values>> pending = new ArrayList<>();
    for (SliceInfo s : map.slices()) {
      pending.add(client.pull(s, minVersion));
    }
    store(pending, client.timeoutMs());
  }

  /**
   * Takes the values a task of worker group {@code group} starts from, and returns the step it
   * starts at: the first step of the group that some slice has not applied. A fresh training
   * starts at step 0 from the initial values; a task that runs again (Spark retried it, or
   * spark-ps re-ran its stage) starts where its group stands, so that no step is applied twice.
   *
   * <p>Slices past that step ignore its shares, but the gradient sent to the others must be the
   * one the step would have had: for a {@code synchronous} group, whose workers all compute a
   * step from the same values, those slices answer with the values they kept from the start
   * of that step. {@link #inexactSlices()} counts the slices that no longer had them.
   *
   * @param attempt the run of the group's stage this task belongs to, from 0
   */
  public long resume(PsClient client, int group, int attempt, boolean synchronous) {
    List<SliceInfo> slices = map.slices();
    List<CompletableFuture<Resumed>> pending = new ArrayList<>();
    for (SliceInfo s : slices) {
      pending.add(client.resume(s, group, attempt, Resume.NEXT, true));
    }
    Resumed[] at = new Resumed[slices.size()];
    long start = Long.MAX_VALUE;
    for (int i = 0; i < at.length; i++) {
      at[i] = PsClient.await(pending.get(i), client.timeoutMs());
      start = Math.min(start, at[i].nextStep());
    }
    if (at.length == 0) {
      return 0;
    }
    inexact = 0;
    for (int i = 0; i < at.length; i++) {
      if (at[i].nextStep() > start && synchronous) {
        Resumed back = PsClient.await(client.resume(slices.get(i), group, attempt, start, true),
            client.timeoutMs());
        if (back.exact()) {
          at[i] = back;
        } else {
          inexact++;
        }
      }
      SliceInfo s = slices.get(i);
      System.arraycopy(at[i].values(), 0, values[s.param()], (int) s.offset(), s.length());
      clocks[i] = at[i].clock();
    }
    return start;
  }

  /**
   * Slices whose values at the start of the step {@link #resume} returned were gone: the
   * task computes that step from their later values.
   */
  public int inexactSlices() {
    return inexact;
  }

  /**
   * Pushes the gradient sums of one step, slice by slice, and stores the values the servers
   * answer with (the parameters after the step), with every step still in flight.
   *
   * @param stub sums the shares of the {@code localShares} workers of this group in this JVM
   * @param gradientSums one array per param, the sum of the gradients over {@code examples}
   */
  public void pushAll(PsClient client, Stub stub, int localShares, Share share,
      float[][] gradientSums) {
    if (localShares > 1 || window.size() > 0) {
      send(client, stub, localShares, share, gradientSums);
      window.awaitAll(client.timeoutMs());
      return;
    }
    // Nothing else in flight: each slice's gradient is sent from the caller's arrays and its
    // answer written straight into the values, with no copy on either side.
    List<SliceInfo> slices = map.slices();
    List<CompletableFuture<Values>> pending = new ArrayList<>(slices.size());
    for (SliceInfo s : slices) {
      int at = (int) s.offset();
      pending.add(client.push(s, share, gradientSums[s.param()], at,
          new FloatSink(values[s.param()], at, s.length())));
    }
    for (int i = 0; i < pending.size(); i++) {
      clocks[i] = PsClient.await(pending.get(i), client.timeoutMs()).clock();
    }
  }

  /**
   * Pushes the gradient sums of one step, slice by slice, and leaves its answers in flight;
   * {@code gradientSums} may be reused as soon as this returns.
   */
  public void send(PsClient client, Stub stub, int localShares, Share share,
      float[][] gradientSums) {
    List<CompletableFuture<Values>> pending = new ArrayList<>();
    for (SliceInfo s : map.slices()) {
      float[] part = new float[s.length()];
      System.arraycopy(gradientSums[s.param()], (int) s.offset(), part, 0, s.length());
      pending.add(stub.push(client, s, share, localShares, part));
    }
    window.add(allSlices, pending);
  }

  /** The steps sent and not yet answered in full, whose answers this set takes. */
  public StepWindow steps() {
    return window;
  }

  private void store(List<CompletableFuture<Values>> pending, long timeoutMs) {
    for (int i = 0; i < pending.size(); i++) {
      store(i, PsClient.await(pending.get(i), timeoutMs));
    }
  }

  private void store(int slice, Values v) {
    SliceInfo s = map.slices().get(slice);
    System.arraycopy(v.values(), 0, values[s.param()], (int) s.offset(), s.length());
    clocks[slice] = v.clock();
  }

  /**
   * Steps completed by the slowest worker group, as last reported by the servers: the params
   * in {@link #values()} include every group's updates up to this step.
   */
  public long minClock() {
    long min = Long.MAX_VALUE;
    for (long c : clocks) {
      min = Math.min(min, c);
    }
    return clocks.length == 0 ? 0 : min;
  }

}
