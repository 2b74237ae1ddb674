"""Tests of lingshou.data.read: reading what bureaux send (layouts, encodings, units) into canonical values.

Every expected value below is converted by hand from the cell as written (the arithmetic is in the
comments); the bureau-style files under tests/data/bureau/ are made by tests/data/make_fixtures.py.
"""
from __future__ import annotations

import math
import shutil

import pandas as pd
import pytest
from conftest import BUREAU
from openpyxl import Workbook

import lingshou
from lingshou.data.read import decode_text, list_data_files, read_card, read_records, read_sheets
from lingshou.data.validate import load_statistics, validate_paths
from lingshou.errors import DataError

NAN = math.nan


def values(df: pd.DataFrame) -> dict:
    """``{(county, year, indicator): value}`` of a tidy table."""
    return {(r.county, r.year, r.indicator): r.value for r in df.itertuples(index=False)}


def assert_values(df: pd.DataFrame, expected: dict, rel: float = 1e-12) -> None:
    got = values(df)
    assert set(got) == set(expected), f"missing {set(expected) - set(got)}, extra {set(got) - set(expected)}"
    for key, want in expected.items():
        if isinstance(want, float) and math.isnan(want):
            assert math.isnan(got[key]), key
        else:
            assert got[key] == pytest.approx(want, rel=rel, abs=0), key


def rules(problems, severity: str | None = None) -> list[str]:
    return [p.rule for p in problems if severity is None or p.severity == severity]


def only(problems, rule):
    found = [p for p in problems if p.rule == rule]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


# ----------------------------------------------------------------------------- bureau-style exports
def test_yearbook_xlsx_merged_title_unit_line_merged_header_notes():
    df, problems = load_statistics(BUREAU / "tjj_yearbook_lingshou_2021-2023.xlsx")
    # 单位：万元 applies to every row without its own unit; 高新技术企业数(家) carries its own.
    assert_values(df, {
        ("灵寿县", 2021, "fiscal_st_expenditure"): 1180.0,
        ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0,
        ("灵寿县", 2023, "fiscal_st_expenditure"): 1693.5,
        ("灵寿县", 2021, "general_budget_expenditure"): 215600.0,
        ("灵寿县", 2022, "general_budget_expenditure"): 228400.0,
        ("灵寿县", 2023, "general_budget_expenditure"): 236050.0,
        ("灵寿县", 2021, "enterprise_rd_expenditure"): 10512.0,
        ("灵寿县", 2022, "enterprise_rd_expenditure"): 12088.8,
        ("灵寿县", 2023, "enterprise_rd_expenditure"): NAN,       # "…" is missing, never 0
        ("灵寿县", 2021, "high_tech_enterprises"): 18.0,
        ("灵寿县", 2022, "high_tech_enterprises"): 24.0,
        ("灵寿县", 2023, "high_tech_enterprises"): 31.0,
    })
    assert set(df["unit"]) == {"万元", "家"}
    # the note "2023年为初步数据" makes the 2023 values provisional (and says so); the others stay published
    assert dict(df.groupby("year")["status"].agg(lambda s: "/".join(sorted(set(s))))) == {
        2021: "published", 2022: "published", 2023: "provisional"}
    assert set(df["source"]) == {"tjj_yearbook_lingshou_2021-2023.xlsx"}
    # the notes under the table are not data; the one missing cell is reported as info
    missing = only(problems, "missing_value")
    assert (missing.severity, missing.row, missing.column, missing.value) == ("info", "7", "2023年", "…")
    assert missing.file.endswith("tjj_yearbook_lingshou_2021-2023.xlsx#表3-1")
    assert rules(problems) == ["provisional_mark", "note_row", "note_row", "missing_value"]   # the notes are said


def test_year_headers_stored_as_dates_are_the_years():
    # B2, C2 are datetimes 2022-01-01, 2023-01-01 (Excel's date format on a typed 2022): read as the years, said
    # in a warning; the 报送日期 column of real dates is not read as years (and is said to be not read)
    df, problems = load_statistics(BUREAU / "kjj_year_headers_as_dates_2022-2023.xlsx")
    assert_values(df, {
        ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0, ("灵寿县", 2023, "fiscal_st_expenditure"): 1693.5,
        ("灵寿县", 2022, "high_tech_enterprises"): 24.0, ("灵寿县", 2023, "high_tech_enterprises"): 31.0,
    })
    dated = only(problems, "date_header")
    assert (dated.severity, dated.row) == ("warning", "2")
    assert "year headers stored as dates (B2, C2: 2022-01-01 …) are read as the years 2022–2023" in str(dated)
    assert rules(problems) == ["date_header", "ignored_column"]


def test_budget_table_by_functional_classification():
    # 206 科学技术支出 = 1693.5 万元 and the total of the 一般公共预算 table = 236050 万元; the five other subjects
    # (201, 205, 20601, 20604, 207) are said, not reported one by one as unknown indicators
    df, problems = load_statistics(BUREAU / "czj_juesuan_lingshou_2023.xlsx")
    assert_values(df, {("灵寿县", 2023, "fiscal_st_expenditure"): 1693.5,
                       ("灵寿县", 2023, "general_budget_expenditure"): 236050.0})
    assert set(df["unit"]) == {"万元"} and rules(problems, "error") == [] and rules(problems, "warning") == []
    read = only(problems, "budget_table")
    assert "第7行 科学技术支出（206）、第4行 支出合计（一般公共预算支出）；其余 5 个科目不是本套件的指标，未读取" in str(read)


