"""Reading statistics as bureaux really deliver them.

:func:`read_records` turns one CSV or XLSX file into *records*: one row per value cell with its position
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
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from lingshou.data.catalogue import Catalogue, normalise_text, split_unit
from lingshou.data.numbers import parse_year
from lingshou.data.problems import Problem, problem
from lingshou.errors import DataError
from lingshou.i18n import bi

DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
IGNORED_SUFFIXES = (".md", ".yaml", ".yml", ".json")  # data cards and notes beside the data
CARD_SUFFIX = ".card.yaml"

RECORD_COLUMNS = ["file", "sheet", "row", "column", "county_raw", "year_raw", "indicator_raw", "cell",
                  "unit_raw", "unit_from", "status_raw", "source_raw", "note_raw", "county_col", "year_col",
                  "indicator_col", "status_col", "unit_other"]
#: Column name given in problems about a county or year taken from the title rows or the data card.
FROM_TITLE = "（标题 title）"

# Header vocabulary (normalised with normalise_text + lower()).
ROLE_NAMES = {
    "county": {"县", "县名", "县(市、区)", "县(市,区)", "县(市区)", "县市区", "县(区、市)", "县区", "区县", "县(市)",
               "地区", "地区名称", "区域", "行政区划", "行政区划名称", "县域", "county", "region", "area"},
    "year": {"年份", "年度", "年", "时间", "统计年度", "报告期", "year"},
    "indicator": {"指标", "指标名称", "项目", "统计指标", "指标项", "名称", "项目名称", "indicator", "item", "name"},
    "code": {"指标代码", "代码", "code", "indicator_code"},
    "value": {"数值", "值", "数据", "本年", "本期", "本年实际", "本年数", "实际值", "填报值", "value", "数量", "金额"},
    "unit": {"单位", "计量单位", "unit", "units"},
    "status": {"状态", "数据状态", "status"},
    "source": {"来源", "数据来源", "资料来源", "source", "填报单位", "报送单位"},
    "note": {"备注", "说明", "注", "note", "notes", "remark", "remarks", "备注说明"},
    # columns known to carry no data of their own (row numbers, ranks derived from the values)
    "ignore": {"序号", "编号", "行次", "栏次", "排名", "排序", "位次", "no", "no.", "#", "区划代码", "行政区划代码",
               "统计用区划代码", "地区代码",
               # documentation columns of a return form (lingshou template): definitions, reference values
               "定义", "定义/口径", "口径", "指标解释", "指标说明", "参考值状态"},
}
#: Headers of reference columns (e.g. 2023年参考值 in a return form): values shown for comparison, not data.
REFERENCE_COLUMN = re.compile(r"参考值$|参考数$")
_ROLE_OF = {name: role for role, names in ROLE_NAMES.items() for name in names}
NOTE_ROW = re.compile(r"^(注|说明|备注|资料来源|数据来源|来源|填表人|审核人|单位负责人|制表|统计负责人|填报日期|报出日期|note|source)\s*[0-9:：.、]?",
                      re.IGNORECASE)
TABLE_UNIT = re.compile(r"(?:计量|金额|价值量)?单位\s*[:：]\s*(?P<unit>[^\s,，;；)）]+)")
TITLE_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年")
ANY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
AGGREGATE_NAMES = {"合计", "总计", "全市", "全省", "全县", "小计", "total", "sum", "石家庄市", "河北省"}


@dataclass
class Sheet:
    """One grid of cells (a CSV file or one XLSX sheet); ``rows[i]`` is spreadsheet row ``i + 1``."""

    file: str
    name: str
    rows: list[list[object]]


@dataclass
class FileContext:
    """What is known about a file from outside its cells."""

    county: str | None = None
    year: int | None = None
    status: str | None = None
    source: str | None = None
    card: dict = field(default_factory=dict)


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


# --------------------------------------------------------------------------------------------- cells
def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell != cell:
        return ""
    return unicodedata.normalize("NFKC", str(cell)).strip()


def _role(label: str, cat: Catalogue) -> tuple[str | None, str | None]:
    """Role of a header label and a unit written in it: ``'数值(万元)'`` → ``('value', '万元')``."""
    key = normalise_text(label).lower()
    if not key:
        return None, None
    if key in _ROLE_OF:
        return _ROLE_OF[key], None
    base, unit = split_unit(key)
    if unit is not None and cat.unit_dimension(unit) is not None and base in _ROLE_OF:
        return _ROLE_OF[base], unit
    if REFERENCE_COLUMN.search(key):
        return "ignore", None
    if parse_year(label) is not None:
        return "year_column", None
    if cat.indicator_code(label) is not None:
        _, unit = split_unit(label)
        return "indicator_column", unit if unit and cat.unit_dimension(unit) else None
    # a corner cell split by a diagonal line: 指标＼年份, 年份/指标, 地区＼指标 — it names the row labels
    parts = {_ROLE_OF.get(p) for p in _DIAGONAL.split(key) if p}
    if len(parts) == 2:
        if parts == {"indicator", "year"}:
            return "indicator", None
        if parts in ({"county", "year"}, {"county", "indicator"}):
            return "county", None
    return None, None


_DIAGONAL = re.compile(r"[\\/|]+")


def _title_indicator(text: str, cat: Catalogue) -> str | None:
    """The indicator a title names (the longest alias in it, with a unit in brackets right after it).

    ``'各县(市、区)高新技术企业数(家)'`` → ``'高新技术企业数(家)'``.  Aliases shorter than four characters
    (GDP) are not looked for inside titles.
    """
    s = normalise_text(text)
    best = max((a for a in cat.indicator_alias_map if len(a) >= 4 and a in s), key=len, default=None)
    if best is None:
        return None
    m = re.match(r"\((?P<unit>[^()]{1,8})\)", s[s.index(best) + len(best):])
    if m and cat.unit_dimension(m.group("unit")) is not None:
        return f"{best}({m.group('unit')})"
    return best


def _header_score(row: list[object], cat: Catalogue) -> int:
    roles = [_role(_text(c), cat)[0] for c in row]
    named = sum(r in ROLE_NAMES for r in roles)
    years = sum(r == "year_column" for r in roles)
    inds = sum(r == "indicator_column" for r in roles)
    return named + years + inds


def _is_blank(row: list[object]) -> bool:
    return all(_text(c) == "" for c in row)


def _first_text(row: list[object]) -> str:
    for c in row:
        t = _text(c)
        if t:
            return t
    return ""


def _column_name(i: int) -> str:
    """Excel-style column letter of a 0-based index (used when a header cell is empty)."""
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def sheet_records(sheet: Sheet, cat: Catalogue, ctx: FileContext) -> tuple[pd.DataFrame, list[Problem]]:
    """Records of one sheet (see module docstring) and the problems met while reading its layout."""
    where = f"{sheet.file}#{sheet.name}" if sheet.name else sheet.file
    rows = sheet.rows
    probs: list[Problem] = []
    width = max((len(r) for r in rows), default=0)
    rows = [list(r) + [None] * (width - len(r)) for r in rows]

    # 1. the header: the first of the leading rows that names at least two roles/years/indicators.
    header_idx = None
    for i, row in enumerate(rows[:30]):
        if _header_score(row, cat) >= 2:
            header_idx = i
            break
    if header_idx is None:
        if any(not _is_blank(r) for r in rows):
            probs.append(problem("error", "layout",
                                 "找不到表头：前30行中没有一行含“指标/年份/数值/县”等列名或年份列",
                                 "no header found: none of the first 30 rows names columns such as 指标/年份/数值/县 or year columns",
                                 file=where))
        return pd.DataFrame(columns=RECORD_COLUMNS), probs

    # 2. hints in the rows above the header (title, unit line).
    table_unit = None
    title_year = ctx.year
    title_county = ctx.county
    title_indicator = None
    for row in rows[:header_idx]:
        for cell in row:
            t = _text(cell)
            if not t:
                continue
            m = TABLE_UNIT.search(t)
            if m and cat.unit_dimension(m.group("unit")) is not None:
                table_unit = normalise_text(m.group("unit"))
            years = {int(mm.group("year")) for mm in TITLE_YEAR.finditer(t)}
            # "2021—2023年" names three years: no single year of the table
            if title_year is None and len(years) == 1 and len(set(ANY_YEAR.findall(t))) == 1:
                title_year = years.pop()
            if title_indicator is None:
                title_indicator = _title_indicator(t, cat)
            if title_county is None:
                for token in re.findall(r"[\u4e00-\u9fff]{2,12}", t):
                    for k in range(len(token), 1, -1):
                        found = [cat.county_name(token[s:s + k]) for s in range(len(token) - k + 1)]
                        found = [f for f in found if f]
                        if found:
                            title_county = found[0]
                            break
                    if title_county:
                        break

    header = [_text(c) for c in rows[header_idx]]
    roles, header_units = zip(*[_role(h, cat) for h in header]) if header else ((), ())
    roles, header_units = list(roles), list(header_units)
    # A header cell merged over two rows (指标 over 2022年/2023年) is already filled in; a header of
    # two rows where the lower one holds the years: take the lower one.
    # two rows where the upper one says 年份 (merged over the year columns) and the lower one holds the
    # years: the lower one names those columns.
    first_data = header_idx + 1
    if first_data < len(rows) and "value" not in roles:
        lower_text = [_text(c) for c in rows[first_data]]
        lower = [_role(t, cat)[0] for t in lower_text]
        spans = [j for j, r in enumerate(lower) if r == "year_column" and roles[j] in ("year", None)]
        # Only a row of year labels (and copies of merged header cells) is a header row: a data row with
        # a year in its 年份 column (灵寿县 | 2022年 | 24) is data.
        header_like = all(not t or lower[j] == "year_column" or t == header[j] for j, t in enumerate(lower_text))
        if spans and header_like and all(roles[j] == "year" or not header[j] for j in spans):
            for j in spans:
                roles[j], header[j] = "year_column", _text(rows[first_data][j])
            first_data += 1
    # A units row right under the header: its cells are units.
    column_units: dict[int, str] = {}
    if first_data < len(rows):
        cand = [_text(c) for c in rows[first_data]]
        unit_cells = {j: normalise_text(c).strip("()（）") for j, c in enumerate(cand) if c}
        if unit_cells and all(cat.unit_dimension(u) is not None or normalise_text(cand[j]) in ("单位", "计量单位")
                              for j, u in unit_cells.items()):
            column_units = {j: u for j, u in unit_cells.items() if cat.unit_dimension(u) is not None}
            first_data += 1
    for j, u in enumerate(header_units):
        if u:
            column_units.setdefault(j, normalise_text(u))

    def col(role: str) -> int | None:
        idx = [j for j, r in enumerate(roles) if r == role]
        return idx[0] if idx else None

    c_county, c_year, c_ind, c_code = col("county"), col("year"), col("indicator"), col("code")
    c_value, c_unit, c_status, c_source, c_note = col("value"), col("unit"), col("status"), col("source"), col("note")
    year_cols = [j for j, r in enumerate(roles) if r == "year_column"]
    ind_cols = [j for j, r in enumerate(roles) if r == "indicator_column"]
    c_name = c_code if c_code is not None else c_ind
    if c_name is None and c_county is None and year_cols and not header[0] and roles[0] is None:
        # years across the top and an empty corner cell: the first column holds the indicator names
        c_ind = c_name = 0

    if c_name is not None and c_value is not None:
        layout = "long"
        value_cols = [c_value]
    elif c_name is not None and year_cols:
        layout = "wide_years"
        value_cols = year_cols
    elif ind_cols and (c_county is not None or c_year is not None or title_county or title_year):
        layout = "wide_indicators"
        value_cols = ind_cols
    elif c_county is not None and year_cols and title_indicator:
        layout = "county_by_year"   # one indicator, named in the title: counties down, years across
        value_cols = year_cols
    else:
        probs.append(problem("error", "layout",
                             "无法识别表格结构：需要“指标+数值”列（长表）、“指标+年份”列（宽表）、以指标为列、以县或年份为行的表，"
                             "或以县为行、年份为列并在标题中写明指标的表",
                             "cannot recognise the layout: need indicator + value columns (long), indicator + year columns "
                             "(wide), indicators as columns with a county or year column, or counties down and years "
                             "across with the indicator named in the title",
                             file=where, row=header_idx + 1, value=" | ".join(h for h in header if h)))
        return pd.DataFrame(columns=RECORD_COLUMNS), probs

    # Which columns are read.  In a table with indicators as columns, any other header with content is an
    # indicator name the catalogue does not know (reported as unmapped, not skipped).
    if layout == "wide_indicators":
        value_cols = value_cols + [j for j, r in enumerate(roles) if r is None and header[j]]
        value_cols.sort()
    used = set(value_cols) | {c for c in (c_county, c_year, c_name, c_ind, c_unit, c_status, c_source, c_note)
                              if c is not None}
    data_rows = []
    for i in range(first_data, len(rows)):
        row = rows[i]
        if _is_blank(row):
            continue
        # a note/source/signature line under the table (its text repeated when merged across the table)
        if NOTE_ROW.match(_first_text(row)) and len({_text(c) for c in row} - {""}) <= 2:
            continue
        data_rows.append(i)
    # A column without a header: a yearbook's unit column when it holds only units, else cells that would
    # be lost (in a CSV mostly a number with an unquoted thousands separator split over two columns).
    lost: dict[int, list[int]] = {}
    for j in range(width):
        if header[j] or j in used:
            continue
        filled = [i for i in data_rows if _text(rows[i][j])]
        if not filled:
            continue
        if c_unit is None and all(cat.unit_dimension(_text(rows[i][j]).strip("()")) is not None for i in filled):
            c_unit = j
            continue
        for i in filled:
            lost.setdefault(i, []).append(j)
    for j, h in enumerate(header):
        if h and j not in used and j != c_unit and roles[j] != "ignore":
            probs.append(problem("warning", "ignored_column", "此列未读取：表头不是县、年份、指标、数值、单位、状态、来源或备注",
                                 "column not read: its header is not a county, year, indicator, value, unit, status, source or note",
                                 file=where, row=header_idx + 1, column=h, value=h))
    key_col = c_county if layout in ("wide_indicators", "county_by_year") else c_name

    recs = []
    for i in data_rows:
        row = rows[i]
        if i in lost:
            for j in lost[i]:
                probs.append(problem("error", "unlabelled_cell",
                                     "此单元格所在列没有表头，本行未读取（若是未加引号的千位分隔符，请给数字加引号或去掉逗号）",
                                     "this cell lies in a column without a header, so the row was not read (an unquoted "
                                     "thousands separator? quote the number or drop the comma)",
                                     file=where, row=i + 1, column=_column_name(j), value=_text(rows[i][j])))
            continue
        key = _text(row[key_col]) if key_col is not None else ""
        if key and {_text(c) for c in row} - {""} == {key} and (
                cat.county_name(key) if layout in ("wide_indicators", "county_by_year") else cat.indicator_code(key)) is None:
            probs.append(problem("info", "heading_row", "分组标题行（只有名称、没有数值），已跳过",
                                 "group heading row (a name without values); skipped",
                                 file=where, row=i + 1, column=header[key_col] or _column_name(key_col), value=key))
            continue
        county_raw = _text(row[c_county]) if c_county is not None else (title_county or "")
        if c_county is not None and normalise_text(county_raw).lower() in AGGREGATE_NAMES:
            probs.append(problem("warning", "aggregate_row", "汇总行（合计/全市等）不是县级数据，已跳过",
                                 "aggregate row (total / whole city) is not county data; skipped",
                                 file=where, row=i + 1, column=header[c_county], value=county_raw))
            continue
        year_row = _text(row[c_year]) if c_year is not None else ""
        county_col = (header[c_county] or _column_name(c_county)) if c_county is not None else (FROM_TITLE if county_raw else "—")
        for j in value_cols:
            if layout == "long":
                ind_raw, year_raw = _text(row[c_name]), year_row
                ind_col, year_col = header[c_name], header[c_year] if c_year is not None else "—"
            elif layout == "wide_years":
                ind_raw, year_raw = _text(row[c_name]), header[j]
                ind_col, year_col = header[c_name] or _column_name(c_name), header[j]
            elif layout == "county_by_year":
                ind_raw, year_raw = title_indicator, header[j]
                ind_col, year_col = FROM_TITLE, header[j]
            else:
                ind_raw, year_raw = header[j], year_row
                ind_col, year_col = header[j], header[c_year] if c_year is not None else "—"
            if year_raw == "" and title_year is not None:
                year_raw, year_col = str(title_year), FROM_TITLE
            # Units in order of precedence; a unit column that contradicts the name or header is kept as
            # unit_other so that the validator can report it (either could be the true one).
            declared = []
            if c_unit is not None and _text(row[c_unit]):
                declared.append((_text(row[c_unit]), "unit column"))
            name_unit = split_unit(ind_raw)[1] if layout != "wide_indicators" else None
            if name_unit and cat.unit_dimension(name_unit):
                declared.append((name_unit, "indicator name"))
            elif j in column_units:
                declared.append((column_units[j], "column header"))
            if not declared and table_unit:
                declared.append((table_unit, "table title"))
            unit_raw, unit_from = declared[0] if declared else ("", "")
            unit_other = declared[1][0] if len(declared) > 1 else ""
            recs.append({
                "file": where, "sheet": sheet.name, "row": i + 1,
                "column": header[j] or _column_name(j),
                "county_raw": county_raw, "year_raw": year_raw, "indicator_raw": ind_raw, "cell": row[j],
                "unit_raw": unit_raw, "unit_from": unit_from,
                "status_raw": _text(row[c_status]) if c_status is not None else "",
                "source_raw": _text(row[c_source]) if c_source is not None else "",
                "note_raw": _text(row[c_note]) if c_note is not None else "",
                "county_col": county_col, "year_col": year_col, "indicator_col": ind_col,
                "status_col": header[c_status] if c_status is not None else "", "unit_other": unit_other,
            })
    records = pd.DataFrame(recs, columns=RECORD_COLUMNS)
    # the cells as written: a column mixing 168 and 1.47 must not turn 168 into 168.0
    records["cell"] = pd.Series([r["cell"] for r in recs], index=records.index, dtype=object)
    if layout == "wide_indicators" and table_unit:
        records.attrs["table_unit"] = table_unit
    return records, probs


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
    ctx = FileContext(county=county or card.get("county"), status=card.get("status"),
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
