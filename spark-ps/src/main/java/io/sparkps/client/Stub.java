package io.sparkps.client;

import io.sparkps.param.SliceInfo;
import io.sparkps.transport.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-JVM aggregator of one training (SINGA's stub): the gradients that several workers of
 * the same group in this JVM push for the same slice and step are summed here and sent once,
 * carrying the number of shares, so that the server receives one message per JVM instead of
 * one per worker. Every contributing worker gets the server's answer.
 *
 * <p>Thread safe. A worker whose JVM-mates never push waits until its request timeout.
 */
public final class Stub {
  private static final Map<Long, Stub> BY_TRAINING = new ConcurrentHashMap<>();

  private record Key(int paramId, int sliceId, int group, long step) {}

  private static final class Entry {
    final float[] sum;
    final List<CompletableFuture<Values>> waiting = new ArrayList<>();
    int shares;
    int examples;
    int firstWorker = Integer.MAX_VALUE;

    Entry(int length) {
      sum = new float[length];
    }
  }

  private final long trainingId;
  private final Map<Key, Entry> open = new ConcurrentHashMap<>();
  private int users;

  private Stub(long trainingId) {
    this.trainingId = trainingId;
  }

  /** The stub of training {@code trainingId} in this JVM; {@link #leave()} when done. */
  public static Stub join(long trainingId) {
    synchronized (BY_TRAINING) {
      Stub stub = BY_TRAINING.computeIfAbsent(trainingId, Stub::new);
      stub.users++;
      return stub;
    }
  }

  public void leave() {
    synchronized (BY_TRAINING) {
      if (--users == 0) {
        BY_TRAINING.remove(trainingId);
      }
    }
  }

  /**
   * Adds one worker's share; the last of the {@code localShares} workers of the group in this
   * JVM sends the sum through its {@code client}.
   */
  public CompletableFuture<Values> push(PsClient client, SliceInfo slice, Share share,
      int localShares, float[] gradientSum) {
    if (localShares <= 1) {
      return client.push(slice, share, gradientSum);
    }
    Key key = new Key(slice.paramId(), slice.sliceId(), share.group(), share.step());
    Entry e = open.computeIfAbsent(key, k -> new Entry(gradientSum.length));
    CompletableFuture<Values> mine = new CompletableFuture<>();
    boolean last;
    synchronized (e) {
      float[] sum = e.sum;
      for (int i = 0; i < sum.length; i++) {
        sum[i] += gradientSum[i];
      }
      e.examples += share.examples();
      e.firstWorker = Math.min(e.firstWorker, share.worker());
      e.waiting.add(mine);
      last = ++e.shares == localShares;
    }
    if (last) {
      open.remove(key);
      client.push(slice, new Share(share.step(), share.group(), e.firstWorker, e.shares,
              e.examples), e.sum)
          .whenComplete((values, error) -> {
            for (CompletableFuture<Values> f : e.waiting) {
              if (error == null) {
                f.complete(values);
              } else {
                f.completeExceptionally(error);
              }
            }
          });
    }
    return mine;
  }
}
