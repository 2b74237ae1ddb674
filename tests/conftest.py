"""Shared fixtures of the test suite: the bundled catalogue, fixture folders, and small data folders."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lingshou.data.catalogue import load_catalogue

TESTS = Path(__file__).resolve().parent
TEST_DATA = TESTS / "data"
BUREAU = TEST_DATA / "bureau"
MALFORMED = TEST_DATA / "malformed"
REPO = TESTS.parent
BUNDLED_RAW = REPO / "data" / "raw"


@pytest.fixture
def model() -> dict:
    """The tiny three-indicator scoring model of tests/data/benchmark (scoring, uncertainty, benchmarking)."""
    from lingshou.evaluation.model import load_model

    return load_model(TEST_DATA / "benchmark" / "tiny_model.yaml")


@pytest.fixture
def wide():
    """Four counties P–S × the tiny model's indicators x1–x3."""
    import pandas as pd

    return pd.DataFrame({"x1": [5.0, 10, 8, 2], "x2": [2.0, 4, 1, 3], "x3": [25.0, 40, 50, 10]}, index=list("PQRS"))


@pytest.fixture(scope="session")
def cat():
    """The catalogue and mapping tables bundled with the repository."""
    return load_catalogue()


@pytest.fixture
def write_csv(tmp_path):
    """Write a CSV from text into ``tmp_path`` and return its path: ``write_csv("a.csv", "县,…\\n…")``."""
    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def make_data_dir(tmp_path):
    """A data folder ``<tmp>/<name>/raw/statistics`` holding the given statistics files.

    ``make_data_dir({"a.csv": "text", ...}, reference={"counties.csv": "text"})`` returns the folder root;
    reference tables not given are taken from the bundled data by :mod:`lingshou.config`.
    """
    counter = {"n": 0}

    def make(files: dict[str, str | bytes], reference: dict[str, str] | None = None, name: str | None = None) -> Path:
        counter["n"] += 1
        root = tmp_path / (name or f"data{counter['n']}")
        stats = root / "raw" / "statistics"
        stats.mkdir(parents=True)
        for rel, content in files.items():
            path = stats / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        for rel, content in (reference or {}).items():
            path = root / "raw" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        return root

    return make


@pytest.fixture
def bundled_copy(tmp_path):
    """A full copy of the bundled ``data/raw`` in ``<tmp>/data`` (for builds that must not touch the repo)."""
    root = tmp_path / "data"
    shutil.copytree(BUNDLED_RAW, root / "raw")
    return root


# The notebooks under tests/data/ are fixtures of the report tests (one fails on purpose, one sleeps until it
# is killed): --nbval must not collect them as notebook tests.
collect_ignore_glob = ["data/*", "data/*/*", "data/*/*/*"]
