package io.sparkps.spark;

import io.sparkps.config.Framework;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The params of {@link PSTrainer}, shared by the {@link PSTrainerModel} it fits (as MLlib's
 * {@code ...Params} traits are): every setting of a fit can be read back from its model, also
 * after save/load and from {@code CrossValidatorModel.bestModel}.
 *
 * <p>Each param is declared once, in {@link Declared}, with its doc, validator and default; this
 * interface turns it into the accessor that Spark's {@code Params.params} reflection finds (a
 * public no-argument method returning a {@link Param}) and a getter. Adding a param is a change
 * to this file only (plus a setter on the classes that set it).
 *
 * <p>The accessor of {@code numClasses} is {@link #numClassesParam()}: on the model, {@code
 * numClasses()} is the number of classes it predicts, as in MLlib's classification models.
 */
public interface PSTrainerParams extends Params {

  /** The Param objects of this instance, created with it as their parent. */
  Declared declared();

  default Param<String> featuresCol() { return declared().featuresCol; }
  default Param<String> labelCol() { return declared().labelCol; }
  default Param<String> predictionCol() { return declared().predictionCol; }
  default Param<String> probabilityCol() { return declared().probabilityCol; }
  default Param<String> rawPredictionCol() { return declared().rawPredictionCol; }
  default Param<String> framework() { return declared().framework; }
  default IntParam numWorkers() { return declared().numWorkers; }
  default IntParam numServers() { return declared().numServers; }
  default IntParam maxEpochs() { return declared().maxEpochs; }
  default IntParam batchSize() { return declared().batchSize; }
  default DoubleParam stepSize() { return declared().stepSize; }
  default Param<String> optimizer() { return declared().optimizer; }
  default DoubleParam regParam() { return declared().regParam; }
  default DoubleParam elasticNetParam() { return declared().elasticNetParam; }
  default LongParam seed() { return declared().seed; }
  default IntParam numWorkersPerGroup() { return declared().numWorkersPerGroup; }
  default IntParam numServerGroups() { return declared().numServerGroups; }
  default IntParam staleness() { return declared().staleness; }
  default IntParam syncFreq() { return declared().syncFreq; }
  default BooleanParam shuffle() { return declared().shuffle; }
  default BooleanParam localAggregation() { return declared().localAggregation; }
  default Param<String> modelType() { return declared().modelType; }
  default IntArrayParam hiddenLayers() { return declared().hiddenLayers; }
  default IntParam numClassesParam() { return declared().numClasses; }
  default Param<String> pullMode() { return declared().pullMode; }
  default Param<String> handleInvalid() { return declared().handleInvalid; }
  default Param<String> checkpointDir() { return declared().checkpointDir; }
  default Param<String> checkpointInterval() { return declared().checkpointInterval; }
  default Param<String> validationIndicatorCol() { return declared().validationIndicatorCol; }
  default IntParam earlyStoppingRounds() { return declared().earlyStoppingRounds; }
  default DoubleParam validationTol() { return declared().validationTol; }

  default String getFeaturesCol() { return getOrDefault(featuresCol()); }
  default String getLabelCol() { return getOrDefault(labelCol()); }
  default String getPredictionCol() { return getOrDefault(predictionCol()); }
  default String getProbabilityCol() { return getOrDefault(probabilityCol()); }
  default String getRawPredictionCol() { return getOrDefault(rawPredictionCol()); }
  default String getFramework() { return getOrDefault(framework()); }
  default int getNumWorkers() { return (Integer) getOrDefault(numWorkers()); }
  default int getNumServers() { return (Integer) getOrDefault(numServers()); }
  default int getMaxEpochs() { return (Integer) getOrDefault(maxEpochs()); }
  default int getBatchSize() { return (Integer) getOrDefault(batchSize()); }
  default double getStepSize() { return (Double) getOrDefault(stepSize()); }
  default String getOptimizer() { return getOrDefault(optimizer()); }
  default double getRegParam() { return (Double) getOrDefault(regParam()); }
  default double getElasticNetParam() { return (Double) getOrDefault(elasticNetParam()); }
  default long getSeed() { return (Long) getOrDefault(seed()); }
  default int getNumWorkersPerGroup() { return (Integer) getOrDefault(numWorkersPerGroup()); }
  default int getNumServerGroups() { return (Integer) getOrDefault(numServerGroups()); }
  default int getStaleness() { return (Integer) getOrDefault(staleness()); }
  default int getSyncFreq() { return (Integer) getOrDefault(syncFreq()); }
  default boolean getShuffle() { return (Boolean) getOrDefault(shuffle()); }
  default boolean getLocalAggregation() { return (Boolean) getOrDefault(localAggregation()); }
  default String getModelType() { return getOrDefault(modelType()); }
  default int[] getHiddenLayers() { return getOrDefault(hiddenLayers()); }
  default int getNumClasses() { return (Integer) getOrDefault(numClassesParam()); }
  default String getPullMode() { return getOrDefault(pullMode()); }
  default String getHandleInvalid() { return getOrDefault(handleInvalid()); }
  default String getCheckpointDir() { return getOrDefault(checkpointDir()); }
  default String getCheckpointInterval() { return getOrDefault(checkpointInterval()); }
  default String getValidationIndicatorCol() {
    return getOrDefault(validationIndicatorCol());
  }
  default int getEarlyStoppingRounds() { return (Integer) getOrDefault(earlyStoppingRounds()); }
  default double getValidationTol() { return (Double) getOrDefault(validationTol()); }

