package io.sparkps.spark;

import io.sparkps.client.PsClient;
import io.sparkps.cluster.PsCluster;
import io.sparkps.config.ClusterConfig;
import io.sparkps.config.InvalidConfigException;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.PsConf;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.SliceInfo;
import io.sparkps.param.SliceMap;
import io.sparkps.param.Slicer;
import io.sparkps.transport.Message;
import io.sparkps.transport.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;

/**
 * One {@code fit}: checks everything that can be checked before a process starts, prepares the
 * data (one partition per worker, cached, so that the training stage reads no shuffle data),
 * creates the params on the servers, runs the training stage, and gathers the result.
 */
final class TrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
  /** Job description prefix of the training stage; tests find its stage by it. */
  static final String JOB_PREFIX = "spark-ps training";

  private final PSTrainer trainer;
  private final Dataset<?> dataset;
  private final SparkContext sc;

  TrainingRun(PSTrainer trainer, Dataset<?> dataset) {
    this.trainer = trainer;
    this.dataset = dataset;
    this.sc = dataset.sparkSession().sparkContext();
  }

  PSTrainerModel run() {
    java.util.Map<String, String> settings = sparkSettings(sc);
    PsConf conf = new PsConf(settings);
    ClusterConfig topology = trainer.clusterConfig(settings, sc.defaultParallelism());
    String framework = trainer.framework(settings).cliName();
    OptimizerConfig optimizer = trainer.optimizerConfig();
    checkSlots(topology);
    if (!topology.serverWorkerSeparate() || topology.nServerGroups() > 1) {
      throw new InvalidConfigException("framework", "framework=" + framework + " needs "
          + "co-located servers or several server groups, which this version cannot run yet; "
          + "use sandblaster or downpour");
    }
    TrainableModel model = trainer.getModel();

    JavaRDD<LabeledExample> examples = prepare(topology.totalWorkers());
    try {
      List<PartitionStats> stats = examples.mapPartitionsWithIndex((idx, it) -> {
        long count = 0;
        long bad = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int width = 0;
        while (it.hasNext()) {
          LabeledExample e = it.next();
          count++;
          min = Math.min(min, e.label());
          max = Math.max(max, e.label());
          if (e.label() != 0f && e.label() != 1f) {
            bad++;
          }
          width = Math.max(width, e.width());
        }
        return List.of(new PartitionStats(idx, count, min, max, bad, width)).iterator();
      }, true).collect();
      int numFeatures = checkData(stats);
      return train(conf, framework, topology, optimizer, model, examples, stats, numFeatures);
    } finally {
      examples.unpersist(false);
    }
  }

  private PSTrainerModel train(PsConf conf, String framework, ClusterConfig topology, OptimizerConfig optimizer,
      TrainableModel model, JavaRDD<LabeledExample> examples, List<PartitionStats> stats,
      int numFeatures) {
    PsCluster cluster = PsClusters.getOrStart(sc, conf, topology.totalServers());
    SliceMap slices = Slicer.slice(model.params(numFeatures), cluster.numServers(),
        cluster.reserveParamIds(model.params(numFeatures).size()));
    PsClient client = cluster.client();
    createParams(client, slices, optimizer, topology,
        model.initialValues(numFeatures, new Random(trainer.getSeed())));
    try {
      int batch = trainer.getBatchSize();
      int[] stepsPerEpoch = new int[topology.nWorkerGroups()];
      for (PartitionStats s : stats) {
        int group = s.partition() / topology.nWorkersPerGroup();
        stepsPerEpoch[group] = (int) Math.max(stepsPerEpoch[group], (s.count() + batch - 1) / batch);
      }
      TrainingTask task = new TrainingTask(cluster.info(), slices, model, topology, numFeatures,
          batch, trainer.getMaxEpochs(), stepsPerEpoch, trainer.getSeed());
      RDD<LabeledExample> rdd = examples.rdd();
      RDD<WorkerResult> results = topology.synchronousGroups()
          ? rdd.barrier().mapPartitions(task, false, ClassTag$.MODULE$.apply(WorkerResult.class))
          : rdd.mapPartitions(task, false, ClassTag$.MODULE$.apply(WorkerResult.class));
      String description = JOB_PREFIX + ": " + framework + ", "
          + topology.totalWorkers() + " workers, " + cluster.numServers() + " servers, "
          + trainer.getMaxEpochs() + " epochs";
      sc.setJobDescription(description);
      long start = System.nanoTime();
      List<WorkerResult> done;
      try {
        done = Arrays.asList((WorkerResult[]) results.collect());
      } finally {
        sc.setJobDescription(null);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      float[][] values = pullParams(client, slices);
      TrainingSummary summary = summarize(framework, topology, cluster, done, seconds);
      LOG.info("Trained {} in {} s: {} examples/s, final loss {}", description,
          String.format("%.2f", seconds), String.format("%.0f", summary.examplesPerSecond()),
          summary.finalLoss());
      PSTrainerModel result = new PSTrainerModel(trainer.uid(), model, numFeatures, values,
          summary);
      trainer.copyValues(result, trainer.extractParamMap());
      return result.setParent(trainer);
    } finally {
      for (int p = 0; p < slices.params().size(); p++) {
        PsClient.await(client.drop(slices.slicesOf(p).get(0).paramId()), client.timeoutMs());
      }
    }
  }

  /** The SparkConf's settings, then the session's runtime {@code spark.ps.*} settings. */
  private java.util.Map<String, String> sparkSettings(SparkContext sc) {
    java.util.Map<String, String> settings = new java.util.HashMap<>();
    for (scala.Tuple2<String, String> kv : sc.getConf().getAll()) {
      settings.put(kv._1(), kv._2());
    }
    scala.collection.immutable.Map<String, String> runtime =
        dataset.sparkSession().conf().getAll();
    runtime.foreach(kv -> {
      if (kv._1().startsWith(PsConf.PREFIX)) {
        settings.put(kv._1(), kv._2());
      }
      return null;
    });
    return settings;
  }

  private JavaRDD<LabeledExample> prepare(int workers) {
    Dataset<Row> rows = dataset.select(
        functions.col(trainer.getLabelCol()).cast("double"),
        functions.col(trainer.getFeaturesCol()));
    JavaRDD<LabeledExample> examples = rows.javaRDD()
        .map(r -> LabeledExample.of(r.getDouble(0), (Vector) r.get(1)));
    if (examples.getNumPartitions() != workers) {
      // A shuffle here, before training, keeps the training stage itself free of any.
      examples = examples.repartition(workers);
    }
    return examples.persist(StorageLevel.MEMORY_AND_DISK());
  }

  private void checkSlots(ClusterConfig topology) {
    int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
    int slots = sc.defaultParallelism() / taskCpus;
    if (topology.synchronousGroups() && topology.totalWorkers() > slots) {
      throw new InvalidConfigException("numWorkers", topology.nWorkersPerGroup()
          + " workers per synchronous group x " + topology.nWorkerGroups() + " groups need "
          + topology.totalWorkers() + " concurrent task slots, the cluster offers " + slots
          + ": raise spark.executor.cores or spark.executor.instances (or the N of local[N]), "
          + "or lower numWorkers");
    }
  }

  private int checkData(List<PartitionStats> stats) {
    long count = 0;
    int width = 0;
    for (PartitionStats s : stats) {
      count += s.count();
      width = Math.max(width, s.maxFeatures());
      if (s.nonIntegerLabels() > 0) {
        throw new InvalidConfigException("labelCol", "labelCol=" + trainer.getLabelCol()
            + ": binary logistic regression needs labels 0 or 1; found labels in ["
            + s.minLabel() + ", " + s.maxLabel() + "] (map them first, e.g. "
            + "when(col(\"label\") > 0, 1.0).otherwise(0.0))");
      }
    }
    if (count == 0) {
      throw new InvalidConfigException("dataset", "the training data set is empty");
    }
    return width;
  }

  private static void createParams(PsClient client, SliceMap slices, OptimizerConfig optimizer,
      ClusterConfig topology, float[][] initial) {
    List<CompletableFuture<Message>> pending = new ArrayList<>();
    for (SliceInfo s : slices.slices()) {
      float[] part = Arrays.copyOfRange(initial[s.param()], (int) s.offset(),
          (int) s.offset() + s.length());
      pending.add(client.create(s, optimizer, topology.nWorkersPerGroup(), part));
    }
    pending.forEach(f -> PsClient.await(f, client.timeoutMs()));
  }

  private static float[][] pullParams(PsClient client, SliceMap slices) {
    float[][] values = new float[slices.params().size()][];
    for (int p = 0; p < values.length; p++) {
      values[p] = new float[Math.toIntExact(slices.params().get(p).length())];
    }
    for (SliceInfo s : slices.slices()) {
      Values v = PsClient.await(client.pull(s, 0), client.timeoutMs());
      System.arraycopy(v.values(), 0, values[s.param()], (int) s.offset(), s.length());
    }
    return values;
  }

  private TrainingSummary summarize(String framework, ClusterConfig topology, PsCluster cluster,
      List<WorkerResult> done, double seconds) {
    int epochs = trainer.getMaxEpochs();
    double[] loss = new double[epochs];
    long steps = 0;
    long examples = 0;
    for (int e = 0; e < epochs; e++) {
      double sum = 0;
      int n = 0;
      for (WorkerResult r : done) {
        if (!Double.isNaN(r.epochLoss()[e])) {
          sum += r.epochLoss()[e];
          n++;
        }
      }
      loss[e] = n == 0 ? Double.NaN : sum / n;
    }
    for (WorkerResult r : done) {
      steps += r.steps();
      examples += r.examples();
    }
    return new TrainingSummary(framework, topology.totalWorkers(),
        cluster.numServers(), loss, steps, examples, seconds);
  }
}
