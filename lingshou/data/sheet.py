"""One grid of cells (a CSV file or an XLSX sheet) → records: the header, the title rows, the layout, the units.

:func:`sheet_records` finds the header row (the first of the leading rows that names at least two of
county / year / indicator / value … or year columns), reads the hints of the rows above it (``单位：万元``,
a year, a county, an indicator named in the title), reads a second header row of years and a units row,
decides the layout (long, wide by year, indicators as columns, county × year of one indicator) and turns
each data row into one record per value cell, with every unit declared for it in order of precedence
(unit column, indicator name, column header, table title).  Group headings, aggregate rows (合计, 全市)
and notes under the table are skipped and reported; a cell in a column without a header is an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from lingshou.data.budget import functional_table
from lingshou.data.catalogue import Catalogue, normalise_text, split_unit
from lingshou.data.headers import cell_text as _text
from lingshou.data.headers import column_name, dated_headers, no_header, stacked_table
from lingshou.data.numbers import is_number, parse_year
from lingshou.data.problems import Problem, problem

RECORD_COLUMNS = ["file", "sheet", "row", "column", "county_raw", "year_raw", "indicator_raw", "cell",
                  "unit_raw", "unit_from", "status_raw", "source_raw", "note_raw", "county_col", "year_col",
                  "indicator_col", "status_col", "unit_other", "unit_other_from", "prefecture_hint"]
#: A title or note saying the figures are preliminary (快报数, 初步数, 初步核算): the sheet's values are provisional.
PROVISIONAL_MARK = re.compile(r"快报|初步数|初步核算|初步统计")
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
#: A yearbook's second header row: the level column and the growth column beside it (not read).
LEVEL_LABELS = {"绝对数", "总量", "本年", "本年数", "数值", "金额", "数量"}
GROWTH_LABEL = re.compile(r"^(比上年|比去年|同比)?(增长|增减|增速|增幅|增长率|±)")
#: Headers of a column of townships: a county's table by 乡镇, whose 全县/合计 row is the county's value.
TOWNSHIP_HEADERS = {"乡镇", "乡(镇)", "乡镇(街道)", "乡镇名称", "乡镇(区)", "乡镇街道", "乡、镇", "乡镇(园区)"}
_ROLE_OF = {**{name: role for role, names in ROLE_NAMES.items() for name in names},
            **{name: "county" for name in TOWNSHIP_HEADERS}}
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
    prefecture: str | None = None
    status: str | None = None
    source: str | None = None
    card: dict = field(default_factory=dict)

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


@dataclass
class _Titles:
    """Hints from the rows above the header: the table's unit, year, county and indicator."""

    unit: str | None = None
    year: int | None = None
    county: str | None = None
    indicator: str | None = None
    prefecture: str | None = None
    provisional: str | None = None   # the text that marks the figures as preliminary


@dataclass
class _Columns:
    """The header of a table: its labels, the role of each column, the units it names, and the layout."""

    header: list[str]
    roles: list[str | None]
    units: dict[int, str]
    first_data: int
    layout: str = ""
    value_cols: list[int] = field(default_factory=list)

    def col(self, role: str) -> int | None:
        idx = [j for j, r in enumerate(self.roles) if r == role]
        return idx[0] if idx else None

    def __post_init__(self):
        self.county, self.year, self.ind = self.col("county"), self.col("year"), self.col("indicator")
        self.code, self.value, self.unit = self.col("code"), self.col("value"), self.col("unit")
        self.status, self.source, self.note = self.col("status"), self.col("source"), self.col("note")

    @property
    def name(self) -> int | None:
        return self.code if self.code is not None else self.ind

    @property
    def township(self) -> bool:
        """The county column lists townships (乡镇): a county's table by township."""
        return self.county is not None and normalise_text(self.header[self.county]) in TOWNSHIP_HEADERS


