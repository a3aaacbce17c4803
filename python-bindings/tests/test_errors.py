"""JVM failures of fit and transform arrive as Python exceptions with the JVM's message."""

from __future__ import annotations

import traceback

import pytest
from py4j.protocol import Py4JJavaError
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.linalg import Vectors

from sparkps import InvalidConfigError, InvalidDataError, PSTrainer, TrainingError
from sparkps._errors import python_errors, translate


def _separable(spark, rows: int = 40, bad_row: int = -1):
    data = []
    for i in range(rows):
        label = float(i % 2)
        x = [1.0 if label else -1.0, float(i % 3)]
        if i == bad_row:
            x[1] = float("nan")
        data.append((label, Vectors.dense(x)))
    return spark.createDataFrame(data, ["label", "features"])


@pytest.fixture(scope="module")
def small_model(spark):
    return PSTrainer(numWorkers=2, numServers=1, maxEpochs=1).fit(_separable(spark))


def assert_pythonic(error: BaseException) -> None:
    """The printed traceback ends with the error's message and shows nothing of Java."""
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    for java in ("Py4JJavaError", "java.", "\tat ", "io.sparkps.", "org.apache.spark."):
        assert java not in text, f"{java!r} in the traceback:\n{text}"
    assert text.rstrip().endswith(f"{type(error).__name__}: {error}"), text
    assert error.__cause__ is None and error.__suppress_context__


def test_bad_setting_raises_the_jvm_message_alone(spark):
    with pytest.raises(InvalidConfigError) as raised:
        PSTrainer(numWorkers=2, maxEpochs=1, framework="ring").fit(_separable(spark))
    error = raised.value
    assert type(error) is InvalidConfigError and isinstance(error, ValueError)
    assert error.setting == "framework"
    assert str(error) == str(error.java_exception.getMessage())
    assert str(error).startswith("framework='ring': unknown; accepted names are "), str(error)
    assert error.java_exception.getClass().getName() == "io.sparkps.config.InvalidConfigException"
    assert "InvalidConfigException" in error.java_stack_trace()
    assert_pythonic(error)


def test_invalid_row_raises_invalid_data_error(spark):
    with pytest.raises(InvalidDataError) as raised:
        PSTrainer(numWorkers=2, numServers=1, maxEpochs=1).fit(_separable(spark, bad_row=7))
    error = raised.value
    assert error.setting == "featuresCol"
    assert str(error) == str(error.java_exception.getMessage())
    assert "the value NaN at feature 1" in str(error)
    assert_pythonic(error)


def test_missing_column_raises_at_transform(spark, small_model):
    data = _separable(spark).withColumnRenamed("features", "x")
    with pytest.raises(InvalidDataError) as raised:
        small_model.transform(data)
    error = raised.value
    assert error.setting == "featuresCol"
    assert str(error) == "featuresCol=features is not a column; the columns are [label, x]"
    assert_pythonic(error)


def test_wider_vectors_than_the_model_raise_at_transform(spark, small_model):
    """VectorAssembler's metadata says the vectors have 3 features; the model knows 2."""
    wide = VectorAssembler(inputCols=["a", "b", "c"], outputCol="features").transform(
        spark.createDataFrame([(1.0, 2.0, 3.0)], ["a", "b", "c"]))
    with pytest.raises(InvalidDataError) as raised:
        small_model.transform(wide)
    assert raised.value.setting == "featuresCol"
    assert "holds vectors of size 3" in str(raised.value)
    assert "numFeatures=2" in str(raised.value)
    assert_pythonic(raised.value)


def test_existing_output_column_is_named(spark, small_model):
    data = _separable(spark)
    data = data.withColumn("prediction", data.label)
    with pytest.raises(InvalidDataError, match="set predictionCol to another name") as raised:
        small_model.transform(data)
    assert raised.value.setting == "predictionCol"


def test_ps_exception_in_a_spark_failure_becomes_training_error(spark):
    jvm = spark.sparkContext._jvm
    ps = jvm.io.sparkps.config.PsException(
        "the training failed: server 1 lost", jvm.java.lang.IllegalStateException("socket"))
    error = translate(Py4JJavaError("fit", jvm.org.apache.spark.SparkException("job", ps)))
    assert type(error) is TrainingError and isinstance(error, RuntimeError)
    assert str(error) == "the training failed: server 1 lost"
    assert error.java_exception.equals(ps)


def test_config_error_deep_in_the_chain_wins_over_the_ps_exception(spark):
    jvm = spark.sparkContext._jvm
    bad = jvm.io.sparkps.config.InvalidConfigException("stepSize", "stepSize=100: diverged")
    wrapped = jvm.io.sparkps.config.PsException("the training failed", bad)
    error = translate(Py4JJavaError("fit", wrapped))
    assert type(error) is InvalidConfigError
    assert (error.setting, str(error)) == ("stepSize", "stepSize=100: diverged")


def test_other_jvm_errors_pass_unchanged(spark):
    jvm = spark.sparkContext._jvm
    with pytest.raises(Py4JJavaError) as raised:
        with python_errors():
            jvm.java.util.Objects.requireNonNull(None, "not spark-ps's")
    assert "NullPointerException" in str(raised.value)
