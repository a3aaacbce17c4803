package io.sparkps.examples;

import io.sparkps.cluster.PsCluster;
import io.sparkps.cluster.SliceMove;
import io.sparkps.spark.ConsoleProgress;
import io.sparkps.spark.PSTrainer;
import io.sparkps.spark.PsClusters;
import io.sparkps.spark.PSTrainerModel;
import io.sparkps.spark.TrainingSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Binary logistic regression on a parameter server cluster, evaluated by test AUC.
 *
 * <pre>
 * bin/run-example LogisticRegressionExample [--train a9a --test a9a.t] [--framework sandblaster]
 *     [--workers 2] [--servers 2] [--epochs 5] [--batch-size 64] [--step-size 0.1]
 *     [--optimizer adagrad] [--num-features 0] [--seed 0] [--replication N]
 *     [--kill-server-after MS] [--resize-at STEP:SERVERS ...] [--handle-invalid error|skip]
 *     [--checkpoint-dir DIR --checkpoint-interval N]
 * </pre>
 *
 * Without {@code --train} it uses a9a from the project's shared data when present, else a
 * generated data set. {@code --replication} sets {@code spark.ps.replication}; {@code
 * --kill-server-after} kills one parameter server with SIGKILL that long into the training, to
 * see a failover. {@code --resize-at STEP:SERVERS} (repeatable) grows or shrinks the server
 * cluster to SERVERS once the model's first slice has applied STEP updates, while the fit runs
 * (docs/elasticity.md). {@code --handle-invalid} says what a NaN or infinite value in the data does:
 * fail the run before training ({@code error}, the default; the exit status is not 0) or leave
 * its row out ({@code skip}). With {@code --checkpoint-dir} the servers write a checkpoint every
 * {@code --checkpoint-interval} steps (or a duration, e.g. 30s); run again with the same
 * directory, the fit resumes from the latest one. The last line printed is one JSON object
 * with the results, including the servers lost during the fit, the longest pause that caused a
 * slice, the rows skipped, the step the fit resumed from ({@code "resumed_from_step"}, null
 * when it started afresh), the servers at the end, the slice copies moved and the longest
 * switch of a moved primary ({@code "servers_at_end"}, {@code "slices_moved"}, {@code
 * "max_switch_ms"}, null when no primary moved).
 */
public final class LogisticRegressionExample {
  private static final String USAGE = "usage: LogisticRegressionExample [--train LIBSVM] "
      + "[--test LIBSVM] [--framework sandblaster|allreduce|downpour|hogwild|inmemory-hogwild] "
      + "[--workers N] [--servers N] [--staleness N] [--sync-freq N] "
      + "[--epochs N] [--batch-size N] [--step-size X] [--optimizer sgd|momentum|adagrad|adam|ftrl] "
      + "[--num-features N] [--seed N] [--replication N] [--kill-server-after MS] "
      + "[--resize-at STEP:SERVERS ...] [--handle-invalid error|skip] [--checkpoint-dir DIR] "
      + "[--checkpoint-interval STEPS|DURATION]";

  private LogisticRegressionExample() {}