def sheet_records(sheet: Sheet, cat: Catalogue, ctx: FileContext) -> tuple[pd.DataFrame, list[Problem]]:
    """Records of one sheet (see module docstring) and the problems met while reading its layout.

    The steps: find the header row, read the title rows above it, read the header (a second header row
    of years, a units row), decide the layout, then turn every data row into one record per value cell.
    """
    where = f"{sheet.file}#{sheet.name}" if sheet.name else sheet.file
    probs: list[Problem] = []
    width = max((len(r) for r in sheet.rows), default=0)
    rows = [list(r) + [None] * (width - len(r)) for r in sheet.rows]
    dated_headers(rows, where, probs)
    budget = functional_table(rows, where)          # a 决算表: its 206 row and its total, in the long layout
    if budget is not None:
        rows, read = budget
        probs += read
        width = max((len(r) for r in rows), default=0)
    header_idx = _find_header(rows, cat)
    if header_idx is None:
        if sheet.name and not any(is_number(c) for r in rows for c in r):
            # a workbook's notes sheet (说明, 填表说明) holds no numbers: no table, not an error
            probs.append(problem("info", "no_numbers", "工作表中没有数值（说明页？），未读取",
                                 "the sheet holds no numbers (a notes page?) and was not read", file=where))
        elif any(not _is_blank(r) for r in rows):
            probs.append(no_header(rows, where))
        return pd.DataFrame(columns=RECORD_COLUMNS), probs
    titles = _title_hints(rows[:header_idx], cat, ctx)
    cols = _read_header(rows, header_idx, cat)
    if not _choose_layout(cols, titles):
        probs.append(problem("error", "layout",
                             "无法识别表格结构：需要“指标+数值”列（长表）、“指标+年份”列（宽表）、以指标为列、以县或年份为行的表，"
                             "或以县为行、年份为列并在标题中写明指标的表",
                             "cannot recognise the layout: need indicator + value columns (long), indicator + year columns "
                             "(wide), indicators as columns with a county or year column, or counties down and years "
                             "across with the indicator named in the title",
                             file=where, row=header_idx + 1, value=" | ".join(h for h in cols.header if h)))
        return pd.DataFrame(columns=RECORD_COLUMNS), probs
    texts = [[_text(c) for c in r] for r in rows]   # each cell's text once (a province table has 30,000 rows)
    data_rows = [i for i in range(cols.first_data, len(rows)) if any(texts[i]) and not _is_note_row(texts[i])]
    if titles.provisional is None:
        titles.provisional = next((_first_text(texts[i]) for i in range(cols.first_data, len(rows))
                                   if _is_note_row(texts[i]) and PROVISIONAL_MARK.search(_first_text(texts[i]))), None)
    if titles.provisional is not None:
        probs.append(problem("info", "provisional_mark", "表中注明为快报数/初步数：未标明状态的数值记为 provisional（初步数据）",
                             "the table says its figures are preliminary (快报数/初步数): values without a status are "
                             "stored as provisional", file=where, value=titles.provisional))
    below = stacked_table(texts, data_rows, header_idx)
    if below is not None:
        data_rows = [i for i in data_rows if i < below]
    _note_rows(texts, cols.first_data, data_rows, where, probs)
    lost = _unlabelled_cells(texts, data_rows, cols, width, cat)
    for j, h in enumerate(cols.header):
        if h and j not in _used_columns(cols) and j != cols.unit and cols.roles[j] != "ignore":
            probs.append(problem("warning", "ignored_column", "此列未读取：表头不是县、年份、指标、数值、单位、状态、来源或备注",
                                 "column not read: its header is not a county, year, indicator, value, unit, status, source or note",
                                 file=where, row=header_idx + 1, column=h, value=h))
    recs = []
    for i in data_rows:
        recs.extend(_row_records(rows, texts, i, cols, titles, lost, where, sheet.name, cat, probs))
    _township_note(texts, data_rows, cols, titles, where, probs)
    records = pd.DataFrame(recs, columns=RECORD_COLUMNS)
    # the cells as written: a column mixing 168 and 1.47 must not turn 168 into 168.0
    records["cell"] = pd.Series([r["cell"] for r in recs], index=records.index, dtype=object)
    _card_year_overruled(records, ctx, where, probs)
    if below is not None:   # the next table, read as a sheet of its own, its rows numbered as in the file
        more, more_probs = sheet_records(Sheet(sheet.file, sheet.name, rows[below:]), cat, ctx)
        more["row"] = more["row"] + below
        for p in more_probs:
            p.row = str(int(p.row) + below) if str(p.row).isdigit() else p.row
        probs.append(problem("info", "stacked_table", f"第{below + 1}行起是另一张表（有自己的标题和表头），已分开读取",
                             f"another table starts at row {below + 1} (its own title and header); it was read apart",
                             file=where, row=below + 1))
        records = pd.concat([records, more], ignore_index=True) if len(more) else records
        probs += more_probs
    return records, probs


