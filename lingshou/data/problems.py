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


#: Invisible characters met in names copied from web pages and Word files, by name.
INVISIBLE_NAMES = {"\u200b": ("零宽空格", "zero-width space"), "\ufeff": ("字节顺序标记 BOM", "byte order mark (BOM)"),
                   "\u200c": ("零宽不连字", "zero-width non-joiner"), "\u200d": ("零宽连字", "zero-width joiner"),
                   "\u2060": ("零宽不换行符", "word joiner"), "\u00ad": ("软连字符", "soft hyphen")}


def _invisible(c: str) -> bool:
    return unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c != " "


def without_invisible(text: str) -> str:
    """``text`` without its control and invisible characters (what a reader sees)."""
    return "".join(c for c in text if not _invisible(c))


def invisible_problem(raw: str, found: str, what: tuple[str, str], **where) -> Problem:
    """An error for a name that is ``found`` once its invisible characters are gone (a BOM or zero-width
    space pasted into 灵寿县): the characters named, and what to delete — not an alias to add."""
    chars = list(dict.fromkeys(c for c in raw if _invisible(c)))
    zh = "、".join(f"<U+{ord(c):04X}>" + (f"（{INVISIBLE_NAMES[c][0]}）" if c in INVISIBLE_NAMES else "") for c in chars)
    en = ", ".join(f"<U+{ord(c):04X}>" + (f" ({INVISIBLE_NAMES[c][1]})" if c in INVISIBLE_NAMES else "") for c in chars)
    return problem("error", "invisible_character",
                   f"{what[0]}中有看不见的字符 {zh}，去掉后即为“{found}”：请在文件中删去该字符",
                   f"the {what[1]} holds an invisible character {en}; without it, it reads {found}: delete the character "
                   "in the file", **where)


def visible(text: object, limit: int = MAX_SHOWN) -> str:
    """``text`` as it can be printed safely: control and invisible characters (ESC, CR, zero-width space, BOM)
    shown as ``<U+XXXX>`` — a data cell can neither rewrite the terminal line nor hide inside a name — and
    the text cut after ``limit`` characters, saying how long it was."""
    s = str(text)
    shown = "".join(f"<U+{ord(c):04X}>" if _invisible(c) else c for c in s[:limit])
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
