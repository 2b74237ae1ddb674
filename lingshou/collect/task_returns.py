"""Reading the task sheets of the returns, checking every cell, and appending them to the progress history.

:func:`read_task_sheet` finds a sheet by its headers (措施编号 and 进展状态, as the form writes them, also when a
department moved the columns or copied the table into another workbook) and checks every row at once: the
item exists in the plan, the department leads or shares its task, the status is one of the list, the date
is a real date within the plan and not in the future, no text is longer than its limit, an item appears once.
Text is neutralised against formula injection.

:func:`merge_history` compares the clean rows with the county's history
(:mod:`lingshou.plan.progress`): a row already there is not repeated; the same department, item and period
returned again with other content is a *conflict*, listed with both versions and not stored — unless the
collector passes ``amend``, which appends the new version naming the one it corrects.  Nothing is ever
overwritten.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from pathlib import Path

import pandas as pd

from lingshou.collect.task_form import ROLE_LABELS, TASK_COLUMNS, TEXT_LIMITS
from lingshou.data.catalogue import normalise_text
from lingshou.data.problems import Problem, problem
from lingshou.data.safe import neutralise_text
from lingshou.plan.progress import CONTENT_COLUMNS, HISTORY_COLUMNS, TASK_STATUSES

#: Columns of the rows read from one return (the history's, without what ``collect`` adds when storing).
RETURN_COLUMNS = ["file", "row", "task", "item", "department", "role", "status", "done", "evidence",
                  "evidence_date", "problems", "next_step", "contact"]
CONFLICT_COLUMNS = ["task", "item", "department", "period", "column", "stored", "returned", "stored_file",
                    "stored_received", "file", "row"]
_HEADERS = {normalise_text(h).lower(): role for h, en, _w, role, _i in TASK_COLUMNS}
_HEADERS.update({normalise_text(en).lower(): role for _h, en, _w, role, _i in TASK_COLUMNS})
_HEADERS.update({"状态": "status", "进展情况": "done", "佐证材料": "evidence", "联系人": "contact", "措施": "text"})
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_ITEM = re.compile(r"^(\d{1,3})\s*[.．-]\s*(\d{1,3})$")


def _text(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return unicodedata.normalize("NFKC", str(cell)).strip()


def header_roles(row: list) -> dict[str, int]:
    """Column index of every role a header row names (``{}`` when it is not a task sheet's header)."""
    roles: dict[str, int] = {}
    for j, cell in enumerate(row):
        key = normalise_text(_text(cell)).lower()
        role = _HEADERS.get(key) or ("evidence" if key.startswith("佐证材料") else None)
        if role:
            roles.setdefault(role, j)
    return roles if {"item", "status"} <= set(roles) else {}


def task_grids(path: Path) -> list[tuple[str, list[list]]]:
    """``(path#sheet, rows)`` of every visible sheet of a return (cells typed: dates as dates, formulas as text)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, data_only=False)
        except Exception:  # reported as 'unreadable' by lingshou.data.read
            return []
        return [(f"{path}#{ws.title}", [list(r) for r in ws.iter_rows(values_only=True)])
                for ws in wb.worksheets if ws.sheet_state == "visible"]
    from lingshou.data.read import read_sheets

    sheets, _ = read_sheets(path)
    return [(f"{s.file}#{s.name}" if s.name else s.file, s.rows) for s in sheets]


def parse_date(cell: object) -> _dt.date | None:
    """A date from a date cell or a text ``2024-09-30``, ``2024/9/30``, ``2024年9月30日``; None when it is none."""
    if isinstance(cell, _dt.datetime):
        return cell.date()
    if isinstance(cell, _dt.date):
        return cell
    m = _DATE.match(_text(cell))
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# long: one pass over the rows of a sheet with every check of a row in turn (~70 lines); each check is a few lines.
def read_task_sheet(where: str, grid: list[list], department: str | None, items: pd.DataFrame,
                    roles: pd.DataFrame, plan_start: _dt.date, today: _dt.date) -> tuple[pd.DataFrame, list[Problem]]:
    """The progress rows of one task sheet and every problem of it.

    Parameters
    ----------
    where : str
        ``path#sheet``, as messages name it.
    grid : list of list
        The sheet's cells.
    department : str or None
        The returning department (None when unknown: the rows are checked, the role is not).
    items : DataFrame
        The plan's items (``task``, ``item``).
    roles : DataFrame
        :func:`lingshou.plan.tasks.task_roles` of the plan.
    plan_start, today : date
        An evidence date must lie within these.

    Returns
    -------
    (DataFrame, list of Problem)
        :data:`RETURN_COLUMNS` of the rows without error that carry a status; rows left blank are not
        returns and are skipped.
    """
    header_idx = next((i for i, r in enumerate(grid[:30]) if header_roles(r)), None)
    if header_idx is None:
        return pd.DataFrame(columns=RETURN_COLUMNS), []
    cols = header_roles(grid[header_idx])
    heads = [_text(c) for c in grid[header_idx]]
    known = set(zip(items["task"].astype(int), items["item"].astype(int)))
    role_of = {(int(t), d): r for t, d, r in roles.itertuples(index=False)}
    rows, probs, seen = [], [], {}
    inputs = ("status", "done", "evidence", "evidence_date", "problems", "next_step", "contact")
    for i in range(header_idx + 1, len(grid)):
        raw = grid[i]

        def cell(role: str):
            j = cols.get(role)
            return raw[j] if j is not None and j < len(raw) else None

        def say(severity: str, rule: str, zh: str, en: str, role: str, value: object) -> None:
            probs.append(problem(severity, rule, zh, en, file=where, row=i + 1,
                                 column=heads[cols[role]] if role in cols else role, value=neutralise_text(_text(value))))

        given = {r: cell(r) for r in inputs}
        if not any(_text(v) for v in given.values()):
            continue
        bad = False
        m = _ITEM.match(_text(cell("item")))
        key = (int(m.group(1)), int(m.group(2))) if m else None
        if key is None or key not in known:
            say("error", "unknown_item", "方案中没有该措施编号（应为 任务.措施，如 1.2）", "the plan has no such item (expected task.item, e.g. 1.2)",
                "item", cell("item"))
            bad = True
        elif department is not None and (key[0], department) not in role_of:
            say("error", "not_responsible", f"{department} 既不牵头也不参与任务 {key[0]}，不能报送其进展",
                f"{department} neither leads nor shares task {key[0]} and cannot report its progress", "item", cell("item"))
            bad = True
        elif key in seen:
            say("error", "duplicate_item", f"措施 {key[0]}.{key[1]} 在第 {seen[key]} 行已填报", f"item {key[0]}.{key[1]} is already given in row {seen[key]}",
                "item", cell("item"))
            bad = True
        if key is not None:
            seen.setdefault(key, i + 1)
        status = _text(given["status"])
        if status not in TASK_STATUSES:
            say("error", "task_status", f"进展状态应为 {'、'.join(TASK_STATUSES)} 之一" + ("（不能为空）" if not status else ""),
                f"the status must be one of {', '.join(code[1] for code in TASK_STATUSES.values())}" + (" (it is blank)" if not status else ""),
                "status", given["status"])
            bad = True
        date = None
        if _text(given["evidence_date"]):
            date = parse_date(given["evidence_date"])
            if date is None:
                say("error", "task_date", "佐证日期不是有效日期（如 2024-09-30）", "the evidence date is not a real date (e.g. 2024-09-30)",
                    "evidence_date", given["evidence_date"])
            elif date < plan_start:
                say("error", "task_date_early", f"佐证日期早于方案开始（{plan_start.isoformat()}）",
                    f"the evidence date lies before the plan began ({plan_start.isoformat()})", "evidence_date", date.isoformat())
            elif date > today:
                say("error", "task_date_future", f"佐证日期晚于今天（{today.isoformat()}）", f"the evidence date lies in the future (today is {today.isoformat()})",
                    "evidence_date", date.isoformat())
            bad = bad or date is None or not plan_start <= date <= today
        for role, limit in TEXT_LIMITS.items():
            if len(_text(given[role])) > limit:
                say("error", "task_text_long", f"文字过长（{len(_text(given[role]))} 字，上限 {limit} 字）",
                    f"text too long ({len(_text(given[role]))} characters, at most {limit})", role, _text(given[role])[:40] + "…")
                bad = True
        if status == "已完成" and not _text(given["evidence"]):
            say("warning", "evidence_missing", "已完成的措施应附佐证材料", "a completed item should name its evidence", "evidence", "")
        if bad:
            continue
        rows.append({"file": where, "row": i + 1, "task": key[0], "item": key[1], "department": department,
                     "role": role_of.get((key[0], department), ""), "status": status,
                     "evidence_date": date.isoformat() if date else "",
                     **{r: neutralise_text(_text(given[r])) for r in ("done", "evidence", "problems", "next_step", "contact")}})
    return pd.DataFrame(rows, columns=RETURN_COLUMNS), probs


def version_of(row) -> str:
    """A short content hash of a return row (its :data:`~lingshou.plan.progress.CONTENT_COLUMNS`)."""
    text = "\x1f".join(str(row[c]) for c in CONTENT_COLUMNS)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def merge_history(history: pd.DataFrame, returns: pd.DataFrame, county: str, period: str, received: str,
                  amend: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows to append to the history, and the conflicts with it.

    Parameters
    ----------
    history : DataFrame
        :data:`~lingshou.plan.progress.HISTORY_COLUMNS` as stored.
    returns : DataFrame
        :data:`RETURN_COLUMNS` of this collection.
    county, period, received : str
        Stored with each new row (``received``: the date of the collection).
    amend : bool
        Store a changed return of a period already stored as a new version (naming the version it amends)
        instead of listing it as a conflict.

    Returns
    -------
    (DataFrame, DataFrame)
        New rows (:data:`HISTORY_COLUMNS`; a return equal to the stored latest version is not repeated) and
        conflicts (:data:`CONFLICT_COLUMNS`, one row per differing column).
    """
    h = history[(history["county"] == county) & (history["period"] == period)]
    latest = {(int(r.task), int(r.item), r.department): r for r in h.itertuples(index=False)}
    new, conflicts = [], []
    for r in returns.to_dict("records"):
        r = {**r, "version": version_of(r)}
        old = latest.get((r["task"], r["item"], r["department"]))
        if old is not None and old.version == r["version"]:
            continue
        if old is not None and not amend:
            for c in CONTENT_COLUMNS:
                if str(getattr(old, c)) != str(r[c]):
                    conflicts.append({"task": r["task"], "item": r["item"], "department": r["department"], "period": period,
                                      "column": c, "stored": getattr(old, c), "returned": r[c], "stored_file": old.file,
                                      "stored_received": old.received, "file": r["file"], "row": r["row"]})
            continue
        new.append({**{c: r.get(c, "") for c in HISTORY_COLUMNS}, "county": county, "period": period,
                    "file": Path(str(r["file"]).split("#")[0]).name, "received": received,
                    "amends": old.version if old is not None else ""})
    return (pd.DataFrame(new, columns=HISTORY_COLUMNS).astype(str),
            pd.DataFrame(conflicts, columns=CONFLICT_COLUMNS))


def role_label(role: str, lang: str = "zh") -> str:
    """牵头 / 责任 (lead / responsible)."""
    zh, en = ROLE_LABELS.get(role, (role, role))
    return zh if lang == "zh" else en


def read_task_returns(files: dict, plan, known, today: _dt.date | None = None) -> tuple[pd.DataFrame, list[Problem], set[str]]:
    """The task progress of every returned file.

    Parameters
    ----------
    files : dict
        Path → the department that returned it (None when unknown).
    plan : Plan
        The county's plan (its tasks and items).
    known : iterable of str
        The department names (``departments.csv``), to canonicalise the plan's unit names.

    Returns
    -------
    (DataFrame, list of Problem, set of str)
        :data:`RETURN_COLUMNS` of every clean row, the problems, and the sheets read as task sheets
        (``path#sheet``; the figure loader's layout messages on them are not the department's problem).
    """
    from lingshou.plan.tasks import task_roles

    today = today or _dt.date.today()
    if plan is None or not len(plan.tasks):
        return pd.DataFrame(columns=RETURN_COLUMNS), [], set()
    roles = task_roles(plan.tasks, known)
    first = plan.meta.get("period", [None])[0] if isinstance(plan.meta.get("period"), (list, tuple)) else None
    start = _dt.date(int(first), 1, 1) if first else _dt.date(2000, 1, 1)
    frames, probs, sheets = [], [], set()
    for path, dept in files.items():
        for where, grid in task_grids(Path(path)):
            if not any(header_roles(r) for r in grid[:30]):
                continue
            sheets.add(where)
            rows, p = read_task_sheet(where, grid, dept, plan.items, roles, start, today)
            frames.append(rows)
            probs += p
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=RETURN_COLUMNS)
    return out, probs, sheets
