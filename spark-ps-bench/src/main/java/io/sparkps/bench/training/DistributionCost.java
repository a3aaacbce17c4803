package io.sparkps.bench.training;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.BenchSpark;
import io.sparkps.bench.Stats;
import io.sparkps.examples.CtrData;
import io.sparkps.examples.MnistData;
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
 * {@code local[2]}) against {@link LocalLoop}, one thread running the same model and optimizer
 * code over the same mini-batches without Spark or servers. spark-ps runs once per framework:
 * by default Sandblaster (the server in a process of its own, every step a round trip over
 * loopback) and in-memory Hogwild (the server co-located with both workers in the executor
 * JVM, reached by a direct call).
 *
 * <p>Cases: {@code a9a} (binary logistic regression, 123 sparse features, batch 64, AdaGrad),
 * {@code mnist} (MLP with 128 hidden units on the 8k training part of the MNIST split, batch
 * 32, Adam: compute-heavy) and {@code ctr} (logistic regression on generated click-like data,
 * 1M features with about 30 of them per row, row-sparse pulls, batch 64, AdaGrad). After one
 * warm-up run of each path, every repetition runs the single-process loop with ND4J on one
 * thread and on all cores and spark-ps, back to back in rotating order; the faster
 * single-process setting is the baseline. The table gives medians, the ratio of the medians,
 * the loss of the last epoch
 * of each path, and where each spark-ps step and each local step spent its time.
 *
 * <pre>
 * bin/bench training.DistributionCost [--cases a9a,mnist,ctr] [--reps 3]
 *     [--frameworks sandblaster,inmemory-hogwild]
 *     [--a9a-epochs 3] [--mnist-epochs 2] [--ctr-epochs 2]
 *     [--a9a-rows 32561] [--mnist-rows 8000] [--ctr-rows 20000]
 * </pre>
 *
 * The defaults are the full benchmark: about 5 minutes on 2 idle cores. It prints a
 * markdown table and writes it to {@code spark-ps-bench/target/bench/DistributionCost.md}.
 */
public final class DistributionCost {
  private static final Map<String, String> DEFAULTS = defaults();

  private static final int CTR_FEATURES = 1_000_000;
  private static final int CTR_NNZ = 30;

