package io.sparkps.bench.training;

import io.sparkps.config.OptimizerConfig;
import io.sparkps.model.Batch;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.ParamSpec;
import io.sparkps.server.optim.Optimizer;
import io.sparkps.server.optim.Optimizers;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training in one thread without Spark or servers, over the same code as a spark-ps worker and
 * server: the model's gradient of mini-batches packed and shuffled as a worker does, applied by
 * the servers' optimizer classes to one slice per param. In row-sparse mode it works as a
 * row-sparse worker: the gradient over the batch's features only, applied to those rows.
 *
 * <p>What it measures is the cost of the model and optimizer code alone, the baseline of
 * {@link DistributionCost}.
 */
final class LocalLoop {
  private final TrainableModel model;
  private final OptimizerConfig optimizer;
  private final int batchSize;
  private final boolean rowSparse;

  LocalLoop(TrainableModel model, OptimizerConfig optimizer, int batchSize, boolean rowSparse) {
    this.model = model;
    this.optimizer = optimizer;
    this.batchSize = batchSize;
    this.rowSparse = rowSparse;
  }

  /**
   * What one training did.
   *
   * @param stepLoss mean loss of each step's batch
   * @param computeSeconds spent in the model's gradient (and, row-sparse, gathering rows)
   * @param updateSeconds spent in the optimizers
   */
  record Result(long examples, double seconds, double[] epochLoss, double[] stepLoss,
      double computeSeconds, double updateSeconds) {

    double examplesPerSecond() {
      return examples / seconds;
    }

    double finalLoss() {
      return epochLoss[epochLoss.length - 1];
    }
  }

  /**
   * Trains {@code epochs} passes over {@code data} from the model's initial values, with ND4J
   * on {@code threads} native threads (0: its default, one per core).
   */
  Result train(Examples data, int epochs, long seed, int threads) {
    Environment env = Nd4j.getEnvironment();
    int blas = Nd4j.factory().blas().getMaxThreads();
    int master = env.maxMasterThreads();
    int max = env.maxThreads();
    int use = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    setThreads(use, use, use);
    try {
      return train(data, epochs, seed);
    } finally {
      setThreads(blas, master, max);
    }
  }

  private static void setThreads(int blas, int master, int max) {
    Nd4j.factory().blas().setMaxThreads(blas);
    Nd4j.getEnvironment().setMaxThreads(max);
    Nd4j.getEnvironment().setMaxMasterThreads(master);
  }

  private Result train(Examples data, int epochs, long seed) {
    int numFeatures = data.numFeatures();
    List<ParamSpec> specs = model.params(numFeatures);
    boolean[] byFeature = byFeature(numFeatures);
    float[][] params = model.initialValues(numFeatures, new Random(seed));
    Optimizer[] optimizers = new Optimizer[params.length];
    float[][] gradients = new float[params.length][];
    for (int p = 0; p < params.length; p++) {
      optimizers[p] = Optimizers.create(optimizer, params[p].length);
      gradients[p] = new float[params[p].length];
    }
    int n = data.size();
    int steps = (n + batchSize - 1) / batchSize;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed * 31);
    double[] epochLoss = new double[epochs];
    double[] stepLoss = new double[epochs * steps];
    long computeNanos = 0;
    long updateNanos = 0;
    long start = System.nanoTime();
    for (int epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, random);
      double lossSum = 0;
      for (int s = 0; s < steps; s++) {
        Batch batch = batch(data, order, (int) ((long) s * batchSize % n));
        long t0 = System.nanoTime();
        double loss;
        long t1;
        if (rowSparse) {
          int[] features = distinct(batch);
          float[][] rows = new float[params.length][];
          float[][] rowGradients = new float[params.length][];
          for (int p = 0; p < params.length; p++) {
            rows[p] = byFeature[p] ? gather(params[p], features, specs.get(p).cols()) : params[p];
            rowGradients[p] = byFeature[p] ? new float[rows[p].length] : gradients[p];
          }
          loss = model.gradient(compact(batch, features), rows, rowGradients);
          t1 = System.nanoTime();
          for (int p = 0; p < params.length; p++) {
            if (byFeature[p]) {
              optimizers[p].applySparse(params[p], features, rowGradients[p],
                  specs.get(p).cols());
            } else {
              optimizers[p].apply(params[p], gradients[p]);
            }
          }
        } else {
          loss = model.gradient(batch, params, gradients);
          t1 = System.nanoTime();
          for (int p = 0; p < params.length; p++) {
            optimizers[p].apply(params[p], gradients[p]);
          }
        }
        long t2 = System.nanoTime();
        computeNanos += t1 - t0;
        updateNanos += t2 - t1;
        stepLoss[epoch * steps + s] = loss;
        lossSum += loss;
      }
      epochLoss[epoch] = lossSum / steps;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result((long) epochs * steps * batchSize, seconds, epochLoss, stepLoss,
        computeNanos / 1e9, updateNanos / 1e9);
  }

  /** Params with one row per feature: those whose row count follows the feature count. */
  private boolean[] byFeature(int numFeatures) {
    List<ParamSpec> a = model.params(numFeatures);
    List<ParamSpec> b = model.params(numFeatures + 1);
    boolean[] out = new boolean[a.size()];
    for (int p = 0; p < out.length; p++) {
      out[p] = a.get(p).rows() == numFeatures && b.get(p).rows() == numFeatures + 1;
    }
    return out;
  }

  /** {@code batchSize} examples from {@code order[from]} on, wrapping, as a CSR batch. */
  private Batch batch(Examples data, int[] order, int from) {
    int nnz = 0;
    for (int i = 0; i < batchSize; i++) {
      nnz += data.indices()[order[(from + i) % order.length]].length;
    }
    int[] rowStart = new int[batchSize + 1];
    int[] indices = new int[nnz];
    float[] values = new float[nnz];
    float[] labels = new float[batchSize];
    int at = 0;
    for (int i = 0; i < batchSize; i++) {
      int e = order[(from + i) % order.length];
      int k = data.indices()[e].length;
      System.arraycopy(data.indices()[e], 0, indices, at, k);
      System.arraycopy(data.values()[e], 0, values, at, k);
      at += k;
      rowStart[i + 1] = at;
      labels[i] = data.labels()[e];
    }
    return new Batch(data.numFeatures(), rowStart, indices, values, labels);
  }

  private static int[] distinct(Batch batch) {
    int[] all = Arrays.copyOf(batch.indices(), batch.rowStart()[batch.size()]);
    Arrays.sort(all);
    int k = 0;
    for (int i = 0; i < all.length; i++) {
      if (k == 0 || all[i] != all[k - 1]) {
        all[k++] = all[i];
      }
    }
    return Arrays.copyOf(all, k);
  }

  private static Batch compact(Batch batch, int[] features) {
    int[] local = new int[batch.rowStart()[batch.size()]];
    for (int i = 0; i < local.length; i++) {
      local[i] = Arrays.binarySearch(features, batch.indices()[i]);
    }
    return new Batch(features.length, batch.rowStart(), local, batch.values(), batch.labels());
  }

  private static float[] gather(float[] param, int[] features, int cols) {
    float[] out = new float[features.length * cols];
    for (int i = 0; i < features.length; i++) {
      System.arraycopy(param, features[i] * cols, out, i * cols, cols);
    }
    return out;
  }

  private static void shuffle(int[] order, Random random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
}
