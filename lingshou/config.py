"""Paths and constants, in one place (house style: paths never come from the working directory).

A *data folder* holds ``raw/`` (read-only inputs, each with a data card) and ``processed/`` (written only
by ``lingshou build``).  A user's data folder may hold only ``raw/statistics/``: every reference table it
lacks (catalogue, aliases, units, counties, plans, models, evaluation, anchors) is taken from the bundled
data folder, :data:`DEFAULT_DATA_DIR`.

Where things live.  In a source checkout (the package beside ``data/``, ``notebooks/`` and
``pyproject.toml``) the bundled data and notebooks are the checkout's own.  In an installed package (``pip
install .`` or a wheel) they are package resources, copied into ``lingshou/_bundled/`` when the wheel is
built (``setup.py``) and found through :mod:`importlib.resources`; they are read-only there.  Outputs go to
``<home>/reports`` and the bundled data's processed table to ``<home>/data/processed``, where *home* is
``$LINGSHOU_HOME`` when set, else the checkout's root, else (installed) the working folder — see
:func:`home`.
"""
from __future__ import annotations

import importlib.resources
import os
from dataclasses import dataclass
from pathlib import Path

from lingshou.errors import ParameterError

#: The package's own folder (``importlib.resources``: an installed package is always unpacked on disk).
PACKAGE_DIR = Path(str(importlib.resources.files("lingshou")))
#: Root of the source checkout the package lives in, if it does (``<root>/lingshou``).
PROJECT_ROOT = PACKAGE_DIR.parent
#: True in a source checkout (editable install or running from the tree), False in an installed package.
SOURCE_CHECKOUT = all((PROJECT_ROOT / name).exists() for name in ("pyproject.toml", "data/raw", "notebooks"))
#: Where the bundled data and notebooks are: the checkout, or the package's ``_bundled/`` resources.
BUNDLE_DIR = PROJECT_ROOT if SOURCE_CHECKOUT else PACKAGE_DIR / "_bundled"
#: The bundled data folder.
DEFAULT_DATA_DIR = BUNDLE_DIR / "data"
#: Where the analysis notebooks live.
NOTEBOOK_DIR = BUNDLE_DIR / "notebooks"
#: Package resources (Typst template, report texts).
TEMPLATE_DIR = PACKAGE_DIR / "report" / "templates"
#: Environment variable naming the folder outputs go to (``reports/``, the bundled data's ``processed/``).
HOME_VARIABLE = "LINGSHOU_HOME"


def home() -> Path:
    """The folder outputs belong to: ``$LINGSHOU_HOME``, else the source checkout, else the working folder.

    A report run pins it in the environment (:func:`pin_home`) so that its kernels, whose working folder
    is the notebooks' folder, agree with it.
    """
    named = os.environ.get(HOME_VARIABLE)
    if named:
        return Path(named).expanduser().resolve()
    return PROJECT_ROOT if SOURCE_CHECKOUT else Path.cwd().resolve()


def pin_home() -> Path:
    """Set ``$LINGSHOU_HOME`` to :func:`home` unless it is set, so child processes resolve the same folder."""
    os.environ.setdefault(HOME_VARIABLE, str(home()))
    return home()


def report_dir() -> Path:
    """Default output folder of ``lingshou report`` and ``lingshou template``: ``<home>/reports``."""
    return home() / "reports"

#: Status vocabulary carried by every value from its raw file to the PDF.
STATUSES = ("published", "provisional", "illustrative", "derived")
#: Order in which a cell's status is shown when several values meet (the weakest claim wins).
STATUS_RANK = {"illustrative": 0, "provisional": 1, "derived": 2, "published": 3}
STATUS_LABELS = {
    "zh": {"published": "公开发布", "provisional": "初步数据", "illustrative": "示例数据", "derived": "推算"},
    "en": {"published": "published", "provisional": "provisional", "illustrative": "illustrative",
           "derived": "derived"},
}
LANGS = ("zh", "en")

#: Plausible data years (inclusive).  Later years are accepted up to the current year.
MIN_YEAR = 1978


@dataclass(frozen=True)
class DataFolder:
    """A resolved data folder.

    Attributes
    ----------
    root : Path
        The folder the user named (holds ``raw/`` and ``processed/``).
    raw : Path
        Its ``raw/`` folder (or the folder itself when it has no ``raw/``).
    """

    root: Path
    raw: Path

    @property
    def bundled_read_only(self) -> bool:
        """True for the bundled data of an installed package (read-only; its processed table is elsewhere)."""
        return not SOURCE_CHECKOUT and self.root == DEFAULT_DATA_DIR.resolve()

    @property
    def processed(self) -> Path:
        """``<root>/processed``; for the bundled data of an installed package ``<home>/data/processed``."""
        if self.bundled_read_only:
            return home() / "data" / "processed"
        return self.root / "processed"

    @property
    def statistics(self) -> Path:
        return self.raw / "statistics"

    def reference(self, relative: str) -> Path:
        """Path of a reference table: the user's copy when present, else the bundled one."""
        own = self.raw / relative
        if own.exists():
            return own
        return DEFAULT_DATA_DIR / "raw" / relative


def data_folder(path: str | os.PathLike | None = None) -> DataFolder:
    """Resolve a data folder.

    Parameters
    ----------
    path : path-like, optional
        A folder holding ``raw/`` (like the bundled ``data/``), or a raw folder itself (holding
        ``statistics/``).  ``None`` means the bundled data.

    Raises
    ------
    ParameterError
        If the folder does not exist or holds neither ``raw/`` nor ``statistics/``.
    """
    root = Path(path) if path is not None else DEFAULT_DATA_DIR
    root = root.expanduser().resolve()
    if not root.is_dir():
        raise ParameterError(f"数据文件夹不存在：{root} / data folder does not exist: {root}")
    if (root / "raw").is_dir():
        return DataFolder(root=root, raw=root / "raw")
    if (root / "statistics").is_dir():
        return DataFolder(root=root, raw=root)
    raise ParameterError(
        f"数据文件夹 {root} 中既没有 raw/ 也没有 statistics/ 子文件夹 / data folder {root} holds neither "
        "raw/ nor statistics/"
    )
