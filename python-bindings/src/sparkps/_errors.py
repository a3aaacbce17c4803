"""spark-ps's JVM exceptions as Python exceptions.

A call into the JVM that fails raises py4j's ``Py4JJavaError``, whose text is the whole Java
stack trace, and pyspark converts only Spark's own exception types. :func:`python_errors`
turns the spark-ps exceptions found in the failure's cause chain into the Python exceptions
below, raised ``from None`` so that a traceback shows the JVM's message and no Java frames;
the Java exception stays reachable as ``java_exception``.

=========================================  ====================================
JVM exception (first one in the chain)      Python exception
=========================================  ====================================
``InvalidConfigException`` on a column      :class:`InvalidDataError`
param (``...Col``) or on ``dataset``
other ``InvalidConfigException``            :class:`InvalidConfigError`
other ``PsException``                       :class:`TrainingError`
anything else                               the ``Py4JJavaError``, unchanged
=========================================  ====================================
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Optional

from py4j.protocol import Py4JJavaError

from sparkps import _connect

__all__ = ["InvalidConfigError", "InvalidDataError", "TrainingError", "python_errors"]

_INVALID_CONFIG = "io.sparkps.config.InvalidConfigException"
_PS_EXCEPTION = "io.sparkps.config.PsException"
# Cause chains are a few links long; the bound guards against a cycle.
_MAX_CAUSES = 32


class _JvmError:
    """What the spark-ps Python exceptions keep of the JVM exception they stand for."""

    java_exception: Any

    def java_stack_trace(self) -> str:
        """The JVM exception's stack trace with its causes, as Java prints it ("" without
        one)."""
        if self.java_exception is None:
            return ""
        from pyspark import SparkContext

        utils = getattr(SparkContext._jvm, "org.apache.spark.util.Utils")
        return str(utils.exceptionString(self.java_exception))


class InvalidConfigError(_JvmError, ValueError):
    """A setting has a value spark-ps cannot work with (the JVM's InvalidConfigException).

    ``str(error)`` is the JVM message, which names the setting, the value seen and what is
    allowed; :py:attr:`setting` is the param or ``spark.ps.*`` key to change, and
    :py:attr:`java_exception` the JVM exception (a py4j object).
    """

    def __init__(self, message: str, setting: str, java_exception: Any = None):
        super().__init__(message)
        self.setting = setting
        self.java_exception = java_exception


class InvalidDataError(InvalidConfigError):
    """The data does not fit the settings: a column that is missing or of the wrong type, an
    output column that already exists, a row with a NaN or infinite value, vectors wider
    than the model. :py:attr:`setting` names the column param (``featuresCol``,
    ``labelCol``, ...) or ``dataset``."""


class TrainingError(_JvmError, RuntimeError):
    """A fit failed for another reason than a setting or the data (the JVM's PsException):
    a server or executor lost with no way to recover, a training that diverged. ``str(error)``
    is the JVM message; :py:meth:`java_stack_trace` gives the Java side."""

    def __init__(self, message: str, java_exception: Any = None):
        super().__init__(message)
        self.java_exception = java_exception


def _is_data_setting(setting: str) -> bool:
    return setting.endswith("Col") or setting == "dataset"


def _is_instance(java_object: Any, class_name: str) -> bool:
    from py4j.java_gateway import is_instance_of
    from pyspark import SparkContext

    return is_instance_of(SparkContext._gateway, java_object, class_name)


def translate(error: Py4JJavaError) -> Optional[Exception]:
    """The Python exception for a failed JVM call, or None when the failure is not
    spark-ps's (see the module doc)."""
    cause = error.java_exception
    first_ps = None
    for _ in range(_MAX_CAUSES):
        if cause is None:
            break
        if _is_instance(cause, _INVALID_CONFIG):
            setting = str(cause.setting())
            kind = InvalidDataError if _is_data_setting(setting) else InvalidConfigError
            return kind(str(cause.getMessage()), setting, cause)
        if first_ps is None and _is_instance(cause, _PS_EXCEPTION):
            first_ps = cause
        cause = cause.getCause()
    if first_ps is not None:
        return TrainingError(str(first_ps.getMessage()), first_ps)
    return None


@contextmanager
def python_errors() -> Iterator[None]:
    """Raises the Python exception of :func:`translate` in place of a ``Py4JJavaError`` from
    the block, without the Java chain; other errors pass unchanged.

    Examples
    --------
    >>> with python_errors():  # doctest: +SKIP
    ...     java_estimator.fit(dataset._jdf)
    """
    try:
        yield
    except Py4JJavaError as error:
        translated = translate(error)
        if translated is None:
            raise
        raise translated from None
    except Exception as error:
        # A Spark Connect client gets the JVM exception as pyspark's UnknownException.
        found = _connect.invalid_config(error)
        if found is None:
            raise
        message, setting = found
        raise InvalidConfigError(message, setting) from None
