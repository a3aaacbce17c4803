"""Fixtures: one local[2] SparkSession with the spark-ps jar, and a9a from shared/data."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, Tuple

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.functions import col, when

import sparkps

_REPO = Path(__file__).resolve().parents[2]


def _data_dir() -> Path:
    configured = os.environ.get("SPARKPS_DATA_DIR")
    return Path(configured) if configured else _REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    try:
        sparkps.jar_path()
    except FileNotFoundError:
        # An installed (not editable) package looks upward from site-packages and the working
        # directory; point it at this checkout's build when pytest runs from elsewhere.
        built = sorted((_REPO / "spark-ps-examples" / "target").glob("spark-ps-examples-*-all.jar"))
        if not built:
            raise
        os.environ["SPARKPS_JAR"] = str(built[-1])
    session = sparkps.session(app_name="sparkps-tests", master="local[2]",
                              conf={"spark.sql.shuffle.partitions": "4",
                                    "spark.ui.enabled": "false"})
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _libsvm(spark: SparkSession, path: Path) -> DataFrame:
    if not path.is_file():
        pytest.skip(f"{path} is missing (set SPARKPS_DATA_DIR to the folder holding a9a/)")
    return (spark.read.format("libsvm").option("numFeatures", "123").load(str(path))
            .withColumn("label", when(col("label") > 0, 1.0).otherwise(0.0)))


@pytest.fixture(scope="session")
def a9a(spark: SparkSession) -> Tuple[DataFrame, DataFrame]:
    """(train, test) of a9a with labels 0/1, cached."""
    folder = _data_dir() / "a9a"
    train = _libsvm(spark, folder / "a9a").cache()
    test = _libsvm(spark, folder / "a9a.t").cache()
    train.count()
    test.count()
    return train, test
