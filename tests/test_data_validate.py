"""Tests of lingshou.data.validate: every rule, on tiny literal files and on the malformed files under
tests/data/malformed/ (made by tests/data/make_fixtures.py), each with its precise problem."""
from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import pandera.errors
import pytest
from conftest import BUNDLED_RAW, MALFORMED

from lingshou.data.catalogue import load_catalogue
from lingshou.data.problems import Problem, errors, problem, problems_frame
from lingshou.data.validate import (
    JUMP_FACTOR,
    TIDY_COLUMNS,
    load_statistics,
    summarise,
    tidy_schema,
    validate_paths,
    validate_records,
)
from lingshou.errors import DataError, ParameterError

THIS_YEAR = dt.date.today().year
IND_TABLE = re.escape(str(BUNDLED_RAW / "aliases" / "indicator_aliases.csv"))
COUNTY_TABLE = re.escape(str(BUNDLED_RAW / "aliases" / "county_aliases.csv"))
UNITS_TABLE = re.escape(str(BUNDLED_RAW / "units.csv"))
NOT_A_NUMBER = r"不是数值（应为数字、百分数或缺失标记如 —、…、/） / not a number \(write a number, a percentage or a missing marker"


def describe(p: Problem) -> tuple:
    return p.severity, p.rule, p.row, p.column, p.value


