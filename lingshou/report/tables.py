"""Tables of the report, as pure functions: number formatting, the vocabularies of statuses, and the
gap table read by department (the accountability table of the PDF and the 督导台账 workbook).

The gap analysis notebook writes ``tables/gap_analysis.csv`` (one row per plan target: indicator,
name_zh, unit, year, actual, target, target_year, gap, achievement_pct, status,
required_annual_growth_pct, lead_unit, responsible_units, data_status) and ``tables/gap_by_unit.csv``
(unit, n_met, n_close, n_behind, n_no_data).  Everything here takes and returns DataFrames.
"""
from __future__ import annotations

import ast
import math
import re

import numpy as np
import pandas as pd

from lingshou.config import STATUS_LABELS
from lingshou.errors import AnalysisError
from lingshou.i18n import bi, check_lang, pick, unit_label

GAP_TABLE = "tables/gap_analysis.csv"
GAP_BY_UNIT_TABLE = "tables/gap_by_unit.csv"
#: Columns the accountability table and the workbook need from gap_analysis.csv.
GAP_REQUIRED = ("indicator", "actual", "target", "status", "lead_unit", "responsible_units")
BY_UNIT_REQUIRED = ("unit", "n_met", "n_close", "n_behind", "n_no_data")

#: Status of a target (the gap analysis' vocabulary), in the order a supervisor reads them.
GAP_STATUSES = ("behind", "close", "no_data", "met")
GAP_STATUS_LABELS = {
    "zh": {"met": "达标", "close": "接近", "behind": "落后", "no_data": "无数据"},
    "en": {"met": "met", "close": "close", "behind": "behind", "no_data": "no data"},
}
#: Every spelling of a target status the gap table may hold → its code.
_GAP_STATUS_CODE = {**{v: k for lang in GAP_STATUS_LABELS.values() for k, v in lang.items()},
                    **{k: k for k in GAP_STATUS_LABELS["en"]}, "no data": "no_data", "nodata": "no_data"}
#: Colour of a task measure's state and flag (lingshou.analysis.tasks): completed green, in progress amber,
#: behind schedule or overdue red, no return grey.
_TASK_TONES = {"已完成": "met", "completed": "met", "推进中": "close", "in progress": "close", "滞后": "behind",
               "behind schedule": "behind", "无报送": "no_data", "no return": "no_data", "未启动": "no_data",
               "not started": "no_data"}
#: Statuses of values beyond the data vocabulary that summaries may use (see lingshou.report.summary).
EXTRA_STATUS_LABELS = {
    "zh": {"projected": "预测", "missing": "缺失", "modelled": "模型推算"},
    "en": {"projected": "projected", "missing": "missing", "modelled": "modelled"},
}
BOOL_LABELS = {"zh": ("是", "否"), "en": ("yes", "no")}
MISSING = "—"

_UNIT_SPLIT = re.compile(r"\s*[;；,，、|]\s*")


# ------------------------------------------------------------------------------------------- numbers
def number_decimals(values: pd.Series) -> int:
    """Decimals for a numeric column: 0 when every value is whole, 1 when the largest magnitude is
    at least 100, 3 when it is below 0.1, else 2."""
    v = pd.to_numeric(values, errors="raise").dropna()
    v = v[np.isfinite(v)]
    if v.empty or bool((v == v.round()).all()):
        return 0
    top = float(v.abs().max())
    if top >= 100:
        return 1
    if top < 0.1:
        return 3
    return 2


