"""The events of a running fit as Python hears them, and the callback interface."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Dict, Optional

from py4j.java_gateway import JavaObject

__all__ = ["TrainingStart", "TrainingProgress", "TrainingCallback"]


@dataclass(frozen=True)
class TrainingStart:
    """What a fit is about to train (the JVM's ``io.sparkps.spark.TrainingStart``).

    ``steps_per_epoch`` are each worker's steps per epoch, ``examples_per_epoch`` the
    training examples of one epoch over all workers, ``params`` the trainer's params by name,
    as strings.
    """

    framework: str
    num_workers: int
    num_servers: int
    max_epochs: int
    steps_per_epoch: int
    examples_per_epoch: int
    params: Dict[str, str]

    @classmethod
    def _from_java(cls, s: JavaObject) -> "TrainingStart":
        params = s.params()
        return cls(framework=str(s.framework()), num_workers=int(s.numWorkers()),
                   num_servers=int(s.numServers()), max_epochs=int(s.maxEpochs()),
                   steps_per_epoch=int(s.stepsPerEpoch()),
                   examples_per_epoch=int(s.examplesPerEpoch()),
                   params={str(k): str(params.get(k)) for k in params.keySet()})


@dataclass(frozen=True)
class TrainingProgress:
    """Where a running fit stands (the JVM's ``io.sparkps.spark.TrainingProgress``).

    ``epoch`` is the epoch under way, or the one that just ended when ``epoch_ended``;
    ``examples`` counts each example once per epoch it was used in; ``loss`` is the mean
    training loss of ``epoch`` so far; ``eta_seconds`` is NaN before there is a pace. With a
    validation set, at epoch ends, ``validation_loss`` and ``validation_value`` (the figure
    named by ``validation_metric``: ``areaUnderROC``, ``accuracy`` or ``rmse``) hold the
    validation figures; otherwise they are NaN and ``validation_metric`` is None.
    """

    epoch: int
    max_epochs: int
    epoch_ended: bool
    examples: int
    loss: float
    examples_per_second: float
    elapsed_seconds: float
    eta_seconds: float
    validation_loss: float = math.nan
    validation_metric: Optional[str] = None
    validation_value: float = math.nan

    @classmethod
    def _from_java(cls, p: JavaObject) -> "TrainingProgress":
        metric = p.validationMetric()
        return cls(epoch=int(p.epoch()), max_epochs=int(p.maxEpochs()),
                   epoch_ended=bool(p.epochEnded()), examples=int(p.examples()),
                   loss=float(p.loss()), examples_per_second=float(p.examplesPerSecond()),
                   elapsed_seconds=float(p.elapsedSeconds()),
                   eta_seconds=float(p.etaSeconds()),
                   validation_loss=float(p.validationLoss()),
                   validation_metric=None if metric is None else str(metric),
                   validation_value=float(p.validationValue()))

    def describe(self) -> str:
        """One line: epoch i/n, loss, examples/s, elapsed, ETA and validation figures."""
        parts = [f"epoch {self.epoch}/{self.max_epochs}" + ("" if self.epoch_ended
                                                             else " (running)"),
                 f"loss {self.loss:.4f}",
                 f"{self.examples_per_second:,.0f} ex/s",
                 f"elapsed {_seconds(self.elapsed_seconds)}",
                 f"ETA {_seconds(self.eta_seconds)}"]
        if not math.isnan(self.validation_loss):
            parts.append(f"validation loss {self.validation_loss:.4f}")
        if self.validation_metric and not math.isnan(self.validation_value):
            parts.append(f"{self.validation_metric} {self.validation_value:.4f}")
        return "  ".join(parts)


def _seconds(value: float) -> str:
    if math.isnan(value):
        return "?"
    if value < 60:
        return f"{value:.1f} s"
    minutes, secs = divmod(int(round(value)), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"


class TrainingCallback:
    """Hears a fit on the thread that called ``fit``: subclass and override what you need.

    The methods mirror the JVM's ``io.sparkps.spark.TrainingListener``, plus
    :meth:`fitFailed`, which only Python hears. A callback that raises is logged (logger
    ``sparkps.progress``) and called no more; the fit goes on. A slow callback delays the
    next event, never the training.
    """

    def fitStarted(self, start: TrainingStart) -> None:
        """The fit has created its params and is about to run its first step."""

    def progressed(self, progress: TrainingProgress) -> None:
        """Progress: at every epoch's end, and at the progress interval within long epochs."""

    def fitEnded(self, summary: Any) -> None:
        """The fit has ended; ``summary`` is the model's :class:`~sparkps.TrainingSummary`."""

    def fitFailed(self, error: BaseException) -> None:
        """The fit raised ``error`` (which ``fit`` raises next)."""
