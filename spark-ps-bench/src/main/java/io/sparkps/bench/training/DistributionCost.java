package io.sparkps.bench.training;

import static io.sparkps.bench.MarkdownTable.f0;
import static io.sparkps.bench.MarkdownTable.f1;
import static io.sparkps.bench.MarkdownTable.f2;
import static io.sparkps.bench.MarkdownTable.f3;
import static io.sparkps.bench.MarkdownTable.f4;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.BenchSpark;
import io.sparkps.bench.MarkdownTable;
import io.sparkps.bench.Stats;
import io.sparkps.examples.CtrData;
import io.sparkps.examples.MnistData;
import io.sparkps.model.ExampleBlock;
import io.sparkps.spark.PSTrainer;
import io.sparkps.spark.TrainingSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The cost of distribution: examples per second of spark-ps training (2 workers, 1 server,
 * {@code local[2]}) against {@link LocalLoop}, one thread running the library's own code (its
 * example store, batches and shuffles, the model, the servers' optimizer classes) without
 * Spark or servers. spark-ps runs once per framework: by default Sandblaster and Downpour (the
 * server in a process of its own, every step a round trip over loopback; Downpour's workers do
 * not wait for each other) and in-memory Hogwild (the server co-located with both workers in
 * the executor JVM, reached by a direct call).
 *
 * <p>Cases: {@code a9a} (binary logistic regression, 123 sparse features, batch 64, AdaGrad),
 * {@code mnist} (MLP with 128 hidden units on the 8k training part of the MNIST split, batch
 * 32, Adam: compute-heavy) and {@code ctr} (logistic regression on generated click-like data,
 * 1M features with about 30 of them per row, row-sparse pulls, batch 64, AdaGrad). The
 * default epochs make the single-process loop run for at least about 10 s per case, so that a
 * fit's fixed costs (task launch, server start, the final gather) do not hide its steady
 * state, and the two are reported apart:
 *
 * <ul>
 *   <li><b>steady-state ratio</b>: the workers' examples per second over their steps after
 *       the first fifth (from the summary's per-step times, {@code stepSeconds}) against the
 *       single-process examples per second;
 *   <li><b>fixed per-fit cost</b>: the fit's wall time (measured around {@code fit}) minus
 *       the time its examples take at that steady rate;
 *   <li><b>whole-fit ratio</b>: the examples over the fit's wall time, against single-process.
 * </ul>
 *
 * <p>After a one-epoch warm-up of each path, every repetition runs the single-process loop
 * with ND4J on one thread and on all cores and spark-ps, back to back in rotating order; the
 * faster single-process setting is the baseline. Figures are medians over the repetitions.
 *
 * <pre>
 * bin/bench training.DistributionCost [--cases a9a,mnist,ctr] [--reps 3]
 *     [--frameworks sandblaster,downpour,inmemory-hogwild]
 *     [--a9a-epochs 1000] [--mnist-epochs 15] [--ctr-epochs 40]
 *     [--a9a-rows 32561] [--mnist-rows 8000] [--ctr-rows 100000]
 * </pre>
 *
 * The defaults are the full benchmark, about an hour on 2 idle cores (the spark-ps fits take
 * most of it: a9a's 32.6M examples at well under a million examples/s). It prints a markdown table and writes it
 * to {@code spark-ps-bench/target/bench/DistributionCost.md}.
 */
public final class DistributionCost {
  private static final Map<String, String> DEFAULTS = defaults();

  private static final int CTR_FEATURES = 1_000_000;
  private static final int CTR_NNZ = 30;
  /** The steps a fit's steady state leaves out: its first fifth. */
  private static final double WARM_FRACTION = 0.2;

  private DistributionCost() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("cases", "a9a,mnist,ctr");
    d.put("reps", "3");
    d.put("frameworks", "sandblaster,downpour,inmemory-hogwild");
    d.put("a9a-epochs", "1000");
    d.put("mnist-epochs", "15");
    d.put("ctr-epochs", "40");
    d.put("a9a-rows", "32561");
    d.put("mnist-rows", "8000");
    d.put("ctr-rows", "100000");
    return d;
  }

  /**
   * One case's figures, each a median over the repetitions.
   *
   * @param localThreads ND4J threads of the faster single-process setting, the baseline
   * @param local single-process examples per second
   * @param localSeconds single-process seconds of one training
   * @param psSteady spark-ps examples per second of the workers' steps after the first fifth
   * @param psWhole spark-ps examples per second of the whole fit (wall time around fit)
   * @param fixedSeconds the fit's wall time minus its examples' time at the steady rate
   * @param networkShare of the workers' loop time, the part in pull and push (waiting on
   *     the network, the servers and, in a synchronous group, the other workers)
   * @param psMs per spark-ps step, milliseconds of batch, pull, compute, push (mean worker)
   * @param localMs per local step, milliseconds of compute and optimizer update
   */
  record CaseResult(String name, String framework, int rows, int epochs, int localThreads,
      double local, double localSeconds, double psSteady, double psWhole, double fixedSeconds,
      double networkShare, double localLoss, double psLoss, double[] psMs, double[] localMs) {

    double steadyRatio() {
      return psSteady / local;
    }

    double wholeRatio() {
      return psWhole / local;
    }
  }

  /** One data set and model, trained by both paths. */
  record Case(String name, int epochs, Dataset<Row> frame, ExampleBlock examples,
      PSTrainer trainer, LocalLoop loop) {}

  public static void main(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs("training.DistributionCost", argv, DEFAULTS);
    SparkSession spark = BenchSpark.local("spark-ps DistributionCost", 2);
    try {
      spark.sparkContext().setLogLevel("WARN");
      List<Case> cases = new ArrayList<>();
      for (String name : args.get("cases").split(",")) {
        cases.add(switch (name.trim()) {
          case "a9a" -> a9a(spark, args.getInt("a9a-rows"), args.getInt("a9a-epochs"));
          case "mnist" -> mnist(spark, args.getInt("mnist-rows"),
              args.getInt("mnist-epochs"));
          case "ctr" -> ctr(spark, args.getInt("ctr-rows"), args.getInt("ctr-epochs"));
          default -> throw new IllegalArgumentException("unknown case " + name + " in --cases");
        });
      }
      List<CaseResult> results = new ArrayList<>();
      for (Case c : cases) {
        for (String framework : args.get("frameworks").split(",")) {
          c.trainer().setFramework(framework.trim());
          results.add(measure(c, args.getInt("reps")));
        }
      }
      String table = table(results);
      System.out.println(table);
      BenchOutput.write("DistributionCost.md", table);
    } finally {
      spark.stop();
    }
  }

  static Case a9a(SparkSession spark, int rows, int epochs) {
    return sparseLr("a9a LR", BenchData.a9aTrain(spark, rows), epochs, false);
  }

  static Case mnist(SparkSession spark, int rows, int epochs) {
    List<Row> train = BenchData.mnistTrain(rows);
    PSTrainer trainer = trainer(epochs, 32).setModelType("mlp").setHiddenLayers(new int[] {128})
        .setNumClasses(10).setOptimizer("adam").setStepSize(0.002);
    Dataset<Row> frame = BenchData.cached(MnistData.frame(spark, train));
    return new Case("MNIST MLP", epochs, frame, BenchData.block(frame.collectAsList()), trainer,
        new LocalLoop(trainer.modelFor(10), trainer.optimizerConfig(), 32, false));
  }

  static Case ctr(SparkSession spark, int rows, int epochs) {
    Dataset<Row> df = CtrData.generate(spark, rows, CTR_FEATURES, CTR_NNZ, 7, 11, 2)
        .select("label", "features");
    return sparseLr("wide LR (1M features)", df, epochs, true);
  }

  private static Case sparseLr(String name, Dataset<Row> df, int epochs, boolean rowSparse) {
    Dataset<Row> frame = BenchData.cached(df);
    PSTrainer trainer = trainer(epochs, 64).setModelType("logistic").setOptimizer("adagrad")
        .setStepSize(0.1).setPullMode(rowSparse ? "sparse" : "dense");
    return new Case(name, epochs, frame, BenchData.block(frame.collectAsList()), trainer,
        new LocalLoop(trainer.modelFor(2), trainer.optimizerConfig(), 64, rowSparse));
  }

  private static PSTrainer trainer(int epochs, int batch) {
    return new PSTrainer().setFramework("sandblaster").setNumWorkers(2).setNumServers(1)
        .setMaxEpochs(epochs).setBatchSize(batch);
  }

  /**
   * A one-epoch warm-up of each path, then {@code reps} rounds of three runs in rotating
   * order: the single-process loop with one ND4J thread, with one per core, and spark-ps. The
   * faster single-process setting is the baseline.
   */
  static CaseResult measure(Case c, int reps) {
    int cores = Runtime.getRuntime().availableProcessors();
    c.loop().train(c.examples(), 1, 42, 1);
    c.trainer().setMaxEpochs(1).fit(c.frame());
    c.trainer().setMaxEpochs(c.epochs());
    double[][] local = new double[2][reps];
    double[][] localSeconds = new double[2][reps];
    double[][] localLoss = new double[2][reps];
    double[][][] localMs = new double[2][2][reps];
    double[] steady = new double[reps];
    double[] whole = new double[reps];
    double[] fixed = new double[reps];
    double[] network = new double[reps];
    double[] psLoss = new double[reps];
    double[][] psMs = new double[4][reps];
    for (int r = 0; r < reps; r++) {
      for (int turn = 0; turn < 3; turn++) {
        int run = (turn + r) % 3;
        if (run < 2) {
          LocalLoop.Result l = c.loop().train(c.examples(), c.epochs(), 42 + r,
              run == 0 ? 1 : cores);
          int steps = l.stepLoss().length;
          local[run][r] = l.examplesPerSecond();
          localSeconds[run][r] = l.seconds();
          localLoss[run][r] = l.finalLoss();
          localMs[run][0][r] = 1e3 * l.computeSeconds() / steps;
          localMs[run][1][r] = 1e3 * l.updateSeconds() / steps;
        } else {
          long t0 = System.nanoTime();
          TrainingSummary s = c.trainer().setSeed(42 + r).fit(c.frame()).summary();
          double wall = (System.nanoTime() - t0) / 1e9;
          steady[r] = steadyExamplesPerSecond(s);
          whole[r] = s.examples() / wall;
          fixed[r] = wall - s.examples() / steady[r];
          psLoss[r] = s.finalLoss();
          for (TrainingSummary.WorkerStats w : s.workers()) {
            TrainingSummary.StepPhases p = w.phases();
            network[r] += (p.pullSeconds() + p.pushSeconds()) / w.seconds()
                / s.workers().size();
            double perStep = 1e3 / w.steps() / s.workers().size();
            psMs[0][r] += p.batchSeconds() * perStep;
            psMs[1][r] += p.pullSeconds() * perStep;
            psMs[2][r] += p.computeSeconds() * perStep;
            psMs[3][r] += p.pushSeconds() * perStep;
          }
        }
      }
      System.out.printf(Locale.ROOT, "%s %s rep %d: single-process %.0f (1 thread) / %.0f (%d "
          + "threads) examples/s, spark-ps steady %.0f, whole fit %.0f, fixed %.2f s%n",
          c.name(), c.trainer().getFramework(), r + 1, local[0][r], local[1][r], cores,
          steady[r], whole[r], fixed[r]);
    }
    int best = Stats.median(local[0]) >= Stats.median(local[1]) ? 0 : 1;
    double[] psMedians = new double[4];
    for (int k = 0; k < 4; k++) {
      psMedians[k] = Stats.median(psMs[k]);
    }
    return new CaseResult(c.name(), c.trainer().getFramework(), c.examples().size(), c.epochs(),
        best == 0 ? 1 : cores, Stats.median(local[best]), Stats.median(localSeconds[best]),
        Stats.median(steady), Stats.median(whole), Stats.median(fixed), Stats.median(network),
        Stats.median(localLoss[best]), Stats.median(psLoss), psMedians,
        new double[] {Stats.median(localMs[best][0]), Stats.median(localMs[best][1])});
  }

  /**
   * Examples per second of the workers' steps after the first fifth: from the mean worker's
   * time at the end of each step ({@code stepSeconds}), with the fit's examples per step.
   */
  static double steadyExamplesPerSecond(TrainingSummary s) {
    double[] t = s.stepSeconds();
    int last = t.length - 1;
    int from = Math.min(Math.max(1, (int) (t.length * WARM_FRACTION)), last - 1);
    if (from < 0 || t[last] <= t[from]) {
      return s.examplesPerSecond();
    }
    double perStep = (double) s.examples() / t.length;
    return perStep * (last - from) / (t[last] - t[from]);
  }

  static String table(List<CaseResult> results) {
    MarkdownTable table = new MarkdownTable("case", "framework", "rows x epochs",
        "steady-state ratio", "spark-ps steady examples/s",
        "single-process examples/s (ND4J threads)", "single-process s",
        "fixed per-fit cost (s)", "whole-fit ratio", "waiting on servers, % of loop",
        "spark-ps ms per step: batch / pull / compute / push",
        "single-process ms per step: compute / update", "final loss single / spark-ps");
    for (CaseResult r : results) {
      table.row(r.name(), r.framework(), MarkdownTable.fmt("%,d x %d", r.rows(), r.epochs()),
          f2(r.steadyRatio()), f0(r.psSteady()), f0(r.local()) + " (" + r.localThreads() + ")",
          f1(r.localSeconds()), f2(r.fixedSeconds()), f2(r.wholeRatio()),
          f0(100 * r.networkShare()),
          f3(r.psMs()[0]) + " / " + f3(r.psMs()[1]) + " / " + f3(r.psMs()[2]) + " / "
              + f3(r.psMs()[3]),
          f3(r.localMs()[0]) + " / " + f3(r.localMs()[1]),
          f4(r.localLoss()) + " / " + f4(r.psLoss()));
    }
    return table + "\nspark-ps: 2 workers, 1 server (sandblaster, downpour: its own process; "
        + "inmemory-hogwild: co-located in the executor JVM), local[2]; single-process: one "
        + "thread, the library's example store, batches, shuffle, model and optimizer, ND4J on "
        + "1 or on all cores, whichever was faster. Medians of the repetitions. Steady state: "
        + "the workers' steps after the first fifth. Fixed per-fit cost: fit wall time minus "
        + "the examples' time at the steady rate. Waiting on servers: the workers' pull and push "
        + "phases (round trips, the servers' updates, a synchronous group's slowest worker).\n";
  }
}
