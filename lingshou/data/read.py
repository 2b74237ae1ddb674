"""Reading statistics as bureaux really deliver them.

:func:`read_records` turns one CSV or XLSX file into *records* (each sheet through
:func:`lingshou.data.sheet.sheet_records`): one row per value cell with its position
(file, sheet, row, column) and the raw county, year, indicator, unit, status and source texts found for
it.  It copes with

- CSV in UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16 (Excel's "Unicode text"); XLSX with several sheets
  and merged cells;
- long tables (one value per row), wide tables with years as columns (``2021`` / ``2021年``; the corner
  cell may be empty or split by a diagonal, ``指标＼年份``), yearbook tables with indicators as columns
  (one row per county) and county-by-year tables of one indicator named in the title;
- title, unit and note rows above or below the header, a units row under the header;
- units in the indicator name (``(万元)``), in a unit column (with or without a header), in a units row
  or in the title (``单位：亿元``); percentage-formatted workbook cells;
- aggregate rows (合计, 全市), group headings and notes under the table (skipped and reported).

Nothing is dropped silently: a column that is not read, a cell outside the table's columns, a workbook
formula without a calculated value are all reported as problems.

:func:`load_statistics` reads files or folders, normalises the records (names, numbers, units) and
validates them (both in :mod:`lingshou.data.validate`), returning one tidy table.
"""
from __future__ import annotations

import codecs
import csv
import io as _io
import re
from pathlib import Path

import pandas as pd
import yaml

from lingshou.data.catalogue import Catalogue
from lingshou.data.numbers import parse_year
from lingshou.data.problems import Problem, problem
from lingshou.data.sheet import RECORD_COLUMNS, FileContext, Sheet, sheet_records
from lingshou.errors import DataError
from lingshou.i18n import bi

DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
IGNORED_SUFFIXES = (".md", ".yaml", ".yml", ".json")  # data cards and notes beside the data
CARD_SUFFIX = ".card.yaml"


