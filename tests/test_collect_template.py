"""Tests of the pre-filled return forms (``lingshou template``)."""
from __future__ import annotations

import datetime as _dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from lingshou.cli import main
from lingshou.collect.template import (
    DATA_SHEET,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    build_workbook,
    check_template_year,
    collector_of,
    definition,
    instructions,
    template_table,
    write_templates,
)
from lingshou.collect.units import check_reporting_units, load_reporting_units
from lingshou.data.catalogue import load_catalogue
from lingshou.data.validate import validate_records
from lingshou.errors import ParameterError
from lingshou.plan.targets import find_plan

FIXTURES = Path(__file__).parent / "data" / "collect"


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.fixture(scope="module")
def reporting(cat):
    return check_reporting_units(load_reporting_units(), cat, find_plan("灵寿县"))


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    (d / "raw" / "statistics").mkdir(parents=True)
    shutil.copy(FIXTURES / "statistics_base.csv", d / "raw" / "statistics" / "base.csv")
    return d


HELD = pd.DataFrame({
    "county": ["灵寿县", "灵寿县", "灵寿县", "灵寿县", "正定县"],
    "year": [2022, 2023, 2023, 2021, 2023],
    "indicator": ["fiscal_st_expenditure", "fiscal_st_expenditure", "general_budget_expenditure",
                  "general_budget_expenditure", "general_budget_expenditure"],
    "value": [1500.0, 1600.0, 250000.0, 230000.0, 999.0],
    "status": ["published", "illustrative", "published", "published", "published"],
    "source": ["s"] * 5,
})


# ------------------------------------------------------------------------------------------ pure parts
def test_template_table_reference_values(reporting, cat):
    t = template_table(reporting, "县财政局", HELD, "灵寿县", 2024, cat).set_index("code")
    assert list(t.index) == ["fiscal_st_expenditure", "general_budget_expenditure"]
    # 2024 form: reference years 2022 (ref_2) and 2023 (ref_1); 2021 and 正定县 values are not shown.
    assert t.at["fiscal_st_expenditure", "ref_2"] == 1500.0
    assert t.at["fiscal_st_expenditure", "ref_1"] == 1600.0
    assert np.isnan(t.at["general_budget_expenditure", "ref_2"])
    assert t.at["general_budget_expenditure", "ref_1"] == 250000.0
    assert t.at["fiscal_st_expenditure", "ref_status"] == "示例数据 illustrative；公开发布 published"
    assert t.at["general_budget_expenditure", "ref_status"] == "公开发布 published"
    assert t.at["fiscal_st_expenditure", "unit"] == "万元"
    assert t.at["fiscal_st_expenditure", "lo"] == 0.0 and np.isnan(t.at["fiscal_st_expenditure", "hi"])


def test_template_table_share_bounds_and_no_data(reporting, cat):
    empty = HELD.iloc[0:0]
    t = template_table(reporting, "县农业农村局", empty, "灵寿县", 2024, cat)
    assert t["code"].tolist() == ["agri_industrialization_rate"]
    assert (t["lo"].iloc[0], t["hi"].iloc[0]) == (0.0, 100.0)
    assert np.isnan(t["ref_1"].iloc[0]) and t["ref_status"].iloc[0] == ""


def test_definition_names_the_ratio_served(cat):
    text = definition("general_budget_expenditure", cat)
    assert text.startswith("一般公共预算支出(公共财政支出)（General public budget expenditure）")
    assert "分母 denominator of fiscal_st_share = 100*fiscal_st_expenditure/general_budget_expenditure" in text
    both = definition("registered_enterprises", cat)
    assert "high_tech_per_1000_firms" in both and "st_smes_per_1000_firms" in both
    assert definition("agri_industrialization_rate", cat) == "农业产业化经营率（Agricultural industrialization rate）"


@pytest.mark.parametrize("year", [1977, _dt.date.today().year + 1, "2024", True, 2024.0])
def test_check_template_year_rejects(year):
    with pytest.raises(ParameterError, match=r"年份 .* 无效.*year .* is invalid"):
        check_template_year(year)


def test_check_template_year_accepts():
    assert check_template_year(2024) == 2024


def test_collector_is_the_plans_lead_unit():
    assert collector_of(find_plan("灵寿县")) == "县发展和改革局"


