"""The result of what it takes: a GradePlan's fields, its numbers and a changed copy."""
from __future__ import annotations

import dataclasses

import pandas as pd

from lingshou.evaluation.grade_plan import GradePlan


def _plan(**extra):
    return GradePlan(table=pd.DataFrame({"indicator": ["x1"], "needed": [6.0]}), county="P", rule="benchmark_ratio",
                     score=58.625, grade="C", target_grade="B", target_score=60.0, points_needed=1.375,
                     points_planned=1.375, max_score=72.875, score_after=60.0, reachable=True,
                     total_increase_pct=5.14, **extra)


def test_numbers_leave_out_what_a_plain_plan_has_not():
    numbers = _plan().numbers()
    assert "table" not in numbers and "probability" not in numbers and "n_rounded" not in numbers
    assert numbers["target_grade"] == "B" and numbers["excluded"] == {} and numbers["dropped"] == []
    assert numbers["levers"] is False


def test_a_robust_plan_says_its_probability_and_a_copy_leaves_the_original():
    plan = _plan()
    robust = dataclasses.replace(plan, probability=0.83, robust=True, n_sims=2000)
    assert robust.numbers()["probability"] == 0.83 and robust.numbers()["robust"] is True
    assert plan.probability is None and robust.table is plan.table
    assert not plan.empty and dataclasses.replace(plan, table=plan.table.iloc[0:0]).empty
