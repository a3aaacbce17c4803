package io.sparkps.bench.training;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.BenchSpark;
import io.sparkps.bench.MarkdownTable;
import io.sparkps.bench.Stats;
import io.sparkps.examples.MnistData;
import io.sparkps.model.Batch;
import io.sparkps.model.MlpClassifier;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.ParamSpec;
import io.sparkps.spark.PSTrainer;
import io.sparkps.spark.PSTrainerModel;
import io.sparkps.spark.TrainingSummary;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What pushing each layer as backprop finishes it saves a synchronous step: Sandblaster fits of
 * an MNIST MLP (2 workers, 1 server process, Adam 0.002, batch 32) whose workers push layer by
 * layer (the built-in MLP) against the same fits whose workers push the whole gradient at the
 * end of backprop (the same model behind a wrapper that announces every param only then, as a
 * model without layers does). After a warm-up fit of each, every round runs one fit of each, in
 * alternating order; the table gives the medians over the rounds of the training stage's
 * examples per second and of the workers' push wait per step, and the last epoch's loss, which
 * must be equal: the steps are the same.
 *
 * <pre>
 * bin/bench training.LayerwisePush [--rounds 5] [--rows 8000] [--epochs 2]
 *     [--hidden 512,512] [--out spark-ps-bench/target/bench]
 * </pre>
 *
 * About a minute on 2 idle cores. The table goes to the standard output and to {@code
 * LayerwisePush.md} in the output folder.
 */
public final class LayerwisePush {
  private static final Map<String, String> DEFAULTS = defaults();

  private LayerwisePush() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("rounds", "5");
    d.put("rows", "8000");
    d.put("epochs", "2");
    d.put("hidden", "512,512");
    d.put("out", BenchOutput.dir().toString());
    return d;
  }

  /**
   * One way of pushing, one entry per round.
   *
   * @param rate examples per second of the training stage
   * @param pushMs mean worker's push wait per step, in milliseconds
   */
  record Fits(String push, double[] rate, double[] pushMs, double finalLoss) {}

  public static void main(String[] argv) {
    BenchArgs args = new BenchArgs("training.LayerwisePush", argv, DEFAULTS);
    SparkSession spark = BenchSpark.local("spark-ps LayerwisePush", 2);
    try {
      spark.sparkContext().setLogLevel("WARN");
      Dataset<Row> train = BenchData.cached(MnistData.frame(spark,
          BenchData.mnistTrain(args.getInt("rows"))));
      int[] hidden = java.util.Arrays.stream(args.get("hidden").split(","))
          .mapToInt(h -> Integer.parseInt(h.trim())).toArray();
      List<Fits> fits = measure(train, hidden, args.getInt("epochs"), args.getInt("rounds"));
      String table = table(fits, args.getInt("rows"), args.get("hidden"),
          args.getInt("epochs"));
      System.out.println(table);
      BenchOutput.write(Path.of(args.get("out")), "LayerwisePush.md", table);
    } finally {
      spark.stop();
    }
  }

  static PSTrainer trainer(TrainableModel model, int epochs) {
    return new PSTrainer().setFramework("sandblaster").setNumWorkers(2).setNumServers(1)
        .setMaxEpochs(epochs).setBatchSize(32).setOptimizer("adam").setStepSize(0.002)
        .setShuffle(true).setSeed(11).setModel(model);
  }

  /** One warm-up fit of each way, then {@code rounds} rounds of one fit each, alternating. */
  static List<Fits> measure(Dataset<Row> train, int[] hidden, int epochs, int rounds) {
    MlpClassifier mlp = new MlpClassifier(hidden, 10);
    List<TrainableModel> models = List.of(mlp, new WholeStep(mlp));
    List<String> names = List.of("layer by layer", "whole gradient at the end");
    double[][] rate = new double[2][rounds];
    double[][] pushMs = new double[2][rounds];
    double[] loss = new double[2];
    for (TrainableModel m : models) {
      trainer(m, 1).fit(train);
    }
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < 2; k++) {
        int i = r % 2 == 0 ? k : 1 - k;
        PSTrainerModel fitted = trainer(models.get(i), epochs).fit(train);
        TrainingSummary s = fitted.summary();
        rate[i][r] = s.examplesPerSecond();
        double push = 0;
        long steps = 0;
        for (TrainingSummary.WorkerStats w : s.workers()) {
          push += w.phases().pushSeconds();
          steps += w.steps();
        }
        pushMs[i][r] = 1000 * push / Math.max(1, steps);
        loss[i] = s.finalLoss();
        System.out.printf(Locale.ROOT, "round %d %s: %.0f examples/s, push %.3f ms/step%n",
            r + 1, names.get(i), rate[i][r], pushMs[i][r]);
      }
    }
    return List.of(new Fits(names.get(0), rate[0], pushMs[0], loss[0]),
        new Fits(names.get(1), rate[1], pushMs[1], loss[1]));
  }

  static String table(List<Fits> fits, int rows, String hidden, int epochs) {
    MarkdownTable t = new MarkdownTable("push", "examples/s", "push wait ms per step",
        "examples/s / " + fits.get(1).push(), "last epoch loss");
    double base = Stats.median(fits.get(1).rate());
    for (Fits f : fits) {
      t.row(f.push(), MarkdownTable.f0(Stats.median(f.rate())),
          MarkdownTable.f3(Stats.median(f.pushMs())),
          MarkdownTable.f2(Stats.median(f.rate()) / base), MarkdownTable.f4(f.finalLoss()));
    }
    return t + String.format(Locale.ROOT, "%nSandblaster, MNIST MLP 784-%s-10, %d rows x %d "
        + "epochs, 2 workers, 1 server process, local[2]; medians over %d rounds of one fit "
        + "each, in alternating order, after one warm-up fit each.%n", hidden.replace(",", "-"),
        rows, epochs, fits.get(0).rate().length);
  }

  /** A model that announces every param only once its whole gradient is computed. */
  record WholeStep(TrainableModel inner) implements TrainableModel {
    @Override
    public List<ParamSpec> params(int numFeatures) {
      return inner.params(numFeatures);
    }

    @Override
    public float[][] initialValues(int numFeatures, Random random) {
      return inner.initialValues(numFeatures, random);
    }

    @Override
    public double gradient(Batch batch, float[][] params, float[][] gradients) {
      return inner.gradient(batch, params, gradients);
    }

    @Override
    public int numOutputs() {
      return inner.numOutputs();
    }

    @Override
    public float[] predict(Batch batch, float[][] params) {
      return inner.predict(batch, params);
    }

    @Override
    public Task task() {
      return inner.task();
    }
  }
}
