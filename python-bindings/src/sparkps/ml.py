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
from pyspark.ml.linalg import Matrix, Vector
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import (
    HasElasticNetParam, HasFeaturesCol, HasHandleInvalid, HasLabelCol, HasPredictionCol,
    HasProbabilityCol, HasRawPredictionCol, HasRegParam, HasSeed, HasStepSize,
    HasValidationIndicatorCol,
)
from pyspark.ml.util import JavaMLReadable, JavaMLReader, JavaMLWritable, RL
from pyspark.ml.wrapper import JavaEstimator, JavaModel
from py4j.java_gateway import JavaObject
from pyspark.sql import DataFrame, is_remote

from sparkps import _connect

from sparkps import _fitting
from sparkps._errors import InvalidConfigError, python_errors

__all__ = ["InvalidConfigError", "ModelEvaluation", "PSTrainer", "PSTrainerModel",
           "TrainingSummary"]

_JAVA_PACKAGE = "io.sparkps.spark"


class _JavaClassReader(JavaMLReader[RL]):
    """Reads with the ``read()`` of the JVM class named by the Python class's ``_java_class``.

    pyspark's own reader derives the JVM class from the Python module name (``pyspark`` ->
    ``org.apache.spark``), which does not hold for a third-party package.
    """

    @classmethod
    def _java_loader_class(cls, clazz: Type[Any]) -> str:
        return clazz._java_class


def _steps_or_duration(value: Any) -> str:
    """A checkpoint interval as the JVM takes it: steps (an int, or digits) or a duration."""
    if isinstance(value, bool):
        raise TypeError(f"checkpointInterval must be steps or a duration, got {value!r}")
    if isinstance(value, int):
        return str(value)
    return TypeConverters.toString(value)


class _PSTrainerParams(HasFeaturesCol, HasLabelCol, HasPredictionCol, HasProbabilityCol,
                       HasRawPredictionCol, HasStepSize, HasRegParam, HasElasticNetParam,
                       HasSeed, HasHandleInvalid, HasValidationIndicatorCol):
    """The params of :class:`PSTrainer`, shared by :class:`PSTrainerModel` (as pyspark.ml's
    ``_LogisticRegressionParams``), with the defaults of the JVM's ``PSTrainerParams``.

    Params that pyspark.ml.param.shared declares come from its mixins (with their docs); the
    others are declared here with the JVM's docs. Adding a param: declare it and its getter
    here, its default in ``__init__``, and a setter on :class:`PSTrainer`.
    """

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
    optimizer: Param[str] = Param(
        Params._dummy(), "optimizer",
        "server-side optimizer: sgd, momentum, adagrad, adam, ftrl (FTRL-Proximal; stepSize "
        "is its alpha)",
        typeConverter=TypeConverters.toString)
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
            featuresCol="features", labelCol="label", predictionCol="prediction",
            probabilityCol="probability", rawPredictionCol="rawPrediction",
            framework="sandblaster", numWorkers=0, numServers=2, maxEpochs=10, batchSize=64,
            stepSize=0.1, optimizer="adagrad", regParam=0.0, elasticNetParam=0.0, seed=42,
            numWorkersPerGroup=0, numServerGroups=0, staleness=-1, syncFreq=1, shuffle=True,
            localAggregation=True, modelType="logistic", pullMode="auto", hiddenLayers=[64],
            handleInvalid="error", checkpointDir="", checkpointInterval="",
            validationIndicatorCol="", earlyStoppingRounds=0, validationTol=0.0)
        # On the model, numClasses is the number of classes it predicts, not this Param.
        if isinstance(getattr(type(self), "numClasses", None), Param):
            self._setDefault(numClasses=0)

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

    def getOptimizer(self) -> str:
        """Gets the value of optimizer or its default value."""
        return self.getOrDefault(self.optimizer)

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

    def getCheckpointDir(self) -> str:
        """Gets the value of checkpointDir or its default value."""
        return self.getOrDefault(self.checkpointDir)

    def getCheckpointInterval(self) -> str:
        """Gets the value of checkpointInterval or its default value."""
        return self.getOrDefault(self.checkpointInterval)

    def getEarlyStoppingRounds(self) -> int:
        """Gets the value of earlyStoppingRounds or its default value."""
        return self.getOrDefault(self.earlyStoppingRounds)

    def getValidationTol(self) -> float:
        """Gets the value of validationTol or its default value."""
        return self.getOrDefault(self.validationTol)


