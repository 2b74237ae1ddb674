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


# ------------------------------------------------------------------------------------------ task measures
def _progress() -> pd.DataFrame:
    """Three measures as the task notebook writes them: 2.1 overdue and behind, 1.1 completed, 1.2 no return."""
    base = {"section": "", "text": "措施文字", "stage": "", "due_basis": "text", "done": "", "evidence": "",
            "evidence_date": "", "problems": "", "next_step": "", "contact": "", "responsible_units_en": ""}
    rows = [
        {"task": 2, "item": 1, "item_id": "2.1", "task_title": "任务二", "task_title_en": "Task two", "title": "二一",
         "lead_unit": "县财政局", "lead_unit_en": "Finance", "responsible_units": "县丙局", "due": "2022-12-31",
         "state": "late", "state_zh": "滞后", "state_en": "behind schedule", "period": "2023Q2", "reported_by": "县财政局",
         "due_passed": True, "overdue": True, "flag_zh": "逾期", "flag_en": "overdue", "problems": "=1+1"},
        {"task": 1, "item": 1, "item_id": "1.1", "task_title": "任务一", "task_title_en": "Task one", "title": "一一",
         "lead_unit": "县发展和改革局", "lead_unit_en": "DRC", "responsible_units": "县财政局", "due": "2022-12-31",
         "state": "done", "state_zh": "已完成", "state_en": "completed", "period": "2023Q4", "reported_by": "县财政局",
         "due_passed": True, "overdue": False, "flag_zh": "", "flag_en": ""},
        {"task": 1, "item": 10, "item_id": "1.10", "task_title": "任务一", "task_title_en": "Task one", "title": "一十",
         "lead_unit": "县发展和改革局", "lead_unit_en": "DRC", "responsible_units": "县财政局", "due": "2025-12-31",
         "state": "no_return", "state_zh": "无报送", "state_en": "no return", "period": "", "reported_by": "",
         "due_passed": False, "overdue": False, "flag_zh": "", "flag_en": ""},
    ]
    return pd.DataFrame([{**base, **r} for r in rows])


@pytest.fixture(scope="module")
def task_workbook(tmp_path_factory):
    gap = pd.read_csv(DATA / "gap_analysis.csv", encoding="utf-8")
    by_unit = pd.read_csv(DATA / "gap_by_unit.csv", encoding="utf-8")
    units = pd.DataFrame({"department": ["县财政局", "县丙局"], "department_en": ["Finance", "C"], "n_items": [3, 1],
                          "n_lead": [1, 0], "n_shared": [2, 1], "n_done": [1, 0], "n_in_progress": [0, 0],
                          "n_not_started": [0, 0], "n_late": [1, 1], "n_no_return": [1, 0], "n_overdue": [1, 1],
                          "n_returned": [2, 0]})
    path = tmp_path_factory.mktemp("wbt") / "督导台账.xlsx"
    write_workbook(path, ledger(gap, "zh", None, by_unit), unit_rollup(by_unit), county="灵寿县", year=2024,
                   illustrative=False, generated="2025-04-01", progress=_progress(), task_units=units)
    return load_workbook(path)


def _block(ws, title: str) -> list[list]:
    """The rows of a task block under its title row (header first), up to the next empty row."""
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == title)
    rows = []
    for r in range(start + 1, ws.max_row + 1):
        values = [c.value for c in ws[r]]
        if not any(v is not None for v in values):
            break
        rows.append(values)
    return rows


def test_ledger_sheets_with_task_measures(task_workbook):
    wb = task_workbook
    # 任务清单 after 督导清单; 县丙局 has no target but shares task 2, so it gets its sheet
    assert wb.sheetnames[:4] == ["说明", "汇总", "督导清单", "任务清单"] and "县丙局" in wb.sheetnames
    rows = _block(wb["任务清单"], "重点任务措施")
    assert rows[0][:10] == ["序号", "任务", "具体措施", "牵头单位", "责任单位", "完成时限", "状态", "进展情况", "存在问题", "下步打算"]
    assert [r[0] for r in rows[1:]] == ["2.1", "1.1", "1.10"]          # as the table orders them; 1.10 stays 1.10
    assert rows[1][6] == "滞后" and rows[1][-1] == "逾期" and rows[3][-1] == "无报送"
    assert rows[1][8] == "=1+1" and wb["任务清单"].cell(3, 9).data_type == "s"   # formula-like text stays text


def test_department_sheet_lists_targets_then_its_measures(task_workbook):
    ws = task_workbook["县财政局"]
    rows = _block(ws, "重点任务措施")
    # 县财政局 leads 2.1 and shares task 1 (1.1, 1.10)
    assert [(r[0], r[3]) for r in rows[1:]] == [("2.1", "牵头"), ("1.1", "责任"), ("1.10", "责任")]
    assert ws.cell(1, 1).value == "角色"                                  # its targets come first
    only = _block(task_workbook["县丙局"], "重点任务措施")
    assert [(r[0], r[3]) for r in only[1:]] == [("2.1", "责任")]


def test_summary_sheet_counts_and_overdue_list(task_workbook):
    ws = task_workbook["汇总"]
    counts = _block(ws, "各单位重点任务措施状态")
    assert counts[0][:4] == ["单位", "措施", "牵头", "参与"] and counts[1][:4] == ["县财政局", 3, 1, 2]
    overdue = _block(ws, "逾期措施（完成时限已过而未完成）")
    assert [r[0] for r in overdue[1:]] == ["2.1"]


def test_cells_take_one_named_style_each(workbook):
    wb = load_workbook(workbook)
    full = wb["督导清单"]
    header, behind, actual, fill_in = full.cell(2, 1), full.cell(3, 9), full.cell(3, 4), full.cell(3, 15)
    assert header.style == "lingshou header"
    assert header.font.color.rgb == "00FFFFFF" and header.fill.fgColor.rgb == "001F4E79"
    assert header.alignment.wrap_text and header.alignment.vertical == "center"
    assert behind.value == "落后" and behind.style == "lingshou cell F9D9CC" and behind.fill.fgColor.rgb == "00F9D9CC"
    assert actual.style == "lingshou cell #,##0.00" and actual.number_format == "#,##0.00"
    assert actual.font.name == "Calibri" and actual.font.sz == 11        # the workbook's default font
    assert fill_in.value is None and fill_in.style == "lingshou cell" and fill_in.alignment.vertical == "top"
    # each style registered once, whatever the number of cells that use it
    assert len(wb.style_names) == len(set(wb.style_names))


def test_cell_style_registers_a_style_once():
    from lingshou.report.workbook import cell_style

    wb = Workbook()
    before = list(wb.style_names)
    assert cell_style(wb, "0.0", "D9F2E6") == "lingshou cell 0.0 D9F2E6"
    assert cell_style(wb, "0.0", "D9F2E6") == "lingshou cell 0.0 D9F2E6"
    assert cell_style(wb, header=True) == "lingshou header"
    assert wb.style_names == before + ["lingshou cell 0.0 D9F2E6", "lingshou header"]
    cell = wb.active["A1"]
    cell.style = "lingshou cell 0.0 D9F2E6"
    assert cell.number_format == "0.0" and cell.fill.fgColor.rgb == "00D9F2E6" and cell.alignment.wrap_text


def test_a_measure_overdue_without_return_has_both_flags():
    from lingshou.report.ledger_tasks import item_rows

    rows = item_rows(_progress().assign(overdue=[True, "True", "false"], state=["no_return", "late", "no_return"]), "zh")
    assert list(rows["flag"]) == ["逾期；无报送", "逾期", "无报送"]
