"""PSTrainer and PSTrainerModel from Python: training, Pipelines, persistence, errors."""

from __future__ import annotations

import dataclasses
import os

import pytest
from pyspark.errors import IllegalArgumentException
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import BinaryClassificationEvaluator
from pyspark.ml.feature import StandardScaler
from pyspark.ml.linalg import Vectors
from pyspark.ml.param import Param
from pyspark.ml.wrapper import JavaParams

import sparkps
from sparkps import InvalidConfigError, PSTrainer, PSTrainerModel, TrainingSummary

MIN_AUC = 0.89
EPOCHS = 3


def auc(scored) -> float:
    return BinaryClassificationEvaluator().evaluate(scored)


def probabilities(model, df) -> list:
    return [r.probability.toArray().tolist() for r in model.transform(df).select("probability").collect()]


@pytest.fixture(scope="module")
def model(a9a) -> PSTrainerModel:
    train, _ = a9a
    return PSTrainer(framework="sandblaster", numWorkers=2, maxEpochs=EPOCHS).fit(train)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def test_summary_mirrors_the_jvm_record(model):
    """Every component of the JVM record is a field of the dataclass, by its snake_case name,
    except the per-worker details, which stay in the JVM."""
    components = model._java_obj.summary().getClass().getRecordComponents()
    jvm = {_snake(c.getName()) for c in components} - {"workers"}
    python = {f.name for f in dataclasses.fields(TrainingSummary)}
    assert jvm <= python, f"missing in Python: {sorted(jvm - python)}"
    derived = {"examples_per_second", "final_loss"}
    assert python - derived <= jvm, f"not in the JVM record: {sorted(python - derived - jvm)}"


def test_sandblaster_reaches_auc(model, a9a):
    _, test = a9a
    assert isinstance(model, PSTrainerModel)
    assert model.numFeatures == 123
    assert auc(model.transform(test)) >= MIN_AUC


def test_summary_is_plain_python(model):
    assert model.has_summary
    s = model.summary
    assert isinstance(s, TrainingSummary)
    assert s.framework == "sandblaster"
    assert (s.num_workers, s.num_servers) == (2, 2)
    assert len(s.epoch_loss) == EPOCHS
    assert len(s.step_loss) * s.num_workers == s.total_steps
    assert all(type(x) is float for x in s.step_loss)
    assert len(s.step_seconds) == len(s.step_loss)
    assert all(type(x) is float for x in s.step_seconds)
    assert all(a < b for a, b in zip(s.step_seconds, s.step_seconds[1:]))
    assert 0 < s.step_seconds[-1] <= s.train_seconds
    assert all(type(x) is float for x in s.epoch_loss)
    assert s.final_loss == s.epoch_loss[-1] < 0.4
    assert type(s.total_steps) is int and s.total_steps > 0
    # synchronous workers run equal step counts, so the last batches are rounded
    assert abs(s.examples - EPOCHS * 32561) <= EPOCHS * 2 * 64
    assert s.train_seconds > 0 and s.examples_per_second > 0
    assert s.server_updates > 0 and s.server_shares >= s.server_updates
    assert s.server_update_bytes > 0


def test_model_save_load_keeps_probabilities(model, a9a, tmp_path):
    _, test = a9a
    path = str(tmp_path / "model")
    model.write().overwrite().save(path)
    loaded = PSTrainerModel.load(path)
    assert isinstance(loaded, PSTrainerModel)
    assert loaded.uid == model.uid
    assert not loaded.has_summary
    with pytest.raises(RuntimeError, match="No training summary"):
        loaded.summary
    assert probabilities(loaded, test) == probabilities(model, test)
    # the JVM-class-name route of CrossValidator and Pipeline._from_java
    wrapped = JavaParams._from_java(loaded._java_obj)
    assert isinstance(wrapped, PSTrainerModel) and wrapped.uid == model.uid