# ---------------------------------------------------------------------------------- malformed files
# file → (sheet or None, values kept, [(severity, rule, row, column, value, message regex), ...]).  Only
# problems of severity error and warning are listed; each file must produce exactly these.  "values kept"
# counts the cells that reach the tidy table (counted by hand: the cells without an error).
MALFORMED_CASES = {
    "m01_unmapped_indicator.csv": (None, 1, [
        ("error", "unmapped_indicator", "3", "指标", "科技创新指数",
         rf"^未知指标名称，请在 {IND_TABLE} 中添加别名 / unknown indicator name: add an alias to {IND_TABLE}$")]),
    "m02_unmapped_county.csv": (None, 0, [
        ("error", "unmapped_county", "2", "县", "灵丘县",
         rf"^未知县名（最接近的：灵寿县、内丘县），请在 {COUNTY_TABLE} 中添加别名（或在 counties.csv 中添加该县） / "
         rf"unknown county name \(closest: 灵寿县, 内丘县\): add an alias to {COUNTY_TABLE}")]),
    "m04_missing_indicator.csv": (None, 0, [
        ("error", "missing_indicator", "2", "指标", "1520", r"^没有指标名称 / no indicator name$")]),
    "m05_missing_county.csv": (None, 0, [
        ("error", "missing_county", "2", "—", "高新技术企业数", r"^没有县名：.*请加县名列或调用时指定 county= / no county: .*pass county=$")]),
    "m06_unmapped_in_merged_yearbook.xlsx": ("Sheet1", 2, [
        # one problem for the name, although the row holds two years
        ("error", "unmapped_indicator", "5", "指标", "R&D人员(人)", rf"add an alias to {IND_TABLE}$")]),
    "m07_unmapped_indicator_column.xlsx": ("Sheet1", 2, [
        ("error", "unmapped_indicator", "3", "技术合同成交额(万元)", "技术合同成交额(万元)", "unknown indicator name"),
        ("error", "unmapped_indicator", "4", "技术合同成交额(万元)", "技术合同成交额(万元)", "unknown indicator name")]),
    "m08_non_numeric.csv": (None, 0, [("error", "non_numeric", "2", "数值", "约1500", NOT_A_NUMBER)]),
    "m09_non_numeric_wide.xlsx": ("Sheet1", 1, [("error", "non_numeric", "3", "2022年", "1520万元", NOT_A_NUMBER)]),
    "m10_bad_thousands_grouping.csv": (None, 0, [("error", "non_numeric", "2", "数值", "2,28,400", NOT_A_NUMBER)]),
    "m11_unquoted_thousands.csv": (None, 0, [
        ("error", "unlabelled_cell", "2", "E", "520",
         r"^此单元格所在列没有表头，本行未读取（若是未加引号的千位分隔符，请给数字加引号或去掉逗号） / this cell lies in a column "
         r"without a header, so the row was not read \(an unquoted thousands separator\? quote the number or drop the comma\)$")]),
    "m12_formula_uncached.xlsx": ("Sheet1", 1, [
        ("error", "formula_uncached", "3", "数值", "=D2*150", r"^公式没有计算结果.*请在 Excel 中打开并保存 / a formula without a calculated result")]),
    "m13_negative_money.csv": (None, 0, [
        ("error", "negative", "2", "数值", "-1520", r"^地方财政科技支出不能为负数 / fiscal_st_expenditure cannot be negative$")]),
    "m14_negative_count.xlsx": ("Sheet1", 0, [
        # a Unicode minus (U+2212) is a minus: -3 enterprises
        ("error", "negative", "2", "数值", "\u22123", r"^高新技术企业数不能为负数 / high_tech_enterprises cannot be negative$")]),
    "m15_negative_share.csv": (None, 0, [
        ("error", "negative", "2", "数值", "-0.5%", r"^地方财政科技支出占公共财政支出的比重不能为负数 / fiscal_st_share cannot be negative$")]),
    "m16_share_over_100.csv": (None, 0, [
        ("error", "share_range", "2", "数值", "152%",
         r"^比重应在0–100（%）之间，换算后为 152 / a share must lie within 0–100 \(%\); converted value 152$")]),
    "m17_share_permille_over_100.csv": (None, 0, [
        # 1520 ‰ = 152 %
        ("error", "share_range", "2", "数值", "1520", r"converted value 152$")]),
    "m18_unknown_unit.csv": (None, 0, [
        ("error", "unknown_unit", "2", "数值", "吨",
         rf"^未知单位 吨（来自单位列），请在 {UNITS_TABLE} 中添加 / unknown unit 吨 \(from the unit column\); add it to {UNITS_TABLE}$")]),
    "m19_incompatible_unit.csv": (None, 0, [
        ("error", "unit_incompatible", "2", "数值", "亿元",
         r"^单位 亿元 无法换算为指标 high_tech_enterprises（高新技术企业数）的单位 家 / unit 亿元 cannot be converted to 家, "
         r"the unit of high_tech_enterprises$")]),
    "m20_unit_conflict.csv": (None, 0, [
        ("error", "unit_conflict", "2", "数值", "0.52%", r"^单元格中的 % 与单位 万元 矛盾 / the % in the cell contradicts the unit 万元$")]),
    "m21_percent_for_count.csv": (None, 0, [
        ("error", "unit_incompatible", "2", "数值", "24%", r"^单位 % 无法换算为指标 high_tech_enterprises")]),
    "m22_unit_in_name_unknown.csv": (None, 0, [
        ("error", "unknown_unit", "2", "指标名称", "科学技术支出(美元)",
         rf"^指标名称中的单位 美元 未知，请在 {UNITS_TABLE} 中添加 / unknown unit 美元 in the indicator name")]),
    "m23_unit_assumed.csv": (None, 1, [
        ("warning", "unit_assumed", "2", "数值", "1520", r"^未给出单位，按 万元 处理 / no unit given; assumed 万元$")]),
    "m24_year_future.csv": (None, 0, [
        ("error", "implausible_year", "2", "年份", "2035",
         rf"^年份不合理（应在 1978–{THIS_YEAR} 之间） / implausible year \(expected 1978–{THIS_YEAR}\)$")]),
    "m25_year_too_old.csv": (None, 0, [
        ("error", "implausible_year", "2", "年份", "1975", r"implausible year \(expected 1978–")]),
    "m26_bad_year.csv": (None, 0, [
        ("error", "bad_year", "2", "年份", "二〇二二年",
         r"^年份无法识别（应为如 2022 或 2022年） / cannot read the year \(expected e.g. 2022 or 2022年\)$")]),
    "m27_missing_year.csv": (None, 0, [
        # the title names a range of years (2021—2022年): no single year for the table
        ("error", "missing_year", "3", "—", "高新技术企业数",
         r"^没有年份：表中无年份列或年份表头，标题中也没有年份 / no year: the table has no year column or year headers")]),
    "m28_duplicate_conflict.csv": (None, 0, [
        # 0.1525 亿元 = 1525 万元 ≠ 1520 万元
        ("error", "duplicate_conflict", "2", "数值", "1520",
         r"^灵寿县 2022 fiscal_st_expenditure 出现多次且数值不同（另见 .*m28_duplicate_conflict\.csv 行row 3 = 0\.1525） / "
         r"灵寿县 2022 fiscal_st_expenditure is given more than once with different values")]),
    "m30_duplicate_same.csv": (None, 1, [
        # 24 家 and 24 个 are the same count
        ("warning", "duplicate_same", "2", "数值", "24",
         r"^灵寿县 2022 high_tech_enterprises 重复出现且数值相同，保留一次（另见 .*m30_duplicate_same\.csv 行row 3 = 24）")]),
    "m31_ratio_mismatch.csv": (None, 2, [
        # 100 × 1520 / 228400 = 0.66550 %, reported 0.9: off by 0.2345 > 0.05 + 0.005 × 0.6655
        ("error", "ratio_mismatch", "4", "数值", "0.9",
         r"^地方财政科技支出占公共财政支出的比重 报告值 0.9 与 100×fiscal_st_expenditure/general_budget_expenditure = 0.6655 "
         r"不符（超出舍入误差） / reported fiscal_st_share 0.9 disagrees with 100\*fiscal_st_expenditure/general_budget_expenditure "
         r"= 0.6655 beyond rounding$")]),
    "m32_ratio_mismatch_per_1000.xlsx": ("Sheet1", 2, [
        # 1000 × 30 / 5000 = 6 per 1000 firms, reported 4.5
        ("error", "ratio_mismatch", "2", "千家工商注册企业中高新技术企业数", "4.5",
         r"报告值 4.5 与 1000×high_tech_enterprises/registered_enterprises = 6 不符")]),
    "m33_jump.csv": (None, 2, [
        # 24 / 3 = 8 > 5
        ("warning", "jump", "3", "数值", "24",
         r"^较上年变化超过 5 倍（上年 3，本年 24），请核实 / changes by more than a factor of 5 on the prior year \(3 → 24\)")]),
    "m34_unknown_status.csv": (None, 0, [
        ("error", "unknown_status", "2", "状态", "估算",
         r"^未知数据状态（可选 published, provisional, illustrative, derived） / unknown status")]),
    "m35_no_header.csv": (None, 0, [
        ("error", "layout", "—", "—", "—", r"^找不到表头：前30行中没有一行.* / no header found")]),
    "m36_layout_unrecognised.csv": (None, 0, [
        ("error", "layout", "1", "—", "县 | 年份 | 备注", r"^无法识别表格结构.* / cannot recognise the layout")]),
    "m37_empty.csv": (None, 0, [("warning", "empty", "—", "—", "—", r"^文件中没有数据 / the file holds no data$")]),
    "m38_latin1.csv": (None, 0, [
        ("error", "encoding", "—", "—", "—", r"^文件编码无法识别（支持 UTF-8、UTF-8 BOM、GB18030/GBK），请另存为 UTF-8 / cannot decode")]),
    "m39_corrupt.xlsx": (None, 0, [
        ("error", "unreadable", "—", "—", "—", r"^无法读取文件：File is not a zip file / cannot read the file: File is not a zip file$")]),
    "m40_old_format.xls": (None, 0, [
        ("error", "unreadable", "—", "—", "—", r"^无法读取旧版 Excel 文件（.xls）：.*文件可能已损坏，可在 Excel 或 WPS 中打开后另存为 .xlsx / "
         r"cannot read the old Excel \(.xls\) file: .*it may be damaged")]),
    "m41_bad_card.csv": (None, 0, [
        ("error", "card", "—", "—", "—", r"^数据卡片无法读取，文件未读取：数据卡片 .* 不是有效的 YAML：while parsing a flow sequence")]),
    "m43_unit_column_contradicts_name.csv": (None, 0, [
        # 1520 万元 or 1520 亿元 (= 15,200,000 万元)? Neither is taken.
        ("error", "unit_conflict", "2", "数值", "1520",
         r"^单位列的 万元 与指标名称或列标题中的 亿元 矛盾 / the unit column says 万元 but the indicator name or column header says 亿元$")]),
    # Big5 is read as Big5 (said), and its traditional headers named as the cause; nothing is read
    "m44_big5.csv": (None, 0, [
        ("warning", "encoding", "—", "—", "—", r"^文件为 Big5 编码（繁体中文），已按 Big5 读取；请另存为 UTF-8 / the file is Big5"),
        ("error", "layout", "1", "—", "縣(市、區) | 年份 | 指標 | 數值 | 單位",
         r"^找不到表头：表格用的是繁体字（如“縣”“區”“標”“數”“單”）.*/ no header found: the table is in traditional characters")]),
    "m45_traditional_headers.csv": (None, 0, [
        ("error", "layout", "1", "—", "縣(市、區) | 年份 | 指標 | 數值 | 單位",
         r"convert it to simplified Chinese first \(WPS/Excel: Review → Traditional to Simplified\)$")]),
    "m46_control_characters.csv": (None, 0, [
        ("error", "format", "—", "—", "—", r"^CSV 的某个单元格中有回车符或控制字符且没有加引号.* / a cell of the CSV holds a carriage "
         r"return or a control character without quotes")]),
    # the hidden sheet's 2 numbers (2022 and 24) are a warning shown by default; the notes page is no error
    "m47_hidden_data_sheet.xlsx": (None, 0, [
        ("warning", "hidden_sheet", "—", "—", "数据", r"^隐藏的工作表“数据”中有 2 个数值，未读取；如是数据，请取消隐藏后重新导入 / "
         r"hidden sheet '数据' holds 2 numbers")]),
    "m42_aggregate_rows.xlsx": ("Sheet1", 2, [
        ("warning", "aggregate_row", "5", "县(市、区)", "合计",
         r"^汇总行（合计/全市等）不是县级数据，已跳过 / aggregate row \(total / whole city\) is not county data; skipped$")]),
}