# --------------------------------------------------------------------------------------------- files
def read_card(path: Path) -> dict:
    """The data card of a data file (``<stem>.card.yaml`` beside it), or ``{}``."""
    card = path.with_name(path.stem + CARD_SUFFIX)
    if not card.exists():
        return {}
    with card.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    if not isinstance(data, dict):
        raise DataError(bi(f"数据卡片 {card} 不是键值表", f"data card {card} is not a mapping"))
    return data


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-16 with its BOM (Excel's "Unicode text" export), UTF-8 (with or without BOM),
    else GB18030 (a superset of GBK and GB2312).

    Returns the text and the encoding used.  Raises ``UnicodeDecodeError`` if none fits.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("gb18030"), "gb18030"


def _read_csv_grid(path: Path) -> list[list[object]]:
    text, _ = decode_text(path.read_bytes())
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    return [list(r) for r in csv.reader(_io.StringIO(text), delimiter=delimiter)]


_QUOTED_FORMAT = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _xlsx_cell(cell, formula_cell) -> object:
    """The value of a workbook cell as the sheet shows it.

    A number formatted as a percentage (Excel stores a typed ``0.52%`` as ``0.0052``) becomes the text
    ``'0.52%'``; a formula that was never calculated (the file was written by a program and not saved by
    Excel) becomes its formula text, which the validator reports instead of reading it as missing.
    """
    value = cell.value
    if value is None:
        f = getattr(formula_cell, "value", None)
        if isinstance(f, str) and f.startswith("="):
            return f
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # a % inside quotes, after a backslash or in a [colour] is printed, not applied
        fmt = _QUOTED_FORMAT.sub("", str(cell.number_format or ""))
        if "%" in fmt:
            return f"{value * 100:.12g}%"
    return value


def _read_xlsx_sheets(path: Path) -> list[tuple[str, list[list[object]]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)
    formulas = load_workbook(path, data_only=False)
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        wf = formulas[ws.title]
        grid = [[_xlsx_cell(c, wf.cell(row=c.row, column=c.column) if c.value is None else None) for c in row]
                for row in ws.iter_rows()]
        # A merged cell's value belongs to every cell it covers (headers spanning year columns, a
        # county name merged over its rows).
        for rng in ws.merged_cells.ranges:
            top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(grid) else None
            for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
                for c in range(rng.min_col - 1, rng.max_col):
                    while len(grid[r]) <= c:
                        grid[r].append(None)
                    grid[r][c] = top
        out.append((ws.title, grid))
    return out


def read_sheets(path: Path) -> tuple[list[Sheet], list[Problem]]:
    """Read the cell grids of a data file.  Unreadable files become problems, not exceptions."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            return [Sheet(str(path), "", _read_csv_grid(path))], []
        if suffix in (".xlsx", ".xlsm"):
            return [Sheet(str(path), name, grid) for name, grid in _read_xlsx_sheets(path)], []
    except UnicodeDecodeError:
        return [], [problem("error", "encoding", "文件编码无法识别（支持 UTF-8、UTF-8 BOM、GB18030/GBK），请另存为 UTF-8",
                            "cannot decode the file (UTF-8, UTF-8 with BOM, GB18030/GBK are supported); save it as UTF-8",
                            file=path)]
    except Exception as exc:  # a corrupt workbook must not stop the other files from being checked
        return [], [problem("error", "unreadable", f"无法读取文件：{exc}", f"cannot read the file: {exc}", file=path)]
    if suffix == ".xls":
        return [], [problem("error", "format", "不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx",
                            "the old .xls format is not supported; save the workbook as .xlsx", file=path)]
    return [], [problem("error", "format", f"不支持的文件类型 {suffix}（支持 {', '.join(DATA_SUFFIXES)}）",
                        f"unsupported file type {suffix} (supported: {', '.join(DATA_SUFFIXES)})", file=path)]


def list_data_files(paths) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders into the data files to read (sorted), reporting what is skipped."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    probs: list[Problem] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or f.name.startswith((".", "~$")):
                    continue
                if f.suffix.lower() in DATA_SUFFIXES or f.suffix.lower() == ".xls":
                    files.append(f)
                elif f.suffix.lower() not in IGNORED_SUFFIXES:
                    probs.append(problem("warning", "skipped_file", "非数据文件，已跳过", "not a data file, skipped", file=f))
        elif p.is_file():
            files.append(p)
        else:
            probs.append(problem("error", "missing_file", "文件或文件夹不存在", "file or folder does not exist", file=p))
    return files, probs


def read_records(path: str | Path, cat: Catalogue, county: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Records of every sheet of one data file, with the file's card and ``county=`` applied."""
    path = Path(path)
    card = {}
    probs: list[Problem] = []
    empty = pd.DataFrame(columns=RECORD_COLUMNS + ["default_status", "default_source"])
    try:
        card = read_card(path)
    except (DataError, yaml.YAMLError) as exc:
        # The card may say the file is illustrative: without it the values would pass as published.
        probs.append(problem("error", "card", f"数据卡片无法读取，文件未读取：{exc}", f"cannot read the data card, so the file "
                             f"was not read: {exc}", file=path))
        return empty, probs
    ctx = FileContext(county=county or card.get("county"), prefecture=card.get("prefecture"), status=card.get("status"),
                      source=card.get("source") or card.get("publisher"), card=card)
    if card.get("year") is not None:
        ctx.year = parse_year(card["year"])
        if ctx.year is None:
            probs.append(problem("error", "card", "数据卡片中的年份无法识别（应为如 2022），文件未读取",
                                 "cannot read the year of the data card (expected e.g. 2022), so the file was not read",
                                 file=path.with_name(path.stem + CARD_SUFFIX), column="year", value=card["year"]))
            return empty, probs
    sheets, read_probs = read_sheets(path)
    probs += read_probs
    frames = []
    for sheet in sheets:
        recs, sp = sheet_records(sheet, cat, ctx)
        probs += sp
        if not recs.empty:
            frames.append(recs)
    if not frames:
        if not probs and sheets:
            probs.append(problem("warning", "empty", "文件中没有数据", "the file holds no data", file=path))
        return empty, probs
    records = pd.concat(frames, ignore_index=True)
    records["default_status"] = ctx.status or ""
    records["default_source"] = ctx.source or path.name
    return records, probs
