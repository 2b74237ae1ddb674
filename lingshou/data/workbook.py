"""Cell grids of workbooks: ``.xlsx`` / ``.xlsm`` (openpyxl) and old ``.xls`` (xlrd), read alike.

A cell reads as the sheet shows it: a number formatted as a percentage (Excel stores a typed ``0.52%`` as
``0.0052``) becomes the text ``'0.52%'``; a date stays a date; a merged cell's value belongs to every cell
it covers; a formula never calculated (a file written by a program, never saved by Excel) becomes its
formula text, which the validator reports.  Hidden sheets are not read and hidden rows are: each is said
(an ``info`` problem), since what a bureau hid may be an old table or a working column.

``.xls`` goes through xlrd, not python-calamine: xlrd gives each cell's number format (needed for the
percentages above) and the merged ranges of an ``.xls``; it reads nothing else (xlrd ≥ 2 dropped xlsx).
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from lingshou.data.numbers import is_number
from lingshou.data.problems import Problem, problem

_QUOTED_FORMAT = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
#: Hidden sheets that are a program's, not a bureau's: the return forms' own record of what they are
#: (:data:`lingshou.collect.template.META_SHEET`, very hidden); not read, and not worth a note.
PROGRAM_SHEETS = frozenset({"_meta"})
#: How a file's first bytes name its real format (a workbook saved under another name is read as what it is).
SIGNATURES = {b"PK\x03\x04": "xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "xls"}


def sniff(path: Path) -> str | None:
    """``'xlsx'`` or ``'xls'`` when the file's bytes say it is such a workbook, else ``None``."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    return next((kind for sig, kind in SIGNATURES.items() if head.startswith(sig)), None)


def _shown(value: object, number_format: str) -> object:
    """A numeric cell as shown: percentages as ``'<value × 100>%'`` (a % inside quotes, after a backslash or
    in a ``[colour]`` is printed, not applied)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "%" in _QUOTED_FORMAT.sub("", number_format or ""):
            return f"{value * 100:.12g}%"
    return value


def _spread_merged(grid: list[list[object]], ranges) -> None:
    """Give every cell of each merged range ``(first_row, last_row, first_col, last_col)`` (0-based,
    inclusive) the value of its top-left cell (headers spanning year columns, a county merged over rows)."""
    for r0, r1, c0, c1 in ranges:
        if r0 >= len(grid):
            continue
        top = grid[r0][c0] if c0 < len(grid[r0]) else None
        for r in range(r0, min(r1 + 1, len(grid))):
            while len(grid[r]) <= c1:
                grid[r].append(None)
            for c in range(c0, c1 + 1):
                grid[r][c] = top


def _hidden_notes(path: Path, hidden_sheets: list[str], hidden_rows: dict[str, list[int]],
                  numbers: dict[str, int] | None = None) -> list[Problem]:
    """What was hidden: a hidden sheet holding numbers is a warning (shown by default: its figures may be the
    data), one without an info line; hidden rows are read and said."""
    numbers = numbers or {}
    notes = [problem("warning", "hidden_sheet", f"隐藏的工作表“{name}”中有 {numbers[name]} 个数值，未读取；如是数据，请取消隐藏后重新导入",
                     f"hidden sheet '{name}' holds {numbers[name]} numbers and was not read; unhide it and load it again "
                     "if they are data", file=path, value=name)
             if numbers.get(name) else
             problem("info", "hidden_sheet", f"隐藏的工作表“{name}”未读取；如其中有数据，请取消隐藏或另存",
                     f"hidden sheet '{name}' was not read; unhide it (or save it apart) if it holds data",
                     file=path, value=name) for name in hidden_sheets]
    for name, rows in hidden_rows.items():
        shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
        notes.append(problem("info", "hidden_rows", f"工作表“{name}”有 {len(rows)} 个隐藏行（第 {shown} 行），已照常读取",
                             f"sheet '{name}' has {len(rows)} hidden row(s) (row {shown}); they were read like the others",
                             file=path, row=rows[0], value=name))
    return notes


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _used_grid(ws, wf) -> list[list[object]]:
    """The grid of the cells that hold something, from A1 to the last such row and column.

    Built from the cells the file holds (openpyxl keeps them in ``_cells``), not from the sheet's
    dimension: one stray space at AX100000 of a 5 KB workbook made a 5-million-cell grid (39 s, 2.2 GB).
    A cell holding only spaces counts as empty; a formula never calculated counts as its formula text.
    """
    values = {}
    for (r, c), cell in ws._cells.items():  # noqa: SLF001 - openpyxl's own store of the cells in the file
        if not _blank(cell.value):
            values[r, c] = _shown(cell.value, str(cell.number_format or ""))
    for (r, c), cell in wf._cells.items():  # noqa: SLF001
        f = cell.value
        if (r, c) not in values and isinstance(f, str) and f.startswith("="):
            values[r, c] = f
    if not values:
        return []
    rows, cols = max(r for r, _ in values), max(c for _, c in values)
    grid = [[None] * cols for _ in range(rows)]
    for (r, c), value in values.items():
        grid[r - 1][c - 1] = value
    return grid


def read_xlsx(path: Path) -> tuple[list[tuple[str, list[list[object]]]], list[Problem]]:
    """The visible sheets of an ``.xlsx`` as ``(name, grid)`` and the notes on what was hidden."""
    from openpyxl import load_workbook

    raw = Path(path).read_bytes()  # from bytes: openpyxl refuses a workbook whose name ends in .csv
    wb = load_workbook(io.BytesIO(raw), data_only=True)
    formulas = load_workbook(io.BytesIO(raw), data_only=False)
    out, hidden, hidden_rows, numbers = [], [], {}, {}
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            if not (ws.sheet_state == "veryHidden" and ws.title in PROGRAM_SHEETS):
                hidden.append(ws.title)
                numbers[ws.title] = sum(is_number(v) for row in ws.iter_rows(values_only=True) for v in row)
            continue
        grid = _used_grid(ws, formulas[ws.title])
        _spread_merged(grid, [(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1) for m in ws.merged_cells.ranges])
        rows = sorted(r for r, dim in ws.row_dimensions.items() if dim.hidden and r <= len(grid))
        if rows:
            hidden_rows[ws.title] = rows
        out.append((ws.title, grid))
    return out, _hidden_notes(path, hidden, hidden_rows, numbers)


def _xls_cell(book, sheet, r: int, c: int) -> object:
    import xlrd

    cell = sheet.cell(r, c)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        value = int(cell.value) if float(cell.value).is_integer() else cell.value
        xf = book.xf_list[sheet.cell_xf_index(r, c)]
        fmt = book.format_map.get(xf.format_key)
        return _shown(value, fmt.format_str if fmt is not None else "")
    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    return cell.value


def read_xls(path: Path) -> tuple[list[tuple[str, list[list[object]]]], list[Problem]]:
    """The visible sheets of an old ``.xls`` as ``(name, grid)`` and the notes on what was hidden."""
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True)
    out, hidden, hidden_rows = [], [], {}
    for sheet in book.sheets():
        if sheet.visibility != 0:
            if not (sheet.visibility == 2 and sheet.name in PROGRAM_SHEETS):  # 2: very hidden
                hidden.append(sheet.name)
            continue
        grid = [[_xls_cell(book, sheet, r, c) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
        _spread_merged(grid, [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells])
        rows = sorted(r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden and r < sheet.nrows)
        if rows:
            hidden_rows[sheet.name] = rows
        out.append((sheet.name, grid))
    return out, _hidden_notes(path, hidden, hidden_rows)
