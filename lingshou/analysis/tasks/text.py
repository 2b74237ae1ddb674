"""The task progress section read in Chinese and English (its sentences are data in ``text.yaml`` beside this
module), and the tables the report prints."""
from __future__ import annotations

import datetime as _dt

import pandas as pd

from lingshou.analysis.tasks.table import STATE_ORDER, TASK_PROGRESS_FILE, TASK_SUMMARY_FILE, TASK_UNITS_FILE
from lingshou.i18n import Text, check_lang
from lingshou.plan.progress import STATUS_CODE_LABELS
from lingshou.plan.tasks import STAGES
from lingshou.yamlfile import load_phrases

#: How many overdue items the prose names.
NAMED = 5


#: The sentences, ``key -> Text`` (text.yaml).
PHRASES = load_phrases(__file__)


def _say(key: str, **values) -> Text:
    return PHRASES[key].format(**values)


def _date(d: _dt.date) -> Text:
    return _say("date", year=d.year, month=d.month, day=d.day, iso=d.isoformat())


def _state_counts(progress: pd.DataFrame) -> Text:
    counts = progress["state"].value_counts()
    return PHRASES["list_sep"].join(_say("state_count", state=Text(*STATUS_CODE_LABELS[s]), n=int(counts[s]))
                                    for s in STATE_ORDER if counts.get(s, 0))


def _named_overdue(progress: pd.DataFrame) -> Text:
    od = progress[progress["overdue"]].head(NAMED)
    return PHRASES["item_sep"].join(_say("overdue.item", item=r.item_id, title=r.title, lead=Text(r.lead_unit, r.lead_unit_en),
                                         due=r.due) for r in od.itertuples(index=False))


def _without_returns(progress: pd.DataFrame, county: str, date: Text) -> tuple[Text, list[Text]]:
    """Headline and paragraph before any department returns: the deadlines only, never a progress."""
    n_tasks, n_items = progress["task"].nunique(), len(progress)
    n_passed = int(progress["due_passed"].sum())
    inferred = int((progress["due_passed"] & progress["due_basis"].str.startswith("stage")).sum())
    stages = progress.groupby("stage", sort=False).size()
    listed = PHRASES["list_sep"].join(_say("stage_count", stage=s, n=int(stages[s]), number=i + 1)
                                      for i, s in enumerate(STAGES) if s in stages.index)
    return (_say("none.headline", n_tasks=n_tasks, n_items=n_items, n_passed=n_passed),
            [_say("none.paragraph", county=county, n_tasks=n_tasks, n_items=n_items, stages=listed, date=date,
                  n_passed=n_passed, inferred=inferred)])


def _with_returns(progress: pd.DataFrame, by_unit: pd.DataFrame, date: Text) -> tuple[Text, list[Text]]:
    """Headline and paragraphs once departments return: the states, the overdue items, the departments behind."""
    n_tasks, n_items, n_overdue = progress["task"].nunique(), len(progress), int(progress["overdue"].sum())
    latest = sorted(progress.loc[progress["period"] != "", "period"])[-1]
    headline = _say("returned.headline", n_items=n_items, n_done=int((progress["state"] == "done").sum()),
                    n_overdue=n_overdue, date=date)
    paragraph = _say("returned.paragraph", date=date, period=latest, n_tasks=n_tasks, n_items=n_items,
                     states=_state_counts(progress), n_overdue=n_overdue)
    paragraph += _say("returned.for_example", items=_named_overdue(progress)) if n_overdue else _say("full_stop")
    paragraphs = [paragraph]
    worst = by_unit[by_unit["n_overdue"] > 0].sort_values("n_overdue", ascending=False, kind="stable").head(3)
    if len(worst):
        paragraphs.append(_say("worst", units=PHRASES["item_sep"].join(
            _say("worst.unit", unit=Text(r.department, r.department_en), n_overdue=r.n_overdue, n_items=r.n_items)
            for r in worst.itertuples(index=False))))
    return headline, paragraphs


