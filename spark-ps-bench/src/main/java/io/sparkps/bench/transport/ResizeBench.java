package io.sparkps.bench.transport;

import static io.sparkps.bench.MarkdownTable.f1;
import static io.sparkps.bench.MarkdownTable.f2;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.BenchSpark;
import io.sparkps.bench.MarkdownTable;
import io.sparkps.bench.Stats;
import io.sparkps.client.ParamLayout;
import io.sparkps.cluster.PsCluster;
import io.sparkps.cluster.SliceMove;
import io.sparkps.config.PsConf;
import io.sparkps.examples.ExampleData;
import io.sparkps.param.SliceInfo;
import io.sparkps.spark.PSTrainer;
import io.sparkps.spark.PSTrainerModel;
import io.sparkps.spark.PsClusters;
import io.sparkps.spark.TrainingJobs;
import io.sparkps.transport.SliceSetup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What growing and shrinking the server cluster while it serves costs, measured in one run.
 *
 * <p><b>Moves</b>: {@code --slices} slices of {@code --slice-floats} floats on 2 server JVMs
 * with one backup each, every slice pushed to in a loop (the next push once the last one is
 * answered, as a worker does); the cluster grows to 4 servers, then shrinks to 3. For every
 * moved slice: the copy (its values sent to the new server while the primary kept serving),
 * its rate, and for a moved primary the switch (from the old primary's hand-over to the new map
 * published) and the longest gap between two answered pushes of that slice around it, which is
 * what a worker sees.
 *
 * <p><b>Training around a resize</b>: a sandblaster a9a fit (2 workers, SGD, {@code
 * --a9a-epochs} epochs of batch {@code --batch-size}) grows from 2 to 4 servers {@code
 * --resize-after-ms} into its training and shrinks to 3 once that is done; examples/s before,
 * while servers start and slices move, and after, from the steps the servers applied.
 *
 * <pre>
 * bin/bench transport.ResizeBench [--slices 16] [--slice-floats 262144] [--a9a-epochs 6]
 *     [--batch-size 16] [--resize-after-ms 2000] [--out DIR]
 * </pre>
 *
 * Takes about a minute with the defaults; writes {@code ResizeBench.md} to {@code --out}.
 */
public final class ResizeBench {
  private static final Map<String, String> DEFAULTS = defaults();
  /** How long after a switch a moved primary's answers are watched for the worker gap. */
  static final long WINDOW_AFTER_MS = 500;

  /** The tables and the figures behind them. */
  record Result(MarkdownTable moves, MarkdownTable training, List<SliceMove> moved,
      List<Double> gapsMs, double[] examplesPerSecond) {}

