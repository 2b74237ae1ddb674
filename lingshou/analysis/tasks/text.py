"""The task progress section read in Chinese and English, and the tables the report prints."""
from __future__ import annotations

import datetime as _dt

import pandas as pd

from lingshou.analysis.tasks.table import STATE_ORDER, TASK_PROGRESS_FILE, TASK_SUMMARY_FILE, TASK_UNITS_FILE
from lingshou.i18n import check_lang
from lingshou.plan.progress import STATUS_CODE_LABELS
from lingshou.plan.tasks import STAGES

#: How many overdue items the prose names.
NAMED = 5


def _date(d: _dt.date, lang: str) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.isoformat()


def _state_counts(progress: pd.DataFrame, lang: str) -> str:
    counts = progress["state"].value_counts()
    sep = "、" if lang == "zh" else ", "
    parts = [(f"{STATUS_CODE_LABELS[s][0]} {int(counts[s])} 项" if lang == "zh" else f"{int(counts[s])} {STATUS_CODE_LABELS[s][1]}")
             for s in STATE_ORDER if counts.get(s, 0)]
    return sep.join(parts)


def _named_overdue(progress: pd.DataFrame, lang: str) -> str:
    od = progress[progress["overdue"]].head(NAMED)
    if lang == "zh":
        return "、".join(f"{r.item_id}“{r.title}”（{r.lead_unit}，{r.due}）" for r in od.itertuples(index=False))
    return "; ".join(f"{r.item_id} ({r.lead_unit_en}, due {r.due})" for r in od.itertuples(index=False))


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
    n_tasks, n_items = progress["task"].nunique(), len(progress)
    n_passed, n_overdue = int(progress["due_passed"].sum()), int(progress["overdue"].sum())
    inferred = int((progress["due_passed"] & progress["due_basis"].str.startswith("stage")).sum())
    d_zh, d_en = _date(as_of, "zh"), _date(as_of, "en")
    stages = progress.groupby("stage", sort=False).size()
    stage_zh = "、".join(f"{s} {int(stages[s])} 项" for s in STAGES if s in stages.index)
    stage_en = ", ".join(f"{int(stages[s])} in stage {i + 1}" for i, s in enumerate(STAGES) if s in stages.index)
    if not returned:
        headline = {"zh": f"重点任务：{n_tasks} 项任务、{n_items} 项措施尚无部门报送进展，{n_passed} 项已过完成时限。",
                    "en": f"Tasks: no department has returned progress on the {n_items} items of {n_tasks} tasks; "
                          f"{n_passed} are past their deadline."}
        zh = [f"{county}方案的“五、重点工作”有 {n_tasks} 项任务，分为 {n_items} 项具体措施（{stage_zh}）。截至{d_zh}，"
              "尚无部门通过填报表的“任务进展”表报送进展，因此本节不评价任何措施的完成情况，只列出各项措施的牵头单位、"
              f"责任单位和完成时限。其中 {n_passed} 项的完成时限已过（{inferred} 项的时限按方案阶段推定），应在下一报送期优先核实。"]
        en = [f"Part 5 (重点工作) of {county}'s plan has {n_tasks} tasks in {n_items} measures ({stage_en}). As of {d_en} no "
              "department has returned the task sheet of its return form, so this section judges no progress; it lists "
              f"each measure with its lead and responsible units and its deadline. {n_passed} deadlines have passed "
              f"({inferred} of them inferred from the plan's stages); they come first in the next reporting period."]
    else:
        latest = sorted(progress.loc[progress["period"] != "", "period"])[-1]
        headline = {"zh": f"重点任务：{n_items} 项措施中已完成 {int((progress['state'] == 'done').sum())} 项，逾期 {n_overdue} 项（截至{d_zh}）。",
                    "en": f"Tasks: {int((progress['state'] == 'done').sum())} of {n_items} measures completed, {n_overdue} overdue (as of {d_en})."}
        zh = [f"截至{d_zh}（最近报送期 {latest}），{n_tasks} 项任务的 {n_items} 项措施中：{_state_counts(progress, 'zh')}。"
              f"完成时限已过而未完成（含无报送）的逾期措施 {n_overdue} 项，排在表首"
              + (f"，如 {_named_overdue(progress, 'zh')}。" if n_overdue else "。")]
        en = [f"As of {d_en} (latest reporting period {latest}), of the {n_items} measures of {n_tasks} tasks: "
              f"{_state_counts(progress, 'en')}. {n_overdue} are overdue (deadline passed, not completed, including those "
              "without a return) and come first in the table" + (f", e.g. {_named_overdue(progress, 'en')}." if n_overdue else ".")]
        worst = by_unit[by_unit["n_overdue"] > 0].sort_values("n_overdue", ascending=False, kind="stable").head(3)
        if len(worst):
            zh.append("逾期措施最多的单位：" + "、".join(f"{r.department}（逾期 {r.n_overdue} 项，共负责 {r.n_items} 项措施）"
                                                   for r in worst.itertuples(index=False)) + "。")
            en.append("Departments with the most overdue measures: " + "; ".join(
                f"{r.department_en} ({r.n_overdue} overdue of {r.n_items})" for r in worst.itertuples(index=False)) + ".")
    notes = {"zh": ["完成时限：措施文字写明年份的（如“2022年度”）取该年年末；未写明的按方案阶段推定——第一部分组织建设类措施属第一阶段"
                    "（方案首年年末），其余属第三阶段 巩固提高（方案期末）。这是本项目对方案的解读，不是方案原文。",
                    "措施的状态取自牵头单位最近一期的报送，牵头单位未报送时取责任单位最近一期的报送；报送内容未经核实。"],
             "en": ["Deadlines: a measure whose text names its year (2022年度) is due at that year's end; the others take "
                    "the plan's stages — the organisational measures of part one belong to stage 1 (end of the plan's "
                    "first year), all others to stage 3 (end of the plan period). This reading is the project's "
                    "interpretation, not the plan's text.",
                    "A measure's state is the lead unit's latest return, else a responsible unit's latest; returns are "
                    "as the departments wrote them, not verified."]}
    if default_plan:
        notes["zh"].insert(0, f"{county}没有自己的方案文件：本节的任务和措施是默认方案（{default_plan}）的，仅作参照，"
                              "不是本县的任务分工。")
        notes["en"].insert(0, f"{county} has no plan file of its own: the tasks and measures here are those of the "
                              f"default plan ({default_plan}), a reference, not the county's own division of work.")
    return {"headline": headline, "paragraphs": {"zh": zh, "en": en}, "notes": notes}


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
            {"file": TASK_SUMMARY_FILE, "caption": {"zh": "各项重点任务", "en": "The plan's tasks"},
             "columns": task_cols, "labels": task_labels, "max_rows": len(by_task)},
            {"file": TASK_PROGRESS_FILE, "caption": {"zh": "各项措施（逾期的在前）", "en": "Every measure (overdue first)"},
             "columns": item[0], "labels": item[1], "max_rows": len(progress), "text": ["item_id", "period"]},
            {"file": TASK_UNITS_FILE, "caption": {"zh": "按单位汇总", "en": "By department"},
             "columns": unit_cols, "labels": unit_labels, "max_rows": len(by_unit)},
        ],
        "numbers": {"n_tasks": int(progress["task"].nunique()), "n_items": int(len(progress)),
                    "n_overdue": int(progress["overdue"].sum()), "n_due_passed": int(progress["due_passed"].sum()),
                    **{f"n_{s}": int((progress["state"] == s).sum()) for s in STATE_ORDER}},
    }
