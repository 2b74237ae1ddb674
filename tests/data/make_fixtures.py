"""Write the test fixtures under ``tests/data/`` (run: ``python tests/data/make_fixtures.py``).

Two families, both committed (the tests read the committed files; this script says how they were made):

``bureau/``
    Exports as a statistics bureau (统计局) or a finance bureau (财政局) sends them, in layouts the
    loader was not written against: yearbook workbooks with merged titles and headers, unit lines, notes
    under the table, GBK-encoded CSV, a unit column mixing 元/万元/亿元, full-width digits, ``0.52%``
    strings, totals rows, several sheets.  ``tests/test_io.py`` checks every canonical value by hand.
``malformed/``
    One broken thing per file (CSV and XLSX); ``tests/test_validate.py`` asserts the precise problem
    (file, row, column, value, rule) of each.

The XLSX files carry fixed document dates and zip time stamps, so re-running the script reproduces every
file byte for byte (``tests/test_io.py`` checks that the committed files are this script's output).
"""
from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
BUREAU = HERE / "bureau"
MALFORMED = HERE / "malformed"
_FIXED_DATE = dt.datetime(2023, 3, 31, 9, 0, 0)


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write a CSV exactly as given (``encoding='utf-8-sig'`` adds the BOM Excel writes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def write_xlsx(path: Path, sheets: list[dict]) -> None:
    """Write a workbook.

    Each sheet is ``{"title": str, "rows": list[list], "merge": ["A1:E1", ...], "hidden": bool}``;
    ``None`` cells stay empty.  Merged ranges keep only their top-left value, as Excel does.
    """
    wb = Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec["title"])
        for r, row in enumerate(spec["rows"], start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for rng in spec.get("merge", []):
            ws.merge_cells(rng)
            ws[rng.split(":")[0]].alignment = Alignment(horizontal="center", vertical="center")
        if spec.get("bold_rows"):
            for r in spec["bold_rows"]:
                for cell in ws[r]:
                    cell.font = Font(bold=True)
        if spec.get("hidden"):
            ws.sheet_state = "hidden"
    wb.properties.created = _FIXED_DATE
    wb.properties.modified = _FIXED_DATE
    wb.properties.creator = "lingshou tests"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    _fix_zip_dates(path)


def _fix_zip_dates(path: Path) -> None:
    """Rewrite a workbook's zip entries with a fixed time stamp (openpyxl stamps the current time)."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            if info.filename == "docProps/core.xml":   # openpyxl stamps the save time as "modified"
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + _FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_DATE.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            zout.writestr(fixed, data)


# ------------------------------------------------------------------------------------------------ bureau
def make_bureau(root: Path = BUREAU) -> None:
    # 1. 统计局 yearbook page: merged title, a unit line, 指标 merged over two header rows, 年份 merged over
    #    the year columns, years as "2021年", notes and a signature under the table.  No county column:
    #    the county comes from the title.
    write_xlsx(root / "tjj_yearbook_lingshou_2021-2023.xlsx", [{
        "title": "表3-1",
        "rows": [
            ["灵寿县主要科技指标（2021—2023年）", None, None, None],
            [None, None, None, "单位：万元"],
            ["指    标", "年份", None, None],
            [None, "2021年", "2022年", "2023年"],
            ["地方财政科技支出", 1180, 1520, 1693.5],
            ["一般公共预算支出", 215600, 228400, 236050],
            ["规模以上工业企业R&D经费支出", 10512, 12088.8, "…"],
            ["高新技术企业数(家)", 18, 24, 31],
            [None, None, None, None],
            ["注：2023年为初步数据；“…”表示数据暂缺。", None, None, None],
            ["资料来源：灵寿县统计局", None, None, None],
        ],
        "merge": ["A1:D1", "A3:A4", "B3:D3"],
        "bold_rows": [1],
    }])

    # 2. 财政局 export saved by a Chinese-locale Excel: GBK, title line, money in 亿元 written in the
    #    item names, a blank line and a note.
    write_text(root / "czj_kjzc_lingshou_gbk.csv", (
        "灵寿县财政局2021—2022年一般公共预算支出决算（节选）,,\r\n"
        "项目,2021年,2022年\r\n"
        "一般公共预算支出(亿元),21.56,22.84\r\n"
        "科学技术支出(亿元),0.118,0.152\r\n"
        "地方财政科技支出占公共财政支出的比重(%),0.55,0.67\r\n"
        ",,\r\n"
        "注：科学技术支出为一般公共预算支出功能分类第206类。,,\r\n"
    ), encoding="gbk")

    # 3. Long table as a spreadsheet's "CSV UTF-8" saves it (with BOM): a unit column mixing 元, 千元,
    #    万元, 亿元 and 人; county name variants; thousands separators inside quotes.
    write_text(root / "long_units_mixed_bom.csv", (
        "地区,年份,指标,计量单位,数值,备注\r\n"
        "石家庄市灵寿县,2022,地方财政科技支出,元,\"15,200,000\",\r\n"
        "灵寿,2022,一般公共预算支出,亿元,22.84,\r\n"
        "灵寿县,2022,规模以上工业企业R&D经费支出,万元,12088.8,\r\n"
        "灵寿县,2022,规模以上工业企业主营业务收入,千元,\"11,850,000\",\r\n"
        "灵寿县,2022,年末常住人口,人,\"306,500\",年末数\r\n"
        "平山县,2019,科学技术支出,元,12345,\r\n"
        "平山县,2019,财政支出,亿元,1.2345,\r\n"
    ), encoding="utf-8-sig")

    # 4. 各县(市、区)主要科技指标: one row per county, indicators as columns, year only in the title, shares
    #    written as "0.52%", full-width digits and separators as some input methods type them.
    write_text(root / "county_st_indicators_2022.csv", (
        "各县(市、区)主要科技指标(2022年),,,,,\n"
        "县(市、区),地方财政科技支出(万元),地方财政科技支出占公共财政支出的比重,高新技术企业数(家),科技型中小企业数(家),"
        "规上工业企业R&D经费支出占主营业务收入的比重\n"
        "灵寿县,\"１，５２０\",0.67%,２４,１６８,1.02%\n"
        "平山县,2380.5,０．５２％,41,—,0.85%\n"
        "行唐县,…,0.48%,19,96,-\n"
        "资料来源：各县(市、区)科技局,,,,,\n"
    ), encoding="utf-8")

    # 5. 统计局 workbook of industrial enterprises by county: a units row under the header, a 全市 row at
    #    the top and a 合计 row at the bottom (aggregates, not counties), year in the title.
    write_xlsx(root / "tjj_industry_by_county_2022.xlsx", [{
        "title": "规上工业",
        "rows": [
            ["2022年各县(市、区)规模以上工业企业主要指标", None, None, None],
            ["县(市、区)", "规模以上工业企业数", "规模以上工业企业营业收入", "规上工业企业R&D经费支出"],
            ["单位", "个", "亿元", "万元"],
            ["全市", 4012, 16150.3, 985000],
            ["灵寿县", 86, 118.5, 12088.8],
            ["平山县", 152, 406, 34510],
            ["合计", 238, 524.5, 46598.8],
        ],
        "merge": ["A1:D1"],
    }])

    # 6. A workbook with two sheets of different layouts (and a hidden scratch sheet that is not data).
    write_xlsx(root / "kjj_two_sheets_2022.xlsx", [
        {"title": "财政投入", "rows": [
            ["灵寿县科技投入情况", None, None],
            ["指标名称", "2021", "2022"],
            ["本级财政科技支出（万元）", "1,180", "1,520"],
            ["一般公共预算支出（万元）", "215,600", "228,400"],
        ], "merge": ["A1:C1"]},
        {"title": "创新主体", "rows": [
            ["县区", "年度", "指标", "数值", "单位"],
            ["灵寿县", "2022年", "科技型中小企业", 168, "家"],
            ["灵寿县", "2022年", "省级以上科技创新平台", 3, "个"],
            ["灵寿县", "2022年", "有效发明专利", 45, "件"],
            ["灵寿县", "2022年", "万人有效发明专利拥有量", 1.47, "件/万人"],
        ]},
        {"title": "草稿", "rows": [["随手记", "不是数据"]], "hidden": True},
    ])


    # 7. One indicator named only in the title, counties down and years across (a yearbook's 分县 table),
    #    the corner cell split by a diagonal (县(市、区)＼年份), a 合计 row.
    write_xlsx(root / "tjj_high_tech_by_county_2020-2022.xlsx", [{
        "title": "分县",
        "rows": [
            ["石家庄市各县(市、区)高新技术企业数（家）", None, None, None],
            ["县(市、区)＼年份", "2020年", "2021年", "2022年"],
            ["灵寿县", 14, 18, 24],
            ["平山县", 30, 35, 41],
            ["行唐县", 12, "—", 19],
            ["合计", 56, 53, 84],
            ["注：2021年行唐县数据暂缺。", None, None, None],
        ],
        "merge": ["A1:D1", "A7:D7"],
    }])

    # 8. Year headers Excel stored as dates: 2022 typed into a date-formatted header shows as 2022-01-01
    #    (a datetime cell); a date in a data row is a date, not a year.
    write_xlsx(root / "kjj_year_headers_as_dates_2022-2023.xlsx", [{
        "title": "Sheet1",
        "rows": [
            ["灵寿县科技指标", None, None, None],
            ["指标", dt.datetime(2022, 1, 1), dt.datetime(2023, 1, 1), "报送日期"],
            ["地方财政科技支出(万元)", 1520, 1693.5, dt.datetime(2024, 3, 15)],
            ["高新技术企业数(家)", 24, 31, dt.datetime(2024, 3, 15)],
        ],
    }])


    # 9. 财政局 决算表 by functional classification: subject codes as numbers, the total first, 206 科学技术支出
    #    with its sub-items, every other subject too; county, year and unit from the title rows.
    write_xlsx(root / "czj_juesuan_lingshou_2023.xlsx", [{
        "title": "表二",
        "rows": [
            ["灵寿县2023年一般公共预算支出决算功能分类明细表", None, None],
            [None, None, "单位：万元"],
            ["科目编码", "科目名称", "决算数"],
            [None, "一般公共预算支出合计", 236050],
            [201, "一般公共服务支出", 30210],
            [205, "教育支出", 52000],
            [206, "科学技术支出", 1693.5],
            [20601, "  科学技术管理事务", 310],
            [20604, "  技术研究与开发", 1000],
            [207, "文化旅游体育与传媒支出", 4000],
        ],
        "merge": ["A1:C1"],
    }])


    # 10. Excel's "Unicode text" export: UTF-16 with its BOM, tab-separated, a title row without any tab above.
    write_text(root / "kjj_unicode_text_export.csv",
               "灵寿县主要科技指标\n指标\t2022年\t2023年\n地方财政科技支出(万元)\t1520\t1693.5\n", encoding="utf-16")
    # 11. A county's table by township (乡镇) with its 全县 total: the total is the county's value.
    write_text(root / "tjj_townships_lingshou_2023.csv",
               "灵寿县2023年各乡镇高新技术企业数\n乡镇,高新技术企业数(家)\n灵寿镇,12\n青廉乡,5\n慈峪镇,14\n全县,31\n")


    # 12. Two tables stacked on one sheet, each under its own title (2021, then 2022 below).
    write_text(root / "tjj_stacked_high_tech_2021_2022.csv",
               "2021年各县高新技术企业数\n县(市、区),高新技术企业数(家)\n灵寿县,18\n平山县,35\n\n"
               "2022年各县高新技术企业数\n县(市、区),高新技术企业数(家)\n灵寿县,24\n平山县,41\n")
    # 13. A yearbook page with a two-row header: 绝对数 under the indicator, 比上年增长(%) beside it.
    write_xlsx(root / "tjj_yearbook_two_row_header_2023.xlsx", [{
        "title": "3-5",
        "rows": [
            ["2023年各县(市、区)地方财政科技支出", None, None],
            ["县(市、区)", "地方财政科技支出(万元)", None],
            [None, "绝对数", "比上年增长(%)"],
            ["灵寿县", 1693.5, 11.4],
            ["行唐县", 2210, 5.0],
        ],
        "merge": ["A1:C1", "B2:C2", "A2:A3"],
    }])


# --------------------------------------------------------------------------------------------- malformed
LONG = "县,年份,指标,数值,单位\n"


def make_malformed(root: Path = MALFORMED) -> None:
    m = root
    # names and mapping
    write_text(m / "m01_unmapped_indicator.csv", LONG + "灵寿县,2022,地方财政科技支出,1520,万元\n灵寿县,2022,科技创新指数,61.5,分\n")
    write_text(m / "m02_unmapped_county.csv", LONG + "灵丘县,2022,高新技术企业数,24,家\n")
    write_text(m / "m03_ambiguous_county.csv", LONG + "桥西区,2022,高新技术企业数,85,家\n")
    write_text(m / "m04_missing_indicator.csv", LONG + "灵寿县,2022,,1520,万元\n")
    write_text(m / "m05_missing_county.csv", "年份,指标,数值,单位\n2022,高新技术企业数,24,家\n")
    write_xlsx(m / "m06_unmapped_in_merged_yearbook.xlsx", [{"title": "Sheet1", "rows": [
        ["灵寿县科技统计", None, None],
        ["指标", "年份", None],
        [None, "2021年", "2022年"],
        ["高新技术企业数(家)", 18, 24],
        ["R&D人员(人)", 210, 236],
    ], "merge": ["A1:C1", "A2:A3", "B2:C2"]}])
    write_xlsx(m / "m07_unmapped_indicator_column.xlsx", [{"title": "Sheet1", "rows": [
        ["2022年各县科技指标", None, None],
        ["县(市、区)", "高新技术企业数(家)", "技术合同成交额(万元)"],
        ["灵寿县", 24, 3100],
        ["平山县", 41, 5200],
    ]}])
    # numbers
    write_text(m / "m08_non_numeric.csv", LONG + "灵寿县,2022,地方财政科技支出,约1500,万元\n")
    write_xlsx(m / "m09_non_numeric_wide.xlsx", [{"title": "Sheet1", "rows": [
        ["灵寿县财政科技支出", None, None],
        ["指标", "2021年", "2022年"],
        ["地方财政科技支出(万元)", 1180, "1520万元"],
    ]}])
    write_text(m / "m10_bad_thousands_grouping.csv", LONG + "灵寿县,2022,一般公共预算支出,\"2,28,400\",万元\n")
    write_text(m / "m11_unquoted_thousands.csv", "县,年份,指标,数值\n灵寿县,2022,地方财政科技支出,1,520\n")
    write_xlsx(m / "m12_formula_uncached.xlsx", [{"title": "Sheet1", "rows": [
        ["县", "年份", "指标", "数值", "单位"],
        ["灵寿县", 2022, "地方财政科技支出", 1520, "万元"],
        ["灵寿县", 2022, "一般公共预算支出", "=D2*150", "万元"],
    ]}])
    # ranges
    write_text(m / "m13_negative_money.csv", LONG + "灵寿县,2022,地方财政科技支出,-1520,万元\n")
    write_xlsx(m / "m14_negative_count.xlsx", [{"title": "Sheet1", "rows": [
        ["县", "年份", "指标", "数值", "单位"],
        ["灵寿县", 2022, "高新技术企业数", "\u22123", "家"],
    ]}])
    write_text(m / "m15_negative_share.csv", "县,年份,指标,数值\n灵寿县,2022,地方财政科技支出占公共财政支出的比重,-0.5%\n")
    write_text(m / "m16_share_over_100.csv", "县,年份,指标,数值\n灵寿县,2022,规上工业企业R&D经费支出占主营业务收入的比重,152%\n")
    write_text(m / "m17_share_permille_over_100.csv", LONG + "灵寿县,2022,农业产业化经营率,1520,‰\n")
    # units
    write_text(m / "m18_unknown_unit.csv", LONG + "灵寿县,2022,地方财政科技支出,1520,吨\n")
    write_text(m / "m19_incompatible_unit.csv", LONG + "灵寿县,2022,高新技术企业数,24,亿元\n")
    write_text(m / "m20_unit_conflict.csv", LONG + "灵寿县,2022,地方财政科技支出,0.52%,万元\n")
    write_text(m / "m21_percent_for_count.csv", "县,年份,指标,数值\n灵寿县,2022,高新技术企业数,24%\n")
    write_text(m / "m22_unit_in_name_unknown.csv", "县,年份,指标名称,数值\n灵寿县,2022,科学技术支出(美元),1520\n")
    write_text(m / "m23_unit_assumed.csv", "县,年份,指标,数值\n灵寿县,2022,地方财政科技支出,1520\n")
    # years
    write_text(m / "m24_year_future.csv", LONG + "灵寿县,2035,高新技术企业数,24,家\n")
    write_text(m / "m25_year_too_old.csv", LONG + "灵寿县,1975,高新技术企业数,2,家\n")
    write_text(m / "m26_bad_year.csv", LONG + "灵寿县,二〇二二年,高新技术企业数,24,家\n")
    write_text(m / "m27_missing_year.csv", "灵寿县2021—2022年科技指标\n县,指标,数值,单位\n灵寿县,高新技术企业数,24,家\n")
    # duplicates, ratios, jumps
    write_text(m / "m28_duplicate_conflict.csv", LONG + "灵寿县,2022,地方财政科技支出,1520,万元\n灵寿,2022,科学技术支出,0.1525,亿元\n")
    write_text(m / "m29_duplicate_across_files/a_tjj.csv", LONG + "灵寿县,2022,高新技术企业数,24,家\n")
    write_text(m / "m29_duplicate_across_files/b_kjj.csv", LONG + "石家庄市灵寿县,2022,高新技术企业数量,26,家\n")
    write_text(m / "m30_duplicate_same.csv", LONG + "灵寿县,2022,高新技术企业数,24,家\n灵寿县,2022,高新技术企业,24,个\n")
    write_text(m / "m31_ratio_mismatch.csv", LONG + "灵寿县,2022,地方财政科技支出,1520,万元\n灵寿县,2022,一般公共预算支出,228400,万元\n"
                                               "灵寿县,2022,地方财政科技支出占公共财政支出的比重,0.9,%\n")
    write_xlsx(m / "m32_ratio_mismatch_per_1000.xlsx", [{"title": "Sheet1", "rows": [
        ["县(市、区)", "年份", "高新技术企业数", "工商注册企业数", "千家工商注册企业中高新技术企业数"],
        ["灵寿县", "2022年", 30, 5000, 4.5],
    ]}])
    write_text(m / "m33_jump.csv", LONG + "灵寿县,2021,高新技术企业数,3,家\n灵寿县,2022,高新技术企业数,24,家\n")
    # status, layout, files
    write_text(m / "m34_unknown_status.csv", "县,年份,指标,数值,单位,状态\n灵寿县,2022,高新技术企业数,24,家,估算\n")
    write_text(m / "m35_no_header.csv", "灵寿县科技工作总结\n今年我县高新技术企业达到24家。\n")
    write_text(m / "m36_layout_unrecognised.csv", "县,年份,备注\n灵寿县,2022,无\n")
    write_text(m / "m37_empty.csv", "")
    m.joinpath("m38_latin1.csv").write_bytes("county,year,indicator,value\nLingshou,2022,caf\xe9,1\n".encode("latin-1"))
    m.joinpath("m39_corrupt.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    m.joinpath("m40_old_format.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    write_text(m / "m41_bad_card.csv", LONG + "灵寿县,2022,高新技术企业数,24,家\n")
    write_text(m / "m41_bad_card.card.yaml", "county: [灵寿县\nstatus: published\n")
    write_text(m / "m43_unit_column_contradicts_name.csv", "县,年份,指标名称,数值,计量单位\n灵寿县,2022,科学技术支出(亿元),1520,万元\n")
    # a Taiwan/Hong Kong-style export: traditional characters, Big5-encoded; and the same in UTF-8
    traditional = "縣(市、區),年份,指標,數值,單位\n靈壽縣,2022,地方財政科技支出,1520,萬元\n"
    write_text(m / "m44_big5.csv", traditional, encoding="big5")
    write_text(m / "m45_traditional_headers.csv", traditional)
    # a county name with a terminal control sequence and a bare carriage return (it could overwrite a printed line)
    write_text(m / "m46_control_characters.csv", "县,年份,指标,数值\n灵寿县\x1b[2K\r,2022,高新技术企业数,24\n")
    # a workbook whose data sit on a hidden sheet, behind a visible notes page
    write_xlsx(m / "m47_hidden_data_sheet.xlsx", [
        {"title": "说明", "rows": [["本表为灵寿县科技指标，数据见下一页"]]},
        {"title": "数据", "rows": [["县", "年份", "指标", "数值"], ["灵寿县", 2022, "高新技术企业数", 24]], "hidden": True},
    ])
    write_xlsx(m / "m42_aggregate_rows.xlsx", [{"title": "Sheet1", "rows": [
        ["2022年各县高新技术企业", None],
        ["县(市、区)", "高新技术企业数(家)"],
        ["灵寿县", 24],
        ["平山县", 41],
        ["合计", 65],
    ]}])


if __name__ == "__main__":
    # optional argument: another folder to write into (the tests regenerate into a temporary one)
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    make_bureau(out / "bureau")
    make_malformed(out / "malformed")
