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
 * with the servers slice by slice. A push either waits for its answers ({@link #push}) or
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
  /** For each param, the indexes of its slices in {@code map.slices()}. */
  private final int[][] slicesOf;
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
    this.slicesOf = new int[values.length][];
    for (int p = 0; p < values.length; p++) {
      int param = p;
      slicesOf[p] = java.util.Arrays.stream(allSlices)
          .filter(i -> map.slices().get(i).param() == param).toArray();
    }
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
   * Starts pushing the gradient sums of one step param by param, each as soon as it is final
   * ({@link io.sparkps.model.TrainableModel#gradient(io.sparkps.model.Batch, float[][],
   * float[][], java.util.function.IntConsumer)}), so that the servers apply the last layers'
   * update while the worker computes the first layers' gradient:
   *
   * <pre>{@code
   * ParamSet.Push push = params.push(client, stub, 1, share);
   * model.gradient(batch, params.values(), grads, p -> push.param(p, grads[p]));
   * push.finish();   // every answer stored: values() holds the params after the step
   * }</pre>
   *
   * With nothing else in flight and no stub sum, each slice's gradient is sent from the
   * caller's array and its answer written straight into {@link #values()}, with no copy on
   * either side: the caller must neither change a param's gradient nor read its values between
   * {@link Push#param} and {@link Push#finish}.
   *
   * @param stub sums the shares of the {@code localShares} workers of this group in this JVM
   */
  public Push push(PsClient client, Stub stub, int localShares, Share share) {
    return new Push(client, stub, localShares, share);
  }

  /** One step being pushed param by param; see {@link #push}. */
  public final class Push {
    private final PsClient client;
    private final Stub stub;
    private final int localShares;
    private final Share share;
    /** Whether answers go straight into the values (nothing in flight, no stub sum). */
    private final boolean direct;
    private final List<CompletableFuture<Values>> answers;
    private final boolean[] sent;

    private Push(PsClient client, Stub stub, int localShares, Share share) {
      this.client = client;
      this.stub = stub;
      this.localShares = localShares;
      this.share = share;
      this.direct = localShares <= 1 && window.size() == 0;
      this.answers = new ArrayList<>(java.util.Collections.nCopies(clocks.length, null));
      this.sent = new boolean[values.length];
    }

    /** Sends the gradient sum of param {@code p} to each of its slices. */
    public void param(int p, float[] gradientSum) {
      if (sent[p]) {
        throw new IllegalStateException("param " + map.params().get(p).name()
            + " was pushed twice in step " + share.step());
      }
      sent[p] = true;
      for (int i : slicesOf[p]) {
        SliceInfo s = map.slices().get(i);
        int at = (int) s.offset();
        if (direct) {
          answers.set(i, client.push(s, share, gradientSum, at,
              new FloatSink(values[p], at, s.length())));
        } else {
          float[] part = new float[s.length()];
          System.arraycopy(gradientSum, at, part, 0, s.length());
          answers.set(i, stub.push(client, s, share, localShares, part));
        }
      }
    }

    /**
     * Waits for every slice's answer (each up to the client's timeout) and stores the params
     * after the step.
     *
     * @throws IllegalStateException naming a param that was never pushed: the model did not
     *     announce it
     */
    public void finish() {
      for (int p = 0; p < sent.length; p++) {
        if (!sent[p]) {
          throw new IllegalStateException("step " + share.step() + " pushed no gradient of "
              + "param " + map.params().get(p).name() + ": the model's gradient(batch, "
              + "params, gradients, ready) must announce every param once");
        }
      }
      if (direct) {
        for (int i = 0; i < answers.size(); i++) {
          clocks[i] = PsClient.await(answers.get(i), client.timeoutMs()).clock();
        }
      } else {
        window.add(allSlices, answers);
        window.awaitAll(client.timeoutMs());
      }
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
