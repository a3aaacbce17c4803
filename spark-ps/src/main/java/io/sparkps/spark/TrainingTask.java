package io.sparkps.spark;

import io.sparkps.client.ClusterInfo;
import io.sparkps.client.ParamSet;
import io.sparkps.client.PsClient;
import io.sparkps.config.ClusterConfig;
import io.sparkps.model.Batch;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.SliceMap;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.TaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of one worker: a Spark task over one partition that trains against the servers.
 *
 * <p>Each step: compute the mean gradient of a mini-batch with the model, push it slice by slice
 * as the sum over the batch with the example count, and take the values the servers answer with
 * as the parameters of the next step. In a synchronous group those answers come only once every
 * worker of the group pushed the step, which is what keeps the group in lock step; every worker
 * of a group therefore runs the same number of steps, wrapping around a smaller partition.
 */
final class TrainingTask
    extends AbstractFunction1<Iterator<LabeledExample>, Iterator<WorkerResult>>
    implements Serializable {

  private final ClusterInfo cluster;
  private final SliceMap slices;
  private final TrainableModel model;
  private final ClusterConfig topology;
  private final int numFeatures;
  private final int batchSize;
  private final int epochs;
  private final int[] stepsPerEpochOfGroup;
  private final long seed;

  TrainingTask(ClusterInfo cluster, SliceMap slices, TrainableModel model,
      ClusterConfig topology, int numFeatures, int batchSize, int epochs,
      int[] stepsPerEpochOfGroup, long seed) {
    this.cluster = cluster;
    this.slices = slices;
    this.model = model;
    this.topology = topology;
    this.numFeatures = numFeatures;
    this.batchSize = batchSize;
    this.epochs = epochs;
    this.stepsPerEpochOfGroup = stepsPerEpochOfGroup;
    this.seed = seed;
  }

  @Override
  public Iterator<WorkerResult> apply(Iterator<LabeledExample> partition) {
    int worker = TaskContext.getPartitionId();
    int group = worker / topology.nWorkersPerGroup();
    List<LabeledExample> data = new ArrayList<>();
    partition.foreach(data::add);
    WorkerResult result = train(worker, group, data);
    return CollectionConverters.asScala(List.of(result).iterator());
  }

  private WorkerResult train(int worker, int group, List<LabeledExample> data) {
    long start = System.nanoTime();
    int steps = stepsPerEpochOfGroup[group];
    int n = data.size();
    int[] order = new int[Math.max(n, 1)];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed * 31 + worker);
    float[][] gradients = new float[slices.params().size()][];
    for (int i = 0; i < gradients.length; i++) {
      gradients[i] = new float[Math.toIntExact(slices.params().get(i).length())];
    }
    double[] epochLoss = new double[epochs];
    long examples = 0;
    long step = 0;
    try (PsClient client = PsClient.connect(cluster)) {
      ParamSet params = new ParamSet(slices);
      params.pullAll(client, 0);
      for (int epoch = 0; epoch < epochs; epoch++) {
        shuffle(order, n, random);
        double lossSum = 0;
        long lossExamples = 0;
        for (int s = 0; s < steps; s++) {
          // An empty partition still takes part in its group's steps, with zero examples.
          int size = n == 0 ? 0 : batchSize;
          Batch batch = BatchBuilder.build(data, order, (s * batchSize) % order.length, size,
              numFeatures);
          double loss = model.gradient(batch, params.values(), gradients);
          scale(gradients, size);
          params.pushAll(client, step, group, worker, size, gradients);
          lossSum += loss * size;
          lossExamples += size;
          examples += size;
          step++;
        }
        epochLoss[epoch] = lossExamples == 0 ? Double.NaN : lossSum / lossExamples;
      }
    }
    return new WorkerResult(worker, group, step, examples, epochLoss,
        (System.nanoTime() - start) / 1e9);
  }

  private static void shuffle(int[] order, int n, Random random) {
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  private static void scale(float[][] arrays, float factor) {
    for (float[] a : arrays) {
      for (int i = 0; i < a.length; i++) {
        a[i] *= factor;
      }
    }
  }
}
