"""A problem found in the data: where it is (file, row, column, value) and what is wrong, in Chinese and English."""
from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass

import pandas as pd

from lingshou.errors import ParameterError
from lingshou.i18n import bi

SEVERITIES = ("error", "warning", "info")
#: Longest text of a location printed in a message (a cell may hold a megabyte).
MAX_SHOWN = 200


def visible(text: object, limit: int = MAX_SHOWN) -> str:
    """``text`` as it can be printed safely: control and invisible characters (ESC, CR, zero-width space, BOM)
    shown as ``<U+XXXX>`` — a data cell can neither rewrite the terminal line nor hide inside a name — and
    the text cut after ``limit`` characters, saying how long it was."""
    s = str(text)
    shown = "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c != " " else c
                    for c in s[:limit])
    return shown + (f"…（共 {len(s)} 个字符 / {len(s)} characters）" if len(s) > limit else "")


@dataclass(frozen=True)
class Problem:
    """One problem.

    Attributes
    ----------
    severity : str
        ``'error'`` (the data cannot be used), ``'warning'`` (used, but look at it) or ``'info'``.
    rule : str
        Short rule id, e.g. ``'unmapped_indicator'``, ``'share_range'``.
    file, row, column, value : str
        Where: file path, 1-based row as a spreadsheet shows it (``'—'`` when not applicable), column
        header, the offending value as written.
    zh, en : str
        What is wrong.
    """

    severity: str
    rule: str
    file: str
    row: str
    column: str
    value: str
    zh: str
    en: str

    def __str__(self) -> str:
        tag = {"error": "错误 ERROR", "warning": "警告 WARNING", "info": "提示 INFO"}[self.severity]
        return (f"[{tag}] {visible(self.file)}, 行 row {visible(self.row)}, 列 column {visible(self.column)}, "
                f"值 value {visible(self.value)}: {visible(self.zh, 4 * MAX_SHOWN)} / {visible(self.en, 4 * MAX_SHOWN)}")


def problem(severity: str, rule: str, zh: str, en: str, file: object = "—", row: object = "—",
            column: object = "—", value: object = "—") -> Problem:
    """Build a :class:`Problem`, turning locations into text (NaN/None become ``'—'``)."""
    def txt(x: object) -> str:
        if x is None or (isinstance(x, float) and x != x):
            return "—"
        return str(x)

    if severity not in SEVERITIES:
        raise ParameterError(bi(f"未知严重程度 {severity!r}（可选 {SEVERITIES}）",
                                f"unknown severity {severity!r} (choose from {SEVERITIES})"))
    return Problem(severity, rule, txt(file), txt(row), txt(column), txt(value), zh, en)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a table (one row each), for notebooks and the CLI."""
    cols = ["severity", "rule", "file", "row", "column", "value", "zh", "en"]
    return pd.DataFrame([asdict(p) for p in problems], columns=cols)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