class PSTrainer(JavaEstimator["PSTrainerModel"], _PSTrainerParams, _fitting._HasCallbacks,
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

    While ``fit`` runs, callbacks added with :meth:`addCallback` hear its start, every epoch's
    end and its end on the calling thread (see :mod:`sparkps.progress`); without any, a fit in
    a Jupyter kernel shows a live progress table.

    Examples
    --------
    >>> import sparkps
    >>> from sparkps import PSTrainer, PSTrainerModel
    >>> from pyspark.sql.functions import when, col
    >>> spark = sparkps.session(master="local[2]")  # doctest: +SKIP
    >>> train = (spark.read.format("libsvm").option("numFeatures", "123")
    ...          .load(a9a_path)
    ...          .withColumn("label", when(col("label") > 0, 1.0).otherwise(0.0)))
    >>> trainer = PSTrainer(framework="sandblaster", numWorkers=2, maxEpochs=3)
    >>> trainer.getMaxEpochs()
    3
    >>> model = trainer.fit(train)
    >>> model.summary.final_loss < 0.4
    True
    >>> model.transform(train).select("probability", "prediction").first()
    Row(probability=DenseVector([...]), prediction=0.0)
    >>> model.write().overwrite().save(path + "/a9a-model")
    >>> PSTrainerModel.load(path + "/a9a-model").numFeatures
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
        return _connect.ConnectClassReader(cls) if is_remote() else _JavaClassReader(cls)

    def _fit(self, dataset: DataFrame) -> "PSTrainerModel":
        with python_errors():
            return super()._fit(dataset)

    def _fit_java(self, dataset: DataFrame) -> JavaObject:
        # Callbacks hear the fit on this thread (sparkps.progress).
        from sparkps.progress import default_callbacks

        assert self._java_obj is not None
        self._transfer_params_to_java()
        return _fitting.fit_java(self._java_obj, dataset._jdf,
                                 self._callbacks or default_callbacks())

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


class ModelEvaluation:
    """Metrics of a :class:`PSTrainerModel` on a labelled DataFrame, from
    :meth:`PSTrainerModel.evaluate`, named and computed as pyspark.ml's evaluators and
    summaries do.

    Each metric is an attribute: ``areaUnderROC``, ``areaUnderPR`` (binary), ``accuracy``,
    ``weightedPrecision``, ``weightedRecall``, ``weightedFMeasure``,
    ``weightedTruePositiveRate``, ``weightedFalsePositiveRate``, ``logLoss`` (classifiers),
    ``rootMeanSquaredError``, ``meanSquaredError``, ``meanAbsoluteError``, ``r2``,
    ``explainedVariance`` (regression); :py:attr:`metrics` holds them all by name and
    :py:attr:`predictions` is the scored DataFrame.
    """

    def __init__(self, java_evaluation: JavaObject, predictions: DataFrame):
        self._java = java_evaluation
        self.metrics: Dict[str, float] = {
            str(k): float(v) for k, v in java_evaluation.metrics().items()}
        self.predictions = predictions
        self.labelCol = str(java_evaluation.labelCol())

    def __getattr__(self, name: str) -> float:
        metrics = self.__dict__.get("metrics", {})
        if name in metrics:
            return metrics[name]
        raise AttributeError(
            f"{name} is not a metric of this evaluation; it has {', '.join(metrics)}")

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v:.4f}" for k, v in self.metrics.items())
        return f"ModelEvaluation({shown})"