def check_problems(problems, file, cases):
    shown = [p for p in problems if p.severity != "info"]
    assert [describe(p) for p in shown] == [c[:5] for c in cases], "\n".join(map(str, shown))
    for p, case in zip(shown, cases):
        assert p.file == file
        assert re.search(case[5], f"{p.zh} / {p.en}"), (case[5], f"{p.zh} / {p.en}")


@pytest.mark.parametrize("name", sorted(MALFORMED_CASES))
def test_malformed_file(name):
    sheet, kept, cases = MALFORMED_CASES[name]
    path = MALFORMED / name
    tidy, problems = validate_paths([path])
    check_problems(problems, f"{path}#{sheet}" if sheet else str(path), cases)
    assert len(tidy) == kept


def test_malformed_ambiguous_county():
    # The register covers the province: bare 桥西区 could be the 桥西区 of 石家庄 or 张家口, or 邢台's (信都区 since 2020).
    path = MALFORMED / "m03_ambiguous_county.csv"
    _, problems = validate_paths([path])
    check_problems(problems, str(path), [
        ("error", "ambiguous_county", "2", "县", "桥西区",
         rf"^县名有歧义（可能是 张家口市桥西区、石家庄市桥西区、邢台市信都区（2020年前为邢台市桥西区）），请写全称、在数据卡片中"
         rf"写明 prefecture（所属地级市），或在 {COUNTY_TABLE} 中添加别名 / ambiguous county name \(张家口市桥西区、石家庄市桥西区、"
         rf"邢台市信都区（2020年前为邢台市桥西区）\); write the full name, give the prefecture in the data card \(prefecture: …\), "
         rf"or add an alias to {COUNTY_TABLE}$")])


def test_ambiguous_county_settled_by_the_data_card_or_the_title(tmp_path):
    (tmp_path / "a.csv").write_text("县,年份,指标,数值\n桥西区,2022,高新技术企业数,12\n", encoding="utf-8")
    (tmp_path / "a.card.yaml").write_text("prefecture: 张家口市\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("沧州市各县区2022年高新技术企业数\n县,年份,指标,数值\n新华区,2022,高新技术企业数,7\n",
                                    encoding="utf-8")
    tidy, problems = validate_paths([tmp_path])
    assert [p for p in problems if p.severity == "error"] == []
    assert set(zip(tidy["county"], tidy["value"])) == {("张家口市桥西区", 12.0), ("沧州市新华区", 7.0)}


def test_any_hebei_county_passes_the_name_check(tmp_path):
    (tmp_path / "x.csv").write_text("县,年份,指标,数值\n景县,2022,高新技术企业数,21\n黄骅市,2022,高新技术企业数,40\n"
                                    "邢台市桥东区,2022,高新技术企业数,9\n", encoding="utf-8")
    tidy, problems = validate_paths([tmp_path])
    assert [p for p in problems if p.severity == "error"] == []
    assert sorted(tidy["county"]) == ["景县", "邢台市襄都区", "黄骅市"]


def test_unknown_county_and_negative_value_are_both_reported(tmp_path):
    (tmp_path / "x.csv").write_text("县,年份,指标,数值\n灵丘县,2022,地方财政科技支出(万元),-5\n"
                                    "灵丘县,2022,地方财政科技支出占公共财政支出的比重(%),140\n", encoding="utf-8")
    tidy, problems = validate_paths([tmp_path])
    found = sorted((p.rule, p.row) for p in problems if p.severity == "error")
    assert found == [("negative", "2"), ("share_range", "3"), ("unmapped_county", "2"), ("unmapped_county", "3")]
    assert tidy.empty


def test_repeated_cell_of_an_unknown_county_is_reported(tmp_path):
    (tmp_path / "x.csv").write_text("县,年份,指标,数值\n灵丘县,2022,高新技术企业数,5\n灵丘县,2022,高新技术企业数,6\n",
                                    encoding="utf-8")
    _, problems = validate_paths([tmp_path])
    assert sorted(p.rule for p in problems if p.severity == "error") == [
        "duplicate_conflict", "unmapped_county", "unmapped_county"]


def test_malformed_duplicate_across_files():
    folder = MALFORMED / "m29_duplicate_across_files"
    tidy, problems = validate_paths([folder])
    check_problems(problems, str(folder / "a_tjj.csv"), [
        ("error", "duplicate_conflict", "2", "数值", "24",
         r"^灵寿县 2022 high_tech_enterprises 出现多次且数值不同（另见 .*m29_duplicate_across_files/b_kjj\.csv 行row 2 = 26）")])
    assert tidy.empty   # neither 24 nor 26 is kept


def test_at_least_thirty_malformed_files():
    files = [f for f in MALFORMED.rglob("*") if f.is_file() and not f.name.endswith(".card.yaml")]
    assert len(files) >= 30
    covered = set(MALFORMED_CASES) | {"m03_ambiguous_county.csv", "a_tjj.csv", "b_kjj.csv"}
    assert {f.name for f in files} == covered


def test_all_malformed_files_in_one_pass():
    # One run over the whole folder names every broken file (nothing stops at the first error).  Files whose
    # only error is a conflict or a ratio may meet other files' values of the same key in a joint run, so
    # only the others are required here.
    _, problems = validate_paths([MALFORMED])
    named = {p.file.split("#")[0] for p in errors(problems)}
    expected = {str(MALFORMED / n) for n, (_, _, cases) in MALFORMED_CASES.items()
                if any(c[0] == "error" and c[1] not in ("duplicate_conflict", "ratio_mismatch") for c in cases)}
    assert expected <= named
    assert len(expected) >= 30


# ------------------------------------------------------------------------------------- rules by hand
def load(write_csv, text, **kw):
    return load_statistics(write_csv("t.csv", text), strict=False, **kw)


def value_of(df, county, year, indicator):
    sel = df[(df["county"] == county) & (df["year"] == year) & (df["indicator"] == indicator)]
    assert len(sel) == 1
    return sel["value"].iloc[0]


