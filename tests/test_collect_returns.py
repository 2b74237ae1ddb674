"""Tests of ``lingshou collect``: returned forms in, one validated statistics file out.

Every test works on a temporary copy of a small data folder (tests/data/collect/statistics_base.csv holds
灵寿县 2022–2023); the repository's data/ is never written.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from openpyxl import Workbook, load_workbook

from lingshou.cli import main
from lingshou.collect.jumps import jump_problems
from lingshou.collect.messages import department_problems, format_report, format_status
from lingshou.collect.returns import (
    COLLECTED_COLUMNS,
    find_conflicts,
    read_returns,
    read_row_texts,
    read_template_meta,
)
from lingshou.collect.status import collection_status, compare_values, department_status
from lingshou.collect.store import collect, load_collected_file, write_collection
from lingshou.collect.template import DATA_SHEET, META_SHEET, write_templates
from lingshou.collect.units import check_reporting_units, load_reporting_units
from lingshou.data.build import build
from lingshou.data.catalogue import load_catalogue
from lingshou.data.safe import FORMULA_TRIGGERS
from lingshou.data.validate import load_statistics
from lingshou.errors import DataError, ParameterError
from lingshou.plan.targets import find_plan

FIXTURES = Path(__file__).parent / "data" / "collect"
TARGET = "collected_灵寿县_2024.csv"
UNITS = ["县财政局", "县统计局", "县发展和改革局", "县市场监管局", "县人力资源和社会保障局", "县农业农村局", "县经济开发区管委会"]


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    (d / "raw" / "statistics").mkdir(parents=True)
    shutil.copy(FIXTURES / "statistics_base.csv", d / "raw" / "statistics" / "base.csv")
    return d


@pytest.fixture
def forms(data, tmp_path):
    paths = write_templates("灵寿县", 2024, out=tmp_path / "forms", data_dir=data)
    return {p.stem.split("_")[2]: p for p in paths}


@pytest.fixture
def returns(tmp_path):
    d = tmp_path / "returns"
    d.mkdir()
    return d


def fill(form: Path, dest: Path, cells: dict, sheet: str = DATA_SHEET) -> Path:
    """Fill a form as a department would (openpyxl ignores the sheet protection)."""
    wb = load_workbook(form)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(dest)
    return dest


def stats(data: Path) -> Path:
    return data / "raw" / "statistics"


def add_held(data: Path, rows: str, name: str = "more.csv") -> None:
    (stats(data) / name).write_text("县(市、区),年份,指标代码,数值,计量单位,数据状态,数据来源\n" + rows, encoding="utf-8")


def rules(coll, severity=None):
    return [p.rule for p in coll.problems if severity is None or p.severity == severity]


# ------------------------------------------------------------------------------------------ round trip
def test_round_trip_values_arrive_in_canonical_units(data, forms, returns):
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800, "I5": 260000, "J4": "2024年决算"})
    fill(forms["县农业农村局"], returns / "农业.xlsx", {"I4": 38.2})
    coll = collect(returns, data_dir=data)  # county and year from the forms
    assert (coll.county, coll.year) == ("灵寿县", 2024)
    assert coll.ok and rules(coll, "error") == [] and coll.conflicts.empty
    assert coll.written == [stats(data) / TARGET, stats(data) / "collected_灵寿县_2024.card.yaml"]

    got = load_statistics(stats(data) / TARGET, data_dir=data).table.set_index("indicator")
    assert got["value"].to_dict() == {"agri_industrialization_rate": 38.2, "fiscal_st_expenditure": 1800.0,
                                      "general_budget_expenditure": 260000.0}
    assert got["unit"].to_dict() == {"agri_industrialization_rate": "%", "fiscal_st_expenditure": "万元",
                                     "general_budget_expenditure": "万元"}
    assert set(got["status"]) == {"provisional"}
    assert got["source"].to_dict() == {"agri_industrialization_rate": "县农业农村局", "fiscal_st_expenditure": "县财政局",
                                       "general_budget_expenditure": "县财政局"}
    assert set(got["county"]) == {"灵寿县"} and set(got["year"]) == {2024}
    raw = pd.read_csv(stats(data) / TARGET, dtype=str, keep_default_na=False)
    assert list(raw.columns) == COLLECTED_COLUMNS
    assert raw.set_index("指标代码").at["fiscal_st_expenditure", "部门数据来源"] == "2024年决算"

    card = yaml.safe_load((stats(data) / "collected_灵寿县_2024.card.yaml").read_text(encoding="utf-8"))
    assert card["status"] == "provisional" and card["county"] == "灵寿县" and card["year"] == 2024
    assert card["departments"]["县财政局"]["indicators"] == ["fiscal_st_expenditure", "general_budget_expenditure"]
    # The written file builds together with the rest of the data folder: the same rules as `lingshou validate`.
    result = build(data)
    assert len(result.table[result.table["year"] == 2024]) == 3


def test_unit_changed_in_the_form_is_converted(data, forms, returns):
    # The department unprotected the sheet and wrote 亿元 in the unit cell: 0.18 亿元 = 0.18 × 10000 = 1800 万元.
    fill(forms["县财政局"], returns / "财政局.xlsx", {"D4": "亿元", "I4": 0.18})
    coll = read_returns(returns, data_dir=data)
    assert coll.values.set_index("indicator").at["fiscal_st_expenditure", "value"] == pytest.approx(1800.0)
    warn = [p for p in coll.problems if p.rule == "unit_converted"]
    assert len(warn) == 1 and warn[0].value == "亿元" and "converted to 万元" in warn[0].en
    assert coll.ok


def test_unit_typed_into_the_value_cell_is_rejected(data, forms, returns):
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": "0.18亿元", "I5": 260000})
    coll = collect(returns, data_dir=data)
    bad = [p for p in coll.problems if p.rule == "non_numeric"]
    assert len(bad) == 1 and bad[0].value == "0.18亿元" and bad[0].row == "4"
    assert not coll.ok and coll.written == [] and not (stats(data) / TARGET).exists()
    assert coll.collected.set_index("indicator").at["fiscal_st_expenditure", "state"] == "invalid"


def test_value_typed_in_the_wrong_magnitude_is_suspicious(data, forms, returns):
    # 400 万元 after 1600 (2023): 400 / 1600 = 0.25 < 1/3 → held back.
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 400, "I5": 260000})
    coll = collect(returns, data_dir=data)
    jump = [p for p in coll.problems if p.rule == "suspicious_jump"]
    assert [(p.severity, p.column) for p in jump] == [("error", "fiscal_st_expenditure")]
    assert "1600 → 400" in jump[0].en
    assert not coll.ok and coll.written == []
    assert coll.status.set_index("indicator").at["fiscal_st_expenditure", "state"] == "invalid"


def test_value_typed_in_another_unit_is_implausible(data, forms, returns):
    # 0.18 typed meaning 亿元 into a 万元 cell: below a county's plausible 1–500000 万元 → an error, not data,
    # whatever the remark says.
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 0.18, "I5": 260000, "K4": "单位为亿元"})
    coll = collect(returns, data_dir=data)
    wrong = [p for p in coll.problems if p.rule == "implausible_magnitude"]
    assert [p.severity for p in wrong] == ["error"] and "outside the plausible range for one county-level unit, 1–500000 万元" in wrong[0].en
    assert not coll.ok and coll.written == []
    assert ("县财政局", "suspicious") in {(r.department, r.kind) for r in department_problems(coll).itertuples()}


def test_explained_jump_is_accepted(data, forms, returns):
    # 6000 / 1600 = 3.75 > 3, explained in the remark → a warning, written.
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 6000, "I5": 260000, "K4": "新建科技园区一次性投入"})
    coll = collect(returns, data_dir=data)
    assert [(p.rule, p.severity) for p in coll.problems if p.rule == "suspicious_jump"] == [("suspicious_jump", "warning")]
    assert coll.ok and coll.written


def test_a_collection_without_task_sheets_has_empty_task_conflicts_of_their_own_columns(data, forms, returns):
    from lingshou.collect.task_returns import CONFLICT_COLUMNS as TASK_COLUMNS

    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1700, "I5": 260000})
    coll = collect(returns, data_dir=data)
    assert coll.task_conflicts.empty and list(coll.task_conflicts.columns) == TASK_COLUMNS
    assert "task" in TASK_COLUMNS and "held_value" not in TASK_COLUMNS


def test_a_remark_does_not_let_a_unit_mistake_in(data, forms, returns):
    # S&T spending 16 against 1600 万元 the year before: 16 / 1600 = 0.01, the figure in 百万元.  Plausible for a
    # county in itself (1–500000 万元) and explained by a remark: still held back.
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 16, "I5": 260000, "K4": "2024年决算数"})
    coll = collect(returns, data_dir=data)
    jumps = [p for p in coll.problems if p.rule == "suspicious_jump"]
    assert [(p.severity, p.column) for p in jumps] == [("error", "fiscal_st_expenditure")]
    assert "为上年的 0.01 倍，正是按“百万元”而非“万元”填写的结果" in jumps[0].zh
    assert not coll.ok and coll.written == []
    assert not (stats(data) / TARGET).exists()


@pytest.mark.parametrize("value, flagged", [
    (3500.0, True),    # 3500 / 1000 = 3.5 > 3
    (3000.0, False),   # exactly 3: not beyond
    (334.0, False),    # 334 / 1000 = 0.334 ≥ 1/3
    (300.0, True),     # 300 / 1000 = 0.3 < 1/3
    (0.0, False),      # a change to zero has no factor
])
def test_jump_problems_factor_three(value, flagged):
    held = pd.DataFrame({"county": ["灵寿县"], "year": [2023], "indicator": ["st_smes"], "value": [1000.0]})
    values = pd.DataFrame({"department": ["县发展和改革局"], "file": ["f.xlsx"], "row": [5], "indicator": ["st_smes"],
                           "value": [value], "unit": ["家"], "remark": [""], "source_text": [""]})
    assert bool(jump_problems(values, held, "灵寿县", 2024)) is flagged


def test_jump_problems_need_the_prior_year():
    held = pd.DataFrame({"county": ["灵寿县"], "year": [2022], "indicator": ["st_smes"], "value": [10.0]})
    values = pd.DataFrame({"department": ["d"], "file": ["f"], "row": [5], "indicator": ["st_smes"], "value": [100.0],
                           "unit": ["家"], "remark": [""], "source_text": [""]})
    assert jump_problems(values, held, "灵寿县", 2024) == []  # 2022 is not the prior year of 2024


# ------------------------------------------------------------------------------------------ reshaped returns
def test_reshaped_csv_return_goes_through_the_general_loader(data, returns):
    shutil.copy(FIXTURES / "县统计局报送2024.csv", returns)
    coll = read_returns(returns, county="灵寿县", year=2024, data_dir=data)
    assert coll.files[["department", "identified_by", "template"]].values.tolist() == [["县统计局", "file name", False]]
    v = coll.values.set_index("indicator")
    assert v.at["industrial_value_added", "value"] == pytest.approx(320000.0)   # 32 亿元 × 10000
    assert v.at["high_tech_value_added", "value"] == pytest.approx(96000.0)     # 9.6 亿元 × 10000
    assert v.at["industrial_value_added", "remark"] == "统计快报"
    assert "other_values" in rules(coll, "warning")  # the 2023 row is not collected
    assert coll.ok
    st = coll.status.set_index("indicator")
    assert st.at["industrial_value_added", "state"] == "reported"
    assert st.at["enterprise_rd_expenditure", "state"] == "absent"  # the return lacks that row


def test_reshaped_workbook_with_moved_columns(data, returns):
    wb = Workbook()
    ws = wb.active
    ws.append(["灵寿县财政局2024年报表"])
    ws.append(["备注", "2024年", "指标名称", "计量单位"])
    ws.append(["", 1800, "科学技术支出", "万元"])
    ws.append(["=SUM(1,2)", 26, "一般公共预算支出", "亿元"])
    wb.save(returns / "财政局2024.xlsx")
    coll = read_returns(returns, county="灵寿县", year=2024, data_dir=data)
    v = coll.values.set_index("indicator")
    assert v.at["fiscal_st_expenditure", "value"] == 1800.0
    assert v.at["general_budget_expenditure", "value"] == pytest.approx(260000.0)  # 26 亿元 × 10000
    assert v.at["general_budget_expenditure", "remark"] == "=SUM(1,2)"  # kept as typed; neutralised when written
    assert coll.ok


def test_shuffled_rows_still_attach_values_to_codes(data, forms, returns):
    wb = load_workbook(forms["县财政局"])
    ws = wb[DATA_SHEET]
    # swap the two figure rows (B:H) as a department that unprotected the sheet and sorted it would
    row4 = [ws[f"{c}4"].value for c in "BCDEFGH"]
    row5 = [ws[f"{c}5"].value for c in "BCDEFGH"]
    for c, a, b in zip("BCDEFGH", row5, row4):
        ws[f"{c}4"], ws[f"{c}5"] = a, b
    ws["I4"], ws["I5"] = 260000, 1800  # row 4 is now general_budget_expenditure
    wb.save(returns / "财政局.xlsx")
    coll = read_returns(returns, data_dir=data)
    assert "structure_changed" in rules(coll, "warning")
    assert coll.values.set_index("indicator")["value"].to_dict() == {"general_budget_expenditure": 260000.0,
                                                                    "fiscal_st_expenditure": 1800.0}
    assert coll.ok


# ------------------------------------------------------------------------------------------ broken returns
# A blank or unknown code beside known ones makes lingshou.data.validate (as of this branch) raise KeyError: nan
# (pandas 3 turns the None of an unmapped name into NaN in a str column); collect reports that as
# validation_failed.  Once validate is fixed the rule is missing_indicator / unmapped_indicator.
@pytest.mark.parametrize("cells, accepted, indicator", [
    ({"B4": None, "I4": 1800, "I5": 260000}, ("missing_indicator", "validation_failed"), None),
    ({"I4": "约1800", "I5": 260000}, ("non_numeric",), "fiscal_st_expenditure"),
    ({"I4": -5, "I5": 260000}, ("negative",), "fiscal_st_expenditure"),
    ({"I4": "=1000+800", "I5": 260000}, ("formula_uncached", "formula_without_result"), "fiscal_st_expenditure"),
    ({"B4": "no_such_code", "I4": 1800}, ("unmapped_indicator", "validation_failed"), None),
])
def test_broken_form_is_reported_and_nothing_written(data, forms, returns, cells, accepted, indicator):
    fill(forms["县财政局"], returns / "财政局.xlsx", cells)
    coll = collect(returns, data_dir=data)
    assert set(accepted) & set(rules(coll, "error"))
    assert not coll.ok and coll.written == [] and not (stats(data) / TARGET).exists()
    if indicator:
        assert coll.collected.set_index("indicator").at[indicator, "state"] == "invalid"
    assert any(p.kind == "invalid" and p.department == "县财政局" for p in department_problems(coll).itertuples())


def test_validator_failure_is_a_problem_not_a_crash(data, forms, returns, monkeypatch):
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800})
    fill(forms["县农业农村局"], returns / "农业.xlsx", {"I4": 38.2})

    def broken(paths, cat, county=None):
        if "财政局" in str(paths[0]):
            raise KeyError("boom")
        return real(paths, cat, county=county)

    import lingshou.data.validate

    real = lingshou.data.validate.validate_records
    monkeypatch.setattr(lingshou.data.validate, "validate_records", broken)
    coll = read_returns(returns, data_dir=data)
    p = [p for p in coll.problems if p.rule == "validation_failed"]
    assert len(p) == 1 and p[0].file == str(returns / "财政局.xlsx") and "KeyError" in p[0].en
    assert coll.values["indicator"].tolist() == ["agri_industrialization_rate"]  # the other return was still read


def test_share_of_120_is_rejected(data, forms, returns):
    fill(forms["县农业农村局"], returns / "农业.xlsx", {"I4": 120})
    coll = collect(returns, data_dir=data)
    bad = [p for p in coll.problems if p.rule == "share_range"]
    assert len(bad) == 1 and "120" in bad[0].en
    assert coll.written == []


def test_missing_code_row_deleted_is_missing(data, forms, returns):
    wb = load_workbook(forms["县财政局"])
    wb[DATA_SHEET].delete_rows(5)
    wb[DATA_SHEET]["I4"] = 1800
    wb.save(returns / "财政局.xlsx")
    coll = collect(returns, data_dir=data)
    assert "structure_changed" in rules(coll, "warning")
    assert coll.status.set_index("indicator").at["general_budget_expenditure", "state"] == "absent"
    # a missing figure does not block what did arrive
    assert coll.ok and len(pd.read_csv(stats(data) / TARGET)) == 1


def test_two_returns_of_one_department(data, forms, returns):
    fill(forms["县财政局"], returns / "财政局_v1.xlsx", {"I4": 1800})
    fill(forms["县财政局"], returns / "财政局_v2.xlsx", {"I4": 1850})
    coll = collect(returns, data_dir=data)
    assert rules(coll, "error").count("several_returns") == 2
    assert coll.written == []


def test_unknown_department(data, returns):
    (returns / "data.csv").write_text("指标代码,数值\nst_smes,80\n", encoding="utf-8")
    coll = read_returns(returns, county="灵寿县", year=2024, data_dir=data)
    p = [p for p in coll.problems if p.rule == "unknown_department"]
    assert len(p) == 1 and "name the file after the unit" in p[0].en
    assert coll.values.empty and not coll.ok


def test_figure_of_another_unit_is_an_error(data, returns):
    (returns / "县财政局.csv").write_text("指标代码,数值,计量单位\nfiscal_st_expenditure,1800,万元\nst_smes,80,家\n", encoding="utf-8")
    coll = read_returns(returns, county="灵寿县", year=2024, data_dir=data)
    p = [p for p in coll.problems if p.rule == "not_assigned"]
    assert len(p) == 1 and "st_smes is reported by 县发展和改革局" in p[0].en
    assert coll.values["indicator"].tolist() == ["fiscal_st_expenditure"]


def test_reported_ratio_is_checked_not_stored(data, returns):
    # 100 × 1800 / 260000 = 0.6923… → 0.69 agrees within rounding
    (returns / "县财政局.csv").write_text(
        "指标代码,数值,计量单位\nfiscal_st_expenditure,1800,万元\ngeneral_budget_expenditure,260000,万元\nfiscal_st_share,0.69,%\n",
        encoding="utf-8")
    coll = collect(returns, county="灵寿县", year=2024, data_dir=data)
    assert "ratio_not_stored" in rules(coll, "info")
    assert coll.ok
    assert "fiscal_st_share" not in set(pd.read_csv(stats(data) / TARGET)["指标代码"])


def test_inconsistent_ratio_is_an_error(data, returns):
    (returns / "县财政局.csv").write_text(
        "指标代码,数值,计量单位\nfiscal_st_expenditure,1800,万元\ngeneral_budget_expenditure,260000,万元\nfiscal_st_share,0.9,%\n",
        encoding="utf-8")
    coll = collect(returns, county="灵寿县", year=2024, data_dir=data)
    assert "ratio_mismatch" in rules(coll, "error") and coll.written == []


def test_form_of_another_year_or_county(data, forms, returns, tmp_path):
    other = write_templates("灵寿县", 2023, unit="县财政局", out=tmp_path / "f2023", data_dir=data)[0]
    fill(other, returns / "财政局2023.xlsx", {"I4": 1600})
    fill(forms["县农业农村局"], returns / "农业.xlsx", {"I4": 38.2})
    coll = read_returns(returns, year=2024, data_dir=data)
    p = [p for p in coll.problems if p.rule == "wrong_year"]
    assert len(p) == 1 and "this is a form for 2023; collecting 2024" in p[0].en
    zd = write_templates("正定县", 2024, unit="县农业农村局", out=tmp_path / "fzd", data_dir=data)[0]
    shutil.copy(zd, returns / "正定农业.xlsx")
    coll = read_returns(returns, county="灵寿县", year=2024, data_dir=data)
    assert "wrong_county" in rules(coll, "error")


def test_meta_naming_an_unknown_unit(data, forms, returns):
    fill(forms["县财政局"], returns / "x.xlsx", {"B5": "县公安局"}, sheet=META_SHEET)
    coll = read_returns(returns, data_dir=data)
    p = [p for p in coll.problems if p.rule == "unknown_unit"]
    assert len(p) == 1 and p[0].value == "县公安局"


def test_data_folder_errors_are_flagged(data, forms, returns):
    add_held(data, "灵寿县,2021,st_smes,很多,家,published,x\n", name="broken.csv")
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800})
    coll = read_returns(returns, data_dir=data)
    assert "data_folder_errors" in rules(coll, "warning")


# ------------------------------------------------------------------------------------------ conflicts
def test_conflict_with_held_value_lists_both_and_writes_nothing(data, forms, returns, capsys):
    add_held(data, "灵寿县,2024,fiscal_st_expenditure,1700,万元,published,县财政局决算\n")
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800, "I5": 260000})
    coll = collect(returns, data_dir=data)
    c = coll.conflicts
    assert c[["indicator", "value", "held_value", "held_status"]].values.tolist() == [
        ["fiscal_st_expenditure", 1800.0, 1700.0, "published"]]
    assert Path(c["held_file"].iloc[0]).name == "more.csv"
    assert not coll.ok and coll.written == [] and not (stats(data) / TARGET).exists()
    with pytest.raises(DataError, match=r"0 个错误、1 个冲突，未写入任何文件.*1 conflict\(s\); nothing was written"):
        write_collection(coll)
    assert main(["collect", str(returns), "--data", str(data)]) == 1
    out = capsys.readouterr().out
    assert "报送 returned 1800，数据文件夹已有 held 1700" in out and "nothing written: 0 error(s), 1 conflict(s)" in out
    assert not (stats(data) / TARGET).exists()


def test_conflict_with_illustrative_value_says_how_to_resolve(data, forms, returns):
    # statistics_base.csv holds industrial_value_added 2023 as illustrative; collect 2023 from the 统计局.
    (returns / "县统计局.csv").write_text("指标代码,数值,计量单位\nindustrial_value_added,310000,万元\n", encoding="utf-8")
    coll = read_returns(returns, county="灵寿县", year=2023, data_dir=data)
    detail = department_problems(coll).query("kind == 'conflict'")["detail"].tolist()
    assert len(detail) == 1
    assert "报送 returned 310000，数据文件夹已有 held 300000（示例数据 illustrative" in detail[0]
    assert "remove this county's rows of that year from the illustrative file" in detail[0]


def test_held_blank_is_a_conflict(data, forms, returns):
    add_held(data, "灵寿县,2024,fiscal_st_expenditure,—,万元,published,x\n")
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800})
    coll = read_returns(returns, data_dir=data)
    assert len(coll.conflicts) == 1 and np.isnan(coll.conflicts["held_value"].iloc[0])
    assert "held 缺失 missing" in department_problems(coll).query("kind == 'conflict'")["detail"].iloc[0]


def test_equal_held_value_is_not_repeated(data, forms, returns):
    add_held(data, "灵寿县,2024,fiscal_st_expenditure,1800,万元,published,x\n")
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800})
    coll = collect(returns, data_dir=data)
    assert coll.ok and coll.written == [] and not (stats(data) / TARGET).exists()
    assert coll.status.set_index("indicator").at["fiscal_st_expenditure", "state"] == "held"


def test_blank_return_against_held_value_is_no_conflict(data, forms, returns):
    add_held(data, "灵寿县,2024,fiscal_st_expenditure,1700,万元,published,x\n")
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I5": 260000})  # I4 left blank
    coll = read_returns(returns, data_dir=data)
    assert coll.conflicts.empty
    assert coll.status.set_index("indicator").at["fiscal_st_expenditure", "state"] == "held"


def test_compare_values():
    nan = float("nan")
    assert compare_values(1.0, nan, False) == "new"
    assert compare_values(1800.0, 1800.0 * (1 + 1e-12), True) == "same"
    assert compare_values(1800.0, 1800.1, True) == "conflict"
    assert compare_values(1800.0, nan, True) == "conflict"
    assert compare_values(nan, nan, True) == "same"


def test_find_conflicts_pure():
    cat = load_catalogue()
    held = pd.DataFrame({"county": ["灵寿县", "灵寿县", "正定县"], "year": [2024, 2023, 2024],
                         "indicator": ["st_smes"] * 3, "value": [50.0, 40.0, 70.0], "status": ["published"] * 3,
                         "source": ["s"] * 3, "file": ["a.csv"] * 3})
    values = pd.DataFrame({"department": ["县发展和改革局", "县发展和改革局"], "file": ["r.xlsx"] * 2, "row": [5, 6],
                           "indicator": ["st_smes", "high_tech_enterprises"], "value": [55.0, 30.0],
                           "unit": ["家", "家"], "remark": ["", ""], "source_text": ["", ""]})
    c = find_conflicts(values, held, "灵寿县", 2024, cat)
    # only 灵寿县 2024 st_smes is held: 55 ≠ 50; 2023 and 正定县 values do not count
    assert c[["indicator", "value", "held_value"]].values.tolist() == [["st_smes", 55.0, 50.0]]


# ------------------------------------------------------------------------------------------ incremental runs
def test_incremental_idempotent_final_and_never_demoted(data, forms, returns, capsys):
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800, "I5": 260000})
    assert main(["collect", str(returns), "--data", str(data)]) == 0
    first = (stats(data) / TARGET).read_bytes()
    # the same returns again: nothing new, the file is untouched
    assert main(["collect", str(returns), "--data", str(data)]) == 0
    assert "nothing new" in capsys.readouterr().out
    assert (stats(data) / TARGET).read_bytes() == first
    # a late department arrives: its figure is added, the earlier ones kept
    fill(forms["县农业农村局"], returns / "农业.xlsx", {"I4": 38.2})
    assert main(["collect", str(returns), "--data", str(data)]) == 0
    df = pd.read_csv(stats(data) / TARGET)
    assert df["指标代码"].tolist() == ["agri_industrialization_rate", "fiscal_st_expenditure", "general_budget_expenditure"]
    assert set(df["数据状态"]) == {"provisional"}
    # confirmed: promoted to published
    assert main(["collect", str(returns), "--data", str(data), "--final"]) == 0
    assert set(pd.read_csv(stats(data) / TARGET)["数据状态"]) == {"published"}
    card = yaml.safe_load((stats(data) / "collected_灵寿县_2024.card.yaml").read_text(encoding="utf-8"))
    assert card["status"] == "published" and set(card["departments"]) == {"县财政局", "县农业农村局"}
    # a later run without --final does not demote
    assert main(["collect", str(returns), "--data", str(data)]) == 0
    assert set(pd.read_csv(stats(data) / TARGET)["数据状态"]) == {"published"}
    # a corrected value is a conflict with the collected file, never a silent overwrite
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1850, "I5": 260000})
    capsys.readouterr()
    assert main(["collect", str(returns), "--data", str(data)]) == 1
    assert "1850" in capsys.readouterr().out
    assert pd.read_csv(stats(data) / TARGET).set_index("指标代码").at["fiscal_st_expenditure", "数值"] == 1800.0


def test_load_collected_file_with_another_layout(data):
    (stats(data) / TARGET).write_text("县,年份,数值\n灵寿县,2024,1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"已收集文件 .* 缺少列.*lacks columns"):
        load_collected_file(stats(data) / TARGET)


def test_load_collected_file_absent(data):
    assert load_collected_file(stats(data) / TARGET).empty


# ------------------------------------------------------------------------------------------ formula injection
INJECTIONS = {"J4": "+cmd|' /C calc'!A0", "K4": '=HYPERLINK("http://evil.example","点击")', "J5": "@SUM(A1:A9)",
              "K5": "-1+1"}


def test_formula_injection_is_neutralised_in_the_written_csv(data, forms, returns):
    fill(forms["县财政局"], returns / "=cmd_财政局.xlsx", {"I4": 1800, "I5": 260000, **INJECTIONS})
    coll = collect(returns, data_dir=data)
    assert coll.ok
    with open(stats(data) / TARGET, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        for col in ("县(市、区)", "指标代码", "指标名称", "计量单位", "数据状态", "数据来源", "部门数据来源", "备注", "报送文件"):
            assert not row[col].startswith(FORMULA_TRIGGERS), (col, row[col])
    by = {r["指标代码"]: r for r in rows}
    assert by["fiscal_st_expenditure"]["部门数据来源"] == "'+cmd|' /C calc'!A0"
    assert by["fiscal_st_expenditure"]["备注"] == "'=HYPERLINK(\"http://evil.example\",\"点击\")"
    assert by["general_budget_expenditure"]["部门数据来源"] == "'@SUM(A1:A9)"
    assert by["general_budget_expenditure"]["备注"] == "'-1+1"
    assert by["fiscal_st_expenditure"]["报送文件"] == "'=cmd_财政局.xlsx"
    assert by["fiscal_st_expenditure"]["数值"] == "1800.0"  # numbers are not prefixed


def test_formula_in_a_text_cell_is_read_as_typed(data, forms, returns):
    path = fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800, **INJECTIONS})
    rows, formulas = read_row_texts(path, load_catalogue(data))
    r4 = rows[(rows["row"] == 4) & rows["file"].str.endswith(f"#{DATA_SHEET}")].iloc[0]
    assert r4["remark"] == '=HYPERLINK("http://evil.example","点击")' and r4["indicator"] == "fiscal_st_expenditure"
    assert formulas["formula"].tolist() == ['=HYPERLINK("http://evil.example","点击")']


def test_department_report_is_neutralised(data, forms, returns):
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": "=cmd", "I5": 260000})
    coll = read_returns(returns, data_dir=data)
    report = department_problems(coll)
    assert not report["detail"].str.startswith(FORMULA_TRIGGERS).any()
    assert not report["department"].str.startswith(FORMULA_TRIGGERS).any()


# ------------------------------------------------------------------------------------------ status
def test_status_late_departments_and_completeness(data, forms, returns, capsys):
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800})  # I5 left blank
    coll = read_returns(returns, data_dir=data)
    deps = department_status(coll.status).set_index("department")
    assert deps.loc["县财政局", "returned"] and not deps.loc["县统计局", "returned"]
    assert deps.loc["县财政局", "complete_pct"] == 50.0   # 1 of 2 figures
    assert deps.loc["县统计局", "late"] == 7 and deps.loc["县统计局", "complete_pct"] == 0.0
    assert list(deps.index) == UNITS
    st = coll.status.set_index("indicator")
    assert st.at["general_budget_expenditure", "state"] == "blank"
    assert st.at["st_smes", "state"] == "late"
    assert main(["collect", "--status", str(returns), "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "未报送 late: 县统计局、县发展和改革局、县市场监管局、县人力资源和社会保障局、县农业农村局、县经济开发区管委会" in out
    assert "县财政局 | 是 yes | 50%" in out
    assert not (stats(data) / TARGET).exists()  # --status writes nothing


def test_collection_status_without_returns_for_the_notebook():
    cat = load_catalogue()
    reporting = check_reporting_units(load_reporting_units(), cat, find_plan("灵寿县"))
    held = pd.DataFrame({"county": ["灵寿县", "灵寿县"], "year": [2024, 2023],
                         "indicator": ["fiscal_st_expenditure", "st_smes"], "value": [1800.0, 40.0],
                         "status": ["provisional", "published"], "source": ["县财政局", "x"]})
    st = collection_status(reporting, held, "灵寿县", 2024)
    assert len(st) == 18 and st["returned"].isna().all()
    s = st.set_index("indicator")
    assert (s.at["fiscal_st_expenditure", "state"], s.at["fiscal_st_expenditure", "held_status"],
            s.at["fiscal_st_expenditure", "held_source"]) == ("held", "provisional", "县财政局")
    assert s.at["st_smes", "state"] == "missing"  # only 2023 is held
    deps = department_status(st).set_index("department")
    assert deps.loc["县财政局", "complete_pct"] == 50.0 and deps.loc["县发展和改革局", "missing"] == 4


def test_load_collection_status_for_a_notebook(data):
    from lingshou.collect.status import load_collection_status
    from lingshou.data.build import load_data

    st = load_collection_status(load_data(data), "灵寿县", 2023, data_dir=data).set_index("indicator")
    # statistics_base.csv holds 5 figures of 灵寿县 2023; the other 13 of the 18 are missing
    assert (st["state"] == "held").sum() == 5 and (st["state"] == "missing").sum() == 13
    assert st.at["industrial_value_added", "held_status"] == "illustrative"
    assert (st.at["industrial_value_added", "state_zh"], st.at["st_smes", "state_en"]) == ("已入库", "missing")


def test_format_report_groups_by_department(data, forms, returns):
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 400})  # suspicious (400 / 1600 < 1/3), and I5 blank
    (returns / "notes.csv").write_text("指标代码,数值\nst_smes,80\n", encoding="utf-8")
    coll = read_returns(returns, data_dir=data)
    kinds = {(r.department, r.kind, r.indicator) for r in department_problems(coll).itertuples()}
    assert ("县财政局", "suspicious", "fiscal_st_expenditure") in kinds
    assert ("县财政局", "missing", "general_budget_expenditure") in kinds
    assert ("县统计局", "late", "") in kinds
    assert ("—", "invalid", "") in kinds  # notes.csv: department unknown
    text = format_report(coll)
    assert "县财政局：已返回 returned，0/2 项有值 with a value" in text
    assert "县统计局：未返回 late（7 项 figures）" in text
    assert "其他（报送单位不明的文件、数据文件夹）/ other (files of unknown department, the data folder)" in text
    assert "[存疑 suspicious]" in text and "[缺报 missing]" in text
    assert "未报送" in format_status(coll)


# ------------------------------------------------------------------------------------------ arguments
def test_returns_folder_must_exist(data, tmp_path):
    with pytest.raises(ParameterError, match=r"返回文件夹不存在.*returns folder does not exist"):
        read_returns(tmp_path / "nope", data_dir=data)


def test_returns_folder_not_inside_statistics(data):
    inside = stats(data) / "returns"
    inside.mkdir()
    with pytest.raises(ParameterError, match=r"位于数据文件夹的 raw/statistics 中.*keep returns outside the data folder"):
        read_returns(inside, data_dir=data)


def test_county_or_year_must_be_known(data, returns):
    shutil.copy(FIXTURES / "县统计局报送2024.csv", returns)
    with pytest.raises(ParameterError, match=r"无法确定县.*cannot tell the county.*pass --county"):
        read_returns(returns, year=2024, data_dir=data)
    with pytest.raises(ParameterError, match=r"无法确定数据年度.*cannot tell the year.*pass --year"):
        read_returns(returns, county="灵寿县", data_dir=data)


def test_forms_of_several_counties_need_county(data, forms, returns, tmp_path):
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800})
    zd = write_templates("正定县", 2024, unit="县农业农村局", out=tmp_path / "fzd", data_dir=data)[0]
    shutil.copy(zd, returns / "正定农业.xlsx")
    with pytest.raises(ParameterError, match=r"返回的文件属于不同的县.*belong to different counties"):
        read_returns(returns, data_dir=data)


def test_read_template_meta(forms, tmp_path):
    meta = read_template_meta(forms["县财政局"])
    assert (meta["county"], meta["year"], meta["unit"]) == ("灵寿县", 2024, "县财政局")
    (tmp_path / "x.csv").write_text("a\n", encoding="utf-8")
    assert read_template_meta(tmp_path / "x.csv") == {}
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    assert read_template_meta(tmp_path / "bad.xlsx") == {}


def test_unreadable_workbook_is_a_problem(data, returns):
    (returns / "县财政局.xlsx").write_bytes(b"not a workbook")
    coll = read_returns(returns, county="灵寿县", year=2024, data_dir=data)
    assert "unreadable" in rules(coll, "error")


def test_cli_collect_exit_codes(data, forms, returns, tmp_path, capsys):
    assert main(["collect", str(tmp_path / "nope"), "--data", str(data)]) == 2
    assert "returns folder does not exist" in capsys.readouterr().err
    assert main(["collect", str(returns), "--data", str(data), "--county", "../x", "--year", "2024"]) == 2
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": -1})
    assert main(["collect", str(returns), "--data", str(data)]) == 1
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800})
    assert main(["collect", str(returns), "--data", str(data)]) == 0
    assert "已写入 written (provisional)" in capsys.readouterr().out


def test_repository_data_is_not_touched(forms):
    """The forms and collections above ran on temporary copies only."""
    from lingshou.config import DEFAULT_DATA_DIR

    assert not list((DEFAULT_DATA_DIR / "raw" / "statistics").glob("collected_*"))


def test_failed_write_leaves_the_previous_file_and_no_temporary_files(data, forms, returns, monkeypatch):
    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800, "I5": 260000})
    collect(returns, data_dir=data)
    before = (stats(data) / TARGET).read_bytes()
    fill(forms["县农业农村局"], returns / "农业.xlsx", {"I4": 38.2})

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("lingshou.atomic.os.replace", fail)
    coll = read_returns(returns, data_dir=data)
    with pytest.raises(OSError, match="disk full"):
        write_collection(coll)
    assert (stats(data) / TARGET).read_bytes() == before
    assert not list(stats(data).glob(".tmp-*"))


def test_written_files_have_ordinary_permissions(data, forms, returns):
    import os

    fill(forms["县财政局"], returns / "财政局.xlsx", {"I4": 1800})
    coll = collect(returns, data_dir=data)
    mask = os.umask(0)
    os.umask(mask)
    for path in coll.written + [forms["县财政局"]]:
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask
