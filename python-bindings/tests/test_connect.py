"""PSTrainer on Spark Connect: a real local Connect server that pyspark starts, in a child process.

The child (connect_fit.py) runs apart from this process's classic session: once a Connect
session starts, pyspark treats every session of its process as remote.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sparkps
from conftest import _data_dir

_TESTS = Path(__file__).resolve().parent
_REPO = _TESTS.parents[1]


def _jar() -> str:
    try:
        return sparkps.jar_path()
    except FileNotFoundError:
        built = sorted((_REPO / "spark-ps-examples" / "target").glob("spark-ps-examples-*-all.jar"))
        if not built:
            raise
        return str(built[-1])


def test_connect_fit_transform_save_load(tmp_path: Path) -> None:
    a9a = _data_dir() / "a9a"
    if not (a9a / "a9a").is_file():
        pytest.skip(f"{a9a} is missing (set SPARKPS_DATA_DIR to the folder holding a9a/)")
    env = dict(os.environ)
    package_root = str(Path(sparkps.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([package_root] + [p for p in [env.get("PYTHONPATH")] if p])
    env["SPARKPS_JAR"] = _jar()
    # pyspark's local Connect server then listens on an ephemeral port, not on 15002.
    env["SPARK_TESTING"] = "1"
    env.pop("SPARK_REMOTE", None)
    run = subprocess.run([sys.executable, str(_TESTS / "connect_fit.py"), str(a9a), str(tmp_path)],
                         env=env, capture_output=True, text=True, timeout=600)
    lines = [l for l in run.stdout.splitlines() if l.startswith("RESULT ")]
    assert run.returncode == 0 and lines, f"exit {run.returncode}\n{run.stderr[-4000:]}"
    result = json.loads(lines[-1][len("RESULT "):])

    assert result["remote"] == "pyspark.sql.connect.session"
    assert result["model_class"] == "PSTrainerModel"
    assert result["auc"] >= 0.89, result
    assert {"rawPrediction", "probability", "prediction"} <= set(result["columns"])
    assert result["loaded_uid_matches"]
    assert result["loaded_auc"] == pytest.approx(result["auc"], abs=1e-12)
    assert "p" in result["renamed_columns"] and "probability" not in result["renamed_columns"]
    assert result["pipeline_auc"] == pytest.approx(result["auc"], abs=1e-12)
    assert result["trainer_params"] == [3, 7, True]
    message, setting = result["bad_setting"]
    assert setting == "framework" and message.startswith("framework='ring': unknown"), message
    assert result["cache_limit"] == "1"
    assert result["offloaded"] == ["io.sparkps.spark.PSTrainerModel"]
    assert "Spark Connect" in result["summary_error"]
    assert "sparkps.session() without remote=" in result["summary_error"]


def test_session_refuses_an_unknown_remote() -> None:
    with pytest.raises(ValueError, match="remote='spark://host:7077'"):
        sparkps.session(remote="spark://host:7077")