def test_instructions_are_chinese_with_english():
    lines = instructions("灵寿县", 2024, "县财政局", 2, "县发展和改革局")
    text = "\n".join(lines)
    assert "只在“填报”表的黄色单元格中填写" in text and "Fill only the yellow cells" in text
    assert "变化超过 3 倍" in text and "more than 3 times" in text
    assert "暂无数据请留空（不要填 0）" in text and "never 0" in text


def _mixed_table():
    return pd.DataFrame({
        "code": ["fiscal_st_expenditure", "agri_industrialization_rate", "general_budget_expenditure"],
        "name_zh": ["=HYPERLINK(\"http://evil\",\"x\")", "农业产业化经营率", "一般公共预算支出"],
        "unit": ["万元", "%", "万元"], "definition": ["d1", "@SUM(A1)", "d3"],
        "ref_2": [1500.0, np.nan, 240000.0], "ref_1": [1600.0, 35.5, 250000.0], "ref_status": ["", "", ""],
        "dimension": ["money", "share", "money"], "lo": [0.0, 0.0, 0.0], "hi": [np.nan, 100.0, np.nan],
    })


def test_build_workbook_layout_and_protection():
    wb = build_workbook(_mixed_table(), "灵寿县", 2024, "县财政局", "县发展和改革局")
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, DATA_SHEET, META_SHEET]
    assert wb.active.title == INSTRUCTIONS_SHEET
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    ws = wb[DATA_SHEET]
    assert [c.value for c in ws[3]] == ["序号", "指标代码", "指标名称", "计量单位", "定义/口径", "2022年参考值", "2023年参考值",
                                         "参考值状态", "2024年", "数据来源", "备注"]
    assert ws["B4"].value == "fiscal_st_expenditure" and ws["F4"].value == 1500.0 and ws["G5"].value == 35.5
    assert ws["F5"].value is None  # NaN reference → empty cell, never 0
    p = ws.protection
    assert p.sheet and p.insertRows and p.deleteRows and p.sort and not p.formatColumns
    for row in (4, 5, 6):
        assert all(not ws[f"{c}{row}"].protection.locked for c in "IJK")
        assert all(ws[f"{c}{row}"].protection.locked for c in "ABCDEFGH")
    assert wb[INSTRUCTIONS_SHEET].protection.sheet


