"""The fitted model explains itself: the trainer's params, coefficients, predictions, metrics;
and the docstring examples of sparkps.ml run as doctests."""

from __future__ import annotations

import doctest

import pytest
from pyspark.ml.evaluation import BinaryClassificationEvaluator, MulticlassClassificationEvaluator
from pyspark.ml.linalg import DenseMatrix, SparseVector
from pyspark.ml.tuning import CrossValidator, CrossValidatorModel, ParamGridBuilder

import sparkps.ml
from sparkps import PSTrainer, PSTrainerModel

from conftest import _data_dir


def _getter(stage, name: str):
    return getattr(stage, "get" + name[0].upper() + name[1:])()


def test_docstring_examples_run(spark, a9a, tmp_path):
    train, test = a9a
    a9a_path = _data_dir() / "a9a" / "a9a"
    result = doctest.testmod(
        sparkps.ml, extraglobs={"spark": spark, "train": train.limit(4000),
                                "test": test.limit(2000), "a9a_path": str(a9a_path),
                                "path": str(tmp_path)},
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.attempted >= 20
    assert result.failed == 0


def test_cross_validator_best_model_answers_every_param(a9a, tmp_path):
    train, _ = a9a
    small = train.limit(3000).cache()
    trainer = PSTrainer(numWorkers=2, maxEpochs=1, optimizer="sgd", batchSize=32,
                        regParam=0.001, seed=3)
    grid = ParamGridBuilder().addGrid(trainer.stepSize, [1e-4, 0.5]).build()
    cv = CrossValidator(estimator=trainer, estimatorParamMaps=grid,
                        evaluator=BinaryClassificationEvaluator(), numFolds=2, seed=1)
    cv_model = cv.fit(small)
    winner = max(zip(cv_model.avgMetrics, grid), key=lambda t: t[0])[1][trainer.stepSize]
    assert winner == 0.5, cv_model.avgMetrics  # a tiny step barely leaves zero
    best = cv_model.bestModel
    assert best.getStepSize() == winner

    expected = trainer.copy({trainer.stepSize: winner})
    names = [p.name for p in trainer.params if p.name != "numClasses"]

    def answers(model: PSTrainerModel) -> None:
        for name in names:
            assert _getter(model, name) == _getter(expected, name), name
        assert model.getNumClasses() == 0
        assert model.numClasses == 2
        assert model.coefficients.size == model.numFeatures == 123

    answers(best)
    cv_model.write().overwrite().save(str(tmp_path / "cv"))
    answers(CrossValidatorModel.load(str(tmp_path / "cv")).bestModel)
    small.unpersist()


def test_multinomial_model_shows_matrix_and_probabilities(spark):
    data = (spark.read.format("libsvm").option("numFeatures", "4")
            .load(str(_data_dir() / "spark" / "sample_multiclass_classification_data.txt")))
    model = PSTrainer(modelType="multinomial", numWorkers=2, batchSize=8, maxEpochs=5,
                      stepSize=0.3).fit(data)
    assert model.numClasses == 3
    matrix = model.coefficientMatrix
    assert isinstance(matrix, DenseMatrix)
    assert (matrix.numRows, matrix.numCols) == (3, 4)
    assert model.interceptVector.size == 3
    row = model.transform(data).select("features", "probability", "prediction").first()
    probability = model.predictProbability(row.features)
    assert probability.toArray().tolist() == pytest.approx(row.probability.toArray().tolist())
    assert probability.toArray().sum() == pytest.approx(1.0)
    assert model.predict(row.features) == row.prediction
    evaluation = model.evaluate(data)
    accuracy = MulticlassClassificationEvaluator(metricName="accuracy").evaluate(
        model.transform(data))
    assert evaluation.accuracy == pytest.approx(accuracy)
    assert "areaUnderROC" not in evaluation.metrics
    with pytest.raises(AttributeError, match="accuracy"):
        evaluation.areaUnderROC  # noqa: B018
    with pytest.raises(Exception, match="coefficientMatrix"):
        model.coefficients  # noqa: B018


def test_linear_model_is_a_regression_and_sparse_weights_stay_sparse(spark, a9a):
    train, _ = a9a
    small = train.limit(1000)
    linear = PSTrainer(modelType="linear", numWorkers=2, maxEpochs=1).fit(small)
    with pytest.raises(AttributeError, match="regression"):
        linear.numClasses  # noqa: B018
    assert set(linear.evaluate(small).metrics) >= {"rootMeanSquaredError", "r2"}

    sparse = PSTrainer(numWorkers=2, maxEpochs=1, pullMode="sparse").fit(small)
    assert isinstance(sparse.coefficients, SparseVector)
    assert sparse.coefficients.size == sparse.numFeatures == 123
