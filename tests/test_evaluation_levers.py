"""Tests of lingshou.evaluation.levers: what it takes on the levers a department controls, checked by hand and by
brute force over the levers."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lingshou.errors import ParameterError
from lingshou.evaluation.levers import lever_groups, lever_plan
from lingshou.evaluation.model import score_counties
from lingshou.evaluation.peers import apply_plan, what_it_takes

#: x2 is a ratio with x1 as its numerator (as the fiscal S&T share of the fiscal S&T spending).
FORMULAS = {"x2": SimpleNamespace(numerator="x1")}
BOUNDS = {"x1": 1.0, "x2": 1.0, "x3": 1.0, "innovation_management": 1.0}


def test_lever_groups(model):
    assert lever_groups(model, FORMULAS) == {"x1": ["x1", "x2"], "x3": ["x3"], "innovation_management": ["innovation_management"]}
    assert lever_groups(model, None, qualitative=False) == {"x1": ["x1"], "x2": ["x2"], "x3": ["x3"]}


def test_linked_indicators_move_together_by_hand(model, wide):
    # P: x1 = 5 (30 points at 8: 3.75 a unit), x2 = 2 (20 at 5: 4 a unit), x3 = 25 (35 at 40: 0.875 a unit), q = 10:
    # 18.75 + 8 + 21.875 + 10 = 58.625 (C); B needs 1.375 points.  Per unit of relative increase: lever x1 moves
    # x1 and x2 together, 3.75·5 + 4·2 = 26.75 points; x3 0.875·25 = 21.875; the qualitative points 10 (q0 = 10).
    # Cheapest: x1 alone, r = 1.375 / 26.75 = 0.051402 → x1 5.2570, x2 2.1028 (+5.14 % each, counted once).
    groups = lever_groups(model, FORMULAS)
    plan = what_it_takes(wide, model, "P", levers=groups)
    r = 1.375 / 26.75
    assert plan.table["indicator"].tolist() == ["x1", "x2"] and plan.table["lever"].tolist() == ["x1", "x1"]
    assert plan.table["needed"].tolist() == pytest.approx([5 * (1 + r), 2 * (1 + r)])
    assert plan.table["points_gained"].tolist() == pytest.approx([18.75 * r, 8 * r])
    assert plan.total_increase_pct == pytest.approx(100 * r)      # one lever, once
    assert plan.score_after == pytest.approx(60.0)
    # the independent greedy raises x3 instead (+6.29 %), and would count a linked pair twice
    assert what_it_takes(wide, model, "P").table["indicator"].tolist() == ["x3"]


def test_qualitative_points_are_a_lever(model, wide):
    # To A (80): 21.375 points.  Lever x1 up to r = 0.6 (x1 reaches its benchmark 8: 26.75 · 0.6 = 16.05 points),
    # then x1 earns nothing more, x2 only 8 a unit; x3 21.875 a unit; q 10 a unit (at most 5 points, r_q ≤ 0.5).
    # After x1 (0.6): 5.325 points left, x3 is cheapest: r3 = 5.325 / 21.875 = 0.243429; total 0.843429.
    groups = lever_groups(model, FORMULAS)
    plan = what_it_takes(wide, model, "P", target_grade="A", levers=groups)
    by_lever = plan.table.groupby("lever")["lever_increase_pct"].first()
    assert by_lever.to_dict() == pytest.approx({"x1": 60.0, "x3": 100 * 5.325 / 21.875})
    assert plan.total_increase_pct == pytest.approx(60 + 100 * 5.325 / 21.875)
    assert plan.score_after == pytest.approx(80.0)
    # with x3 fixed, the qualitative points carry the rest: 5 points (10 → 15) is not enough for 5.325, so x1
    # rises beyond 0.6 for x2 alone: 0.325 / 8 = 0.040625 more
    plan = what_it_takes(wide, model, "P", target_grade="A", levers=groups, feasible={"x3": 0.0})
    assert plan.table.set_index("indicator").loc["innovation_management", "needed"] == pytest.approx(15.0)
    assert plan.table.groupby("lever")["lever_increase_pct"].first()["x1"] == pytest.approx(100 * (0.6 + 0.325 / 8))
    assert plan.score_after == pytest.approx(80.0)


def test_plan_matches_brute_force_over_the_levers(model, wide):
    # every combination of (r1, r3, rq) on a grid: the cheapest that reaches 80 (rescored by score_counties)
    groups = lever_groups(model, FORMULAS)
    plan = what_it_takes(wide, model, "P", target_grade="A", levers=groups)
    r1 = np.arange(0.0, 1.0001, 0.002)[:, None, None]
    r3 = np.arange(0.0, 1.0001, 0.002)[None, :, None]
    rq = np.arange(0.0, 0.50001, 0.05)[None, None, :]
    x1, x2, x3 = 5 * (1 + r1), 2 * (1 + r1), 25 * (1 + r3)
    score = (30 * np.minimum(x1 / 8, 1) + 20 * np.minimum(x2 / 5, 1) + 35 * np.minimum(x3 / 40, 1) + 10 * (1 + rq))
    cost = np.broadcast_to(r1 + r3 + rq, score.shape)
    best = cost[score >= 80 - 1e-9].min()
    lp = plan.total_increase_pct / 100
    assert lp <= best + 1e-9 and lp >= best - 0.004 - 0.05   # the grid's steps
    # and the plan itself scores 80 when applied to the data
    assert score_counties(apply_plan(wide, "P", plan), model, rule=None).loc["P", "score"] == pytest.approx(80.0)


def test_unreachable_plan_puts_every_lever_at_its_bound(model, wide):
    groups = lever_groups(model, FORMULAS)
    plan = what_it_takes(wide, model, "P", target_grade="A", levers=groups, max_increase=0.1)
    # at +10 %: lever x1 1.875 + 0.8, x3 2.1875, q 1 → 5.8625 < 21.375
    assert not plan.reachable and plan.max_score == pytest.approx(58.625 + 5.8625)
    assert set(plan.table["lever_increase_pct"].round(9)) == {10.0}


def test_given_qualitative_points_are_not_a_lever(model, wide):
    plan = what_it_takes(wide, model, "P", target_grade="A", levers=lever_groups(model, FORMULAS),
                         qualitative={"P": 10.0}, feasible={"x3": 0.0})
    assert "innovation_management" not in set(plan.table["indicator"])
    assert plan.excluded["innovation_management"] == "given"


def test_missing_values_are_excluded(model, wide):
    gappy = wide.astype(float).copy()
    gappy.loc["P", "x2"] = np.nan
    plan, info = lever_plan(gappy, model, "P", lever_groups(model, FORMULAS), 1.0, rule="benchmark_ratio",
                            bounds=BOUNDS)
    assert info["excluded"] == {"x2": "missing"} and "x2" not in set(plan["indicator"])


@pytest.mark.parametrize("groups, match", [
    ({"x1": ["x1", "gdp"]}, r"lever 'x1' moves 'gdp', which is not a model indicator"),
    ({"x1": ["x1", "x2"], "x2": ["x2"]}, r"indicator 'x2' belongs to both levers 'x1' and 'x2'"),
])
def test_bad_groups(model, wide, groups, match):
    with pytest.raises(ParameterError, match=match):
        lever_plan(wide, model, "P", groups, 1.0, rule="benchmark_ratio", bounds=BOUNDS)


def test_solver_failure_is_an_analysis_error(model, wide, monkeypatch):
    from lingshou.errors import AnalysisError
    from lingshou.evaluation import levers

    monkeypatch.setattr(levers, "linprog", lambda *a, **k: SimpleNamespace(status=2, message="infeasible", x=None))
    with pytest.raises(AnalysisError, match="the lever plan could not be solved: infeasible"):
        lever_plan(wide, model, "P", lever_groups(model, FORMULAS), 1.0, rule="benchmark_ratio", bounds=BOUNDS)


def test_frame_for_apply_plan_keeps_the_other_counties(model, wide):
    plan = what_it_takes(wide, model, "P", levers=lever_groups(model, FORMULAS))
    after = apply_plan(wide, "P", plan)
    pd.testing.assert_frame_equal(after.drop(index="P"), wide.drop(index="P").astype(after.dtypes.to_dict()))


def test_plan_table_of_a_lever_plan(model, wide):
    # The A plan of test_qualitative_points_are_a_lever with x3 fixed: x1 and x2 up 64.0625 % together, the
    # qualitative points 10 → 15.  x3 is a count (家) but not moved; x1 (万元) and x2 (%) are not rounded.
    from lingshou.evaluation import benchmarking as bd

    indicators = pd.DataFrame({"name_zh": ["甲", "乙", "丙", "定性"], "name_en": ["one", "two", "three", "qual"],
                               "dimension": ["money", "share", "count", "score"], "lead_unit": ["局一", "局二", "局三", "局四"],
                               "responsible_units": ["甲局、乙局", "", "", "各成员单位"]},
                              index=pd.Index(["x1", "x2", "x3", "innovation_management"], name="code"))
    plan = what_it_takes(wide, model, "P", target_grade="A", levers=lever_groups(model, FORMULAS), feasible={"x3": 0.0})
    planned = bd.plan_table(plan, wide, model, indicators, "zh", data_year=2024)
    assert planned.table["indicator"].tolist() == ["x1", "x2", "innovation_management"]
    assert planned.table["lever_name"].tolist() == ["甲", "甲", "定性"]
    assert planned.table["name_shown"].tolist() == ["甲", "乙（随甲提高）", "定性"]
    assert planned.table["responsible_units"].tolist() == ["甲局、乙局", "", "各成员单位"]
    assert planned.table["needed_in_data_year"].tolist() == [2025] * 3
    # points re-scored: x1 to 8 (+11.25), x2 2 → 3.28125 (+5.125), q +5 = 21.375; the levers summed once
    assert planned.table["points_gained"].tolist() == pytest.approx([11.25, 4 * 2 * 0.640625, 5.0])
    assert planned.score_after == pytest.approx(80.0)
    assert planned.total_increase_pct == pytest.approx(64.0625 + 50.0)


def test_a_rounded_count_lever_moves_its_ratio_in_proportion(model):
    # x3 a count (25 firms) and x2 its ratio (per 1,000 firms: 2.0): x3 up to 26.571 → rounded to 27 (+8 %),
    # x2 follows: 2.0 × 27/25 = 2.16, not 2.0 × 26.571/25
    from lingshou.evaluation import benchmarking as bd

    wide = pd.DataFrame({"x1": [5.0, 10, 8, 2], "x2": [2.0, 4, 1, 3], "x3": [25.0, 40, 50, 10]}, index=list("PQRS"))
    indicators = pd.DataFrame({"name_zh": ["甲", "乙", "丙"], "name_en": ["one", "two", "three"],
                               "dimension": ["money", "per_1000_firms", "count"], "lead_unit": ["一", "二", "三"]},
                              index=pd.Index(["x1", "x2", "x3"], name="code"))
    groups = {"x1": ["x1"], "x3": ["x3", "x2"]}
    plan = what_it_takes(wide, model, "P", levers=groups, feasible={"x1": 0.0})
    # lever x3: 0.875·25 + 4·2 = 29.875 points per unit r; 1.375 / 29.875 = 0.046025 → x3 26.1506
    assert plan.table.set_index("indicator").loc["x3", "needed"] == pytest.approx(25 * (1 + 1.375 / 29.875))
    planned = bd.plan_table(plan, wide, model, indicators, "en")
    table = planned.table.set_index("indicator")
    assert table.loc["x3", "needed"] == 27.0 and bool(table.loc["x3", "rounded_up"])
    assert table.loc["x2", "needed"] == pytest.approx(2.0 * 27 / 25)
    assert table.loc["x2", "lever_increase_pct"] == pytest.approx(8.0) and planned.total_increase_pct == pytest.approx(8.0)
