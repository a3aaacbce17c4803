package io.sparkps.bench.training;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.BenchSpark;
import io.sparkps.bench.MarkdownTable;
import io.sparkps.bench.Stats;
import io.sparkps.spark.PSTrainer;
import io.sparkps.spark.PSTrainerModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The fixed cost of a fit with co-located servers: wall time of whole one-epoch a9a fits
 * ({@code fit()} called to model returned) with Sandblaster (2 separate server processes,
 * started by the warm-up fit and kept) and with in-memory Hogwild (the server hosted by the
 * training tasks, started and stopped in every fit), 2 workers on {@code local[2]}, batch 64,
 * AdaGrad 0.1 as in {@link FrameworksBench}. After one warm-up fit of each, every round runs
 * one fit of each framework, in alternating order; the table gives the medians over the rounds
 * of the fit's wall time and of its training stage, and the ratio of the fit medians.
 *
 * <pre>
 * bin/bench training.FitOverhead [--rounds 7] [--frameworks sandblaster,inmemory-hogwild]
 *     [--a9a-rows 32561] [--out spark-ps-bench/target/bench]
 * </pre>
 *
 * About 30 s on 2 idle cores. The table goes to the standard output and to {@code
 * FitOverhead.md} in the output folder.
 */
public final class FitOverhead {
  private static final Map<String, String> DEFAULTS = defaults();

  private FitOverhead() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("rounds", "7");
    d.put("frameworks", "sandblaster,inmemory-hogwild");
    d.put("a9a-rows", "32561");
    d.put("out", BenchOutput.dir().toString());
    return d;
  }

  /**
   * One framework's fits, in seconds, one entry per round.
   *
   * @param fit wall time of the whole {@code fit()} call
   * @param stage wall time of the training stage (TrainingSummary.trainSeconds)
   */
  record Fits(String framework, double[] fit, double[] stage, double finalLoss) {
    double medianFit() {
      return Stats.median(fit);
    }

    double medianStage() {
      return Stats.median(stage);
    }
  }

  public static void main(String[] argv) {
    BenchArgs args = new BenchArgs("training.FitOverhead", argv, DEFAULTS);
    SparkSession spark = BenchSpark.local("spark-ps FitOverhead", 2);
    try {
      spark.sparkContext().setLogLevel("WARN");
      Dataset<Row> a9a = BenchData.cached(BenchData.a9aTrain(spark, args.getInt("a9a-rows")));
      List<Fits> fits = measure(a9a, List.of(args.get("frameworks").split(",")),
          args.getInt("rounds"));
      String table = table(fits, args.getInt("a9a-rows"));
      System.out.println(table);
      BenchOutput.write(Path.of(args.get("out")), "FitOverhead.md", table);
    } finally {
      spark.stop();
    }
  }

  static PSTrainer trainer(String framework) {
    return new PSTrainer().setModelType("logistic").setMaxEpochs(1).setBatchSize(64)
        .setOptimizer("adagrad").setStepSize(0.1).setNumWorkers(2)
        .setFramework(framework.trim());
  }

  /** One warm-up fit per framework, then {@code rounds} rounds of one fit each, alternating. */
  static List<Fits> measure(Dataset<Row> train, List<String> frameworks, int rounds) {
    int n = frameworks.size();
    double[][] fit = new double[n][rounds];
    double[][] stage = new double[n][rounds];
    double[] loss = new double[n];
    for (String f : frameworks) {
      trainer(f).fit(train);
    }
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < n; k++) {
        // Alternating order: neither framework always runs right after the other.
        int i = r % 2 == 0 ? k : n - 1 - k;
        long start = System.nanoTime();
        PSTrainerModel model = trainer(frameworks.get(i)).fit(train);
        fit[i][r] = (System.nanoTime() - start) / 1e9;
        stage[i][r] = model.summary().trainSeconds();
        loss[i] = model.summary().finalLoss();
        System.out.printf(Locale.ROOT, "round %d %s: fit %.3f s, training stage %.3f s%n",
            r + 1, frameworks.get(i).trim(), fit[i][r], stage[i][r]);
      }
    }
    List<Fits> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Fits(frameworks.get(i).trim(), fit[i], stage[i], loss[i]));
    }
    return out;
  }

  /** The medians per framework, and each one's fit median over the first framework's. */
  static String table(List<Fits> fits, int rows) {
    MarkdownTable t = new MarkdownTable("framework", "fit seconds", "training stage seconds",
        "fit / " + fits.get(0).framework() + " fit", "last epoch loss");
    for (Fits f : fits) {
      t.row(f.framework(), MarkdownTable.f3(f.medianFit()), MarkdownTable.f3(f.medianStage()),
          MarkdownTable.f2(f.medianFit() / fits.get(0).medianFit()),
          MarkdownTable.f4(f.finalLoss()));
    }
    return t + String.format(Locale.ROOT, "%nOne-epoch a9a fits (%d rows), 2 workers, "
        + "local[2], batch 64; medians over %d rounds of one fit per framework, in alternating "
        + "order, after one warm-up fit each.%n", rows, fits.get(0).fit().length);
  }

}