def _township_note(texts, data_rows: list[int], cols: _Columns, titles: _Titles, where: str, probs: list[Problem]) -> None:
    """One line saying how a table by township was read (its total as the county's value, the townships not)."""
    if not cols.township:
        return
    totals = [i for i in data_rows if normalise_text(texts[i][cols.county]).lower() in AGGREGATE_NAMES]
    towns = len(data_rows) - len(totals)
    if totals:
        probs.append(problem("info", "township_table",
                             f"乡镇表：第{totals[0] + 1}行“{texts[totals[0]][cols.county]}”作为{titles.county or '（标题中的县）'}的数值读取，"
                             f"其余 {towns} 个乡镇行不是县级数据，未读取",
                             f"a table by township: row {totals[0] + 1} ({texts[totals[0]][cols.county]}) is read as "
                             f"{titles.county or 'the county of the title'}'s value; the other {towns} township rows are "
                             "not county data and were not read", file=where, row=totals[0] + 1))
    else:
        probs.append(problem("warning", "township_table",
                             f"乡镇表没有全县/合计行：{towns} 个乡镇行未读取（乡镇数相加不一定等于全县口径），请补上全县合计",
                             f"a table by township without a 全县/合计 row: its {towns} township rows were not read (the "
                             "townships need not add up to the county's figure); add the county total", file=where))


def _card_year_overruled(records: pd.DataFrame, ctx: FileContext, where: str, probs: list[Problem]) -> None:
    """Say it when the table's own years differ from the year its data card gives (the table's are read)."""
    if ctx.year is None or records.empty:
        return
    own = records.loc[records["year_col"] != FROM_TITLE, "year_raw"].map(parse_year).dropna().astype(int)
    other = sorted(set(own) - {ctx.year})
    if other:
        probs.append(problem("warning", "card_year_overruled",
                             f"数据卡片的年份为 {ctx.year}，表中写明的年份 {other} 与之不同；按表中年份读取，请核对数据卡片",
                             f"the data card says {ctx.year}, the table itself gives {other}; the table's years were "
                             "read — check the card", file=where, column="year", value=ctx.year))


def _find_header(rows: list[list[object]], cat: Catalogue) -> int | None:
    """The header: the first of the leading 30 rows that names at least two roles, years or indicators."""
    for i, row in enumerate(rows[:30]):
        if _header_score(row, cat) >= 2:
            return i
    return None


#: Last characters of a county-level unit's full name.
COUNTY_SUFFIXES = ("县", "市", "区", "旗")


def _title_county(text: str, cat: Catalogue) -> str | None:
    """The county a title names.  A name counts where it stands as a word: the whole run of characters, its
    start ("灵寿科技统计表"), or a full name ending in 县/市/区 ("石家庄市灵寿县科技局") — never a short name
    inside a longer word (正定 in "修正定稿" is no county)."""
    for token in re.findall(r"[\u4e00-\u9fff]{2,12}", text):
        for k in range(len(token), 1, -1):
            for s in range(len(token) - k + 1):
                part = token[s:s + k]
                if not (k == len(token) or s == 0 or part.endswith(COUNTY_SUFFIXES)):
                    continue
                found = cat.county_name(part)
                if found:
                    return found
    return None