def test_budget_table_without_206_or_of_another_budget(tmp_path):
    from lingshou.data.budget import functional_table

    # a 政府性基金 table: its total is not the general public budget; no 206 row: said
    rows = [["灵寿县2023年政府性基金预算支出决算表", None, None], ["科目编码", "科目名称", "决算数(万元)"],
            [None, "支出合计", 5000], ["212", "城乡社区支出", 4000], ["206", "科学技术支出", 12], ["206", "科学技术支出", 13]]
    grid, probs = functional_table(rows, "f.xlsx")
    assert grid[1][:2] == ["指标", "数值(万元)"] and grid[4][:2] == ["科学技术支出", 12]
    assert all(cell is None for r in (grid[2], grid[3], grid[5]) for cell in r)      # rows keep their numbers
    assert [p.severity for p in probs] == ["info", "warning"]
    assert "其余 2 个科目不是本套件的指标" in probs[0].zh and "科学技术支出出现多次，读取第5行（另见第6行）" in probs[1].zh
    _, probs = functional_table([["科目名称", "预算数"], ["教育支出", 3]], "g.csv")
    assert probs[1].en == "the budget table has no 科学技术支出 (subject code 206)"
    assert functional_table([["指标", "数值"], ["高新技术企业数", 3]], "h.csv") is None


