"""Tests of the reporting-unit table and the safety helpers of the data collection."""
from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingshou.collect.units import (
    REPORTING_COLUMNS,
    check_reporting_units,
    checked_reporting_units,
    collectable_codes,
    is_safe_name,
    load_held,
    load_reporting_units,
    plan_units,
    problem_department,
    reporting_units,
    resolve_unit,
    safe_filename,
    unit_from_filename,
)
from lingshou.config import DEFAULT_DATA_DIR
from lingshou.data.catalogue import load_catalogue
from lingshou.data.problems import problem
from lingshou.data.safe import FORMULA_TRIGGERS, neutralise_frame, neutralise_text
from lingshou.errors import DataError, ParameterError
from lingshou.plan.targets import find_plan


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.fixture(scope="module")
def plan():
    return find_plan("灵寿县")


@pytest.fixture(scope="module")
def table(cat, plan):
    return check_reporting_units(load_reporting_units(), cat, plan)


def _raw(rows):
    t = pd.DataFrame(rows, columns=REPORTING_COLUMNS)
    return t


def _bundled_raw():
    return load_reporting_units()


# ------------------------------------------------------------------------------------------ safety
@pytest.mark.parametrize("text, expected", [
    ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("  =1+1", "'  =1+1"),           # leading spaces do not hide a formula
    ("＝1+1", "'＝1+1"),             # full-width equals sign
    ("\t=1", "'\t=1"),
    ("县财政局决算", "县财政局决算"),
    ("1+1", "1+1"),                  # starts with a digit: a spreadsheet reads it as text or a number, never a formula
    ("", ""),
])
def test_neutralise_text(text, expected):
    assert neutralise_text(text) == expected


def test_neutralise_text_leaves_non_strings_and_is_idempotent():
    assert neutralise_text(-5.0) == -5.0
    assert neutralise_text(None) is None
    assert neutralise_text(neutralise_text("=1")) == "'=1"


def test_neutralise_frame_only_touches_text_columns():
    df = pd.DataFrame({"value": [-1.0, 2.0], "remark": ["=cmd", "ok"], "n": [-3, 4]})
    out = neutralise_frame(df)
    assert out["remark"].tolist() == ["'=cmd", "ok"]
    assert out["value"].tolist() == [-1.0, 2.0]
    assert out["n"].tolist() == [-3, 4]
    assert df["remark"].tolist() == ["=cmd", "ok"]  # the input is not modified


@pytest.mark.parametrize("name, ok", [("县财政局", True), ("各乡(镇)政府", True), ("../etc", False), ("a/b", False),
                                      ("a\\b", False), ("..", False), ("", False), ("x\x00y", False), (None, False)])
def test_is_safe_name(name, ok):
    assert is_safe_name(name) is ok


def test_safe_filename():
    assert safe_filename("灵寿县", 2024, "县财政局", suffix=".xlsx") == "灵寿县_2024_县财政局.xlsx"


def test_safe_filename_rejects_path_parts():
    with pytest.raises(ParameterError, match=r"含路径符号.*path or control characters"):
        safe_filename("灵寿县", "../../etc", suffix=".xlsx")


# ------------------------------------------------------------------------------------------ table
def test_load_reporting_units_missing_file(tmp_path, monkeypatch):
    # The bundled table is the fallback: hide it by pointing the data folder at a copy without it.
    (tmp_path / "raw" / "statistics").mkdir(parents=True)
    monkeypatch.setattr("lingshou.config.DEFAULT_DATA_DIR", tmp_path / "nowhere")
    with pytest.raises(DataError, match=r"缺少报送单位表.*reporting-unit table .* is missing"):
        load_reporting_units(tmp_path)


