"""What spark-ps's pyspark.ml wrappers need on a Spark Connect session.

On Connect, pyspark.ml sends the JVM class name of an estimator to the server, which builds it
through the ``META-INF/services`` lists of the spark-ps jar, fits it, and keeps the model in
the session's ML cache; the Python model holds only a reference to it. Two things pyspark
cannot do for a class outside ``pyspark.ml``:

* loading: pyspark derives the JVM class from the Python module (``pyspark`` ->
  ``org.apache.spark``), which does not hold for ``sparkps.ml``; :class:`ConnectClassReader`
  sends the ``_java_class`` of the Python class instead;
* model attributes: the server answers only the methods of its fixed allowlist of Spark's own
  classes (``MLUtils.ALLOWED_ATTRIBUTES`` in Spark 4.1), so a call such as ``summary`` comes
  back as ``CONNECT_ML.ATTRIBUTE_NOT_ALLOWED``; :func:`call_java` turns that into a
  :class:`ConnectUnsupportedError` that says what to use instead.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional, Tuple, Type

from pyspark.ml.util import MLReader, RL

__all__ = ["ConnectClassReader", "ConnectUnsupportedError", "call_java", "invalid_config"]

_NOT_ALLOWED = "CONNECT_ML.ATTRIBUTE_NOT_ALLOWED"
_INVALID_CONFIG = "(io.sparkps.config.InvalidConfigException) "
_SETTING = re.compile(r"([A-Za-z][\w.]*)=")


class ConnectUnsupportedError(NotImplementedError, AttributeError):
    """A model attribute that a Spark Connect server of Spark 4.1 does not let clients read.

    Also an AttributeError, so that ``getattr(model, name, default)`` and ``hasattr`` treat
    it as a missing attribute: pyspark's ``Params.hasParam`` probes the model's properties so
    while copying params onto a fitted model.
    """


def call_java(call: Callable[..., Any], owner: str, name: str, *args: Any) -> Any:
    """``call(name, *args)``, with the server's refusal of ``name`` over Connect made clear.

    Parameters
    ----------
    call : the wrapper's ``_call_java`` (pyspark's, which goes through Connect when remote)
    owner : the Python class name, for the message
    name : the JVM method
    """
    try:
        return call(name, *args)
    except Exception as e:
        condition = getattr(e, "getCondition", lambda: None)()
        if condition != _NOT_ALLOWED:
            raise
        raise ConnectUnsupportedError(
            f"{owner}.{name} is not available on a Spark Connect session: a Spark 4.1 Connect "
            f"server answers only the model methods it lists for Spark's own model classes "
            f"(fit, transform, save and load of spark-ps work over Connect). Call {name} on a "
            f"classic session: sparkps.session() without remote=") from e


def invalid_config(error: BaseException) -> Optional[Tuple[str, str]]:
    """(message, setting) of an InvalidConfigException that reached a Connect client, or None.

    A Connect client gets a JVM exception that pyspark does not map as an ``UnknownException``
    whose message is the JVM class in parentheses, then the JVM message; the setting is not
    sent, so it is read from the message, which starts with ``setting=value`` (empty when it
    does not).
    """
    message = getattr(error, "_message", None)
    if not isinstance(message, str) or not message.startswith(_INVALID_CONFIG):
        return None
    message = message[len(_INVALID_CONFIG):]
    setting = _SETTING.match(message)
    return message, setting.group(1) if setting else ""


class ConnectClassReader(MLReader[RL]):
    """Loads a spark-ps estimator or model over Spark Connect with its ``_java_class``.

    Mirrors pyspark's ``RemoteMLReader`` for wrappers of JVM classes, naming the JVM class
    explicitly: the server calls that class's static ``load(path)`` (it must be listed in the
    jar's ``META-INF/services``) and keeps a loaded model in its ML cache.
    """

    def __init__(self, clazz: Type[RL]):
        super().__init__()
        self._clazz = clazz

    def load(self, path: str) -> RL:
        import pyspark.sql.connect.proto as pb2
        from pyspark.ml.connect.serialize import deserialize, deserialize_param
        from pyspark.ml.util import RemoteModelRef
        from pyspark.ml.wrapper import JavaModel
        from pyspark.sql.connect.session import SparkSession

        session = SparkSession.getActiveSession()
        if session is None:
            raise RuntimeError(f"Loading {self._clazz.__name__} over Spark Connect needs an "
                               "active Connect session")
        is_model = issubclass(self._clazz, JavaModel)
        kind = (pb2.MlOperator.OPERATOR_TYPE_MODEL if is_model
                else pb2.MlOperator.OPERATOR_TYPE_ESTIMATOR)
        command = pb2.Command()
        command.ml_command.read.CopyFrom(pb2.MlCommand.Read(
            operator=pb2.MlOperator(name=self._clazz._java_class, type=kind),  # type: ignore
            path=path))
        _, properties, _ = session.client.execute_command(command)
        info = deserialize(properties)
        instance = (self._clazz(RemoteModelRef(info.obj_ref.id))  # type: ignore[call-arg]
                    if is_model else self._clazz())
        instance._resetUid(info.uid)  # type: ignore[attr-defined]
        params = {k: deserialize_param(v) for k, v in info.params.params.items()
                  if instance.hasParam(k)}  # type: ignore[attr-defined]
        instance._set(**params)  # type: ignore[attr-defined]
        return instance
