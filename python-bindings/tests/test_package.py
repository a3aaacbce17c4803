"""The package built from python-bindings carries the spark-ps jar: installed in a fresh venv
by the README's install command and used from a folder outside the checkout with no
SPARKPS_JAR, it finds its jar, and the README's Python snippet, as pasted, trains on a9a and
evaluates the model. The checkout's Maven build must have made the -all jar first.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

import sparkps

_REPO = Path(__file__).resolve().parents[2]
_SNIPPET_MARKER = "<!-- python-snippet:"
_MIN_AUC = 0.89


def _readme_snippet() -> str:
    """The first ```python block after the marker in the top README."""
    text = (_REPO / "README.md").read_text(encoding="utf-8")
    start = text.find(_SNIPPET_MARKER)
    assert start >= 0, f"README.md has no {_SNIPPET_MARKER!r} marker"
    block = re.compile(r"```python\n(.*?)\n```", re.S).search(text, start)
    assert block is not None, "no ```python block after the README's snippet marker"
    return block.group(1)


def _clean_env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("SPARKPS_JAR", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(extra)
    return env


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, (
        f"{' '.join(map(str, args))} exited {done.returncode}\n--- stdout\n{done.stdout}"
        f"\n--- stderr\n{done.stderr[-6000:]}")
    return done


def _readme_install_commands() -> List[str]:
    """The ``python3 -m pip install`` lines of the first bash block of "## From Python"."""
    text = (_REPO / "README.md").read_text(encoding="utf-8")
    block = re.compile(r"```bash\n(.*?)\n```", re.S).search(text, text.index("## From Python"))
    assert block is not None, "no bash block in the README's From Python section"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()
                if line.startswith("python3 -m pip install")]
    assert commands, block.group(1)
    return commands


@pytest.fixture(scope="module")
def venv_python(tmp_path_factory) -> Path:
    """A fresh venv that sees the machine's pyspark and numpy, where the README's install
    command, run in the checkout with the venv's python3, installed sparkps."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], timeout=300)
    python = venv / "bin" / "python3"
    for command in _readme_install_commands():
        args = [str(python)] + command.split()[1:] + ["--quiet", "--no-cache-dir"]
        _run(args, cwd=_REPO, env=_clean_env(), timeout=600)
    return python


def test_installed_package_carries_the_built_jar(venv_python):
    found = _run([str(venv_python), "-c",
                  "import json, sparkps; from importlib.metadata import distribution; "
                  "print(json.dumps([sparkps.__file__, "
                  "distribution('sparkps').read_text('WHEEL')]))"],
                 env=_clean_env(), timeout=120)
    package, wheel_info = json.loads(found.stdout)
    jars = list((Path(package).parent / "jars").glob("*-all.jar"))
    assert len(jars) == 1, jars
    built = max((_REPO / "spark-ps-examples" / "target").glob("spark-ps-examples-*-all.jar"),
                key=os.path.getmtime)
    assert jars[0].name == built.name and filecmp.cmp(jars[0], built, shallow=False)
    # ND4J's native code inside: the wheel is tagged for this platform, not "any".
    tags = re.findall(r"^Tag: (\S+)$", wheel_info, re.M)
    assert tags and not any(t.endswith("-any") for t in tags), wheel_info


def test_installed_package_finds_its_jar_from_anywhere(venv_python, tmp_path):
    where = _run([str(venv_python), "-c",
                  "import json, sparkps; print(json.dumps([sparkps.__file__, "
                  "sparkps.jar_path()]))"],
                 cwd=tmp_path, env=_clean_env(), timeout=120)
    package, jar = json.loads(where.stdout)
    venv = venv_python.parent.parent
    assert Path(package).is_relative_to(venv), package
    assert Path(jar).is_relative_to(venv) and Path(jar).is_file(), jar
    # SPARKPS_JAR still overrides the jar the package carries.
    other = tmp_path / "other.jar"
    other.write_bytes(b"")
    overridden = _run([str(venv_python), "-c", "import sparkps; print(sparkps.jar_path())"],
                      cwd=tmp_path, env=_clean_env(SPARKPS_JAR=str(other)), timeout=120)
    assert overridden.stdout.strip() == str(other)


def test_readme_snippet_runs_as_pasted(venv_python, tmp_path):
    from conftest import _data_dir

    data = _data_dir()
    if not (data / "a9a" / "a9a").is_file():
        pytest.skip(f"{data}/a9a is missing (set SPARKPS_DATA_DIR to the folder holding a9a/)")
    script = tmp_path / "snippet.py"
    script.write_text(_readme_snippet(), encoding="utf-8")
    done = _run([str(venv_python), str(script)], cwd=tmp_path,
                env=_clean_env(SPARKPS_DATA_DIR=str(data)), timeout=900)
    found = re.search(r"^test AUC (\d\.\d+), loss per epoch \[(.*)\]", done.stdout, re.M)
    assert found, done.stdout
    assert float(found.group(1)) >= _MIN_AUC, done.stdout
    losses = [float(x) for x in found.group(2).split(",")]
    assert len(losses) == 3 and losses[-1] < losses[0], losses


def test_jar_path_order(monkeypatch, tmp_path):
    """SPARKPS_JAR, then the jar in the package, then the checkout's build upward of the
    working directory; none of them: an error that says how to get one."""
    import sparkps._jar

    package = tmp_path / "site-packages" / "sparkps"
    package.mkdir(parents=True)
    monkeypatch.setattr(sparkps._jar, "__file__", str(package / "_jar.py"))
    checkout = tmp_path / "checkout"
    work = checkout / "notebooks"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.delenv("SPARKPS_JAR", raising=False)
    with pytest.raises(FileNotFoundError, match=r"python3 -m pip install \./python-bindings"):
        sparkps.jar_path()

    built = checkout / "spark-ps-examples" / "target" / "spark-ps-examples-1.0-all.jar"
    built.parent.mkdir(parents=True)
    built.write_bytes(b"")
    assert sparkps.jar_path() == str(built)

    shipped = package / "jars" / "spark-ps-examples-1.0-all.jar"
    shipped.parent.mkdir()
    shipped.write_bytes(b"")
    assert sparkps.jar_path() == str(shipped)

    configured = tmp_path / "mine.jar"
    configured.write_bytes(b"")
    monkeypatch.setenv("SPARKPS_JAR", str(configured))
    assert sparkps.jar_path() == str(configured)
