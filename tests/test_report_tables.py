"""Formatting and the gap table read by department (lingshou.report.tables), on literal fixtures."""
import math

import numpy as np
import pandas as pd
import pytest

from lingshou.errors import AnalysisError
from lingshou.report.tables import (
    as_number,
    check_columns,
    department_rows,
    format_frame,
    numeric_columns,
    format_number,
    format_value,
    gap_status_codes,
    ledger,
    number_decimals,
    split_units,
    status_counts,
    status_label,
    tone_of,
    unit_order,
    unit_rollup,
)


def gap_fixture():
    # Two departments; statuses written in both vocabularies the gap table may use.
    return pd.DataFrame({
        "indicator": ["a", "b", "c", "d"],
        "name_zh": ["甲", "乙", "丙", "丁"],
        "actual": [10.0, 5.0, np.nan, 3.0],
        "target": [8.0, 10.0, 4.0, 3.1],
        "status": ["met", "落后", "no_data", "close"],
        "lead_unit": ["发改局", "发改局", "科技局", "发改局"],
        "responsible_units": ["财政局、税务局", "['财政局', '科技局']", None, "税务局"],
    })


@pytest.mark.parametrize("values, expected", [
    ([1.0, 2.0, 2024.0], 0),        # all whole
    ([288461.5, 1.25], 1),          # largest |x| >= 100
    ([0.52, 1.5], 2),               # 0.1 <= largest < 100
    ([0.012, 0.05], 3),             # largest < 0.1
    ([np.nan, 3.0], 0),             # missing ignored
])
def test_number_decimals(values, expected):
    assert number_decimals(pd.Series(values)) == expected


def test_format_number():
    assert format_number(288461.5, 1) == "288,461.5"   # separators from 10,000
    assert format_number(2025.0, 0) == "2025"           # years stay plain (below 10,000)
    assert format_number(0.5234, 2) == "0.52"
    assert format_number(-0.001, 2) == "0"              # no "-0.00"
    assert format_number(float("nan")) == "—"
    assert format_number(None) == "—"
    assert format_number(1320.0) == "1320"              # one value: whole → no decimals
    assert format_number(13.636) == "13.64"             # below 100 → 2 decimals
    assert format_number(math.inf) == "∞"


def test_mixed_columns():
    # A grade target 'B' makes pandas read the target column as text.
    assert as_number("1500.0") == 1500.0 and as_number("-2e3") == -2000.0
    assert as_number("B") == "B" and as_number("0.5%") == "0.5%" and as_number(3) == 3
    assert format_value("1500.0") == "1500" and format_value("B") == "B" and format_value(13.636, 1) == "13.6"
    assert format_value(float("nan")) == "—"
    out = format_frame(pd.DataFrame({"target": ["1500.0", "B", "0.52"]}), "zh")
    assert out["target"].tolist() == ["1500", "B", "0.52"]


def test_format_frame_per_column():
    df = pd.DataFrame({"year": [2023, 2024], "share": [0.5, 0.523], "ok": [True, False],
                       "status": ["behind", "illustrative"], "name": ["甲", "乙"]})
    out = format_frame(df, "zh")
    assert out["year"].tolist() == ["2023", "2024"]
    assert out["share"].tolist() == ["0.50", "0.52"]            # one decimals count for the column
    assert out["ok"].tolist() == ["是", "否"]
    assert out["status"].tolist() == ["落后", "示例数据"]
    assert numeric_columns(df) == ["year", "share"] and not out.attrs
    en = format_frame(df, "en", decimals={"share": 3})
    assert en["share"].tolist() == ["0.500", "0.523"]
    assert en["ok"].tolist() == ["yes", "no"]


def test_status_label_and_tone():
    assert status_label("no_data", "zh") == "无数据"
    assert status_label("达标", "en") == "met"
    assert status_label("illustrative, published", "zh") == "示例数据、公开发布"
    assert status_label("something else", "zh") == "something else"
    assert tone_of("落后") == "behind"
    # a task measure's state and flag (lingshou.analysis.tasks)
    assert [tone_of(s) for s in ("已完成", "推进中", "滞后", "无报送", "逾期", "overdue", "in progress")] == [
        "met", "close", "behind", "no_data", "behind", "behind", "close"]
    assert tone_of("illustrative") == "illustrative"
    assert tone_of(3.0) is None


def test_gap_status_codes_unknown():
    with pytest.raises(AnalysisError, match=r"未知状态 \['fine'\].*unknown value\(s\) \['fine'\]"):
        gap_status_codes(pd.Series(["met", "fine"]))


def test_check_columns():
    with pytest.raises(AnalysisError, match=r"缺少列 \['lead_unit'\].*lacks column\(s\) \['lead_unit'\]"):
        check_columns(pd.DataFrame({"indicator": []}), ["indicator", "lead_unit"], "tables/x.csv")


@pytest.mark.parametrize("cell, expected", [
    ("县财政局、县税务局", ["县财政局", "县税务局"]),
    ("('县财政局', '县税务局')", ["县财政局", "县税务局"]),
    ("['县财政局']", ["县财政局"]),
    ("县财政局; 县税务局", ["县财政局", "县税务局"]),
    (("a", "b"), ["a", "b"]),
    (float("nan"), []),
    ("各乡(镇)政府", ["各乡(镇)政府"]),          # brackets inside a name are not a list
])
def test_split_units(cell, expected):
    assert split_units(cell) == expected


