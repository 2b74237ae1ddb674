"""Tests of lingshou.printing and of the print set-up of the 督导台账 and the return forms.

The pages themselves were looked at (LibreOffice headless → PDF → PNG; README "Printing"); here the
settings that make them: A4 landscape, one page wide, title rows repeated, row heights that fit.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment

from lingshou.printing import LINE_HEIGHT, fit_row_heights, set_print, text_width, wrapped_lines

DATA = Path(__file__).parent / "data" / "report"


def test_text_width_counts_wide_characters_twice():
    assert text_width("abc") == 3
    assert text_width("县财政局") == 8
    assert text_width("R&D经费") == 7          # 3 narrow + 2 wide
    assert text_width("（）") == 4              # full-width brackets


def test_wrapped_lines():
    # a column 11 wide holds 10 characters of text (one for the cell's padding)
    assert wrapped_lines("a" * 10, 11) == 1
    assert wrapped_lines("a" * 11, 11) == 2
    assert wrapped_lines("县" * 10, 11) == 2        # 20 narrow widths
    assert wrapped_lines("ab\n\ncd", 11) == 3       # every line break counts, an empty line too
    assert wrapped_lines("", 11) == 1


def test_fit_row_heights_only_where_text_wraps():
    wb = Workbook()
    ws = wb.active
    ws.column_dimensions["A"].width = 11
    ws["A1"] = "县" * 10                             # wrapped: 2 lines
    ws["A1"].alignment = Alignment(wrap_text=True)
    ws["A2"] = "县" * 10                             # not wrapped: keeps its height
    ws["A3"] = "short"
    ws["A3"].alignment = Alignment(wrap_text=True)
    fit_row_heights(ws)
    assert ws.row_dimensions[1].height == 2 * LINE_HEIGHT
    assert ws.row_dimensions[2].height is None and ws.row_dimensions[3].height is None


def test_set_print():
    ws = Workbook().active
    set_print(ws, title_rows=3, footer="灵寿县")
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$3"
    assert ws.oddFooter.left.text == "灵寿县" and "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text
    assert ws.print_options.gridLines


def _printed(ws, title_rows: str | None):
    assert ws.page_setup.orientation == "landscape", ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
    assert ws.print_title_rows == title_rows, ws.title


def test_the_ledger_prints_landscape_one_page_wide_with_its_header(tmp_path):
    from lingshou.report.tables import ledger, unit_rollup
    from lingshou.report.workbook import write_workbook

    gap = pd.read_csv(DATA / "gap_analysis.csv", encoding="utf-8")
    by_unit = pd.read_csv(DATA / "gap_by_unit.csv", encoding="utf-8")
    path = write_workbook(tmp_path / "l.xlsx", ledger(gap, "zh", None, by_unit), unit_rollup(by_unit),
                          county="灵寿县", year=2024, illustrative=True)
    wb = load_workbook(path)
    _printed(wb.worksheets[0], None)
    for ws in wb.worksheets[1:]:
        _printed(ws, "$1:$2")                 # the illustrative warning and the table's header
        header = [c for c in ws[2] if c.value]
        assert all(c.alignment.wrap_text for c in header), ws.title   # headers wrap, never clipped
    # total width of the 督导清单 at most about 1.5 landscape pages of 100 % text: it prints at ≥ 65 %
    ws = wb["督导清单"]
    width = sum(ws.column_dimensions[c.column_letter].width for c in ws[2] if c.value)
    assert width <= 215


def test_a_return_form_prints_landscape_with_its_header(tmp_path):
    from lingshou.collect.template import DATA_SHEET, HEADER_ROW, INSTRUCTIONS_SHEET, build_workbook

    table = pd.DataFrame({"code": ["fiscal_st_expenditure"], "name_zh": ["地方财政科技支出"], "unit": ["万元"],
                          "definition": ["一般公共预算支出中的科学技术支出（Local fiscal S&T expenditure）" * 3],
                          "ref_2": [1500.0], "ref_1": [1600.0], "ref_status": ["示例数据"], "dimension": ["amount"]})
    wb = build_workbook(table, "灵寿县", 2025, "县财政局", "县发展和改革局")
    _printed(wb[INSTRUCTIONS_SHEET], None)
    _printed(wb[DATA_SHEET], f"$1:${HEADER_ROW}")
    ws = wb[DATA_SHEET]
    assert ws["E4"].alignment.wrap_text and ws.row_dimensions[4].height >= 2 * LINE_HEIGHT
    assert wb[INSTRUCTIONS_SHEET]["A2"].alignment.wrap_text
