package io.sparkps.examples;

import io.sparkps.spark.ConsoleProgress;
import io.sparkps.spark.PSTrainer;
import io.sparkps.spark.PSTrainerModel;
import io.sparkps.spark.TrainingSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A multi-layer perceptron on MNIST, evaluated by test accuracy.
 *
 * <pre>
 * bin/run-example MnistMlpExample [--images t10k-images-idx3-ubyte.gz --labels ...]
 *     [--test-images ... --test-labels ...] [--hidden 128] [--epochs 10] [--workers 2]
 * </pre>
 *
 * Without {@code --test-images} the images are split: the first 80% train, the rest test
 * (the shared data holds only MNIST's 10k test set, so 8k/2k). Without {@code --images} it
 * reads the shared data. The last line printed is one JSON object with the results.
 */
public final class MnistMlpExample {
  private static final String USAGE = "usage: MnistMlpExample [--images IDX --labels IDX] "
      + "[--test-images IDX --test-labels IDX] [--hidden N[,N...]] [--epochs N] [--workers N] "
      + "[--framework NAME] [--batch-size N] [--step-size X] [--optimizer NAME]";

  private MnistMlpExample() {}

  public static void main(String[] argv) throws Exception {
    ExampleArgs args = new ExampleArgs(argv, Set.of("images", "labels", "test-images",
        "test-labels", "hidden", "epochs", "workers", "framework", "batch-size", "step-size",
        "optimizer"), USAGE);
    Path shared = ExampleData.sharedDataDir().map(d -> d.resolve("mnist")).orElse(null);
    String images = args.get("images", shared == null ? null
        : shared.resolve("t10k-images-idx3-ubyte.gz").toString());
    String labels = args.get("labels", shared == null ? null
        : shared.resolve("t10k-labels-idx1-ubyte.gz").toString());
    if (images == null || labels == null) {
      throw new IllegalArgumentException("no shared data found: give --images and --labels\n"
          + USAGE);
    }
    SparkSession spark = SparkSession.builder().appName("spark-ps MnistMlpExample")
        .master(System.getProperty("spark.master", "local[2]")).getOrCreate();
    try {
      List<Row> rows = MnistData.read(Path.of(images), Path.of(labels));
      List<Row> train;
      List<Row> test;
      if (args.has("test-images")) {
        train = rows;
        test = MnistData.read(Path.of(args.get("test-images", null)),
            Path.of(args.get("test-labels", null)));
      } else {
        int cut = rows.size() * 8 / 10;
        train = rows.subList(0, cut);
        test = rows.subList(cut, rows.size());
      }
      int[] hidden = java.util.Arrays.stream(args.get("hidden", "128").split(","))
          .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
      String framework = args.get("framework", "sandblaster");
      PSTrainer trainer = new PSTrainer().setModelType("mlp").setHiddenLayers(hidden)
          .setNumClasses(10).setFramework(framework).setNumWorkers(args.getInt("workers", 2))
          .setMaxEpochs(args.getInt("epochs", 10)).setBatchSize(args.getInt("batch-size", 32))
          .setOptimizer(args.get("optimizer", "adam"))
          .setStepSize(args.getDouble("step-size", 0.002))
          .addListener(new ConsoleProgress());
      Dataset<Row> trainDf = MnistData.frame(spark, train).repartition(2).cache();
      PSTrainerModel model = trainer.fit(trainDf);
      double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
          .evaluate(model.transform(MnistData.frame(spark, test)));
      TrainingSummary s = model.summary();
      System.out.println(String.format(Locale.ROOT,
          "{\"example\": \"MnistMlpExample\", \"framework\": \"%s\", \"hidden\": \"%s\", "
              + "\"workers\": %d, \"train_examples\": %d, \"test_examples\": %d, "
              + "\"epochs\": %d, \"train_seconds\": %.3f, \"examples_per_second\": %.1f, "
              + "\"final_loss\": %.5f, \"test_accuracy\": %.5f}",
          framework, args.get("hidden", "128"), s.numWorkers(), train.size(), test.size(),
          trainer.getMaxEpochs(), s.trainSeconds(), s.examplesPerSecond(), s.finalLoss(),
          accuracy));
    } finally {
      spark.stop();
    }
  }
}
