"""The task progress tables: one row per item, per task and per department."""
from __future__ import annotations

import datetime as _dt

import pandas as pd

from lingshou.plan.progress import NO_RETURN, STATUS_CODE_LABELS, current_state, history_path, load_history, parse_period
from lingshou.plan.tasks import STAGES, STAGES_EN, UNIT_SEP, canonical_unit, task_roles

TASK_PROGRESS_FILE = "tables/task_progress.csv"
TASK_SUMMARY_FILE = "tables/task_summary.csv"
TASK_UNITS_FILE = "tables/task_by_unit.csv"
#: States in the order a roll-up counts them.
STATE_ORDER = ("done", "in_progress", "not_started", "late", NO_RETURN)
PROGRESS_COLUMNS = ["task", "item", "item_id", "section", "task_title", "task_title_en", "title", "text", "stage",
                    "stage_en", "due", "due_basis", "lead_unit", "lead_unit_en", "responsible_units", "responsible_units_en", "state", "state_zh", "state_en",
                    "period", "reported_by", "done", "evidence", "evidence_date", "problems", "next_step", "contact",
                    "due_passed", "overdue", "flag_zh", "flag_en"]


def load_progress(folder, county: str) -> pd.DataFrame:
    """The county's progress history in a data folder (empty when nothing was returned yet)."""
    h = load_history(history_path(folder.raw, county))
    return h[h["county"] == county].reset_index(drop=True)


def as_of_date(history: pd.DataFrame, year: int) -> _dt.date:
    """The date progress is judged at: the end of the latest period returned, else the end of ``year``.

    Not the day the report runs, so that a report is the same whenever it is made from the same data.
    """
    if history.empty:
        return _dt.date(int(year), 12, 31)
    return max(parse_period(p).end for p in history["period"])




def task_progress(plan, history: pd.DataFrame, known, as_of: _dt.date, names_en: dict | None = None) -> pd.DataFrame:
    """Every item of the plan with its current state.

    Parameters
    ----------
    plan : Plan
        With ``tasks`` and ``items`` (:mod:`lingshou.plan.tasks`).
    history : DataFrame
        The county's progress history (:func:`load_progress`).
    known : iterable of str
        Department names, to canonicalise the plan's units.
    as_of : date
        Deadlines before this date have passed.
    names_en : dict, optional
        Department → English name (``Catalogue.departments_en``) for ``lead_unit_en``.

    Returns
    -------
    DataFrame
        :data:`PROGRESS_COLUMNS`, overdue items first, then by stage, task and item.  ``state`` is a code of
        :data:`STATE_ORDER` (``no_return`` when no department returned on the item); ``reported_by`` is the
        department whose return gives the state; ``overdue`` = deadline passed and not ``done`` (an item
        without a return whose deadline has passed is overdue too: nobody has reported it done); ``flag_zh`` /
        ``flag_en`` say 逾期 / overdue.
    """
    if plan is None or not len(plan.tasks):
        return pd.DataFrame(columns=PROGRESS_COLUMNS)
    known = list(known)
    t = plan.tasks.set_index("task")
    leads = {int(k): canonical_unit(v, known) for k, v in t["lead_unit"].items()}
    state = current_state(history, leads).set_index(["task", "item"]) if not history.empty else None
    rows = []
    for r in plan.items.itertuples(index=False):
        key = (int(r.task), int(r.item))
        got = state.loc[key] if state is not None and key in state.index else None
        code = got["status_code"] if got is not None else NO_RETURN
        resp = [canonical_unit(u, known) for u in t.at[key[0], "responsible_units"]]
        passed = _dt.date.fromisoformat(r.due) < as_of
        overdue = passed and code != "done"
        returned = {c: (str(got[c]) if got is not None else "") for c in
                    ("period", "done", "evidence", "evidence_date", "problems", "next_step", "contact")}
        rows.append({
            "task": key[0], "item": key[1], "item_id": f"{key[0]}.{key[1]}", "section": t.at[key[0], "section"],
            "task_title": t.at[key[0], "title"], "task_title_en": t.at[key[0], "title_en"], "title": r.title,
            "text": r.text, "stage": r.stage, "stage_en": STAGES_EN.get(r.stage, r.stage), "due": r.due,
            "due_basis": r.due_basis, "lead_unit": leads[key[0]],
            "lead_unit_en": (names_en or {}).get(leads[key[0]], leads[key[0]]),
            "responsible_units": UNIT_SEP.join(resp),
            "responsible_units_en": "; ".join((names_en or {}).get(u, u) for u in resp),
            "state": code, "state_zh": STATUS_CODE_LABELS[code][0], "state_en": STATUS_CODE_LABELS[code][1],
            "reported_by": str(got["department"]) if got is not None else "", **returned,
            "due_passed": passed, "overdue": overdue, "flag_zh": "逾期" if overdue else "",
            "flag_en": "overdue" if overdue else "",
        })
    out = pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
    stage_rank = out["stage"].map({s: i for i, s in enumerate(STAGES)}).fillna(len(STAGES))
    order = pd.DataFrame({"o": ~out["overdue"], "s": stage_rank, "t": out["task"], "i": out["item"]})
    return out.loc[order.sort_values(["o", "s", "t", "i"], kind="stable").index].reset_index(drop=True)