def describe_progress(progress: pd.DataFrame, by_unit: pd.DataFrame, county: str, as_of: _dt.date,
                      returned: bool, default_plan: str | None = None) -> dict:
    """Headline, paragraphs and notes of the task progress section (``{"zh": …, "en": …}`` each).

    Parameters
    ----------
    progress : DataFrame
        :func:`~lingshou.analysis.tasks.table.task_progress`.
    by_unit : DataFrame
        :func:`~lingshou.analysis.tasks.table.progress_by_unit`.
    returned : bool
        Whether any department has returned progress; without, the section says so and reads only the
        deadlines — it never states a progress nobody reported.
    default_plan : str, optional
        The title of the default plan when the county has none of its own: the notes then say that the
        tasks are that plan's, a reference, not the county's own.
    """
    date = _date(as_of)
    headline, paragraphs = (_with_returns(progress, by_unit, date) if returned else
                            _without_returns(progress, county, date))
    notes = [_say("note.deadlines"), _say("note.states")]
    if default_plan:
        notes.insert(0, _say("note.default_plan", county=county, plan=default_plan))
    return {"headline": headline.both(),
            "paragraphs": {lang: [t.pick(lang) for t in paragraphs] for lang in ("zh", "en")},
            "notes": {lang: [t.pick(lang) for t in notes] for lang in ("zh", "en")}}


def summary_parts(progress: pd.DataFrame, by_task: pd.DataFrame, by_unit: pd.DataFrame, lang: str = "zh",
                  returned: bool = True) -> dict:
    """Tables (with the columns the report prints, in ``lang``) and key numbers for the summary.

    Without returns (``returned=False``) the tables show what the plan says — units, deadlines, deadlines
    passed — and no state column (every state would read 无报送).
    """
    check_lang(lang)
    en = lang == "en"
    lead = "lead_unit_en" if en else "lead_unit"
    if returned:
        item = (["item_id", "title", lead, "due", f"state_{lang}", "period", f"flag_{lang}"],
                {"zh": ["编号", "具体措施", "牵头单位", "完成时限", "状态", "报送期", "逾期"],
                 "en": ["No.", "Measure (plan text)", "Lead unit", "Deadline", "State", "Period", "Overdue"]})
        task = (["n_items", "n_done", "n_in_progress", "n_not_started", "n_late", "n_no_return", "n_overdue"],
                {"zh": ["措施", "已完成", "推进中", "未启动", "滞后", "无报送", "逾期"],
                 "en": ["Items", "Done", "Under way", "Not begun", "Behind", "No return", "Overdue"]})
        unit = (["n_items", "n_lead", "n_shared", "n_done", "n_no_return", "n_overdue", "n_returned"],
                {"zh": ["措施", "牵头", "参与", "已完成", "无报送", "逾期", "本单位已报"],
                 "en": ["Items", "Leads", "Shares", "Done", "No return", "Overdue", "Returned"]})
    else:
        item = (["item_id", "title", lead, "responsible_units_en" if en else "responsible_units", "due", f"flag_{lang}"],
                {"zh": ["编号", "具体措施", "牵头单位", "责任单位", "完成时限", "逾期"],
                 "en": ["No.", "Measure (plan text)", "Lead unit", "Responsible units", "Deadline", "Overdue"]})
        task = (["n_items", "n_due_passed", "due"], {"zh": ["措施", "已过时限", "最晚时限"], "en": ["Items", "Past deadline", "Last deadline"]})
        unit = (["n_items", "n_lead", "n_shared", "n_due_passed"],
                {"zh": ["措施", "牵头", "参与", "已过时限"], "en": ["Items", "Leads", "Shares", "Past deadline"]})
    task_cols = ["task", "task_title_en" if en else "task_title", lead] + task[0]
    task_labels = {k: (["任务", "名称", "牵头单位"] if k == "zh" else ["Task", "Title", "Lead unit"]) + v for k, v in task[1].items()}
    unit_cols = ["department_en" if en else "department"] + unit[0]
    unit_labels = {k: (["单位"] if k == "zh" else ["Department"]) + v for k, v in unit[1].items()}
    return {
        "tables": [
            {"file": TASK_SUMMARY_FILE, "caption": _say("caption.tasks").both(),
             "columns": task_cols, "labels": task_labels, "max_rows": len(by_task)},
            {"file": TASK_PROGRESS_FILE, "caption": _say("caption.items").both(),
             "columns": item[0], "labels": item[1], "max_rows": len(progress), "text": ["item_id", "period"]},
            {"file": TASK_UNITS_FILE, "caption": _say("caption.units").both(),
             "columns": unit_cols, "labels": unit_labels, "max_rows": len(by_unit)},
        ],
        "numbers": {"n_tasks": int(progress["task"].nunique()), "n_items": int(len(progress)),
                    "n_overdue": int(progress["overdue"].sum()), "n_due_passed": int(progress["due_passed"].sum()),
                    **{f"n_{s}": int((progress["state"] == s).sum()) for s in STATE_ORDER}},
    }
