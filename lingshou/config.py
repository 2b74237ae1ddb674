"""Paths and constants, in one place (house style: paths never come from the working directory).

A *data folder* holds ``raw/`` (read-only inputs, each with a data card) and ``processed/`` (written only
by ``lingshou build``).  A user's data folder may hold only ``raw/statistics/``: every reference table it
lacks (catalogue, aliases, units, counties, plans, models, evaluation, anchors) is taken from the bundled
data folder of the repository, :data:`DEFAULT_DATA_DIR`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lingshou.errors import ParameterError

#: Root of the repository (the package lives in ``<root>/lingshou``).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The bundled data folder.
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
#: Where the analysis notebooks live.
NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
#: Default output folder of ``lingshou report``.
DEFAULT_REPORT_DIR = PROJECT_ROOT / "reports"
#: Package resources (Typst template, report texts).
TEMPLATE_DIR = Path(__file__).resolve().parent / "report" / "templates"

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
    def processed(self) -> Path:
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