  private ResizeBench() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("slices", "16");
    d.put("slice-floats", "262144");
    d.put("a9a-epochs", "6");
    d.put("batch-size", "16");
    d.put("resize-after-ms", "2000");
    d.put("out", BenchArgs.defaultOutDir().toString());
    return d;
  }

  public static void main(String[] args) throws Exception {
    run(args);
  }

  /** Runs the benchmark, prints its tables and writes them to {@code --out}. */
  static Result run(String... args) throws Exception {
    BenchArgs a = new BenchArgs("transport.ResizeBench", args, DEFAULTS);
    List<Double> gaps = new ArrayList<>();
    List<Double> normalGaps = new ArrayList<>();
    List<SliceMove> moved = moves(a, gaps, normalGaps);
    MarkdownTable moves = new MarkdownTable("resize", "copies moved", "primaries switched",
        "switch p50 ms", "switch p99 ms", "switch max ms", "worker gap p50 ms",
        "worker gap max ms", "usual gap p50 ms", "copy MB/s (median)");
    double usual = Stats.median(normalGaps.stream().mapToDouble(Double::doubleValue).toArray());
    for (String phase : List.of("2 -> 4 servers", "4 -> 3 servers", "all")) {
      List<Double> switches = new ArrayList<>();
      List<Double> phaseGaps = new ArrayList<>();
      List<Double> rates = new ArrayList<>();
      int count = 0;
      int primary = 0;
      for (SliceMove m : moved) {
        boolean join = m.reason().equals("join");
        if (!phase.equals("all") && join != phase.startsWith("2")) {
          if (m.primary()) {
            primary++;
          }
          continue;
        }
        count++;
        if (m.bytes() > 0) {
          rates.add(m.copyMBps());
        }
        if (m.primary()) {
          switches.add(m.switchMillis());
          phaseGaps.add(gaps.get(primary++));
        }
      }
      double[] sw = switches.stream().mapToDouble(Double::doubleValue).toArray();
      double[] g = phaseGaps.stream().mapToDouble(Double::doubleValue).toArray();
      moves.row(phase, count, sw.length, f1(Stats.median(sw)), f1(Stats.percentile(sw, 99)),
          f1(max(sw)), f1(Stats.median(g)), f1(max(g)), f1(usual),
          f1(Stats.median(rates.stream().mapToDouble(Double::doubleValue).toArray())));
    }

    double[] eps = training(a);
    MarkdownTable training = new MarkdownTable("a9a sandblaster", "before", "while 2 -> 4",
        "after (3 servers)", "while / before", "after / before");
    training.row("examples/s", f1(eps[0]), f1(eps[1]), f1(eps[2]), f2(eps[1] / eps[0]),
        f2(eps[2] / eps[0]));
    Result r = new Result(moves, training, moved, gaps, eps);
    MarkdownTable.publish(Path.of(a.get("out")).resolve("ResizeBench.md"), "ResizeBench",
        "Server JVMs on 127.0.0.1 (2 shared cores), replication 1. Moves: " + a.get("slices")
            + " slices of " + a.get("slice-floats") + " floats, each pushed in a loop while the"
            + " cluster grows from 2 to 4 servers and shrinks to 3; switch = hand-over to new "
            + "map published; worker gap = longest gap between two answered pushes of a moved "
            + "primary around its switch (usual gap: between answers before any move). Training: examples/s from the steps the servers "
            + "applied, before, during and after the growth.", r.moves(), r.training());
    return r;
  }

  /** Now and the steps applied so far. */
  private static long[] sample(PsCluster cluster) {
    return new long[] {System.nanoTime(), cluster.stepsApplied()};
  }

  /** Examples per second between two samples. */
  private static double rate(long[] from, long[] to, double examplesPerStep) {
    return (to[1] - from[1]) * examplesPerStep / ((to[0] - from[0]) / 1e9);
  }

  private static double max(double[] values) {
    double m = Double.NaN;
    for (double v : values) {
      m = Double.isNaN(m) ? v : Math.max(m, v);
    }
    return m;
  }

  /** Grows and shrinks a cluster under push load; the moves, and each switch's worker gap. */
  private static List<SliceMove> moves(BenchArgs a, List<Double> gaps, List<Double> normalGaps)
      throws Exception {
    PsConf conf = new PsConf(Map.of(PsConf.SERVER_MEMORY.key(), "512m"));
    try (PsCluster cluster = PsCluster.start(conf, 2, "127.0.0.1", 1)) {
      int paramId = cluster.reserveParamIds(1);
      int floats = a.getInt("slice-floats");
      List<SliceInfo> slices = new ArrayList<>();
      for (int s = 0; s < a.getInt("slices"); s++) {
        slices.add(new SliceInfo(0, paramId, s, (long) s * floats, floats, s % 2));
      }
      cluster.createSlices(slices, TransportBench.sgd(), SliceSetup.single(1),
          ParamLayout.InitialValues.zeros());
      FailoverBench.Load load = new FailoverBench.Load(cluster.client(), slices);
      load.start();
      List<SliceMove> moved = new ArrayList<>();
      try {
        long quiet = System.nanoTime();
        Thread.sleep(500);
        for (int s = 0; s < slices.size(); s++) {
          normalGaps.add(load.medianGapMs(s, quiet, System.nanoTime()));
        }
        moved.addAll(cluster.resize(4));
        Thread.sleep(500);
        moved.addAll(cluster.resize(3));
        Thread.sleep(500);
      } finally {
        load.stop();
      }
      for (SliceMove m : moved) {
        if (m.primary()) {
          int s = Integer.parseInt(m.slice().substring(m.slice().lastIndexOf(' ') + 1));
          long switched = m.atNanos() - (long) (m.switchMillis() * 1e6);
          gaps.add(load.longestGapMs(s, switched - TimeUnit.MILLISECONDS.toNanos(20),
              m.atNanos() + TimeUnit.MILLISECONDS.toNanos(WINDOW_AFTER_MS)));
        }
      }
      return moved;
    }
  }

  /** Examples/s of a sandblaster fit before, while and after its cluster grows from 2 to 4. */
  private static double[] training(BenchArgs a) throws Exception {
    SparkSession spark = BenchSpark.local("ResizeBench", 2);
    try {
      Path a9a = ExampleData.sharedDataDir().orElseThrow(() -> new IllegalStateException(
          "no shared data folder found: set -Dsparkps.data.dir")).resolve("a9a").resolve("a9a");
      Dataset<Row> train = ExampleData.libsvm(spark, a9a.toString(), 123)
          .select("label", "features").repartition(2).cache();
      train.count();
      spark.conf().set("spark.ps.server.memory", "256m");
      spark.conf().set("spark.ps.replication", "1");
      spark.conf().set("spark.ps.slicesPerServer", "4");
      int batch = a.getInt("batch-size");
      PSTrainer trainer = new PSTrainer().setFramework("sandblaster").setNumWorkers(2)
          .setNumServers(2).setOptimizer("sgd").setStepSize(0.05).setBatchSize(batch)
          .setMaxEpochs(a.getInt("a9a-epochs")).setSeed(1);
      CountDownLatch started = new CountDownLatch(1);
      TrainingJobs.onStart(spark.sparkContext(), started::countDown);
      CompletableFuture<PSTrainerModel> fit = CompletableFuture.supplyAsync(
          () -> trainer.fit(train));
      if (!started.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the training stage did not start in 120 s");
      }
      PsCluster cluster = PsClusters.running(spark.sparkContext());
      // From the first steps on: the stage's start (params created, tasks started) is not
      // training speed.
      while (cluster.stepsApplied() < 50) {
        if (fit.isDone()) {
          fit.get();
          throw new IllegalStateException("the fit ended before 50 steps");
        }
        Thread.sleep(5);
      }
      long[] before = sample(cluster);
      Thread.sleep(a.getInt("resize-after-ms"));
      long[] growing = sample(cluster);
      cluster.resize(4);
      long[] grown = sample(cluster);
      cluster.resize(3);
      long[] shrunk = sample(cluster);
      Thread.sleep(a.getInt("resize-after-ms"));
      long[] after = sample(cluster);
      if (fit.isDone()) {
        throw new IllegalStateException("the fit ended before the last sample: raise "
            + "--a9a-epochs");
      }
      fit.get(600, TimeUnit.SECONDS);
      double perStep = 2.0 * batch;
      train.unpersist();
      return new double[] {rate(before, growing, perStep), rate(growing, grown, perStep),
          rate(shrunk, after, perStep)};
    } finally {
      PsClusters.stop(spark.sparkContext().applicationId());
      spark.stop();
    }
  }
}
