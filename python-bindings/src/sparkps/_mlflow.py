"""A fit's params and per-epoch metrics in an MLflow run."""

from __future__ import annotations

import math
import time
from typing import Any, List, Optional

from sparkps._events import TrainingCallback, TrainingProgress, TrainingStart

__all__ = ["MLflowProgress"]


class MLflowProgress(TrainingCallback):
    """Logs each fit to MLflow: the trainer's params at the start, metrics at every epoch's end.

    Each fit gets a run of its own (so that the fits of a CrossValidator do not mix): a new
    run in ``experiment_name`` (created if missing), or else in the experiment of the active
    MLflow run, as its child (tag ``mlflow.parentRunId``), or else in the Default experiment.
    Given ``run_id``, every fit logs into that run instead, which is left open. A run this
    sink created ends FINISHED when the fit ends and FAILED when it fails.

    Per epoch, with the epoch as the step: ``loss``, ``examples_per_second`` and, with a
    validation set, ``validation_loss`` and ``validation_<metric>`` (e.g.
    ``validation_areaUnderROC``). At the end: ``final_loss``, ``train_seconds`` and, with a
    validation set, ``best_epoch`` and ``best_validation_loss``. Params
    are the trainer's params by name; the tags ``sparkps.framework``, ``sparkps.workers`` and
    ``sparkps.servers`` say what ran. :py:attr:`run_id` is the run of the last fit.

    Needs ``pip install mlflow``; ``tracking_uri`` defaults to MLflow's own
    (``MLFLOW_TRACKING_URI``).

    Examples
    --------
    >>> from sparkps.progress import MLflowProgress
    >>> sink = MLflowProgress(experiment_name="a9a")  # doctest: +SKIP
    >>> model = PSTrainer(maxEpochs=5).addCallback(sink).fit(train)  # doctest: +SKIP
    >>> from mlflow import MlflowClient
    >>> [m.step for m in MlflowClient().get_metric_history(sink.run_id, "loss")]  # doctest: +SKIP
    [1, 2, 3, 4, 5]
    """

    def __init__(self, experiment_name: Optional[str] = None, run_id: Optional[str] = None,
                 tracking_uri: Optional[str] = None, run_name: Optional[str] = None):
        try:
            import mlflow  # noqa: F401
        except ImportError as e:
            raise ImportError("MLflowProgress needs mlflow: pip install mlflow") from e
        from mlflow import MlflowClient

        self._client = MlflowClient(tracking_uri)
        self._tracking_uri = tracking_uri
        self._experiment_name = experiment_name
        self._given_run = run_id
        self._run_name = run_name
        self._created = False
        self.run_id: Optional[str] = run_id

    def _experiment_and_parent(self) -> tuple:
        import mlflow

        if self._experiment_name:
            found = self._client.get_experiment_by_name(self._experiment_name)
            return (found.experiment_id if found is not None
                    else self._client.create_experiment(self._experiment_name)), None
        active = mlflow.active_run()
        same_store = self._tracking_uri is None or self._tracking_uri == mlflow.get_tracking_uri()
        if active is not None and same_store:
            return active.info.experiment_id, active.info.run_id
        return "0", None

    def fitStarted(self, start: TrainingStart) -> None:
        from mlflow.entities import Param

        if self._given_run is None:
            experiment, parent = self._experiment_and_parent()
            tags = {"mlflow.parentRunId": parent} if parent else {}
            run = self._client.create_run(experiment, tags=tags,
                                          run_name=self._run_name or f"{start.framework} fit")
            self.run_id, self._created = run.info.run_id, True
        assert self.run_id is not None
        self._client.log_batch(self.run_id, params=[Param(k, v) for k, v in
                                                    sorted(start.params.items())])
        for key, value in (("sparkps.framework", start.framework),
                           ("sparkps.workers", start.num_workers),
                           ("sparkps.servers", start.num_servers)):
            self._client.set_tag(self.run_id, key, str(value))

    def progressed(self, progress: TrainingProgress) -> None:
        if not progress.epoch_ended or self.run_id is None:
            return
        figures = {"loss": progress.loss, "examples_per_second": progress.examples_per_second}
        if not math.isnan(progress.validation_loss):
            figures["validation_loss"] = progress.validation_loss
        if progress.validation_metric and not math.isnan(progress.validation_value):
            figures["validation_" + progress.validation_metric] = progress.validation_value
        self._log(figures, progress.epoch)

    def fitEnded(self, summary: Any) -> None:
        if self.run_id is None:
            return
        figures = {"final_loss": summary.final_loss, "train_seconds": summary.train_seconds}
        validation = getattr(summary, "validation", None)
        if validation is not None and validation.best_epoch > 0:
            figures["best_epoch"] = validation.best_epoch
            figures["best_validation_loss"] = validation.loss[validation.best_epoch - 1]
        self._log(figures, len(summary.epoch_loss))
        if self._created:
            self._client.set_terminated(self.run_id, "FINISHED")

    def fitFailed(self, error: BaseException) -> None:
        if self.run_id is not None and self._created:
            self._client.set_terminated(self.run_id, "FAILED")

    def _log(self, figures: dict, step: int) -> None:
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        metrics: List[Metric] = [Metric(k, float(v), now, step) for k, v in figures.items()
                                 if not math.isnan(v)]
        assert self.run_id is not None
        self._client.log_batch(self.run_id, metrics=metrics)
