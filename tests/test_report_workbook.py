"""The 督导台账 workbook: sheets by department and no formula injection from text cells."""
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from lingshou.data.safe import FORMULA_TRIGGERS
from lingshou.report.tables import ledger, unit_rollup
from lingshou.report.workbook import set_text_safe, sheet_title, write_workbook

DATA = Path(__file__).parent / "data" / "report"


@pytest.mark.parametrize("text", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\r=1", "=HYPERLINK(\"http://x\")"])
def test_dangerous_text_stays_text(text):
    ws = Workbook().active
    c = set_text_safe(ws["A1"], text)
    assert c.value == text and c.data_type == "s" and c.quotePrefix


def test_plain_values_unchanged():
    ws = Workbook().active
    assert set_text_safe(ws["A1"], "县财政局").quotePrefix is False
    assert set_text_safe(ws["A2"], -3.5).data_type == "n"        # negative numbers stay numbers
    assert set_text_safe(ws["A3"], float("nan")).value is None
    assert set_text_safe(ws["A4"], pd.Series([7]).iloc[0]).value == 7   # numpy scalar → Python number
    # one set for every file a spreadsheet opens (ASCII and full-width)
    assert {"=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠"} == set(FORMULA_TRIGGERS)


def test_sheet_title():
    taken = set()
    assert sheet_title("县发展和改革局", taken) == "县发展和改革局"
    assert sheet_title("a/b[c]:d*e?f\\g", taken) == "a_b_c__d_e_f_g"
    assert sheet_title("县发展和改革局", taken) == "县发展和改革局~2"     # unique
    long = "x" * 40
    assert len(sheet_title(long, taken)) == 31
    assert sheet_title(long, taken) == "x" * 29 + "~2"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    gap = pd.read_csv(DATA / "gap_analysis.csv", encoding="utf-8")
    by_unit = pd.read_csv(DATA / "gap_by_unit.csv", encoding="utf-8")
    path = tmp_path_factory.mktemp("wb") / "督导台账.xlsx"
    write_workbook(path, ledger(gap, "zh", None, by_unit), unit_rollup(by_unit), county="灵寿县", year=2024,
                   illustrative=True, generated="2025-04-01")
    return path


def test_workbook_sheets(workbook):
    wb = load_workbook(workbook)
    # About, roll-up, full list, then one sheet per department of the roll-up that has rows.
    assert wb.sheetnames == ["说明", "汇总", "督导清单", "县发展和改革局", "县财政局", "县市场监管局", "@县审计局"]
    ws = wb["汇总"]
    assert ws["A1"].value.startswith("示例数据")          # the illustrative warning on every data sheet
    assert [c.value for c in ws[2]] == ["单位", "达标", "接近", "落后", "无数据", "合计"]
    assert [c.value for c in ws[3]] == ["县发展和改革局", 1, 1, 1, 1, 4]
    full = wb["督导清单"]
    header = [c.value for c in full[2]]
    assert header[:4] == ["牵头单位", "指标", "单位", "现值"] and header[-4:] == ["整改措施", "完成时限", "责任人", "督导意见"]
    # 县发展和改革局 first, worst first: behind (1320 of 1500), close, no data, met; then @县审计局.
    assert [full.cell(r, 9).value for r in range(3, 8)] == ["落后", "接近", "无数据", "达标", "落后"]
    assert full.cell(3, 4).value == 1320 and full.cell(3, 5).value == 1500
    share = wb["县财政局"]
    assert {share.cell(r, 1).value for r in range(3, share.max_row + 1)} == {"责任"}


def test_workbook_has_no_formulas(workbook):
    wb = load_workbook(workbook)
    texts = {c.coordinate: c for c in wb["督导清单"].iter_rows() for c in c if isinstance(c.value, str)}
    dangerous = [c for c in texts.values() if c.value.startswith(FORMULA_TRIGGERS)]
    # The fixture holds =HYPERLINK(…), "=1+2 …", "@县审计局" and "+县市场监管局".
    assert len(dangerous) == 4
    assert all(c.data_type == "s" and c.quotePrefix for c in dangerous)
    with zipfile.ZipFile(workbook) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
