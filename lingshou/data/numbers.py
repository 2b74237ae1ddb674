"""Parsing numbers as statistics bureaux write them.

Full-width digits and punctuation (``１２３．４``), thousands separators (``1,234.5``), a trailing ``%`` or
``‰`` (``0.52%``), Unicode minus signs, and the yearbook missing markers (``—``, ``-``, ``…``, ``/``,
blank).  Missing markers become NaN and are flagged *missing*, never zero; anything else that is not a
number is flagged *invalid* and reported by the validator — nothing is coerced silently.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Cell texts that mean "no value" in Chinese statistical tables (after NFKC normalisation).
MISSING_MARKERS = frozenset({
    "", "-", "--", "---", "—", "——", "–", "――", "─", "...", "......", "…", "……", "/", "//",
    "na", "n/a", "nan", "null", "none", "无", "空", "暂无", "缺", "缺失",
})
_MINUS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2010": "-"})
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.(?P<frac>\d*))?|\.(?P<frac2>\d+))(?:[eE][+-]?\d+)?$")
_SUFFIX = re.compile(r"^(?P<num>.*?)(?P<suffix>%|‰)$")
#: Footnote marks after a number — superscript digits, circled and parenthesised numbers, ⒈-style numbers,
#: asterisks: notes, never digits.  Looked for *before* NFKC, which would turn ``45¹`` into ``451``.
_MARKS = "\u00b9\u00b2\u00b3\u2070\u2074-\u2079\u2460-\u249b\u24ea-\u24ff\u2776-\u2793*＊※†‡"
_FOOTNOTE = re.compile(rf"^(?P<num>.*?[\d０-９%％‰])\s*(?P<mark>[{_MARKS}]+)$")
_ANY_MARK = re.compile(rf"[{_MARKS}]")


@dataclass(frozen=True)
class ParsedNumber:
    """Result of parsing one cell.

    Attributes
    ----------
    value : float
        The number (NaN when missing or invalid).
    suffix : str
        ``'%'``, ``'‰'`` or ``''`` — a unit written inside the cell.
    missing : bool
        The cell held a missing marker (or nothing).
    invalid : bool
        The cell held text that is not a number.
    decimals : int
        Digits after the decimal point as written (for rounding tolerances); -1 when not a string.
    note : str
        A footnote mark written after the number (``¹``, ``①``, ``*``), kept apart from it.
    """

    value: float
    suffix: str = ""
    missing: bool = False
    invalid: bool = False
    decimals: int = -1
    note: str = ""


def _clean(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).translate(_MINUS)
    return re.sub(r"\s+", "", s)


def parse_number(cell: object) -> ParsedNumber:
    """Parse one cell.

    Examples
    --------
    >>> parse_number("１,２３４．５").value
    1234.5
    >>> parse_number("0.52%").suffix
    '%'
    >>> parse_number("—").missing
    True
    >>> parse_number("45¹").value, parse_number("45¹").note
    (45.0, '¹')
    """
    if cell is None:
        return ParsedNumber(math.nan, missing=True)
    if isinstance(cell, bool):  # a ticked box is not a number
        return ParsedNumber(math.nan, invalid=True)
    if isinstance(cell, (int, float, np.integer, np.floating)):
        v = float(cell)
        return ParsedNumber(v, missing=math.isnan(v))
    s, note = str(cell).strip(), ""
    mark = _FOOTNOTE.match(s)
    if mark:
        s, note = mark.group("num"), mark.group("mark")
    if _ANY_MARK.search(s):   # a mark alone (①) or inside a number (1①2) is no digit either
        return ParsedNumber(math.nan, invalid=True)
    s = _clean(s)
    if s.lower() in MISSING_MARKERS:
        return ParsedNumber(math.nan, missing=True)
    suffix = ""
    m = _SUFFIX.match(s)
    if m:
        s, suffix = m.group("num"), m.group("suffix")
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    m = _NUMBER.match(s)
    if not m:
        return ParsedNumber(math.nan, suffix=suffix, invalid=True, note=note)
    frac = m.group("frac") or m.group("frac2") or ""
    return ParsedNumber(float(s), suffix=suffix, decimals=len(frac), note=note)


def is_number(cell: object) -> bool:
    """The cell holds a number (``24``, ``1,180``, ``0.52%``) — not a missing marker, not other text."""
    parsed = parse_number(cell)
    return not (parsed.missing or parsed.invalid)


def parse_numbers(cells: pd.Series) -> pd.DataFrame:
    """Parse a column of cells.

    Returns
    -------
    DataFrame
        Same index as ``cells``; columns ``value`` (float), ``suffix`` (str), ``missing`` (bool),
        ``invalid`` (bool), ``decimals`` (int).
    """
    parsed = [parse_number(c) for c in cells.to_numpy(dtype=object)]
    return pd.DataFrame(
        {
            "value": np.array([p.value for p in parsed], dtype=float),
            "suffix": [p.suffix for p in parsed],
            "missing": np.array([p.missing for p in parsed], dtype=bool),
            "invalid": np.array([p.invalid for p in parsed], dtype=bool),
            "decimals": np.array([p.decimals for p in parsed], dtype=int),
            "note": [p.note for p in parsed],
        },
        index=cells.index,
    )


_YEAR = re.compile(r"^(?P<year>(19|20)\d{2})(?:\.0)?(?:年|年度|年末|年底)?(?:数据|数值)?$")


def parse_year(cell: object) -> int | None:
    """A year label (``2021``, ``2021年``, ``2021.0``, ``２０２１年度``) as an int, else ``None``."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float, np.integer, np.floating)):
        if isinstance(cell, float) and (math.isnan(cell) or not cell.is_integer()):
            return None
        v = int(cell)
        return v if 1900 <= v <= 2099 else None
    m = _YEAR.match(_clean(str(cell)))
    return int(m.group("year")) if m else None


def scale(value, factor: float):
    """Multiply a value (or an array of values) by a unit factor, exactly for decimal factors.

    Parameters
    ----------
    value : float or array-like
        Values in some unit (e.g. 元).
    factor : float
        Factor to the target unit (e.g. 0.0001 from 元 to 万元).

    Returns
    -------
    float or ndarray
        ``value * factor``.  A factor below 1 whose inverse is a whole number (0.1, 0.0001) divides by
        that inverse instead, because ``12345 * 0.0001`` is ``1.2345000000000002`` while ``12345 / 10000``
        is ``1.2345``; any other factor (a user's 0.7) multiplies.

    Examples
    --------
    >>> scale(12345.0, 0.0001)
    1.2345
    >>> scale(100.0, 0.7)
    70.0
    """
    if 0 < factor < 1:
        inverse = 1.0 / factor
        whole = round(inverse)
        if abs(inverse - whole) <= 1e-9 * inverse:
            return np.divide(value, whole) if isinstance(value, np.ndarray) else value / whole
    return np.multiply(value, factor) if isinstance(value, np.ndarray) else value * factor
