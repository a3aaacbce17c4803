package io.sparkps.bench.mllib;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.BenchSpark;
import io.sparkps.examples.CtrData;
import io.sparkps.spark.PSTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One system's side of {@link CtrVsMllib}, in a driver JVM of its own with a local cluster of
 * executor JVMs: generates the CTR data, warms up on a small set (unless {@code --warmup-rows}
 * is 0), then trains a fresh model for each budget of {@code --budgets} (spark-ps epochs or
 * MLlib maxIter), timing each fit and measuring its test AUC.
 *
 * <p>It appends to {@code --out} as it goes, so that a run stopped at its time limit still
 * tells how far it got: {@code fit BUDGET SECONDS AUC} after each fit, {@code heap BYTES} (the
 * largest old-generation occupancy after a GC so far, a bound of the live heap) after each
 * fit, {@code cache INPUT FIT} (bytes of the cached training data as Spark's storage reports
 * them, and the most the fit cached of its own while it ran, {@link ExecutorMemory}) after
 * each fit, {@code executor-heap BYTES} (the largest peak JVM heap of an executor, from
 * Spark's executor metrics) at the end, then {@code done}, or {@code failed REASON}.
 */
public final class CtrRun {
  private static final Map<String, String> DEFAULTS = defaults();

  private CtrRun() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("system", "spark-ps");
    d.put("features", "1000000");
    d.put("rows", "1000000");
    d.put("test-rows", "100000");
    d.put("warmup-rows", "20000");
    d.put("nnz", "20");
    d.put("executors", "2");
    d.put("executor-mb", "2048");
    d.put("budgets", "1,2,3");
    d.put("mllib-standardization", "true");
    d.put("ps-step-size", "0.1");
    d.put("mllib-reg-param", "0");
    d.put("out", "ctr-run.txt");
    return d;
  }

  public static void main(String[] argv) {
    BenchArgs args = new BenchArgs("mllib.CtrRun", argv, DEFAULTS);
    Path out = Path.of(args.get("out"));
    OldGenPeak heap = OldGenPeak.install();
    SparkSession spark = null;
    boolean failed = false;
    try {
      spark = BenchSpark.localCluster("CtrVsMllib " + args.get("system"),
          args.getInt("executors"), args.getInt("executor-mb"));
      run(spark, args, out, heap);
      append(out, "executor-heap " + executorHeap(spark));
      append(out, "done");
    } catch (RuntimeException e) {
      failed = true;
      append(out, "failed " + (e.getClass().getSimpleName() + ": " + e.getMessage())
          .replace('\n', ' '));
      e.printStackTrace();
    } finally {
      if (spark != null) {
        spark.stop();
      }
    }
    if (failed) {
      System.exit(1);
    }
  }

  private static void run(SparkSession spark, BenchArgs args, Path out, OldGenPeak heap) {
    int features = args.getInt("features");
    int nnz = args.getInt("nnz");
    int parts = args.getInt("executors");
    Dataset<Row> train = CtrData.generate(spark, args.getInt("rows"), features, nnz, 7, 1, parts)
        .cache();
    Dataset<Row> test = CtrData.generate(spark, args.getInt("test-rows"), features, nnz, 7, 2,
        parts).cache();
    System.out.printf("data: %d training rows, %d test rows%n", train.count(), test.count());
    boolean mllib = args.get("system").equals("mllib");
    double stepSize = args.getDouble("ps-step-size");
    LogisticRegression lr = new LogisticRegression()
        .setStandardization(Boolean.parseBoolean(args.get("mllib-standardization")))
        .setRegParam(args.getDouble("mllib-reg-param"));
    if (args.getInt("warmup-rows") > 0) {
      fit(mllib ? lr : null, CtrData.generate(spark, args.getInt("warmup-rows"), features, nnz, 7,
          3, parts), 1, stepSize);
    }
    BinaryClassificationEvaluator evaluator = new BinaryClassificationEvaluator();
    for (int budget : args.getInts("budgets")) {
      long t0 = System.nanoTime();
      Model<?> model;
      long fitCache;
      try (ExecutorMemory memory = ExecutorMemory.watch(spark.sparkContext())) {
        model = fit(mllib ? lr : null, train, budget, stepSize);
        fitCache = memory.fitPeakBytes();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double auc = evaluator.evaluate(model.transform(test));
      append(out, Report.fmt("fit %d %.3f %.6f", budget, seconds, auc));
      append(out, "heap " + heap.bytes());
      append(out, "cache " + cachedBytes(spark) + " " + fitCache);
      System.out.printf("%s budget %d: AUC %.5f in %.2f s%n", args.get("system"), budget, auc,
          seconds);
    }
  }

  /** Bytes of the RDDs cached now, in memory and on disk. */
  private static long cachedBytes(SparkSession spark) {
    long bytes = 0;
    for (org.apache.spark.storage.RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
      bytes += info.memSize() + info.diskSize();
    }
    return bytes;
  }

  /**
   * The executors' peak heap, once their last heartbeat (every 2 s, {@link
   * BenchSpark#localCluster}) has carried it to the driver.
   */
  private static long executorHeap(SparkSession spark) {
    try {
      Thread.sleep(2_500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExecutorMemory.peakExecutorHeap(spark.sparkContext());
  }

  /** MLlib's {@code lr} with maxIter {@code budget}, or (null) spark-ps as SparseCtrExample. */
  private static Model<?> fit(LogisticRegression lr, Dataset<Row> data, int budget,
      double psStepSize) {
    if (lr != null) {
      return lr.copy(new ParamMap()).setMaxIter(budget).fit(data);
    }
    return new PSTrainer().setFramework("downpour").setNumWorkers(2).setNumServers(2)
        .setMaxEpochs(budget).setBatchSize(256).setOptimizer("adagrad").setStepSize(psStepSize)
        .fit(data);
  }

  private static void append(Path out, String line) {
    try {
      Files.writeString(out, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
  }
}
