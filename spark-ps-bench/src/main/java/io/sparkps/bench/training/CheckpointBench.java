package io.sparkps.bench.training;

import static io.sparkps.bench.MarkdownTable.f0;
import static io.sparkps.bench.MarkdownTable.f1;
import static io.sparkps.bench.MarkdownTable.f2;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.BenchSpark;
import io.sparkps.bench.MarkdownTable;
import io.sparkps.examples.ExampleData;
import io.sparkps.spark.PSTrainer;
import io.sparkps.spark.TrainingSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What checkpoints cost a training: the same sandblaster fit (an MLP wide enough that a
 * checkpoint is tens of MB: values plus Adam's two moments) trained without checkpoints and
 * with one every {@code --interval} steps to a local directory, side by side in one run, after
 * a warm-up fit: {@code --rounds} rounds, the order of the two fits alternating. For the fit with checkpoints a watcher records every committed checkpoint
 * (its bytes, and the time from worker 0's request to the last slice file written, from its
 * manifest) before older ones are deleted; the write throughput is their bytes over that time.
 * The pause a checkpoint causes the training is read from the step times: the longest and the
 * median step of each fit, and their ratio with to without.
 *
 * <pre>
 * bin/bench training.CheckpointBench [--rows 8000] [--features 200] [--hidden 2048,1024]
 *     [--epochs 2] [--batch 32] [--interval 20] [--rounds 2] [--dir TMP]
 *     [--out spark-ps-bench/target/bench]
 * </pre>
 */
public final class CheckpointBench {
  private static final Map<String, String> DEFAULTS = defaults();

  private CheckpointBench() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("rows", "8000");
    d.put("features", "200");
    d.put("hidden", "2048,1024");
    d.put("epochs", "2");
    d.put("batch", "32");
    d.put("interval", "20");
    d.put("rounds", "2");
    d.put("dir", "");
    d.put("out", BenchOutput.dir().toString());
    return d;
  }

  /** One committed checkpoint as the watcher saw it. */
  record Written(long step, long bytes, long millis) {
    double mbPerSecond() {
      return millis <= 0 ? Double.NaN : bytes / 1e6 / (millis / 1e3);
    }
  }

  /** One fit: its step times (seconds per step), stage seconds, and its checkpoints. */
  record Fit(double[] stepSeconds, double trainSeconds, List<Written> checkpoints) {
    double longestStep() {
      return Arrays.stream(stepSeconds).max().orElse(Double.NaN);
    }

    double medianStep() {
      return io.sparkps.bench.Stats.median(stepSeconds);
    }
  }

  /** Every round's fits, without and with checkpoints. */
  record Result(String model, long floats, List<Fit> without, List<Fit> with, int interval) {}

  public static void main(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs("training.CheckpointBench", argv, DEFAULTS);
    SparkSession spark = BenchSpark.local("spark-ps CheckpointBench", 2);
    spark.conf().set("spark.ps.server.memory", "1g");
    boolean temporary = args.get("dir").isEmpty();
    Path dir = temporary ? Files.createTempDirectory("spark-ps-ckpt-bench-")
        : Path.of(args.get("dir"));
    try {
      spark.sparkContext().setLogLevel("WARN");
      Result r = measure(spark, args.getInt("rows"), args.getInt("features"),
          args.getInts("hidden"), args.getInt("epochs"), args.getInt("batch"),
          args.getInt("interval"), args.getInt("rounds"), dir);
      String table = table(r);
      System.out.println(table);
      BenchOutput.write(Path.of(args.get("out")), "CheckpointBench.md", table);
    } finally {
      spark.stop();
      if (temporary) {
        delete(dir);
      }
    }
  }

  /**
   * After a warm-up, trains {@code rounds} times without and with checkpoints into {@code dir}
   * (emptied first), alternating which goes first.
   */
  static Result measure(SparkSession spark, int rows, int features, int[] hidden, int epochs,
      int batch, int interval, int rounds, Path dir) throws Exception {
    Dataset<Row> train = BenchData.cached(ExampleData.generated(spark, rows, features, 1, 2));
    PSTrainer trainer = new PSTrainer().setFramework("sandblaster").setNumWorkers(2)
        .setNumServers(2).setModelType("mlp").setHiddenLayers(hidden).setNumClasses(2)
        .setOptimizer("adam").setStepSize(0.001).setBatchSize(batch).setMaxEpochs(epochs)
        .setSeed(3);
    trainer.copy(new org.apache.spark.ml.param.ParamMap()).setMaxEpochs(1).fit(train);
    PSTrainer checkpointing = trainer.copy(new org.apache.spark.ml.param.ParamMap())
        .setCheckpointDir(dir.toUri().toString()).setCheckpointInterval(interval);
    List<Fit> without = new ArrayList<>();
    List<Fit> with = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < 2; k++) {
        if ((round + k) % 2 == 0) {
          without.add(fit(trainer, train, null));
        } else {
          // Emptied, so that the fit starts afresh instead of resuming.
          delete(dir);
          with.add(fit(checkpointing, train, dir));
        }
      }
    }
    long floats = trainer.modelFor(2).params(features).stream()
        .mapToLong(io.sparkps.param.ParamSpec::length).sum();
    return new Result("MLP " + features + "-" + String.join("-", Arrays.stream(hidden)
        .mapToObj(Integer::toString).toList()) + "-2, Adam", floats, without, with, interval);
  }

  private static Fit fit(PSTrainer trainer, Dataset<Row> train, Path watched) throws Exception {
    Map<Long, Written> seen = new TreeMap<>();
    Thread watcher = null;
    boolean[] stop = {false};
    if (watched != null) {
      watcher = new Thread(() -> {
        while (!stop[0]) {
          scan(watched, seen);
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "checkpoint-watcher");
      watcher.setDaemon(true);
      watcher.start();
    }
    TrainingSummary s;
    try {
      s = trainer.fit(train).summary();
    } finally {
      stop[0] = true;
      if (watcher != null) {
        watcher.join(5000);
        scan(watched, seen);
      }
    }
    double[] t = s.stepSeconds();
    double[] steps = new double[Math.max(0, t.length - 1)];
    for (int i = 1; i < t.length; i++) {
      steps[i - 1] = t[i] - t[i - 1];
    }
    return new Fit(steps, s.trainSeconds(), new ArrayList<>(seen.values()));
  }

  /** Records every committed checkpoint in {@code dir} not seen yet. */
  private static void scan(Path dir, Map<Long, Written> seen) {
    try (Stream<Path> all = Files.list(dir)) {
      for (Path d : all.toList()) {
        Path manifest = d.resolve("MANIFEST");
        String name = d.getFileName().toString();
        if (!name.startsWith("step-") || !Files.exists(manifest)) {
          continue;
        }
        long step = Long.parseLong(name.split("-")[1]);
        if (seen.containsKey(step)) {
          continue;
        }
        long millis = -1;
        for (String line : Files.readAllLines(manifest)) {
          if (line.startsWith("millis=")) {
            millis = Long.parseLong(line.substring(7).trim());
          }
        }
        long bytes = 0;
        try (Stream<Path> files = Files.list(d)) {
          for (Path f : files.toList()) {
            if (f.getFileName().toString().endsWith(".slice")) {
              bytes += Files.size(f);
            }
          }
        }
        seen.put(step, new Written(step, bytes, millis));
      }
    } catch (IOException | UncheckedIOException e) {
      // A directory deleted while it was read: the next scan sees the rest.
    }
  }

  static String table(Result r) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%s: %,d floats; sandblaster, 2 workers, 2 "
        + "servers, local[2]; %d steps per fit; a checkpoint every %d steps to local disk; %d "
        + "rounds, the order alternating.%n%n", r.model(), r.floats(),
        r.without().get(0).stepSeconds().length + 1, r.interval(), r.without().size()));
    MarkdownTable table = new MarkdownTable("round", "fit", "stage s", "median step ms",
        "longest step ms", "checkpoints committed", "MB per checkpoint",
        "write MB/s (median, min)");
    for (int i = 0; i < r.without().size(); i++) {
      Fit a = r.without().get(i);
      table.row(i + 1, "without checkpoints", f2(a.trainSeconds()), f1(a.medianStep() * 1e3),
          f1(a.longestStep() * 1e3), "-", "-", "-");
      if (i < r.with().size()) {
        Fit b = r.with().get(i);
        List<Written> w = b.checkpoints();
        double[] rates = w.stream().mapToDouble(Written::mbPerSecond)
            .filter(x -> !Double.isNaN(x)).toArray();
        table.row(i + 1, "with checkpoints", f2(b.trainSeconds()), f1(b.medianStep() * 1e3),
            f1(b.longestStep() * 1e3), w.size(),
            f1(w.stream().mapToLong(Written::bytes).average().orElse(0) / 1e6),
            f0(rates.length == 0 ? Double.NaN : io.sparkps.bench.Stats.median(rates)) + ", "
                + f0(Arrays.stream(rates).min().orElse(Double.NaN)));
      }
    }
    out.append(table);
    out.append(String.format(Locale.ROOT, "%nMedians over the rounds, with / without "
        + "checkpoints: longest step %.2f, median step %.2f, stage time %.2f.%n",
        median(r.with(), Fit::longestStep) / median(r.without(), Fit::longestStep),
        median(r.with(), Fit::medianStep) / median(r.without(), Fit::medianStep),
        median(r.with(), Fit::trainSeconds) / median(r.without(), Fit::trainSeconds)));
    return out.toString();
  }

  private static double median(List<Fit> fits, java.util.function.ToDoubleFunction<Fit> f) {
    return io.sparkps.bench.Stats.median(fits.stream().mapToDouble(f).toArray());
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