def _title_hints(above: list[list[object]], cat: Catalogue, ctx: FileContext) -> _Titles:
    """Unit (``单位：万元``), year, county and indicator named in the rows above the header."""
    titles = _Titles(year=ctx.year, county=ctx.county, prefecture=ctx.prefecture)
    for row in above:
        for cell in row:
            t = _text(cell)
            if not t:
                continue
            m = TABLE_UNIT.search(t)
            if m and cat.unit_dimension(m.group("unit")) is not None:
                titles.unit = normalise_text(m.group("unit"))
            years = {int(mm.group("year")) for mm in TITLE_YEAR.finditer(t)}
            # "2021—2023年" names three years: no single year of the table
            if titles.year is None and len(years) == 1 and len(set(ANY_YEAR.findall(t))) == 1:
                titles.year = years.pop()
            if titles.indicator is None:
                titles.indicator = _title_indicator(t, cat)
            if titles.county is None:
                titles.county = _title_county(t, cat)
            if titles.prefecture is None:
                titles.prefecture = next((p for p in cat.prefectures if p in t), None)
            if titles.provisional is None and PROVISIONAL_MARK.search(t):
                titles.provisional = t
    return titles


def _read_header(rows: list[list[object]], header_idx: int, cat: Catalogue) -> _Columns:
    """Labels and roles of the header row, a lower header row of years, a units row, units in labels."""
    header = [_text(c) for c in rows[header_idx]]
    roles, header_units = zip(*[_role(h, cat) for h in header]) if header else ((), ())
    roles, header_units = list(roles), list(header_units)
    # A header cell merged over two rows (指标 over 2022年/2023年) is already filled in; a header of two rows
    # where the upper one says 年份 (merged over the year columns) and the lower one holds the years: the
    # lower one names those columns.
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
    # A yearbook's second header row: 绝对数 under the indicator, 比上年增长(%) beside it — the growth is no value.
    if first_data < len(rows):
        lower_text = [_text(c) for c in rows[first_data]]
        if any(t in LEVEL_LABELS for t in lower_text) and any(GROWTH_LABEL.match(t) for t in lower_text):
            for j, t in enumerate(lower_text):
                if GROWTH_LABEL.match(t):
                    roles[j], header[j] = "ignore", t
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
    return _Columns(header=header, roles=roles, units=column_units, first_data=first_data)


def _choose_layout(cols: _Columns, titles: _Titles) -> bool:
    """Set ``cols.layout`` and ``cols.value_cols``; False when no layout fits."""
    roles, header = cols.roles, cols.header
    year_cols = [j for j, r in enumerate(roles) if r == "year_column"]
    ind_cols = [j for j, r in enumerate(roles) if r == "indicator_column"]
    if cols.name is None and cols.county is None and year_cols and not header[0] and roles[0] is None:
        # years across the top and an empty corner cell: the first column holds the indicator names
        cols.ind = 0
    if cols.name is not None and cols.value is not None:
        cols.layout, cols.value_cols = "long", [cols.value]
    elif cols.name is not None and year_cols:
        cols.layout, cols.value_cols = "wide_years", year_cols
    elif ind_cols and (cols.county is not None or cols.year is not None or titles.county or titles.year):
        # In a table with indicators as columns, any other header with content is an indicator name the
        # catalogue does not know (reported as unmapped, not skipped).
        cols.layout = "wide_indicators"
        cols.value_cols = sorted(ind_cols + [j for j, r in enumerate(roles) if r is None and header[j]])
    elif cols.county is not None and year_cols and titles.indicator:
        cols.layout, cols.value_cols = "county_by_year", year_cols  # one indicator named in the title
    else:
        return False
    return True


def _used_columns(cols: _Columns) -> set[int]:
    return set(cols.value_cols) | {c for c in (cols.county, cols.year, cols.name, cols.ind, cols.unit, cols.status,
                                               cols.source, cols.note) if c is not None}


