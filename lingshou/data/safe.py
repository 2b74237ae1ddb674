"""Tables that a spreadsheet may open: text cells that could run as formulas are made inert, and read back.

A department name ``=HYPERLINK(…)`` from a plan file, ``+cmd|' /C calc'!A0`` from a return, ``@SUM(1)``: Excel,
WPS and LibreOffice evaluate a CSV cell that starts like a formula (CSV injection, OWASP).  Every CSV the suite
writes for people — the return files of ``collect``, the notebooks' ``tables/*.csv``, the processed statistics — goes through
:func:`neutralise_frame`, which prefixes such text with ``'`` (shown as text).  The suite's own readers of those
tables (the report, the gap analysis reading the benchmarking table) use :func:`read_table`, which takes the
guard off again, so the PDF prints ``-4.0%（2024年）``, not ``'-4.0%（2024年）``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

#: First characters that make a spreadsheet evaluate a cell (CSV/formula injection, OWASP), ASCII and full-width.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralise_text(value: object) -> object:
    """Make a text cell inert in spreadsheets: prefix ``'`` when it starts like a formula.

    ``=HYPERLINK(...)``, ``+cmd``, ``-1+1``, ``@SUM(A1)`` (also after leading spaces, and their full-width
    forms) become ``'=HYPERLINK(...)`` etc., which Excel, WPS and LibreOffice show as text.  Non-strings
    (numbers, NaN, None) are returned unchanged.

    >>> neutralise_text("=1+1")
    "'=1+1"
    >>> neutralise_text("县财政局")
    '县财政局'
    """
    if not isinstance(value, str) or value == "":
        return value
    if _starts_like_formula(value):
        return "'" + value
    return value


def _starts_like_formula(value: str) -> bool:
    return value[:1] in FORMULA_TRIGGERS or value.lstrip(" \u3000")[:1] in FORMULA_TRIGGERS


def unguard_text(value: object) -> object:
    """The text :func:`neutralise_text` was given (its ``'`` guard taken off); anything else unchanged."""
    if isinstance(value, str) and value.startswith("'") and neutralise_text(value[1:]) == value:
        return value[1:]
    return value


def _text_columns(df: pd.DataFrame) -> list:
    return [c for c in df.columns
            if not (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c]))]


def _changed(col: pd.Series, fn) -> dict:
    """``{text: fn(text)}`` for the distinct text cells of ``col`` that ``fn`` changes (a column holds few
    distinct texts — sources, units, statuses — so this is cheaper than calling ``fn`` on every cell)."""
    try:
        distinct = pd.unique(col.to_numpy(dtype=object))
    except TypeError:   # unhashable cells (lists): only the text among them can change
        distinct = list(dict.fromkeys(v for v in col if isinstance(v, str)))
    return {u: v for u in distinct if isinstance(u, str) and (v := fn(u)) != u}


def _replace(df: pd.DataFrame, col, changed: dict) -> None:
    hit = df[col].map(lambda v: isinstance(v, str) and v in changed).astype(bool)
    new = df[col].map(lambda v: changed[v] if isinstance(v, str) and v in changed else v)
    df[col] = df[col].mask(hit, new)   # keeps the column's dtype (str stays str)


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell passed through :func:`neutralise_text` (numbers untouched)."""
    out = df.copy()
    for col in _text_columns(out):
        changed = _changed(out[col], neutralise_text)
        if changed:
            _replace(out, col, changed)
    return out


def unguard_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the guards of :func:`neutralise_frame` taken off its text cells (in place; returned)."""
    for col in _text_columns(df):
        changed = _changed(df[col], unguard_text)
        if changed:
            _replace(df, col, changed)
    return df


def write_table(df: pd.DataFrame, path: str | Path, *, index: bool = False) -> Path:
    """Write ``df`` as a UTF-8 CSV that a spreadsheet can open safely (text cells neutralised; the index, when
    kept, too)."""
    frame = df.reset_index() if index else df
    path = Path(path)
    neutralise_frame(frame).to_csv(path, index=False, encoding="utf-8")
    return path


def read_table(path: str | Path, **kwargs) -> pd.DataFrame:
    """Read a CSV written by :func:`write_table` (or by hand), the guards of its text cells taken off."""
    return unguard_frame(pd.read_csv(path, encoding="utf-8-sig", **kwargs))
