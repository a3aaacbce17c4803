"""pyspark.ml wrappers of spark-ps's estimator and model.

:class:`PSTrainer` and :class:`PSTrainerModel` are thin Python faces of the JVM classes
``io.sparkps.spark.PSTrainer`` and ``io.sparkps.spark.PSTrainerModel``: params are declared
here as in pyspark.ml and copied to the JVM object before it runs; training, prediction and
persistence happen in the JVM.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Type, Union

from pyspark import keyword_only
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.util import JavaMLReadable, JavaMLReader, JavaMLWritable, RL
from pyspark.ml.wrapper import JavaEstimator, JavaModel
from py4j.java_gateway import JavaObject
from py4j.protocol import Py4JJavaError
from pyspark.sql import DataFrame

__all__ = ["InvalidConfigError", "PSTrainer", "PSTrainerModel", "TrainingSummary"]

_JAVA_PACKAGE = "io.sparkps.spark"
_INVALID_CONFIG = "io.sparkps.config.InvalidConfigException"


class InvalidConfigError(ValueError):
    """A setting has a value spark-ps cannot work with (the JVM's InvalidConfigException).

    ``str(error)`` is the JVM message, which names the setting, the value seen and what is
    allowed; :py:attr:`setting` is the param or ``spark.ps.*`` key to change.
    """

    def __init__(self, message: str, setting: str):
        super().__init__(message)
        self.setting = setting


def _invalid_config(error: Py4JJavaError) -> Optional[InvalidConfigError]:
    """The InvalidConfigException in the cause chain of ``error``, as a Python error."""
    cause = error.java_exception
    for _ in range(32):  # cause chains are short; the bound guards against cycles
        if cause is None:
            return None
        if cause.getClass().getName() == _INVALID_CONFIG:
            return InvalidConfigError(str(cause.getMessage()), str(cause.setting()))
        cause = cause.getCause()
    return None


class _JavaClassReader(JavaMLReader[RL]):
    """Reads with the ``read()`` of the JVM class named by the Python class's ``_java_class``.

    pyspark's own reader derives the JVM class from the Python module name (``pyspark`` ->
    ``org.apache.spark``), which does not hold for a third-party package.
    """

    @classmethod
    def _java_loader_class(cls, clazz: Type[Any]) -> str:
        return clazz._java_class


class _PSModelParams(Params):
    """Params that the trainer and its model share: the columns."""

    featuresCol: Param[str] = Param(
        Params._dummy(), "featuresCol", "features column: ml.linalg.Vector",
        typeConverter=TypeConverters.toString)
    predictionCol: Param[str] = Param(
        Params._dummy(), "predictionCol", "predicted label column name",
        typeConverter=TypeConverters.toString)
    probabilityCol: Param[str] = Param(
        Params._dummy(), "probabilityCol", "class probabilities column name",
        typeConverter=TypeConverters.toString)
    rawPredictionCol: Param[str] = Param(
        Params._dummy(), "rawPredictionCol", "raw prediction (margin) column",
        typeConverter=TypeConverters.toString)

    def __init__(self, *args: Any):
        super().__init__(*args)
        self._setDefault(featuresCol="features", predictionCol="prediction",
                         probabilityCol="probability", rawPredictionCol="rawPrediction")

    def getFeaturesCol(self) -> str:
        """Gets the value of featuresCol or its default value."""
        return self.getOrDefault(self.featuresCol)

    def getPredictionCol(self) -> str:
        """Gets the value of predictionCol or its default value."""
        return self.getOrDefault(self.predictionCol)

    def getProbabilityCol(self) -> str:
        """Gets the value of probabilityCol or its default value."""
        return self.getOrDefault(self.probabilityCol)

    def getRawPredictionCol(self) -> str:
        """Gets the value of rawPredictionCol or its default value."""
        return self.getOrDefault(self.rawPredictionCol)


def _steps_or_duration(value: Any) -> str:
    """A checkpoint interval as the JVM takes it: steps (an int, or digits) or a duration."""
    if isinstance(value, bool):
        raise TypeError(f"checkpointInterval must be steps or a duration, got {value!r}")
    if isinstance(value, int):
        return str(value)
    return TypeConverters.toString(value)


class _PSTrainerParams(_PSModelParams):
    """The params of :class:`PSTrainer`, with the docs and defaults of the JVM class."""

    labelCol: Param[str] = Param(
        Params._dummy(), "labelCol", "label column: numeric, 0 or 1 for binary models",
        typeConverter=TypeConverters.toString)
    framework: Param[str] = Param(
        Params._dummy(), "framework",
        "training framework: one of sandblaster|allreduce|downpour|hogwild|"
        "distributed-hogwild|inmemory-hogwild",
        typeConverter=TypeConverters.toString)
    numWorkers: Param[int] = Param(
        Params._dummy(), "numWorkers",
        "workers in all (sandblaster: in its one group; downpour: one per group); 0 means "
        "spark.default.parallelism",
        typeConverter=TypeConverters.toInt)
    numServers: Param[int] = Param(
        Params._dummy(), "numServers",
        "servers per server group (separate server processes for sandblaster and downpour); "
        "co-located frameworks default to theirs",
        typeConverter=TypeConverters.toInt)
    maxEpochs: Param[int] = Param(
        Params._dummy(), "maxEpochs", "passes over the data",
        typeConverter=TypeConverters.toInt)
    batchSize: Param[int] = Param(
        Params._dummy(), "batchSize", "examples per worker per step",
        typeConverter=TypeConverters.toInt)
    stepSize: Param[float] = Param(
        Params._dummy(), "stepSize", "learning rate",
        typeConverter=TypeConverters.toFloat)
    optimizer: Param[str] = Param(
        Params._dummy(), "optimizer",
        "server-side optimizer: sgd, momentum, adagrad, adam, ftrl (FTRL-Proximal; stepSize "
        "is its alpha)",
        typeConverter=TypeConverters.toString)
    regParam: Param[float] = Param(
        Params._dummy(), "regParam",
        "regularisation strength, split between L2 and L1 by elasticNetParam",
        typeConverter=TypeConverters.toFloat)
    elasticNetParam: Param[float] = Param(
        Params._dummy(), "elasticNetParam",
        "the ElasticNet mixing parameter, in range [0, 1]. For alpha = 0, the penalty is an "
        "L2 penalty. For alpha = 1, it is an L1 penalty: the optimizer gets l1 = alpha * "
        "regParam and l2 = (1 - alpha) * regParam",
        typeConverter=TypeConverters.toFloat)
    seed: Param[int] = Param(
        Params._dummy(), "seed", "random seed of data order and initial values",
        typeConverter=TypeConverters.toInt)
    numWorkersPerGroup: Param[int] = Param(
        Params._dummy(), "numWorkersPerGroup",
        "workers per synchronous group; 0 keeps the framework's value",
        typeConverter=TypeConverters.toInt)
    numServerGroups: Param[int] = Param(
        Params._dummy(), "numServerGroups",
        "server groups, each holding a full copy of the params; 0 keeps the framework's value",
        typeConverter=TypeConverters.toInt)
    staleness: Param[int] = Param(
        Params._dummy(), "staleness",
        "bounded delay: a worker at step t computes on params that include every group's "
        "steps up to t - staleness; -1 is unbounded",
        typeConverter=TypeConverters.toInt)
    syncFreq: Param[int] = Param(
        Params._dummy(), "syncFreq",
        "updates of a slice between two syncs with its master server group (several server "
        "groups only)",
        typeConverter=TypeConverters.toInt)
    shuffle: Param[bool] = Param(
        Params._dummy(), "shuffle", "shuffle each worker's examples every epoch",
        typeConverter=TypeConverters.toBoolean)
    localAggregation: Param[bool] = Param(
        Params._dummy(), "localAggregation",
        "sum the gradients of a group's workers in one executor JVM before sending them "
        "(the stub)",
        typeConverter=TypeConverters.toBoolean)
    modelType: Param[str] = Param(
        Params._dummy(), "modelType",
        "built-in model: logistic (binary), multinomial (softmax), linear (regression), mlp "
        "(classifier); ignored after setModel",
        typeConverter=TypeConverters.toString)
    hiddenLayers: Param[List[int]] = Param(
        Params._dummy(), "hiddenLayers", "widths of the MLP's hidden layers",
        typeConverter=TypeConverters.toListInt)
    numClasses: Param[int] = Param(
        Params._dummy(), "numClasses",
        "classes of a multinomial or mlp model; 0 takes the largest label + 1",
        typeConverter=TypeConverters.toInt)
    pullMode: Param[str] = Param(
        Params._dummy(), "pullMode",
        "dense: workers pull and push whole params; sparse: only the rows of the features "
        "each mini-batch touches; auto: sparse from 100000 features on",
        typeConverter=TypeConverters.toString)
    handleInvalid: Param[str] = Param(
        Params._dummy(), "handleInvalid",
        "rows with a NaN or infinite label or feature value: error (the fit fails before "
        "training, naming the column, the row and the value) or skip (such rows are left out "
        "and counted in the summary's skippedRows)",
        typeConverter=TypeConverters.toString)
    checkpointDir: Param[str] = Param(
        Params._dummy(), "checkpointDir",
        "directory (Hadoop path or URI) where separate servers write checkpoints, and from "
        "whose latest complete checkpoint of the same model a fit resumes; empty: "
        "spark.ps.checkpoint.dir (none by default)",
        typeConverter=TypeConverters.toString)
    checkpointInterval: Param[str] = Param(
        Params._dummy(), "checkpointInterval",
        "steps between checkpoints (e.g. 500), or a duration (e.g. 30s, 5min); empty: "
        "spark.ps.checkpoint.interval",
        typeConverter=_steps_or_duration)
    validationIndicatorCol: Param[str] = Param(
        Params._dummy(), "validationIndicatorCol",
        "boolean column: rows where it is true are held out of training and evaluated at the "
        "end of every epoch; empty: no validation set",
        typeConverter=TypeConverters.toString)
    earlyStoppingRounds: Param[int] = Param(
        Params._dummy(), "earlyStoppingRounds",
        "stop after this many epochs in a row without the validation loss improving by more "
        "than validationTol, and return the best epoch's model; 0: run maxEpochs (needs "
        "validationIndicatorCol)",
        typeConverter=TypeConverters.toInt)
    validationTol: Param[float] = Param(
        Params._dummy(), "validationTol",
        "how much lower than the best so far the validation loss must be for an epoch to "
        "count as an improvement",
        typeConverter=TypeConverters.toFloat)

    def __init__(self, *args: Any):
        super().__init__(*args)
        self._setDefault(
            labelCol="label", framework="sandblaster", numWorkers=0, numServers=2,
            maxEpochs=10, batchSize=64, stepSize=0.1, optimizer="adagrad", regParam=0.0,
            elasticNetParam=0.0, seed=42, numWorkersPerGroup=0, numServerGroups=0,
            staleness=-1, syncFreq=1, shuffle=True, localAggregation=True,
            modelType="logistic", pullMode="auto", hiddenLayers=[64], numClasses=0,
            handleInvalid="error", checkpointDir="", checkpointInterval="",
            validationIndicatorCol="", earlyStoppingRounds=0, validationTol=0.0)

    def getLabelCol(self) -> str:
        """Gets the value of labelCol or its default value."""
        return self.getOrDefault(self.labelCol)

    def getFramework(self) -> str:
        """Gets the value of framework or its default value."""
        return self.getOrDefault(self.framework)

    def getNumWorkers(self) -> int:
        """Gets the value of numWorkers or its default value."""
        return self.getOrDefault(self.numWorkers)

    def getNumServers(self) -> int:
        """Gets the value of numServers or its default value."""
        return self.getOrDefault(self.numServers)

    def getMaxEpochs(self) -> int:
        """Gets the value of maxEpochs or its default value."""
        return self.getOrDefault(self.maxEpochs)

    def getBatchSize(self) -> int:
        """Gets the value of batchSize or its default value."""
        return self.getOrDefault(self.batchSize)

    def getStepSize(self) -> float:
        """Gets the value of stepSize or its default value."""
        return self.getOrDefault(self.stepSize)

    def getOptimizer(self) -> str:
        """Gets the value of optimizer or its default value."""
        return self.getOrDefault(self.optimizer)

    def getRegParam(self) -> float:
        """Gets the value of regParam or its default value."""
        return self.getOrDefault(self.regParam)

    def getElasticNetParam(self) -> float:
        """Gets the value of elasticNetParam or its default value."""
        return self.getOrDefault(self.elasticNetParam)

    def getSeed(self) -> int:
        """Gets the value of seed or its default value."""
        return self.getOrDefault(self.seed)

    def getNumWorkersPerGroup(self) -> int:
        """Gets the value of numWorkersPerGroup or its default value."""
        return self.getOrDefault(self.numWorkersPerGroup)

    def getNumServerGroups(self) -> int:
        """Gets the value of numServerGroups or its default value."""
        return self.getOrDefault(self.numServerGroups)

    def getStaleness(self) -> int:
        """Gets the value of staleness or its default value."""
        return self.getOrDefault(self.staleness)

    def getSyncFreq(self) -> int:
        """Gets the value of syncFreq or its default value."""
        return self.getOrDefault(self.syncFreq)

    def getShuffle(self) -> bool:
        """Gets the value of shuffle or its default value."""
        return self.getOrDefault(self.shuffle)

    def getLocalAggregation(self) -> bool:
        """Gets the value of localAggregation or its default value."""
        return self.getOrDefault(self.localAggregation)

    def getModelType(self) -> str:
        """Gets the value of modelType or its default value."""
        return self.getOrDefault(self.modelType)

    def getHiddenLayers(self) -> List[int]:
        """Gets the value of hiddenLayers or its default value."""
        return self.getOrDefault(self.hiddenLayers)

    def getNumClasses(self) -> int:
        """Gets the value of numClasses or its default value."""
        return self.getOrDefault(self.numClasses)

    def getPullMode(self) -> str:
        """Gets the value of pullMode or its default value."""
        return self.getOrDefault(self.pullMode)

    def getHandleInvalid(self) -> str:
        """Gets the value of handleInvalid or its default value."""
        return self.getOrDefault(self.handleInvalid)

    def getCheckpointDir(self) -> str:
        """Gets the value of checkpointDir or its default value."""
        return self.getOrDefault(self.checkpointDir)

    def getCheckpointInterval(self) -> str:
        """Gets the value of checkpointInterval or its default value."""
        return self.getOrDefault(self.checkpointInterval)

    def getValidationIndicatorCol(self) -> str:
        """Gets the value of validationIndicatorCol or its default value."""
        return self.getOrDefault(self.validationIndicatorCol)

    def getEarlyStoppingRounds(self) -> int:
        """Gets the value of earlyStoppingRounds or its default value."""
        return self.getOrDefault(self.earlyStoppingRounds)

    def getValidationTol(self) -> float:
        """Gets the value of validationTol or its default value."""
        return self.getOrDefault(self.validationTol)


class PSTrainer(JavaEstimator["PSTrainerModel"], _PSTrainerParams,
                JavaMLWritable, JavaMLReadable["PSTrainer"]):
    """Trains a model on a parameter server cluster: the Spark estimator of spark-ps.

    Workers are Spark tasks, one per partition of the training data; servers are JVMs the
    driver launches on the first ``fit`` of an application and reuses. The session needs the
    spark-ps jar: start it with :func:`sparkps.session`. Process-level settings (server
    memory, lease, timeouts) are ``spark.ps.*`` keys of the SparkConf. A setting spark-ps
    cannot work with makes ``fit`` raise :class:`InvalidConfigError` with the JVM's message;
    so does a NaN or infinite label or feature value (naming ``featuresCol`` or ``labelCol``,
    the row and the value) unless ``handleInvalid="skip"`` leaves such rows out, and a step
    size that makes the training diverge (naming ``stepSize``).

    Examples
    --------
    >>> import sparkps
    >>> from sparkps import PSTrainer, PSTrainerModel
    >>> from pyspark.sql.functions import when, col
    >>> spark = sparkps.session(master="local[2]")  # doctest: +SKIP
    >>> train = (spark.read.format("libsvm").option("numFeatures", "123")
    ...          .load("a9a")
    ...          .withColumn("label", when(col("label") > 0, 1.0).otherwise(0.0)))  # doctest: +SKIP
    >>> trainer = PSTrainer(framework="sandblaster", numWorkers=2, maxEpochs=3)  # doctest: +SKIP
    >>> trainer.getMaxEpochs()  # doctest: +SKIP
    3
    >>> model = trainer.fit(train)  # doctest: +SKIP
    >>> model.summary.final_loss < 0.4  # doctest: +SKIP
    True
    >>> model.transform(train).select("probability", "prediction").first()  # doctest: +SKIP
    Row(probability=DenseVector([...]), prediction=0.0)
    >>> model.write().overwrite().save("/tmp/a9a-model")  # doctest: +SKIP
    >>> PSTrainerModel.load("/tmp/a9a-model").numFeatures  # doctest: +SKIP
    123
    """

    _java_class = _JAVA_PACKAGE + ".PSTrainer"

    _input_kwargs: Dict[str, Any]

    @keyword_only
    def __init__(
        self,
        *,
        featuresCol: str = "features",
        labelCol: str = "label",
        predictionCol: str = "prediction",
        probabilityCol: str = "probability",
        rawPredictionCol: str = "rawPrediction",
        framework: str = "sandblaster",
        numWorkers: int = 0,
        numServers: int = 2,
        maxEpochs: int = 10,
        batchSize: int = 64,
        stepSize: float = 0.1,
        optimizer: str = "adagrad",
        regParam: float = 0.0,
        elasticNetParam: float = 0.0,
        seed: int = 42,
        numWorkersPerGroup: int = 0,
        numServerGroups: int = 0,
        staleness: int = -1,
        syncFreq: int = 1,
        shuffle: bool = True,
        localAggregation: bool = True,
        modelType: str = "logistic",
        hiddenLayers: Optional[List[int]] = None,
        numClasses: int = 0,
        pullMode: str = "auto",
        handleInvalid: str = "error",
        checkpointDir: str = "",
        checkpointInterval: Union[int, str] = "",
        validationIndicatorCol: str = "",
        earlyStoppingRounds: int = 0,
        validationTol: float = 0.0,
    ):
        """
        __init__(self, \\*, featuresCol="features", labelCol="label", \
                 predictionCol="prediction", probabilityCol="probability", \
                 rawPredictionCol="rawPrediction", framework="sandblaster", numWorkers=0, \
                 numServers=2, maxEpochs=10, batchSize=64, stepSize=0.1, optimizer="adagrad", \
                 regParam=0.0, elasticNetParam=0.0, seed=42, numWorkersPerGroup=0, \
                 numServerGroups=0, staleness=-1, syncFreq=1, shuffle=True, \
                 localAggregation=True, modelType="logistic", hiddenLayers=[64], \
                 numClasses=0, pullMode="auto", handleInvalid="error", \
                 checkpointDir="", checkpointInterval="", validationIndicatorCol="", \
                 earlyStoppingRounds=0, validationTol=0.0)

        Only the arguments given are set; the others keep the JVM defaults (and for
        framework, numServers, staleness and syncFreq an unset param defers to the
        ``spark.ps.*`` settings of the session, as in the JVM class).
        """
        super().__init__()
        self._java_obj = self._new_java_obj(self._java_class, self.uid)
        kwargs = self._input_kwargs
        self.setParams(**kwargs)

    @keyword_only
    def setParams(
        self,
        *,
        featuresCol: str = "features",
        labelCol: str = "label",
        predictionCol: str = "prediction",
        probabilityCol: str = "probability",
        rawPredictionCol: str = "rawPrediction",
        framework: str = "sandblaster",
        numWorkers: int = 0,
        numServers: int = 2,
        maxEpochs: int = 10,
        batchSize: int = 64,
        stepSize: float = 0.1,
        optimizer: str = "adagrad",
        regParam: float = 0.0,
        elasticNetParam: float = 0.0,
        seed: int = 42,
        numWorkersPerGroup: int = 0,
        numServerGroups: int = 0,
        staleness: int = -1,
        syncFreq: int = 1,
        shuffle: bool = True,
        localAggregation: bool = True,
        modelType: str = "logistic",
        hiddenLayers: Optional[List[int]] = None,
        numClasses: int = 0,
        pullMode: str = "auto",
        handleInvalid: str = "error",
        checkpointDir: str = "",
        checkpointInterval: Union[int, str] = "",
        validationIndicatorCol: str = "",
        earlyStoppingRounds: int = 0,
        validationTol: float = 0.0,
    ) -> "PSTrainer":
        """Sets the params given by keyword; see :class:`PSTrainer`."""
        kwargs = self._input_kwargs
        if kwargs.get("hiddenLayers", []) is None:
            del kwargs["hiddenLayers"]
        return self._set(**kwargs)

    @classmethod
    def read(cls) -> JavaMLReader["PSTrainer"]:
        """An MLReader that loads with ``io.sparkps.spark.PSTrainer.read()``."""
        return _JavaClassReader(cls)

    def _fit(self, dataset: DataFrame) -> "PSTrainerModel":
        try:
            return super()._fit(dataset)
        except Py4JJavaError as e:
            config_error = _invalid_config(e)
            if config_error is None:
                raise
            raise config_error from e

    def _create_model(self, java_model: JavaObject) -> "PSTrainerModel":
        return PSTrainerModel(java_model)

    def setFeaturesCol(self, value: str) -> "PSTrainer":
        """Sets the value of :py:attr:`featuresCol`."""
        return self._set(featuresCol=value)

    def setLabelCol(self, value: str) -> "PSTrainer":
        """Sets the value of :py:attr:`labelCol`."""
        return self._set(labelCol=value)

    def setPredictionCol(self, value: str) -> "PSTrainer":
        """Sets the value of :py:attr:`predictionCol`."""
        return self._set(predictionCol=value)

    def setProbabilityCol(self, value: str) -> "PSTrainer":
        """Sets the value of :py:attr:`probabilityCol`."""
        return self._set(probabilityCol=value)

    def setRawPredictionCol(self, value: str) -> "PSTrainer":
        """Sets the value of :py:attr:`rawPredictionCol`."""
        return self._set(rawPredictionCol=value)

    def setFramework(self, value: str) -> "PSTrainer":
        """Sets the value of :py:attr:`framework`."""
        return self._set(framework=value)

    def setNumWorkers(self, value: int) -> "PSTrainer":
        """Sets the value of :py:attr:`numWorkers`."""
        return self._set(numWorkers=value)

    def setNumServers(self, value: int) -> "PSTrainer":
        """Sets the value of :py:attr:`numServers`."""
        return self._set(numServers=value)

    def setMaxEpochs(self, value: int) -> "PSTrainer":
        """Sets the value of :py:attr:`maxEpochs`."""
        return self._set(maxEpochs=value)

    def setBatchSize(self, value: int) -> "PSTrainer":
        """Sets the value of :py:attr:`batchSize`."""
        return self._set(batchSize=value)

    def setStepSize(self, value: float) -> "PSTrainer":
        """Sets the value of :py:attr:`stepSize`."""
        return self._set(stepSize=value)

    def setOptimizer(self, value: str) -> "PSTrainer":
        """Sets the value of :py:attr:`optimizer`."""
        return self._set(optimizer=value)

    def setRegParam(self, value: float) -> "PSTrainer":
        """Sets the value of :py:attr:`regParam`."""
        return self._set(regParam=value)

    def setElasticNetParam(self, value: float) -> "PSTrainer":
        """Sets the value of :py:attr:`elasticNetParam`."""
        return self._set(elasticNetParam=value)

    def setSeed(self, value: int) -> "PSTrainer":
        """Sets the value of :py:attr:`seed`."""
        return self._set(seed=value)

    def setNumWorkersPerGroup(self, value: int) -> "PSTrainer":
        """Sets the value of :py:attr:`numWorkersPerGroup`."""
        return self._set(numWorkersPerGroup=value)

    def setNumServerGroups(self, value: int) -> "PSTrainer":
        """Sets the value of :py:attr:`numServerGroups`."""
        return self._set(numServerGroups=value)

    def setStaleness(self, value: int) -> "PSTrainer":
        """Sets the value of :py:attr:`staleness`."""
        return self._set(staleness=value)

    def setSyncFreq(self, value: int) -> "PSTrainer":
        """Sets the value of :py:attr:`syncFreq`."""
        return self._set(syncFreq=value)

    def setShuffle(self, value: bool) -> "PSTrainer":
        """Sets the value of :py:attr:`shuffle`."""
        return self._set(shuffle=value)

    def setLocalAggregation(self, value: bool) -> "PSTrainer":
        """Sets the value of :py:attr:`localAggregation`."""
        return self._set(localAggregation=value)

    def setModelType(self, value: str) -> "PSTrainer":
        """Sets the value of :py:attr:`modelType`."""
        return self._set(modelType=value)

    def setHiddenLayers(self, value: List[int]) -> "PSTrainer":
        """Sets the value of :py:attr:`hiddenLayers`."""
        return self._set(hiddenLayers=value)

    def setNumClasses(self, value: int) -> "PSTrainer":
        """Sets the value of :py:attr:`numClasses`."""
        return self._set(numClasses=value)

    def setPullMode(self, value: str) -> "PSTrainer":
        """Sets the value of :py:attr:`pullMode`."""
        return self._set(pullMode=value)

    def setHandleInvalid(self, value: str) -> "PSTrainer":
        """Sets the value of :py:attr:`handleInvalid`."""
        return self._set(handleInvalid=value)

    def setCheckpointDir(self, value: str) -> "PSTrainer":
        """Sets the value of :py:attr:`checkpointDir`."""
        return self._set(checkpointDir=value)

    def setValidationIndicatorCol(self, value: str) -> "PSTrainer":
        """Sets the value of :py:attr:`validationIndicatorCol`."""
        return self._set(validationIndicatorCol=value)

    def setEarlyStoppingRounds(self, value: int) -> "PSTrainer":
        """Sets the value of :py:attr:`earlyStoppingRounds`."""
        return self._set(earlyStoppingRounds=value)

    def setValidationTol(self, value: float) -> "PSTrainer":
        """Sets the value of :py:attr:`validationTol`."""
        return self._set(validationTol=value)

    def setCheckpointInterval(self, value: Union[int, str]) -> "PSTrainer":
        """Sets the value of :py:attr:`checkpointInterval`: steps (``500``) or a duration
        (``"30s"``)."""
        return self._set(checkpointInterval=value)


@dataclass(frozen=True)
class ValidationSummary:
    """The validation curve of a fit with ``validationIndicatorCol``: the held-out rows'
    figures at the end of every epoch the fit ran (index ``e`` is epoch ``e + 1``).

    ``loss`` is the model's mean loss over the validation rows (the loss training reports);
    ``metric`` names the second figure, ``metric_values``: ``"areaUnderROC"`` for binary
    models (from a 4096-bin score histogram, off the exact value by at most half the share of
    positive-negative pairs in one bin), ``"accuracy"`` for multi-class ones, ``"rmse"`` for
    regression. ``best_epoch`` (counted from 1) has the lowest validation loss, an
    improvement counting only when lower than the best by more than ``validationTol``; with
    ``earlyStoppingRounds > 0`` the fitted model is that epoch's. ``stopped_early`` says
    whether early stopping ended the fit before ``maxEpochs``; ``rows`` counts the validation
    rows.
    """

    metric: str
    loss: List[float]
    metric_values: List[float]
    best_epoch: int
    stopped_early: bool
    rows: int

    @property
    def best_loss(self) -> float:
        """The lowest validation loss (NaN when no epoch had a finite one)."""
        return self.loss[self.best_epoch - 1] if self.best_epoch > 0 else float("nan")

    @classmethod
    def _from_java(cls, v: JavaObject) -> "ValidationSummary":
        return cls(
            metric=str(v.metric()),
            loss=[float(x) for x in v.loss()],
            metric_values=[float(x) for x in v.metricValues()],
            best_epoch=int(v.bestEpoch()),
            stopped_early=bool(v.stoppedEarly()),
            rows=int(v.rows()),
        )


@dataclass(frozen=True)
class TrainingSummary:
    """What happened during a training, copied out of the JVM into plain Python values.

    ``epoch_loss`` holds the mean training loss of each epoch, ``step_loss`` the mean
    mini-batch loss of each step (averaged over the workers) and ``step_seconds`` the time
    of the end of each step, in seconds since the workers' training loops began (averaged
    over the workers like ``step_loss``; plot ``step_loss`` against it for loss over wall
    time); ``examples`` counts an example
    once per epoch it was used in; ``server_updates`` are the UPDATE messages the servers
    received and ``server_shares`` the worker gradients they carried (more than
    ``server_updates`` when the per-JVM stub summed several workers' gradients);
    ``copy_divergence`` is 0 with one server group. ``server_shares_applied`` counts the
    worker gradients in the steps the servers applied, each once however often it was sent;
    ``server_failures`` the separate servers lost during the fit (failed over to their
    backups) and ``recovery_millis`` the longest pause that caused a slice (NaN for none).
    ``stage_runs`` is 1, or more when spark-ps ran the training stage again after it lost an
    executor (its workers resuming at their groups' last applied steps).
    ``skipped_rows`` counts the rows left out for a NaN or infinite label or feature value
    (``handleInvalid="skip"``; 0 otherwise); ``resumed_from_step`` the step of the
    checkpoint the fit resumed from (None when it started afresh). ``server_hosts`` lists the
    distinct hosts separate servers ran on (empty for co-located servers).
    ``validation`` holds the validation curve (a :class:`ValidationSummary`) of a fit with
    ``validationIndicatorCol``, None otherwise; with early stopping ``epoch_loss`` and
    ``step_loss`` cover the epochs that ran.
    """

    framework: str
    num_workers: int
    num_servers: int
    epoch_loss: List[float]
    step_loss: List[float]
    step_seconds: List[float]
    total_steps: int
    examples: int
    train_seconds: float
    examples_per_second: float
    final_loss: float
    server_updates: int
    server_shares: int
    server_update_bytes: int
    copy_divergence: float
    server_shares_applied: int
    server_failures: int
    recovery_millis: float
    stage_runs: int
    skipped_rows: int
    resumed_from_step: Optional[int]
    server_hosts: List[str]
    validation: Optional[ValidationSummary] = None

    @classmethod
    def _from_java(cls, java_summary: JavaObject) -> "TrainingSummary":
        s = java_summary
        return cls(
            framework=str(s.framework()),
            num_workers=int(s.numWorkers()),
            num_servers=int(s.numServers()),
            epoch_loss=[float(x) for x in s.epochLoss()],
            step_loss=[float(x) for x in s.stepLoss()],
            step_seconds=[float(x) for x in s.stepSeconds()],
            total_steps=int(s.totalSteps()),
            examples=int(s.examples()),
            train_seconds=float(s.trainSeconds()),
            examples_per_second=float(s.examplesPerSecond()),
            final_loss=float(s.finalLoss()),
            server_updates=int(s.serverUpdates()),
            server_shares=int(s.serverShares()),
            server_update_bytes=int(s.serverUpdateBytes()),
            copy_divergence=float(s.copyDivergence()),
            server_shares_applied=int(s.serverSharesApplied()),
            server_failures=int(s.serverFailures()),
            recovery_millis=float(s.recoveryMillis()),
            stage_runs=int(s.stageRuns()),
            skipped_rows=int(s.skippedRows()),
            resumed_from_step=None if s.resumedFromStep() is None else int(s.resumedFromStep()),
            server_hosts=[str(h) for h in s.serverHosts()],
            validation=None if s.validation() is None
            else ValidationSummary._from_java(s.validation()),
        )


class PSTrainerModel(JavaModel, _PSModelParams, JavaMLWritable,
                     JavaMLReadable["PSTrainerModel"]):
    """A model trained by :class:`PSTrainer`: adds ``rawPrediction`` (margins),
    ``probability`` and ``prediction`` columns to a DataFrame of feature vectors (regression
    models add ``prediction`` only). An empty column name leaves that column out.

    Examples
    --------
    >>> model = PSTrainer(numWorkers=2, maxEpochs=3).fit(train)  # doctest: +SKIP
    >>> model.has_summary, len(model.summary.epoch_loss)  # doctest: +SKIP
    (True, 3)
    >>> model.save("/tmp/m")  # doctest: +SKIP
    >>> PSTrainerModel.load("/tmp/m").has_summary  # doctest: +SKIP
    False
    """

    _java_class = _JAVA_PACKAGE + ".PSTrainerModel"

    def __init__(self, java_model: Optional[JavaObject] = None):
        super().__init__(java_model)

    @classmethod
    def read(cls) -> JavaMLReader["PSTrainerModel"]:
        """An MLReader that loads with ``io.sparkps.spark.PSTrainerModel.read()``."""
        return _JavaClassReader(cls)

    def setFeaturesCol(self, value: str) -> "PSTrainerModel":
        """Sets the value of :py:attr:`featuresCol`."""
        return self._set(featuresCol=value)

    def setPredictionCol(self, value: str) -> "PSTrainerModel":
        """Sets the value of :py:attr:`predictionCol`."""
        return self._set(predictionCol=value)

    def setProbabilityCol(self, value: str) -> "PSTrainerModel":
        """Sets the value of :py:attr:`probabilityCol`."""
        return self._set(probabilityCol=value)

    def setRawPredictionCol(self, value: str) -> "PSTrainerModel":
        """Sets the value of :py:attr:`rawPredictionCol`."""
        return self._set(rawPredictionCol=value)

    @property
    def numFeatures(self) -> int:
        """Length of the feature vectors the model was trained on."""
        return int(self._call_java("numFeatures"))

    @property
    def has_summary(self) -> bool:
        """Whether the model carries a training summary (a model loaded from disk does not)."""
        return bool(self._call_java("hasSummary"))

    hasSummary = has_summary

    @property
    def summary(self) -> TrainingSummary:
        """What happened during the training of this model, as plain Python values.

        Raises
        ------
        RuntimeError
            for a model without a summary (one loaded from disk).
        """
        if not self.has_summary:
            raise RuntimeError(
                f"No training summary available for this {self.__class__.__name__}: "
                "only a model returned by fit has one")
        assert self._java_obj is not None
        return TrainingSummary._from_java(self._java_obj.summary())


def _alias_java_package() -> None:
    """Makes ``io.sparkps.spark`` importable as this module.

    pyspark's readers turn a saved stage's JVM class name into a Python class by replacing
    ``org.apache.spark`` with ``pyspark`` and importing the rest: ``PipelineModel.load``
    (``DefaultParamsReader.loadParamsInstance``) and ``JavaParams._from_java`` (CrossValidator,
    ``Pipeline._from_java``) import ``io.sparkps.spark`` and take ``PSTrainerModel`` from it.
    ``io`` is the standard library's module, which cannot have submodules on disk, so the name
    is bound in ``sys.modules`` instead, where the import finds it first.
    """
    module = sys.modules[__name__]
    sys.modules.setdefault(_JAVA_PACKAGE, module)


_alias_java_package()
