"""Tables shown in the notebooks: labels, status words, one language, no index, deterministic HTML."""
from __future__ import annotations

import pandas as pd
import pytest

from lingshou.data.catalogue import load_catalogue
from lingshou.errors import DataError
from lingshou.plots.tables import column_labels, label_table, show_table, table_html


@pytest.fixture
def gap_like():
    return pd.DataFrame({"id": ["t1", "t2"], "actual": [1.234, float("nan")], "status": ["met", "behind"],
                         "data_status": ["illustrative", "published"], "name_zh": ["甲", "乙"], "name_en": ["A", "B"],
                         "met_in_target_year": pd.array([True, None], dtype="boolean")})


def test_chinese_labels_words_and_one_language(gap_like):
    out = label_table(gap_like, "zh")
    assert list(out.columns) == ["目标编号", "实际值", "状态", "数据状态", "名称", "目标年达标"]
    assert out["状态"].tolist() == ["达标", "落后"]
    assert out["数据状态"].tolist() == ["示例数据", "公开发布"]
    assert out["目标年达标"].tolist() == ["是", "—"]
    assert out["名称"].tolist() == ["甲", "乙"]


def test_english_labels(gap_like):
    out = label_table(gap_like, "en")
    assert list(out.columns) == ["target id", "actual", "status", "data status", "name", "met in target year"]
    assert out["name"].tolist() == ["A", "B"]
    assert out["status"].tolist() == ["met", "behind"]


def test_input_is_not_changed(gap_like):
    before = gap_like.copy()
    label_table(gap_like, "zh")
    pd.testing.assert_frame_equal(gap_like, before)


def test_named_index_becomes_a_column_and_codes_get_catalogue_names():
    wide = pd.DataFrame({"high_tech_enterprises": [26.0, 30.0]}, index=pd.Index([2022, 2023], name="year"))
    out = label_table(wide, "zh", catalogue=load_catalogue())
    assert list(out.columns) == ["年份", load_catalogue().name("high_tech_enterprises", "zh")]
    assert out.index.equals(pd.RangeIndex(2))


def test_unknown_column_keeps_its_name():
    assert list(label_table(pd.DataFrame({"whatever": [1]}), "zh").columns) == ["whatever"]


def test_html_has_no_index_rounds_and_is_deterministic(gap_like):
    html = table_html(gap_like, "zh", decimals=1)
    assert "1.2<" in html and "1.234" not in html
    assert "row_heading" not in html  # no 0…n index
    assert html == table_html(gap_like.copy(), "zh", decimals=1)


def test_duplicate_labels_are_numbered():
    html = table_html(pd.DataFrame({"name": ["x"], "name_zh": ["y"]}), "zh")
    assert "名称 (2)" in html


def test_show_table_outside_ipython_prints_text(gap_like, capsys):
    show_table(gap_like, "zh")
    assert "达标" in capsys.readouterr().out


def test_label_file_with_a_repeated_column_is_refused(tmp_path):
    bad = tmp_path / "labels.csv"
    bad.write_text("column,zh,en\nyear,年份,year\nyear,年,year\nvalue,,value\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"(?s)第4行.*列名重复 \['year'\]"):
        column_labels(bad)


def test_bundled_label_file_is_complete():
    labels = column_labels()
    assert labels["county"] == {"zh": "县（市、区）", "en": "county"}
    assert all(v["zh"] and v["en"] for v in labels.values())


def test_english_drops_the_chinese_twin():
    out = label_table(pd.DataFrame({"unit": ["县财政局"], "unit_en": ["Finance Bureau"], "n_met": [2]}), "en")
    assert list(out.columns) == ["unit", "met"] and out["unit"].tolist() == ["Finance Bureau"]


def test_series_shows_indicator_names_and_values():
    cat = load_catalogue()
    s = pd.Series({"high_tech_enterprises": 26.0}, name="灵寿县")
    out = label_table(s, "zh", catalogue=cat)
    assert list(out.columns) == ["指标", "灵寿县"]
    assert out["指标"].tolist() == [cat.name("high_tech_enterprises", "zh")]


def test_status_column_of_data_statuses():
    out = label_table(pd.DataFrame({"values": [3]}, index=pd.Index(["illustrative"], name="status")), "zh")
    assert out["状态"].tolist() == ["示例数据"] and list(out.columns) == ["状态", "数值个数"]
