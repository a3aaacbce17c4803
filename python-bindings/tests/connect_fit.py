"""Fits, scores, saves and loads a PSTrainer on a local Spark Connect session; prints JSON.

Run by test_connect.py in a process of its own: once a Connect session starts, pyspark treats
every session of the process as remote, so it cannot share the classic session of the other
tests. Usage: ``python connect_fit.py A9A_DIR OUT_DIR``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import BinaryClassificationEvaluator
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.functions import col, when

import sparkps
from sparkps import PSTrainer, PSTrainerModel
from sparkps._connect import ConnectUnsupportedError


_CACHE_LIMIT = "spark.connect.session.connectML.mlCache.memoryControl.maxInMemorySize"


def _libsvm(spark: SparkSession, path: str) -> DataFrame:
    return (spark.read.format("libsvm").option("numFeatures", "123").load(path)
            .withColumn("label", when(col("label") > 0, 1.0).otherwise(0.0)))


def main(a9a_dir: str, out_dir: str) -> None:
    jvm_tmp = Path(out_dir) / "jvm-tmp"
    jvm_tmp.mkdir()
    # An ML cache of 1 byte makes the server offload every model to its local disk at once
    # and load it back when used (what it does to a model left idle for 15 minutes), so the
    # model also goes through PSTrainerModel's write().saveToLocal and read().loadFromLocal.
    spark = sparkps.session(app_name="sparkps-connect-tests", remote="local[2]",
                            conf={"spark.ui.enabled": "false",
                                  "spark.sql.shuffle.partitions": "4",
                                  _CACHE_LIMIT: "1",
                                  # The server's temporary files (the offloaded models among
                                  # them) go to the caller's temporary folder.
                                  "spark.driver.extraJavaOptions":
                                      f"-Djava.io.tmpdir={jvm_tmp}"})
    try:
        result = {"remote": type(spark).__module__, "cache_limit": spark.conf.get(_CACHE_LIMIT)}
        train = _libsvm(spark, f"{a9a_dir}/a9a")
        test = _libsvm(spark, f"{a9a_dir}/a9a.t")
        trainer = PSTrainer(numWorkers=2, numServers=2, maxEpochs=3, batchSize=64,
                            stepSize=0.1, seed=7)
        fitted = Pipeline(stages=[trainer]).fit(train)
        model = fitted.stages[0]
        result["model_class"] = type(model).__name__
        auc = BinaryClassificationEvaluator().evaluate(model.transform(test))
        result["auc"] = auc
        result["columns"] = model.transform(test.limit(5)).columns

        path = f"{out_dir}/model"
        model.write().overwrite().save(path)
        loaded = PSTrainerModel.load(path)
        result["loaded_uid_matches"] = loaded.uid == model.uid
        result["loaded_auc"] = BinaryClassificationEvaluator().evaluate(loaded.transform(test))
        renamed = loaded.copy().setProbabilityCol("p")
        result["renamed_columns"] = renamed.transform(test.limit(5)).columns

        fitted.write().overwrite().save(f"{out_dir}/pipeline")
        result["pipeline_auc"] = BinaryClassificationEvaluator().evaluate(
            PipelineModel.load(f"{out_dir}/pipeline").transform(test))

        trainer.write().overwrite().save(f"{out_dir}/trainer")
        reloaded = PSTrainer.load(f"{out_dir}/trainer")
        result["trainer_params"] = [reloaded.getMaxEpochs(), reloaded.getSeed(),
                                    reloaded.uid == trainer.uid]
        try:
            PSTrainer(numWorkers=2, maxEpochs=1, framework="ring").fit(train)
            result["bad_setting"] = None
        except sparkps.InvalidConfigError as e:
            result["bad_setting"] = [str(e), e.setting]

        result["offloaded"] = sorted({p.read_text() for p in jvm_tmp.glob(
            "spark_connect_model_cache*/**/__model_class_name__")})
        try:
            model.summary
            result["summary_error"] = None
        except ConnectUnsupportedError as e:
            result["summary_error"] = str(e)
        print("RESULT " + json.dumps(result), flush=True)
    finally:
        spark.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