def _note_rows(texts: list[list[str]], first: int, data_rows: list[int], where: str, probs: list[Problem]) -> None:
    """Say every note row of the table: one between data rows is a warning (a change of definition, 口径,
    is exactly what an analyst must see), one below the table is an info line; none is read as data."""
    last = data_rows[-1] if data_rows else -1
    for i in range(first, len(texts)):
        if not (any(texts[i]) and _is_note_row(texts[i])):
            continue
        note = _first_text(texts[i])
        if i < last:
            probs.append(problem("warning", "note_inside_table", f"表格中间的说明行未作为数据读取：“{note}”；如说明口径变化，请核对前后数值是否可比",
                                 f"a note row inside the table was not read as data: “{note}”; if it tells of a change of "
                                 "definition, check that the figures before and after it compare", file=where, row=i + 1,
                                 value=note))
        else:
            probs.append(problem("info", "note_row", f"表下的说明行：“{note}”", f"note under the table: “{note}”",
                                 file=where, row=i + 1, value=note))


def _is_note_row(texts: list[str]) -> bool:
    """A note/source/signature line under the table (its text repeated when merged across the table)."""
    return bool(NOTE_ROW.match(_first_text(texts))) and len(set(texts) - {""}) <= 2


def _unlabelled_cells(rows: list[list[str]], data_rows: list[int], cols: _Columns, width: int,
                      cat: Catalogue) -> dict[int, list[int]]:
    """Cells in columns without a header, by row; a headerless column holding only units becomes the unit column.

    Such a cell would be lost: in a CSV mostly a number with an unquoted thousands separator split over two
    columns.
    """
    used = _used_columns(cols)
    lost: dict[int, list[int]] = {}
    for j in range(width):
        if cols.header[j] or j in used:
            continue
        filled = [i for i in data_rows if rows[i][j]]
        if not filled:
            continue
        if cols.unit is None and all(cat.unit_dimension(rows[i][j].strip("()")) is not None for i in filled):
            cols.unit = j
            continue
        for i in filled:
            lost.setdefault(i, []).append(j)
    return lost


def _row_records(rows, texts, i: int, cols: _Columns, titles: _Titles, lost: dict, where: str, sheet_name: str,
                 cat: Catalogue, probs: list[Problem]) -> list[dict]:
    """The records of data row ``i`` (none for a row with lost cells, a group heading or an aggregate);
    ``texts`` holds each cell's normalised text."""
    row, text, header, layout = rows[i], texts[i], cols.header, cols.layout
    if i in lost:
        for j in lost[i]:
            probs.append(problem("error", "unlabelled_cell",
                                 "此单元格所在列没有表头，本行未读取（若是未加引号的千位分隔符，请给数字加引号或去掉逗号）",
                                 "this cell lies in a column without a header, so the row was not read (an unquoted "
                                 "thousands separator? quote the number or drop the comma)",
                                 file=where, row=i + 1, column=column_name(j), value=text[j]))
        return []
    key_col = cols.county if layout in ("wide_indicators", "county_by_year") else cols.name
    key = text[key_col] if key_col is not None else ""
    if key and set(text) - {""} == {key} and (
            cat.county_name(key) if layout in ("wide_indicators", "county_by_year") else cat.indicator_code(key)) is None:
        probs.append(problem("info", "heading_row", "分组标题行（只有名称、没有数值），已跳过",
                             "group heading row (a name without values); skipped",
                             file=where, row=i + 1, column=header[key_col] or column_name(key_col), value=key))
        return []
    c_county = cols.county
    county_raw = text[c_county] if c_county is not None else (titles.county or "")
    if cols.township:
        # a table by township: its 全县/合计 row is the county's (named in the title), the townships are not read
        if normalise_text(county_raw).lower() not in AGGREGATE_NAMES:
            return []
        county_raw = titles.county or ""
        if not county_raw:
            probs.append(problem("error", "township_table", "乡镇表的标题中没有县名：全县合计行无法归到县",
                                 "a table by township without the county in its title: its total cannot be given a county",
                                 file=where, row=i + 1, column=header[c_county], value=text[c_county]))
            return []
    elif c_county is not None and normalise_text(county_raw).lower() in AGGREGATE_NAMES:
        probs.append(problem("warning", "aggregate_row", "汇总行（合计/全市等）不是县级数据，已跳过",
                             "aggregate row (total / whole city) is not county data; skipped",
                             file=where, row=i + 1, column=header[c_county], value=county_raw))
        return []
    county_col = (header[c_county] or column_name(c_county)) if c_county is not None else (FROM_TITLE if county_raw else "—")
    base = {"file": where, "sheet": sheet_name, "row": i + 1, "county_raw": county_raw,
            "status_raw": text[cols.status] if cols.status is not None else "",
            "prefecture_hint": titles.prefecture or "",
            "source_raw": text[cols.source] if cols.source is not None else "",
            "note_raw": text[cols.note] if cols.note is not None else "",
            "county_col": county_col, "status_col": header[cols.status] if cols.status is not None else ""}
    return [_cell_record(base, row, text, j, cols, titles, cat) for j in cols.value_cols]


