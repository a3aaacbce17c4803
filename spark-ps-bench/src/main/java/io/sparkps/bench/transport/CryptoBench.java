package io.sparkps.bench.transport;

import static io.sparkps.bench.MarkdownTable.f1;
import static io.sparkps.bench.MarkdownTable.f2;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.BenchSpark;
import io.sparkps.bench.MarkdownTable;
import io.sparkps.bench.Stats;
import io.sparkps.bench.training.BenchData;
import io.sparkps.cluster.PsCluster;
import io.sparkps.config.PsConf;
import io.sparkps.spark.PSTrainer;
import io.sparkps.spark.PsClusters;
import io.sparkps.spark.TrainingSummary;
import io.sparkps.transport.FrameEncoder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The cost of {@code spark.ps.crypto.enabled}: the same work with encryption off and on, side by
 * side in one run.
 *
 * <p><b>Dense</b>: {@link TransportBench}'s dense exchange (this JVM pushes {@code
 * --slice-floats} gradients round robin over {@code --slices} slices, {@code --window} in
 * flight, each answered with the slice's new values) against two one-server clusters started
 * together, one plain and one encrypted. After {@code --warmup} rounds of each, {@code --rounds}
 * rounds alternate plain, encrypted; medians, MB/s each way, encrypted/plain, and CPU ms per
 * request of this JVM and of the server.
 *
 * <p><b>a9a</b>: sandblaster fits of DistributionCost's a9a case (logistic regression, AdaGrad,
 * batch 64, 2 workers, 1 server JVM, {@code local[2]}; every step a round trip to the server),
 * {@code --fits} of each, alternating plain and encrypted. Each switch restarts the server (the
 * cluster of an application has one setting), outside the timed stage, and the new server JVM
 * first runs {@code --a9a-warmup} untimed fits, so that the timed one meets compiled code, as
 * the fits of a long-lived cluster do; examples/s of the training stage, medians,
 * encrypted/plain.
 *
 * <pre>
 * bin/bench transport.CryptoBench [--slice-floats 1048576] [--slices 4] [--window 4]
 *     [--requests 48] [--warmup 3] [--rounds 7] [--a9a-rows 32561] [--a9a-epochs 3]
 *     [--fits 5] [--a9a-warmup 1] [--server-memory 512m] [--out DIR]
 * </pre>
 *
 * About 4 minutes with the defaults on 2 cores; writes {@code CryptoBench.md} to {@code --out}
 * (default spark-ps-bench/target/bench).
 */
public final class CryptoBench {
  private static final long ROUND_TIMEOUT_MS = 120_000;
  private static final String CRYPTO = PsConf.CRYPTO_ENABLED.key();
  private static final Map<String, String> DEFAULTS = defaults();

  /**
   * What a run measured, for the tables and for checks.
   *
   * @param answered frame bytes of the dense answers received: plain, encrypted
   * @param expectedIn UPDATE payload bytes sent, and those the plain and encrypted servers
   *     counted
   * @param a9aLoss final loss of the last plain and the last encrypted fit
   */
  record Result(MarkdownTable dense, MarkdownTable a9a, double denseRatio, double a9aRatio,
      long[] answered, long[] expectedIn, double[] a9aLoss) {}

