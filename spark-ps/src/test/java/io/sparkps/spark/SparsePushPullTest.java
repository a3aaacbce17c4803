package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sparse push/pull on RCV1 (about 47k features, about 78 non-zeros per document): a worker
 * pulls and pushes only the weight rows its mini-batch touches, so the bytes on the wire per
 * step follow the mini-batch's non-zeros, not the model's width, and training computes the
 * same model as with whole params.
 */
class SparsePushPullTest {
  /** Saved models, removed by JUnit after the class. */
  @org.junit.jupiter.api.io.TempDir
  static java.nio.file.Path tmp;

  private static Dataset<Row> rcv1;
  private static int width;

  /** rcv1_small in Vowpal Wabbit's format: {@code label |f index:value ...}, labels +1/-1. */
  @BeforeAll
  static void load() throws Exception {
    SparkSession spark = SharedSpark.get();
    List<int[]> indices = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    List<Double> labels = new ArrayList<>();
    int max = 0;
    for (String line : Files.readAllLines(TestData.dir().resolve("rcv1_vw/rcv1_small.dat"))) {
      String[] parts = line.trim().split("\\s+");
      labels.add(Double.parseDouble(parts[0]) > 0 ? 1.0 : 0.0);
      int[] idx = new int[parts.length - 2];
      double[] val = new double[idx.length];
      for (int i = 2; i < parts.length; i++) {
        String[] kv = parts[i].split(":");
        idx[i - 2] = Integer.parseInt(kv[0]);
        val[i - 2] = Double.parseDouble(kv[1]);
        max = Math.max(max, idx[i - 2]);
      }
      indices.add(idx);
      values.add(val);
    }
    width = max + 1;
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < labels.size(); r++) {
      rows.add(RowFactory.create(labels.get(r),
          Vectors.sparse(width, indices.get(r), values.get(r))));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    rcv1 = spark.createDataFrame(new org.apache.spark.api.java.JavaSparkContext(
        spark.sparkContext()).parallelize(rows, 2), schema).cache();
  }

  private static PSTrainerModel train(String pullMode, int batchSize) {
    return new PSTrainer().setFramework("sandblaster").setNumWorkers(2).setNumServers(2)
        .setOptimizer("adagrad").setStepSize(0.5).setBatchSize(batchSize).setMaxEpochs(2)
        .setShuffle(false).setLocalAggregation(false).setPullMode(pullMode).fit(rcv1);
  }

  private static String saved(PSTrainerModel m) throws java.io.IOException {
    java.nio.file.Path dir = Files.createTempDirectory(tmp, "sparse-model-");
    String path = dir.resolve("model").toString();
    m.write().save(path);
    return path;
  }

  private static double bytesPerStep(PSTrainerModel m) {
    return (double) m.summary().serverUpdateBytes() / m.summary().totalSteps();
  }

  @Test
  void bytesPerStepFollowTheBatchNotTheModelAndTheModelIsTheSame() throws Exception {
    PSTrainerModel dense8 = train("dense", 8);
    PSTrainerModel sparse8 = train("sparse", 8);
    PSTrainerModel sparse64 = train("sparse", 64);
    double d8 = bytesPerStep(dense8);
    double s8 = bytesPerStep(sparse8);
    double s64 = bytesPerStep(sparse64);
    System.out.printf("RCV1 (%d features) UPDATE bytes per worker step: dense batch 8 %.0f, "
        + "sparse batch 8 %.0f, sparse batch 64 %.0f%n", width, d8, s8, s64);
    assertTrue(d8 >= 4.0 * width, "dense pushes the whole weight vector: " + d8);
    assertTrue(s8 < d8 / 10, "sparse batch 8: " + s8 + " vs dense " + d8);
    assertTrue(s64 > 3 * s8, "sparse bytes grow with the batch's non-zeros: " + s64 + " vs "
        + s8);
    assertTrue(s64 < d8, "even a batch of 64 sends less than the model: " + s64);

    // The same steps on the same rows: AdaGrad leaves rows without gradient unchanged, so the
    // sparse and the dense run compute the same model.
    float[][] a = dense8.paramValues();
    float[][] b = sparse8.paramValues();
    for (int p = 0; p < a.length; p++) {
      for (int j = 0; j < a[p].length; j++) {
        assertEquals(a[p][j], b[p][j], 1e-4, "param " + p + " row " + j);
      }
    }
    double auc = new BinaryClassificationEvaluator().evaluate(sparse64.transform(rcv1));
    assertTrue(auc > 0.95, "training AUC " + auc);

    // The driver keeps a sparse-trained model row-sparse: only the weights of seen features.
    io.sparkps.client.ParamValues store = sparse64.paramStore();
    assertTrue(store.isRowSparse(0), "the weights are kept row-sparse");
    assertTrue(store.rows(0).length < width / 2, "rows kept: " + store.rows(0).length);
    assertEquals(auc, new BinaryClassificationEvaluator().evaluate(
        PSTrainerModel.read().load(saved(sparse64)).transform(rcv1)), 1e-9,
        "a saved and loaded row-sparse model predicts the same");
  }

  @Test
  void ftrlWithL1AppliesSparseUpdatesAndZeroesWeights() {
    PSTrainer base = new PSTrainer().setFramework("downpour").setNumWorkers(2).setNumServers(2)
        .setBatchSize(16).setMaxEpochs(3).setPullMode("sparse");
    PSTrainerModel plain = base.copy(new org.apache.spark.ml.param.ParamMap())
        .setOptimizer("ftrl").setStepSize(0.5).fit(rcv1);
    PSTrainerModel lasso = base.copy(new org.apache.spark.ml.param.ParamMap())
        .setOptimizer("ftrl").setStepSize(0.5).setRegParam(0.2).setElasticNetParam(1.0)
        .fit(rcv1);
    BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator();
    double plainAuc = auc.evaluate(plain.transform(rcv1));
    double lassoAuc = auc.evaluate(lasso.transform(rcv1));
    int plainKept = plain.paramStore().rows(0).length;
    int lassoKept = lasso.paramStore().rows(0).length;
    System.out.printf("RCV1 FTRL: AUC %.4f with %d non-zero weights; with L1 %.4f with %d%n",
        plainAuc, plainKept, lassoAuc, lassoKept);
    assertTrue(plainAuc > 0.95, "FTRL AUC " + plainAuc);
    assertTrue(lassoKept < plainKept / 2, "L1 zeroes weights: " + lassoKept + " vs "
        + plainKept);
    assertTrue(lassoAuc > 0.8, "FTRL with L1 still learns: " + lassoAuc);
  }
}