def _counts(frame: pd.DataFrame) -> dict:
    counts = frame["state"].value_counts()
    return {**{f"n_{s}": int(counts.get(s, 0)) for s in STATE_ORDER}, "n_overdue": int(frame["overdue"].sum()),
            "n_due_passed": int(frame["due_passed"].sum())}


def progress_by_task(progress: pd.DataFrame) -> pd.DataFrame:
    """One row per task: its title and lead unit, the number of items per state, overdue items, last deadline."""
    rows = []
    for task, g in progress.groupby("task", sort=True):
        first = g.iloc[0]
        rows.append({"task": int(task), "task_title": first["task_title"], "task_title_en": first["task_title_en"],
                     "lead_unit": first["lead_unit"], "lead_unit_en": first["lead_unit_en"], "n_items": len(g), **_counts(g), "due": max(g["due"])})
    cols = ["task", "task_title", "task_title_en", "lead_unit", "lead_unit_en", "n_items"] + [f"n_{s}" for s in STATE_ORDER] + ["n_overdue", "n_due_passed", "due"]
    return pd.DataFrame(rows, columns=cols)


def progress_by_unit(progress: pd.DataFrame, plan, known, history: pd.DataFrame | None = None,
                     names_en: dict | None = None) -> pd.DataFrame:
    """One row per department that leads or shares a task: items it leads and shares, per state, overdue, and
    ``n_returned`` — the items it has returned on itself (any period of ``history``).

    A group named as a unit (科技创新工作领导小组成员单位) is listed as the text writes it.
    """
    returned = (history.drop_duplicates(["task", "item", "department"]).groupby("department").size()
                if history is not None and not history.empty else pd.Series(dtype=int))
    roles = task_roles(plan.tasks, list(known)) if plan is not None and len(plan.tasks) else pd.DataFrame(columns=["task", "department", "role"])
    rows = []
    for dept, g in roles.groupby("department", sort=False):
        mine = progress[progress["task"].isin(g["task"])]
        lead = set(g.loc[g["role"] == "lead", "task"])
        rows.append({"department": dept, "department_en": (names_en or {}).get(dept, dept), "n_items": len(mine), "n_lead": int(mine["task"].isin(lead).sum()),
                     "n_shared": int((~mine["task"].isin(lead)).sum()), **_counts(mine),
                     "n_returned": int(returned.get(dept, 0))})
    cols = ["department", "department_en", "n_items", "n_lead", "n_shared"] + [f"n_{s}" for s in STATE_ORDER] + ["n_overdue", "n_due_passed", "n_returned"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["n_lead", "n_items"], ascending=False, kind="stable").reset_index(drop=True)
