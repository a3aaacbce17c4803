#!/usr/bin/env python3
"""Draws the training loss against wall time of each framework preset, from the CSV files
that FrameworksBench writes (frameworks-<dataset>.csv with columns preset,seconds,loss), one
PNG per data set.

    python3 spark-ps-bench/plot_frameworks.py [CSV_DIR] [PNG_DIR]

CSV_DIR defaults to spark-ps-bench/target/bench, PNG_DIR to docs; the PNGs are named
frameworks-<dataset>.png. The step losses are noisy (one mini-batch each), so each preset is
drawn as a centred moving average over about a twentieth of its steps, over its raw points.
When the presets end more than 8 times apart, the time axis is logarithmic.
"""

from __future__ import annotations

import csv
import sys
from collections import OrderedDict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TITLES = {
    "a9a": ("a9a: binary logistic regression, 2 workers", "training log-loss (mean of a step's mini-batches)"),
    "mnist": ("MNIST (8k train): MLP, 128 hidden units, 2 workers",
              "training cross-entropy (mean of a step's mini-batches)"),
}


def read_series(path: Path) -> "OrderedDict[str, tuple[np.ndarray, np.ndarray]]":
    """The (seconds, loss) points of each preset, in the file's order."""
    points: "OrderedDict[str, list[tuple[float, float]]]" = OrderedDict()
    with path.open(newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != ["preset", "seconds", "loss"]:
            raise ValueError(f"{path}: columns {reader.fieldnames}, expected preset,seconds,loss")
        for row in reader:
            points.setdefault(row["preset"], []).append((float(row["seconds"]), float(row["loss"])))
    return OrderedDict((p, (np.array([s for s, _ in v]), np.array([l for _, l in v])))
                       for p, v in points.items())


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average; near the ends the window shrinks to the points there are."""
    kernel = np.ones(window)
    sums = np.convolve(values, kernel, mode="same")
    counts = np.convolve(np.ones_like(values), kernel, mode="same")
    return sums / counts


def plot(csv_path: Path, png_path: Path) -> None:
    dataset = csv_path.stem.removeprefix("frameworks-")
    title, ylabel = TITLES.get(dataset, (dataset, "training loss"))
    series = read_series(csv_path)
    fig, ax = plt.subplots(figsize=(9, 5.5), dpi=110)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    top = 0.0
    ends = [seconds[-1] for seconds, _ in series.values()]
    # Presets that finish an order of magnitude apart share a readable axis only in log scale.
    log_time = min(ends) > 0 and max(ends) / min(ends) > 8
    for i, (preset, (seconds, loss)) in enumerate(series.items()):
        color = colors[i % len(colors)]
        window = max(3, len(loss) // 20)
        smooth = moving_average(loss, window)
        ax.plot(seconds, loss, color=color, alpha=0.12, linewidth=0.8)
        ax.plot(seconds, smooth, color=color, linewidth=2.0,
                label=f"{preset} ({seconds[-1]:.2g} s, last {smooth[-1]:.3f})")
        top = max(top, float(np.percentile(loss, 98)), float(smooth.max()))
    ax.set_ylim(bottom=0, top=top * 1.05 if top > 0 else None)
    if log_time:
        ax.set_xscale("log")
        ax.set_xlabel("wall time since the workers' training loops began (s, log scale)")
    else:
        ax.set_xlim(left=0)
        ax.set_xlabel("wall time since the workers' training loops began (s)")
    ax.set_ylabel(ylabel)
    ax.set_title(title + "\nthick: moving average over 1/20 of the steps; faint: each step")
    ax.grid(True, alpha=0.3)
    ax.legend(title="preset (end of training, last smoothed loss)", fontsize=9)
    fig.tight_layout()
    png_path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png_path)
    plt.close(fig)
    print(f"wrote {png_path}")


def main(argv: list[str]) -> int:
    csv_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "spark-ps-bench" / "target" / "bench"
    png_dir = Path(argv[2]) if len(argv) > 2 else ROOT / "docs"
    files = sorted(csv_dir.glob("frameworks-*.csv"))
    if not files:
        print(f"no frameworks-*.csv in {csv_dir}: run bin/bench training.FrameworksBench first",
              file=sys.stderr)
        return 1
    for f in files:
        plot(f, png_dir / (f.stem + ".png"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