def test_load_reporting_units_missing_column(tmp_path):
    (tmp_path / "raw" / "statistics").mkdir(parents=True)
    (tmp_path / "raw" / "collection").mkdir()
    (tmp_path / "raw" / "collection" / "reporting_units.csv").write_text("indicator,unit\nst_smes,县发展和改革局\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"缺少列 \['basis', 'via', 'note'\].*lacks columns"):
        load_reporting_units(tmp_path)


def test_user_table_wins_over_bundled(tmp_path):
    (tmp_path / "raw" / "statistics").mkdir(parents=True)
    (tmp_path / "raw" / "collection").mkdir()
    src = DEFAULT_DATA_DIR / "raw" / "collection" / "reporting_units.csv"
    shutil.copy(src, tmp_path / "raw" / "collection" / "reporting_units.csv")
    t = load_reporting_units(tmp_path)
    assert t.equals(load_reporting_units())   # the copy is read, not the bundled table …
    # … and a problem in it is reported with its own path
    copy = tmp_path / "raw" / "collection" / "reporting_units.csv"
    lines = copy.read_text(encoding="utf-8-sig").splitlines()
    copy.write_text("\n".join(line for line in lines if not line.startswith("resident_population,")) + "\n",
                    encoding="utf-8")
    cat = load_catalogue(tmp_path)
    with pytest.raises(DataError, match=r"指标 \['resident_population'\] 没有报送单位") as exc:
        checked_reporting_units(tmp_path, cat, find_plan("灵寿县", data_dir=tmp_path))
    assert str(copy) in str(exc.value)


def test_bundled_table_is_valid_and_one_unit_per_figure(table, cat, plan):
    assert table["indicator"].is_unique
    assert set(table["indicator"]) == set(collectable_codes(cat, plan))
    # The brief's example: 县财政局 reports the fiscal S&T expenditure and the budget it is a share of.
    assert table.loc[table["unit"] == "县财政局", "indicator"].tolist() == ["fiscal_st_expenditure", "general_budget_expenditure"]
    assert table.set_index("indicator").at["agri_industrialization_rate", "dimension"] == "share"
    assert reporting_units(table) == ["县财政局", "县统计局", "县发展和改革局", "县市场监管局", "县人力资源和社会保障局",
                                      "县农业农村局", "县经济开发区管委会"]


def test_collectable_codes_are_operands_never_ratios(cat, plan):
    codes = collectable_codes(cat, plan)
    assert "fiscal_st_share" not in codes and "general_budget_expenditure" in codes
    assert "innovation_management" not in codes and "gdp" not in codes  # qualitative score, context series
    # 9 plan ratios/levels without formula + 9 operands of the 6 ratios (registered_enterprises shared) = 18
    assert len(codes) == 18


def test_plan_units_expands_ratios_to_operands(cat, plan):
    pu = plan_units(cat, plan)
    row = pu[(pu["indicator"] == "general_budget_expenditure") & (pu["unit"] == "县财政局")]
    assert set(row["via"]) == {"fiscal_st_share"} and set(row["role"]) == {"responsible"}
    assert set(row["origin"]) == {"plan", "catalogue"}
    # 县税务局 is a responsible unit of the R&D targets only.
    assert set(pu.loc[pu["unit"] == "县税务局", "indicator"]) == {"enterprise_rd_expenditure", "industrial_revenue"}


@pytest.mark.parametrize("row, message", [
    (("no_such_code", "县财政局", "manual", "", "x"), r"未知指标代码 'no_such_code'.*unknown indicator code"),
    (("fiscal_st_share", "县财政局", "plan_responsible", "fiscal_st_share", ""), r"是比值，应报送其分子和分母.*is a ratio"),
    (("gdp", "../县统计局", "manual", "", "x"), r"为空或含路径符号.*empty or holds path characters"),
    (("gdp", "县统计局", "guess", "", "x"), r"未知依据 basis='guess'.*unknown basis"),
    (("gdp", "县统计局", "manual", "", ""), r"manual 行须在 note 中说明理由.*needs a note"),
    (("gdp", "县税务局", "plan_responsible", "gdp", ""), r"县税务局 不是 gdp 的责任单位.*neither the plan nor the catalogue"),
])
def test_check_reporting_units_rules(cat, plan, row, message):
    t = _bundled_raw()
    t = pd.concat([t, pd.DataFrame([row], columns=REPORTING_COLUMNS)], ignore_index=True)
    with pytest.raises(DataError, match=message):
        check_reporting_units(t, cat, plan)


def test_check_reporting_units_plan_lead_must_be_the_lead(cat, plan):
    t = _bundled_raw()
    t.loc[t["indicator"] == "st_smes", "unit"] = "县财政局"  # a responsible unit, not the lead, of st_smes
    with pytest.raises(DataError, match=r"县财政局 不是 st_smes 的牵头单位"):
        check_reporting_units(t, cat, plan)


def test_check_reporting_units_one_unit_per_figure(cat, plan):
    t = _bundled_raw()
    extra = pd.DataFrame([("fiscal_st_expenditure", "县发展和改革局", "plan_lead", "fiscal_st_expenditure", "")], columns=REPORTING_COLUMNS)
    t = pd.concat([t, extra], ignore_index=True)
    with pytest.raises(DataError, match=r"指标 \['fiscal_st_expenditure'\] 有多个报送单位.*more than one reporting unit"):
        check_reporting_units(t, cat, plan)


def test_check_reporting_units_coverage(cat, plan):
    t = _bundled_raw()
    t = t[t["indicator"] != "resident_population"].reset_index(drop=True)
    with pytest.raises(DataError, match=r"指标 \['resident_population'\] 没有报送单位.*have no reporting unit"):
        check_reporting_units(t, cat, plan)


def test_check_reporting_units_lists_every_problem_at_once(cat, plan):
    t = _raw([("no_such_code", "县财政局", "manual", "", "x"), ("gdp", "县统计局", "guess", "", "x")])
    with pytest.raises(DataError) as exc:
        check_reporting_units(t, cat, plan)
    text = str(exc.value)
    assert "no_such_code" in text and "guess" in text and "have no reporting unit" in text


# ------------------------------------------------------------------------------------------ names
def test_resolve_unit(table):
    assert resolve_unit("县财政局", table) == "县财政局"
    assert resolve_unit("财政局", table) == "县财政局"          # without the leading 县
    assert resolve_unit("县财政局 ", table) == "县财政局"        # spaces are normalised away


@pytest.mark.parametrize("name", ["../县财政局", "..", "/etc/passwd", "县财政局/../../x", "a\\b"])
def test_resolve_unit_rejects_path_traversal(table, name):
    with pytest.raises(ParameterError, match=r"不是有效名称（不得含路径符号）.*not a valid name"):
        resolve_unit(name, table)


def test_resolve_unit_unknown(table):
    with pytest.raises(ParameterError, match=r"报送单位表和方案任务中都没有 '县税务局'.*choose from: 县财政局"):
        resolve_unit("县税务局", table)


def test_unit_from_filename():
    units = ["县财政局", "县统计局", "县人力资源和社会保障局"]
    assert unit_from_filename("县财政局_2024.xlsx", units) == "县财政局"
    assert unit_from_filename("2024年财政局报送.xlsx", units) == "县财政局"
    assert unit_from_filename("returns.xlsx", units) is None
    # two units of equal length in one name: undecidable
    assert unit_from_filename("财政局和统计局.xlsx", units) is None


def test_unit_from_filename_longest_wins():
    assert unit_from_filename("县人力资源和社会保障局.xlsx", ["县人力资源和社会保障局", "社会保障局"]) == "县人力资源和社会保障局"


def test_problem_department():
    files = {"/r/a.xlsx": "县财政局", "/r/b.csv": "县统计局"}
    assert problem_department(problem("error", "x", "z", "e", file="/r/a.xlsx#填报"), files) == "县财政局"
    assert problem_department(problem("error", "x", "z", "e", file="/r/b.csv"), files) == "县统计局"
    assert problem_department(problem("error", "x", "z", "e", file="/r/c.csv"), files) is None


def test_load_held_without_statistics_folder(tmp_path):
    (tmp_path / "raw").mkdir()  # a data folder whose raw/ has no statistics/ yet
    held, probs = load_held(tmp_path)
    assert held.empty and probs == []
    assert np.issubdtype(held["value"].dtype, np.floating)


@given(st.text())
def test_neutralised_text_never_starts_like_a_formula(text):
    out = neutralise_text(text)
    assert not out.startswith(FORMULA_TRIGGERS)
    assert not out.lstrip(" \u3000").startswith(FORMULA_TRIGGERS) or out.startswith("'")
    assert out.endswith(text)  # only a prefix is ever added
