"""Tests of the task progress analysis (lingshou.analysis.tasks) on a two-task plan computed by hand."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from lingshou.analysis import tasks
from lingshou.plan.progress import HISTORY_COLUMNS
from lingshou.plan.tasks import STAGES

KNOWN = ["县甲局", "县乙局", "县丙局"]
NAMES_EN = {"县甲局": "Bureau A", "县乙局": "Bureau B"}


@pytest.fixture
def plan():
    t = pd.DataFrame({"task": [1, 2], "section": ["（一）甲", "（二）乙"], "title": ["任务一", "任务二"],
                      "title_en": ["Task one", "Task two"], "lead_unit": ["县甲局", "县乙局"],
                      # the text writes 甲局 without 县 in task 2; 县丙局 shares task 1
                      "responsible_units": [("县乙局", "县丙局"), ("甲局",)], "n_items": [2, 1]})
    i = pd.DataFrame({"task": [1, 1, 2], "item": [1, 2, 1], "title": ["措施一一", "措施一二", "措施二一"],
                      "text": ["甲。", "乙。", "2022年度，丙。"], "stage": [STAGES[0], STAGES[2], STAGES[1]],
                      "due": ["2022-12-31", "2025-12-31", "2022-12-31"],
                      "due_basis": ["stage (interpretation)", "stage (interpretation)", "text"]})
    return SimpleNamespace(tasks=t, items=i)


def row(period, task, item, dept, status):
    return {**{c: "" for c in HISTORY_COLUMNS}, "county": "甲县", "period": period, "task": str(task),
            "item": str(item), "department": dept, "status": status}


@pytest.fixture
def history():
    return pd.DataFrame([row("2023Q4", 1, 1, "县乙局", "已完成"), row("2023Q2", 2, 1, "县乙局", "滞后")])


def test_as_of_is_the_end_of_the_latest_period_else_of_the_year(history):
    assert tasks.as_of_date(history, 2024) == dt.date(2023, 12, 31)
    assert tasks.as_of_date(history.iloc[0:0], 2024) == dt.date(2024, 12, 31)


def test_task_progress_states_overdue_first(plan, history):
    p = tasks.task_progress(plan, history, KNOWN, dt.date(2023, 12, 31), NAMES_EN)
    # 2.1 is behind and past its deadline (2022-12-31): overdue, first; then by stage: 1.1 (stage 1), 1.2 (stage 3)
    assert list(p["item_id"]) == ["2.1", "1.1", "1.2"]
    assert list(p["state"]) == ["late", "done", "no_return"]
    assert list(p["overdue"]) == [True, False, False] and list(p["due_passed"]) == [True, True, False]
    assert list(p["flag_zh"]) == ["逾期", "", ""] and list(p["state_zh"]) == ["滞后", "已完成", "无报送"]
    assert p.loc[0, "responsible_units"] == "县甲局" and p.loc[0, "responsible_units_en"] == "Bureau A"
    assert p.loc[1, "reported_by"] == "县乙局" and p.loc[1, "period"] == "2023Q4" and p.loc[1, "lead_unit_en"] == "Bureau A"


def test_an_item_without_return_past_its_deadline_is_overdue(plan):
    p = tasks.task_progress(plan, pd.DataFrame(columns=HISTORY_COLUMNS), KNOWN, dt.date(2024, 12, 31))
    assert set(p.loc[p["due_passed"], "item_id"]) == {"1.1", "2.1"} and p["overdue"].sum() == 2
    assert set(p["state"]) == {"no_return"}


def test_roll_ups_by_task_and_by_department(plan, history):
    p = tasks.task_progress(plan, history, KNOWN, dt.date(2023, 12, 31), NAMES_EN)
    t = tasks.progress_by_task(p).set_index("task")
    assert t.loc[1, ["n_items", "n_done", "n_no_return", "n_overdue"]].tolist() == [2, 1, 1, 0]
    assert t.loc[2, ["n_items", "n_late", "n_overdue", "due"]].tolist() == [1, 1, 1, "2022-12-31"]
    u = tasks.progress_by_unit(p, plan, KNOWN, history, NAMES_EN).set_index("department")
    # 县甲局 leads task 1 (2 items) and shares task 2 (1 item); 县乙局 leads task 2, shares task 1, returned 2 items
    assert u.loc["县甲局", ["n_items", "n_lead", "n_shared", "n_done", "n_late", "n_overdue", "n_returned"]].tolist() == [3, 2, 1, 1, 1, 1, 0]
    assert u.loc["县乙局", ["n_items", "n_lead", "n_shared", "n_returned"]].tolist() == [3, 1, 2, 2]
    assert u.loc["县丙局", ["n_items", "n_lead", "n_shared"]].tolist() == [2, 0, 2]
    assert u.loc["县甲局", "department_en"] == "Bureau A" and u.loc["县丙局", "department_en"] == "县丙局"


def test_prose_with_returns(plan, history):
    p = tasks.task_progress(plan, history, KNOWN, dt.date(2023, 12, 31), NAMES_EN)
    u = tasks.progress_by_unit(p, plan, KNOWN, history, NAMES_EN)
    t = tasks.describe_progress(p, u, "甲县", dt.date(2023, 12, 31), returned=True)
    assert t["headline"]["zh"] == "重点任务：3 项措施中已完成 1 项，逾期 1 项（截至2023年12月31日）。"
    assert t["headline"]["en"] == "Tasks: 1 of 3 measures completed, 1 overdue (as of 2023-12-31)."
    assert "已完成 1 项、滞后 1 项、无报送 1 项" in t["paragraphs"]["zh"][0]
    assert "2.1“措施二一”（县乙局，2022-12-31）" in t["paragraphs"]["zh"][0]
    assert t["paragraphs"]["zh"][1].startswith("逾期措施最多的单位：县甲局（逾期 1 项，共负责 3 项措施）")


def test_prose_without_returns_never_states_progress(plan):
    empty = pd.DataFrame(columns=HISTORY_COLUMNS)
    p = tasks.task_progress(plan, empty, KNOWN, dt.date(2024, 12, 31))
    u = tasks.progress_by_unit(p, plan, KNOWN, empty)
    t = tasks.describe_progress(p, u, "甲县", dt.date(2024, 12, 31), returned=False)
    assert t["headline"]["zh"] == "重点任务：2 项任务、3 项措施尚无部门报送进展，2 项已过完成时限。"
    text = t["paragraphs"]["zh"][0]
    assert "尚无部门" in text and "不评价任何措施的完成情况" in text and "（1 项的时限按方案阶段推定）" in text
    assert "已完成" not in text
    parts = tasks.summary_parts(p, tasks.progress_by_task(p), u, "zh", returned=False)
    items = parts["tables"][1]
    assert items["columns"] == ["item_id", "title", "lead_unit", "responsible_units", "due", "flag_zh"]
    assert items["text"] == ["item_id", "period"] and parts["numbers"]["n_no_return"] == 3


def test_summary_tables_in_english(plan, history):
    p = tasks.task_progress(plan, history, KNOWN, dt.date(2023, 12, 31), NAMES_EN)
    parts = tasks.summary_parts(p, tasks.progress_by_task(p), tasks.progress_by_unit(p, plan, KNOWN, history, NAMES_EN), "en")
    cols = [t["columns"] for t in parts["tables"]]
    assert cols[0][:3] == ["task", "task_title_en", "lead_unit_en"] and "state_en" in cols[1] and cols[2][0] == "department_en"
    assert all(len(t["labels"]["zh"]) == len(t["labels"]["en"]) == len(t["columns"]) for t in parts["tables"])


def test_the_default_plans_tasks_are_marked_as_such(plan):
    empty = pd.DataFrame(columns=HISTORY_COLUMNS)
    p = tasks.task_progress(plan, empty, KNOWN, dt.date(2024, 12, 31))
    t = tasks.describe_progress(p, tasks.progress_by_unit(p, plan, KNOWN, empty), "乙县", dt.date(2024, 12, 31),
                                returned=False, default_plan="甲县方案")
    assert t["notes"]["zh"][0].startswith("乙县没有自己的方案文件：本节的任务和措施是默认方案（甲县方案）的")
    assert "default plan (甲县方案)" in t["notes"]["en"][0]
