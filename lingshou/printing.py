"""Print set-up of the workbooks the suite writes (督导台账, return forms), as a county office files them.

A4 landscape, fitted to one page wide and as many pages tall as it takes, the title and header rows
repeated on every page, narrow margins, the sheet's name and "第 n 页，共 m 页" in the footer, long texts
wrapped, and row heights that fit the wrapped text: a spreadsheet does not fit the rows of a file it opens
(Excel keeps the default height; LibreOffice fits only rows that have no height), so the height of each
row is estimated here from its texts and its columns' widths.
"""
from __future__ import annotations

import math
import unicodedata

#: Points per printed line of 11-point text (Excel's default row height is 15 points).
LINE_HEIGHT = 15.0
#: A column's width is counted in characters of the default font; a CJK character takes two.
WIDE = frozenset("WF")


def text_width(text: str) -> int:
    """Width of ``text`` in narrow characters (an East Asian wide or full-width character counts two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in WIDE else 1 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` characters wide (each line break counts)."""
    usable = max(1.0, width - 1.0)  # a cell's padding
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in str(text).split("\n"))


def fit_row_heights(ws, first_row: int = 1, default_width: float = 8.43) -> None:
    """Give every row from ``first_row`` on the height its wrapped cells need (other rows keep theirs)."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, float] = {}
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            if cell.value is None or not (cell.alignment is not None and cell.alignment.wrap_text):
                continue
            if cell.column not in widths:
                widths[cell.column] = ws.column_dimensions[get_column_letter(cell.column)].width or default_width
            lines = max(lines, wrapped_lines(str(cell.value), widths[cell.column]))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = lines * LINE_HEIGHT


def set_print(ws, title_rows: int = 0, landscape: bool = True, footer: str | None = None,
              gridlines: bool = True) -> None:
    """A4, landscape by default, one page wide, ``title_rows`` repeated on every page, page numbers below.

    Landscape also for a sheet of prose: LibreOffice (checked with 7.4 headless) does not shrink a wide
    column of wrapped text to a portrait page, it cuts it at the page's edges.

    Parameters
    ----------
    ws : openpyxl worksheet
    title_rows : int
        The rows 1…n printed again at the top of every page (the title and the header of a table).
    landscape : bool
    footer : str, optional
        Text at the left of the footer (default: the sheet's name).
    gridlines : bool
        Print the cell grid (a table's rules; off for a sheet of prose).
    """
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = gridlines
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = f"1:{title_rows}"
    ws.oddFooter.left.text = footer if footer is not None else "&A"
    ws.oddFooter.right.text = "第 &P 页，共 &N 页"