  public static void main(String[] argv) throws InterruptedException {
    ExampleArgs args = new ExampleArgs(argv, Set.of("train", "test", "framework", "workers",
        "servers", "epochs", "batch-size", "step-size", "optimizer", "num-features", "staleness",
        "sync-freq", "seed", "replication", "kill-server-after", "resize-at", "handle-invalid",
        "checkpoint-dir", "checkpoint-interval"), USAGE);
    SparkSession spark = SparkSession.builder()
        .appName("spark-ps LogisticRegressionExample")
        .master(System.getProperty("spark.master", "local[2]"))
        .getOrCreate();
    try {
      if (args.has("replication")) {
        spark.conf().set("spark.ps.replication", Integer.toString(args.getInt("replication", 1)));
      }
      Dataset<Row>[] data = load(spark, args);
      String framework = args.get("framework", "sandblaster");
      PSTrainer trainer = new PSTrainer()
          .setFramework(framework)
          .setNumWorkers(args.getInt("workers", 2))
          .setMaxEpochs(args.getInt("epochs", 5))
          .setBatchSize(args.getInt("batch-size", 64))
          .setStepSize(args.getDouble("step-size", 0.1))
          .setOptimizer(args.get("optimizer", "adagrad"))
          .setHandleInvalid(args.get("handle-invalid", "error"))
          .addListener(new ConsoleProgress());
      if (args.has("seed")) {
        trainer.setSeed(args.getInt("seed", 0));
      }
      if (args.has("kill-server-after")) {
        ServerKiller.after(spark, args.getInt("kill-server-after", 1000), trainer.getSeed());
      }
      if (args.has("servers")) {
        trainer.setNumServers(args.getInt("servers", 2));
      }
      if (args.has("staleness")) {
        trainer.setStaleness(args.getInt("staleness", -1));
      }
      if (args.has("checkpoint-dir")) {
        trainer.setCheckpointDir(args.get("checkpoint-dir", ""));
      }
      if (args.has("checkpoint-interval")) {
        trainer.setCheckpointInterval(args.get("checkpoint-interval", ""));
      }
      if (args.has("sync-freq")) {
        trainer.setSyncFreq(args.getInt("sync-freq", 1));
      }
      List<Resizer.At> resizes = args.getAll("resize-at").stream().map(Resizer.At::parse)
          .toList();
      Resizer resizer = resizes.isEmpty() ? null : Resizer.at(spark, resizes);
      PSTrainerModel model = trainer.fit(data[0]);
      if (resizer != null) {
        resizer.finish();
      }
      PsCluster cluster = PsClusters.running(spark.sparkContext());
      List<SliceMove> moves = cluster == null ? List.of() : cluster.moves();
      double maxSwitch = moves.stream().filter(SliceMove::primary)
          .mapToDouble(SliceMove::switchMillis).max().orElse(Double.NaN);
      double auc = new BinaryClassificationEvaluator().evaluate(model.transform(data[1]));
      TrainingSummary s = model.summary();
      System.out.println(String.format(Locale.ROOT,
          "{\"example\": \"LogisticRegressionExample\", \"framework\": \"%s\", \"workers\": %d, "
              + "\"servers\": %d, \"epochs\": %d, \"train_seconds\": %.3f, "
              + "\"examples_per_second\": %.1f, \"final_loss\": %.5f, \"test_auc\": %.5f, "
              + "\"server_failures\": %d, \"recovery_ms\": %s, \"skipped_rows\": %d, "
              + "\"resumed_from_step\": %s, \"server_hosts\": %s, \"servers_at_end\": %d, "
              + "\"slices_moved\": %d, \"max_switch_ms\": %s}",
          framework, s.numWorkers(), s.numServers(), trainer.getMaxEpochs(), s.trainSeconds(),
          s.examplesPerSecond(), s.finalLoss(), auc, s.serverFailures(),
          Double.isNaN(s.recoveryMillis()) ? "null"
              : String.format(Locale.ROOT, "%.1f", s.recoveryMillis()), s.skippedRows(),
          s.resumedFromStep() == null ? "null" : s.resumedFromStep().toString(),
          s.serverHosts().stream().map(h -> "\"" + h + "\"").collect(
              java.util.stream.Collectors.joining(", ", "[", "]")),
          cluster == null ? s.numServers() : cluster.liveServers(), moves.size(),
          Double.isNaN(maxSwitch) ? "null" : String.format(Locale.ROOT, "%.1f", maxSwitch)));
    } finally {
      spark.stop();
    }
  }

  @SuppressWarnings("unchecked")
  private static Dataset<Row>[] load(SparkSession spark, ExampleArgs args) {
    int numFeatures = args.getInt("num-features", 0);
    if (args.has("train")) {
      if (!args.has("test")) {
        throw new IllegalArgumentException("--train needs --test as well\n" + USAGE);
      }
      return new Dataset[] {ExampleData.libsvm(spark, args.get("train", null), numFeatures),
          ExampleData.libsvm(spark, args.get("test", null), numFeatures)};
    }
    Optional<Path> shared = ExampleData.sharedDataDir();
    if (shared.isPresent()) {
      Path a9a = shared.get().resolve("a9a");
      System.err.println("Using a9a from " + a9a);
      return new Dataset[] {ExampleData.libsvm(spark, a9a.resolve("a9a").toString(), 123),
          ExampleData.libsvm(spark, a9a.resolve("a9a.t").toString(), 123)};
    }
    System.err.println("No --train given and no shared data found: using generated data");
    return new Dataset[] {ExampleData.generated(spark, 20000, 100, 1, 2),
        ExampleData.generated(spark, 5000, 100, 1, 3)};
  }
}
