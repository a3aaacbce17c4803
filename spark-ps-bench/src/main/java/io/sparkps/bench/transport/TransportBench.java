package io.sparkps.bench.transport;

import static io.sparkps.bench.MarkdownTable.f1;
import static io.sparkps.bench.MarkdownTable.f2;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.MarkdownTable;
import io.sparkps.bench.Stats;
import io.sparkps.client.PsClient;
import io.sparkps.cluster.PsCluster;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.PsConf;
import io.sparkps.param.SliceInfo;
import io.sparkps.transport.FrameEncoder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Transport throughput between two processes on 127.0.0.1.
 *
 * <p><b>Dense</b>: this JVM pushes 4 MiB gradients ({@code --slice-floats} floats) to a real
 * server JVM started by {@link PsCluster}, round robin over {@code --slices} slices with {@code
 * --window} pushes in flight; each push is answered with the slice's 4 MiB of new values, so a
 * push is the push+pull exchange of a training step. Beside it, in the same run, a {@link
 * RawEchoPeer} JVM echoes messages of the same size over a plain socket with the same window.
 * After {@code --warmup} rounds of each (not counted), rounds alternate raw, ps, raw, ps...;
 * the table gives the medians, MB/s each way, ps/raw,
 * the CPU time each side spent per request ({@link CpuTime}; this JVM's CPU counts as the
 * client's, so its own background threads add a little to both rows), and the ratio of the
 * two sides' CPU per request, ps over raw. The ps path uses the client's zero-copy calls
 * ({@link io.sparkps.client.PsClient#push(SliceInfo, io.sparkps.client.Share, float[], int,
 * io.sparkps.transport.FloatSink)}): gradients read from, answers written into arrays it owns.
 *
 * <p><b>Sparse</b>: one server holds a param of {@code --rows} rows of width 1 as one slice;
 * each operation pulls {@code --batch} random distinct rows (sorted), with each of {@code
 * --windows} operations in flight. Every answer is checked to be the rows asked for.
 *
 * <pre>
 * bin/bench transport.TransportBench [--slice-floats 1048576] [--slices 4] [--window 4]
 *     [--requests 48] [--warmup 3] [--rounds 7] [--rows 10000000] [--batch 1000] [--ops 10000]
 *     [--windows 1,8,32,128] [--sparse-rounds 3] [--server-memory 1g]
 *     [--server-opts JVM_OPTIONS] [--out DIR]
 * </pre>
 *
 * Takes about 30 s with the defaults on an idle machine, a minute or two on a busy one; writes
 * {@code TransportBench.md} to {@code --out} (default spark-ps-bench/target/bench).
 */
public final class TransportBench {
  private static final long ROUND_TIMEOUT_MS = 120_000;
  private static final Map<String, String> DEFAULTS = defaults();

  /** What a run measured and moved, for the table and for checks. */
  record Result(MarkdownTable dense, MarkdownTable sparse, long rawBytesEchoed,
      long psBytesAnswered, long serverPayloadBytesIn, long expectedPayloadBytesIn,
      long sparseRowsChecked, long sparseRowsWrong) {}

