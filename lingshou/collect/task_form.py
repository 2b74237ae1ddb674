"""The task sheet of a return form (``任务进展``): every item of the tasks a department leads or shares, with
yellow cells for its progress in one reporting period.

Columns (A…N): 序号, 任务编号, 措施编号 (``task.item``), 任务, 具体措施, 本单位角色, 完成时限 — locked, from the plan
— then the department's input: 进展状态 (a list: :data:`~lingshou.plan.progress.TASK_STATUSES`), 完成情况,
佐证材料, 佐证日期 (a date), 存在问题, 下步打算, 联系人及电话.  :mod:`lingshou.collect.task_returns` reads it back
by its headers, so a department that moves columns is still read right.
"""
from __future__ import annotations

import pandas as pd

from lingshou.plan.progress import TASK_STATUSES, Period
from lingshou.printing import fit_row_heights, set_print

TASK_SHEET = "任务进展"
TASK_HEADER_ROW = 3
#: (header, English, width, role): the role names the column for the reader; ``input`` columns are yellow.
TASK_COLUMNS = [
    ("序号", "No.", 5, "no", False),
    ("任务编号", "task", 6, "task", False),
    ("措施编号", "item", 7, "item", False),
    ("任务", "task title", 16, "task_title", False),
    ("具体措施", "measure (from the plan's text)", 40, "text", False),
    ("本单位角色", "role of this unit", 8, "role", False),
    ("完成时限", "deadline", 11, "due", False),
    ("进展状态", "status (choose from the list)", 10, "status", True),
    ("完成情况", "what was done", 30, "done", True),
    ("佐证材料（文号、链接或文件名）", "evidence (document number, link or file name)", 22, "evidence", True),
    ("佐证日期", "date of the evidence (YYYY-MM-DD)", 11, "evidence_date", True),
    ("存在问题", "problems", 20, "problems", True),
    ("下步打算", "next step", 20, "next_step", True),
    ("联系人及电话", "contact person and telephone", 14, "contact", True),
]
#: Longest text accepted per input column (characters).
TEXT_LIMITS = {"done": 500, "evidence": 300, "problems": 500, "next_step": 500, "contact": 100}
ROLE_LABELS = {"lead": ("牵头", "lead"), "responsible": ("责任", "responsible")}


def task_instructions(period: Period) -> list[str]:
    """Lines the instructions sheet adds for the task sheet (Chinese, each followed by its English)."""
    statuses = "、".join(TASK_STATUSES)
    return [
        f"9. “{TASK_SHEET}”表列出本单位牵头或参与的重点任务及具体措施，请填写{period.text()}的进展：进展状态（{statuses}，从下拉列表选择）、"
        "完成情况、佐证材料（文件文号、链接或文件名）、佐证日期（如 2024-09-30）、存在问题、下步打算、联系人及电话。",
        f"   Sheet {TASK_SHEET} lists the plan's tasks this unit leads or shares; report their progress in {period.text('en')}: "
        "status (from the list), what was done, evidence (document number, link or file name), its date (e.g. 2024-09-30), "
        "problems, next step and a contact.",
        "10. 已完成的措施请附佐证材料；本期无进展的措施可只选状态。每格文字不超过 500 字。",
        "   Completed items need evidence; an item without news may carry only its status. At most 500 characters a cell.",
    ]


def add_task_sheet(wb, items: pd.DataFrame, county: str, unit: str, period: Period, put) -> int:
    """Add the task sheet to a form workbook; returns its last row.

    Parameters
    ----------
    wb : openpyxl.Workbook
    items : DataFrame
        :func:`lingshou.plan.tasks.department_items` of the unit.
    put : callable
        The form's cell writer (text neutralised against formulas).
    """
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(TASK_SHEET)
    put(ws, "A1", f"{county}县域科技创新跃升计划重点任务进展填报表（{unit}，{period.text()}）")
    ws["A1"].font = Font(bold=True, size=13)
    put(ws, "A2", f"请在黄色单元格中填写{period.text()}各项措施的进展 / fill in the yellow cells: progress in {period.text('en')}")
    fill = PatternFill("solid", fgColor="FFF2CC")
    for j, (head, head_en, width, _role, _input) in enumerate(TASK_COLUMNS, start=1):
        cell = put(ws, f"{get_column_letter(j)}{TASK_HEADER_ROW}", head)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.comment = Comment(head_en, "lingshou")
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, r in enumerate(items.itertuples(index=False)):
        row = TASK_HEADER_ROW + 1 + i
        values = (i + 1, int(r.task), f"{int(r.task)}.{int(r.item)}", f"{int(r.task)}. {r.task_title}", r.text,
                  ROLE_LABELS[r.role][0], r.due)
        for j, value in enumerate(values, start=1):
            put(ws, f"{get_column_letter(j)}{row}", value)
        for j, (*_x, is_input) in enumerate(TASK_COLUMNS, start=1):
            c = ws[f"{get_column_letter(j)}{row}"]
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if is_input:
                c.protection = Protection(locked=False)
                c.fill = fill
    last = TASK_HEADER_ROW + len(items)
    col = {role: get_column_letter(j) for j, (*_h, role, _i) in enumerate(TASK_COLUMNS, start=1)}
    if len(items):
        status = DataValidation(type="list", formula1='"' + ",".join(TASK_STATUSES) + '"', allow_blank=True,
                                showErrorMessage=True, errorStyle="stop", errorTitle="状态无效 invalid status",
                                error="请从列表中选择 / choose from the list")
        status.add(f"{col['status']}{TASK_HEADER_ROW + 1}:{col['status']}{last}")
        date = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                              showErrorMessage=True, errorStyle="stop", errorTitle="日期无效 invalid date",
                              error="请填写日期，如 2024-09-30 / enter a date, e.g. 2024-09-30")
        date.add(f"{col['evidence_date']}{TASK_HEADER_ROW + 1}:{col['evidence_date']}{last}")
        for dv in (status, date):
            ws.add_data_validation(dv)
        for row in range(TASK_HEADER_ROW + 1, last + 1):
            ws[f"{col['evidence_date']}{row}"].number_format = "yyyy-mm-dd"
    ws.freeze_panes = f"E{TASK_HEADER_ROW + 1}"
    fit_row_heights(ws, first_row=TASK_HEADER_ROW)
    set_print(ws, title_rows=TASK_HEADER_ROW, footer=f"{county} {unit} {period.label}")
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    return last
