package io.sparkps.bench.training;

import io.sparkps.config.OptimizerConfig;
import io.sparkps.model.Batch;
import io.sparkps.model.EpochOrder;
import io.sparkps.model.ExampleBlock;
import io.sparkps.model.RowSparse;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.ParamSpec;
import io.sparkps.server.optim.Optimizer;
import io.sparkps.server.optim.Optimizers;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training in one thread without Spark or servers, over the library's own code: the examples
 * in an {@link ExampleBlock}, batches and shuffles from an {@link EpochOrder} seeded as worker
 * 0's, the model's gradient, and the servers' optimizer classes applied to one slice per param.
 * In row-sparse mode it works as a row-sparse worker: the batch compacted by {@link
 * RowSparse#compact}, the gradient over the rows of its features of the params {@link
 * RowSparse#byFeature} names, the optimizer's sparse update of those rows. The rows are read
 * straight from the params' arrays, where a worker pulls them from a server.
 *
 * <p>What it measures is the cost of the model and optimizer code alone, the baseline of
 * {@link DistributionCost}. With the same seed and one worker, its batches are those of a
 * spark-ps worker.
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
  Result train(ExampleBlock data, int epochs, long seed, int threads) {
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

  /** Steps per epoch: as spark-ps plans them for one worker holding all of {@code data}. */
  int stepsPerEpoch(ExampleBlock data) {
    return Math.max(1, (data.size() + batchSize - 1) / batchSize);
  }

  private Result train(ExampleBlock data, int epochs, long seed) {
    int numFeatures = data.numFeatures();
    List<ParamSpec> specs = model.params(numFeatures);
    boolean[] byFeature = RowSparse.byFeature(model, numFeatures);
    float[][] params = model.initialValues(numFeatures, new Random(seed));
    Optimizer[] optimizers = new Optimizer[params.length];
    float[][] gradients = new float[params.length][];
    for (int p = 0; p < params.length; p++) {
      optimizers[p] = Optimizers.create(optimizer, params[p].length);
      gradients[p] = new float[params[p].length];
    }
    int steps = stepsPerEpoch(data);
    // Worker 0's Random: spark-ps seeds worker w's with seed * 31 + w.
    EpochOrder order = new EpochOrder(data.size(), new Random(seed * 31));
    double[] epochLoss = new double[epochs];
    double[] stepLoss = new double[epochs * steps];
    long computeNanos = 0;
    long updateNanos = 0;
    long start = System.nanoTime();
    for (int epoch = 0; epoch < epochs; epoch++) {
      order.shuffle();
      double lossSum = 0;
      for (int s = 0; s < steps; s++) {
        Batch batch = order.batch(data, s, batchSize);
        long t0 = System.nanoTime();
        double loss;
        long t1;
        if (rowSparse) {
          RowSparse.Compacted compacted = RowSparse.compact(batch);
          int[] features = compacted.features();
          float[][] rows = new float[params.length][];
          float[][] rowGradients = new float[params.length][];
          for (int p = 0; p < params.length; p++) {
            rows[p] = byFeature[p] ? rowsOf(params[p], features, specs.get(p).cols())
                : params[p];
            rowGradients[p] = byFeature[p] ? new float[rows[p].length] : gradients[p];
          }
          loss = model.gradient(compacted.batch(), rows, rowGradients);
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

  /** Rows {@code features} of a param of {@code cols} columns: what a worker's pull returns. */
  private static float[] rowsOf(float[] param, int[] features, int cols) {
    float[] out = new float[features.length * cols];
    for (int i = 0; i < features.length; i++) {
      System.arraycopy(param, features[i] * cols, out, i * cols, cols);
    }
    return out;
  }
}
