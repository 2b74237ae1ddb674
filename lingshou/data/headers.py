"""What a sheet's header rows say before they are read: year headers stored as dates, the cause of a missing
header (traditional characters), a second table stacked under the first, and Excel-style column names.  Used
by :mod:`lingshou.data.sheet`."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

import pandas as pd

from lingshou.data.numbers import is_number
from lingshou.data.problems import Problem, problem

#: Characters only traditional Chinese writes (縣 for 县, 區 for 区, 標 for 标 …), common in statistics headers.
TRADITIONAL = re.compile("[縣區標數單萬財費額業計發產專術經營體機構範圍報總號與為統億]")
#: Words a simplified-Chinese statistics table holds somewhere.
SIMPLIFIED_WORDS = re.compile("县|区|指标|数值|单位|万元|年份|合计|企业|支出")


def cell_text(cell: object) -> str:
    """A cell's text, NFKC-normalised and stripped ("" for an empty cell)."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    return _normalised(cell if isinstance(cell, str) else str(cell))


@lru_cache(maxsize=1 << 16)
def _normalised(text: str) -> str:
    # A province-sized table repeats its names, units, statuses and sources thousands of times: normalise
    # each distinct text once.
    return unicodedata.normalize("NFKC", text).strip()


def column_name(i: int) -> str:
    """Excel-style column letter of a 0-based index (used when a header cell is empty)."""
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def no_header(rows: list[list[object]], where: str) -> Problem:
    """The error of a sheet without a header, naming the cause where it is visible: traditional characters."""
    texts = [" | ".join(t for t in (cell_text(c) for c in r) if t) for r in rows[:30]]
    at = next((i for i, t in enumerate(texts) if TRADITIONAL.search(t)), None)
    if at is not None:
        traditional = texts[at]
        found = "".join(dict.fromkeys(TRADITIONAL.findall(traditional)))[:6]
        return problem("error", "layout",
                       f"找不到表头：表格用的是繁体字（如“{'”“'.join(found)}”），本套件按简体的列名、县名和指标名识别；"
                       "请先转换为简体（WPS/Excel：审阅 → 繁转简）再导入",
                       f"no header found: the table is in traditional characters (such as {', '.join(found)}), while "
                       "the suite recognises simplified column, county and indicator names; convert it to simplified "
                       "Chinese first (WPS/Excel: Review → Traditional to Simplified)", file=where, row=at + 1,
                       value=traditional[:80])
    return problem("error", "layout",
                   "找不到表头：前30行中没有一行含“指标/年份/数值/县”等列名或年份列",
                   "no header found: none of the first 30 rows names columns such as 指标/年份/数值/县 or year columns",
                   file=where)


def dated_headers(rows: list[list[object]], where: str, probs: list[Problem]) -> None:
    """Year headers Excel stored as dates (typed 2022, shown as 2022-01-01): read as the years, with a warning.

    Only a row among the first 30 holding two or more dates, every one of them a 1 January, is such a header
    (a data row with a date in it is left alone); the cells become ``2022年`` in place.
    """
    for i, row in enumerate(rows[:30]):
        dates = [(j, c) for j, c in enumerate(row) if isinstance(c, (dt.date, dt.datetime, pd.Timestamp))]
        if len(dates) < 2 or not all((c.month, c.day) == (1, 1) for _, c in dates):
            continue
        for j, c in dates:
            row[j] = f"{c.year}年"
        cells = [f"{column_name(j)}{i + 1}" for j, _ in dates]
        shown, shown_en = "、".join(cells), ", ".join(cells)
        probs.append(problem("warning", "date_header",
                             f"表头的年份单元格存成了日期（{shown}：{dates[0][1]:%Y-%m-%d} 等），按年份 "
                             f"{dates[0][1].year}–{dates[-1][1].year} 读取；请把这些单元格设为文本或常规格式",
                             f"year headers stored as dates ({shown_en}: {dates[0][1]:%Y-%m-%d} …) are read as the years "
                             f"{dates[0][1].year}–{dates[-1][1].year}; format those cells as text or General",
                             file=where, row=i + 1))
        return


def stacked_table(texts: list[list[str]], data_rows: list[int], header_idx: int) -> int | None:
    """Where a second table stacked under the first begins (its title rows, then the first one's header
    repeated), or None.  ``texts``: each cell's text; ``data_rows``: the rows below the header with text."""
    header = texts[header_idx]
    again = next((i for i in data_rows if i > header_idx and texts[i] == header), None)
    if again is None:
        return None
    start = again
    rows = set(data_rows)
    while start - 1 > header_idx and (start - 1 not in rows or _is_title(texts[start - 1])):
        start -= 1
    while not any(texts[start]):       # blank rows between the tables
        start += 1
    return start


def _is_title(text: list[str]) -> bool:
    """A row with one text and nothing else (a table's title)."""
    return sum(1 for t in text if t) == 1 and not is_number(next(t for t in text if t))
