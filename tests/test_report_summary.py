"""Tests of lingshou.report.summary: the summary contract between notebooks and the report."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from lingshou.errors import ParameterError
from lingshou.report.summary import SCHEMA_VERSION, bilingual, read_summaries, write_summary

T = bilingual("数据概况", "Data overview")
H = bilingual("一句话。", "One sentence.")
P = {"zh": ["第一段。"], "en": ["First paragraph."]}


@pytest.fixture
def out(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "tables").mkdir()
    (tmp_path / "figures" / "a.png").write_bytes(b"\x89PNG")
    (tmp_path / "tables" / "t.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return tmp_path


def write(out, **kw):
    args = dict(county="灵寿县", year=2022, title=T, headline=H, paragraphs=P)
    args.update(kw)
    return write_summary(out, "00-data-overview", **args)


def test_write_and_read_summary(out):
    path = write(out, figures=[{"file": "figures/a.png", "caption": bilingual("图", "Figure")}],
                 tables=[{"file": "tables/t.csv", "caption": bilingual("表", "Table"), "columns": ["a", "b"],
                          "labels": {"zh": ["甲", "乙"], "en": ["A", "B"]}}],
                 statuses=["published", "illustrative", "published"],
                 numbers={"share": np.float64(0.52), "n": np.int64(3), "missing": math.nan, "pair": (1, 2)},
                 year=np.int64(2022))
    assert path == out / "summaries" / "00-data-overview.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema"] == SCHEMA_VERSION and doc["notebook"] == "00-data-overview"
    assert doc["county"] == "灵寿县" and doc["year"] == 2022
    assert doc["statuses"] == ["illustrative", "published"]       # sorted, once each
    assert doc["numbers"] == {"share": 0.52, "n": 3, "missing": None, "pair": [1, 2]}   # JSON-safe: NaN → null
    assert doc["notes"] == {"zh": [], "en": []}
    assert "数据概况" in path.read_text(encoding="utf-8")          # Chinese written as is, not \u escapes
    assert read_summaries(out) == [doc]


def test_read_summaries_in_notebook_order(out):
    write_summary(out, "30-rd", county="灵寿县", year=2022, title=T, headline=H, paragraphs=P)
    write_summary(out, "10-gap", county="灵寿县", year=2022, title=T, headline=H, paragraphs=P)
    assert [d["notebook"] for d in read_summaries(out)] == ["10-gap", "30-rd"]
    assert read_summaries(out / "nowhere") == []


@pytest.mark.parametrize("kw, message", [
    ({"title": "数据概况"}, r"^title 应为 \{'zh': 文本, 'en': text\} / title must be \{'zh': text, 'en': text\}$"),
    ({"title": {"zh": "数据概况"}}, r"title must be"),
    ({"headline": {"zh": "一", "en": 1}}, r"^headline 应为"),
    ({"headline": {"zh": "一", "en": "one", "fr": "un"}}, r"headline must be"),
    ({"paragraphs": {"zh": "一段", "en": ["one"]}}, r"^paragraphs 应为 \{'zh': \[...\], 'en': \[...\]\} / paragraphs must be"),
    ({"notes": {"zh": []}}, r"^notes 应为"),
    ({"figures": [{"file": "figures/a.png", "caption": "图"}]}, r"^caption of figures/a.png 应为"),
])
def test_texts_must_be_bilingual(out, kw, message):
    with pytest.raises(ParameterError, match=message):
        write(out, **kw)


def test_listed_file_must_exist(out):
    with pytest.raises(ParameterError, match=r"摘要引用的文件不存在：.*figures/b\.png / the summary names a missing file: .*figures/b\.png"):
        write(out, figures=[{"file": "figures/b.png", "caption": bilingual("图", "Figure")}])


def test_listed_item_without_file(out):
    with pytest.raises(ParameterError, match=r"摘要中的图表缺少 file 键：\{'caption': .*\} / a figure or table of the summary lacks its `file`: \{'caption'"):
        write(out, figures=[{"caption": bilingual("图", "Figure")}])


def test_table_labels_must_match_columns(out):
    with pytest.raises(ParameterError, match=r"表 tables/t\.csv 的列标签数与列数不符 / labels of table tables/t\.csv do not match its columns"):
        write(out, tables=[{"file": "tables/t.csv", "caption": bilingual("表", "Table"), "columns": ["a", "b"],
                            "labels": {"zh": ["甲"], "en": ["A", "B"]}}])


@pytest.mark.parametrize("labels", [{"zh": ["甲", "乙"]}, {"zh": ["甲", "乙"], "en": ["A", "B"], "fr": ["a", "b"]}])
def test_table_labels_need_both_languages(out, labels):
    with pytest.raises(ParameterError, match=r"表 tables/t\.csv 的列标签应为 \{'zh': \[...\], 'en': \[...\]\}"):
        write(out, tables=[{"file": "tables/t.csv", "caption": bilingual("表", "Table"), "columns": ["a", "b"], "labels": labels}])


def test_table_labels_need_columns(out):
    with pytest.raises(ParameterError, match=r"表 tables/t\.csv 有列标签但没有 columns / table tables/t\.csv has labels but no `columns`"):
        write(out, tables=[{"file": "tables/t.csv", "caption": bilingual("表", "Table"), "labels": {"zh": ["甲"], "en": ["A"]}}])


def test_unknown_status(out):
    with pytest.raises(ParameterError, match=r"未知数据状态 \['guessed'\] / unknown statuses \['guessed'\]"):
        write(out, statuses=["published", "guessed"])


def test_extra_statuses_of_analyses_are_allowed(out):
    doc = json.loads(write(out, statuses=["projected", "modelled", "missing", "derived"]).read_text(encoding="utf-8"))
    assert doc["statuses"] == ["derived", "missing", "modelled", "projected"]
