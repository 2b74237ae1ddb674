"""The task measures in the 督导台账: the frames of its task blocks, in the columns county offices use for a
工作台账 / 任务分解表 (序号, 任务, 具体措施, 牵头单位, 责任单位, 完成时限, 进展情况, 存在问题, 下步打算), with the
state the departments returned and the overdue / no-return flags of :mod:`lingshou.analysis.tasks`.
"""
from __future__ import annotations

import pandas as pd

from lingshou.i18n import pick
from lingshou.report.tables import split_units
from lingshou.yamlfile import load_phrases

#: The blocks' own words (ledger_tasks.yaml): roles and flags.
PHRASES = load_phrases(__file__)

#: Header of each column of a task block, (zh, en).
TASK_LABELS = {
    "no": ("序号", "No."), "task_label": ("任务", "Task"), "text": ("具体措施", "Measure (plan text)"),
    "role": ("角色", "Role"), "lead_unit": ("牵头单位", "Lead unit"), "responsible_units": ("责任单位", "Responsible units"),
    "due": ("完成时限", "Deadline"), "state": ("状态", "State"), "done": ("进展情况", "Progress"),
    "problems": ("存在问题", "Problems"), "next_step": ("下步打算", "Next step"), "evidence": ("佐证材料", "Evidence"),
    "period": ("报送期", "Period"), "flag": ("提示", "Flag"),
    "department": ("单位", "Department"), "n_items": ("措施", "Measures"), "n_lead": ("牵头", "Leads"),
    "n_shared": ("参与", "Shares"), "n_done": ("已完成", "Completed"), "n_in_progress": ("推进中", "In progress"),
    "n_not_started": ("未启动", "Not started"), "n_late": ("滞后", "Behind"), "n_no_return": ("无报送", "No return"),
    "n_overdue": ("逾期", "Overdue"), "n_returned": ("本单位已报", "Returned by it"),
}
TASK_WIDTHS = {"no": 5, "task_label": 18, "text": 44, "role": 7, "lead_unit": 14, "responsible_units": 24, "due": 11,
               "state": 9, "done": 26, "problems": 18, "next_step": 18, "evidence": 18, "period": 9, "flag": 12,
               "department": 20}
ITEM_BLOCK = ["no", "task_label", "text", "lead_unit", "responsible_units", "due", "state", "done", "problems",
              "next_step", "evidence", "period", "flag"]
UNIT_BLOCK = ["department", "n_items", "n_lead", "n_shared", "n_done", "n_in_progress", "n_not_started", "n_late",
              "n_no_return", "n_overdue", "n_returned"]


def task_label(col: str, lang: str) -> str:
    zh, en = TASK_LABELS.get(col, (col, col))
    return pick(lang, zh, en)


def role_word(lead: bool, lang: str) -> str:
    """牵头 / 责任 (lead / responsible): a department's role in a target or measure."""
    return PHRASES["role.lead" if lead else "role.responsible"].pick(lang)


def _flags(p: pd.DataFrame, lang: str) -> list[str]:
    """Each measure's flags: overdue, no return, both (joined) or none."""
    words = {key: PHRASES[key].pick(lang) for key in ("flag.overdue", "flag.no_return", "flag.sep")}
    overdue = p["overdue"].astype(str).isin(["True", "true"])
    no_return = p["state"] == "no_return"
    return [words["flag.sep"].join(([words["flag.overdue"]] if o else []) + ([words["flag.no_return"]] if n else []))
            for o, n in zip(overdue, no_return)]


def item_rows(progress: pd.DataFrame, lang: str, department: str | None = None) -> pd.DataFrame:
    """The measures as ledger rows: every one, or those ``department`` leads or shares (then with its role).

    Parameters
    ----------
    progress : DataFrame
        The ``tables/task_progress.csv`` of the task notebook (:func:`lingshou.analysis.tasks.task_progress`).
    """
    p = progress
    if department is not None:
        lead = p["lead_unit"].astype(object).fillna("") == department
        shared = p["responsible_units"].astype(object).fillna("").map(lambda v: department in split_units(v)) & ~lead
        p = p[lead | shared].assign(role=[role_word(x, lang) for x in lead[lead | shared]])
    p = p.astype(object).fillna("")  # the rows shown only: a department's few, not every measure each time
    title = p["task_title"] if lang == "zh" else p["task_title_en"]
    out = pd.DataFrame({
        "no": p["item_id"].astype(str), "task_label": p["task"].astype(str) + ". " + title.astype(str),
        "text": p["text"], "lead_unit": p["lead_unit"] if lang == "zh" else p["lead_unit_en"],
        "responsible_units": p["responsible_units"] if lang == "zh" else p["responsible_units_en"], "due": p["due"],
        "state": p["state_zh"] if lang == "zh" else p["state_en"], "done": p["done"], "problems": p["problems"],
        "next_step": p["next_step"], "evidence": p["evidence"], "period": p["period"].astype(str),
        "flag": _flags(p, lang),
    })
    if department is not None:
        out.insert(3, "role", p["role"].to_numpy())
    return out.reset_index(drop=True)


def overdue_rows(progress: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The overdue measures (deadline passed, not completed), for the summary sheet."""
    od = progress[progress["overdue"].astype(str).isin(["True", "true"])]
    return item_rows(od, lang)[["no", "task_label", "text", "lead_unit", "responsible_units", "due", "state", "period"]]


def unit_rows(by_unit: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Counts of measures by department and state (``tables/task_by_unit.csv``)."""
    out = by_unit[UNIT_BLOCK].copy()
    if lang == "en" and "department_en" in by_unit:
        out["department"] = by_unit["department_en"]
    return out


def departments(progress: pd.DataFrame) -> list[str]:
    """Every department the measures name as lead or responsible unit, leads first, in order of appearance."""
    leads = list(dict.fromkeys(progress["lead_unit"].astype(str)))
    shared = [u for v in progress["responsible_units"].fillna("") for u in split_units(v)]
    return list(dict.fromkeys(leads + shared))