def test_missing_markers_stay_missing(write_csv):
    df, problems = load(write_csv, "县,年份,指标,数值,单位\n灵寿县,2020,高新技术企业数,—,家\n灵寿县,2021,高新技术企业数,…,家\n"
                         "灵寿县,2022,高新技术企业数,/,家\n灵寿县,2023,高新技术企业数,,家\n")
    assert df["value"].isna().all() and len(df) == 4
    assert [p.rule for p in problems] == ["missing_value"] * 4
    assert problems[0].en == "missing value (kept as NaN, never 0)"


def test_permille_cell_in_a_percent_column(write_csv):
    # "5‰" in a column whose unit is % is 5 / 10 = 0.5 %, not 5 %
    df, problems = load(write_csv, "县,年份,指标,数值,单位\n灵寿县,2022,农业产业化经营率,5‰,%\n灵寿县,2021,农业产业化经营率,0.4%,‰\n")
    assert value_of(df, "灵寿县", 2022, "agri_industrialization_rate") == 0.5
    assert value_of(df, "灵寿县", 2021, "agri_industrialization_rate") == 0.4
    assert problems == []


def test_share_of_exactly_100_and_0_is_valid(write_csv):
    df, problems = load(write_csv, "县,年份,指标,数值\n灵寿县,2022,农业产业化经营率,100%\n灵寿县,2021,农业产业化经营率,0%\n")
    assert sorted(df["value"]) == [0.0, 100.0] and problems == []


RATIO = "县,年份,指标,数值,单位\n灵寿县,2022,地方财政科技支出,0.152,亿元\n灵寿县,2022,一般公共预算支出,228400,万元\n"


@pytest.mark.parametrize("reported, ok", [
    # 100 × 1520 / 228400 = 0.665499 %; tolerance = half a unit of the last written digit + 0.5 % of it
    ("0.67", True),      # |0.67 − 0.6655| = 0.0045 ≤ 0.005 + 0.0033
    ("0.66", True),      # 0.0055 ≤ 0.0083
    ("0.665", True),     # 0.0005 ≤ 0.0005 + 0.0033
    ("0.68", False),     # 0.0145 > 0.0083
    ("0.6", False),      # 0.0655 > 0.05 + 0.0033
    ("0.7", True),       # 0.0345 ≤ 0.0533 (one decimal: rounded to 0.1)
])
def test_ratio_tolerance_follows_the_written_rounding(write_csv, reported, ok):
    # numerator in 亿元, denominator in 万元: both converted before the ratio (the classic 亿元 ÷ 万元 bug)
    df, problems = load(write_csv, RATIO + f"灵寿县,2022,地方财政科技支出占公共财政支出的比重,{reported},%\n")
    assert ("ratio_mismatch" in [p.rule for p in problems]) is (not ok)
    assert ("fiscal_st_share" in set(df["indicator"])) is ok


def test_ratio_not_checked_without_denominator(write_csv):
    df, problems = load(write_csv, "县,年份,指标,数值\n灵寿县,2022,地方财政科技支出占公共财政支出的比重,9.9%\n")
    assert problems == []


def test_ratio_check_across_files(make_data_dir):
    root = make_data_dir({"a.csv": "县,年份,指标,数值,单位\n灵寿县,2022,有效发明专利,45,件\n",
                          "b.csv": "县,年份,指标,数值,单位\n灵寿县,2022,常住人口,306500,人\n",
                          "c.csv": "县,年份,指标,数值,单位\n灵寿县,2022,万人有效发明专利拥有量,4.7,件/万人\n"})
    _, problems = validate_paths([root / "raw" / "statistics"])
    # 45 / 30.65 = 1.468 per 10 000, reported 4.7 (a slipped decimal point)
    p = [x for x in problems if x.rule == "ratio_mismatch"]
    assert len(p) == 1 and p[0].file.endswith("c.csv") and "= 1.468" in p[0].en


@pytest.mark.parametrize("before, after, warned", [
    (4, 20, False),   # × 5 exactly: not beyond the factor
    (4, 21, True),    # × 5.25
    (25, 5, False),   # ÷ 5 exactly
    (25, 4, True),    # ÷ 6.25
    (0, 30, False),   # from zero there is no factor
])
def test_year_on_year_jump(write_csv, before, after, warned):
    df, problems = load(write_csv, f"县,年份,指标,数值,单位\n灵寿县,2021,高新技术企业数,{before},家\n灵寿县,2022,高新技术企业数,{after},家\n")
    assert [p.rule for p in problems] == (["jump"] if warned else [])
    assert len(df) == 2   # a jump is a warning: both values are kept
    assert JUMP_FACTOR == 5.0


def test_jump_needs_consecutive_years(write_csv):
    df, problems = load(write_csv, "县,年份,指标,数值,单位\n灵寿县,2019,高新技术企业数,3,家\n灵寿县,2022,高新技术企业数,24,家\n")
    assert problems == []


def test_duplicate_same_value_in_other_units_is_kept_once(write_csv):
    # 1520 万元 = 0.152 亿元 = 15,200,000 元
    df, problems = load(write_csv, "县,年份,指标,数值,单位\n灵寿县,2022,地方财政科技支出,1520,万元\n灵寿,2022,科学技术支出,0.152,亿元\n"
                         "石家庄市灵寿县,2022,财政科技支出,\"15,200,000\",元\n")
    assert value_of(df, "灵寿县", 2022, "fiscal_st_expenditure") == 1520.0
    assert [p.rule for p in problems] == ["duplicate_same"]
    assert df["row"].tolist() == [2]