def test_ledger_orders_departments_and_statuses():
    led = ledger(gap_fixture(), "zh")
    # 发改局 first (first to appear), its rows worst first: behind (b), close (d), met (a); then 科技局 (c).
    assert led["indicator"].tolist() == ["b", "d", "a", "c"]
    assert led["status"].tolist() == ["behind", "close", "met", "no_data"]
    assert led["responsible_units"].tolist() == ["财政局、科技局", "税务局", "财政局、税务局", ""]
    assert led["name"].tolist() == ["乙", "丁", "甲", "丙"]
    assert led["unit"].isna().all()                     # optional column absent → NaN


def test_ledger_follows_rollup_order_and_names():
    by_unit = pd.DataFrame({"unit": ["科技局", "发改局"], "n_met": [0, 1], "n_close": [0, 1], "n_behind": [0, 1],
                            "n_no_data": [1, 0]})
    led = ledger(gap_fixture(), "en", {"a": "A", "b": "B", "c": "C", "d": "D"}, by_unit)
    assert led["lead_unit"].tolist() == ["科技局", "发改局", "发改局", "发改局"]
    assert led["name"].tolist() == ["C", "B", "D", "A"]   # no name_en column → catalogue names
    assert unit_order(gap_fixture(), None) == ["发改局", "科技局"]


def test_department_rows_roles():
    led = ledger(gap_fixture(), "zh")
    rows = department_rows(led, "财政局")
    assert rows["indicator"].tolist() == ["b", "a"]
    assert rows["role"].tolist() == ["responsible", "responsible"]
    lead = department_rows(led, "科技局")
    # 科技局 leads c and shares b.
    assert sorted(zip(lead["indicator"], lead["role"])) == [("b", "responsible"), ("c", "lead")]


def test_unit_rollup_and_counts():
    by_unit = pd.DataFrame({"unit": ["发改局"], "n_met": [1], "n_close": [1], "n_behind": [2], "n_no_data": [np.nan]})
    r = unit_rollup(by_unit)
    assert r.loc[0, "n_total"] == 4     # 1 + 1 + 2 + 0
    with pytest.raises(AnalysisError, match="gap_by_unit.csv"):
        unit_rollup(by_unit.drop(columns="n_close"))
    assert status_counts(ledger(gap_fixture())) == {"met": 1, "close": 1, "behind": 1, "no_data": 1}


def test_ledger_goal_text_only_for_the_workbook():
    import pandas as pd

    from lingshou.report.tables import ledger

    gap = pd.DataFrame({"id": ["r"], "indicator": ["evaluation_rank"], "name_zh": ["位次"], "name_en": ["rank"],
                        "type": ["rank"], "unit": ["%"], "actual": [76.6], "target": [50.0], "target_year": [2025],
                        "status": ["behind"], "lead_unit": ["县发展和改革局"], "responsible_units": [""],
                        "actual_text_zh": ["全省167个县（市、区）中第128位"], "target_text_zh": ["全省前 50%（2025年）"]})
    assert ledger(gap, "zh")["actual"].tolist() == [76.6]
    assert ledger(gap, "zh", goal_text=True)[["actual", "target"]].values.tolist() == [
        ["全省167个县（市、区）中第128位", "全省前 50%（2025年）"]]
    # a goal's gap and achievement (a percent position) are not shown beside its text
    assert ledger(gap.assign(gap=26.6, achievement_pct=65.2), "zh", goal_text=True)[
        ["gap", "achievement_pct"]].isna().all(axis=None)
    assert ledger(gap, "zh", goal_text=True)["unit"].tolist() == [""]


def test_ledger_names_who_answers_for_a_goal_without_lead_unit():
    import pandas as pd

    from lingshou.report.tables import ledger

    gap = pd.DataFrame({"id": ["g"], "indicator": ["evaluation_grade"], "name_zh": ["等级"], "name_en": ["grade"],
                        "type": ["grade"], "unit": ["分"], "actual": [70.6], "target": [60.0], "target_year": [2022],
                        "status": ["met"], "lead_unit": [None], "responsible_units": [""]})
    assert ledger(gap, "zh")["lead_unit"].tolist() == [""]   # the PDF says （未指定） itself
    assert ledger(gap, "zh", goal_text=True)["lead_unit"].tolist() == ["县科技创新工作领导小组（全计划目标，方案未指定牵头单位）"]
    assert ledger(gap, "en", goal_text=True)["lead_unit"].str.startswith("County S&T innovation leading group").all()


def test_a_column_of_mixed_units_prints_each_value_by_its_size():
    from lingshou.report.tables import format_frame

    # 5,700 万元 beside 0.96 % and 0.66 %: one decimal count for the column would print 1.0 and 0.7
    out = format_frame(pd.DataFrame({"v": [5700.0, 0.96, 0.66]}))
    assert out["v"].tolist() == ["5700", "0.96", "0.66"]       # a whole value without decimals
    # values of one size keep one count: 120.5 and 98.7 → 1 decimal
    assert format_frame(pd.DataFrame({"v": [120.5, 98.7]}))["v"].tolist() == ["120.5", "98.7"]
