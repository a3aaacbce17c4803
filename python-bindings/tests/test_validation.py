"""Validation rows and early stopping from Python: the summary's validation curve."""

from __future__ import annotations


import pytest
from pyspark.sql.functions import col, hash as hash_, lit, pmod

from sparkps import InvalidConfigError, PSTrainer
from sparkps.ml import ValidationSummary

MAX_EPOCHS = 12


@pytest.fixture(scope="module")
def held_out(a9a):
    """a9a's training rows with about 20% marked ``isVal`` by a seeded hash."""
    train, _ = a9a
    return train.withColumn(
        "isVal", pmod(hash_(col("features").cast("string"), lit(7)), lit(5)) == 0)


def test_early_stopping_fills_the_validation_summary(held_out):
    model = PSTrainer(framework="sandblaster", numWorkers=2, numServers=2, optimizer="sgd",
                      stepSize=2.0, maxEpochs=MAX_EPOCHS, validationIndicatorCol="isVal",
                      earlyStoppingRounds=2, validationTol=2e-3).fit(held_out)
    s = model.summary
    v = s.validation
    assert isinstance(v, ValidationSummary)
    assert v.metric == "areaUnderROC"
    assert v.stopped_early is True
    ran = len(v.loss)
    assert ran < MAX_EPOCHS
    assert len(v.metric_values) == ran == len(s.epoch_loss)
    assert all(type(x) is float for x in v.loss + v.metric_values)
    assert type(v.best_epoch) is int and v.best_epoch == ran - 2
    assert v.best_loss == v.loss[v.best_epoch - 1]
    assert all(loss >= v.best_loss - 2e-3 for loss in v.loss[v.best_epoch:])
    assert all(0.85 < auc < 0.95 for auc in v.metric_values)
    assert v.rows == held_out.filter("isVal").count()


def test_no_validation_set_gives_none(spark):
    from pyspark.ml.linalg import Vectors
    data = spark.createDataFrame(
        [(float(i % 2), Vectors.dense([1.0 if i % 2 else -1.0, float(i % 3)]))
         for i in range(40)], ["label", "features"])
    summary = PSTrainer(numWorkers=2, numServers=1, maxEpochs=1).fit(data).summary
    assert summary.validation is None


@pytest.mark.parametrize("settings, named", [
    ({"validationIndicatorCol": "label"}, "validationIndicatorCol"),
    ({"earlyStoppingRounds": 2}, "earlyStoppingRounds"),
])
def test_bad_validation_setting_names_it(held_out, settings, named):
    with pytest.raises(InvalidConfigError) as raised:
        PSTrainer(numWorkers=2, maxEpochs=1, **settings).fit(held_out)
    assert raised.value.setting == named
    assert named in str(raised.value)
