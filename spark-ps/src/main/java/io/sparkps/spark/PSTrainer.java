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
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
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
public class PSTrainer extends Estimator<PSTrainerModel> implements DefaultParamsWritable {
  /**
   * How the description of a fit's training job begins (it goes on with the framework, worker,
   * server and epoch counts); it names the job in the Spark UI and in listeners' events.
   */
  public static final String TRAINING_JOB_PREFIX = "spark-ps training";

  private final String uid;
  private final Param<String> featuresCol;
  private final Param<String> labelCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> rawPredictionCol;
  private final Param<String> framework;
  private final IntParam numWorkers;
  private final IntParam numServers;
  private final IntParam maxEpochs;
  private final IntParam batchSize;
  private final DoubleParam stepSize;
  private final Param<String> optimizer;
  private final DoubleParam regParam;
  private final DoubleParam elasticNetParam;
  private final LongParam seed;
  private final IntParam numWorkersPerGroup;
  private final IntParam numServerGroups;
  private final IntParam staleness;
  private final IntParam syncFreq;
  private final org.apache.spark.ml.param.BooleanParam shuffle;
  private final org.apache.spark.ml.param.BooleanParam localAggregation;
  private final Param<String> modelType;
  private final org.apache.spark.ml.param.IntArrayParam hiddenLayers;
  private final IntParam numClasses;
  private final Param<String> pullMode;
  private final Param<String> handleInvalid;
  private final Param<String> checkpointDir;
  private final Param<String> checkpointInterval;
  private final Param<String> validationIndicatorCol;
  private final IntParam earlyStoppingRounds;
  private final DoubleParam validationTol;
  private TrainableModel model;
  private transient java.util.List<TrainingListener> listeners = new java.util.ArrayList<>();

  public PSTrainer() {
    this(Identifiable$.MODULE$.randomUID("psTrainer"));
  }

