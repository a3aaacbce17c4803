#!/usr/bin/env python3
"""Execute the notebooks in this folder headlessly and check them.

    python3 notebooks/run_notebooks.py [NAME.ipynb ...]

Each notebook runs top to bottom in a fresh python3 kernel (cwd = this folder, 600 s per
cell). The run fails on the first cell error (naming the notebook and cell) or when a
notebook produced no image/png output. Executed copies go to a temporary folder, never into
the repository. Needs: pip install nbclient nbformat ipykernel matplotlib pandas.
"""

import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent


def has_png(nb) -> bool:
    return any("image/png" in out.get("data", {})
               for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []))


def run(path: Path, out_dir: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600,
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
    print(f"ok {path.name} ({time.monotonic() - started:.0f} s)", flush=True)


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
