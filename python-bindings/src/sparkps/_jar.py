"""Finding the spark-ps jar and starting a SparkSession that has it."""

from __future__ import annotations

import glob
import os
import warnings
from pathlib import Path
from typing import Iterator, Mapping, Optional

from pyspark.sql import SparkSession

__all__ = ["jar_path", "session"]

_ENV_JAR = "SPARKPS_JAR"
_BUILT_JAR = "spark-ps-examples-*-all.jar"


def _newest(pattern: str) -> Optional[str]:
    found = glob.glob(pattern)
    return max(found, key=os.path.getmtime) if found else None


def _upward(start: Path) -> Iterator[Path]:
    yield start
    yield from start.parents


def jar_path() -> str:
    """The spark-ps jar (spark-ps, its examples and ND4J; everything but Spark).

    Looked for, in this order:

    1. the ``SPARKPS_JAR`` environment variable, which overrides the others;
    2. the jar inside the installed package, ``sparkps/jars/*.jar``: the wheel built from
       ``python-bindings`` after the Maven build carries the checkout's
       ``spark-ps-examples-*-all.jar`` there;
    3. for a package without one (an editable install, or ``PYTHONPATH=src`` in a checkout),
       ``spark-ps-examples/target/spark-ps-examples-*-all.jar`` in the first folder upward of
       this package file (then of the working directory) that has a
       ``spark-ps-examples/target`` folder.

    Raises
    ------
    FileNotFoundError
        when none of these has a jar, saying how to build one.

    Examples
    --------
    >>> import sparkps
    >>> sparkps.jar_path().endswith(".jar")  # doctest: +SKIP
    True
    """
    configured = os.environ.get(_ENV_JAR)
    if configured:
        if not os.path.isfile(configured):
            raise FileNotFoundError(f"{_ENV_JAR}={configured} is not a file")
        return configured
    shipped = _newest(str(Path(__file__).resolve().parent / "jars" / "*.jar"))
    if shipped:
        return shipped
    looked = []
    for start in (Path(__file__).resolve().parent, Path.cwd().resolve()):
        for folder in _upward(start):
            target = folder / "spark-ps-examples" / "target"
            if target.is_dir():
                looked.append(str(target))
                built = _newest(str(target / _BUILT_JAR))
                if built:
                    return built
                break
    where = f" (no {_BUILT_JAR} in {', '.join(looked)})" if looked else ""
    raise FileNotFoundError(
        f"spark-ps jar not found{where}: this sparkps package carries none. In the spark-ps "
        f"checkout run `mvn -DskipTests package` (builds {_BUILT_JAR}), then "
        f"`python3 -m pip install ./python-bindings` (a package with the jar inside); or set "
        f"{_ENV_JAR} to the path of {_BUILT_JAR}"
    )


def session(
    app_name: str = "sparkps",
    master: str = "local[2]",
    conf: Optional[Mapping[str, str]] = None,
    remote: Optional[str] = None,
) -> SparkSession:
    """A SparkSession with the spark-ps jar on its classpath, classic or Spark Connect.

    ``spark.jars`` is set to :func:`jar_path` (appended to any ``spark.jars`` in ``conf``);
    ``conf`` holds further Spark settings, ``spark.ps.*`` ones included. With a ``local``
    master the driver binds to 127.0.0.1 unless ``conf`` says otherwise.

    ``remote`` asks for a Spark Connect session instead:

    * ``"local"`` or ``"local[N]"`` starts pyspark's local Connect server in this process,
      on a local[N] Spark driver that has the spark-ps jar and ``conf`` (``master`` is not
      used), and connects to it on ``sc://localhost`` (port 15002);
    * an ``sc://host:port`` URL connects to a running Connect server, which must have been
      started with the jar (``start-connect-server.sh --jars <jar_path()>``, or pyspark's
      ``spark-submit --class org.apache.spark.sql.connect.service.SparkConnectServer
      --jars <jar_path()>``); ``app_name`` and ``master`` are the server's, and only runtime
      settings of ``conf`` (``spark.sql.*``) reach it.

    Once a Connect session has started, pyspark treats every session of this process as
    remote: a process runs classic or Connect sessions, not both.

    The jar reaches the JVM only when this call starts it: if a SparkContext is already
    running in this process, it is returned as is (Spark's ``getOrCreate``).

    Examples
    --------
    >>> import sparkps
    >>> spark = sparkps.session(master="local[2]",
    ...                         conf={"spark.ps.server.memory": "512m"})  # doctest: +SKIP
    >>> spark.stop()  # doctest: +SKIP
    >>> connect = sparkps.session(remote="local[2]")  # doctest: +SKIP
    """
    settings = dict(conf or {})
    if remote is not None and not remote.startswith(("local", "sc://")):
        raise ValueError(f"remote={remote!r}: give \"local\", \"local[N]\" (a local Spark "
                         f"Connect server with the spark-ps jar) or an sc://host:port URL")
    if remote is not None and remote.startswith("sc://"):
        builder = SparkSession.builder.remote(remote)
        for key, value in settings.items():
            builder = builder.config(key, value)
        return builder.getOrCreate()
    jars = [j for j in settings.pop("spark.jars", "").split(",") if j]
    settings["spark.jars"] = ",".join(jars + [jar_path()])
    driver = master if remote is None else remote
    if driver.startswith("local"):
        settings.setdefault("spark.driver.host", "127.0.0.1")
        settings.setdefault("spark.driver.bindAddress", "127.0.0.1")
    builder = SparkSession.builder.appName(app_name)
    builder = builder.master(master) if remote is None else builder.remote(remote)
    for key, value in settings.items():
        builder = builder.config(key, value)
    if remote is None:
        return builder.getOrCreate()
    with warnings.catch_warnings():
        # pyspark starts the local server with every setting, then offers them all again to
        # the Connect session, which warns about each static one (spark.jars, ...) it keeps.
        warnings.filterwarnings("ignore", message=r"Failed to set spark\..*CANNOT_MODIFY_CONFIG")
        return builder.getOrCreate()
