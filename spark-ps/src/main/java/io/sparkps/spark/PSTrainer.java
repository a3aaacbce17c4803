package io.sparkps.spark;

import io.sparkps.config.ClusterConfig;
import io.sparkps.config.Framework;
import io.sparkps.config.InvalidConfigException;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.OptimizerType;
import io.sparkps.config.PsConf;
import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.model.TrainableModel;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * Trains a model on a parameter server cluster: the Spark estimator of spark-ps.
 *
 * <p>Workers are Spark tasks, one per partition of the (re-partitioned) training data; servers
 * are JVMs the driver launches once per application and reuses across {@code fit} calls.
 * Gradients and parameters travel between them over spark-ps's own Netty connections, never
 * through Spark shuffle.
 *
 * <pre>{@code
 * PSTrainerModel model = new PSTrainer()
 *     .setFramework("sandblaster").setNumWorkers(2).setNumServers(2)
 *     .setMaxEpochs(5).setStepSize(0.1)
 *     .fit(training);                       // label 0/1, features: ml.linalg.Vector
 * Dataset<Row> scored = model.transform(test);
 * }</pre>
 *
 * Process-level settings (server memory, lease, timeouts) come from {@code spark.ps.*} keys of
 * the SparkConf; see {@link io.sparkps.config.PsConf}.
 *
 * <p>A NaN or infinite label or feature value fails {@code fit} before any training step with
 * an {@link InvalidConfigException} naming the column, the row and the value, unless {@code
 * handleInvalid=skip} leaves such rows out ({@link TrainingSummary#skippedRows()}). A training
 * that diverges (a NaN or infinite loss, gradient or trained value, or a loss grown a
 * thousandfold) fails naming {@code stepSize}.
 */
public class PSTrainer extends Estimator<PSTrainerModel>
    implements PSTrainerParams, DefaultParamsWritable {
  /**
   * How the description of a fit's training job begins (it goes on with the framework, worker,
   * server and epoch counts); it names the job in the Spark UI and in listeners' events.
   */
  public static final String TRAINING_JOB_PREFIX = "spark-ps training";

  private final String uid;
  private final PSTrainerParams.Declared declared;
  private TrainableModel model;
  private transient java.util.List<TrainingListener> listeners = new java.util.ArrayList<>();

  public PSTrainer() {
    this(Identifiable$.MODULE$.randomUID("psTrainer"));
  }

  public PSTrainer(String uid) {
    this.uid = uid;
    declared = new PSTrainerParams.Declared(this);
  }

  @Override public String uid() { return uid; }

  @Override public PSTrainerParams.Declared declared() { return declared; }

  /** Feature count from which {@code pullMode=auto} pulls rows instead of whole params. */
  public static final int SPARSE_FROM_FEATURES = 100_000;

  /**
   * Whether workers pull and push only the rows their batches touch.
   *
   * @param byFeature per param, whether it has one row per feature
   */
  public boolean sparsePulls(int numFeatures, boolean[] byFeature) {
    boolean any = false;
    for (boolean b : byFeature) {
      any |= b;
    }
    switch (getPullMode().trim().toLowerCase(java.util.Locale.ROOT)) {
      case "dense":
        return false;
      case "sparse":
        return any;
      case "auto":
        return any && numFeatures >= SPARSE_FROM_FEATURES;
      default:
        throw new InvalidConfigException("pullMode", "pullMode=" + getPullMode()
            + " is not one of auto, dense, sparse");
    }
  }

  /**
   * Whether rows with a NaN or infinite label or feature value are left out of the training
   * ({@code handleInvalid=skip}) rather than failing the fit ({@code error}).
   *
   * @throws InvalidConfigException naming handleInvalid if it is neither
   */
  public boolean skipInvalid() {
    switch (getHandleInvalid().trim().toLowerCase(java.util.Locale.ROOT)) {
      case "error":
        return false;
      case "skip":
        return true;
      default:
        throw new InvalidConfigException("handleInvalid", "handleInvalid=" + getHandleInvalid()
            + " is not one of error, skip (a NaN or infinite value cannot be kept in the "
            + "training data)");
    }
  }

  /** The model set with {@link #setModel}, or null when a built-in modelType is used. */
  public TrainableModel getModel() { return model; }

  /**
   * The model to train: the one set with {@link #setModel}, else the built-in {@code
   * modelType}, with {@code inferredClasses} classes unless numClasses says otherwise.
   *
   * @throws InvalidConfigException naming modelType, hiddenLayers or numClasses
   */
  public TrainableModel modelFor(int inferredClasses) {
    if (model != null) {
      return model;
    }
    int classes = getNumClasses() > 0 ? getNumClasses() : Math.max(2, inferredClasses);
    try {
      switch (getModelType().trim().toLowerCase(java.util.Locale.ROOT)) {
        case "logistic":
          return new BinaryLogisticRegression();
        case "multinomial":
          return new io.sparkps.model.MultinomialLogisticRegression(classes);
        case "linear":
          return new io.sparkps.model.LinearRegression();
        case "mlp":
          return new io.sparkps.model.MlpClassifier(getHiddenLayers(), classes);
        default:
          throw new InvalidConfigException("modelType", "modelType=" + getModelType()
              + " is not a built-in model; use logistic, multinomial, linear or mlp, or "
              + "setModel(...)");
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("hiddenLayers", e.getMessage() + " (hiddenLayers="
          + java.util.Arrays.toString(getHiddenLayers()) + ", numClasses=" + classes + ")", e);
    }
  }

  public PSTrainer setFeaturesCol(String v) { set(featuresCol(), v); return this; }
  public PSTrainer setLabelCol(String v) { set(labelCol(), v); return this; }
  public PSTrainer setPredictionCol(String v) { set(predictionCol(), v); return this; }
  public PSTrainer setProbabilityCol(String v) { set(probabilityCol(), v); return this; }
  public PSTrainer setRawPredictionCol(String v) { set(rawPredictionCol(), v); return this; }
  public PSTrainer setFramework(String v) { set(framework(), v); return this; }
  public PSTrainer setNumWorkers(int v) { set(numWorkers(), v); return this; }
  public PSTrainer setNumServers(int v) { set(numServers(), v); return this; }
  public PSTrainer setMaxEpochs(int v) { set(maxEpochs(), v); return this; }
  public PSTrainer setBatchSize(int v) { set(batchSize(), v); return this; }
  public PSTrainer setStepSize(double v) { set(stepSize(), v); return this; }
  public PSTrainer setOptimizer(String v) { set(optimizer(), v); return this; }
  public PSTrainer setRegParam(double v) { set(regParam(), v); return this; }
  public PSTrainer setElasticNetParam(double v) { set(elasticNetParam(), v); return this; }
  public PSTrainer setSeed(long v) { set(seed(), v); return this; }
  public PSTrainer setNumWorkersPerGroup(int v) { set(numWorkersPerGroup(), v); return this; }
  public PSTrainer setNumServerGroups(int v) { set(numServerGroups(), v); return this; }
  public PSTrainer setStaleness(int v) { set(staleness(), v); return this; }
  public PSTrainer setSyncFreq(int v) { set(syncFreq(), v); return this; }
  public PSTrainer setShuffle(boolean v) { set(shuffle(), v); return this; }
  public PSTrainer setLocalAggregation(boolean v) { set(localAggregation(), v); return this; }
  public PSTrainer setModelType(String v) { set(modelType(), v); return this; }
  public PSTrainer setPullMode(String v) { set(pullMode(), v); return this; }
  public PSTrainer setHandleInvalid(String v) { set(handleInvalid(), v); return this; }
  public PSTrainer setHiddenLayers(int... v) { set(hiddenLayers(), v); return this; }
  public PSTrainer setNumClasses(int v) { set(numClassesParam(), v); return this; }
  public PSTrainer setCheckpointDir(String v) { set(checkpointDir(), v); return this; }
  /** {@code "500"}: every 500 steps; {@code "30s"}, {@code "5min"}: at that interval. */
  public PSTrainer setCheckpointInterval(String v) {
    set(checkpointInterval(), v);
    return this;
  }
  public PSTrainer setCheckpointInterval(int steps) {
    return setCheckpointInterval(Integer.toString(steps));
  }

  public PSTrainer setValidationIndicatorCol(String v) {
    set(validationIndicatorCol(), v);
    return this;
  }
  public PSTrainer setEarlyStoppingRounds(int v) {
    set(earlyStoppingRounds(), v);
    return this;
  }
  public PSTrainer setValidationTol(double v) { set(validationTol(), v); return this; }

  /** Trains {@code model}, a user-defined implementation of the model SPI. */
  public PSTrainer setModel(TrainableModel model) {
    this.model = java.util.Objects.requireNonNull(model, "model");
    return this;
  }

  /**
   * Adds a listener that hears the progress of every later {@code fit} of this trainer (and of
   * its copies, such as those a CrossValidator fits), on the driver. Listeners are not params:
   * they are neither saved nor compared.
   */
  public PSTrainer addListener(TrainingListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** The listeners added with {@link #addListener}, in the order they were added. */
  public java.util.List<TrainingListener> listeners() {
    return java.util.List.copyOf(listeners);
  }

  /**
   * The topology of this trainer: the {@code spark.ps.*} settings of {@code sparkConf}, then
   * the framework preset and sizes set on this trainer over them.
   *
   * @param defaultWorkers workers when neither numWorkers nor the settings say
   * @throws InvalidConfigException naming the setting to change
   */
  public ClusterConfig clusterConfig(java.util.Map<String, String> sparkConf, int defaultWorkers) {
    java.util.Map<String, String> settings = new java.util.HashMap<>(sparkConf);
    Framework f = framework(sparkConf);
    settings.put(PsConf.FRAMEWORK.key(), f.cliName());
    if (getNumWorkers() > 0) {
      boolean oneGroup = f == Framework.SANDBLASTER || f == Framework.ALLREDUCE;
      int perGroup = getNumWorkersPerGroup() > 0 ? getNumWorkersPerGroup() : 1;
      if (oneGroup) {
        settings.put(PsConf.NUM_WORKERS_PER_GROUP.key(), Integer.toString(getNumWorkers()));
      } else {
        if (getNumWorkers() % perGroup != 0) {
          throw new InvalidConfigException("numWorkers", "numWorkers=" + getNumWorkers()
              + " is not a multiple of numWorkersPerGroup=" + perGroup);
        }
        settings.put(PsConf.NUM_WORKER_GROUPS.key(), Integer.toString(getNumWorkers() / perGroup));
      }
    }
    if (getNumWorkersPerGroup() > 0) {
      settings.put(PsConf.NUM_WORKERS_PER_GROUP.key(), Integer.toString(getNumWorkersPerGroup()));
    }
    boolean separate = f == Framework.SANDBLASTER || f == Framework.DOWNPOUR;
    if (isSet(numServers()) || (separate && !settings.containsKey(PsConf.NUM_SERVERS.key()))) {
      settings.put(PsConf.NUM_SERVERS.key(), Integer.toString(getNumServers()));
    }
    if (getNumServerGroups() > 0) {
      settings.put(PsConf.NUM_SERVER_GROUPS.key(), Integer.toString(getNumServerGroups()));
    }
    if (isSet(staleness())) {
      settings.put(PsConf.STALENESS.key(),
          getStaleness() < 0 ? "unbounded" : Integer.toString(getStaleness()));
    }
    if (isSet(syncFreq())) {
      settings.put(PsConf.SYNC_FREQ.key(), Integer.toString(getSyncFreq()));
    }
    return new PsConf(settings).clusterConfig(defaultWorkers);
  }

  /** The framework: this trainer's if set, else spark.ps.framework, else sandblaster. */
  public Framework framework(java.util.Map<String, String> sparkConf) {
    return isSet(framework()) ? Framework.parse(getFramework())
        : new PsConf(sparkConf).get(PsConf.FRAMEWORK);
  }

  /**
   * The server-side optimizer these params describe: learning rate stepSize (FTRL's alpha),
   * {@code l2 = (1 - elasticNetParam) * regParam} and {@code l1 = elasticNetParam * regParam}
   * (FTRL's lambda2 and lambda1).
   */
  public OptimizerConfig optimizerConfig() {
    double reg = getRegParam();
    double mix = getElasticNetParam();
    return OptimizerConfig.builder(OptimizerType.parse(getOptimizer()))
        .learningRate((float) getStepSize())
        .l2((float) ((1 - mix) * reg))
        .l1((float) (mix * reg))
        .build();
  }

  @Override
  public PSTrainerModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    // A bad modelType, pullMode or handleInvalid fails here, before any data is read.
    modelFor(2);
    sparsePulls(1, new boolean[0]);
    skipInvalid();
    return new TrainingRun(this, dataset).run();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    boolean regression = modelFor(2).task() == TrainableModel.Task.REGRESSION;
    return SchemaChecks.outputSchema(schema, getFeaturesCol(), getLabelCol(), getPredictionCol(),
        regression ? "" : getProbabilityCol(), regression ? "" : getRawPredictionCol(), true);
  }

  @Override
  public PSTrainer copy(ParamMap extra) {
    PSTrainer copy = defaultCopy(extra);
    copy.model = model;
    copy.listeners = new java.util.ArrayList<>(listeners);
    return copy;
  }

  /**
   * Reads trainers saved with {@code write().save(path)}. Saved are the params; a model set
   * with {@link #setModel} is not, and the loaded trainer trains the default model.
   */
  public static MLReader<PSTrainer> read() {
    return new DefaultParamsReader<>();
  }

  public static PSTrainer load(String path) {
    return read().load(path);
  }
}