  private TransportBench() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("slice-floats", "1048576");
    d.put("slices", "4");
    d.put("window", "4");
    d.put("requests", "48");
    d.put("warmup", "3");
    d.put("rounds", "7");
    d.put("rows", "10000000");
    d.put("batch", "1000");
    d.put("ops", "10000");
    d.put("windows", "1,8,32,128");
    d.put("sparse-rounds", "3");
    d.put("server-memory", "1g");
    d.put("server-opts", "");
    d.put("out", BenchArgs.defaultOutDir().toString());
    return d;
  }

  public static void main(String[] args) throws Exception {
    run(args);
  }

  /** Runs the benchmark, prints its tables and writes them to {@code --out}. */
  static Result run(String... args) throws Exception {
    BenchArgs a = new BenchArgs("transport.TransportBench", args, DEFAULTS);
    Result r = measure(a);
    MarkdownTable.publish(Path.of(a.get("out")).resolve("TransportBench.md"), "TransportBench",
        "Two processes on 127.0.0.1; medians over interleaved rounds (2 shared cores: expect "
            + "noise, compare within a run).", r.dense(), r.sparse());
    return r;
  }

  private static Result measure(BenchArgs a) throws Exception {
    int sliceFloats = a.getInt("slice-floats");
    int rounds = a.getInt("rounds");
    PsConf conf = new PsConf(Map.of(
        PsConf.SERVER_MEMORY.key(), a.get("server-memory"),
        PsConf.SERVER_JAVA_OPTIONS.key(), a.get("server-opts")));
    Path logs = Path.of(a.get("out")).resolve("logs");
    try (PsCluster cluster = PsCluster.start(conf, 1, "127.0.0.1");
        RawEchoPeer peer = RawEchoPeer.start(logs.resolve("raw-echo-peer.log"));
        RawEchoClient raw = new RawEchoClient(peer.port())) {
      PsClient client = cluster.client();
      DenseExchange dense = new DenseExchange(cluster, cluster.reserveParamIds(1),
          a.getInt("slices"), sliceFloats);
      int requests = a.getInt("requests");
      int window = a.getInt("window");
      ByteBuffer message = ByteBuffer.allocateDirect(sliceFloats * Float.BYTES);
      while (message.hasRemaining()) {
        message.put((byte) message.position());
      }
      message.flip();
      long self = ProcessHandle.current().pid();
      long server = cluster.serverPids().get(0);
      double[] rawSec = new double[rounds];
      double[] psSec = new double[rounds];
      double[] cpu = new double[4]; // ms: raw client, raw peer, ps client, ps server
      long rawBytes = 0;
      for (int w = 0; w < a.getInt("warmup"); w++) {
        rawBytes += raw.round(message, requests, window, ROUND_TIMEOUT_MS);
        dense.round(requests, window, ROUND_TIMEOUT_MS);
      }
      for (int r = 0; r < rounds; r++) {
        double c0 = CpuTime.ms(self);
        double p0 = CpuTime.ms(peer.pid());
        long t0 = System.nanoTime();
        rawBytes += raw.round(message, requests, window, ROUND_TIMEOUT_MS);
        long t1 = System.nanoTime();
        double c1 = CpuTime.ms(self);
        double s1 = CpuTime.ms(server);
        dense.round(requests, window, ROUND_TIMEOUT_MS);
        long t2 = System.nanoTime();
        cpu[0] += c1 - c0;
        cpu[1] += CpuTime.ms(peer.pid()) - p0;
        cpu[2] += CpuTime.ms(self) - c1;
        cpu[3] += CpuTime.ms(server) - s1;
        rawSec[r] = (t1 - t0) / 1e9;
        psSec[r] = (t2 - t1) / 1e9;
      }
      MarkdownTable denseTable = new MarkdownTable("path", "request", "answer", "in flight",
          "requests/round", "rounds", "median s/round", "MB/s sent", "MB/s received", "ps/raw",
          "CPU ms/request client", "CPU ms/request server", "CPU ps/raw");
      double rawMed = Stats.median(rawSec);
      double psMed = Stats.median(psSec);
      double all = (double) rounds * requests;
      long rawMsg = Integer.BYTES + (long) sliceFloats * Float.BYTES;
      denseTable.row("raw socket echo", mib(rawMsg), mib(rawMsg), window, requests, rounds,
          f2(rawMed), f1(requests * rawMsg / rawMed / 1e6), f1(requests * rawMsg / rawMed / 1e6),
          "1", f2(cpu[0] / all), f2(cpu[1] / all), "1");
      long up = FrameEncoder.HEADER_BYTES + DenseExchange.UPDATE_OVERHEAD
          + (long) sliceFloats * Float.BYTES;
      long down = FrameEncoder.HEADER_BYTES + DenseExchange.VALUES_OVERHEAD
          + (long) sliceFloats * Float.BYTES;
      denseTable.row("spark-ps push (UPDATE -> VALUES)", mib(up), mib(down), window, requests,
          rounds, f2(psMed), f1(requests * up / psMed / 1e6), f1(requests * down / psMed / 1e6),
          f2(rawMed / psMed), f2(cpu[2] / all), f2(cpu[3] / all),
          f2((cpu[2] + cpu[3]) / Math.max(1e-9, cpu[0] + cpu[1])));

      SparsePulls sparse = new SparsePulls(cluster, cluster.reserveParamIds(1),
          a.getInt("rows"), a.getInt("batch"));
      MarkdownTable sparseTable = sparse.measure(a.getInts("windows"),
          a.getInt("ops"), a.getInt("sparse-rounds"), ROUND_TIMEOUT_MS);
      return new Result(denseTable, sparseTable, rawBytes, dense.bytesAnswered(),
          dense.serverPayloadBytesIn(), dense.expectedPayloadBytesIn(), sparse.rowsChecked(),
          sparse.rowsWrong());
    }
  }

  private static String mib(long bytes) {
    return String.format("%.2f MiB", bytes / (double) (1 << 20));
  }

  /** The slice {@code sliceId} of a param on server 0. */
  static SliceInfo slice(int paramId, int sliceId, int floats) {
    return new SliceInfo(0, paramId, sliceId, (long) sliceId * floats, floats, 0);
  }

  static OptimizerConfig sgd() {
    return OptimizerConfig.sgd(1e-3f);
  }
}
