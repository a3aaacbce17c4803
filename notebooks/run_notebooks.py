#!/usr/bin/env python3
"""Execute the notebooks in this folder headlessly and check them.

    python3 notebooks/run_notebooks.py [NAME.ipynb ...]

Each notebook runs top to bottom in a fresh python3 kernel (cwd = this folder, 600 s per
cell). The run fails on the first cell error (naming the notebook and cell), when a
notebook produced no image/png output, or when its fits did not show their progress: every
notebook fits, and each fit's live display (sparkps.progress.JupyterProgress, the default in
a kernel) must have been updated once per epoch, each time with the loss and an ETA, and end
"done". The display is updated in place, so the saved outputs hold only its last state; the
updates are read from the kernel's messages as they arrive. Executed copies go to a folder
outside version control. Needs: pip install nbclient nbformat ipykernel matplotlib pandas.
"""

import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent
# The JSON part of a JupyterProgress display (sparkps/_display.py).
PROGRESS_MIME = "application/vnd.sparkps.progress+json"


class ProgressRecordingClient(NotebookClient):
    """Keeps every state a progress display showed, by (cell, display id), in order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.progress = defaultdict(list)

    def process_message(self, msg, cell, cell_index):
        content = msg.get("content") or {}
        if msg.get("msg_type") in ("display_data", "update_display_data"):
            state = (content.get("data") or {}).get(PROGRESS_MIME)
            display_id = (content.get("transient") or {}).get("display_id")
            if state is not None:
                self.progress[(cell_index, display_id)].append(state)
        return super().process_message(msg, cell, cell_index)


def progress_problems(progress) -> list:
    """What is wrong with the recorded progress displays: each must have shown epoch 1, 2,
    ... each in an update of its own, with the loss and an ETA, and have ended done."""
    if not progress:
        return ["no progress display was shown"]
    problems = []
    for (cell, _), states in progress.items():
        where = f"cell {cell}"
        ended = [s["epochs_ended"] for s in states]
        steps = [b - a for a, b in zip(ended, ended[1:])]
        if not ended or ended[-1] < 1 or any(d not in (0, 1) for d in steps) or ended[0] > 1:
            problems.append(f"{where}: epochs ended per update {ended}, not one by one")
        for s in states:
            done = [r for r in s["rows"] if r["epoch_ended"]]
            if done and (done[-1]["loss"] is None or done[-1]["eta_seconds"] is None):
                problems.append(f"{where}: epoch {done[-1]['epoch']} shown without loss or "
                                f"ETA: {done[-1]}")
                break
        if not states[-1]["status"].startswith("done"):
            problems.append(f"{where}: last status {states[-1]['status']!r}, not done")
    return problems


def has_png(nb) -> bool:
    return any("image/png" in out.get("data", {})
               for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []))


def run(path: Path, out_dir: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = ProgressRecordingClient(nb, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(HERE)}})
    started = time.monotonic()
    try:
        client.execute()
    except CellExecutionError as err:
        cell = next((i for i, c in enumerate(nb.cells)
                     if c.cell_type == "code" and any(o.get("output_type") == "error"
                                                      for o in c.get("outputs", []))), None)
        raise SystemExit(f"FAILED {path.name}: cell {cell} raised an error "
                         f"(executed copy: {out_dir / path.name})\n{err}")
    finally:
        # executed copy for inspection, outside the repository
        nbformat.write(nb, out_dir / path.name)
    if not has_png(nb):
        raise SystemExit(f"FAILED {path.name}: no image/png output "
                         f"(executed copy: {out_dir / path.name})")
    problems = progress_problems(client.progress)
    if problems:
        raise SystemExit(f"FAILED {path.name}: progress display: " + "; ".join(problems)
                         + f" (executed copy: {out_dir / path.name})")
    updates = sum(len(states) for states in client.progress.values())
    print(f"ok {path.name} ({time.monotonic() - started:.0f} s, {len(client.progress)} "
          f"progress displays, {updates} updates)", flush=True)


def main(argv) -> None:
    names = argv[1:] or sorted(p.name for p in HERE.glob("[0-9]*.ipynb"))
    # Inside the checkout's ignored build output, not /tmp: a failed run's executed copies
    # stay there to be read, and the next run replaces them.
    out_dir = HERE / "target" / "executed"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    print(f"executed copies -> {out_dir}", flush=True)
    started = time.monotonic()
    for name in names:
        run(HERE / name, out_dir)
    print(f"all {len(names)} notebooks ran in {time.monotonic() - started:.0f} s")
    print(f"notebooks: {len(names)} passed, 0 failed")


if __name__ == "__main__":
    main(sys.argv)
