"""The 督导台账 (supervision ledger): the gap table by department as an Excel workbook beside the PDF.

Sheets: 说明 (what this is, data status, how to fill it in), 汇总 (targets met / close / behind / without
data per department), 督导清单 (every target, worst first, with empty columns for measures, deadline,
person in charge and remarks) and one sheet per department with the targets it leads or shares.  The
workbook's own words (sheet names, block titles, the 说明 sheet) are data in ``workbook.yaml`` beside it.

Text cells come from data files (department and indicator names, notes); a text starting with
``= + - @``, a tab or a carriage return would be read as a formula by a spreadsheet, so such cells are
written as text with Excel's quote prefix (:func:`set_text_safe`).
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from lingshou.data.safe import neutralise_text
from lingshou.i18n import check_lang, pick
from lingshou.yamlfile import load_phrases
from lingshou.printing import fit_row_heights, set_print
from lingshou.report.ledger_tasks import (
    TASK_WIDTHS,
    departments,
    item_rows,
    overdue_rows,
    role_word,
    task_label,
    unit_rows,
)
from lingshou.report.tables import (
    GAP_STATUS_LABELS,
    PLAN_GOAL_OWNER,
    PLAN_GOAL_OWNER_SHEET,
    as_number,
    department_rows,
    status_label,
)

WORKBOOK_NAME = "督导台账.xlsx"
#: The workbook's words (workbook.yaml): sheet names, block titles, the About sheet.
PHRASES = load_phrases(__file__)
STATUS_FILLS = {"met": "D9F2E6", "close": "FCEBCF", "behind": "F9D9CC", "no_data": "E6E6E6"}
#: Fill of a measure's returned state (as the targets' status fills).
TASK_FILLS = {"已完成": STATUS_FILLS["met"], "completed": STATUS_FILLS["met"], "推进中": STATUS_FILLS["close"],
              "in progress": STATUS_FILLS["close"], "滞后": STATUS_FILLS["behind"], "behind schedule": STATUS_FILLS["behind"],
              "无报送": STATUS_FILLS["no_data"], "no return": STATUS_FILLS["no_data"]}
HEADER_FILL = "1F4E79"

COLUMN_LABELS = {
    "lead_unit": ("牵头单位", "Lead unit"),
    "role": ("角色", "Role"),
    "name": ("指标", "Indicator"),
    "indicator": ("指标代码", "Code"),
    "unit": ("单位", "Unit"),
    "actual": ("现值", "Actual"),
    "target": ("目标值", "Target"),
    "target_year": ("目标年份", "Target year"),
    "gap": ("差距", "Gap"),
    "achievement_pct": ("完成率(%)", "Achievement (%)"),
    "status": ("状态", "Status"),
    "required_annual_growth_pct": ("所需年均增速(%)", "Required annual growth (%)"),
    "required_annual_change_pp": ("比重每年需提高(百分点)", "Share: points a year needed"),
    "responsible_units": ("责任单位", "Responsible units"),
    "data_status": ("数据状态", "Data status"),
    "n_met": ("达标", "Met"),
    "n_close": ("接近", "Close"),
    "n_behind": ("落后", "Behind"),
    "n_no_data": ("无数据", "No data"),
    "n_total": ("合计", "Total"),
}
FILL_IN = (("整改措施", "Measures"), ("完成时限", "Deadline"), ("责任人", "Person in charge"), ("督导意见", "Remarks"))
LEDGER_COLUMNS = ["lead_unit", "name", "unit", "actual", "target", "target_year", "gap", "achievement_pct", "status",
                  "required_annual_growth_pct", "required_annual_change_pp", "responsible_units", "data_status", "indicator"]
NUMBER_FORMATS = {"actual": "#,##0.00", "target": "#,##0.00", "gap": "#,##0.00", "achievement_pct": "0.0",
                  "required_annual_growth_pct": "0.0", "required_annual_change_pp": "0.00", "target_year": "0", "n_met": "0", "n_close": "0",
                  "n_behind": "0", "n_no_data": "0", "n_total": "0"}
#: Column widths (characters; a CJK character takes two), chosen so that a sheet fitted to one landscape A4
#: page wide prints at about 70 % (every cell wraps; row heights follow, see :mod:`lingshou.printing`).
WIDTHS = {"lead_unit": 14, "role": 7, "name": 22, "indicator": 12, "unit": 8, "actual": 11, "target": 11,
          "target_year": 7, "gap": 10, "achievement_pct": 8, "status": 8, "required_annual_growth_pct": 9,
          "required_annual_change_pp": 9, "responsible_units": 22, "data_status": 8}
FILL_IN_WIDTH = 14
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def set_text_safe(cell, value):
    """Put a value in a cell; text that a spreadsheet would read as a formula stays text.

    Numbers stay numbers, missing values leave the cell empty.  Returns the cell.
    """
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        cell.value = None
        return cell
    if isinstance(value, str):
        cell.value = value
        if neutralise_text(value) != value:   # it starts like a formula (also after spaces)
            # data type "s" keeps openpyxl from writing a formula; quotePrefix keeps Excel from
            # turning it into one when the cell is edited.
            cell.data_type = "s"
            cell.quotePrefix = True
        return cell
    cell.value = value
    return cell


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet title (≤ 31 characters, none of ``[]:*?/\\``)."""
    base = _SHEET_BAD.sub("_", name).strip("'") or "_"
    base = base[:31]
    title, i = base, 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f"~{i}"
        title = base[:31 - len(suffix)] + suffix
        i += 1
    taken.add(title)
    return title