def format_number(x, decimals: int | None = None, thousands: bool = True) -> str:
    """A number as text: ``—`` for missing, thousands separators from 10,000, ``decimals`` fixed (or
    chosen by :func:`number_decimals` for this one value)."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return MISSING
    x = float(x)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if decimals is None:
        decimals = number_decimals(pd.Series([x]))
    text = f"{x:,.{decimals}f}" if thousands and abs(x) >= 10_000 else f"{x:.{decimals}f}"
    return "0" if text in ("-0", "-0.0", "-0.00", "-0.000") else text


_NUMERIC_TEXT = re.compile(r"^\s*[-+]?\d+(\.\d+)?([eE][-+]?\d+)?\s*$")


def as_number(value):
    """A number from a cell of a mixed column (``'1500.0'`` → 1500.0); other text is returned unchanged.

    Rule targets put text (a grade ``'B'``, ``'逐年递增'``) in columns that otherwise hold numbers, so
    pandas reads the whole column as text.
    """
    if isinstance(value, str) and _NUMERIC_TEXT.match(value):
        return float(value)
    return value


def format_value(value, decimals: int | None = None) -> str:
    """A cell for display: numbers (also numbers written as text) by :func:`format_number`, text as is."""
    value = as_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    return format_number(value, decimals)


def status_label(value, lang: str = "zh") -> str:
    """A status code (target status or data status) in words; other values unchanged."""
    if not isinstance(value, str):
        return MISSING if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    key = value.strip()
    if key in _GAP_STATUS_CODE:
        return GAP_STATUS_LABELS[lang][_GAP_STATUS_CODE[key]]
    parts = [p for p in re.split(r"\s*[;,、|]\s*", key) if p]
    if parts and all(p in STATUS_LABELS[lang] or p in EXTRA_STATUS_LABELS[lang] for p in parts):
        words = [STATUS_LABELS[lang].get(p) or EXTRA_STATUS_LABELS[lang][p] for p in parts]
        return ("、" if lang == "zh" else ", ").join(words)
    return value


def tone_of(value) -> str | None:
    """Colour key of a cell: a target status code, ``'illustrative'``, or ``None``."""
    if isinstance(value, str):
        key = value.strip()
        if key in _GAP_STATUS_CODE:
            return _GAP_STATUS_CODE[key]
        if key in _TASK_TONES:
            return _TASK_TONES[key]
        if key.startswith(("逾期", "overdue")):
            return "behind"
        if "illustrative" in key:
            return "illustrative"
    return None


def _bool_like(s: pd.Series) -> bool:
    """A column read back from CSV whose values are all True/False (with gaps), e.g. ``increased_vs_prior_year``."""
    values = set(s.dropna().astype(str))
    return bool(values) and values <= {"True", "False", "true", "false"}


def _mixed_magnitudes(values: pd.Series) -> bool:
    """True when a numeric column spans two orders of magnitude or more with fractional small values."""
    v = pd.to_numeric(values, errors="coerce").dropna().abs()
    v = v[np.isfinite(v) & (v > 0)]
    if len(v) < 2:
        return False
    small = v[v < 10]
    return float(v.max()) / float(v.min()) >= 100 and bool((small != small.round()).any())


#: Columns holding a measurement unit: written in the report's language.
UNIT_COLUMNS = ("unit", "unit_text")


def _is_bool(s: pd.Series) -> bool:
    return pd.api.types.is_bool_dtype(s) or _bool_like(s)


def numeric_columns(df: pd.DataFrame) -> list[str]:
    """The columns :func:`format_frame` writes as numbers (right-aligned in the PDF): numeric, not boolean."""
    return [c for c in df.columns if not _is_bool(df[c]) and pd.api.types.is_numeric_dtype(df[c])]


def format_frame(df: pd.DataFrame, lang: str = "zh", decimals: int | dict | None = None) -> pd.DataFrame:
    """Every cell of a table as display text, column by column (one number of decimals per column,
    separators from 10,000 so years stay plain; booleans as 是/否; status codes in words; a unit column
    (:data:`UNIT_COLUMNS`) in the language's units, 万元 → ×10k yuan).

    Returns
    -------
    DataFrame
        Same shape, all ``str`` (:func:`numeric_columns` says which were numbers).
    """
    check_lang(lang)
    out = {}
    for col in df.columns:
        s = df[col]
        if _is_bool(s):
            yes, no = BOOL_LABELS[lang]
            out[col] = s.map(lambda v: "—" if pd.isna(v) else yes if v in (True, "True", "true") else no)
        elif pd.api.types.is_numeric_dtype(s):
            d = decimals.get(col) if isinstance(decimals, dict) else decimals
            if d is None and _mixed_magnitudes(s):
                # a column of several units (5,700 万元 beside a 0.96 % share): each value by its own size, so
                # that 0.96 never prints as 1.0
                out[col] = s.map(lambda v: format_number(v))
                continue
            d = number_decimals(s) if d is None else int(d)
            out[col] = s.map(lambda v, d=d: format_number(v, d))
        elif col in UNIT_COLUMNS:
            out[col] = s.map(lambda v: "" if pd.isna(v) else str(unit_label(v, lang)))
        else:
            out[col] = s.map(lambda v: format_value(v) if isinstance(as_number(v), float) else status_label(v, lang))
    return pd.DataFrame(out, index=df.index, columns=df.columns).astype(str)


# --------------------------------------------------------------------------------------- gap tables
def check_columns(df: pd.DataFrame, required, where: str) -> pd.DataFrame:
    """Raise unless every required column is present.

    Raises
    ------
    AnalysisError
        Naming the table and the missing columns.
    """
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise AnalysisError(bi(f"表 {where} 缺少列 {missing}（报告需要 {list(required)}）",
                               f"table {where} lacks column(s) {missing} (the report needs {list(required)})"))
    return df


def gap_status_codes(status: pd.Series, where: str = GAP_TABLE) -> pd.Series:
    """Target statuses as codes (met/close/behind/no_data) whichever spelling the table uses.

    Raises
    ------
    AnalysisError
        Listing the values outside the vocabulary.
    """
    codes = status.map(lambda v: _GAP_STATUS_CODE.get(v.strip()) if isinstance(v, str) else None)
    bad = sorted({str(v) for v, c in zip(status, codes) if pd.isna(c)})
    if bad:
        raise AnalysisError(bi(f"表 {where} 的 status 列有未知状态 {bad}（可用：{list(GAP_STATUS_LABELS['en'])} 或 "
                               f"{list(GAP_STATUS_LABELS['zh'].values())}）",
                               f"column status of {where} holds unknown value(s) {bad} (use "
                               f"{list(GAP_STATUS_LABELS['en'])} or {list(GAP_STATUS_LABELS['zh'].values())})"))
    return codes


def split_units(value) -> list[str]:
    """Departments of a responsible-units cell: ``'县财政局、县税务局'``, ``"('a', 'b')"`` or a list."""
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    elif value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    else:
        text = str(value).strip()
        if text[:1] in "[(" and text[-1:] in "])":
            try:
                parsed = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                parsed = None
            if isinstance(parsed, (list, tuple)):
                return [str(v).strip() for v in parsed if str(v).strip()]
        items = _UNIT_SPLIT.split(text)
    return [i.strip() for i in items if i and i.strip()]


def indicator_names(gap: pd.DataFrame, lang: str, catalogue_names: dict | None = None) -> pd.Series:
    """Indicator names in ``lang``: the table's ``name_<lang>`` column, else the catalogue's, else the code."""
    col = f"name_{lang}"
    names = gap["indicator"].map(lambda c: (catalogue_names or {}).get(c, c))
    if col in gap.columns:
        names = gap[col].where(gap[col].notna() & (gap[col].astype(str).str.strip() != ""), names)
    return names.astype(str)


def unit_order(gap: pd.DataFrame, by_unit: pd.DataFrame | None) -> list[str]:
    """Departments in the roll-up's order (then any lead unit it lacks, in order of appearance)."""
    leads = [u for u in pd.unique(gap["lead_unit"].fillna("").astype(str)) if u]
    order = [str(u) for u in by_unit["unit"]] if by_unit is not None else []
    return order + [u for u in leads if u not in order]


#: Who answers for a target the plan gives no lead unit (its overall grade and rank goals): the text's
#: 六、保障措施 (一) charges the county's S&T innovation leading group with ensuring the main indicators.
PLAN_GOAL_OWNER = ("县科技创新工作领导小组（全计划目标，方案未指定牵头单位）",
                   "County S&T innovation leading group (a goal of the whole plan; the plan names no lead unit)")
#: Its sheet's name in the 督导台账.
PLAN_GOAL_OWNER_SHEET = ("县科技创新工作领导小组", "Leading group")


def ledger(gap: pd.DataFrame, lang: str = "zh", catalogue_names: dict | None = None,
           by_unit: pd.DataFrame | None = None, goal_text: bool = False) -> pd.DataFrame:
    """The gap table as a supervision list: one row per target, departments in order, worst first.

    With ``goal_text`` (the 督导台账), grade and rank goals show their texts as actual and target ("B类（70.6分）",
    "全省167个县（市、区）中第128位") instead of a score or a percent position, without a gap or achievement,
    and a target without a lead unit names :data:`PLAN_GOAL_OWNER`; the PDF keeps the numbers, whose columns
    it sizes.

    Returns
    -------
    DataFrame
        Columns ``lead_unit, indicator, name, unit, actual, target, target_year, gap, achievement_pct,
        status (code), required_annual_growth_pct, responsible_units (joined with 、), data_status`` —
        optional source columns absent from ``gap`` are filled with NaN.

    Raises
    ------
    AnalysisError
        Missing required columns or an unknown status.
    """
    check_lang(lang)
    check_columns(gap, GAP_REQUIRED, GAP_TABLE)
    d = gap.copy()
    d["status"] = gap_status_codes(d["status"])
    d["name"] = indicator_names(d, lang, catalogue_names)
    d["lead_unit"] = d["lead_unit"].fillna("").astype(str).str.strip()
    d["responsible_units"] = d["responsible_units"].map(lambda v: "、".join(split_units(v)))
    for col in ("unit", "target_year", "gap", "achievement_pct", "required_annual_growth_pct",
                "required_annual_change_pp", "data_status"):
        if col not in d.columns:
            d[col] = np.nan
    # A grade or a rank reads as such ("B类（70.6分）", "全省167个县（市、区）中第128位"), not as a score or a percent.
    if goal_text and "type" in d.columns and f"actual_text_{lang}" in d.columns:
        goal = d["type"].isin(["grade", "rank"]) & d[f"actual_text_{lang}"].notna()
        d["actual"] = d["actual"].astype(object)
        d.loc[goal, "actual"] = d.loc[goal, f"actual_text_{lang}"]
        if f"target_text_{lang}" in d.columns:
            d["target"] = d["target"].astype(object)
            d.loc[goal, "target"] = d.loc[goal, f"target_text_{lang}"]
        # the gap and achievement of a goal are a score distance and a percent position: the texts replace them
        d.loc[goal, [c for c in ("gap", "achievement_pct") if c in d.columns]] = np.nan
        d.loc[goal, "unit"] = ""  # the text carries its unit (位, 分)
    if goal_text:
        # The plan names no lead unit for its overall goals; 六、(一) gives them to the leading group.
        d.loc[d["lead_unit"] == "", "lead_unit"] = pick(lang, *PLAN_GOAL_OWNER)
    order = {u: i for i, u in enumerate(unit_order(d, by_unit))}
    d["_unit"] = d["lead_unit"].map(lambda u: order.get(u, len(order)))
    d["_status"] = d["status"].map({s: i for i, s in enumerate(GAP_STATUSES)})
    d = d.sort_values(["_unit", "_status"], kind="stable")
    cols = ["lead_unit", "indicator", "name", "unit", "actual", "target", "target_year", "gap", "achievement_pct",
            "status", "required_annual_growth_pct", "required_annual_change_pp", "responsible_units", "data_status"]
    return d[cols].reset_index(drop=True)


def department_rows(ledger_frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Rows of the ledger a department leads or shares, with its ``role`` (``lead`` / ``responsible``)."""
    lead = ledger_frame["lead_unit"] == unit
    shared = ledger_frame["responsible_units"].map(lambda v: unit in split_units(v)) & ~lead
    out = ledger_frame[lead | shared].copy()
    out.insert(0, "role", np.where(lead[lead | shared], "lead", "responsible"))
    return out.reset_index(drop=True)


def unit_rollup(by_unit: pd.DataFrame) -> pd.DataFrame:
    """The roll-up by department with a total per row and a total row.

    Raises
    ------
    AnalysisError
        Missing required columns.
    """
    check_columns(by_unit, BY_UNIT_REQUIRED, GAP_BY_UNIT_TABLE)
    counts = ["n_met", "n_close", "n_behind", "n_no_data"]
    d = by_unit[["unit"] + counts].copy()
    d[counts] = d[counts].fillna(0).astype(int)
    d["n_total"] = d[counts].sum(axis=1)
    return d.reset_index(drop=True)


def status_counts(ledger_frame: pd.DataFrame) -> dict:
    """Number of targets by status code (every code present, zero when none)."""
    counts = ledger_frame["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in ("met", "close", "behind", "no_data")}


#: A text column whose longest cell is longer than this (in characters, a CJK character counting two) shares
#: the width left by the others in proportion to its length; shorter columns take their natural width.
LONG_TEXT = 16
#: The largest share of a long text column (see :func:`column_widths`).
MAX_SHARE = 40


def _text_width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def column_widths(text: pd.DataFrame, header: list, numeric: set) -> list[int] | None:
    """Widths of a table's columns for the template: 0 = natural width, n = n shares of the width left.

    Without a long text column every column takes its natural width (``None``).  Numbers always keep their
    natural width (a share could squeeze 2,776.4 into its neighbour); a long header over them is wrapped
    instead (:func:`wrap_headers`).
    """
    longest = [max([_text_width(str(h))] + [_text_width(v) for v in text[c]]) if len(text) else _text_width(str(h))
               for c, h in zip(text.columns, header)]
    # capped at 40, so that several long columns share the width evenly enough for their longest words
    # ("Development" in a lead-unit column beside a long list of responsible units)
    shares = [0 if c in numeric or n <= LONG_TEXT else min(n, MAX_SHARE) for c, n in zip(text.columns, longest)]
    return shares if any(shares) else None


def wrap_headers(header: list, columns: list, numeric: set) -> list[str]:
    """Headers of numeric columns longer than 10 characters broken at the space nearest their middle
    (``Points\ngained``), so the column is as wide as its numbers; the template breaks the line at ``\n``."""
    out = []
    for column, h in zip(columns, header):
        h = str(h)
        spaces = [i for i, ch in enumerate(h) if ch == " "]
        if column in numeric and _text_width(h) > 10 and spaces:
            cut = min(spaces, key=lambda i: abs(i - len(h) / 2))
            h = h[:cut] + "\n" + h[cut + 1:]
        out.append(h)
    return out