  private DistributionCost() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("cases", "a9a,mnist,ctr");
    d.put("reps", "3");
    d.put("frameworks", "sandblaster,inmemory-hogwild");
    d.put("a9a-epochs", "3");
    d.put("mnist-epochs", "2");
    d.put("ctr-epochs", "2");
    d.put("a9a-rows", "32561");
    d.put("mnist-rows", "8000");
    d.put("ctr-rows", "20000");
    return d;
  }

  /**
   * One case's figures, each a median over the repetitions.
   *
   * @param localThreads ND4J threads of the faster single-process setting, the baseline
   * @param local single-process examples per second
   * @param psStage spark-ps examples per second of the training stage (task launch included)
   * @param psLoops spark-ps examples per second of the workers' training loops
   * @param psMs per spark-ps step, milliseconds of batch, pull, compute, push (mean worker)
   * @param localMs per local step, milliseconds of compute and optimizer update
   */
  record CaseResult(String name, String framework, int rows, int epochs, int localThreads,
      double local,
      double psStage,
      double psLoops, double localLoss, double psLoss, double[] psMs, double[] localMs) {

    double ratio() {
      return psStage / local;
    }
  }

  /** One data set and model, trained by both paths. */
  record Case(String name, int epochs, Dataset<Row> frame, Examples examples, PSTrainer trainer,
      LocalLoop loop) {}

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
        for (String framework : args.get("frameworks")
            .split(",")) {
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
    return new Case("MNIST MLP", epochs, BenchData.cached(MnistData.frame(spark, train)),
        Examples.of(train), trainer, new LocalLoop(trainer.modelFor(10),
        trainer.optimizerConfig(), 32, false));
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
    return new Case(name, epochs, frame, Examples.of(frame.collectAsList()), trainer,
        new LocalLoop(trainer.modelFor(2), trainer.optimizerConfig(), 64, rowSparse));
  }

  private static PSTrainer trainer(int epochs, int batch) {
    return new PSTrainer().setFramework("sandblaster").setNumWorkers(2).setNumServers(1)
        .setMaxEpochs(epochs).setBatchSize(batch);
  }

  /**
   * One warm-up run of each path, then {@code reps} rounds of three runs in rotating order:
   * the single-process loop with one ND4J thread, with one per core, and spark-ps. The faster
   * single-process setting is the baseline.
   */
  static CaseResult measure(Case c, int reps) {
    int cores = Runtime.getRuntime().availableProcessors();
    c.loop().train(c.examples(), c.epochs(), 42, 1);
    c.trainer().fit(c.frame());
    double[][] local = new double[2][reps];
    double[][] localLoss = new double[2][reps];
    double[][][] localMs = new double[2][2][reps];
    double[] stage = new double[reps];
    double[] loops = new double[reps];
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
          localLoss[run][r] = l.finalLoss();
          localMs[run][0][r] = 1e3 * l.computeSeconds() / steps;
          localMs[run][1][r] = 1e3 * l.updateSeconds() / steps;
        } else {
          TrainingSummary s = c.trainer().setSeed(42 + r).fit(c.frame()).summary();
          stage[r] = s.examplesPerSecond();
          psLoss[r] = s.finalLoss();
          double loopSeconds = 0;
          for (TrainingSummary.WorkerStats w : s.workers()) {
            loopSeconds += w.seconds() / s.workers().size();
            TrainingSummary.StepPhases p = w.phases();
            double perStep = 1e3 / w.steps() / s.workers().size();
            psMs[0][r] += p.batchSeconds() * perStep;
            psMs[1][r] += p.pullSeconds() * perStep;
            psMs[2][r] += p.computeSeconds() * perStep;
            psMs[3][r] += p.pushSeconds() * perStep;
          }
          loops[r] = s.examples() / loopSeconds;
        }
      }
      System.out.printf(Locale.ROOT, "%s rep %d: single-process %.0f (1 thread) / %.0f (%d "
          + "threads) examples/s, spark-ps %.0f (loops %.0f)%n", c.name(), r + 1, local[0][r],
          local[1][r], cores, stage[r], loops[r]);
    }
    int best = Stats.median(local[0]) >= Stats.median(local[1]) ? 0 : 1;
    double[] psMedians = new double[4];
    for (int k = 0; k < 4; k++) {
      psMedians[k] = Stats.median(psMs[k]);
    }
    return new CaseResult(c.name(), c.trainer().getFramework(), c.examples().size(), c.epochs(),
        best == 0 ? 1 : cores,
        Stats.median(local[best]), Stats.median(stage), Stats.median(loops),
        Stats.median(localLoss[best]), Stats.median(psLoss), psMedians,
        new double[] {Stats.median(localMs[best][0]), Stats.median(localMs[best][1])});
  }

  static String table(List<CaseResult> results) {
    StringBuilder out = new StringBuilder();
    out.append("| case | framework | rows x epochs | single-process examples/s (ND4J threads) "
        + "| spark-ps "
        + "examples/s (stage) | ratio | spark-ps examples/s (worker loops) | final loss single / "
        + "spark-ps | spark-ps ms per step: batch / pull / compute / push | single-process "
        + "ms per step: compute / update |\n");
    out.append("| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |\n");
    for (CaseResult r : results) {
      out.append(String.format(Locale.ROOT,
          "| %s | %s | %d x %d | %.0f (%d) | %.0f | %.2f | %.0f | %.4f / %.4f "
              + "| %.3f / %.3f / %.3f / "
              + "%.3f | %.3f / %.3f |%n",
          r.name(), r.framework(), r.rows(), r.epochs(), r.local(), r.localThreads(),
          r.psStage(), r.ratio(), r.psLoops(),
          r.localLoss(), r.psLoss(), r.psMs()[0], r.psMs()[1], r.psMs()[2], r.psMs()[3],
          r.localMs()[0], r.localMs()[1]));
    }
    out.append("\nspark-ps: 2 workers, 1 server (sandblaster: its own process; "
        + "inmemory-hogwild: co-located in the executor JVM), local[2]; single-process: "
        + "one thread, same model, batches and optimizer, ND4J on 1 or on all cores, whichever "
        + "was faster. Medians of the repetitions; ratio = spark-ps (stage) / single-process.\n");
    return out.toString();
  }
}
