package io.sparkps.bench.transport;

import static io.sparkps.bench.MarkdownTable.f1;
import static io.sparkps.bench.MarkdownTable.f2;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.BenchSpark;
import io.sparkps.bench.MarkdownTable;
import io.sparkps.bench.Stats;
import io.sparkps.client.ParamLayout;
import io.sparkps.client.PsClient;
import io.sparkps.client.Share;
import io.sparkps.cluster.PsCluster;
import io.sparkps.cluster.ServerFailure;
import io.sparkps.config.PsConf;
import io.sparkps.examples.ExampleData;
import io.sparkps.param.SliceInfo;
import io.sparkps.spark.PSTrainer;
import io.sparkps.spark.PsClusters;
import io.sparkps.transport.SliceSetup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What server fault tolerance costs and how fast it recovers, measured side by side in one run.
 *
 * <p><b>Recovery</b>: {@code --servers} server JVMs with one backup per slice; every slice of
 * a model is pushed to in a loop (the next push once the last one is answered, as a worker
 * does). {@code --kills} times, one live server chosen at random is killed with SIGKILL; for
 * each slice it served as primary, the pause is the longest gap between two answered pushes
 * around the kill (the failover: noticing the exit, promoting the backup, the client finding the
 * new primary and resending). Between kills the cluster gets its replacement server and its
 * backups back.
 *
 * <p><b>Replication overhead</b>: dense push+pull of {@code --dense-floats} slices against a
 * cluster with replication 1 and one with replication 0, rounds interleaved; and a9a training
 * ({@code --a9a-epochs} epochs, 2 workers, {@code --servers} servers, SGD) of sandblaster and
 * downpour with {@code spark.ps.replication} 1 and 0, fits interleaved, medians of {@code
 * --rounds}.
 *
 * <pre>
 * bin/bench transport.FailoverBench [--kills 6] [--servers 3] [--slices 6]
 *     [--slice-floats 65536] [--dense-floats 1048576] [--dense-requests 200] [--window 4]
 *     [--rounds 3] [--a9a-rows 32561] [--a9a-epochs 3] [--out DIR]
 * </pre>
 *
 * Takes about 2 minutes with the defaults; writes {@code FailoverBench.md} to {@code --out}.
 */
public final class FailoverBench {
  private static final Map<String, String> DEFAULTS = defaults();

  /** One kill: when it happened relative to the coordinator's view, and the slices' pauses. */
  record Kill(int server, double detectMs, double takeOverMs, List<Double> pausesMs) {}

  /** The tables and the figures behind them. */
  record Result(MarkdownTable recovery, MarkdownTable overhead, List<Kill> kills,
      double denseRatio, Map<String, Double> trainingRatios) {}

