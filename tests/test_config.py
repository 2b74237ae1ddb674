"""Tests of lingshou.config: where the bundled data, the notebooks and the outputs are, checkout or installed.

An installed package is simulated by pointing the module's bundle at a copy of the bundled data and saying
it is not a source checkout; the real wheel is built, installed and run by ``make wheel-check`` (CI).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lingshou import config
from lingshou.errors import ParameterError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """The package as a wheel installs it: bundle under <tmp>/site/lingshou/_bundled, working folder <tmp>/work."""
    bundle = tmp_path / "site" / "lingshou" / "_bundled"
    shutil.copytree(ROOT / "data" / "raw", bundle / "data" / "raw")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(config, "SOURCE_CHECKOUT", False)
    monkeypatch.setattr(config, "DEFAULT_DATA_DIR", bundle / "data")
    monkeypatch.delenv(config.HOME_VARIABLE, raising=False)
    monkeypatch.chdir(work)
    return bundle, work


def test_a_checkout_finds_its_own_folders(monkeypatch):
    monkeypatch.delenv(config.HOME_VARIABLE, raising=False)
    assert config.SOURCE_CHECKOUT
    assert config.DEFAULT_DATA_DIR == ROOT / "data"
    assert config.NOTEBOOK_DIR == ROOT / "notebooks"
    assert config.home() == ROOT
    assert config.report_dir() == ROOT / "reports"
    assert config.data_folder().processed == ROOT / "data" / "processed"
    assert not config.data_folder().bundled_read_only


def test_home_is_named_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(config.HOME_VARIABLE, str(tmp_path / "elsewhere"))
    assert config.home() == tmp_path / "elsewhere"
    assert config.report_dir() == tmp_path / "elsewhere" / "reports"


def test_installed_outputs_go_to_the_working_folder(installed):
    bundle, work = installed
    folder = config.data_folder()
    assert folder.root == bundle / "data"
    assert folder.bundled_read_only
    assert folder.processed == work / "data" / "processed"
    assert config.report_dir() == work / "reports"
    # a data folder of the user's keeps its processed table beside its raw files
    own = work / "own"
    (own / "raw" / "statistics").mkdir(parents=True)
    assert config.data_folder(own).processed == own / "processed"
    assert not config.data_folder(own).bundled_read_only


def test_pin_home_keeps_children_in_step(installed, monkeypatch):
    _, work = installed
    assert config.pin_home() == work
    monkeypatch.chdir(work.parent)  # a kernel's working folder is the notebooks' folder
    assert config.home() == work


def test_installed_build_writes_the_processed_table_in_the_working_folder(installed):
    from lingshou.data.build import build, is_fresh

    bundle, work = installed
    result = build()
    assert result.folder == work / "data" / "processed"
    assert (work / "data" / "processed" / "statistics.csv").is_file()
    assert is_fresh(config.data_folder())
    assert not (bundle / "data" / "processed").exists()


def test_installed_bundled_data_is_not_written_by_collect(installed):
    from lingshou.collect.returns import Collection
    from lingshou.collect.store import write_collection

    import pandas as pd

    folder = config.data_folder()
    empty = pd.DataFrame()
    coll = Collection(county="灵寿县", year=2025, reporting=empty, files=empty, values=empty, collected=empty,
                      held=empty, conflicts=empty, problems=[], target=folder.statistics / "x.csv", folder=folder)
    with pytest.raises(ParameterError, match="已安装的包中的内置数据是只读的.*--data"):
        write_collection(coll)


def test_the_wheel_bundles_what_the_config_looks_for():
    """setup.py copies data/raw and notebooks to exactly the folders config reads in an installed package."""
    import ast

    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    bundled = next(ast.literal_eval(node.value) for node in tree.body
                   if isinstance(node, ast.Assign) and node.targets[0].id == "BUNDLED")
    targets = {source: target for source, target, _ in bundled}
    assert targets == {"data/raw": "_bundled/data/raw", "notebooks": "_bundled/notebooks"}
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").splitlines()
    assert {"graft data/raw", "graft notebooks", "prune data/processed"} <= set(manifest)


def test_count_list_leaves_zeros_out():
    from lingshou.i18n import count_list

    parts = [("达标", "met", 3), ("接近", "close", 0), ("落后", "behind", 1)]
    assert count_list(parts, "项", "zh") == "达标3项、落后1项"
    assert count_list(parts, "个", "zh", spaced=True) == "达标 3 个、落后 1 个"
    assert count_list(parts, "", "en") == "3 met, 1 behind"
    assert count_list([("达标", "met", 0)], "项", "zh") == "无" and count_list([], "", "en") == "none"


def test_units_in_english_one_way():
    from lingshou.i18n import unit_in_text, unit_label

    assert [unit_label(u, "en") for u in ("万元", "家", "件/万人", "%", "吨")] == ["×10k yuan", "count", "per 10k residents", "%", "吨"]
    assert unit_label("万元", "zh") == "万元"
    assert [unit_in_text(u, "en") for u in ("万元", "家", "家/千家")] == ["×10k yuan", "", "per 1,000 firms"]


def test_format_frame_writes_units_in_the_report_language():
    import pandas as pd

    from lingshou.report.tables import format_frame

    df = pd.DataFrame({"unit": ["万元", "家/千家", None], "value": [1.0, 2.0, 3.0]})
    assert format_frame(df, "en")["unit"].tolist() == ["×10k yuan", "per 1,000 firms", ""]
    assert format_frame(df, "zh")["unit"].tolist() == ["万元", "家/千家", ""]