  public PSTrainer(String uid) {
    this.uid = uid;
    featuresCol = new Param<>(this, "featuresCol", "features column: ml.linalg.Vector");
    labelCol = new Param<>(this, "labelCol", "label column: numeric, 0 or 1 for binary models");
    predictionCol = new Param<>(this, "predictionCol", "predicted label column name");
    probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column name");
    rawPredictionCol = new Param<>(this, "rawPredictionCol", "raw prediction (margin) column");
    framework = new Param<>(this, "framework", "training framework: one of "
        + Framework.acceptedNames());
    numWorkers = new IntParam(this, "numWorkers", "workers in all (sandblaster: in its one "
        + "group; downpour: one per group); 0 means spark.default.parallelism",
        ParamValidators.gtEq(0));
    numServers = new IntParam(this, "numServers", "servers per server group (separate server "
        + "processes for sandblaster and downpour); co-located frameworks default to theirs",
        ParamValidators.gtEq(1));
    maxEpochs = new IntParam(this, "maxEpochs", "passes over the data", ParamValidators.gtEq(1));
    batchSize = new IntParam(this, "batchSize", "examples per worker per step",
        ParamValidators.gtEq(1));
    stepSize = new DoubleParam(this, "stepSize", "learning rate", ParamValidators.gt(0));
    optimizer = new Param<>(this, "optimizer", "server-side optimizer: sgd, momentum, adagrad, "
        + "adam, ftrl (FTRL-Proximal; stepSize is its alpha)");
    regParam = new DoubleParam(this, "regParam", "regularisation strength, split between L2 "
        + "and L1 by elasticNetParam", ParamValidators.gtEq(0));
    elasticNetParam = new DoubleParam(this, "elasticNetParam", "the ElasticNet mixing "
        + "parameter, in range [0, 1]. For alpha = 0, the penalty is an L2 penalty. For "
        + "alpha = 1, it is an L1 penalty: the optimizer gets l1 = alpha * regParam and "
        + "l2 = (1 - alpha) * regParam", ParamValidators.inRange(0, 1));
    seed = new LongParam(this, "seed", "random seed of data order and initial values");
    numWorkersPerGroup = new IntParam(this, "numWorkersPerGroup", "workers per synchronous "
        + "group; 0 keeps the framework's value", ParamValidators.gtEq(0));
    numServerGroups = new IntParam(this, "numServerGroups", "server groups, each holding a full "
        + "copy of the params; 0 keeps the framework's value", ParamValidators.gtEq(0));
    staleness = new IntParam(this, "staleness", "bounded delay: a worker at step t computes on "
        + "params that include every group's steps up to t - staleness; -1 is unbounded",
        ParamValidators.gtEq(-1));
    syncFreq = new IntParam(this, "syncFreq", "updates of a slice between two syncs with its "
        + "master server group (several server groups only)", ParamValidators.gtEq(1));
    shuffle = new org.apache.spark.ml.param.BooleanParam(this, "shuffle",
        "shuffle each worker's examples every epoch");
    modelType = new Param<>(this, "modelType", "built-in model: logistic (binary), "
        + "multinomial (softmax), linear (regression), mlp (classifier); ignored after "
        + "setModel");
    hiddenLayers = new org.apache.spark.ml.param.IntArrayParam(this, "hiddenLayers",
        "widths of the MLP's hidden layers");
    numClasses = new IntParam(this, "numClasses", "classes of a multinomial or mlp model; 0 "
        + "takes the largest label + 1", ParamValidators.gtEq(0));
    pullMode = new Param<>(this, "pullMode", "dense: workers pull and push whole params; "
        + "sparse: only the rows of the features each mini-batch touches; auto: sparse from "
        + SPARSE_FROM_FEATURES + " features on");
    handleInvalid = new Param<>(this, "handleInvalid", "rows with a NaN or infinite label "
        + "or feature value: error (the fit fails before training, naming the column, the row "
        + "and the value) or skip (such rows are left out and counted in the summary's "
        + "skippedRows)");
    localAggregation = new org.apache.spark.ml.param.BooleanParam(this, "localAggregation",
        "sum the gradients of a group's workers in one executor JVM before sending them (the "
            + "stub)");
    checkpointDir = new Param<>(this, "checkpointDir", "directory (Hadoop path or URI) where "
        + "separate servers write checkpoints, and from whose latest complete checkpoint of "
        + "the same model a fit resumes; empty: spark.ps.checkpoint.dir (none by default)");
    checkpointInterval = new Param<>(this, "checkpointInterval", "steps between checkpoints "
        + "(e.g. 500), or a duration (e.g. 30s, 5min); empty: spark.ps.checkpoint.interval");
    validationIndicatorCol = new Param<>(this, "validationIndicatorCol", "boolean column: "
        + "rows where it is true are held out of training and evaluated at the end of every "
        + "epoch; empty: no validation set");
    earlyStoppingRounds = new IntParam(this, "earlyStoppingRounds", "stop after this many "
        + "epochs in a row without the validation loss improving by more than validationTol, "
        + "and return the best epoch's model; 0: run maxEpochs (needs validationIndicatorCol)",
        ParamValidators.gtEq(0));
    validationTol = new DoubleParam(this, "validationTol", "how much lower than the best so "
        + "far the validation loss must be for an epoch to count as an improvement",
        ParamValidators.gtEq(0));
    setDefault(validationIndicatorCol, "");
    setDefault(earlyStoppingRounds, 0);
    setDefault(validationTol, 0.0);
    setDefault(checkpointDir, "");
    setDefault(checkpointInterval, "");
    setDefault(featuresCol, "features");
    setDefault(labelCol, "label");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
    setDefault(rawPredictionCol, "rawPrediction");
    setDefault(framework, Framework.SANDBLASTER.cliName());  // spark.ps.framework when unset
    setDefault(numWorkers, 0);
    setDefault(numServers, 2);
    setDefault(maxEpochs, 10);
    setDefault(batchSize, 64);
    setDefault(stepSize, 0.1);
    setDefault(optimizer, "adagrad");
    setDefault(regParam, 0.0);
    setDefault(elasticNetParam, 0.0);
    setDefault(seed, 42L);
    setDefault(numWorkersPerGroup, 0);
    setDefault(numServerGroups, 0);
    setDefault(staleness, -1);
    setDefault(syncFreq, 1);
    setDefault(shuffle, true);
    setDefault(localAggregation, true);
    setDefault(modelType, "logistic");
    setDefault(pullMode, "auto");
    setDefault(handleInvalid, "error");
    setDefault(hiddenLayers, new int[] {64});
    setDefault(numClasses, 0);
  }