def test_trainer_save_load_keeps_params(tmp_path):
    trainer = PSTrainer(framework="downpour", numWorkers=4, stepSize=0.05, hiddenLayers=[8, 4])
    path = str(tmp_path / "trainer")
    trainer.save(path)
    loaded = PSTrainer.load(path)
    assert loaded.uid == trainer.uid
    assert loaded.getFramework() == "downpour"
    assert loaded.getNumWorkers() == 4
    assert loaded.getStepSize() == 0.05
    assert loaded.getHiddenLayers() == [8, 4]
    assert loaded.getMaxEpochs() == 10


def test_pipeline_fit_and_pipeline_model_save_load(a9a, tmp_path):
    train, test = a9a
    pipeline = Pipeline(stages=[
        StandardScaler(inputCol="features", outputCol="scaled", withMean=False),
        PSTrainer(featuresCol="scaled", numWorkers=2, maxEpochs=EPOCHS),
    ])
    pipeline.write().overwrite().save(str(tmp_path / "pipeline"))
    reloaded = Pipeline.load(str(tmp_path / "pipeline"))
    assert isinstance(reloaded.getStages()[1], PSTrainer)
    assert reloaded.getStages()[1].getFeaturesCol() == "scaled"

    fitted = pipeline.fit(train)
    assert isinstance(fitted.stages[-1], PSTrainerModel)
    assert auc(fitted.transform(test)) >= MIN_AUC

    path = str(tmp_path / "pipeline-model")
    fitted.write().overwrite().save(path)
    loaded = PipelineModel.load(path)
    assert isinstance(loaded.stages[-1], PSTrainerModel)
    assert loaded.stages[-1].getFeaturesCol() == "scaled"
    assert probabilities(loaded, test) == probabilities(fitted, test)


@pytest.mark.parametrize("framework", ["downpour", "hogwild"])
def test_async_presets_reach_auc(a9a, framework):
    train, test = a9a
    model = PSTrainer(framework=framework, numWorkers=2, maxEpochs=EPOCHS).fit(train)
    assert model.summary.framework == framework
    assert auc(model.transform(test)) >= MIN_AUC


@pytest.mark.parametrize("setting, value", [("framework", "ring"), ("modelType", "svm"),
                                            ("pullMode", "rows"), ("handleInvalid", "keep")])
def test_bad_setting_names_it(a9a, setting, value):
    train, _ = a9a
    trainer = PSTrainer(numWorkers=2, maxEpochs=1)
    trainer._set(**{setting: value})
    with pytest.raises(InvalidConfigError) as raised:
        trainer.fit(train)
    assert raised.value.setting == setting
    assert setting in str(raised.value) and value in str(raised.value)


def _with_bad_values(spark, bad: dict):
    """40 rows of a separable problem; ``bad`` maps a row to (feature index or -1 for the
    label, value)."""
    rows = []
    for i in range(40):
        label = float(i % 2)
        x = [1.0 if label else -1.0, float(i % 3)]
        feature, value = bad.get(i, (None, None))
        if feature == -1:
            label = value
        elif feature is not None:
            x[feature] = value
        rows.append((label, Vectors.dense(x)))
    return spark.createDataFrame(rows, ["label", "features"])


@pytest.mark.parametrize("feature, value, setting, shown", [
    (1, float("nan"), "featuresCol", "the value NaN at feature 1"),
    (0, float("inf"), "featuresCol", "the value Infinity at feature 0"),
    (1, float("-inf"), "featuresCol", "the value -Infinity at feature 1"),
    (-1, float("nan"), "labelCol", "the label NaN"),
])
def test_handle_invalid_error_names_the_column_and_value(spark, feature, value, setting, shown):
    data = _with_bad_values(spark, {7: (feature, value)})
    with pytest.raises(InvalidConfigError) as raised:
        PSTrainer(numWorkers=2, numServers=1, maxEpochs=1).fit(data)
    column = "label" if setting == "labelCol" else "features"
    assert raised.value.setting == setting
    assert str(raised.value).startswith(f"{setting}={column}: row "), str(raised.value)
    assert shown in str(raised.value) and "handleInvalid=skip" in str(raised.value)


def test_handle_invalid_skip_reports_skipped_rows(spark):
    data = _with_bad_values(spark, {3: (0, float("nan")), 20: (-1, float("inf"))})
    trainer = PSTrainer(numWorkers=2, numServers=1, maxEpochs=2, handleInvalid="skip")
    assert trainer.getHandleInvalid() == "skip"
    summary = trainer.fit(data).summary
    assert summary.skipped_rows == 2
    assert summary.final_loss == summary.final_loss  # not NaN


