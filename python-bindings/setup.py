"""Build hooks: the wheel carries the spark-ps jar.

Everything else about the package is declared in pyproject.toml. ``build_py`` copies the jar
into ``sparkps/jars/`` of the build, never into the source tree, so that a jar left there
cannot shadow a newer build of the checkout. The jar holds ND4J's native code for
linux-x86_64, so the wheel is tagged for the platform it is built on instead of as pure
Python.
"""

from __future__ import annotations

import glob
import os
import shutil
import sysconfig

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

_HERE = os.path.dirname(os.path.abspath(__file__))
_ENV_JAR = "SPARKPS_JAR"
_BUILT_JAR = os.path.join(_HERE, "..", "spark-ps-examples", "target",
                          "spark-ps-examples-*-all.jar")


def _jar_to_ship() -> str:
    """``$SPARKPS_JAR``, else the newest ``-all`` jar of the checkout's Maven build."""
    configured = os.environ.get(_ENV_JAR)
    if configured:
        if not os.path.isfile(configured):
            raise FileNotFoundError(f"{_ENV_JAR}={configured} is not a file")
        return configured
    built = glob.glob(_BUILT_JAR)
    if not built:
        raise FileNotFoundError(
            f"no spark-ps jar to put in the package: {os.path.normpath(_BUILT_JAR)} does not "
            "exist. Run `mvn -DskipTests package` in the checkout first, or set "
            f"{_ENV_JAR} to the spark-ps-examples-*-all.jar to ship")
    return max(built, key=os.path.getmtime)


class BuildPyWithJar(build_py):
    """Adds the spark-ps jar to ``sparkps/jars/`` of a (non-editable) build."""

    def run(self) -> None:
        editable = getattr(self, "editable_mode", False)
        if not editable:
            # The build folder outlives a build: start afresh, so that a module or jar left by
            # an earlier build does not end up in this one's wheel.
            shutil.rmtree(os.path.join(self.build_lib, "sparkps"), ignore_errors=True)
        super().run()
        if editable:
            return  # an editable install finds the jar of the checkout's build instead
        jar = _jar_to_ship()
        target = os.path.join(self.build_lib, "sparkps", "jars")
        os.makedirs(target, exist_ok=True)
        self.copy_file(jar, os.path.join(target, os.path.basename(jar)), preserve_times=False)


class PlatformWheel(bdist_wheel):
    """Tags the wheel ``py3-none-<platform>`` (any Python 3, this platform's native code)
    unless ``--plat-name`` says otherwise."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if not self.plat_name_supplied:
            self.plat_name_supplied = True
            self.plat_name = sysconfig.get_platform()


setup(cmdclass={"build_py": BuildPyWithJar, "bdist_wheel": PlatformWheel})