def test_build_workbook_data_validation():
    ws = build_workbook(_mixed_table(), "灵寿县", 2024, "县财政局")[DATA_SHEET]
    dvs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert set(dvs) == {"I4 I6", "I5"}
    money, share = dvs["I4 I6"], dvs["I5"]
    assert (money.type, money.operator, money.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert (share.type, share.operator, share.formula1, share.formula2) == ("decimal", "between", "0", "100")
    assert money.showErrorMessage and money.allow_blank


def test_build_workbook_neutralises_text_cells():
    ws = build_workbook(_mixed_table(), "灵寿县", 2024, "县财政局")[DATA_SHEET]
    assert ws["C4"].value == "'=HYPERLINK(\"http://evil\",\"x\")" and ws["C4"].data_type == "s"
    assert ws["E5"].value == "'@SUM(A1)" and ws["E5"].data_type == "s"


def test_build_workbook_meta():
    wb = build_workbook(_mixed_table(), "灵寿县", 2024, "县财政局")
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    assert meta["county"] == "灵寿县" and meta["year"] == 2024 and meta["unit"] == "县财政局"
    assert meta["codes"] == "fiscal_st_expenditure,agri_industrialization_rate,general_budget_expenditure"
    assert (meta["first_row"], meta["last_row"]) == (4, 6)


# ------------------------------------------------------------------------------------------ writing
def test_write_templates_one_form_per_unit(data, tmp_path):
    paths = write_templates("灵寿", 2024, out=tmp_path / "forms", data_dir=data)
    # the units of record of the figures, then the departments the plan's tasks name that report no figure,
    # in the order the text names them (task 1: 县委组织部、县委编办; task 5: 县税务局、各乡(镇)政府; task 6:
    # 县地方金融监管局; task 13: 县自然资源和规划局; task 14: 县行政审批局); 科技创新工作领导小组成员单位 is a group
    assert [p.name for p in paths] == [f"灵寿县_2024_{u}.xlsx" for u in
                                       ["县财政局", "县统计局", "县发展和改革局", "县市场监管局", "县人力资源和社会保障局",
                                        "县农业农村局", "县经济开发区管委会", "县委组织部", "县委编办", "县税务局",
                                        "各乡(镇)政府", "县地方金融监管局", "县自然资源和规划局", "县行政审批局"]]
    ws = load_workbook(paths[0])[DATA_SHEET]
    # reference values from the data folder (statistics_base.csv): 2022 1500 / 240000, 2023 1600 / 250000
    assert [[c.value for c in row] for row in ws["B4:G5"]] == [
        ["fiscal_st_expenditure", "地方财政科技支出", "万元", definition("fiscal_st_expenditure", load_catalogue(data)), 1500, 1600],
        ["general_budget_expenditure", "一般公共预算支出(公共财政支出)", "万元",
         definition("general_budget_expenditure", load_catalogue(data)), 240000, 250000]]
    assert ws["I4"].value is None and ws["I5"].value is None
    assert ws["A6"].value is None  # exactly the unit's two figures


def test_write_templates_single_unit_by_short_name(data, tmp_path):
    paths = write_templates("灵寿县", 2024, unit="统计局", out=tmp_path / "forms", data_dir=data)
    assert [p.name for p in paths] == ["灵寿县_2024_县统计局.xlsx"]
    codes = [c.value for c in load_workbook(paths[0])[DATA_SHEET]["B"][3:]]
    assert codes == ["enterprise_rd_expenditure", "industrial_revenue", "above_scale_industrial_enterprises",
                     "enterprises_with_rd_institutions", "resident_population", "industrial_value_added", "high_tech_value_added"]


def test_write_templates_refuses_to_overwrite(data, tmp_path):
    write_templates("灵寿县", 2024, unit="县财政局", out=tmp_path / "forms", data_dir=data)
    with pytest.raises(ParameterError, match=r"文件已存在，未覆盖.*add --force to overwrite"):
        write_templates("灵寿县", 2024, unit="县财政局", out=tmp_path / "forms", data_dir=data)
    assert write_templates("灵寿县", 2024, unit="县财政局", out=tmp_path / "forms", data_dir=data, force=True)


def test_write_templates_not_into_statistics(data):
    with pytest.raises(ParameterError, match=r"位于数据文件夹的 raw/statistics 中.*lies inside raw/statistics"):
        write_templates("灵寿县", 2024, out=data / "raw" / "statistics" / "forms", data_dir=data)


def test_blank_form_reads_as_missing_values_only(data, tmp_path):
    """The general loader reads the form: blank inputs are missing values (info), reference columns are not data."""
    path = write_templates("灵寿县", 2024, unit="县财政局", out=tmp_path / "forms", data_dir=data)[0]
    tidy, probs = validate_records([path], load_catalogue(data), county="灵寿县")
    assert tidy["year"].tolist() == [2024, 2024] and tidy["value"].isna().all()
    data_sheet = [p for p in probs if p.file.endswith(f"#{DATA_SHEET}")]
    assert {p.rule for p in data_sheet} == {"missing_value"}


# ------------------------------------------------------------------------------------------ CLI
def test_cli_template(data, tmp_path, capsys):
    code = main(["template", "--county", "灵寿县", "--year", "2024", "--unit", "县财政局", "--out", str(tmp_path / "f"),
                 "--data", str(data)])
    assert code == 0
    assert (tmp_path / "f" / "灵寿县_2024_县财政局.xlsx").is_file()
    assert "wrote 1 return form(s)" in capsys.readouterr().out


@pytest.mark.parametrize("option, value, message", [
    ("--unit", "../../etc/passwd", "not a valid name"),
    ("--unit", "县公安局", "is not a unit of the reporting-unit table"),
    ("--county", "../灵寿县", "not a valid county name"),
    ("--year", "2999", "is invalid"),
])
def test_cli_template_usage_errors(data, tmp_path, capsys, option, value, message):
    args = {"--county": "灵寿县", "--year": "2024", "--unit": "县财政局"}
    args[option] = value
    argv = ["template", "--out", str(tmp_path / "f"), "--data", str(data)] + [x for kv in args.items() for x in kv]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "f").exists() or not any((tmp_path / "f").iterdir())


def test_cli_template_unknown_county_is_a_data_error(data, tmp_path, capsys):
    assert main(["template", "--county", "火星县", "--year", "2024", "--out", str(tmp_path / "f"), "--data", str(data)]) == 1
    assert "unknown county name" in capsys.readouterr().err