class PSTrainerModel(JavaModel, _PSTrainerParams, JavaMLWritable,
                     JavaMLReadable["PSTrainerModel"]):
    """A model trained by :class:`PSTrainer`: adds ``rawPrediction`` (margins),
    ``probability`` and ``prediction`` columns to a DataFrame of feature vectors (regression
    models add ``prediction`` only). An empty column name leaves that column out.

    The model has every param of the trainer that fitted it, with its getter (also after
    save/load, and as ``CrossValidatorModel.bestModel``), except that ``numClasses`` is the
    number of classes the model predicts; the trainer's setting is :meth:`getNumClasses`.

    Examples
    --------
    >>> model = PSTrainer(numWorkers=2, maxEpochs=2, stepSize=0.3).fit(train)
    >>> model.getStepSize(), model.getMaxEpochs(), model.numClasses
    (0.3, 2, 2)
    >>> model.coefficients.size == model.numFeatures == 123
    True
    >>> row = test.first()
    >>> model.predict(row.features) in (0.0, 1.0)
    True
    >>> round(float(model.predictProbability(row.features).toArray().sum()), 6)
    1.0
    >>> evaluation = model.evaluate(test)
    >>> evaluation.areaUnderROC > 0.85, evaluation.accuracy > 0.8
    (True, True)
    >>> model.has_summary, len(model.summary.epoch_loss)
    (True, 2)
    >>> model.write().overwrite().save(path + "/model")
    >>> loaded = PSTrainerModel.load(path + "/model")
    >>> loaded.has_summary, loaded.getStepSize(), loaded.intercept == model.intercept
    (False, 0.3, True)
    """

    _java_class = _JAVA_PACKAGE + ".PSTrainerModel"

    def __init__(self, java_model: Optional[JavaObject] = None):
        super().__init__(java_model)

    def _create_params_from_java(self) -> None:
        """Nothing to create: every JVM param is declared by ``_PSTrainerParams`` (pyspark
        would otherwise try to bind a Param over the :py:attr:`numClasses` property)."""

    @classmethod
    def read(cls) -> JavaMLReader["PSTrainerModel"]:
        """An MLReader that loads with ``io.sparkps.spark.PSTrainerModel.read()``."""
        return _connect.ConnectClassReader(cls) if is_remote() else _JavaClassReader(cls)

    def _call_java(self, name: str, *args: Any) -> Any:
        # Over Spark Connect the server refuses most model methods: say so clearly.
        return _connect.call_java(super()._call_java, type(self).__name__, name, *args)

    def _transform(self, dataset: DataFrame) -> DataFrame:
        with python_errors():
            return super()._transform(dataset)

    def setFeaturesCol(self, value: str) -> "PSTrainerModel":
        """Sets the value of :py:attr:`featuresCol`."""
        return self._set(featuresCol=value)

    def setLabelCol(self, value: str) -> "PSTrainerModel":
        """Sets the value of :py:attr:`labelCol` (the column :meth:`evaluate` reads)."""
        return self._set(labelCol=value)

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

    @property  # type: ignore[override]
    def numClasses(self) -> int:
        """Classes the model predicts: 2 for a binary model, K for a multinomial or MLP one.

        A regression model has no classes (as pyspark.ml's regression models):
        AttributeError.
        """
        if not self._call_java("isClassifier"):
            raise AttributeError("numClasses: a regression model predicts a value, not classes")
        return int(self._call_java("numClasses"))

    def getNumClasses(self) -> int:
        """Gets the trainer's numClasses setting (0: the largest label + 1), not
        :py:attr:`numClasses`."""
        return int(self._call_java("getNumClasses"))

    @property
    def coefficients(self) -> Vector:
        """Weights of a binary logistic or linear regression model, one per feature (a
        SparseVector when the model kept them row-sparse)."""
        return self._call_java("coefficients")

    @property
    def intercept(self) -> float:
        """Bias of a binary logistic or linear regression model."""
        return float(self._call_java("intercept"))

    @property
    def coefficientMatrix(self) -> Matrix:
        """Weights of a logistic model, ``numClasses x numFeatures`` (one row if binary)."""
        return self._call_java("coefficientMatrix")

    @property
    def interceptVector(self) -> Vector:
        """Intercepts of a logistic model, one per row of :py:attr:`coefficientMatrix`."""
        return self._call_java("interceptVector")

    def predict(self, value: Vector) -> float:
        """Predicted label (a classifier) or value (a regression) of one feature vector."""
        with python_errors():
            return float(self._call_java("predict", value))

    def predictRaw(self, value: Vector) -> Vector:
        """Raw prediction of one feature vector, as in ``rawPredictionCol``."""
        with python_errors():
            return self._call_java("predictRaw", value)

    def predictProbability(self, value: Vector) -> Vector:
        """Class probabilities of one feature vector, as in ``probabilityCol``."""
        with python_errors():
            return self._call_java("predictProbability", value)

    def evaluate(self, dataset: DataFrame) -> ModelEvaluation:
        """Scores ``dataset`` (features and ``labelCol``) and computes the metrics of the
        model's task: AUC, accuracy, log loss... for a classifier, RMSE, r2... for a
        regression."""
        if not isinstance(dataset, DataFrame):
            raise TypeError(f"dataset must be a DataFrame but got {type(dataset)}.")
        assert self._java_obj is not None
        self._transfer_params_to_java()
        with python_errors():
            java_evaluation = self._java_obj.evaluate(dataset._jdf)
        predictions = DataFrame(java_evaluation.predictions(), dataset.sparkSession)
        return ModelEvaluation(java_evaluation, predictions)

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
