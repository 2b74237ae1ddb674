"""``lingshou build``: raw statistics → ``<data>/processed/`` (one typed tidy table with its schema).

The build is idempotent (same inputs, same bytes) and atomic: everything is written into a temporary
folder beside ``processed/`` and swapped in only when complete, so a failed build leaves the previous
processed data untouched.  :func:`load_data` is what notebooks call: the processed table when it is up to
date with the raw files, else the raw files validated in memory (with a note to run ``lingshou build``).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lingshou.config import DataFolder, data_folder
from lingshou.data.catalogue import load_catalogue
from lingshou.data.problems import Problem, errors
from lingshou.data.read import list_data_files
from lingshou.data.safe import neutralise_frame, unguard_frame
from lingshou.data.validate import TIDY_COLUMNS, tidy_schema, validate_records
from lingshou.errors import DataError
from lingshou.i18n import bi

PROCESSED_TABLE = "statistics.csv"
SCHEMA_FILE = "schema.yaml"
MANIFEST_FILE = "build.json"
DTYPES = {"county": "str", "year": "int64", "indicator": "str", "value": "float64", "unit": "str",
          "status": "str", "source": "str", "file": "str", "row": "int64"}


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the table, the problems (warnings), the output folder and the input hashes."""

    table: pd.DataFrame
    problems: list[Problem]
    folder: Path
    inputs: dict[str, str]


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_hashes(folder: DataFolder) -> dict[str, str]:
    """Hash of every data file (and its data card) under ``raw/statistics``, keyed by path relative to ``raw``."""
    files, _ = list_data_files(folder.statistics) if folder.statistics.is_dir() else ([], [])
    out = {}
    for f in files:
        out[f.relative_to(folder.raw).as_posix()] = file_hash(f)
        card = f.with_name(f.stem + ".card.yaml")
        if card.exists():
            out[card.relative_to(folder.raw).as_posix()] = file_hash(card)
    return dict(sorted(out.items()))


#: The reference tables validation reads: a change to one makes the processed table stale too.
REFERENCE_TABLES = ("indicators.csv", "units.csv", "aliases/indicator_aliases.csv", "aliases/county_aliases.csv",
                    "counties.csv", "plausible_ranges.csv")


def reference_hashes(folder: DataFolder) -> dict[str, str]:
    """Hash of each reference table the validation uses (the folder's own or the bundled one)."""
    out = {}
    for name in REFERENCE_TABLES:
        path = folder.reference(name)
        out[name] = file_hash(path) if path.exists() else ""
    return out