def _cell_record(base: dict, row: list[object], text: list[str], j: int, cols: _Columns, titles: _Titles,
                 cat: Catalogue) -> dict:
    """The record of value cell ``j``: which indicator and year it is, and the units declared for it."""
    header, layout, c_name, c_year = cols.header, cols.layout, cols.name, cols.year
    year_row = text[c_year] if c_year is not None else ""
    if layout == "long":
        ind_raw, year_raw = text[c_name], year_row
        ind_col, year_col = header[c_name], header[c_year] if c_year is not None else "—"
    elif layout == "wide_years":
        ind_raw, year_raw = text[c_name], header[j]
        ind_col, year_col = header[c_name] or column_name(c_name), header[j]
    elif layout == "county_by_year":
        ind_raw, year_raw = titles.indicator, header[j]
        ind_col, year_col = FROM_TITLE, header[j]
    else:
        ind_raw, year_raw = header[j], year_row
        ind_col, year_col = header[j], header[c_year] if c_year is not None else "—"
    if year_raw == "" and titles.year is not None:
        year_raw, year_col = str(titles.year), FROM_TITLE
    # Units in order of precedence; a unit column that contradicts the name or header is kept as unit_other
    # so that the validator can report it (either could be the true one).
    declared = []
    if cols.unit is not None and text[cols.unit]:
        declared.append((text[cols.unit], "unit column"))
    name_unit = split_unit(ind_raw)[1] if layout != "wide_indicators" else None
    if name_unit and cat.unit_dimension(name_unit):
        declared.append((name_unit, "indicator name"))
    elif j in cols.units:
        declared.append((cols.units[j], "column header"))
    if titles.unit and not declared:
        declared.append((titles.unit, "table title"))
    elif (titles.unit and len(declared) == 1 and normalise_text(titles.unit) != normalise_text(declared[0][0])
          and cat.unit_dimension(titles.unit) is not None
          and cat.unit_dimension(titles.unit) == cat.unit_dimension(normalise_text(declared[0][0]).strip("()"))):
        # The title's 单位：万元 against a name's (亿元): a contradiction the validator reports, never a guess.
        declared.append((titles.unit, "table title"))
    unit_raw, unit_from = declared[0] if declared else ("", "")
    if not base["status_raw"] and titles.provisional is not None:
        # "2022年为快报数" marks 2022 only; a mark without a year marks every value of the table
        marked = {int(y) for y in TITLE_YEAR.findall(titles.provisional)}
        if not marked or parse_year(year_raw) in marked:
            base = {**base, "status_raw": "provisional"}
    return {**base, "column": header[j] or column_name(j), "year_raw": year_raw, "indicator_raw": ind_raw,
            "cell": row[j], "unit_raw": unit_raw, "unit_from": unit_from, "year_col": year_col,
            "indicator_col": ind_col, "unit_other": declared[1][0] if len(declared) > 1 else "",
            "unit_other_from": declared[1][1] if len(declared) > 1 else ""}
