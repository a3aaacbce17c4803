package io.sparkps.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Generated click-through-like data: very wide, very sparse, power-law feature frequencies.
 *
 * <p>Each row has about {@code nnz} one-hot features. Feature {@code j} is drawn as
 * {@code floor(numFeatures^u) - 1} for {@code u} uniform in [0, 1), so its frequency falls
 * like {@code 1/(j+1)} (Zipf with exponent 1): a few features appear in most rows, most appear
 * rarely or never, as with ids in ad logs. The label is 1 with probability
 * {@code sigmoid(bias + sum of w(j))}, where {@code w(j)} is uniform in [-1.5, 1.5], derived
 * from a hash of {@code j} and {@code modelSeed} (no array of the model is ever built) and
 * {@code bias = -1}. Rows are generated on the executors, {@code rowSeed} and the partition
 * index seeding each partition, so sets with the same {@code modelSeed} and different
 * {@code rowSeed}s are a training and a test set of the same problem.
 */
public final class CtrData {
  private CtrData() {}

  /** The true weight of feature {@code j} in the problem {@code modelSeed}. */
  public static double weight(long feature, long modelSeed) {
    long z = (feature + 1) * 0x9E3779B97F4A7C15L ^ modelSeed;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return ((z >>> 11) * 0x1.0p-53 - 0.5) * 3.0;
  }

  public static Dataset<Row> generate(SparkSession spark, long rows, int numFeatures, int nnz,
      long modelSeed, long rowSeed, int partitions) {
    List<Integer> parts = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      parts.add(p);
    }
    double logWidth = Math.log(numFeatures);
    JavaRDD<Row> data = new JavaSparkContext(spark.sparkContext())
        .parallelize(parts, partitions)
        .flatMap(p -> {
          long count = rows / partitions + (p < rows % partitions ? 1 : 0);
          SplittableRandom r = new SplittableRandom(rowSeed * 1_000_003L + p);
          List<Row> out = new ArrayList<>((int) count);
          for (long i = 0; i < count; i++) {
            int[] idx = new int[nnz];
            for (int k = 0; k < nnz; k++) {
              idx[k] = (int) Math.min(numFeatures - 1,
                  Math.max(0, Math.floor(Math.exp(r.nextDouble() * logWidth)) - 1));
            }
            Arrays.sort(idx);
            int distinct = 0;
            for (int k = 0; k < nnz; k++) {
              if (distinct == 0 || idx[k] != idx[distinct - 1]) {
                idx[distinct++] = idx[k];
              }
            }
            idx = Arrays.copyOf(idx, distinct);
            double margin = -1.0;
            for (int j : idx) {
              margin += weight(j, modelSeed);
            }
            double label = r.nextDouble() < 1 / (1 + Math.exp(-margin)) ? 1.0 : 0.0;
            double[] ones = new double[distinct];
            Arrays.fill(ones, 1.0);
            out.add(RowFactory.create(label, Vectors.sparse(numFeatures, idx, ones)));
          }
          return out.iterator();
        });
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    return spark.createDataFrame(data, schema);
  }
}
