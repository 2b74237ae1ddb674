"""Tests of lingshou.evaluation.uncertainty (Monte Carlo grades, variance shares, robust plans).

Tiny model (tests/data/benchmark/tiny_model.yaml): x1 30 points / benchmark 8, x2 20 / 5, x3 35 / 40,
qualitative 15 points (default 10, plausible range [8, 15]); counties P (5, 2, 25), Q (10, 4, 40),
R (8, 1, 50), S (2, 3, 10).  Under benchmark_ratio the quantitative points are P 48.625, Q 81, R 69,
S 28.25 (worked in tests/test_evaluation_model.py).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lingshou.config import DEFAULT_DATA_DIR
from lingshou.errors import ParameterError
from lingshou.evaluation.model import load_model
from lingshou.evaluation.uncertainty import (
    analyse_uncertainty,
    draw_inputs,
    grade_rows,
    rank_rows,
    simulate_scores,
    simulate_scores_naive,
    uncertainty_naive,
    what_it_takes_robust,
)

FIXED = {"weight_noise": 0.0, "rules": ["benchmark_ratio"], "imputation": ["peer_median"]}


def test_draws_respect_their_ranges(model, wide):
    wide["innovation_management"] = [np.nan, 14.0, np.nan, 1.0]
    draws = draw_inputs(wide, model, n_sims=500, seed=3)
    assert draws.factors.shape == (500, 3) and draws.qualitative.shape == (500, 4)
    assert ((draws.factors >= 0.75) & (draws.factors <= 1.25)).all()
    # points rescaled: every replication still gives 85 quantitative points
    assert draws.points.sum(axis=1) == pytest.approx(np.full(500, 85.0))
    # Q given 14 +- 2 points, cut at the 15-point maximum -> [12, 15]; S given 1 +- 2, cut at 0 -> [0, 3];
    # P and R assumed: the model's range [8, 15]
    q = draws.qualitative
    assert q[:, 1].min() >= 12 and q[:, 1].max() <= 15 and q[:, 1].min() < 12.1
    assert q[:, 3].min() >= 0 and q[:, 3].max() <= 3 and q[:, 3].max() > 2.9
    assert q[:, [0, 2]].min() >= 8 and q[:, [0, 2]].max() <= 15
    assert draws.qualitative_given.tolist() == [False, True, False, True]
    assert set(np.unique(draws.rule_index)) == {0, 1, 2, 3} and set(np.unique(draws.impute_index)) == {0, 1}


def test_same_seed_same_numbers(model, wide):
    first = analyse_uncertainty(wide, model, n_sims=400, seed=11).table
    pd.testing.assert_frame_equal(first, analyse_uncertainty(wide, model, n_sims=400, seed=11).table)
    pd.testing.assert_frame_equal(first, analyse_uncertainty(wide, model, n_sims=400, seed=np.random.default_rng(11)).table)
    other = analyse_uncertainty(wide, model, n_sims=400, seed=12).table
    assert not np.allclose(first["score_median"], other["score_median"])


def test_probabilities_and_shares_are_proper(model, wide):
    wide.loc["P", "x3"] = np.nan
    mc = analyse_uncertainty(wide, model, n_sims=2000, seed=5)
    result = mc.table
    grades = result[["p_grade_A", "p_grade_B", "p_grade_C"]]
    assert grades.sum(axis=1).to_numpy() == pytest.approx(np.ones(4))
    shares = result[[c for c in result.columns if c.startswith("var_share_")]].to_numpy()
    assert ((shares >= 0) & (shares <= 1)).all()
    assert (result["rank_p05"] <= result["rank_median"]).all() and (result["rank_median"] <= result["rank_p95"]).all()
    # only P has a missing value: the imputation choice cannot move another county's score (share 0 by
    # construction, not estimated)
    assert result.loc["P", "var_share_imputation"] > 0.5
    assert (result.loc[["Q", "R", "S"], "var_share_imputation"] == 0).all()
    # nominal columns are the deterministic scores (benchmark_ratio, default qualitative 10): Q 91
    assert result.loc["Q", "score"] == pytest.approx(91.0) and result.loc["Q", "grade"] == "A"
    # what was drawn: the rules and imputations of tiny_model.yaml's uncertainty block, 2000 times
    assert (mc.n_sims, mc.rules, mc.imputation) == (2000, ("benchmark_ratio", "best_peer", "peer_p90", "goalposts"),
                                                    ("peer_median", "zero"))
    assert not result.attrs


def test_far_above_and_far_below_are_certain():
    hebei = load_model(DEFAULT_DATA_DIR / "raw" / "models" / "hebei_county_st_evaluation.yaml")
    bench = pd.Series({code: entry["benchmark"] for code, entry in hebei["indicators"].items()})
    wide = pd.DataFrame([bench * 3, bench * 0.9, bench * 0.7, bench * 0.01], index=["top", "mid1", "mid2", "bottom"])
    result = analyse_uncertainty(wide, hebei, n_sims=3000, seed=1).table
    # top: 3x every benchmark and the best peer everywhere -> full 85 points under all four rules,
    # + qualitative >= 8 -> >= 93: A in every replication; mid1 (90 % of every benchmark) earns at most
    # 0.9 * 85 + 15 = 91.5 < 93, so the top is also first in every replication
    assert result.loc["top", "p_grade_A"] == 1.0 and result.loc["top", "rank_p95"] == 1
    # bottom: 1 % of each benchmark -> at most 85 * 0.01 / 0.7 (P90 rule) ~ 1.2 points + <= 15 -> C always
    assert result.loc["bottom", "p_grade_C"] == 1.0 and result.loc["bottom", "rank_p05"] == 4


def test_grade_probability_from_the_qualitative_range(model, wide):
    # only the qualitative points vary, U(8, 15): R = 69 + q is A iff q >= 11 -> P(A) = 4/7 = 0.571,
    # otherwise B (69 + 8 = 77 >= 60); S = 28.25 + q <= 43.25 -> always C
    result = analyse_uncertainty(wide, model, n_sims=20000, seed=2, **FIXED).table
    assert result.loc["R", "p_grade_A"] == pytest.approx(4 / 7, abs=0.02)
    assert result.loc["R", "p_grade_C"] == 0.0 and result.loc["S", "p_grade_C"] == 1.0
    # the score is linear in q: the whole variance is the qualitative points'
    assert result["var_share_qualitative"].tolist() == pytest.approx([1.0] * 4)
    assert result[["var_share_weights", "var_share_rule", "var_share_imputation"]].to_numpy().max() == 0.0
    # median of 69 + U(8, 15) is 69 + 11.5 = 80.5; the 5th percentile 69 + 8 + 0.05 * 7 = 77.35
    assert result.loc["R", "score_median"] == pytest.approx(80.5, abs=0.1)
    assert result.loc["R", "score_p05"] == pytest.approx(77.35, abs=0.1)


def test_variance_share_of_the_rule_alone(model, wide):
    # fixed weights, qualitative fixed at 10 (given, spread 0): P is 58.625 under benchmark_ratio and
    # 52.5 under best_peer -> its whole variance comes from the rule
    result = analyse_uncertainty(wide, model, n_sims=500, seed=4, qualitative=10, qualitative_spread=0.0,
                                 weight_noise=0.0, rules=["benchmark_ratio", "best_peer"], imputation=["zero"]).table
    assert result["var_share_rule"].tolist() == pytest.approx([1.0] * 4)
    assert result["var_share_qualitative"].tolist() == [0.0] * 4
    p = result.loc["P"]
    assert [p["score_p05"], p["score_p95"]] == pytest.approx([52.5, 58.625])


def test_variance_share_of_the_imputation_alone(model, wide):
    wide.loc["P", "x3"] = np.nan
    # P: 71.75 with the peer median, 36.75 with zero; nothing else varies -> share 1 for P,
    # and the other counties do not vary at all -> NaN shares
    result = analyse_uncertainty(wide, model, n_sims=500, seed=4, qualitative=10, qualitative_spread=0.0,
                                 weight_noise=0.0, rules=["benchmark_ratio"], imputation=["peer_median", "zero"]).table
    assert result.loc["P", "var_share_imputation"] == pytest.approx(1.0)
    assert result.loc[["Q", "R", "S"], "var_share_imputation"].isna().all()


def test_variance_share_of_the_weights_alone(model, wide):
    # R's points 85 * (30 f1 + 4 f2 + 35 f3) / (30 f1 + 20 f2 + 35 f3) + 10: smooth, almost linear in the
    # factors over +-25 % -> the linear (regression) estimate explains nearly all of it
    result = analyse_uncertainty(wide, model, n_sims=4000, seed=9, qualitative=10, qualitative_spread=0.0,
                                 rules=["benchmark_ratio"], imputation=["zero"]).table
    assert result.loc["R", "var_share_weights"] > 0.98
    assert result.loc["R", ["var_share_rule", "var_share_qualitative", "var_share_imputation"]].tolist() == [0.0] * 3


def test_vectorised_equals_naive(model, wide):
    wide.loc["P", "x3"] = np.nan
    wide["innovation_management"] = [np.nan, 14.0, np.nan, 9.0]
    draws = draw_inputs(wide, model, n_sims=120, seed=8)
    fast = simulate_scores(wide, model, draws)
    slow, ranks, grades = simulate_scores_naive(wide, model, draws)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(rank_rows(fast), ranks)
    np.testing.assert_array_equal(grade_rows(fast, model), grades)
    pd.testing.assert_frame_equal(analyse_uncertainty(wide, model, n_sims=120, seed=8).table,
                                  uncertainty_naive(wide, model, n_sims=120, seed=8).table, check_exact=False, rtol=1e-9)


def test_rank_and_grade_rows():
    # 3, 1, 3, 2 -> the two 3s share rank 1, then 2 is 3rd, 1 is 4th
    assert rank_rows(np.array([[3.0, 1.0, 3.0, 2.0]])).tolist() == [[1, 4, 1, 3]]
    # float noise: 0.1 + 0.2 ties 0.3
    assert rank_rows(np.array([[0.1 + 0.2, 0.3, 0.0]])).tolist() == [[1, 1, 3]]
    grades = {"grades": [{"grade": "A", "min": 80}, {"grade": "B", "min": 60}, {"grade": "C", "min": 0}]}
    assert grade_rows(np.array([80.0, 79.99, 60.0, 59.99]), grades).tolist() == [0, 1, 1, 2]


def test_robust_plan_hand_case(model, wide):
    # Only R's assumed qualitative points vary, q ~ U(8, 15) (nominal 10).  A plan with margin m raises
    # R's quantitative points to 70 + m, so its score is 70 + m + q >= 80 iff q >= 10 - m:
    # P(A) = (15 - (10 - m)) / 7 = (5 + m) / 7.  Plain plan (m = 0): 5/7 = 0.714 < 0.8;
    # 0.8 needs m = 0.6 -> x2 from 1 to 1 + 1.6 / 4 = 1.4
    plan = what_it_takes_robust(wide, model, "R", n_sims=20000, seed=6, tolerance=0.01, **FIXED)
    assert plan.probability_plan == pytest.approx(5 / 7, abs=0.02)
    assert plan.margin_used == pytest.approx(0.6, abs=0.07)
    assert plan.probability >= 0.8 and plan.robust is True
    assert plan.table["indicator"].tolist() == ["x2"]
    assert plan.table["needed"].iloc[0] == pytest.approx(1 + (1 + plan.margin_used) / 4)


def test_robust_plan_when_the_plain_plan_suffices(model, wide):
    # qualitative fixed at its nominal value: the plain plan reaches 80 in every replication
    plan = what_it_takes_robust(wide, model, "R", n_sims=200, seed=6, qualitative=10, qualitative_spread=0.0, **FIXED)
    assert plan.margin_used == 0.0 and plan.probability == 1.0
    assert plan.table["needed"].tolist() == pytest.approx([1.25])


def test_robust_plan_out_of_reach(model, wide):
    # x2 may rise by 20 % only: 1 -> 1.2 = +0.8 points -> 79.8 with q = 10; in the Monte Carlo
    # 69.8 + q >= 80 iff q >= 10.2 -> P = 4.8 / 7 = 0.686 < 0.8: not robust
    plan = what_it_takes_robust(wide, model, "R", n_sims=20000, seed=6, feasible={"x2": 0.2}, **FIXED)
    assert plan.robust is False
    assert plan.probability == pytest.approx(4.8 / 7, abs=0.02)
    assert plan.table["needed"].tolist() == pytest.approx([1.2])


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"n_sims": 1}, "n_sims must be an integer >= 2, got 1"),
        ({"n_sims": True}, "n_sims must be an integer >= 2, got True"),
        ({"weight_noise": 1.2}, r"weight_noise must lie in \[0, 1\), got 1.2"),
        ({"qualitative_spread": -1}, "qualitative_spread must be a non-negative number, got -1"),
        ({"rules": ["median"]}, r"rules=\['median'\] must be a non-empty list of distinct values"),
        ({"rules": []}, r"rules=\[\] must be a non-empty list"),
        ({"rules": ["best_peer", "best_peer"]}, r"must be a non-empty list of distinct values"),
        ({"imputation": ["none"]}, r"imputation=\['none'\] must be a non-empty list of distinct values"),
    ],
)
def test_draw_errors(model, wide, options, match):
    with pytest.raises(ParameterError, match=match):
        analyse_uncertainty(wide, model, **{"n_sims": 10, **options})


def test_robust_errors(model, wide):
    with pytest.raises(ParameterError, match=r"probability must lie in \(0, 1\], got 0"):
        what_it_takes_robust(wide, model, "R", probability=0)
    with pytest.raises(ParameterError, match="tolerance must be a positive number, got 0"):
        what_it_takes_robust(wide, model, "R", tolerance=0)


def test_simulate_scores_of_some_columns_equal_the_full_matrix():
    from lingshou.evaluation.uncertainty import draw_inputs, simulate_scores

    model = load_model(DEFAULT_DATA_DIR / "raw" / "models" / "hebei_county_st_evaluation.yaml")
    codes = list(model["indicators"])
    rng = np.random.default_rng(3)
    bench = np.array([model["indicators"][c]["benchmark"] for c in codes])
    wide = pd.DataFrame(rng.uniform(0.2, 1.4, size=(6, len(codes))) * bench, columns=codes,
                        index=[f"县{i}" for i in range(6)])
    wide.iloc[2, 3] = np.nan   # an imputed cell: the median still comes from every county
    draws = draw_inputs(wide, model, 500, 7, None, None, None, None, 2.0)
    full = simulate_scores(wide, model, draws)
    part = simulate_scores(wide, model, draws, columns=[2, 4])
    np.testing.assert_allclose(part, full[:, [2, 4]], rtol=0, atol=1e-9)