def _say(key: str, lang: str, **values) -> str:
    return PHRASES[key].format(**values).pick(lang)


def _label(col: str, lang: str) -> str:
    zh, en = COLUMN_LABELS.get(col, (col, col))
    return pick(lang, zh, en)


def cell_style(wb, number_format: str | None = None, fill: str | None = None, header: bool = False) -> str:
    """The name of the workbook's cell style for a header cell or a body cell with ``number_format`` and ``fill``
    (an RGB colour), registered at its first use.

    Every cell of the sheets' tables takes one of these (wrapped text, top-aligned; headers white on dark
    blue, centred).  Given by name, a cell's style is one lookup; font, fill and alignment set one by one are
    each looked up in the workbook's style lists, which took a third of the workbook's time (openpyxl).
    """
    from copy import copy

    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
    from openpyxl.styles.fonts import DEFAULT_FONT

    name = "lingshou " + ("header" if header else "cell") + (f" {number_format}" if number_format else "") + (
        f" {fill}" if fill else "")
    if name not in wb.style_names:
        style = NamedStyle(name=name, font=Font(color="FFFFFF") if header else copy(DEFAULT_FONT),
                           alignment=Alignment(wrap_text=True, vertical="center" if header else "top"))
        if header:
            fill = HEADER_FILL
        if fill:
            style.fill = PatternFill("solid", fgColor=fill)
        if number_format:
            style.number_format = number_format
        wb.add_named_style(style)
    return name


def _put(ws, row: int, column: int, value, style: str):
    """A cell given its style first, then its value (:func:`set_text_safe`; its quote prefix is part of the
    cell's style, which setting the style afterwards would reset)."""
    cell = ws.cell(row, column)
    cell.style = style
    return set_text_safe(cell, value)


def _write_table(ws, frame: pd.DataFrame, lang: str, fill_in: bool = False, start_row: int = 1) -> None:
    from openpyxl.utils import get_column_letter

    headers = [_label(c, lang) for c in frame.columns] + ([pick(lang, zh, en) for zh, en in FILL_IN] if fill_in else [])
    header = cell_style(ws.parent, header=True)
    for j, h in enumerate(headers, start=1):
        _put(ws, start_row, j, h, header)
    plain = cell_style(ws.parent)
    cols = list(frame.columns)
    for i, row in enumerate(frame.itertuples(index=False), start=start_row + 1):
        for j, (col, value) in enumerate(zip(cols, row), start=1):
            shown = value
            if col == "status" and isinstance(value, str):
                shown = GAP_STATUS_LABELS[lang].get(value, value)
            elif col == "data_status":
                shown = status_label(value, lang)
            elif col == "role":
                shown = role_word(value == "lead", lang)
            elif col in NUMBER_FORMATS:
                shown = as_number(value)      # a mixed column (numbers and a grade 'B') arrives as text
            fill = STATUS_FILLS.get(value) if col == "status" and isinstance(value, str) else None
            _put(ws, i, j, shown, cell_style(ws.parent, NUMBER_FORMATS.get(col), fill))
        for k in range(len(FILL_IN) if fill_in else 0):
            ws.cell(i, len(cols) + 1 + k).style = plain
    for j, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(j)].width = WIDTHS.get(col, 10)
    for k in range(len(FILL_IN) if fill_in else 0):
        ws.column_dimensions[get_column_letter(len(cols) + 1 + k)].width = FILL_IN_WIDTH
    ws.freeze_panes = ws.cell(start_row + 1, 1)
    if len(frame):
        ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(headers))}{start_row + len(frame)}"
    fit_row_heights(ws)
    set_print(ws, title_rows=start_row)


def _write_block(ws, frame: pd.DataFrame, lang: str, start_row: int, title: str) -> int:
    """A task block below a sheet's table: a bold title row, the header, the rows; returns the next free row.

    Column widths grow to the block's needs (:data:`~lingshou.report.ledger_tasks.TASK_WIDTHS`), never shrink.
    """
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    set_text_safe(ws.cell(start_row, 1), title).font = Font(bold=True, size=12)
    header = cell_style(ws.parent, header=True)
    for j, col in enumerate(frame.columns, start=1):
        _put(ws, start_row + 1, j, task_label(col, lang), header)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, TASK_WIDTHS.get(col, 9))
    for i, row in enumerate(frame.itertuples(index=False), start=start_row + 2):
        for j, (col, value) in enumerate(zip(frame.columns, row), start=1):
            tone = TASK_FILLS.get(str(value)) if col in ("state", "flag") else None
            if not tone and col == "flag" and str(value).startswith(("逾期", "overdue")):
                tone = STATUS_FILLS["behind"]
            _put(ws, i, j, value if value != "" else None, cell_style(ws.parent, fill=tone))
    return start_row + 2 + len(frame) + 1


