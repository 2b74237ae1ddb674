"""Build hook: put the bundled data and notebooks inside the wheel (everything else is in pyproject.toml).

The checkout keeps the design's layout (``data/raw/``, ``notebooks/`` beside the package); an installed
package cannot reach those folders, so building a wheel copies them into ``lingshou/_bundled/``, where
:mod:`lingshou.config` finds them through ``importlib.resources``.  Editable installs skip the copy: they
run from the checkout.  ``data/processed/`` is never shipped (it is built per machine by ``lingshou build``).
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: (source folder in the checkout, destination inside the package, files ignored)
BUNDLED = [
    ("data/raw", "_bundled/data/raw", ("__pycache__", "*.pyc", ".*")),
    ("notebooks", "_bundled/notebooks", (".ipynb_checkpoints", "__pycache__", ".*")),
]


class BuildPyWithBundle(build_py):
    """``build_py`` that also copies :data:`BUNDLED` into the built package."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        for source, target, ignored in BUNDLED:
            src = ROOT / source
            if not src.is_dir():
                raise SystemExit(f"setup.py: {src} is missing; build the wheel from a full checkout or sdist")
            dest = Path(self.build_lib) / "lingshou" / target
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns(*ignored))


setup(cmdclass={"build_py": BuildPyWithBundle})
