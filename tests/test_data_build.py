"""Tests of lingshou.data.build: raw → processed/, typed, idempotent and atomic."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from lingshou.config import data_folder
from lingshou.data import build as B
from lingshou.errors import DataError

LONG = "县,年份,指标,数值,单位\n"
GOOD = {
    "tjj.csv": LONG + "灵寿县,2021,高新技术企业数,18,家\n灵寿县,2022,高新技术企业数,24,家\n"
                      "灵寿县,2022,地方财政科技支出,0.152,亿元\n",
    "sub/czj.csv": LONG + "平山县,2022,科学技术支出,\"23,805,000\",元\n",
}


@pytest.fixture
def folder(make_data_dir):
    return make_data_dir(GOOD)


def snapshot(processed: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(processed.iterdir())}


def test_build_writes_table_schema_and_manifest(folder):
    result = B.build(folder)
    out = folder / "processed"
    assert result.folder == out
    assert sorted(p.name for p in out.iterdir()) == ["build.json", "schema.yaml", "statistics.csv"]
    table = pd.read_csv(out / "statistics.csv", dtype=B.DTYPES)
    # 0.152 亿元 = 1520 万元; 23,805,000 元 = 2380.5 万元
    assert table[["county", "year", "indicator", "value", "unit"]].values.tolist() == [
        ["平山县", 2022, "fiscal_st_expenditure", 2380.5, "万元"],
        ["灵寿县", 2022, "fiscal_st_expenditure", 1520.0, "万元"],
        ["灵寿县", 2021, "high_tech_enterprises", 18.0, "家"],
        ["灵寿县", 2022, "high_tech_enterprises", 24.0, "家"],
    ]
    # paths relative to raw/, so the table is the same wherever the folder lives
    assert table["file"].tolist() == ["statistics/sub/czj.csv", "statistics/tjj.csv", "statistics/tjj.csv", "statistics/tjj.csv"]
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert manifest["rows"] == 4 and manifest["counties"] == ["平山县", "灵寿县"] and manifest["years"] == [2021, 2022]
    assert manifest["status_counts"] == {"published": 4} and manifest["warnings"] == 0
    assert sorted(manifest["inputs"]) == ["statistics/sub/czj.csv", "statistics/tjj.csv"]
    assert manifest["inputs"]["statistics/tjj.csv"] == B.file_hash(folder / "raw" / "statistics" / "tjj.csv")
    assert "fiscal_st_expenditure" in (out / "schema.yaml").read_text(encoding="utf-8")


def test_build_is_idempotent(folder):
    B.build(folder)
    first = snapshot(folder / "processed")
    B.build(folder)
    assert snapshot(folder / "processed") == first


def test_failed_build_leaves_previous_processed_untouched(folder):
    B.build(folder)
    before = snapshot(folder / "processed")
    (folder / "raw" / "statistics" / "tjj.csv").write_text(GOOD["tjj.csv"] + "灵寿县,2023,高新技术企业数,约30,家\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"数据有 1 个错误，未生成 processed/ / the data has 1 error\(s\); processed/ was not written"
                                        r"\n\[错误 ERROR\] .*tjj\.csv, 行 row 5, 列 column 数值, 值 value 约30"):
        B.build(folder)
    assert snapshot(folder / "processed") == before
    assert sorted(p.name for p in folder.iterdir()) == ["processed", "raw"]   # no temporary folder left behind


def test_build_failing_while_writing_leaves_previous_untouched(folder, monkeypatch):
    B.build(folder)
    before = snapshot(folder / "processed")
    (folder / "raw" / "statistics" / "new.csv").write_text(LONG + "行唐县,2022,高新技术企业数,19,家\n", encoding="utf-8")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail)
    with pytest.raises(OSError, match="disk full"):
        B.build(folder)
    assert snapshot(folder / "processed") == before
    assert sorted(p.name for p in folder.iterdir()) == ["processed", "raw"]


def test_build_failing_during_the_swap_restores_previous(folder, monkeypatch):
    B.build(folder)
    before = snapshot(folder / "processed")
    real_replace = os.replace
    calls = {"n": 0}

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:   # the old folder was moved aside; moving the new one in fails
            raise OSError("interrupted")
        return real_replace(src, dst)

    monkeypatch.setattr(B.os, "replace", replace)
    with pytest.raises(OSError, match="interrupted"):
        B.build(folder)
    assert snapshot(folder / "processed") == before
    assert sorted(p.name for p in folder.iterdir()) == ["processed", "raw"]


def test_build_keeps_the_processed_readme(folder):
    (folder / "processed").mkdir()
    (folder / "processed" / "README.md").write_text("processed data card\n", encoding="utf-8")
    B.build(folder)
    assert (folder / "processed" / "README.md").read_text(encoding="utf-8") == "processed data card\n"


def test_build_without_statistics_folder(tmp_path):
    (tmp_path / "raw").mkdir()
    with pytest.raises(DataError, match=r"数据文件夹中没有 statistics/：.*raw/statistics / no statistics/ folder in the data folder"):
        B.build(tmp_path)


def test_freshness_and_load_data(folder):
    f = data_folder(folder)
    assert not B.is_fresh(f)
    raw, note = B.load_tidy(folder)
    assert note == ("processed/ 不是最新的，已直接读取原始数据；请运行 lingshou build / processed/ is not up to date, "
                    "the raw files were read directly; run lingshou build")
    B.build(folder)
    assert B.is_fresh(f)
    processed, note = B.load_tidy(folder)
    assert note == "" and not processed.attrs
    pd.testing.assert_frame_equal(B.load_data(folder), processed)
    assert processed.dtypes.astype(str).to_dict() == {"county": "str", "year": "int64", "indicator": "str", "value": "float64",
                                                      "unit": "str", "status": "str", "source": "str", "file": "str",
                                                      "row": "int64"}
    pd.testing.assert_frame_equal(processed, B.read_processed(f))
    assert processed[["county", "year", "indicator", "value"]].values.tolist() == \
        raw[["county", "year", "indicator", "value"]].values.tolist()
    # a data card beside a file is an input too: changing it makes processed/ stale
    (folder / "raw" / "statistics" / "tjj.card.yaml").write_text("publisher: 灵寿县统计局\n", encoding="utf-8")
    assert "statistics/tjj.card.yaml" in B.input_hashes(f)
    assert not B.is_fresh(f)


def test_load_data_with_errors_raises(make_data_dir):
    folder = make_data_dir({"a.csv": LONG + "灵丘县,2022,高新技术企业数,24,家\n"})
    with pytest.raises(DataError, match=r"数据有 1 个错误 / the data has 1 error\(s\)\n.*灵丘县"):
        B.load_data(folder)


def test_missing_values_survive_the_build(make_data_dir):
    folder = make_data_dir({"a.csv": LONG + "灵寿县,2022,高新技术企业数,—,家\n"})
    B.build(folder)
    df = B.read_processed(data_folder(folder))
    assert df["value"].isna().tolist() == [True]   # NaN, never 0


def test_file_hash(tmp_path):
    (tmp_path / "a").write_bytes(b"abc")
    # SHA-256 of "abc" (FIPS 180-2 test vector)
    assert B.file_hash(tmp_path / "a") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_processed_table_guards_formula_like_text_and_reads_it_back(make_data_dir):
    # A source that a spreadsheet would run (=HYPERLINK…) is stored guarded in processed/statistics.csv, which
    # analysts open, and read back as written by the analyses.
    folder = make_data_dir({"a.csv": "县,年份,指标,数值,单位,数据来源\n"
                                     "灵寿县,2022,高新技术企业数,24,家,\"=HYPERLINK(\"\"http://x\"\",\"\"统计公报\"\")\"\n"})
    B.build(folder)
    raw = pd.read_csv(folder / "processed" / "statistics.csv", dtype=str)
    assert raw["source"].tolist() == ["'=HYPERLINK(\"http://x\",\"统计公报\")"]
    assert B.read_processed(data_folder(folder))["source"].tolist() == ["=HYPERLINK(\"http://x\",\"统计公报\")"]


def test_the_processed_table_is_read_once_per_version_of_the_file(make_data_dir):
    folder = make_data_dir({"a.csv": LONG + "灵寿县,2022,高新技术企业数,24,家\n"})
    B.build(folder)
    f = data_folder(folder)
    first = B.read_processed(f)
    first.loc[0, "value"] = -1.0                          # a caller's change stays with the caller
    second = B.read_processed(f)
    assert second["value"].tolist() == [24.0] and second is not first
    # a rebuild with another figure replaces the file: the new figure is read
    (folder / "raw" / "statistics" / "a.csv").write_text(LONG + "灵寿县,2022,高新技术企业数,30,家\n", encoding="utf-8")
    B.build(folder)
    assert B.read_processed(f)["value"].tolist() == [30.0]