  /**
   * One instance's Param objects, with their docs, validators and defaults. Built by the
   * owner's constructor once its uid is known (a Param takes its parent's uid).
   */
  final class Declared implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    final Param<String> featuresCol;
    final Param<String> labelCol;
    final Param<String> predictionCol;
    final Param<String> probabilityCol;
    final Param<String> rawPredictionCol;
    final Param<String> framework;
    final IntParam numWorkers;
    final IntParam numServers;
    final IntParam maxEpochs;
    final IntParam batchSize;
    final DoubleParam stepSize;
    final Param<String> optimizer;
    final DoubleParam regParam;
    final DoubleParam elasticNetParam;
    final LongParam seed;
    final IntParam numWorkersPerGroup;
    final IntParam numServerGroups;
    final IntParam staleness;
    final IntParam syncFreq;
    final BooleanParam shuffle;
    final BooleanParam localAggregation;
    final Param<String> modelType;
    final IntArrayParam hiddenLayers;
    final IntParam numClasses;
    final Param<String> pullMode;
    final Param<String> handleInvalid;
    final Param<String> checkpointDir;
    final Param<String> checkpointInterval;
    final Param<String> validationIndicatorCol;
    final IntParam earlyStoppingRounds;
    final DoubleParam validationTol;

    /** Declares the params with {@code owner} as parent and sets their defaults on it. */
    Declared(Params owner) {
      featuresCol = new Param<>(owner, "featuresCol", "features column: ml.linalg.Vector");
      labelCol = new Param<>(owner, "labelCol", "label column: numeric, 0 or 1 for binary "
          + "models");
      predictionCol = new Param<>(owner, "predictionCol", "predicted label column name");
      probabilityCol = new Param<>(owner, "probabilityCol", "class probabilities column name");
      rawPredictionCol = new Param<>(owner, "rawPredictionCol", "raw prediction (margin) "
          + "column");
      framework = new Param<>(owner, "framework", "training framework: one of "
          + Framework.acceptedNames());
      numWorkers = new IntParam(owner, "numWorkers", "workers in all (sandblaster: in its one "
          + "group; downpour: one per group); 0 means spark.default.parallelism",
          ParamValidators.gtEq(0));
      numServers = new IntParam(owner, "numServers", "servers per server group (separate "
          + "server processes for sandblaster and downpour); co-located frameworks default to "
          + "theirs", ParamValidators.gtEq(1));
      maxEpochs = new IntParam(owner, "maxEpochs", "passes over the data",
          ParamValidators.gtEq(1));
      batchSize = new IntParam(owner, "batchSize", "examples per worker per step",
          ParamValidators.gtEq(1));
      stepSize = new DoubleParam(owner, "stepSize", "learning rate", ParamValidators.gt(0));
      optimizer = new Param<>(owner, "optimizer", "server-side optimizer: sgd, momentum, "
          + "adagrad, adam, ftrl (FTRL-Proximal; stepSize is its alpha)");
      regParam = new DoubleParam(owner, "regParam", "regularisation strength, split between "
          + "L2 and L1 by elasticNetParam", ParamValidators.gtEq(0));
      elasticNetParam = new DoubleParam(owner, "elasticNetParam", "the ElasticNet mixing "
          + "parameter, in range [0, 1]. For alpha = 0, the penalty is an L2 penalty. For "
          + "alpha = 1, it is an L1 penalty: the optimizer gets l1 = alpha * regParam and "
          + "l2 = (1 - alpha) * regParam", ParamValidators.inRange(0, 1));
      seed = new LongParam(owner, "seed", "random seed of data order and initial values");
      numWorkersPerGroup = new IntParam(owner, "numWorkersPerGroup", "workers per synchronous "
          + "group; 0 keeps the framework's value", ParamValidators.gtEq(0));
      numServerGroups = new IntParam(owner, "numServerGroups", "server groups, each holding a "
          + "full copy of the params; 0 keeps the framework's value", ParamValidators.gtEq(0));
      staleness = new IntParam(owner, "staleness", "bounded delay: a worker at step t computes "
          + "on params that include every group's steps up to t - staleness; -1 is unbounded",
          ParamValidators.gtEq(-1));
      syncFreq = new IntParam(owner, "syncFreq", "updates of a slice between two syncs with "
          + "its master server group (several server groups only)", ParamValidators.gtEq(1));
      shuffle = new BooleanParam(owner, "shuffle", "shuffle each worker's examples every epoch");
      localAggregation = new BooleanParam(owner, "localAggregation", "sum the gradients of a "
          + "group's workers in one executor JVM before sending them (the stub)");
      modelType = new Param<>(owner, "modelType", "built-in model: logistic (binary), "
          + "multinomial (softmax), linear (regression), mlp (classifier); ignored after "
          + "setModel");
      hiddenLayers = new IntArrayParam(owner, "hiddenLayers", "widths of the MLP's hidden "
          + "layers");
      numClasses = new IntParam(owner, "numClasses", "classes of a multinomial or mlp model; 0 "
          + "takes the largest label + 1", ParamValidators.gtEq(0));
      pullMode = new Param<>(owner, "pullMode", "dense: workers pull and push whole params; "
          + "sparse: only the rows of the features each mini-batch touches; auto: sparse from "
          + PSTrainer.SPARSE_FROM_FEATURES + " features on");
      handleInvalid = new Param<>(owner, "handleInvalid", "rows with a NaN or infinite label "
          + "or feature value: error (the fit fails before training, naming the column, the "
          + "row and the value) or skip (such rows are left out and counted in the summary's "
          + "skippedRows)");
      checkpointDir = new Param<>(owner, "checkpointDir", "directory (Hadoop path or URI) "
          + "where separate servers write checkpoints, and from whose latest complete "
          + "checkpoint of the same model a fit resumes; empty: spark.ps.checkpoint.dir (none "
          + "by default)");
      checkpointInterval = new Param<>(owner, "checkpointInterval", "steps between "
          + "checkpoints (e.g. 500), or a duration (e.g. 30s, 5min); empty: "
          + "spark.ps.checkpoint.interval");
      validationIndicatorCol = new Param<>(owner, "validationIndicatorCol", "boolean column: "
          + "rows where it is true are held out of training and evaluated at the end of every "
          + "epoch; empty: no validation set");
      earlyStoppingRounds = new IntParam(owner, "earlyStoppingRounds", "stop after this many "
          + "epochs in a row without the validation loss improving by more than "
          + "validationTol, and return the best epoch's model; 0: run maxEpochs (needs "
          + "validationIndicatorCol)", ParamValidators.gtEq(0));
      validationTol = new DoubleParam(owner, "validationTol", "how much lower than the best "
          + "so far the validation loss must be for an epoch to count as an improvement",
          ParamValidators.gtEq(0));

      owner.setDefault(featuresCol, "features");
      owner.setDefault(labelCol, "label");
      owner.setDefault(predictionCol, "prediction");
      owner.setDefault(probabilityCol, "probability");
      owner.setDefault(rawPredictionCol, "rawPrediction");
      owner.setDefault(framework, Framework.SANDBLASTER.cliName()); // unset: spark.ps.framework
      owner.setDefault(numWorkers, 0);
      owner.setDefault(numServers, 2);
      owner.setDefault(maxEpochs, 10);
      owner.setDefault(batchSize, 64);
      owner.setDefault(stepSize, 0.1);
      owner.setDefault(optimizer, "adagrad");
      owner.setDefault(regParam, 0.0);
      owner.setDefault(elasticNetParam, 0.0);
      owner.setDefault(seed, 42L);
      owner.setDefault(numWorkersPerGroup, 0);
      owner.setDefault(numServerGroups, 0);
      owner.setDefault(staleness, -1);
      owner.setDefault(syncFreq, 1);
      owner.setDefault(shuffle, true);
      owner.setDefault(localAggregation, true);
      owner.setDefault(modelType, "logistic");
      owner.setDefault(hiddenLayers, new int[] {64});
      owner.setDefault(numClasses, 0);
      owner.setDefault(pullMode, "auto");
      owner.setDefault(handleInvalid, "error");
      owner.setDefault(checkpointDir, "");
      owner.setDefault(checkpointInterval, "");
      owner.setDefault(validationIndicatorCol, "");
      owner.setDefault(earlyStoppingRounds, 0);
      owner.setDefault(validationTol, 0.0);
    }
  }
}