def _about_sheet(about, taken: set, lang: str, county: str, year: int, illustrative: bool, generated: str,
                 warn: str) -> None:
    """The first sheet: what the workbook is, its data status and how to read its sheets."""
    from openpyxl.styles import Alignment, Font

    about.title = sheet_title(_say("sheet.about", lang), taken)
    statuses = "、".join(GAP_STATUS_LABELS["zh"][s] for s in ("met", "close", "behind", "no_data"))
    lines = [
        (_say("about.title", lang, county=county, year=year), Font(size=14)),
        (_say("about.generated", lang, generated=generated), None),
        (warn if illustrative else _say("about.data_status", lang), Font(color="B22222") if illustrative else None),
        ("", None),
        *((_say(f"about.{key}", lang), None) for key in ("rollup", "ledger", "units", "measures")),
        (_say("about.statuses", lang, statuses=statuses), None),
    ]
    for i, (text, font) in enumerate(lines, start=1):
        c = set_text_safe(about.cell(i, 1), text)
        if font is not None:
            c.font = font
        c.alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 100
    fit_row_heights(about)
    set_print(about, gridlines=False)


def write_workbook(path: str | Path, ledger_frame: pd.DataFrame, rollup: pd.DataFrame | None, *, county: str,
                   year: int, lang: str = "zh", illustrative: bool = False, generated: str = "",
                   progress: pd.DataFrame | None = None, task_units: pd.DataFrame | None = None) -> Path:
    """Write the 督导台账 workbook.

    Parameters
    ----------
    path : path-like
        The ``.xlsx`` file to write.
    ledger_frame : DataFrame
        :func:`lingshou.report.tables.ledger` of the gap table.
    rollup : DataFrame or None
        :func:`lingshou.report.tables.unit_rollup` of ``gap_by_unit.csv``.
    county, year : str, int
    lang : {'zh', 'en'}
    illustrative : bool
        Whether the gap table uses illustrative data (then every sheet says so).
    generated : str
        Date of the run, shown on the first sheet.
    progress, task_units : DataFrame, optional
        ``tables/task_progress.csv`` and ``tables/task_by_unit.csv`` of the task notebook: the workbook then
        has a 任务清单 sheet (every measure), the summary sheet counts the measures by department and lists the
        overdue ones, and each department's sheet lists, below its targets, the measures it leads or shares —
        also for a department without targets.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    check_lang(lang)
    wb = Workbook()
    taken: set[str] = set()
    warn = _say("warn.illustrative", lang)
    _about_sheet(wb.active, taken, lang, county, year, illustrative, generated, warn)

    def add_sheet(title: str, frame: pd.DataFrame | None, fill_in: bool, blocks=()) -> None:
        ws = wb.create_sheet(sheet_title(title, taken))
        start = 1
        if illustrative:
            c = set_text_safe(ws.cell(1, 1), warn)
            c.font = Font(color="B22222")
            start = 2
        if frame is not None:
            _write_table(ws, frame, lang, fill_in=fill_in, start_row=start)
            start = ws.max_row + 2
        for block_title, block in blocks:
            if len(block):
                start = _write_block(ws, block, lang, start, block_title)
        fit_row_heights(ws)
        if frame is None:
            set_print(ws)

    tasks = progress is not None and len(progress) > 0
    measures, overdue = _say("block.measures", lang), _say("block.overdue", lang)
    if rollup is not None or tasks:
        add_sheet(_say("sheet.rollup", lang), rollup, fill_in=False,
                  blocks=[(_say("block.by_unit", lang), unit_rows(task_units, lang)),
                          (overdue, overdue_rows(progress, lang))] if tasks and task_units is not None else
                  ([(overdue, overdue_rows(progress, lang))] if tasks else []))
    add_sheet(_say("sheet.ledger", lang), ledger_frame[LEDGER_COLUMNS], fill_in=True)
    if tasks:
        add_sheet(_say("sheet.measures", lang), None, fill_in=False, blocks=[(measures, item_rows(progress, lang))])
    units = list(rollup["unit"]) if rollup is not None else []
    units += [u for u in pd.unique(ledger_frame["lead_unit"]) if u and u not in units]
    units += [u for u in (departments(progress) if tasks else []) if u not in units]
    owner = pick(lang, *PLAN_GOAL_OWNER)
    for unit in units:
        rows = department_rows(ledger_frame, str(unit))
        mine = item_rows(progress, lang, str(unit)) if tasks else pd.DataFrame()
        if len(rows) or len(mine):
            title = pick(lang, *PLAN_GOAL_OWNER_SHEET) if unit == owner else str(unit)
            add_sheet(title, rows[["role"] + LEDGER_COLUMNS[1:]] if len(rows) else None, fill_in=True,
                      blocks=[(measures, mine)])
    path = Path(path)
    wb.save(path)
    return path
