"""Progress of the plan's tasks as returned by the departments: reporting periods, the append-only history,
and the current state derived from it.

A department returns, for every item of a task it leads or shares, a status (:data:`TASK_STATUSES`), what
was done, the evidence and the next step — once per reporting period (:func:`parse_period`: a quarter
``2024Q3`` by default, or a half-year ``2024H1``, a month ``2024-09``, a year ``2024``).  ``lingshou collect``
appends the returns to one file per county, ``raw/progress/task_progress_<county>.csv``
(:data:`HISTORY_COLUMNS`): a row is never changed or removed; a corrected return is a new row that names
the version it amends.  :func:`current_state` derives what holds now: per item and department the latest
version of the latest period; per item the lead unit's, else the latest of a responsible unit.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lingshou.errors import DataError, ParameterError
from lingshou.i18n import bi

#: The status a department gives an item, with its code and English label (the form's list, in order).
TASK_STATUSES = {"未启动": ("not_started", "not started"), "推进中": ("in_progress", "in progress"),
                 "已完成": ("done", "completed"), "滞后": ("late", "behind schedule")}
#: Code of an item no department has returned on.
NO_RETURN = "no_return"
STATUS_CODE_LABELS = {**{code: (zh, en) for zh, (code, en) in TASK_STATUSES.items()}, NO_RETURN: ("无报送", "no return")}
PROGRESS_FOLDER = "progress"
HISTORY_COLUMNS = ["county", "period", "task", "item", "department", "role", "status", "done", "evidence",
                   "evidence_date", "problems", "next_step", "contact", "file", "received", "version", "amends"]
#: The text a department writes (compared when the same period is returned twice).
CONTENT_COLUMNS = ["status", "done", "evidence", "evidence_date", "problems", "next_step", "contact"]
_PERIOD = re.compile(r"^(?P<y>\d{4})(?:(?:-?Q(?P<q>[1-4]))|(?:-?H(?P<h>[12]))|(?:-(?P<m>0[1-9]|1[0-2])))?$")


@dataclass(frozen=True)
class Period:
    """A reporting period: its label (``2024Q3``) and first and last day."""

    label: str
    start: _dt.date
    end: _dt.date

    def text(self, lang: str = "zh") -> str:
        """``2024年第3季度`` / ``2024 Q3`` (likewise for half-years, months and years)."""
        m = _PERIOD.match(self.label)
        y, q, h, mo = m.group("y"), m.group("q"), m.group("h"), m.group("m")
        if q:
            return f"{y}年第{q}季度" if lang == "zh" else f"{y} Q{q}"
        if h:
            return (f"{y}年{'上' if h == '1' else '下'}半年") if lang == "zh" else f"{y} H{h}"
        if mo:
            return f"{y}年{int(mo)}月" if lang == "zh" else f"{y}-{mo}"
        return f"{y}年" if lang == "zh" else y


def parse_period(text: object) -> Period:
    """A reporting period from ``2024Q3`` (also ``2024-Q3``), ``2024H1``, ``2024-09`` or ``2024``.

    Examples
    --------
    ``2024Q3`` → 2024-07-01 … 2024-09-30; ``2024H1`` → 2024-01-01 … 2024-06-30.

    Raises
    ------
    ParameterError
        If the text is none of these forms.
    """
    s = str(text).strip().upper() if text is not None else ""
    m = _PERIOD.match(s)
    if not m:
        raise ParameterError(bi(f"报送期 {text!r} 无效：应为 2024Q3（季度）、2024H1（半年）、2024-09（月）或 2024（年）",
                                f"reporting period {text!r} is invalid: expected 2024Q3 (quarter), 2024H1 (half-year), "
                                "2024-09 (month) or 2024 (year)"))
    y = int(m.group("y"))
    if m.group("q"):
        first, last = 3 * int(m.group("q")) - 2, 3 * int(m.group("q"))
        label = f"{y}Q{m.group('q')}"
    elif m.group("h"):
        first, last = (1, 6) if m.group("h") == "1" else (7, 12)
        label = f"{y}H{m.group('h')}"
    elif m.group("m"):
        first = last = int(m.group("m"))
        label = f"{y}-{m.group('m')}"
    else:
        first, last, label = 1, 12, str(y)
    return Period(label, _dt.date(y, first, 1), _dt.date(y, last, calendar.monthrange(y, last)[1]))


def current_quarter(plan_period: tuple[int, int] | None = None, today: _dt.date | None = None) -> Period:
    """The quarter ``today`` lies in — the default reporting period of a form —, or the plan's last quarter
    once the plan has ended (its final return)."""
    today = today or _dt.date.today()
    if plan_period is not None and today.year > plan_period[1]:
        return parse_period(f"{plan_period[1]}Q4")
    return parse_period(f"{today.year}Q{(today.month - 1) // 3 + 1}")


def check_period(period: Period, plan_period: tuple[int, int], today: _dt.date | None = None) -> Period:
    """``period`` when it lies within the plan's years and has begun.

    Raises
    ------
    ParameterError
        A period before the plan's first year or after its last, or one that has not begun yet.
    """
    today = today or _dt.date.today()
    first, last = plan_period
    if period.end.year < first or period.start.year > last:
        raise ParameterError(bi(f"报送期 {period.label} 不在方案期 {first}–{last} 年内",
                                f"reporting period {period.label} lies outside the plan's years {first}–{last}"))
    if period.start > today:
        raise ParameterError(bi(f"报送期 {period.label} 尚未开始（今天是 {today.isoformat()}）",
                                f"reporting period {period.label} has not begun (today is {today.isoformat()})"))
    return period


def history_path(raw: Path, county: str) -> Path:
    """``<raw>/progress/task_progress_<county>.csv``."""
    return Path(raw) / PROGRESS_FOLDER / f"task_progress_{county}.csv"


def load_history(path: Path) -> pd.DataFrame:
    """The progress history of a county as text columns (an empty table when there is none).

    Raises
    ------
    DataError
        If the file lacks a column of :data:`HISTORY_COLUMNS`, or holds a status or period that is not valid
        (the file was edited by hand).
    """
    if not Path(path).exists():
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in HISTORY_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(bi(f"任务进展记录 {path} 缺少列 {missing}；该文件由 lingshou collect 追加写入，请勿改动格式",
                           f"the task progress history {path} lacks columns {missing}; lingshou collect appends to it, "
                           "keep its layout"))
    problems = []
    for i, r in enumerate(df.itertuples(index=False), start=2):
        if r.status not in TASK_STATUSES:
            problems.append(bi(f"{path} 第{i}行 status 列：{r.status!r} 不是有效状态", f"{path} row {i} column status: {r.status!r} is no valid status"))
        try:
            parse_period(r.period)
        except ParameterError:
            problems.append(bi(f"{path} 第{i}行 period 列：{r.period!r} 不是报送期", f"{path} row {i} column period: {r.period!r} is no reporting period"))
    if problems:
        raise DataError(bi(f"任务进展记录 {path} 有误", f"the task progress history {path} is invalid") + "\n" + "\n".join(problems))
    return df[HISTORY_COLUMNS]


def current_state(history: pd.DataFrame, lead_units: dict[int, str]) -> pd.DataFrame:
    """What holds now for every item that has a return.

    Parameters
    ----------
    history : DataFrame
        :data:`HISTORY_COLUMNS` (rows in the order they were appended).
    lead_units : dict
        Task number → its lead unit (canonical name).

    Returns
    -------
    DataFrame
        One row per (task, item): the columns of the chosen version plus ``status_code``, ``n_returns`` (rows
        of the history for the item) and ``reported_by_lead`` — the lead unit's latest return when it has
        one, else the latest return of a responsible unit.  Latest = latest period, then latest appended.
    """
    cols = HISTORY_COLUMNS + ["status_code", "n_returns", "reported_by_lead"]
    if history.empty:
        return pd.DataFrame(columns=cols)
    h = history.copy()
    h["_order"] = range(len(h))
    h["_end"] = h["period"].map(lambda p: parse_period(p).end)
    h["task"] = h["task"].astype(int)
    h["item"] = h["item"].astype(int)
    h = h.sort_values(["_end", "_order"], kind="stable")
    latest = h.groupby(["task", "item", "department"], sort=False).tail(1)
    latest = latest.assign(reported_by_lead=[lead_units.get(t) == d for t, d in zip(latest["task"], latest["department"])])
    latest = latest.sort_values(["reported_by_lead", "_end", "_order"], kind="stable")
    out = latest.groupby(["task", "item"], sort=True).tail(1).sort_values(["task", "item"])
    out = out.assign(status_code=out["status"].map(lambda s: TASK_STATUSES[s][0]),
                     n_returns=out.set_index(["task", "item"]).index.map(h.groupby(["task", "item"]).size()).to_numpy())
    return out[cols].reset_index(drop=True)