def test_status_default_and_explicit(write_csv):
    df, problems = load(write_csv, "县,年份,指标,数值,单位,状态\n灵寿县,2021,高新技术企业数,18,家,\n灵寿县,2022,高新技术企业数,24,家,Illustrative\n")
    assert df["status"].tolist() == ["published", "illustrative"]


def test_every_problem_in_one_pass(write_csv):
    df, problems = load(write_csv, "县,年份,指标,数值,单位\n灵丘县,2022,高新技术企业数,24,家\n灵寿县,2035,高新技术企业数,24,家\n"
                         "灵寿县,2022,科技创新指数,3,分\n灵寿县,2022,地方财政科技支出,abc,万元\n灵寿县,2021,地方财政科技支出,-5,万元\n"
                         "灵寿县,2020,高新技术企业数,24,吨\n")
    assert [(p.rule, p.row) for p in errors(problems)] == [
        ("unmapped_county", "2"), ("implausible_year", "3"), ("unmapped_indicator", "4"), ("non_numeric", "5"),
        ("unknown_unit", "7"), ("negative", "6")]
    assert df.empty


def test_validate_paths_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(ParameterError, match=r"文件或文件夹不存在：.*nope\.csv、.*gone / no such file or folder: .*nope\.csv, .*gone$"):
        validate_paths([tmp_path / "nope.csv", tmp_path / "gone"])


def test_validate_paths_accepts_a_single_path():
    tidy, problems = validate_paths(MALFORMED / "m33_jump.csv")
    assert len(tidy) == 2 and [p.rule for p in problems] == ["jump"]


def test_validate_records_without_files_is_empty(tmp_path, cat):
    tidy, problems = validate_records([tmp_path], cat)
    assert list(tidy.columns) == TIDY_COLUMNS and tidy.empty and problems == []


def test_bundled_data_is_clean():
    tidy, problems = validate_paths([BUNDLED_RAW / "statistics"])
    assert errors(problems) == [] and [p for p in problems if p.severity == "warning"] == []
    assert set(tidy["status"]) == {"published", "illustrative"}
    # the census value: 309121 人 = 30.9121 万人
    sel = tidy[(tidy["county"] == "灵寿县") & (tidy["year"] == 2020) & (tidy["indicator"] == "resident_population")]
    assert sel["value"].tolist() == [30.9121] and sel["status"].tolist() == ["published"]


# --------------------------------------------------------------------------------- schema & helpers
def test_tidy_schema_accepts_a_valid_table_and_rejects_bad_rows():
    cat = load_catalogue()
    good = pd.DataFrame({"county": ["灵寿县"], "year": [2022], "indicator": ["fiscal_st_expenditure"], "value": [1520.0],
                         "unit": ["万元"], "status": ["published"], "source": ["x"], "file": ["a.csv"], "row": [2]})
    good = good.astype({"county": "str", "indicator": "str", "unit": "str", "status": "str", "source": "str", "file": "str"})
    tidy_schema(cat).validate(good)
    bad = pd.concat([good, good.assign(status="guess", year=THIS_YEAR + 1)], ignore_index=True)
    with pytest.raises(pandera.errors.SchemaErrors) as info:
        tidy_schema(cat).validate(bad, lazy=True)
    failures = info.value.failure_cases
    assert set(failures["column"].dropna()) >= {"status", "year"}


def test_summarise():
    probs = [problem("error", "a", "x", "y"), problem("warning", "b", "x", "y"), problem("info", "c", "x", "y"),
             problem("info", "d", "x", "y")]
    assert summarise(probs) == {"error": 1, "warning": 1, "info": 2}


def test_problem_text_and_frame():
    p = problem("error", "negative", "中", "en", file="a.csv", row=3, column="数值", value=-1)
    assert str(p) == "[错误 ERROR] a.csv, 行 row 3, 列 column 数值, 值 value -1: 中 / en"
    q = problem("warning", "jump", "中", "en", value=math.nan)
    assert (q.file, q.row, q.column, q.value) == ("—", "—", "—", "—")
    frame = problems_frame([p, q])
    assert list(frame.columns) == ["severity", "rule", "file", "row", "column", "value", "zh", "en"]
    assert frame["row"].tolist() == ["3", "—"]
    with pytest.raises(ParameterError, match=r"未知严重程度 'fatal'（可选 \('error', 'warning', 'info'\)） / unknown severity 'fatal'"):
        problem("fatal", "x", "中", "en")


def test_data_error_lists_only_errors():
    err = DataError("数据有误 / bad data", [problem("error", "a", "错一", "first"), problem("warning", "b", "警告", "warned")])
    assert str(err).splitlines() == ["数据有误 / bad data", "[错误 ERROR] —, 行 row —, 列 column —, 值 value —: 错一 / first"]
    assert len(err.problems) == 2


