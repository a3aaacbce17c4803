package io.sparkps.examples;

import io.sparkps.spark.ConsoleProgress;
import io.sparkps.spark.PSTrainer;
import io.sparkps.spark.PSTrainerModel;
import io.sparkps.spark.TrainingSummary;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Logistic regression on generated click-through-like data with millions of features (see
 * {@link CtrData}): workers pull and push only the weight rows their mini-batches touch, the
 * servers hold the model, and the driver keeps only the weights of features that occurred.
 *
 * <pre>
 * bin/run-example SparseCtrExample [--features 10000000] [--rows 1000000] [--test-rows 100000]
 *     [--nnz 20] [--epochs 2] [--workers 2] [--servers 2] [--batch-size 256]
 * </pre>
 *
 * The last line printed is one JSON object with the results.
 */
public final class SparseCtrExample {
  private static final String USAGE = "usage: SparseCtrExample [--features N] [--rows N] "
      + "[--test-rows N] [--nnz N] [--epochs N] [--workers N] [--servers N] [--batch-size N] "
      + "[--step-size X] [--framework NAME]";

  private SparseCtrExample() {}

  public static void main(String[] argv) {
    ExampleArgs args = new ExampleArgs(argv, Set.of("features", "rows", "test-rows", "nnz",
        "epochs", "workers", "servers", "batch-size", "step-size", "framework"), USAGE);
    int features = args.getInt("features", 10_000_000);
    int rows = args.getInt("rows", 1_000_000);
    int testRows = args.getInt("test-rows", Math.max(1000, rows / 10));
    int nnz = args.getInt("nnz", 20);
    int workers = args.getInt("workers", 2);
    String framework = args.get("framework", "downpour");
    SparkSession spark = SparkSession.builder().appName("spark-ps SparseCtrExample")
        .master(System.getProperty("spark.master", "local[2]")).getOrCreate();
    try {
      Dataset<Row> train = CtrData.generate(spark, rows, features, nnz, 7, 1, workers);
      Dataset<Row> test = CtrData.generate(spark, testRows, features, nnz, 7, 2, workers);
      PSTrainerModel model = new PSTrainer().setFramework(framework).setNumWorkers(workers)
          .setNumServers(args.getInt("servers", 2)).setMaxEpochs(args.getInt("epochs", 2))
          .setBatchSize(args.getInt("batch-size", 256)).setOptimizer("adagrad")
          .setStepSize(args.getDouble("step-size", 0.1)).addListener(new ConsoleProgress())
          .fit(train);
      double auc = new BinaryClassificationEvaluator().evaluate(model.transform(test));
      TrainingSummary s = model.summary();
      io.sparkps.client.ParamValues store = model.paramStore();
      long kept = store.isRowSparse(0) ? store.rows(0).length : store.numRows(0);
      System.out.println(String.format(Locale.ROOT,
          "{\"example\": \"SparseCtrExample\", \"framework\": \"%s\", \"features\": %d, "
              + "\"train_rows\": %d, \"test_rows\": %d, \"workers\": %d, \"servers\": %d, "
              + "\"train_seconds\": %.3f, \"examples_per_second\": %.1f, "
              + "\"update_bytes_per_step\": %.0f, \"weights_kept\": %d, \"test_auc\": %.5f}",
          framework, features, rows, testRows, s.numWorkers(), s.numServers(),
          s.trainSeconds(), s.examplesPerSecond(),
          (double) s.serverUpdateBytes() / Math.max(1, s.totalSteps()), kept, auc));
    } finally {
      spark.stop();
    }
  }
}
