package io.sparkps.spark;

import io.sparkps.config.ClusterConfig;
import io.sparkps.config.Framework;
import io.sparkps.config.InvalidConfigException;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.OptimizerType;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
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
 */
public class PSTrainer extends Estimator<PSTrainerModel> {
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
  private final LongParam seed;

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
    numServers = new IntParam(this, "numServers", "parameter server processes",
        ParamValidators.gtEq(1));
    maxEpochs = new IntParam(this, "maxEpochs", "passes over the data", ParamValidators.gtEq(1));
    batchSize = new IntParam(this, "batchSize", "examples per worker per step",
        ParamValidators.gtEq(1));
    stepSize = new DoubleParam(this, "stepSize", "learning rate", ParamValidators.gt(0));
    optimizer = new Param<>(this, "optimizer", "server-side optimizer: sgd, momentum, adagrad, "
        + "adam");
    regParam = new DoubleParam(this, "regParam", "L2 regularisation strength",
        ParamValidators.gtEq(0));
    seed = new LongParam(this, "seed", "random seed of data order and initial values");
    setDefault(featuresCol, "features");
    setDefault(labelCol, "label");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
    setDefault(rawPredictionCol, "rawPrediction");
    setDefault(framework, Framework.SANDBLASTER.cliName());
    setDefault(numWorkers, 0);
    setDefault(numServers, 2);
    setDefault(maxEpochs, 10);
    setDefault(batchSize, 64);
    setDefault(stepSize, 0.1);
    setDefault(optimizer, "adagrad");
    setDefault(regParam, 0.0);
    setDefault(seed, 42L);
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
  public LongParam seed() { return seed; }

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
  public long getSeed() { return (Long) $(seed); }

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
  public PSTrainer setSeed(long v) { set(seed, v); return this; }

  /**
   * The topology this trainer will use with {@code defaultWorkers} workers when numWorkers is 0.
   *
   * @throws InvalidConfigException naming the param to change
   */
  public ClusterConfig clusterConfig(int defaultWorkers) {
    int workers = getNumWorkers() > 0 ? getNumWorkers() : defaultWorkers;
    Framework f = Framework.parse(getFramework());
    switch (f) {
      case SANDBLASTER:
        return ClusterConfig.sandblaster(workers, getNumServers());
      case DOWNPOUR:
        return ClusterConfig.downpour(workers, 1, getNumServers());
      default:
        throw new InvalidConfigException("framework", "framework=" + f.cliName()
            + " is not available yet; use sandblaster or downpour");
    }
  }

  /** The server-side optimizer these params describe. */
  public OptimizerConfig optimizerConfig() {
    return OptimizerConfig.builder(OptimizerType.parse(getOptimizer()))
        .learningRate((float) getStepSize())
        .l2((float) getRegParam())
        .build();
  }

  @Override
  public PSTrainerModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return new TrainingRun(this, dataset).run();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return SchemaChecks.outputSchema(schema, getFeaturesCol(), getLabelCol(), getPredictionCol(),
        getProbabilityCol(), getRawPredictionCol(), true);
  }

  @Override
  public PSTrainer copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