  @Override public String uid() { return uid; }

  public Param<String> featuresCol() { return featuresCol; }
  public Param<String> labelCol() { return labelCol; }
  public Param<String> predictionCol() { return predictionCol; }
  public Param<String> probabilityCol() { return probabilityCol; }
  public Param<String> rawPredictionCol() { return rawPredictionCol; }
  public Param<String> framework() { return framework; }
  public IntParam numWorkers() { return numWorkers; }
  public IntParam numServers() { return numServers; }
  public IntParam maxEpochs() { return maxEpochs; }
  public IntParam batchSize() { return batchSize; }
  public DoubleParam stepSize() { return stepSize; }
  public Param<String> optimizer() { return optimizer; }
  public DoubleParam regParam() { return regParam; }
  public DoubleParam elasticNetParam() { return elasticNetParam; }
  public LongParam seed() { return seed; }
  public IntParam numWorkersPerGroup() { return numWorkersPerGroup; }
  public IntParam numServerGroups() { return numServerGroups; }
  public IntParam staleness() { return staleness; }
  public IntParam syncFreq() { return syncFreq; }
  public org.apache.spark.ml.param.BooleanParam shuffle() { return shuffle; }
  public org.apache.spark.ml.param.BooleanParam localAggregation() { return localAggregation; }
  public Param<String> modelType() { return modelType; }
  public Param<String> pullMode() { return pullMode; }
  public Param<String> handleInvalid() { return handleInvalid; }
  public org.apache.spark.ml.param.IntArrayParam hiddenLayers() { return hiddenLayers; }
  public IntParam numClasses() { return numClasses; }
  public Param<String> checkpointDir() { return checkpointDir; }
  public Param<String> checkpointInterval() { return checkpointInterval; }
  public Param<String> validationIndicatorCol() { return validationIndicatorCol; }
  public IntParam earlyStoppingRounds() { return earlyStoppingRounds; }
  public DoubleParam validationTol() { return validationTol; }

  public String getFeaturesCol() { return $(featuresCol); }
  public String getLabelCol() { return $(labelCol); }
  public String getPredictionCol() { return $(predictionCol); }
  public String getProbabilityCol() { return $(probabilityCol); }
  public String getRawPredictionCol() { return $(rawPredictionCol); }
  public String getFramework() { return $(framework); }
  public int getNumWorkers() { return (Integer) $(numWorkers); }
  public int getNumServers() { return (Integer) $(numServers); }
  public int getMaxEpochs() { return (Integer) $(maxEpochs); }
  public int getBatchSize() { return (Integer) $(batchSize); }
  public double getStepSize() { return (Double) $(stepSize); }
  public String getOptimizer() { return $(optimizer); }
  public double getRegParam() { return (Double) $(regParam); }
  public double getElasticNetParam() { return (Double) $(elasticNetParam); }
  public long getSeed() { return (Long) $(seed); }
  public int getNumWorkersPerGroup() { return (Integer) $(numWorkersPerGroup); }
  public int getNumServerGroups() { return (Integer) $(numServerGroups); }
  public int getStaleness() { return (Integer) $(staleness); }
  public int getSyncFreq() { return (Integer) $(syncFreq); }
  public boolean getShuffle() { return (Boolean) $(shuffle); }
  public boolean getLocalAggregation() { return (Boolean) $(localAggregation); }
  public String getModelType() { return $(modelType); }
  public String getPullMode() { return $(pullMode); }
  public String getHandleInvalid() { return $(handleInvalid); }
  public int[] getHiddenLayers() { return $(hiddenLayers); }
  public int getNumClasses() { return (Integer) $(numClasses); }
  public String getCheckpointDir() { return $(checkpointDir); }
  public String getCheckpointInterval() { return $(checkpointInterval); }
  public String getValidationIndicatorCol() { return $(validationIndicatorCol); }
  public int getEarlyStoppingRounds() { return (Integer) $(earlyStoppingRounds); }
  public double getValidationTol() { return (Double) $(validationTol); }

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