  private FailoverBench() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("kills", "6");
    d.put("servers", "3");
    d.put("slices", "6");
    d.put("slice-floats", "65536");
    d.put("dense-floats", "1048576");
    d.put("dense-requests", "200");
    d.put("window", "4");
    d.put("rounds", "3");
    d.put("a9a-rows", "32561");
    d.put("a9a-epochs", "3");
    d.put("out", io.sparkps.bench.BenchArgs.defaultOutDir().toString());
    return d;
  }

  public static void main(String[] args) throws Exception {
    run(args);
  }

  /** Runs the benchmark, prints its tables and writes them to {@code --out}. */
  static Result run(String... args) throws Exception {
    BenchArgs a = new BenchArgs("transport.FailoverBench", args, DEFAULTS);
    List<Kill> kills = recovery(a);
    MarkdownTable recovery = new MarkdownTable("kills", "slices paused", "pause p50 ms",
        "pause max ms", "kill to found lost ms (median)", "found lost to backups serving ms "
            + "(median)");
    List<Double> pauses = new ArrayList<>();
    kills.forEach(k -> pauses.addAll(k.pausesMs()));
    double[] p = pauses.stream().mapToDouble(Double::doubleValue).toArray();
    recovery.row(kills.size(), p.length, f1(Stats.median(p)),
        f1(pauses.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)),
        f1(Stats.median(kills.stream().mapToDouble(Kill::detectMs).toArray())),
        f1(Stats.median(kills.stream().mapToDouble(Kill::takeOverMs).toArray())));

    MarkdownTable overhead = new MarkdownTable("workload", "replication 0", "replication 1",
        "ratio (1 / 0)");
    double denseRatio = dense(a, overhead);
    Map<String, Double> training = training(a, overhead);
    Result r = new Result(recovery, overhead, kills, denseRatio, training);
    MarkdownTable.publish(Path.of(a.get("out")).resolve("FailoverBench.md"), "FailoverBench",
        "Server JVMs on 127.0.0.1 (2 shared cores). Recovery: " + a.get("servers")
            + " servers, replication 1, every slice pushed in a loop; pause = longest gap "
            + "between two answered pushes of a slice whose primary was killed (SIGKILL). "
            + "Overhead: medians of " + a.get("rounds") + " interleaved rounds; dense = MB/s "
            + "each way of push+pull of " + a.get("dense-floats") + "-float slices, "
            + a.get("window") + " in flight; training = examples/s of a9a fits.",
        r.recovery(), r.overhead());
    return r;
  }

  /** Kills servers under load; the pauses of the slices they served. */
  private static List<Kill> recovery(BenchArgs a) throws Exception {
    int servers = a.getInt("servers");
    PsConf conf = new PsConf(Map.of(PsConf.SERVER_MEMORY.key(), "256m",
        PsConf.REPLICATION.key(), "1"));
    List<Kill> kills = new ArrayList<>();
    Random random = new Random(42);
    try (PsCluster cluster = PsCluster.start(conf, servers, "127.0.0.1")) {
      int paramId = cluster.reserveParamIds(1);
      int floats = a.getInt("slice-floats");
      List<SliceInfo> slices = new ArrayList<>();
      for (int s = 0; s < a.getInt("slices"); s++) {
        slices.add(new SliceInfo(0, paramId, s, (long) s * floats, floats, s % servers));
      }
      cluster.createSlices(slices, TransportBench.sgd(), SliceSetup.single(1),
          ParamLayout.InitialValues.zeros());
      Load load = new Load(cluster.client(), slices);
      load.start();
      try {
        for (int k = 0; k < a.getInt("kills"); k++) {
          Thread.sleep(1000);
          Map<Integer, Long> pids = cluster.livePids();
          List<Integer> ids = new ArrayList<>(pids.keySet());
          int victim = ids.get(random.nextInt(ids.size()));
          List<Integer> served = new ArrayList<>();
          for (int s = 0; s < slices.size(); s++) {
            if (cluster.primaryOf(slices.get(s)) == victim) {
              served.add(s);
            }
          }
          int failuresBefore = cluster.failures().size();
          long killed = System.nanoTime();
          ProcessHandle.of(pids.get(victim)).ifPresent(ProcessHandle::destroyForcibly);
          long deadline = killed + TimeUnit.SECONDS.toNanos(30);
          while (cluster.failures().size() == failuresBefore && System.nanoTime() < deadline) {
            Thread.sleep(1);
          }
          ServerFailure f = cluster.failures().get(failuresBefore);
          Thread.sleep(1000);
          List<Double> pauses = new ArrayList<>();
          for (int s : served) {
            pauses.add(load.longestGapMs(s, killed - TimeUnit.MILLISECONDS.toNanos(500),
                killed + TimeUnit.SECONDS.toNanos(1)));
          }
          kills.add(new Kill(victim, (f.detectedNanos() - killed) / 1e6, f.takeOverMillis(),
              pauses));
          if (!cluster.awaitHealthy(60_000)) {
            throw new IllegalStateException("no replacement server joined after kill " + k);
          }
        }
      } finally {
        load.stop();
      }
    }
    return kills;
  }

  /** Every slice pushed in its own loop, recording when each push was answered. */
  static final class Load {
    private final PsClient client;
    private final List<SliceInfo> slices;
    private final List<List<Long>> answered = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<CompletableFuture<Void>> loops = new ArrayList<>();
    private final float[][] gradients;

    Load(PsClient client, List<SliceInfo> slices) {
      this.client = client;
      this.slices = slices;
      this.gradients = new float[slices.size()][];
      for (int s = 0; s < slices.size(); s++) {
        answered.add(new ArrayList<>());
        gradients[s] = new float[slices.get(s).length()];
        java.util.Arrays.fill(gradients[s], 1e-3f);
      }
    }

    void start() {
      for (int s = 0; s < slices.size(); s++) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loops.add(done);
        push(s, 0, done);
      }
    }

    private void push(int s, long step, CompletableFuture<Void> done) {
      if (!running.get()) {
        done.complete(null);
        return;
      }
      client.push(slices.get(s), Share.of(step, 0, 0, 1), gradients[s]).whenComplete((v, e) -> {
        if (e != null) {
          done.completeExceptionally(e);
          return;
        }
        List<Long> times = answered.get(s);
        synchronized (times) {
          times.add(System.nanoTime());
        }
        push(s, step + 1, done);
      });
    }

    /**
     * The longest gap between answers of slice {@code s} within [from, to], counting from
     * {@code from} to the first answer and from the last answer to {@code to}: a slice that
     * was not served again within the window shows a gap as long as the rest of it.
     */
    double longestGapMs(int s, long from, long to) {
      List<Long> times = answered.get(s);
      long longest = 0;
      synchronized (times) {
        long previous = from;
        for (long t : times) {
          if (t < from) {
            continue;
          }
          if (t > to) {
            break;
          }
          longest = Math.max(longest, t - previous);
          previous = t;
        }
        longest = Math.max(longest, to - previous);
      }
      return longest / 1e6;
    }

    /** The median gap between two answers of slice {@code s} within [from, to]. */
    double medianGapMs(int s, long from, long to) {
      List<Long> times = answered.get(s);
      List<Double> gaps = new ArrayList<>();
      synchronized (times) {
        long previous = -1;
        for (long t : times) {
          if (t >= from && t <= to) {
            if (previous >= 0) {
              gaps.add((t - previous) / 1e6);
            }
            previous = t;
          }
        }
      }
      return Stats.median(gaps.stream().mapToDouble(Double::doubleValue).toArray());
    }

    void stop() throws Exception {
      running.set(false);
      for (CompletableFuture<Void> f : loops) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
  }

  /** Dense push+pull MB/s with replication 1 against 0; returns the ratio. */
  private static double dense(BenchArgs a, MarkdownTable table) throws Exception {
    int servers = a.getInt("servers");
    int floats = a.getInt("dense-floats");
    int requests = a.getInt("dense-requests");
    int window = a.getInt("window");
    int rounds = a.getInt("rounds");
    double[][] mbs = new double[2][rounds];
    double[][] cpu = new double[2][rounds];
    List<PsCluster> clusters = new ArrayList<>();
    try {
      DenseExchange[] exchanges = new DenseExchange[2];
      for (int r = 0; r <= 1; r++) {
        PsConf conf = new PsConf(Map.of(PsConf.SERVER_MEMORY.key(), "512m",
            PsConf.REPLICATION.key(), Integer.toString(r)));
        PsCluster c = PsCluster.start(conf, servers, "127.0.0.1");
        clusters.add(c);
        exchanges[r] = new DenseExchange(c, c.reserveParamIds(1), 1, floats);
        exchanges[r].round(requests / 4, window, 120_000);
      }
      for (int round = 0; round < rounds; round++) {
        for (int r = 0; r <= 1; r++) {
          double cpu0 = serverCpuMs(clusters.get(r));
          long t0 = System.nanoTime();
          exchanges[r].round(requests, window, 120_000);
          double seconds = (System.nanoTime() - t0) / 1e9;
          mbs[r][round] = requests * (double) floats * Float.BYTES / 1e6 / seconds;
          cpu[r][round] = (serverCpuMs(clusters.get(r)) - cpu0) / requests;
        }
      }
    } finally {
      clusters.forEach(PsCluster::close);
    }
    double off = Stats.median(mbs[0]);
    double on = Stats.median(mbs[1]);
    table.row("dense push+pull, " + floats + " floats, MB/s each way", f1(off), f1(on),
        f2(on / off));
    double cpuOff = Stats.median(cpu[0]);
    double cpuOn = Stats.median(cpu[1]);
    table.row("dense push+pull, CPU ms of all server JVMs per exchange", f2(cpuOff),
        f2(cpuOn), f2(cpuOn / cpuOff));
    return on / off;
  }

  private static double serverCpuMs(PsCluster cluster) {
    double total = 0;
    for (long pid : cluster.livePids().values()) {
      total += CpuTime.ms(pid);
    }
    return total;
  }

  /** a9a examples/s with replication 1 against 0, per framework; returns the ratios. */
  private static Map<String, Double> training(BenchArgs a, MarkdownTable table) {
    Map<String, Double> ratios = new LinkedHashMap<>();
    SparkSession spark = BenchSpark.local("FailoverBench", 2);
    try {
      Path a9a = ExampleData.sharedDataDir().orElseThrow(() -> new IllegalStateException(
          "no shared data folder found: set -Dsparkps.data.dir")).resolve("a9a").resolve("a9a");
      Dataset<Row> train = ExampleData.libsvm(spark, a9a.toString(), 123)
          .limit(a.getInt("a9a-rows")).select("label", "features").repartition(2).cache();
      train.count();
      spark.conf().set("spark.ps.server.memory", "256m");
      int rounds = a.getInt("rounds");
      for (String framework : List.of("sandblaster", "downpour")) {
        double[][] eps = new double[2][rounds];
        for (int round = 0; round < rounds; round++) {
          for (int r = 0; r <= 1; r++) {
            spark.conf().set("spark.ps.replication", Integer.toString(r));
            eps[r][round] = new PSTrainer().setFramework(framework).setNumWorkers(2)
                .setNumServers(a.getInt("servers")).setOptimizer("sgd").setStepSize(0.1)
                .setBatchSize(64).setMaxEpochs(a.getInt("a9a-epochs")).setSeed(1)
                .fit(train).summary().examplesPerSecond();
          }
        }
        double off = Stats.median(eps[0]);
        double on = Stats.median(eps[1]);
        ratios.put(framework, on / off);
        table.row("a9a " + framework + ", examples/s", f1(off), f1(on), f2(on / off));
      }
      train.unpersist();
    } finally {
      PsClusters.stop(spark.sparkContext().applicationId());
      spark.stop();
    }
    return ratios;
  }
}