def test_unicode_text_export_with_a_title_row():
    # UTF-16, tabs, and a title row with no tab: the separator is the one most lines have, not the sniffer's guess
    df, problems = load_statistics(BUREAU / "kjj_unicode_text_export.csv")
    assert_values(df, {("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0, ("灵寿县", 2023, "fiscal_st_expenditure"): 1693.5})


def test_township_table_reads_its_county_total():
    # 12 + 5 + 14 = 31 here, but the 全县 row is read (a county figure need not be the townships' sum); said once
    df, problems = load_statistics(BUREAU / "tjj_townships_lingshou_2023.csv")
    assert_values(df, {("灵寿县", 2023, "high_tech_enterprises"): 31.0})
    note = only(problems, "township_table")
    assert note.severity == "info" and "第6行“全县”作为灵寿县的数值读取，其余 3 个乡镇行不是县级数据，未读取" in note.zh


def test_township_table_without_a_total_or_a_county(write_csv):
    _, problems = validate_paths([write_csv("t.csv", "灵寿县各乡镇高新技术企业数\n乡镇,年份,高新技术企业数(家)\n灵寿镇,2023,12\n")])
    assert [(p.severity, p.rule) for p in problems if p.severity != "info"] == [("warning", "township_table")]
    _, problems = validate_paths([write_csv("u.csv", "各乡镇高新技术企业数\n乡镇,年份,高新技术企业数(家)\n全县,2023,31\n")])
    assert any(p.rule == "township_table" and p.severity == "error" and "标题中没有县名" in p.zh for p in problems)


def test_stacked_tables_are_read_apart():
    # the second table (2022, from its own title) is not stored as 2021; rows as in the file
    df, problems = load_statistics(BUREAU / "tjj_stacked_high_tech_2021_2022.csv")
    assert_values(df, {("灵寿县", 2021, "high_tech_enterprises"): 18.0, ("平山县", 2021, "high_tech_enterprises"): 35.0,
                       ("灵寿县", 2022, "high_tech_enterprises"): 24.0, ("平山县", 2022, "high_tech_enterprises"): 41.0})
    assert sorted(df["row"].astype(int)) == [3, 4, 8, 9]
    assert only(problems, "stacked_table").row == "6"


def test_two_row_yearbook_header_reads_the_level_not_the_growth():
    # 比上年增长 11.4 % is no value of 地方财政科技支出: only the 绝对数 column is read
    df, problems = load_statistics(BUREAU / "tjj_yearbook_two_row_header_2023.xlsx")
    assert_values(df, {("灵寿县", 2023, "fiscal_st_expenditure"): 1693.5, ("行唐县", 2023, "fiscal_st_expenditure"): 2210.0})
    assert set(df["unit"]) == {"万元"} and rules(problems, "error") == []


def test_finance_bureau_gbk_csv_with_yi_yuan_in_names():
    df, problems = load_statistics(BUREAU / "czj_kjzc_lingshou_gbk.csv")
    assert_values(df, {
        ("灵寿县", 2021, "fiscal_st_expenditure"): 1180.0,        # 0.118 亿元 × 10000
        ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0,        # 0.152 × 10000
        ("灵寿县", 2021, "general_budget_expenditure"): 215600.0,  # 21.56 × 10000
        ("灵寿县", 2022, "general_budget_expenditure"): 228400.0,  # 22.84 × 10000
        # shares agree with their operands: 100 × 1180/215600 = 0.547 ≈ 0.55; 100 × 1520/228400 = 0.666 ≈ 0.67
        ("灵寿县", 2021, "fiscal_st_share"): 0.55,
        ("灵寿县", 2022, "fiscal_st_share"): 0.67,
    })
    assert [(p.rule, p.row) for p in problems] == [("note_row", "7")]   # 注：科学技术支出为…第206类。
    assert df.loc[df["indicator"] == "fiscal_st_expenditure", "row"].tolist() == [4, 4]


def test_utf8_bom_long_csv_with_mixed_units():
    df, problems = load_statistics(BUREAU / "long_units_mixed_bom.csv")
    assert_values(df, {
        ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0,          # 15,200,000 元 / 10000
        ("灵寿县", 2022, "general_budget_expenditure"): 228400.0,   # 22.84 亿元 × 10000
        ("灵寿县", 2022, "enterprise_rd_expenditure"): 12088.8,     # 万元 as is
        ("灵寿县", 2022, "industrial_revenue"): 1185000.0,          # 11,850,000 千元 / 10
        ("灵寿县", 2022, "resident_population"): 30.65,             # 306,500 人 / 10000
        ("平山县", 2019, "fiscal_st_expenditure"): 1.2345,          # 12345 元 / 10000
        ("平山县", 2019, "general_budget_expenditure"): 12345.0,    # 1.2345 亿元 × 10000
    })
    assert problems == []
    # 12345 元 is 1.2345 万元 to the last bit, not 1.2345000000000002
    assert values(df)[("平山县", 2019, "fiscal_st_expenditure")] == 1.2345
    assert values(df)[("平山县", 2019, "general_budget_expenditure")] == 12345.0
    assert df.loc[df["indicator"] == "resident_population", "unit"].tolist() == ["万人"]


def test_wide_by_indicator_county_table_with_percent_strings_and_full_width_digits():
    df, problems = load_statistics(BUREAU / "county_st_indicators_2022.csv")
    # year 2022 from the title; "１，５２０" = 1520; "０．５２％" = 0.52 %; "—", "…", "-" are missing
    assert_values(df, {
        ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0,
        ("灵寿县", 2022, "fiscal_st_share"): 0.67,
        ("灵寿县", 2022, "high_tech_enterprises"): 24.0,
        ("灵寿县", 2022, "st_smes"): 168.0,
        ("灵寿县", 2022, "enterprise_rd_intensity"): 1.02,
        ("平山县", 2022, "fiscal_st_expenditure"): 2380.5,
        ("平山县", 2022, "fiscal_st_share"): 0.52,
        ("平山县", 2022, "high_tech_enterprises"): 41.0,
        ("平山县", 2022, "st_smes"): NAN,
        ("平山县", 2022, "enterprise_rd_intensity"): 0.85,
        ("行唐县", 2022, "fiscal_st_expenditure"): NAN,
        ("行唐县", 2022, "fiscal_st_share"): 0.48,
        ("行唐县", 2022, "high_tech_enterprises"): 19.0,
        ("行唐县", 2022, "st_smes"): 96.0,
        ("行唐县", 2022, "enterprise_rd_intensity"): NAN,
    })
    assert rules(problems) == ["note_row"] + ["missing_value"] * 3   # the note under the table is said
    assert [(p.row, p.value) for p in problems][1:] == [("4", "—"), ("5", "…"), ("5", "-")]
    shares = df[df["indicator"] == "fiscal_st_share"]
    assert set(shares["unit"]) == {"%"}


def test_industry_workbook_units_row_and_aggregate_rows():
    df, problems = load_statistics(BUREAU / "tjj_industry_by_county_2022.xlsx")
    assert_values(df, {
        ("灵寿县", 2022, "above_scale_industrial_enterprises"): 86.0,   # 个 = 家 (count)
        ("灵寿县", 2022, "industrial_revenue"): 1185000.0,              # 118.5 亿元 × 10000
        ("灵寿县", 2022, "enterprise_rd_expenditure"): 12088.8,
        ("平山县", 2022, "above_scale_industrial_enterprises"): 152.0,
        ("平山县", 2022, "industrial_revenue"): 4060000.0,              # 406 亿元 × 10000
        ("平山县", 2022, "enterprise_rd_expenditure"): 34510.0,
    })
    agg = [p for p in problems if p.rule == "aggregate_row"]
    assert [(p.severity, p.row, p.column, p.value) for p in agg] == [
        ("warning", "4", "县(市、区)", "全市"), ("warning", "7", "县(市、区)", "合计")]
    assert agg[0].zh == "汇总行（合计/全市等）不是县级数据，已跳过"
    assert rules(problems) == ["aggregate_row", "aggregate_row"]


def test_workbook_with_two_sheets_and_a_hidden_one():
    df, problems = load_statistics(BUREAU / "kjj_two_sheets_2022.xlsx")
    assert_values(df, {
        ("灵寿县", 2021, "fiscal_st_expenditure"): 1180.0,            # "1,180" 万元 from the name
        ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0,
        ("灵寿县", 2021, "general_budget_expenditure"): 215600.0,
        ("灵寿县", 2022, "general_budget_expenditure"): 228400.0,
        ("灵寿县", 2022, "st_smes"): 168.0,
        ("灵寿县", 2022, "provincial_platforms"): 3.0,                # 个 → 家
        ("灵寿县", 2022, "effective_invention_patents"): 45.0,
        ("灵寿县", 2022, "invention_patents_per_10k"): 1.47,
    })
    # the hidden scratch sheet is not read, and the run says so
    assert [(p.severity, p.rule, p.value) for p in problems] == [("info", "hidden_sheet", "草稿")]
    assert set(df["file"].str.rsplit("#", n=1).str[1]) == {"财政投入", "创新主体"}


def test_county_by_year_table_with_the_indicator_in_the_title():
    df, problems = load_statistics(BUREAU / "tjj_high_tech_by_county_2020-2022.xlsx")
    # 高新技术企业数（家） from the title; 县(市、区)＼年份 in the split corner cell; 合计 skipped; "—" missing
    assert_values(df, {
        ("灵寿县", 2020, "high_tech_enterprises"): 14.0, ("灵寿县", 2021, "high_tech_enterprises"): 18.0,
        ("灵寿县", 2022, "high_tech_enterprises"): 24.0,
        ("平山县", 2020, "high_tech_enterprises"): 30.0, ("平山县", 2021, "high_tech_enterprises"): 35.0,
        ("平山县", 2022, "high_tech_enterprises"): 41.0,
        ("行唐县", 2020, "high_tech_enterprises"): 12.0, ("行唐县", 2021, "high_tech_enterprises"): NAN,
        ("行唐县", 2022, "high_tech_enterprises"): 19.0,
    })
    assert set(df["unit"]) == {"家"}
    assert rules(problems) == ["note_row", "aggregate_row", "missing_value"]   # 注：2021年行唐县数据暂缺。 is said
    assert only(problems, "aggregate_row").row == "6"


def test_every_bureau_export_together():
    # The seven files agree where they overlap: repeats are kept once (warnings), no errors, and the shares
    # agree with their operands across files: 100 × 12088.8 / 1185000 = 1.0202 ≈ 1.02 (enterprise R&D
    # intensity), 45 patents / 30.65 万人 = 1.468 ≈ 1.47 per 10 000.
    df, problems = load_statistics(BUREAU)
    assert rules(problems, "error") == []
    # the year headers stored as dates and the 报送日期 column not read are said (kjj_year_headers_as_dates)
    assert set(rules(problems, "warning")) == {"aggregate_row", "duplicate_same", "date_header", "ignored_column"}
    got = values(df)
    # 37 keys from the first six files + 灵寿 2020, 平山 2020/2021, 行唐 2020/2021 from the county × year table
    # + 行唐 2023 fiscal S&T from the two-row yearbook page (the later fixtures repeat known values)
    assert len(got) == 43
    assert got[("灵寿县", 2022, "fiscal_st_expenditure")] == 1520.0
    assert got[("灵寿县", 2022, "industrial_revenue")] == 1185000.0
    assert not df.duplicated(["county", "year", "indicator"]).any()


# ------------------------------------------------------------------------------------ the county
def test_county_argument_for_files_without_county(write_csv):
    path = write_csv("no_county.csv", "指标,2021,2022\n地方财政科技支出(万元),1180,1520\n")
    df, problems = load_statistics(path, county="石家庄市灵寿县")
    assert_values(df, {("灵寿县", 2021, "fiscal_st_expenditure"): 1180.0, ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0})


def test_county_from_the_title(write_csv):
    path = write_csv("t.csv", "平山县主要指标（2022年）\n指标,数值,单位\n高新技术企业数,41,家\n")
    assert_values(load_statistics(path).table, {("平山县", 2022, "high_tech_enterprises"): 41.0})


def test_lazy_top_level_load_statistics():
    assert lingshou.load_statistics is load_statistics
    with pytest.raises(AttributeError):
        lingshou.no_such_function  # noqa: B018


# ----------------------------------------------------------------------------------------- layouts
def test_long_table_with_status_source_and_unit_in_value_header(write_csv):
    path = write_csv("long.csv", "县,年份,指标名称,数值(亿元),状态,来源\n"
                                 "灵寿县,2022年,地方财政科技支出,0.152,provisional,县财政局快报\n")
    df, problems = load_statistics(path)
    assert df.to_dict("records") == [{
        "county": "灵寿县", "year": 2022, "indicator": "fiscal_st_expenditure", "value": 1520.0, "unit": "万元",
        "status": "provisional", "source": "县财政局快报", "file": str(path), "row": 2}]


@pytest.mark.parametrize("corner", ["指标＼年份", "年份/指标", "", "项目"])
def test_corner_cell_of_a_wide_table(write_csv, corner):
    # the top-left cell names the row labels, is split by a diagonal, or is left empty
    path = write_csv("c.csv", f"{corner},2021年,2022年\n地方财政科技支出(万元),1180,1520\n高新技术企业数(家),18,24\n")
    assert_values(load_statistics(path, county="灵寿县").table, {
        ("灵寿县", 2021, "fiscal_st_expenditure"): 1180.0, ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0,
        ("灵寿县", 2021, "high_tech_enterprises"): 18.0, ("灵寿县", 2022, "high_tech_enterprises"): 24.0})


def test_county_by_year_without_indicator_in_the_title_is_a_layout_error(write_csv):
    path = write_csv("n.csv", "各县情况\n县(市、区),2021年,2022年\n灵寿县,18,24\n")
    p = only(load_statistics(path, strict=False).problems, "layout")
    assert p.value == "县(市、区) | 2021年 | 2022年"
    assert p.en.endswith("or counties down and years across with the indicator named in the title")


def test_admin_code_column_is_not_an_indicator_code(write_csv):
    path = write_csv("d.csv", "行政区划代码,县(市、区),高新技术企业数(家)\n130126,灵寿县,24\n130131,平山县,41\n")
    df, problems = load_statistics(path, county=None, strict=False)
    # no year anywhere: the values are reported as lacking a year, not read under the code 130126
    assert {p.rule for p in problems} == {"missing_year"}


def test_agreeing_unit_column_and_name(write_csv):
    path = write_csv("a.csv", "县,年份,指标名称,数值,计量单位\n灵寿县,2022,高新技术企业数(个),24,家\n")
    assert_values(load_statistics(path).table, {("灵寿县", 2022, "high_tech_enterprises"): 24.0})


def test_budget_table_sub_items_and_footnote_marks(write_csv):
    path = write_csv("b.csv", "项目,2022年\n一般公共预算支出(亿元),22.84\n　　其中：科学技术支出(亿元)*,0.152\n"
                              "注：*含上级专项转移支付。\n")
    # 22.84 亿元 = 228400 万元; 0.152 亿元 = 1520 万元 (the unit survives the footnote mark)
    assert_values(load_statistics(path, county="灵寿县").table, {("灵寿县", 2022, "general_budget_expenditure"): 228400.0,
                                                          ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0})


def test_unit_line_in_title_applies_to_wide_table(write_csv):
    path = write_csv("u.csv", "灵寿县财政科技投入,,\n单位：亿元,,\n项目,2021,2022\n科学技术支出,0.118,0.152\n")
    assert_values(load_statistics(path).table, {("灵寿县", 2021, "fiscal_st_expenditure"): 1180.0,
                                          ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0})


def test_tab_separated_text(write_csv):
    path = write_csv("t.txt", "县\t年份\t指标\t数值\t单位\n灵寿县\t2022\t地方财政科技支出\t1,520\t万元\n")
    assert_values(load_statistics(path).table, {("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0})


def test_gb18030_only_characters(write_csv):
    # 𠀀 is outside GBK; GB18030 encodes it in four bytes.  The note column holds it.
    path = write_csv("g.csv", "县,年份,指标,数值,单位,备注\n灵寿县,2022,地方财政科技支出,1520,万元,𠀀\n", encoding="gb18030")
    assert_values(load_statistics(path).table, {("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0})


def test_utf16_unicode_text_export(write_csv):
    # Excel's "Unicode text" export: UTF-16 with BOM, tab-separated
    path = write_csv("u16.txt", "县\t年份\t指标\t数值\t单位\r\n灵寿县\t2022\t地方财政科技支出\t1,520\t万元\r\n", encoding="utf-16")
    assert_values(load_statistics(path).table, {("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0})


@pytest.mark.parametrize("encoding, name", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("gbk", "gb18030"),
                                            ("gb18030", "gb18030"), ("utf-16", "utf-16")])
def test_decode_text(encoding, name):
    text = "县,年份\n灵寿县,2022\n"
    assert decode_text(text.encode(encoding)) == (text, name)


def test_decode_text_rejects_latin1():
    with pytest.raises(UnicodeDecodeError):
        decode_text("county,café\n".encode("latin-1"))


def test_unlabelled_column_of_units_is_the_unit_column(write_csv):
    # A yearbook habit: the unit sits in a column without a header.  0.118 亿元 = 1180 万元, not 0.118 万元.
    path = write_csv("u.csv", "指标,,2021年,2022年\n地方财政科技支出,亿元,0.118,0.152\n高新技术企业数,家,18,24\n")
    df, problems = load_statistics(path, county="灵寿县")
    assert_values(df, {
        ("灵寿县", 2021, "fiscal_st_expenditure"): 1180.0, ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0,
        ("灵寿县", 2021, "high_tech_enterprises"): 18.0, ("灵寿县", 2022, "high_tech_enterprises"): 24.0})
    assert problems == []


def test_row_longer_than_header_is_an_error_not_a_truncated_value(write_csv):
    # 1,520 without quotes splits into "1" and "520": reading 1 万元 would be silently wrong.
    path = write_csv("q.csv", "县,年份,指标,数值\n灵寿县,2022,地方财政科技支出,1,520\n灵寿县,2022,高新技术企业数,24\n")
    df, problems = load_statistics(path, strict=False)
    assert_values(df, {("灵寿县", 2022, "high_tech_enterprises"): 24.0})
    p = only(problems, "unlabelled_cell")
    assert (p.severity, p.row, p.column, p.value) == ("error", "2", "E", "520")
    assert "没有表头" in p.zh and "unquoted thousands separator" in p.en


def test_unknown_column_in_long_table_is_reported(write_csv):
    path = write_csv("x.csv", "序号,县,年份,指标,数值,单位,同比增长(%)\n1,灵寿县,2022,地方财政科技支出,1520,万元,12.3\n")
    df, problems = load_statistics(path)
    assert_values(df, {("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0})
    p = only(problems, "ignored_column")   # 序号 is known to carry no data; 同比增长 is not read
    assert (p.severity, p.row, p.column, p.value) == ("warning", "1", "同比增长(%)", "同比增长(%)")
    assert p.en == "column not read: its header is not a county, year, indicator, value, unit, status, source or note"


def test_unknown_indicator_column_in_county_table_is_unmapped(write_csv):
    path = write_csv("w.csv", "县(市、区),高新技术企业数(家),科技创新指数\n灵寿县,24,61.5\n")
    df, problems = load_statistics(path, strict=False)
    assert_values(df, {})  # the year is missing as well (no year column, no title)
    p = [x for x in problems if x.rule == "unmapped_indicator"]
    assert [(x.row, x.column, x.value) for x in p] == [("2", "科技创新指数", "科技创新指数")]


def test_title_with_a_year_range_gives_no_year(write_csv):
    # "2021—2023年" names three years; the last one must not be taken for the table's year.
    path = write_csv("r.csv", "灵寿县2021—2023年科技指标\n指标,数值,单位\n地方财政科技支出,1520,万元\n")
    df, problems = load_statistics(path, strict=False)
    assert values(df) == {}
    p = only(problems, "missing_year")
    assert (p.row, p.column, p.value) == ("3", "—", "地方财政科技支出")


def test_merged_note_row_under_an_xlsx_table_is_not_data(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["灵寿县主要指标", None, None])
    ws.merge_cells("A1:C1")
    ws.append(["指标", "2021年", "2022年"])
    ws.append(["高新技术企业数", 18, 24])
    ws.append(["注：本表数据来源于县统计局，2022年为快报数。", None, None])
    ws.merge_cells("A4:C4")
    wb.save(tmp_path / "n.xlsx")
    df, problems = load_statistics(tmp_path / "n.xlsx")
    assert_values(df, {("灵寿县", 2021, "high_tech_enterprises"): 18.0, ("灵寿县", 2022, "high_tech_enterprises"): 24.0})
    # the note says 2022 is 快报数 (preliminary): 2022 is provisional, 2021 stays published, and it is said
    assert dict(zip(df["year"], df["status"])) == {2021: "published", 2022: "provisional"}
    assert [(p.severity, p.rule) for p in problems] == [("info", "provisional_mark"), ("info", "note_row")]


def test_xlsx_percent_formatted_cells_are_percent(tmp_path):
    # Excel stores a typed "0.55%" as 0.0055 with the format 0.00%: that is 0.55 %, not 0.0055 %.
    wb = Workbook()
    ws = wb.active
    ws.append(["县", "年份", "指标", "数值"])
    ws.append(["灵寿县", 2021, "地方财政科技支出占公共财政支出的比重", 0.0055])
    ws.append(["灵寿县", 2022, "地方财政科技支出占公共财政支出的比重", 0.0067])
    ws.append(["灵寿县", 2022, "农业产业化经营率", 0.36])
    ws["D2"].number_format = "0.00%"
    ws["D3"].number_format = "0.00%"
    ws["D4"].number_format = '0.00"%"'   # a literal % sign in quotes does not scale
    wb.save(tmp_path / "p.xlsx")
    df, problems = load_statistics(tmp_path / "p.xlsx")
    assert_values(df, {("灵寿县", 2021, "fiscal_st_share"): 0.55, ("灵寿县", 2022, "fiscal_st_share"): 0.67,
                       ("灵寿县", 2022, "agri_industrialization_rate"): 0.36})


def test_xlsx_formula_without_cached_value_is_reported(tmp_path):
    # A workbook written by a program (never opened in Excel) has formulas without results: not missing.
    wb = Workbook()
    ws = wb.active
    ws.append(["县", "年份", "指标", "数值", "单位"])
    ws.append(["灵寿县", 2022, "地方财政科技支出", 1520, "万元"])
    ws.append(["灵寿县", 2022, "一般公共预算支出", "=D2*150", "万元"])
    wb.save(tmp_path / "f.xlsx")
    df, problems = load_statistics(tmp_path / "f.xlsx", strict=False)
    assert_values(df, {("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0})
    p = only(problems, "formula_uncached")
    assert (p.severity, p.row, p.column, p.value) == ("error", "3", "数值", "=D2*150")
    assert "请在 Excel 中打开并保存" in p.zh


def test_cell_value_as_written_in_problems(tmp_path):
    # an integer cell of a workbook is reported as written (168), not as a float (168.0) even when
    # the column also holds floats
    wb = Workbook()
    ws = wb.active
    ws.append(["县", "年份", "指标", "数值"])
    ws.append(["灵寿县", 2022, "科技型中小企业", 168])
    ws.append(["灵寿县", 2022, "科技型中小企业数", 170])
    ws.append(["灵寿县", 2022, "万人有效发明专利拥有量", 1.47])  # a float in the same column
    wb.save(tmp_path / "c.xlsx")
    df, problems = load_statistics(tmp_path / "c.xlsx", strict=False)
    p = only(problems, "duplicate_conflict")
    assert p.value == "168" and "行row 3 = 170" in p.zh


# ----------------------------------------------------------------------------- files and data cards
def test_data_card_gives_county_year_status_source(tmp_path):
    (tmp_path / "kj.csv").write_text("指标,数值,单位\n高新技术企业数,24,家\n", encoding="utf-8")
    (tmp_path / "kj.card.yaml").write_text("county: 灵寿\nyear: 2022\nstatus: illustrative\npublisher: 灵寿县科技局\n",
                                           encoding="utf-8")
    df, problems = load_statistics(tmp_path)
    assert df[["county", "year", "indicator", "value", "status", "source"]].to_dict("records") == [{
        "county": "灵寿县", "year": 2022, "indicator": "high_tech_enterprises", "value": 24.0,
        "status": "illustrative", "source": "灵寿县科技局"}]


def test_read_card_absent_is_empty(tmp_path):
    assert read_card(tmp_path / "a.csv") == {}


def test_data_card_not_a_mapping(tmp_path):
    (tmp_path / "a.card.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"数据卡片 .*a\.card\.yaml 不是键值表 / data card .*a\.card\.yaml is not a mapping"):
        read_card(tmp_path / "a.csv")


def test_bad_data_card_is_a_problem(tmp_path, cat):
    (tmp_path / "a.csv").write_text("县,年份,指标,数值,单位\n灵寿县,2022,高新技术企业数,24,家\n", encoding="utf-8")
    (tmp_path / "a.card.yaml").write_text("county: [unclosed\n", encoding="utf-8")
    recs, probs = read_records(tmp_path / "a.csv", cat)
    p = only(probs, "card")
    assert p.severity == "error" and p.zh.startswith("数据卡片无法读取，文件未读取") and p.file.endswith("a.csv")
    # the card may have said "illustrative": the values are not read as published without it
    assert recs.empty


def test_data_card_with_unreadable_year(tmp_path, cat):
    (tmp_path / "a.csv").write_text("指标,数值,单位\n高新技术企业数,24,家\n", encoding="utf-8")
    (tmp_path / "a.card.yaml").write_text("county: 灵寿县\nyear: 二〇二二\n", encoding="utf-8")
    recs, probs = read_records(tmp_path / "a.csv", cat)
    p = only(probs, "card")
    assert (p.file, p.column, p.value) == (str(tmp_path / "a.card.yaml"), "year", "二〇二二")
    assert p.en == "cannot read the year of the data card (expected e.g. 2022), so the file was not read"
    assert recs.empty


def test_unknown_status_in_data_card_is_one_problem(tmp_path):
    (tmp_path / "a.csv").write_text("县,年份,指标,数值,单位\n灵寿县,2021,高新技术企业数,18,家\n灵寿县,2022,高新技术企业数,24,家\n",
                                    encoding="utf-8")
    (tmp_path / "a.card.yaml").write_text("status: 估计\n", encoding="utf-8")
    df, problems = load_statistics(tmp_path, strict=False)
    p = only(problems, "unknown_status")
    assert (p.row, p.column, p.value) == ("—", "status（数据卡片 data card）", "估计")
    assert df.empty


def test_list_data_files(tmp_path):
    for name in ["b.csv", "a.xlsx", "sub/c.txt", "old.xls", "a.card.yaml", "README.md", "notes.docx",
                 ".hidden.csv", "~$a.xlsx"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    files, probs = list_data_files([tmp_path, tmp_path / "missing.csv"])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.xlsx", "b.csv", "old.xls", "sub/c.txt"]
    assert [(p.severity, p.rule, p.file) for p in probs] == [
        ("warning", "skipped_file", str(tmp_path / "notes.docx")),
        ("error", "missing_file", str(tmp_path / "missing.csv"))]
    assert probs[1].zh == "文件或文件夹不存在"


def test_read_sheets_unsupported_and_corrupt_old_formats(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "b.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert read_sheets(tmp_path / "a.pdf")[1][0].en.startswith("unsupported file type .pdf (supported: .csv, .tsv")
    sheets, probs = read_sheets(tmp_path / "b.xls")
    assert sheets == [] and probs[0].rule == "unreadable" and probs[0].en.startswith("cannot read the old Excel (.xls) file: ")


OLD_XLS = BUREAU.parent / "xls" / "tjj_old_format_2021-2022.xls"


def test_old_xls_is_read_like_xlsx():
    """Made by tests/data/make_xls.py (LibreOffice): merged title with the unit, a percentage format, a value
    typed as text, a hidden row that is data and a hidden sheet that is not."""
    df, problems = load_statistics(OLD_XLS, county="灵寿县")
    assert_values(df, {
        ("灵寿县", 2021, "fiscal_st_expenditure"): 1180.0, ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0,
        ("灵寿县", 2021, "general_budget_expenditure"): 215600.0, ("灵寿县", 2022, "general_budget_expenditure"): 228400.0,
        ("灵寿县", 2021, "fiscal_st_share"): 0.55, ("灵寿县", 2022, "fiscal_st_share"): 0.66,   # 0.0055 shown as 0.55%
        ("灵寿县", 2021, "high_tech_enterprises"): 18.0, ("灵寿县", 2022, "high_tech_enterprises"): 24.0,
    })
    notes = [(p.severity, p.rule, p.row, p.value) for p in problems]
    assert notes == [("info", "hidden_sheet", "—", "草稿"), ("info", "hidden_rows", "6", "科技")]
    assert problems[1].zh == "工作表“科技”有 1 个隐藏行（第 6 行），已照常读取"


def test_a_workbook_under_another_name_is_read_as_what_it_is(tmp_path, write_csv):
    shutil.copyfile(OLD_XLS, tmp_path / "renamed.xlsx")            # an .xls renamed .xlsx
    shutil.copyfile(BUREAU / "kjj_two_sheets_2022.xlsx", tmp_path / "saved_as.csv")   # an .xlsx named .csv
    for name, real in (("renamed.xlsx", ".xls"), ("saved_as.csv", ".xlsx")):
        sheets, probs = read_sheets(tmp_path / name)
        assert sheets, name
        assert probs[0].rule == "real_format" and probs[0].en.endswith(f"is an {real} workbook; it was read as one")
    df, problems = load_statistics(tmp_path / "renamed.xlsx", county="灵寿县")
    assert len(df) == 8


def test_a_binary_file_named_csv_is_said_to_be_one(tmp_path):
    (tmp_path / "chart.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (tmp_path / "blob.csv").write_bytes(b"abc\x00def")
    assert read_sheets(tmp_path / "chart.csv")[1][0].zh == "文件不是文本表格，而是 PNG 图片 / PNG image；请提供 CSV 或 Excel 文件"
    assert read_sheets(tmp_path / "blob.csv")[1][0].en.startswith("the file is not a text table but 二进制文件 / binary file")


def test_hidden_rows_of_an_xlsx_are_read_and_said(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["指标", "2022年"])
    ws.append(["高新技术企业数(家)", 24])
    ws.append(["科技型中小企业数(家)", 168])
    ws.row_dimensions[3].hidden = True
    wb.save(tmp_path / "h.xlsx")
    df, problems = load_statistics(tmp_path / "h.xlsx", county="灵寿县")
    assert_values(df, {("灵寿县", 2022, "high_tech_enterprises"): 24.0, ("灵寿县", 2022, "st_smes"): 168.0})
    assert [(p.rule, p.row) for p in problems] == [("hidden_rows", "3")]


def test_strict_load_raises_with_every_error(write_csv):
    path = write_csv("e.csv", "县,年份,指标,数值,单位\n灵寿县,2022,科技创新指数,1,分\n灵丘县,2022,高新技术企业数,24,家\n")
    with pytest.raises(DataError, match=r"数据有 2 个错误 / the data has 2 error\(s\)") as info:
        load_statistics(path)
    assert [(p.rule, p.row) for p in info.value.problems] == [("unmapped_indicator", "2"), ("unmapped_county", "3")]
    text = str(info.value)
    assert "科技创新指数" in text and "灵丘县" in text and "indicator_aliases.csv" in text and "county_aliases.csv" in text


def test_output_columns_and_types():
    df, problems = load_statistics(BUREAU / "long_units_mixed_bom.csv")
    assert list(df.columns) == ["county", "year", "indicator", "value", "unit", "status", "source", "file", "row"]
    assert df["year"].dtype == "int64" and df["value"].dtype == "float64" and df["row"].dtype == "int64"
    # sorted by county, indicator, year
    assert list(df["county"]) == sorted(df["county"])


def test_group_heading_rows_are_skipped_with_a_note(tmp_path):
    # Yearbooks group their rows under headings ("一、科技投入") that carry no values, sometimes merged
    # across the table.
    wb = Workbook()
    ws = wb.active
    ws.append(["指标", "2021年", "2022年"])
    ws.append(["一、科技投入", None, None])
    ws.append(["地方财政科技支出(万元)", 1180, 1520])
    ws.append(["二、创新主体", None, None])
    ws.merge_cells("A4:C4")
    ws.append(["高新技术企业数(家)", 18, 24])
    ws.append(["科技型中小企业数(家)", None, None])   # a known indicator without values: missing, not a heading
    wb.save(tmp_path / "h.xlsx")
    df, problems = load_statistics(tmp_path / "h.xlsx", county="灵寿县")
    assert_values(df, {("灵寿县", 2021, "fiscal_st_expenditure"): 1180.0, ("灵寿县", 2022, "fiscal_st_expenditure"): 1520.0,
                       ("灵寿县", 2021, "high_tech_enterprises"): 18.0, ("灵寿县", 2022, "high_tech_enterprises"): 24.0,
                       ("灵寿县", 2021, "st_smes"): NAN, ("灵寿县", 2022, "st_smes"): NAN})
    heads = [p for p in problems if p.rule == "heading_row"]
    assert [(p.severity, p.row, p.column, p.value) for p in heads] == [("info", "2", "指标", "一、科技投入"),
                                                                      ("info", "4", "指标", "二、创新主体")]
    assert rules(problems) == ["heading_row", "heading_row", "missing_value", "missing_value"]


def test_corrupt_workbook_is_a_problem_not_a_crash(tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    sheets, probs = read_sheets(tmp_path / "bad.xlsx")
    assert sheets == [] and probs[0].rule == "unreadable" and probs[0].zh.startswith("无法读取文件：")


# ------------------------------------------------------------------------------ the fixture script
def _workbook_content(path):
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [(ws.title, ws.sheet_state, sorted(str(r) for r in ws.merged_cells.ranges),
             [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]) for ws in wb.worksheets]


def test_committed_fixtures_are_the_scripts_output(tmp_path):
    import importlib.util

    from conftest import TEST_DATA

    spec = importlib.util.spec_from_file_location("make_fixtures", TEST_DATA / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_bureau(tmp_path / "bureau")
    module.make_malformed(tmp_path / "malformed")
    for family in ("bureau", "malformed"):
        made = sorted(p.relative_to(tmp_path / family) for p in (tmp_path / family).rglob("*") if p.is_file())
        committed = sorted(p.relative_to(TEST_DATA / family) for p in (TEST_DATA / family).rglob("*") if p.is_file())
        assert made == committed
        for rel in made:
            new, old = tmp_path / family / rel, TEST_DATA / family / rel
            if rel.suffix == ".xlsx" and not rel.name.startswith("m39"):
                assert _workbook_content(new) == _workbook_content(old), rel
            else:
                assert new.read_bytes() == old.read_bytes(), rel


def test_a_return_forms_own_hidden_sheet_is_no_note(tmp_path):
    from lingshou.collect.template import META_SHEET
    from lingshou.data.workbook import PROGRAM_SHEETS, read_xlsx

    assert META_SHEET in PROGRAM_SHEETS
    wb = Workbook()
    wb.active.append(["指标", "2022年"])
    for name, state in ((META_SHEET, "veryHidden"), ("旧表", "veryHidden"), ("草稿", "hidden")):
        wb.create_sheet(name).sheet_state = state
    wb.save(tmp_path / "f.xlsx")
    _, notes = read_xlsx(tmp_path / "f.xlsx")
    assert [n.value for n in notes] == ["旧表", "草稿"]


def test_a_stray_space_far_away_does_not_make_a_huge_grid(tmp_path):
    from lingshou.data.workbook import read_xlsx

    wb = Workbook()
    ws = wb.active
    ws.append(["指标", "2022年"])
    ws.append(["高新技术企业数(家)", 24])
    ws["AX100000"] = " "                    # one space, far away: the sheet's dimension becomes A1:AX100000
    ws["C5"] = "=B2*2"                      # a formula never calculated still counts as a cell
    wb.save(tmp_path / "s.xlsx")
    (name, grid), = read_xlsx(tmp_path / "s.xlsx")[0]
    assert len(grid) == 5 and len(grid[0]) == 3
    assert grid[1] == ["高新技术企业数(家)", 24, None] and grid[4][2] == "=B2*2"


def test_a_note_row_inside_a_table_is_a_warning_and_one_below_an_info(write_csv):
    path = write_csv("n.csv", "指标,2021年,2022年\n高新技术企业数(家),18,24\n注：2022年起按新口径统计,,\n"
                              "科技型中小企业数(家),150,168\n注：数据来源县统计局,,\n")
    df, problems = load_statistics(path, county="灵寿县")
    assert len(df) == 4
    notes = [(p.severity, p.rule, p.row) for p in problems if p.rule.startswith("note")]
    assert notes == [("warning", "note_inside_table", "3"), ("info", "note_row", "5")]
    inside = next(p for p in problems if p.rule == "note_inside_table")
    assert inside.zh == "表格中间的说明行未作为数据读取：“注:2022年起按新口径统计”；如说明口径变化，请核对前后数值是否可比"


def test_a_card_year_the_table_contradicts_is_said(write_csv):
    path = write_csv("y.csv", "指标,2021年,2022年\n高新技术企业数(家),18,24\n")
    path.with_name("y.card.yaml").write_text("year: 2022\ncounty: 灵寿县\n", encoding="utf-8")
    df, problems = load_statistics(path)
    assert sorted(df["year"]) == [2021, 2022]
    said = [p for p in problems if p.rule == "card_year_overruled"]
    assert len(said) == 1 and said[0].severity == "warning"
    assert said[0].zh == "数据卡片的年份为 2022，表中写明的年份 [2021] 与之不同；按表中年份读取，请核对数据卡片"
    # a table without years of its own takes the card's, without a word
    other = write_csv("z.csv", "指标,数值\n高新技术企业数(家),24\n")
    other.with_name("z.card.yaml").write_text("year: 2022\ncounty: 灵寿县\n", encoding="utf-8")
    df, problems = load_statistics(other)
    assert df["year"].tolist() == [2022] and problems == []


@pytest.mark.parametrize("title, county", [
    ("科技统计表（修正定稿）", None),                   # 正定 inside 修正定稿 is no county
    ("灵寿科技统计表", "灵寿县"),                        # a short name at the start of the title
    ("河北省石家庄市灵寿县科技局报表", "灵寿县"),          # a full name inside a longer run
    ("2022年灵寿县主要科技指标", "灵寿县"),
])
def test_a_county_in_a_title_only_as_a_word(write_csv, title, county):
    path = write_csv("t.csv", f"{title}\n指标,2022年\n高新技术企业数(家),24\n")
    df, problems = load_statistics(path, strict=False)
    if county is None:
        assert df.empty and [p.rule for p in problems] == ["missing_county"]
    else:
        assert df["county"].tolist() == [county]
