"""A fit's progress as one Jupyter display that updates in place."""

from __future__ import annotations

import html
import math
from typing import Any, Dict, List, Optional

from sparkps._events import TrainingCallback, TrainingProgress, TrainingStart, _seconds

__all__ = ["JupyterProgress"]

#: The display's machine-readable part: the state the text and HTML show, as JSON.
PROGRESS_MIME = "application/vnd.sparkps.progress+json"


def _finite(value: float) -> Optional[float]:
    return None if value is None or math.isnan(value) or math.isinf(value) else value


class JupyterProgress(TrainingCallback):
    """Shows a fit in a notebook as one small table that updates in place.

    The table has a row per ended epoch (the last ``max_rows`` of them) with its loss,
    examples/s, elapsed time, ETA and, with a validation set, the validation loss and metric,
    a row for the epoch under way, and a status line. It is one display (an IPython display
    handle): each event updates it instead of adding output. Besides ``text/html`` and
    ``text/plain`` the display carries its state as JSON under the MIME type
    ``application/vnd.sparkps.progress+json`` (which notebook front ends do not show), for
    tools that read executed notebooks.

    Outside IPython it prints a line per ended epoch instead.
    """

    def __init__(self, max_rows: int = 10):
        if max_rows < 1:
            raise ValueError(f"max_rows must be at least 1, got {max_rows}")
        self._max_rows = max_rows
        self._start: Optional[TrainingStart] = None
        self._ended: List[TrainingProgress] = []
        self._current: Optional[TrainingProgress] = None
        self._status = "starting"
        self._handle: Any = None

    def fitStarted(self, start: TrainingStart) -> None:
        self._start, self._ended, self._current, self._status = start, [], None, "running"
        self._handle = None  # a new display for each fit
        self._show(None)

    def progressed(self, progress: TrainingProgress) -> None:
        if progress.epoch_ended:
            self._ended.append(progress)
            self._current = None
        else:
            self._current = progress
        self._show(progress)

    def fitEnded(self, summary: Any) -> None:
        self._current = None
        self._status = (f"done: {len(summary.epoch_loss)} epochs in "
                        f"{_seconds(summary.train_seconds)}, final loss "
                        f"{summary.final_loss:.4f}")
        self._show(None)

    def fitFailed(self, error: BaseException) -> None:
        self._current = None
        self._status = f"failed: {type(error).__name__}"
        self._show(None)

    def _caption(self) -> str:
        s = self._start
        if s is None:
            return "spark-ps fit"
        return (f"{s.framework}: {s.num_workers} workers, {s.num_servers} servers, "
                f"{s.max_epochs} epochs of {s.examples_per_epoch:,} examples")

    def _rows(self) -> List[TrainingProgress]:
        rows = self._ended[-self._max_rows:]
        return rows + [self._current] if self._current is not None else rows

    def state(self) -> Dict[str, Any]:
        """What the display shows, as JSON-ready values (NaN as None)."""
        def row(p: TrainingProgress) -> Dict[str, Any]:
            return {"epoch": p.epoch, "max_epochs": p.max_epochs, "epoch_ended": p.epoch_ended,
                    "examples": p.examples, "loss": _finite(p.loss),
                    "examples_per_second": _finite(p.examples_per_second),
                    "elapsed_seconds": _finite(p.elapsed_seconds),
                    "eta_seconds": _finite(p.eta_seconds),
                    "validation_loss": _finite(p.validation_loss),
                    "validation_metric": p.validation_metric,
                    "validation_value": _finite(p.validation_value)}
        return {"caption": self._caption(), "status": self._status,
                "epochs_ended": len(self._ended), "rows": [row(p) for p in self._rows()]}

    def text(self) -> str:
        """The display as plain text: caption, a line per row, status."""
        return "\n".join([self._caption(), *(p.describe() for p in self._rows()),
                          self._status])

    def html(self) -> str:
        """The display as a small HTML table."""
        rows = self._rows()
        metric = next((p.validation_metric for p in rows if p.validation_metric), None)
        heads = ["epoch", "loss", "examples/s", "elapsed", "ETA"]
        if metric:
            heads += ["validation loss", metric]
        cells = []
        for p in rows:
            values = [f"{p.epoch}/{p.max_epochs}", f"{p.loss:.4f}",
                      f"{p.examples_per_second:,.0f}", _seconds(p.elapsed_seconds),
                      _seconds(p.eta_seconds)]
            if metric:
                values += ["" if math.isnan(p.validation_loss) else f"{p.validation_loss:.4f}",
                           "" if math.isnan(p.validation_value)
                           else f"{p.validation_value:.4f}"]
            style = "" if p.epoch_ended else " style='font-style:italic'"
            cells.append(f"<tr{style}>" + "".join(f"<td>{html.escape(v)}</td>"
                                                  for v in values) + "</tr>")
        hidden = len(self._ended) - min(len(self._ended), self._max_rows)
        note = f"<div>{hidden} earlier epochs not shown</div>" if hidden else ""
        return (f"<div><b>{html.escape(self._caption())}</b>{note}<table>"
                "<tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr>"
                + "".join(cells) + f"</table><div>{html.escape(self._status)}</div></div>")

    def _show(self, latest: Optional[TrainingProgress]) -> None:
        try:
            from IPython.core.interactiveshell import InteractiveShell
            from IPython.display import display
        except ImportError:
            InteractiveShell = None
        if InteractiveShell is None or not InteractiveShell.initialized():
            if latest is not None and latest.epoch_ended:
                print(latest.describe(), flush=True)
            return
        bundle = {"text/plain": self.text(), "text/html": self.html(),
                  PROGRESS_MIME: self.state()}
        if self._handle is None:
            self._handle = display(bundle, raw=True, display_id=True)
        else:
            self._handle.update(bundle, raw=True)