def read_statistics(folder: DataFolder) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate every file of ``raw/statistics``; file paths in the table are relative to ``raw``."""
    if not folder.statistics.is_dir():
        raise DataError(bi(f"数据文件夹中没有 statistics/：{folder.statistics}", f"no statistics/ folder in the data folder: {folder.statistics}"))
    cat = load_catalogue(folder)
    tidy, probs = validate_records(folder.statistics, cat)
    # Paths relative to raw/ keep the processed table identical wherever the folder lives.
    tidy["file"] = tidy["file"].map(lambda f: Path(f).relative_to(folder.raw).as_posix())
    return tidy, probs


def build(data_dir=None) -> BuildResult:
    """Build ``<data>/processed/`` from ``<data>/raw/statistics``.

    Raises
    ------
    DataError
        With every error found; nothing is written then.
    """
    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    tidy, probs = read_statistics(folder)
    if errors(probs):
        raise DataError(bi(f"数据有 {len(errors(probs))} 个错误，未生成 processed/", f"the data has {len(errors(probs))} error(s); processed/ was not written"), probs)
    schema = tidy_schema(load_catalogue(folder))
    tidy = schema.validate(tidy, lazy=True)
    inputs = input_hashes(folder)
    manifest = {
        "table": PROCESSED_TABLE,
        "rows": int(len(tidy)),
        "counties": sorted(tidy["county"].unique().tolist()),
        "years": sorted(int(y) for y in tidy["year"].unique()),
        "status_counts": {k: int(v) for k, v in tidy["status"].value_counts().sort_index().items()},
        "warnings": sum(p.severity == "warning" for p in probs),
        "inputs": inputs,
        "references": reference_hashes(folder),
    }
    target = folder.processed
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".processed-", dir=target.parent))
    old = None
    try:
        # Analysts open this table in a spreadsheet: a source or file name that starts like a formula is guarded.
        neutralise_frame(tidy).to_csv(tmp / PROCESSED_TABLE, index=False, encoding="utf-8", lineterminator="\n")
        (tmp / SCHEMA_FILE).write_text(schema.to_yaml(), encoding="utf-8")
        (tmp / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        readme = target / "README.md"
        if readme.exists():
            shutil.copy2(readme, tmp / "README.md")
        if target.exists():
            old = target.with_name(f".processed-old-{os.getpid()}")
            os.replace(target, old)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        # the previous processed/ was moved aside but the new one did not arrive: put the old one back
        if old is not None and old.exists() and not target.exists():
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return BuildResult(table=tidy, problems=probs, folder=target, inputs=inputs)


#: The last processed table read per path, keyed by the file's identity (inode, size, modification time):
#: a warm kernel runs six notebooks a county, each reading the same table (0.05 s each).
_PROCESSED: dict = {}


def read_processed(folder: DataFolder) -> pd.DataFrame:
    """The processed table with its types (no freshness check); a copy the caller may change.

    Read once per version of the file in a process: ``lingshou build`` replaces the file (a new inode and
    modification time), so a rebuilt table is read again.
    """
    path = folder.processed / PROCESSED_TABLE
    st = path.stat()
    key = (st.st_ino, st.st_size, st.st_mtime_ns)
    cached = _PROCESSED.get(str(path))
    if cached is None or cached[0] != key:
        df = pd.read_csv(path, dtype=DTYPES, keep_default_na=True, encoding="utf-8")
        cached = (key, unguard_frame(df[TIDY_COLUMNS].copy()))
        _PROCESSED[str(path)] = cached
    return cached[1].copy()


def is_fresh(folder: DataFolder) -> bool:
    """True when ``processed/`` was built from exactly the current raw statistics files and reference tables."""
    manifest = processed_manifest(folder)
    if manifest is None:
        return False
    return (manifest.get("inputs", {}) == input_hashes(folder)
            and manifest.get("references") == reference_hashes(folder))


def processed_manifest(folder: DataFolder) -> dict | None:
    """The manifest of ``processed/`` (``None`` when there is no processed table)."""
    manifest = folder.processed / MANIFEST_FILE
    if not manifest.exists() or not (folder.processed / PROCESSED_TABLE).exists():
        return None
    return json.loads(manifest.read_text(encoding="utf-8"))


#: What :func:`load_tidy` says when ``processed/`` is stale and the raw files were read instead.
STALE_NOTE = bi("processed/ 不是最新的，已直接读取原始数据；请运行 lingshou build",
                "processed/ is not up to date, the raw files were read directly; run lingshou build")


def load_tidy(data_dir=None) -> tuple[pd.DataFrame, str]:
    """The tidy statistics of a data folder and a note on where they came from.

    The processed table when it is up to date (note ``""``); otherwise the raw files validated in memory,
    and the note (:data:`STALE_NOTE`) says that ``lingshou build`` should be run.

    Raises
    ------
    DataError
        If the raw files have errors.
    """
    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    if is_fresh(folder):
        return read_processed(folder), ""
    df, probs = read_statistics(folder)
    if errors(probs):
        raise DataError(bi(f"数据有 {len(errors(probs))} 个错误", f"the data has {len(errors(probs))} error(s)"), probs)
    return df, STALE_NOTE


def load_data(data_dir=None) -> pd.DataFrame:
    """The tidy statistics of a data folder, for the analyses (:func:`load_tidy` without its note).

    Raises
    ------
    DataError
        If the raw files have errors.
    """
    return load_tidy(data_dir)[0]