def test_jvm_param_validator_names_the_param(a9a):
    train, _ = a9a
    with pytest.raises(IllegalArgumentException, match="numWorkers"):
        PSTrainer(numWorkers=-1).fit(train)


def test_params_mirror_the_jvm(spark):
    trainer = PSTrainer()
    java = trainer._java_obj
    assert sorted(p.name for p in trainer.params) == sorted(p.name() for p in java.params())
    shared = {p.name for c in PSTrainer.__mro__ if c.__module__ == "pyspark.ml.param.shared"
              for p in vars(c).values() if isinstance(p, Param)}
    assert {"featuresCol", "stepSize", "seed", "handleInvalid"} <= shared
    for param in trainer.params:
        java_param = java.getParam(param.name)
        if param.name not in shared:  # pyspark's shared mixins bring their own docs
            assert param.doc == java_param.doc(), param.name
        value = java.getOrDefault(java_param)
        expected = list(value) if param.name == "hiddenLayers" else value
        assert trainer.getOrDefault(param) == expected, param.name
        getter = getattr(trainer, "get" + param.name[0].upper() + param.name[1:])
        assert getter() == expected, param.name
    # The model shares the trainer's params; its numClasses is the count of its classes.
    model_params = {p.name for p in PSTrainerModel().params}
    assert model_params == {p.name for p in trainer.params} - {"numClasses"}


def test_keyword_only_constructor_and_setters():
    with pytest.raises(TypeError):
        PSTrainer("features")  # type: ignore[misc]
    trainer = PSTrainer(maxEpochs=2).setFramework("hogwild").setStepSize(1).setShuffle(False)
    assert trainer.getMaxEpochs() == 2
    assert trainer.getFramework() == "hogwild"
    assert trainer.getStepSize() == 1.0 and isinstance(trainer.getStepSize(), float)
    assert trainer.getShuffle() is False
    assert trainer.isSet(trainer.framework) and not trainer.isSet(trainer.numServers)
    assert trainer.setParams(numServers=3).getNumServers() == 3


def test_jar_path(monkeypatch, tmp_path):
    jar = tmp_path / "x.jar"
    jar.write_bytes(b"")
    monkeypatch.setenv("SPARKPS_JAR", str(jar))
    assert sparkps.jar_path() == str(jar)
    monkeypatch.setenv("SPARKPS_JAR", str(tmp_path / "missing.jar"))
    with pytest.raises(FileNotFoundError, match="SPARKPS_JAR"):
        sparkps.jar_path()
    monkeypatch.delenv("SPARKPS_JAR")
    monkeypatch.chdir(tmp_path)
    try:
        found = sparkps.jar_path()
    except FileNotFoundError as e:
        assert "mvn -DskipTests package" in str(e)
    else:
        assert found.endswith("-all.jar") and os.path.isfile(found)


def test_checkpoint_params_write_and_resume(a9a, tmp_path):
    """checkpointDir and checkpointInterval reach the JVM: a fit writes checkpoints, the next
    fit with the same directory resumes from the latest, and a bad interval is named."""
    train, _ = a9a
    small = train.limit(3000)
    trainer = PSTrainer(numWorkers=2, maxEpochs=2, optimizer="sgd", seed=5,
                        checkpointDir=str(tmp_path), checkpointInterval=8)
    assert trainer.getCheckpointInterval() == "8"
    first = trainer.fit(small)
    assert first.summary.resumed_from_step is None
    committed = sorted(p.parent.name for p in tmp_path.glob("step-*/MANIFEST"))
    assert committed, list(tmp_path.iterdir())

    second = trainer.fit(small)
    assert type(second.summary.resumed_from_step) is int
    assert second.summary.resumed_from_step > 0
    assert f"step-{second.summary.resumed_from_step}-" in " ".join(committed)

    with pytest.raises(InvalidConfigError) as raised:
        trainer.copy().setCheckpointInterval("soon").fit(small)
    assert raised.value.setting == "checkpointInterval"
