"""spark-ps for PySpark: a parameter server for Apache Spark.

>>> import sparkps
>>> spark = sparkps.session(master="local[2]")  # doctest: +SKIP
>>> model = sparkps.PSTrainer(numWorkers=2, maxEpochs=3).fit(train)  # doctest: +SKIP

Errors of the JVM side arrive as Python exceptions that carry the JVM's message:
:class:`InvalidConfigError` for a setting, :class:`InvalidDataError` for data that does not
fit the settings, :class:`TrainingError` for a fit that failed otherwise.

Importing this package also makes the JVM package name ``io.sparkps.spark`` resolve to
:mod:`sparkps.ml`, which pyspark's Pipeline and CrossValidator readers need to find the
Python class of a saved spark-ps stage (see ``sparkps.ml._alias_java_package``).
"""

from sparkps._connect import ConnectUnsupportedError
from sparkps._errors import InvalidConfigError, InvalidDataError, TrainingError
from sparkps._jar import jar_path, session
from sparkps.ml import ModelEvaluation, PSTrainer, PSTrainerModel, TrainingSummary

__version__ = "0.1.0"

__all__ = ["jar_path", "session", "ConnectUnsupportedError", "InvalidConfigError",
           "InvalidDataError", "TrainingError", "ModelEvaluation", "PSTrainer", "PSTrainerModel",
           "TrainingSummary"]
