"""Hearing a fit while it runs: the events, callbacks and ready-made sinks.

A :class:`~sparkps.PSTrainer` fit reports its start, its progress (at every epoch's end and,
in long epochs, at ``spark.ps.progress.interval`` in between) and its end. Python hears them
on the thread that called ``fit``, through callbacks added with
:meth:`~sparkps.PSTrainer.addCallback`:

- a plain callable is called with each :class:`TrainingProgress`;
- a :class:`TrainingCallback` (or any object with some of its methods) hears ``fitStarted``,
  ``progressed``, ``fitEnded`` and ``fitFailed``.

Sinks: :class:`ConsoleProgress` (a line per epoch), :class:`JupyterProgress` (one display
that updates in place) and :class:`MLflowProgress` (params and per-epoch metrics of an MLflow
run). Without an added callback a fit uses the default of :func:`set_default`: the Jupyter
display inside a Jupyter kernel, nothing elsewhere.

Examples
--------
>>> from sparkps.progress import ConsoleProgress, TrainingProgress
>>> ConsoleProgress().progressed(TrainingProgress(
...     epoch=2, max_epochs=5, epoch_ended=True, examples=65122, loss=0.3412,
...     examples_per_second=41000.0, elapsed_seconds=1.6, eta_seconds=2.4,
...     validation_loss=0.3388, validation_metric="areaUnderROC", validation_value=0.9012))
epoch 2/5  loss 0.3412  41,000 ex/s  elapsed 1.6 s  ETA 2.4 s  validation loss 0.3388  areaUnderROC 0.9012
>>> seen = []
>>> trainer = PSTrainer(maxEpochs=3).addCallback(seen.append)  # doctest: +SKIP
>>> model = trainer.fit(train)  # doctest: +SKIP
>>> [p.epoch for p in seen if p.epoch_ended]  # doctest: +SKIP
[1, 2, 3]
"""

from __future__ import annotations

import os
import sys
from typing import Any, Optional, TextIO, Tuple

from sparkps._display import JupyterProgress
from sparkps._events import TrainingCallback, TrainingProgress, TrainingStart, _seconds
from sparkps._mlflow import MLflowProgress

__all__ = ["TrainingStart", "TrainingProgress", "TrainingCallback", "ConsoleProgress",
           "JupyterProgress", "MLflowProgress", "set_default", "in_jupyter_kernel"]

_DEFAULTS = ("auto", "jupyter", "console", "none")


class ConsoleProgress(TrainingCallback):
    """Prints a line per epoch (and per report within an epoch when ``every_report``).

    Lines go to ``file`` (standard output by default), as in the class example above.
    """

    def __init__(self, every_report: bool = False, file: Optional[TextIO] = None):
        self._every_report = every_report
        self._file = file

    def _print(self, line: str) -> None:
        print(line, file=self._file or sys.stdout, flush=True)

    def fitStarted(self, start: TrainingStart) -> None:
        self._print(f"{start.framework}: {start.num_workers} workers, {start.num_servers} "
                    f"servers, {start.max_epochs} epochs of {start.examples_per_epoch:,} "
                    "examples")

    def progressed(self, progress: TrainingProgress) -> None:
        if progress.epoch_ended or self._every_report:
            self._print(progress.describe())

    def fitEnded(self, summary: Any) -> None:
        self._print(f"trained {len(summary.epoch_loss)} epochs in "
                    f"{_seconds(summary.train_seconds)}, final loss {summary.final_loss:.4f}")

    def fitFailed(self, error: BaseException) -> None:
        self._print(f"fit failed: {type(error).__name__}")


_default = os.environ.get("SPARKPS_PROGRESS", "auto").strip().lower() or "auto"


def set_default(kind: str) -> None:
    """What a fit without added callbacks reports, for this Python process.

    ``"auto"`` (the initial value, or that of the ``SPARKPS_PROGRESS`` environment
    variable): a :class:`JupyterProgress` display inside a Jupyter kernel, nothing elsewhere;
    ``"jupyter"``, ``"console"`` (:class:`ConsoleProgress`) or ``"none"``.
    """
    global _default
    if kind not in _DEFAULTS:
        raise ValueError(f"progress default must be one of {', '.join(_DEFAULTS)}, got {kind!r}")
    _default = kind


def in_jupyter_kernel() -> bool:
    """Whether this Python runs in a Jupyter kernel (where rich displays update in place)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def default_callbacks() -> Tuple[Any, ...]:
    """The callbacks of a fit to which none was added, as :func:`set_default` says."""
    kind = _default if _default in _DEFAULTS else "auto"
    if kind == "auto":
        kind = "jupyter" if in_jupyter_kernel() else "none"
    if kind == "jupyter":
        return (JupyterProgress(),)
    if kind == "console":
        return (ConsoleProgress(),)
    return ()
