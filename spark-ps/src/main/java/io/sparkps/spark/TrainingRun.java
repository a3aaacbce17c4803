package io.sparkps.spark;

import io.sparkps.client.ClusterInfo;
import io.sparkps.client.ParamLayout;
import io.sparkps.client.PsClient;
import io.sparkps.cluster.PsCluster;
import io.sparkps.cluster.ServerFailure;
import io.sparkps.config.ClusterConfig;
import io.sparkps.config.InvalidConfigException;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.PsConf;
import io.sparkps.config.PsException;
import io.sparkps.transport.Secret;
import java.security.SecureRandom;
import io.sparkps.model.RowSparse;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.Slicer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
  static final String JOB_PREFIX = PSTrainer.TRAINING_JOB_PREFIX;
  /** Job description prefix of the jobs that read the data before the training stage. */
  static final String JOB_DATA_PREFIX = "spark-ps data";
  /** The local property that holds the description of the jobs a thread submits. */
  private static final String JOB_DESCRIPTION = "spark.job.description";

  private final PSTrainer trainer;
  private final Dataset<?> dataset;
  private final SparkContext sc;
  /** Where separate servers run; null for co-located ones. */
  private ServerPlacement placement;
  /** Whether the workers are elastic: one stage per epoch, of one task per shard. */
  private boolean elastic;
  /** The driver's side of the fit while it trains; null before the training stage. */
  private TrainingMonitor monitor;
  /** An epoch-end gate set from outside (tests); null: the fit's own, if any. */
  private EpochGate gate;

  TrainingRun(PSTrainer trainer, Dataset<?> dataset) {
    this.trainer = trainer;
    this.dataset = dataset;
    this.sc = dataset.sparkSession().sparkContext();
  }

  PSTrainerModel run() {
    java.util.Map<String, String> settings = sparkSettings(sc);
    PsConf conf = new PsConf(settings);
    int slots = ServerPlacement.slots(sc);
    // Elastic workers want more shards than slots, so that executors that join find some.
    ClusterConfig topology = trainer.clusterConfig(settings, conf.get(PsConf.ELASTIC_WORKERS)
        ? ElasticEpochs.defaultShards(slots) : sc.defaultParallelism());
    io.sparkps.config.Framework preset = trainer.framework(settings);
    String framework = preset.cliName();
    elastic = ElasticEpochs.check(conf, topology, preset);
    if (elastic) {
      LOG.info("Elastic workers: {} shards for the {} task slots there are now, one stage per "
          + "epoch ({})", topology.totalWorkers(), slots, PsConf.ELASTIC_WORKERS.key());
    }
    OptimizerConfig optimizer = trainer.optimizerConfig();
    placement = topology.serverWorkerSeparate() ? ServerPlacement.resolve(sc, conf,
        topology.totalWorkers(), topology.totalServers()) : null;
    checkSlots(topology);
    int replication = replication(conf, topology);
    FitCheckpoints checkpoints = FitCheckpoints.resolve(trainer, settings, topology,
        sc.hadoopConfiguration());


    int workers = topology.totalWorkers();
    HeldOutRows.checkSettings(trainer, dataset.schema());
    // Validation rows stay in their worker's partition, flagged: no shuffle sets them apart.
    JavaRDD<LabeledExample> input = dataset.select(
        functions.col(trainer.getLabelCol()).cast("double"),
        functions.col(trainer.getFeaturesCol()), HeldOutRows.flag(trainer)).javaRDD()
        .map(r -> LabeledExample.of(r.getDouble(0), (Vector) r.get(1),
            !r.isNullAt(2) && r.getBoolean(2)));
    boolean repartitioned = input.getNumPartitions() != workers;
    JavaRDD<LabeledExample> examples = prepare(input, workers, repartitioned);
    try {
      List<PartitionStats> stats = describedJob(JOB_DATA_PREFIX + ": counting the examples and "
          + "features of the " + workers + " worker partitions", () -> examples
          .mapPartitionsWithIndex((idx, it) -> List.of(PartitionStats.of(idx, it)).iterator(),
              true).collect());
      long skipped = checkInvalid(stats, repartitioned, workers);
      HeldOutRows.checkCounts(trainer, stats, skipped);
      int numFeatures = checkData(stats, skipped);
      TrainableModel model = trainer.modelFor(numClasses(stats));
      checkLabels(model, stats);
      // Filtering the cached partitions is narrow: the training stage still reads no shuffle.
      JavaRDD<LabeledExample> training = skipped == 0 ? examples
          : examples.filter(InvalidRow::finite);
      return train(conf, framework, topology, replication, optimizer, model, training, stats,
          numFeatures, skipped, checkpoints);
    } finally {
      examples.unpersist(false);
    }
  }

  /** Backups per slice: separate servers only; checked before anything starts. */
  /**
   * Steps each worker keeps in flight: spark.ps.maxInFlight in the asynchronous frameworks
   * when a group is one worker and no staleness bound is set, else 1. A synchronous group's
   * workers compute a step from the same values, the answers of the step before; under a
   * staleness bound s a worker computes step t from values that hold every group's steps up
   * to t - s, which steps left in flight would loosen to t - s - (maxInFlight - 1).
   */
  static int maxInFlight(PsConf conf, io.sparkps.config.Framework framework,
      ClusterConfig topology) {
    boolean asynchronous = framework == io.sparkps.config.Framework.DOWNPOUR
        || framework == io.sparkps.config.Framework.HOGWILD
        || framework == io.sparkps.config.Framework.INMEMORY_HOGWILD;
    boolean bounded = topology.staleness() != ClusterConfig.UNBOUNDED_STALENESS;
    return asynchronous && !topology.synchronousGroups() && !bounded
        ? conf.get(PsConf.MAX_IN_FLIGHT) : 1;
  }

  private static int replication(PsConf conf, ClusterConfig topology) {
    if (topology.serverWorkerSeparate()) {
      return conf.replication(topology.nServersPerGroup(), topology.nServerGroups());
    }
    if (conf.isSet(PsConf.REPLICATION) && conf.get(PsConf.REPLICATION) > 0) {
      throw new InvalidConfigException(PsConf.REPLICATION.key(), PsConf.REPLICATION.key()
          + "=" + conf.get(PsConf.REPLICATION) + ", but co-located servers (allreduce, hogwild,"
          + " inmemory-hogwild) live and die with their executors and are not replicated: use"
          + " sandblaster or downpour for replicated servers, or unset "
          + PsConf.REPLICATION.key());
    }
    return 0;
  }

  private PSTrainerModel train(PsConf conf, String framework, ClusterConfig topology,
      int replication, OptimizerConfig optimizer, TrainableModel model,
      JavaRDD<LabeledExample> examples, List<PartitionStats> stats, int numFeatures,
      long skipped, FitCheckpoints checkpoints) {
    int batch = trainer.getBatchSize();
    long maxCount = 0;
    for (PartitionStats s : stats) {
      maxCount = Math.max(maxCount, s.count());
    }
    int stepsPerEpoch = (int) Math.max(1, (maxCount + batch - 1) / batch);
    long timeoutMs = conf.get(PsConf.RPC_TIMEOUT).toMillis();
    int maxFrame = conf.get(PsConf.TRANSPORT_MAX_FRAME_BYTES);
    int numParams = model.params(numFeatures).size();
    checkpoints.check(model, numFeatures, topology, optimizer, batch);
    long trainingId = new SecureRandom().nextLong();

    PsCluster cluster = null;
    ClusterInfo info;
    int firstParamId;
    if (topology.serverWorkerSeparate()) {
      cluster = PsClusters.getOrStart(sc, conf, topology.totalServers(), replication,
          placement);
      info = cluster.info().withTimeoutMs(timeoutMs);
      firstParamId = cluster.reserveParamIds(numParams);
    } else {
      info = new ClusterInfo(List.of(), Secret.generate(new SecureRandom()).toHex(), timeoutMs,
          maxFrame, null, conf.cryptoEnabled());
      firstParamId = 1;
    }
    ParamLayout layout = new ParamLayout(topology, Slicer.slice(model.params(numFeatures),
        topology.nServersPerGroup(), firstParamId, conf.get(PsConf.SLICES_PER_SERVER)));
    TrainingPlan plan = new TrainingPlan(info, layout, model, topology, optimizer, numFeatures,
        batch, trainer.getMaxEpochs(), stepsPerEpoch, trainer.getSeed(), trainer.getShuffle(),
        conf.get(PsConf.TRANSPORT_IO_THREADS), trainingId,
        trainer.getLocalAggregation(), RowSparse.byFeature(model, numFeatures),
        trainer.sparsePulls(numFeatures, RowSparse.byFeature(model, numFeatures)),
        checkpoints.plan(trainingId),
        maxInFlight(conf, io.sparkps.config.Framework.parse(framework), topology), null,
        null, HeldOutRows.on(trainer));
    ValidationGate validation = validationGate(model, cluster, layout, plan);
    long examplesPerEpoch = 0;
    for (PartitionStats s : stats) {
      examplesPerEpoch += s.count() == 0 ? 0 : (long) stepsPerEpoch * batch;
    }
    String description = JOB_PREFIX + ": " + framework + ", " + topology.totalWorkers()
        + " workers, " + topology.totalServers() + " servers" + (plan.colocated()
        ? " (co-located)" : "") + ", " + trainer.getMaxEpochs() + " epochs"
        + (elastic ? ", elastic workers" : "");
    String jobGroup = "spark-ps-" + Long.toHexString(plan.trainingId());
    AtomicReference<String> lost = new AtomicReference<>();
    int[] runs = {0};
    int failuresBefore = cluster == null ? 0 : cluster.failures().size();
    Throwable failure = null;
    Runnable stopWatching = () -> { };
    TaskFailures taskFailures = TaskFailures.watch(sc, jobGroup);
    boolean submitted = false;
    try {
      monitor = TrainingMonitor.start(sc, conf, plan, trainer.listeners(),
          epochGate(validation), elastic, examplesPerEpoch);
      plan = monitor.plan();
      PsClient driver = null;
      if (cluster != null) {
        PsCluster c = cluster;
        checkpoints.createParams(c, layout, TrainingTask.initialValues(model, numFeatures,
            trainer.getSeed()), optimizer);
        driver = c.client();
        // A slice without a copy left cannot be trained: stop the stage now, freeing its
        // task slots, instead of waiting for every task to time out.
        stopWatching = c.onDataLoss(why -> {
          if (lost.compareAndSet(null, why)) {
            sc.cancelJobGroup(jobGroup, why);
          }
        });
      }
      monitor.fitStarted(framework, examplesPerEpoch, paramStrings());
      long start = System.nanoTime();
      submitted = true;
      List<WorkerResult> done = runStage(plan, examples, topology, conf, jobGroup, description,
          lost, runs);
      TrainingTask task = new TrainingTask(plan, runs[0] - 1);
      double seconds = (System.nanoTime() - start) / 1e9;
      io.sparkps.client.ParamValues values;
      double divergence;
      long[] counters;
      if (driver != null) {
        layout.flushAll(driver);
        values = validation != null && validation.bestValues() != null
            ? validation.bestValues()
            : layout.pullMasters(driver, task.rowSparse());
        divergence = layout.maxCopyDivergence(driver);
        counters = layout.updatesAndShares(driver);
      } else {
        WorkerResult first = done.stream().filter(r -> r.params() != null).findFirst()
            .orElseThrow(() -> new PsException("no worker returned the trained params"));
        values = first.params();
        divergence = first.copyDivergence();
        counters = first.serverCounters();
      }
      Divergence.checkParams(values, optimizer.learningRate());
      List<ServerFailure> failures = cluster == null ? List.of()
          : cluster.failures().subList(failuresBefore, cluster.failures().size());
      TrainingSummary summary = summarize(framework, topology, done, seconds, divergence,
          counters, failures, runs[0], skipped, validation,
          checkpoints.resumedFromStep(), cluster == null ? List.of() : cluster.serverHosts());
      Divergence.checkGrowth(summary, optimizer.learningRate());
      LOG.info("Trained {} in {} s: {} examples/s, final loss {}", description,
          String.format("%.2f", seconds), String.format("%.0f", summary.examplesPerSecond()),
          summary.finalLoss());
      monitor.fitEnded(summary);
      PSTrainerModel result = new PSTrainerModel(trainer.uid(), model, numFeatures, values,
          summary);
      trainer.copyValues(result, trainer.extractParamMap());
      return result.setParent(trainer);
    } catch (Exception e) {
      // Spark's job failure is a SparkException, which Scala throws unchecked.
      InvalidConfigException fromTask = submitted
          ? taskFailures.invalidConfig(Math.min(timeoutMs, 10_000)) : null;
      RuntimeException explained = explain(e, lost.get(), plan, runs[0], fromTask);
      failure = explained != null ? explained : e;
      if (explained != null) {
        throw explained;
      }
      throw e;
    } finally {
      stopWatching.run();
      sc.removeSparkListener(taskFailures);
      if (monitor != null) {
        monitor.close();
      }
      if (cluster != null) {
        try {
          cluster.dropParams(firstParamId, numParams);
        } catch (RuntimeException cleanup) {
          if (failure == null) {
            throw cleanup;
          }
          failure.addSuppressed(cleanup);
        }
      }
    }
  }

  /**
   * The epoch-end gate of a fit with a validation set, null without one. With separate
   * servers it keeps the best epoch's values by pulling them from the servers while the
   * workers wait for its decision; with co-located ones worker 0 keeps them.
   */
  private ValidationGate validationGate(TrainableModel model, PsCluster cluster,
      ParamLayout layout, TrainingPlan plan) {
    if (!HeldOutRows.on(trainer)) {
      return null;
    }
    boolean[] rowSparse = new TrainingTask(plan, 0).rowSparse();
    java.util.function.Supplier<io.sparkps.client.ParamValues> pull = cluster == null ? null
        : () -> {
          PsClient client = cluster.client();
          layout.flushAll(client);
          return layout.pullMasters(client, rowSparse);
        };
    return new ValidationGate(model.task(), trainer.getMaxEpochs(),
        trainer.getEarlyStoppingRounds(), trainer.getValidationTol(), pull);
  }

  /**
   * The fit's epoch-end gate, which every worker waits at after each epoch: one set from
   * outside, else the validation gate; null when the fit has none (it has one only with a
   * validation set).
   */
  private EpochGate epochGate(ValidationGate validation) {
    return gate != null ? gate : validation;
  }

  /** This run with {@code gate} as its epoch-end gate. */
  TrainingRun withEpochGate(EpochGate gate) {
    this.gate = gate;
    return this;
  }

  /** The trainer's params, by name, as strings, for the listeners' fitStarted. */
  private java.util.Map<String, String> paramStrings() {
    java.util.Map<String, String> params = new java.util.TreeMap<>();
    for (org.apache.spark.ml.param.ParamPair<?> p : trainer.extractParamMap().toList()) {
      params.put(p.param().name(), String.valueOf(p.value()));
    }
    return params;
  }

  /** Runs {@code job} with a description in the Spark UI, restoring the one before. */
  private <T> T describedJob(String description, java.util.function.Supplier<T> job) {
    String before = sc.getLocalProperty(JOB_DESCRIPTION);
    sc.setJobDescription(description);
    try {
      return job.get();
    } finally {
      sc.setLocalProperty(JOB_DESCRIPTION, before);
    }
  }

  /**
   * Runs the training stage and returns its workers' results. Spark retries a failed task of
   * an ordinary stage by itself (its new attempt resumes where its worker stands on the
   * servers), but fails a stage that runs all its tasks at once (a barrier stage) as soon as
   * one task fails; when that happens because an executor was lost or a task was killed, the
   * stage is run again, up to spark.ps.maxStageAttempts runs, once the cluster has as many
   * executors as before (or spark.ps.rpc.timeout passed). {@code runs[0]} counts the runs.
   */
  private List<WorkerResult> runStage(TrainingPlan plan, JavaRDD<LabeledExample> examples,
      ClusterConfig topology, PsConf conf, String jobGroup, String description,
      AtomicReference<String> lost, int[] runs) {
    if (elastic) {
      runs[0] = 1;
      return runEpochs(plan, examples, jobGroup, description, lost);
    }
    boolean barrier = allAtOnce(topology);
    int maxRuns = barrier ? conf.get(PsConf.MAX_STAGE_ATTEMPTS) : 1;
    int executors = executorCount();
    for (int attempt = 0; ; attempt++) {
      runs[0] = attempt + 1;
      TrainingTask task = new TrainingTask(plan, attempt);
      RDD<LabeledExample> rdd = AnySlotRDD.of(examples);
      RDD<WorkerResult> results = barrier
          ? rdd.barrier().mapPartitions(task, false, ClassTag$.MODULE$.apply(WorkerResult.class))
          : rdd.mapPartitions(task, false, ClassTag$.MODULE$.apply(WorkerResult.class));
      // Interrupting cancelled tasks frees their slots at once: a task of a failed stage
      // waiting on a server would otherwise hold its slot until spark.ps.rpc.timeout.
      sc.setJobGroup(jobGroup, attempt == 0 ? description
          : description + " (run " + (attempt + 1) + ")", true);
      try {
        return Arrays.asList((WorkerResult[]) results.collect());
      } catch (Exception e) {
        // Spark's job failure is a SparkException, which Scala throws unchecked.
        String why = lostExecutor(e);
        if (why == null || lost.get() != null || attempt + 1 >= maxRuns) {
          throw e;
        }
        LOG.warn("The training stage failed ({}); running it again, run {} of at most {} ({}):"
            + " {}", why, attempt + 2, maxRuns, PsConf.MAX_STAGE_ATTEMPTS.key(),
            plan.colocated() ? "co-located servers were lost with their executor, so the "
                + "training starts again from its first step"
                : "every worker resumes at its group's last applied step");
      } finally {
        sc.clearJobGroup();
      }
      awaitExecutors(executors, plan.cluster().timeoutMs());
    }
  }

  /**
   * Elastic workers' training: one ordinary stage per epoch, of one task per shard, each
   * training that epoch of its shard ({@link ElasticEpochs}). Spark retries a lost task by
   * itself; its new attempt resumes where its shard stands on the servers.
   */
  private List<WorkerResult> runEpochs(TrainingPlan plan, JavaRDD<LabeledExample> examples,
      String jobGroup, String description, AtomicReference<String> lost) {
    List<List<WorkerResult>> byEpoch = new ArrayList<>();
    for (int e = 0; e < plan.epochs() && (e == 0 || monitor.goOnAfter(e - 1)); e++) {
      if (lost.get() != null) {
        throw new PsException("the training stopped before epoch " + (e + 1) + ": "
            + lost.get());
      }
      RDD<WorkerResult> results = AnySlotRDD.of(examples).mapPartitions(
          new TrainingTask(plan, 0, e), false, ClassTag$.MODULE$.apply(WorkerResult.class));
      sc.setJobGroup(jobGroup, description + ", epoch " + (e + 1) + "/" + plan.epochs(), true);
      try {
        byEpoch.add(Arrays.asList((WorkerResult[]) results.collect()));
      } finally {
        sc.clearJobGroup();
      }
    }
    return ElasticEpochs.merge(byEpoch, plan.stepsPerEpoch(), plan.epochs());
  }

  /** What in {@code e} says a task was lost with its executor or killed; null otherwise. */
  static String lostExecutor(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String text = String.valueOf(t.getMessage());
      for (String sign : new String[] {"ExecutorLostFailure", "Executor heartbeat timed out",
          "exited caused by", "TaskKilled"}) {
        if (text.contains(sign)) {
          return sign;
        }
      }
    }
    return null;
  }

  /**
   * Waits until the cluster has {@code count} executors (the driver included) again, so that
   * a barrier stage run again finds its slots (else Spark checks again only every
   * spark.scheduler.barrier.maxConcurrentTasksCheck.interval, 15 s): first, for up to 2 s,
   * until the lost one is gone from the count, then until its replacement came, at most
   * {@code timeoutMs}.
   */
  private void awaitExecutors(int count, long timeoutMs) {
    long start = System.nanoTime();
    try {
      while (executorCount() >= count && System.nanoTime() - start < 2_000_000_000L) {
        Thread.sleep(20);
      }
      long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      while (executorCount() < count && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PsException("interrupted while waiting for executors to run the training stage "
          + "again", e);
    }
  }

  private int executorCount() {
    return sc.statusTracker().getExecutorInfos().length;
  }

  /**
   * The error a failed fit reports instead of {@code e}: a setting a worker found wrong
   * ({@code fromTask}, or one in the cause chain: a step size that made the training diverge),
   * the loss of a slice's every copy when that is what happened, or a lost executor of a
   * co-located stage said plainly, each with the Spark failure as its cause; null when {@code
   * e} says it best.
   */
  private static RuntimeException explain(Exception e, String lost, TrainingPlan plan,
      int runs, InvalidConfigException fromTask) {
    InvalidConfigException bad = fromTask;
    Throwable t = e.getCause();
    for (int depth = 0; bad == null && t != null && depth < 32; depth++, t = t.getCause()) {
      bad = t instanceof InvalidConfigException c ? c : null;
    }
    if (bad != null) {
      return new InvalidConfigException(bad.setting(), bad.getMessage(), e);
    }
    if (lost != null) {
      return new PsException("the training failed: " + lost, e);
    }
    if (plan.colocated() && lostExecutor(e) != null) {
      return new PsException("the training failed because an executor was lost, in each of "
          + runs + " runs of its stage (" + PsConf.MAX_STAGE_ATTEMPTS.key() + "): co-located "
          + "servers (allreduce, hogwild, inmemory-hogwild) live in the executors of their "
          + "workers and are not replicated, so every run starts again from the first step; "
          + "use sandblaster or downpour (separate servers, spark.ps.replication) to resume "
          + "where the training stood", e);
    }
    return null;
  }

  /**
   * One per-step array of the workers averaged step by step, over the workers whose loss at
   * that step is known (an empty partition's steps have none).
   */
  private static double[] meanByStep(List<WorkerResult> done,
      java.util.function.Function<WorkerResult, double[]> perStep) {
    int n = done.stream().mapToInt(r -> r.stepLoss().length).max().orElse(0);
    double[] mean = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      int count = 0;
      for (WorkerResult r : done) {
        if (i < r.stepLoss().length && !Double.isNaN(r.stepLoss()[i])) {
          sum += perStep.apply(r)[i];
          count++;
        }
      }
      mean[i] = count == 0 ? Double.NaN : sum / count;
    }
    return mean;
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

  private static JavaRDD<LabeledExample> prepare(JavaRDD<LabeledExample> input, int workers,
      boolean repartition) {
    JavaRDD<LabeledExample> examples = input;
    if (repartition) {
      // A shuffle here, before training, keeps the training stage itself free of any.
      examples = inFixedOrder(examples, workers);
    }
    return examples.persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * {@code examples} dealt round robin into {@code workers} partitions, each in the order of
   * the rows' places in the input. Unlike {@code repartition}, whose partitions hold the rows
   * in the order their blocks were fetched, a partition computed again (its executor was lost,
   * or the application runs again to resume from a checkpoint) holds the same rows in the same
   * order, so that a resumed worker's mini-batches are those of the steps it resumes. Training
   * and held-out rows are dealt each on their own count, so that the training rows land where
   * they would without the held-out ones.
   */
  static JavaRDD<LabeledExample> inFixedOrder(JavaRDD<LabeledExample> examples, int workers) {
    return examples.mapPartitionsWithIndex((p, it) -> {
      // Keyed as they stream past: the partition is never held whole here.
      long[] next = {0, 0};
      return new java.util.Iterator<scala.Tuple2<Long, LabeledExample>>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public scala.Tuple2<Long, LabeledExample> next() {
          LabeledExample e = it.next();
          int held = e.heldOut() ? 1 : 0;
          return new scala.Tuple2<>(((long) p << 41) | ((long) held << 40) | next[held]++, e);
        }
      };
    }, true).mapToPair(t -> t)
        .repartitionAndSortWithinPartitions(new RoundRobin(workers))
        .values();
  }

  /**
   * Row {@code i} of input partition {@code p} (key {@code p << 41 | heldOut << 40 | i}, {@code
   * i} counting training and held-out rows apart) goes to (p + i) % n.
   */
  static final class RoundRobin extends org.apache.spark.Partitioner {
    private final int n;

    RoundRobin(int n) {
      this.n = n;
    }

    @Override
    public int numPartitions() {
      return n;
    }

    @Override
    public int getPartition(Object key) {
      long k = (Long) key;
      return (int) (((k >>> 41) + (k & ((1L << 40) - 1))) % n);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RoundRobin r && r.n == n;
    }

    @Override
    public int hashCode() {
      return n;
    }
  }

  /**
   * Whether every worker must run at the same time (a barrier stage): the workers of a
   * synchronous group wait for each other, co-located servers must all be up, and under a
   * staleness bound a group that has not started holds the others back.
   */
  private static boolean allAtOnce(ClusterConfig topology) {
    boolean bounded = topology.staleness() != ClusterConfig.UNBOUNDED_STALENESS
        && topology.nWorkerGroups() > 1;
    return topology.synchronousGroups() || !topology.serverWorkerSeparate() || bounded;
  }

  private void checkSlots(ClusterConfig topology) {
    if (allAtOnce(topology) && ServerPlacement.dynamicAllocation(sc.getConf())) {
      throw new InvalidConfigException("spark.dynamicAllocation.enabled",
          "spark.dynamicAllocation.enabled=true, but this framework runs its "
          + topology.totalWorkers() + " workers as one barrier stage (" + (topology
              .synchronousGroups() ? "a synchronous group" : !topology.serverWorkerSeparate()
              ? "co-located servers" : "a staleness bound") + "), which Spark does not run"
          + " under dynamic allocation (SPARK-24942): set spark.dynamicAllocation.enabled="
          + "false, or train with downpour (unbounded staleness), whose workers are ordinary"
          + " tasks");
    }
    int slots = ServerPlacement.slots(sc);
    // Servers on the application's executors hold a slot each for their whole life.
    int serverSlots = placement != null && placement.onExecutors()
        && !ServerPlacement.dynamicAllocation(sc.getConf()) ? topology.totalServers() : 0;
    if (serverSlots > 0 && slots - serverSlots < (allAtOnce(topology)
        ? topology.totalWorkers() : 1)) {
      throw new InvalidConfigException(PsConf.SERVER_PLACEMENT.key(), topology.totalServers()
          + " servers on executors (" + placement.why() + ") hold " + serverSlots + " of the "
          + "cluster's " + slots + " task slots, leaving " + (slots - serverSlots) + " for "
          + topology.totalWorkers() + " workers" + (allAtOnce(topology) ? " that must all run"
          + " at once" : "") + ": raise spark.executor.cores or spark.executor.instances, "
          + "enable dynamic allocation (servers then get executors of their own), or set "
          + PsConf.SERVER_PLACEMENT.key() + "=driver");
    }
    if (allAtOnce(topology) && topology.totalWorkers() > slots) {
      String why = topology.synchronousGroups()
          ? topology.nWorkersPerGroup() + " workers per synchronous group x "
              + topology.nWorkerGroups() + " groups"
          : !topology.serverWorkerSeparate()
              ? topology.totalWorkers() + " workers hosting co-located servers"
              : topology.nWorkerGroups() + " worker groups under staleness="
                  + topology.staleness();
      throw new InvalidConfigException("numWorkers", why + " need "
          + topology.totalWorkers() + " concurrent task slots, the cluster offers " + slots
          + ": raise spark.executor.cores or spark.executor.instances (or the N of local[N]), "
          + "or lower numWorkers");
    }
  }

  /**
   * Applies handleInvalid to the rows with a NaN or infinite value: fails naming the first of
   * them, or returns how many there are to skip.
   */
  private long checkInvalid(List<PartitionStats> stats, boolean repartitioned, int workers) {
    long invalid = 0;
    InvalidRow first = null;
    for (PartitionStats s : stats) {
      invalid += s.invalidRows();
      first = first == null ? s.firstInvalid() : first;
    }
    if (invalid == 0) {
      return 0;
    }
    String where = first.describe(repartitioned, workers);
    if (trainer.skipInvalid()) {
      LOG.warn("handleInvalid=skip: leaving out {} rows with a NaN or infinite label ({}) or "
          + "feature value ({}); the first: {}", invalid, trainer.getLabelCol(),
          trainer.getFeaturesCol(), where);
      return invalid;
    }
    String setting = first.inLabel() ? "labelCol" : "featuresCol";
    String column = first.inLabel() ? trainer.getLabelCol() : trainer.getFeaturesCol();
    throw new InvalidConfigException(setting, setting + "=" + column + ": " + where + " ("
        + invalid + (invalid == 1 ? " row has" : " rows have") + " a NaN or infinite label or "
        + "feature value). Such values cannot be trained on: fix or drop those rows, or set "
        + "handleInvalid=skip to leave them out");
  }

  private static int checkData(List<PartitionStats> stats, long skipped) {
    long count = 0;
    int width = 0;
    for (PartitionStats s : stats) {
      count += s.count();
      width = Math.max(width, s.numFeatures());
    }
    if (count == 0) {
      throw new InvalidConfigException("dataset", skipped == 0
          ? "the training data set is empty"
          : "every one of the " + skipped + " rows of the training data set has a NaN or "
              + "infinite label or feature value (handleInvalid=skip left them all out)");
    }
    return width;
  }

  /** One more than the largest label: the class count for classifiers. */
  private static int numClasses(List<PartitionStats> stats) {
    double max = 0;
    for (PartitionStats s : stats) {
      if (s.count() + s.heldOut() > 0) {
        max = Math.max(max, s.maxLabel());
      }
    }
    return (int) Math.min(Integer.MAX_VALUE - 1, Math.max(0, max)) + 1;
  }

  private void checkLabels(TrainableModel model, List<PartitionStats> stats) {
    for (PartitionStats s : stats) {
      String problem = null;
      if (s.count() + s.heldOut() > 0) {
        problem = model.checkLabel(s.minLabel());
        if (problem == null) {
          problem = model.checkLabel(s.maxLabel());
        }
        if (problem == null && s.nonIntegerLabels() > 0
            && model.task() != TrainableModel.Task.REGRESSION) {
          problem = s.nonIntegerLabels() + " labels are not whole numbers";
        }
      }
      if (problem != null) {
        throw new InvalidConfigException("labelCol", "labelCol=" + trainer.getLabelCol()
            + ": " + problem + " (labels range over [" + s.minLabel() + ", " + s.maxLabel()
            + "]) for " + model + "; binary classifiers need 0/1 labels (e.g. "
            + "when(col(\"label\") > 0, 1.0).otherwise(0.0)), multi-class ones class indices "
            + "0..K-1 (StringIndexer)");
      }
    }
  }


  private TrainingSummary summarize(String framework, ClusterConfig topology,
      List<WorkerResult> done, double seconds, double divergence, long[] counters,
      List<ServerFailure> failures, int stageRuns, long skipped, ValidationGate gate,
      Long resumedFromStep, List<String> serverHosts) {
    // Early stopping ends a fit after the epochs the gate saw.
    int epochs = gate != null && gate.epochs() > 0 ? gate.epochs() : trainer.getMaxEpochs();
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
      // A worker's steps before its last task started were applied by an earlier task.
      steps += r.firstStep() + r.steps();
      examples += r.examples();
    }
    List<WorkerResult> byWorker = new ArrayList<>(done);
    byWorker.sort(java.util.Comparator.comparingInt(WorkerResult::worker));
    List<TrainingSummary.WorkerStats> workers = new ArrayList<>();
    for (WorkerResult r : byWorker) {
      workers.add(new TrainingSummary.WorkerStats(r.worker(), r.group(), r.steps(),
          r.firstStep(), r.examples(), r.seconds(), r.maxLead(), r.phases()));
    }
    double recovery = Double.NaN;
    for (ServerFailure f : failures) {
      if (f.takeOverMillis() >= 0 && counters[4] >= 0) {
        double r = f.takeOverMillis() + counters[4] / 1000.0;
        recovery = Double.isNaN(recovery) ? r : Math.max(recovery, r);
      }
    }
    int stepsRun = epochs * (done.isEmpty() ? 0 : done.get(0).stepLoss().length
        / trainer.getMaxEpochs());
    return new TrainingSummary(framework, topology.totalWorkers(), topology.totalServers(),
        loss, Arrays.copyOf(meanByStep(done, WorkerResult::stepLoss), stepsRun),
        Arrays.copyOf(meanByStep(done, WorkerResult::stepSeconds), stepsRun), steps, examples,
        seconds, workers, divergence, counters[0], counters[1], counters[2], counters[3],
        failures.size(), recovery, stageRuns, skipped, resumedFromStep, serverHosts,
        gate == null ? null : gate.summary());
  }
}
