package io.sparkps.bench.transport;

import static io.sparkps.bench.MarkdownTable.f1;

import io.sparkps.bench.MarkdownTable;
import io.sparkps.bench.Stats;
import io.sparkps.client.PsClient;
import io.sparkps.cluster.PsCluster;
import io.sparkps.transport.SliceSetup;
import java.util.List;
import io.sparkps.param.SliceInfo;
import io.sparkps.transport.FloatSink;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sparse side of {@link TransportBench}: pulls of random sorted distinct rows of a
 * one-slice param whose row {@code r} holds the value {@code r}, so every answer is checked.
 * Each pull in flight decodes its answer into its own region of one array (the client's
 * zero-copy call), as a worker pulls into its compact batch.
 */
final class SparsePulls {
  private static final int DISTINCT_BATCHES = 64;

  private final PsClient client;
  private final SliceInfo slice;
  private final int[][] batches = new int[DISTINCT_BATCHES][];
  private final AtomicLong checked = new AtomicLong();
  private final AtomicLong wrong = new AtomicLong();

  SparsePulls(PsCluster cluster, int paramId, int rows, int batch) {
    if (batch > rows) {
      throw new IllegalArgumentException("batch of " + batch + " rows from a param of " + rows);
    }
    this.client = cluster.client();
    this.slice = TransportBench.slice(paramId, 0, rows);
    float[] values = new float[rows];
    for (int r = 0; r < rows; r++) {
      values[r] = r;
    }
    cluster.createSlices(List.of(slice), TransportBench.sgd(), SliceSetup.single(1),
        s -> values);
    Random random = new Random(42);
    for (int b = 0; b < DISTINCT_BATCHES; b++) {
      batches[b] = random.ints(0, rows).distinct().limit(batch).sorted().toArray();
    }
  }

  /**
   * For each window, {@code rounds} rounds of {@code ops} pulls (windows interleaved within a
   * round); a row per window with the median ops/s and the latency percentiles of all pulls.
   */
  MarkdownTable measure(int[] windows, int ops, int rounds, long timeoutMs)
      throws InterruptedException, TimeoutException {
    double[][] opsPerSec = new double[windows.length][rounds];
    double[][] latencies = new double[windows.length][0];
    int batch = batches[0].length;
    int most = java.util.Arrays.stream(windows).max().orElse(1);
    float[] into = new float[most * batch];
    for (int r = 0; r < rounds; r++) {
      for (int w = 0; w < windows.length; w++) {
        long t0 = System.nanoTime();
        double[] lat = Window.run(ops, windows[w], timeoutMs, (i, lane) -> {
          int[] rows = batches[i % DISTINCT_BATCHES];
          FloatSink sink = new FloatSink(into, lane * batch, rows.length);
          return client.pullRows(slice, 0, rows, sink).thenAccept(v -> check(rows, sink));
        });
        opsPerSec[w][r] = ops / ((System.nanoTime() - t0) / 1e9);
        double[] all = Arrays.copyOf(latencies[w], latencies[w].length + lat.length);
        System.arraycopy(lat, 0, all, latencies[w].length, lat.length);
        latencies[w] = all;
      }
    }
    MarkdownTable t = new MarkdownTable("rows/pull", "param rows", "in flight", "rounds x pulls",
        "median pulls/s", "p50 latency us", "p99 latency us");
    for (int w = 0; w < windows.length; w++) {
      t.row(batches[0].length, slice.length(), windows[w], rounds + " x " + ops,
          Math.round(Stats.median(opsPerSec[w])), f1(Stats.percentile(latencies[w], 50)),
          f1(Stats.percentile(latencies[w], 99)));
    }
    return t;
  }

  private void check(int[] rows, FloatSink got) {
    long bad = got.length() == rows.length ? 0 : rows.length;
    for (int k = 0; k < rows.length && bad == 0; k++) {
      if (got.array()[got.offset() + k] != rows[k]) {
        bad++;
      }
    }
    checked.addAndGet(rows.length);
    wrong.addAndGet(bad);
  }

  long rowsChecked() {
    return checked.get();
  }

  long rowsWrong() {
    return wrong.get();
  }
}