def test_count_unit_accepted_when_the_name_carries_the_denominator(tmp_path):
    (tmp_path / "x.csv").write_text("县,年份,指标,数值\n灵寿县,2022,万人有效发明专利拥有量(件),1.35\n"
                                    "灵寿县,2022,千家工商注册企业中高新技术企业数(家),2.4\n", encoding="utf-8")
    tidy, problems = validate_paths([tmp_path])
    assert [p for p in problems if p.severity == "error"] == []
    assert dict(zip(tidy["indicator"], tidy["value"])) == {"invention_patents_per_10k": 1.35,
                                                           "high_tech_per_1000_firms": 2.4}
    assert set(tidy["unit"]) == {"件/万人", "家/千家"}


def test_count_unit_without_the_denominator_in_the_name_is_still_refused(tmp_path):
    (tmp_path / "x.csv").write_text("县,年份,指标代码,数值,单位\n灵寿县,2022,invention_patents_per_10k,1.35,件\n",
                                    encoding="utf-8")
    _, problems = validate_paths([tmp_path])
    assert [p.rule for p in problems if p.severity == "error"] == ["unit_incompatible"]


def test_footnote_mark_is_read_as_a_note_and_said(tmp_path):
    (tmp_path / "x.csv").write_text("县,年份,指标,数值\n灵寿县,2022,高新技术企业数,45¹\n灵寿县,2023,高新技术企业数,112①\n",
                                    encoding="utf-8")
    tidy, problems = validate_paths([tmp_path])
    assert dict(zip(tidy["year"], tidy["value"])) == {2022: 45.0, 2023: 112.0}
    notes = [p for p in problems if p.rule == "footnote_mark"]
    assert [(p.severity, p.row, p.value) for p in notes] == [("info", "2", "45¹"), ("info", "3", "112①")]
    assert "read as 45, the mark kept as a note" in notes[0].en


def test_messages_show_control_and_invisible_characters(tmp_path):
    # A raw ESC/CR could overwrite the terminal line ("0 个错误"); a zero-width space hides inside a name.
    (tmp_path / "x.csv").write_text('县,年份,指标,数值\n灵寿\u200b县,2022,高新技术企业数,5\n灵寿县,2022,"高新\x1b[2K\r技术",5\n',
                                    encoding="utf-8")
    _, problems = validate_paths([tmp_path])
    text = "\n".join(str(p) for p in problems if p.severity == "error")
    assert "灵寿<U+200B>县" in text and "<U+001B>[2K<U+000D>" in text
    assert "\x1b" not in text and "\r" not in text and "\u200b" not in text


def test_an_invisible_character_in_a_name_is_named_not_an_unknown_name(tmp_path):
    # 灵寿县 with a zero-width space, with a BOM, and an indicator with a zero-width joiner: each says which
    # character to delete and what the name reads without it (not "unknown name, add an alias").
    (tmp_path / "x.csv").write_text("县,年份,指标,数值,单位\n灵寿\u200b县,2022,高新技术企业数,5,家\n"
                                    "\ufeff灵寿县,2022,高新技术企业数,6,家\n灵寿县,2022,高新技术\u200d企业数,7,家\n"
                                    "灵寿\u200b镇,2022,高新技术企业数,8,家\n", encoding="utf-8")
    _, problems = validate_paths([tmp_path])
    found = [(p.rule, p.row, p.column) for p in problems if p.severity == "error"]
    assert found == [("invisible_character", "2", "县"), ("invisible_character", "3", "县"),
                     ("invisible_character", "4", "指标"), ("unmapped_county", "5", "县")]
    by_row = {p.row: p for p in problems}
    assert by_row["2"].zh == "县名中有看不见的字符 <U+200B>（零宽空格），去掉后即为“灵寿县”：请在文件中删去该字符"
    assert "<U+FEFF> (byte order mark (BOM)); without it, it reads 灵寿县" in by_row["3"].en
    assert "<U+200D>（零宽连字），去掉后即为“高新技术企业数”" in by_row["4"].zh
    assert "灵寿<U+200B>镇" in str(by_row["5"])     # no known name without it: unknown, shown visibly


def test_a_huge_value_is_not_echoed_whole():
    from lingshou.data.problems import problem

    line = str(problem("error", "non_numeric", "不是数值", "not a number", value="9" * 100_000))
    assert len(line) < 1_000 and "100000 characters" in line


LONG_HEADER = "县,年份,指标,数值,单位\n"