  private CryptoBench() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("slice-floats", "1048576");
    d.put("slices", "4");
    d.put("window", "4");
    d.put("requests", "48");
    d.put("warmup", "3");
    d.put("rounds", "7");
    d.put("a9a-rows", "32561");
    d.put("a9a-epochs", "3");
    d.put("fits", "5");
    d.put("a9a-warmup", "1");
    d.put("server-memory", "512m");
    d.put("out", BenchArgs.defaultOutDir().toString());
    return d;
  }

  public static void main(String[] args) throws Exception {
    SparkSession spark = BenchSpark.local("spark-ps CryptoBench", 2);
    try {
      spark.sparkContext().setLogLevel("WARN");
      run(spark, args);
    } finally {
      spark.stop();
    }
  }

  /** Runs the benchmark, prints its tables and ratios and writes them to {@code --out}. */
  static Result run(SparkSession spark, String... args) throws Exception {
    BenchArgs a = new BenchArgs("transport.CryptoBench", args, DEFAULTS);
    Dense d = dense(a);
    A9a f = a9a(spark, a);
    Result r = new Result(d.table(), f.table(), d.ratio(), f.ratio(), d.answered(),
        d.expectedIn(), f.loss());
    MarkdownTable.publish(Path.of(a.get("out")).resolve("CryptoBench.md"), "CryptoBench",
        String.format(Locale.ROOT, "spark.ps.crypto.enabled off and on, side by side; medians "
            + "(2 shared cores: compare within a run). Encrypted / plain: dense push+pull "
            + "%.2f, a9a examples/s %.2f.", r.denseRatio(), r.a9aRatio()), r.dense(), r.a9a());
    return r;
  }

  private record Dense(MarkdownTable table, double ratio, long[] answered, long[] expectedIn) {}

  private static Dense dense(BenchArgs a) throws Exception {
    int floats = a.getInt("slice-floats");
    int requests = a.getInt("requests");
    int window = a.getInt("window");
    int rounds = a.getInt("rounds");
    try (PsCluster plain = cluster(a, false); PsCluster encrypted = cluster(a, true)) {
      PsCluster[] clusters = {plain, encrypted};
      DenseExchange[] exchanges = new DenseExchange[2];
      for (int c = 0; c < 2; c++) {
        exchanges[c] = new DenseExchange(clusters[c], clusters[c].reserveParamIds(1),
            a.getInt("slices"), floats);
      }
      for (int w = 0; w < a.getInt("warmup"); w++) {
        for (DenseExchange e : exchanges) {
          e.round(requests, window, ROUND_TIMEOUT_MS);
        }
      }
      long self = ProcessHandle.current().pid();
      double[][] seconds = new double[2][rounds];
      double[][] cpu = new double[2][2]; // ms: client, server
      for (int r = 0; r < rounds; r++) {
        for (int c = 0; c < 2; c++) {
          long server = clusters[c].serverPids().get(0);
          double c0 = CpuTime.ms(self);
          double s0 = CpuTime.ms(server);
          long t0 = System.nanoTime();
          exchanges[c].round(requests, window, ROUND_TIMEOUT_MS);
          seconds[c][r] = (System.nanoTime() - t0) / 1e9;
          cpu[c][0] += CpuTime.ms(self) - c0;
          cpu[c][1] += CpuTime.ms(server) - s0;
        }
      }
      MarkdownTable table = new MarkdownTable("spark.ps.crypto.enabled", "request", "answer",
          "in flight", "requests/round", "rounds", "median s/round", "MB/s each way",
          "encrypted/plain", "CPU ms/request client", "CPU ms/request server");
      long up = FrameEncoder.HEADER_BYTES + DenseExchange.UPDATE_OVERHEAD
          + (long) floats * Float.BYTES;
      long down = FrameEncoder.HEADER_BYTES + DenseExchange.VALUES_OVERHEAD
          + (long) floats * Float.BYTES;
      double all = (double) rounds * requests;
      double[] median = {Stats.median(seconds[0]), Stats.median(seconds[1])};
      for (int c = 0; c < 2; c++) {
        table.row(c == 1 ? "on" : "off", mib(up), mib(down), window, requests, rounds,
            f2(median[c]),
            f1(requests * up / median[c] / 1e6), f2(median[0] / median[c]),
            f2(cpu[c][0] / all), f2(cpu[c][1] / all));
      }
      long[] answered = {exchanges[0].bytesAnswered(), exchanges[1].bytesAnswered()};
      long[] in = {exchanges[0].expectedPayloadBytesIn(), exchanges[0].serverPayloadBytesIn(),
          exchanges[1].serverPayloadBytesIn()};
      return new Dense(table, median[0] / median[1], answered, in);
    }
  }

  private static PsCluster cluster(BenchArgs a, boolean encrypted) {
    return PsCluster.start(new PsConf(Map.of(PsConf.SERVER_MEMORY.key(), a.get("server-memory"),
        CRYPTO, Boolean.toString(encrypted))), 1, "127.0.0.1");
  }

  private record A9a(MarkdownTable table, double ratio, double[] loss) {}

  private static A9a a9a(SparkSession spark, BenchArgs a) {
    Dataset<Row> frame = BenchData.cached(BenchData.a9aTrain(spark, a.getInt("a9a-rows")));
    long rows = frame.count();
    int epochs = a.getInt("a9a-epochs");
    PSTrainer trainer = new PSTrainer().setFramework("sandblaster").setNumWorkers(2)
        .setNumServers(1).setMaxEpochs(epochs).setBatchSize(64).setModelType("logistic")
        .setOptimizer("adagrad").setStepSize(0.1).setSeed(42);
    int fits = a.getInt("fits");
    double[][] rate = new double[2][fits];
    double[] loss = new double[2];
    try {
      for (int turn = 0; turn < fits; turn++) {
        for (int c = 0; c < 2; c++) {
          spark.conf().set(CRYPTO, Boolean.toString(c == 1));
          for (int w = 0; w < a.getInt("a9a-warmup"); w++) {
            trainer.fit(frame);
          }
          TrainingSummary s = trainer.fit(frame).summary();
          rate[c][turn] = s.examplesPerSecond();
          loss[c] = s.finalLoss();
          System.out.printf(Locale.ROOT, "a9a fit %d, encrypted %s: %.0f examples/s%n",
              turn + 1, c == 1, s.examplesPerSecond());
        }
      }
    } finally {
      spark.conf().unset(CRYPTO);
      PsClusters.stop(spark.sparkContext().applicationId());
      frame.unpersist();
    }
    MarkdownTable table = new MarkdownTable("spark.ps.crypto.enabled", "framework",
        "rows x epochs", "fits", "median examples/s (stage)", "encrypted/plain", "final loss");
    double[] median = {Stats.median(rate[0]), Stats.median(rate[1])};
    for (int c = 0; c < 2; c++) {
      table.row(c == 1 ? "on" : "off", "sandblaster (2 workers, 1 server JVM)",
          rows + " x " + epochs, fits,
          MarkdownTable.f0(median[c]), f2(median[c] / median[0]),
          MarkdownTable.f4(loss[c]));
    }
    return new A9a(table, median[1] / median[0], loss);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1 << 20));
  }
}
