"""A problem found in the data: where it is (file, row, column, value) and what is wrong, in Chinese and English."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from lingshou.errors import ParameterError
from lingshou.i18n import bi

SEVERITIES = ("error", "warning", "info")


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
        return f"[{tag}] {self.file}, 行 row {self.row}, 列 column {self.column!s}, 值 value {self.value!s}: {self.zh} / {self.en}"


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