def test_real_figures_win_over_the_illustrative_ones(make_data_dir):
    """A bureau's real file beside the bundled illustrative series: the real values are used where both give
    one (a different or the same value), the illustrative elsewhere, every replacement said, no error."""
    folder = make_data_dir({
        "illustrative.csv": LONG_HEADER + "灵寿县,2022,高新技术企业数,26,家\n灵寿县,2023,高新技术企业数,29,家\n"
                                   "灵寿县,2022,科技型中小企业数,210,家\n",
        "illustrative.card.yaml": "status: illustrative\n",
        "tjj_2022.csv": LONG_HEADER + "灵寿县,2022,高新技术企业数,24,家\n灵寿县,2022,科技型中小企业数,210,家\n",
        "tjj_2022.card.yaml": "status: published\nsource: 县统计局\n",
    })
    df, problems = load_statistics(folder / "raw" / "statistics", data_dir=folder)
    got = {(r.year, r.indicator): (r.value, r.status) for r in df.itertuples()}
    assert got == {(2022, "high_tech_enterprises"): (24.0, "published"),       # real, not the invented 26
                   (2023, "high_tech_enterprises"): (29.0, "illustrative"),    # no real figure: kept, marked
                   (2022, "st_smes"): (210.0, "published")}                    # same value: the real row kept
    notes = [p for p in problems if p.rule == "real_over_illustrative"]
    assert len(notes) == 2 and all(p.severity == "info" for p in notes)
    assert notes[0].zh.startswith("灵寿县 2022 high_tech_enterprises 采用实际数据，示例数据不再使用（")
    assert "tjj_2022.csv" in notes[0].file and "illustrative.csv 行row 2 = 26" in notes[0].zh


def test_two_real_figures_that_disagree_stay_an_error_beside_an_illustrative_one(make_data_dir):
    folder = make_data_dir({
        "illustrative.csv": LONG_HEADER + "灵寿县,2022,高新技术企业数,26,家\n",
        "illustrative.card.yaml": "status: illustrative\n",
        "a.csv": LONG_HEADER + "灵寿县,2022,高新技术企业数,24,家\n",
        "b.csv": LONG_HEADER + "灵寿县,2022,高新技术企业数,25,家\n",
    })
    with pytest.raises(DataError) as info:
        load_statistics(folder / "raw" / "statistics", data_dir=folder)
    assert [p.rule for p in info.value.problems if p.severity == "error"] == ["duplicate_conflict"]


def test_a_title_unit_that_contradicts_the_name_is_an_error(tmp_path):
    """Title 单位：万元, name 科学技术支出(亿元): 1520 万元 or 1520 亿元? Neither is taken."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["灵寿县财政支出情况（单位：万元）", None])
    ws.append(["指标", "2022年"])
    ws.append(["科学技术支出(亿元)", 1520])
    ws.append(["一般公共预算支出", 228400])               # no unit of its own: the title's 万元
    ws.append(["高新技术企业数(家)", 24])                 # another dimension: the title does not speak for it
    wb.save(tmp_path / "t.xlsx")
    df, problems = load_statistics(tmp_path / "t.xlsx", county="灵寿县", strict=False)
    conflicts = [p for p in problems if p.rule == "unit_conflict"]
    assert [(p.row, p.value) for p in conflicts] == [("3", "1520")]
    assert conflicts[0].zh == "指标名称中的 亿元 与表标题的单位 万元 矛盾（无法判断哪个正确，数值未读取）"
    got = {r.indicator: r.value for r in df.itertuples()}
    assert got == {"general_budget_expenditure": 228400.0, "high_tech_enterprises": 24.0}


@pytest.mark.parametrize("row, rule_text", [
    # 15,000,000 元 typed into a 万元 column: 15000000 > 500000 and 15000000 / 10000 = 1500 is in range
    ("灵寿县,2022,地方财政科技支出,15000000,万元", "可能以元填写（应为万元）"),
    # 300,000 人 as 万人: 300000 > 1000, 300000 / 10000 = 30 in range
    ("灵寿县,2022,常住人口,300000,万人", "可能以人填写（应为万人）"),
    # 0.0053 for 0.53 %: below 0.01, and 0.0053 × 100 = 0.53 in range
    ("灵寿县,2022,地方财政科技支出占公共财政支出的比重,0.0053,%", "可能把百分数写成了小数（应写 0.53，而不是 0.0053）"),
    # far out with no known slip: said without a guess
    ("灵寿县,2022,高新技术企业数,90000,家", "超出一个县（市、区）的合理范围 0–5000 家；数值未读取"),
])
def test_implausible_magnitudes_are_errors_naming_the_likely_unit(write_csv, row, rule_text):
    df, problems = load_statistics(write_csv("m.csv", "县,年份,指标,数值,单位\n" + row + "\n"), strict=False)
    assert df.empty
    wrong = [p for p in problems if p.rule == "implausible_magnitude"]
    assert len(wrong) == 1 and wrong[0].severity == "error" and rule_text in wrong[0].zh and wrong[0].row == "2"


def test_zero_and_values_in_range_pass_the_magnitude_check(write_csv):
    df, problems = load_statistics(write_csv("ok.csv", "县,年份,指标,数值,单位\n灵寿县,2022,省级以上创新园区(基地)数,0,家\n"
                                            "灵寿县,2022,地方财政科技支出占公共财政支出的比重,0.52,%\n"), strict=False)
    assert sorted(df["value"]) == [0.0, 0.52] and problems == []


def test_a_bad_range_table_is_reported_whole(make_data_dir):
    folder = make_data_dir({}, reference={"plausible_ranges.csv": "code,min,max,why\ngdp,x,10,\nst_smes,5,1,\n"})
    with pytest.raises(DataError, match=r"合理范围表 .* 中这些行的 min/max 不是数字或 min 大于 max：2 \(gdp: x–10\), 3 \(st_smes: 5–1\)"):
        load_catalogue(folder)
