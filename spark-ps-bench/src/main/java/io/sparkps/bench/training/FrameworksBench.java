package io.sparkps.bench.training;

import static io.sparkps.bench.MarkdownTable.f0;
import static io.sparkps.bench.MarkdownTable.f2;
import static io.sparkps.bench.MarkdownTable.f4;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.BenchSpark;
import io.sparkps.bench.MarkdownTable;
import io.sparkps.examples.MnistData;
import io.sparkps.spark.PSTrainer;
import io.sparkps.spark.PSTrainerModel;
import io.sparkps.spark.TrainingSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Training loss against wall time for each framework preset (sandblaster, allreduce, downpour,
 * hogwild, inmemory-hogwild), 2 workers on {@code local[2]}: binary logistic regression on a9a
 * (batch 64, AdaGrad 0.1) and an MLP with 128 hidden units on the MNIST split (8k train, 2k
 * test; batch 32, Adam 0.002). Each preset trains once, after one warm-up fit per data set.
 *
 * <p>For each data set it writes {@code frameworks-<dataset>.csv} with the columns {@code
 * preset,seconds,loss}: one row per step, the mean mini-batch loss over the workers against
 * {@link TrainingSummary#stepSeconds()}, the seconds since the workers' training loops began
 * (the same clock for every preset; it leaves out task launch and server start-up, which the
 * table's stage seconds include). {@code spark-ps-bench/plot_frameworks.py} draws them. The
 * markdown table gives per preset the stage's wall time, examples per second, the last epoch's
 * loss and the test metric (AUC on a9a.t, accuracy on the 2k MNIST images).
 *
 * <pre>
 * bin/bench training.FrameworksBench
 *     [--presets sandblaster,allreduce,downpour,hogwild,inmemory-hogwild]
 *     [--datasets a9a,mnist] [--a9a-epochs 3] [--mnist-epochs 3] [--a9a-rows 32561]
 *     [--mnist-rows 8000] [--out spark-ps-bench/target/bench]
 * python3 spark-ps-bench/plot_frameworks.py spark-ps-bench/target/bench docs
 * </pre>
 *
 * The defaults are the full benchmark: about 2 to 3 minutes on 2 idle cores. The table goes to
 * the standard output and to {@code FrameworksBench.md} in the output folder.
 */
public final class FrameworksBench {
  static final List<String> PRESETS =
      List.of("sandblaster", "allreduce", "downpour", "hogwild", "inmemory-hogwild");
  private static final Map<String, String> DEFAULTS = defaults();

  private FrameworksBench() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("presets", String.join(",", PRESETS));
    d.put("datasets", "a9a,mnist");
    d.put("a9a-epochs", "3");
    d.put("mnist-epochs", "3");
    d.put("a9a-rows", "32561");
    d.put("mnist-rows", "8000");
    d.put("out", BenchOutput.dir().toString());
    return d;
  }

  /** One preset's training on one data set. */
  record PresetResult(String dataset, String preset, double stageSeconds,
      double examplesPerSecond, double finalLoss, double testMetric, double[] stepSeconds,
      double[] stepLoss) {}

  /**
   * A data set with its trainer: {@code metric} names the test metric, {@code evaluate} scores
   * a trained model on the test set.
   */
  record DataSet(String name, Dataset<Row> train, PSTrainer trainer, String metric,
      java.util.function.ToDoubleFunction<PSTrainerModel> evaluate) {}

  public static void main(String[] argv) {
    BenchArgs args = new BenchArgs("training.FrameworksBench", argv, DEFAULTS);
    List<String> presets = List.of(args.get("presets").split(","));
    Path out = Path.of(args.get("out"));
    SparkSession spark = BenchSpark.local("spark-ps FrameworksBench", 2);
    try {
      spark.sparkContext().setLogLevel("WARN");
      List<DataSet> sets = new ArrayList<>();
      for (String name : args.get("datasets").split(",")) {
        sets.add(switch (name.trim()) {
          case "a9a" -> a9a(spark, args.getInt("a9a-rows"), args.getInt("a9a-epochs"));
          case "mnist" -> mnist(spark, args.getInt("mnist-rows"),
              args.getInt("mnist-epochs"));
          default -> throw new IllegalArgumentException("unknown data set " + name
              + " in --datasets");
        });
      }
      List<PresetResult> results = new ArrayList<>();
      for (DataSet set : sets) {
        results.addAll(run(set, presets, out));
      }
      String table = table(results, sets);
      System.out.println(table);
      BenchOutput.write(out, "FrameworksBench.md", table);
    } finally {
      spark.stop();
    }
  }

  static DataSet a9a(SparkSession spark, int rows, int epochs) {
    Dataset<Row> test = BenchData.a9aTest(spark).cache();
    return new DataSet("a9a", BenchData.cached(BenchData.a9aTrain(spark, rows)),
        new PSTrainer().setModelType("logistic").setMaxEpochs(epochs).setBatchSize(64)
            .setOptimizer("adagrad").setStepSize(0.1),
        "AUC", m -> new BinaryClassificationEvaluator().evaluate(m.transform(test)));
  }

  static DataSet mnist(SparkSession spark, int rows, int epochs) {
    Dataset<Row> test = MnistData.frame(spark, BenchData.mnistTest()).cache();
    return new DataSet("mnist",
        BenchData.cached(MnistData.frame(spark, BenchData.mnistTrain(rows))),
        new PSTrainer().setModelType("mlp").setHiddenLayers(new int[] {128}).setNumClasses(10)
            .setMaxEpochs(epochs).setBatchSize(32).setOptimizer("adam").setStepSize(0.002),
        "accuracy", m -> new MulticlassClassificationEvaluator().setMetricName("accuracy")
            .evaluate(m.transform(test)));
  }

  /**
   * Trains {@code set} with each preset after one warm-up fit, and writes {@code
   * frameworks-<name>.csv} into {@code out}.
   */
  static List<PresetResult> run(DataSet set, List<String> presets, Path out) {
    Supplier<PSTrainer> trainer = () -> set.trainer().copy(new org.apache.spark.ml.param
        .ParamMap()).setNumWorkers(2);
    trainer.get().setFramework(presets.get(0)).setMaxEpochs(1).fit(set.train());
    List<PresetResult> results = new ArrayList<>();
    StringBuilder csv = new StringBuilder("preset,seconds,loss\n");
    for (String preset : presets) {
      PSTrainerModel model = trainer.get().setFramework(preset.trim()).fit(set.train());
      TrainingSummary s = model.summary();
      PresetResult r = new PresetResult(set.name(), preset.trim(), s.trainSeconds(),
          s.examplesPerSecond(), s.finalLoss(), set.evaluate().applyAsDouble(model),
          s.stepSeconds(), s.stepLoss());
      for (int i = 0; i < r.stepSeconds().length; i++) {
        if (!Double.isNaN(r.stepLoss()[i])) {
          csv.append(String.format(Locale.ROOT, "%s,%.6f,%.6f%n", r.preset(),
              r.stepSeconds()[i], r.stepLoss()[i]));
        }
      }
      System.out.printf(Locale.ROOT, "%s %s: %.2f s, final loss %.4f, test %s %.4f%n",
          set.name(), r.preset(), r.stageSeconds(), r.finalLoss(), set.metric(),
          r.testMetric());
      results.add(r);
    }
    BenchOutput.write(out, "frameworks-" + set.name() + ".csv", csv.toString());
    return results;
  }

  static String table(List<PresetResult> results, List<DataSet> sets) {
    MarkdownTable table = new MarkdownTable("data set", "preset", "stage seconds",
        "last step at (s)", "examples/s", "last epoch loss", "test metric");
    for (PresetResult r : results) {
      String metric = sets.stream().filter(s -> s.name().equals(r.dataset())).findFirst()
          .map(DataSet::metric).orElse("");
      double[] t = r.stepSeconds();
      table.row(r.dataset(), r.preset(), f2(r.stageSeconds()),
          f2(t.length == 0 ? 0 : t[t.length - 1]), f0(r.examplesPerSecond()),
          f4(r.finalLoss()), metric + " " + f4(r.testMetric()));
    }
    StringBuilder out = new StringBuilder(table.toString());
    out.append("\n2 workers, local[2], one fit per preset after a warm-up fit; sandblaster and "
        + "downpour with 2 server processes, the others with co-located servers.\n");
    return out.toString();
  }
}