  public PSTrainer setFeaturesCol(String v) { set(featuresCol, v); return this; }
  public PSTrainer setLabelCol(String v) { set(labelCol, v); return this; }
  public PSTrainer setPredictionCol(String v) { set(predictionCol, v); return this; }
  public PSTrainer setProbabilityCol(String v) { set(probabilityCol, v); return this; }
  public PSTrainer setRawPredictionCol(String v) { set(rawPredictionCol, v); return this; }
  public PSTrainer setFramework(String v) { set(framework, v); return this; }
  public PSTrainer setNumWorkers(int v) { set(numWorkers, v); return this; }
  public PSTrainer setNumServers(int v) { set(numServers, v); return this; }
  public PSTrainer setMaxEpochs(int v) { set(maxEpochs, v); return this; }
  public PSTrainer setBatchSize(int v) { set(batchSize, v); return this; }
  public PSTrainer setStepSize(double v) { set(stepSize, v); return this; }
  public PSTrainer setOptimizer(String v) { set(optimizer, v); return this; }
  public PSTrainer setRegParam(double v) { set(regParam, v); return this; }
  public PSTrainer setElasticNetParam(double v) { set(elasticNetParam, v); return this; }
  public PSTrainer setSeed(long v) { set(seed, v); return this; }
  public PSTrainer setNumWorkersPerGroup(int v) { set(numWorkersPerGroup, v); return this; }
  public PSTrainer setNumServerGroups(int v) { set(numServerGroups, v); return this; }
  public PSTrainer setStaleness(int v) { set(staleness, v); return this; }
  public PSTrainer setSyncFreq(int v) { set(syncFreq, v); return this; }
  public PSTrainer setShuffle(boolean v) { set(shuffle, v); return this; }
  public PSTrainer setLocalAggregation(boolean v) { set(localAggregation, v); return this; }
  public PSTrainer setModelType(String v) { set(modelType, v); return this; }
  public PSTrainer setPullMode(String v) { set(pullMode, v); return this; }
  public PSTrainer setHandleInvalid(String v) { set(handleInvalid, v); return this; }
  public PSTrainer setHiddenLayers(int... v) { set(hiddenLayers, v); return this; }
  public PSTrainer setNumClasses(int v) { set(numClasses, v); return this; }
  public PSTrainer setCheckpointDir(String v) { set(checkpointDir, v); return this; }
  /** {@code "500"}: every 500 steps; {@code "30s"}, {@code "5min"}: at that interval. */
  public PSTrainer setCheckpointInterval(String v) { set(checkpointInterval, v); return this; }
  public PSTrainer setCheckpointInterval(int steps) {
    return setCheckpointInterval(Integer.toString(steps));
  }

  public PSTrainer setValidationIndicatorCol(String v) {
    set(validationIndicatorCol, v);
    return this;
  }
  public PSTrainer setEarlyStoppingRounds(int v) { set(earlyStoppingRounds, v); return this; }
  public PSTrainer setValidationTol(double v) { set(validationTol, v); return this; }

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
    if (isSet(numServers) || (separate && !settings.containsKey(PsConf.NUM_SERVERS.key()))) {
      settings.put(PsConf.NUM_SERVERS.key(), Integer.toString(getNumServers()));
    }
    if (getNumServerGroups() > 0) {
      settings.put(PsConf.NUM_SERVER_GROUPS.key(), Integer.toString(getNumServerGroups()));
    }
    if (isSet(staleness)) {
      settings.put(PsConf.STALENESS.key(),
          getStaleness() < 0 ? "unbounded" : Integer.toString(getStaleness()));
    }
    if (isSet(syncFreq)) {
      settings.put(PsConf.SYNC_FREQ.key(), Integer.toString(getSyncFreq()));
    }
    return new PsConf(settings).clusterConfig(defaultWorkers);
  }

  /** The framework: this trainer's if set, else spark.ps.framework, else sandblaster. */
  public Framework framework(java.util.Map<String, String> sparkConf) {
    return isSet(framework) ? Framework.parse(getFramework())
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
