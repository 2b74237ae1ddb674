"""Tests of lingshou.evaluation.model (the provincial model) and lingshou.evaluation.peers (peers, what it takes).

The tiny model (tests/data/benchmark/tiny_model.yaml): x1 30 points, benchmark 8; x2 20 points,
benchmark 5 (pillar 投入 = 50); x3 35 points, benchmark 40 (产出 = 35); qualitative 15 (管理), default 10;
A >= 80, B >= 60, C >= 0.  Counties P (5, 2, 25), Q (10, 4, 40), R (8, 1, 50), S (2, 3, 10).
"""
from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lingshou.config import DEFAULT_DATA_DIR
from lingshou.errors import DataError, NotEnoughData, ParameterError
from lingshou.evaluation.model import (
    check_model,
    data_year_of_round,
    evaluation_round,
    grade_from_score,
    load_model,
    qualitative_pillar,
    score_counties,
)
from lingshou.evaluation.peers import compare_published, peer_position, what_it_takes

DATA = Path(__file__).parent / "data" / "benchmark"
HEBEI = DEFAULT_DATA_DIR / "raw" / "models" / "hebei_county_st_evaluation.yaml"


# --------------------------------------------------------------------------------------------------
# The model file


def test_hebei_model_loads_with_85_plus_15_points():
    hebei = load_model(HEBEI)
    quantitative = sum(entry["points"] for entry in hebei["indicators"].values())
    assert len(hebei["indicators"]) == 14 and quantitative == 85
    assert hebei["qualitative"]["points"] == 15 and qualitative_pillar(hebei) == "创新管理"
    assert [(g["grade"], g["min"]) for g in hebei["grades"]] == [("A", 80), ("B", 60), ("C", 0)]
    # every unpublished element keeps its label
    assert hebei["scoring"]["assumption"] is True and hebei["qualitative"]["assumption"] is True
    assert all(entry["assumption"] is True for entry in hebei["indicators"].values())


def test_hebei_codes_are_catalogue_evaluated_indicators():
    catalogue = pd.read_csv(DEFAULT_DATA_DIR / "raw" / "indicators.csv")
    evaluated = set(catalogue.loc[catalogue["kind"] == "evaluated", "code"])
    hebei = load_model(HEBEI)
    assert set(hebei["indicators"]) == evaluated
    pillars = dict(zip(catalogue["code"], catalogue["pillar"]))
    assert all(entry["pillar"] == pillars[code] for code, entry in hebei["indicators"].items())


def test_load_model_sorts_grades(model):
    assert [g["grade"] for g in model["grades"]] == ["A", "B", "C"]


def test_load_model_file_errors(tmp_path):
    with pytest.raises(ParameterError, match="model file does not exist"):
        load_model(tmp_path / "none.yaml")
    with pytest.raises(ParameterError, match="does not hold a mapping"):
        load_model(DATA / "spec_not_mapping.yaml")


def _broken(path, change):
    bad = copy.deepcopy(load_model(path))
    change(bad)
    return bad


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda m: m.update(extra=1), r"model top level: unknown key\(s\) \['extra'\], missing key\(s\) \[\]"),
        (lambda m: m.pop("grades"), r"missing key\(s\) \['grades'\]"),
        (lambda m: m.update(total_points=0), r"model total_points must be a positive number, got 0"),
        (lambda m: m.update(data_lag_years=-1), r"data_lag_years must be a non-negative integer, got -1"),
        (lambda m: m.update(grades=[]), r"model grades must be a non-empty list"),
        (lambda m: m["grades"].append({"grade": "D", "min": 80}), r"need distinct names and minima"),
        (lambda m: m["grades"][2].update(min=10), r"the lowest minimum 0"),
        (lambda m: m["grades"][0].update(min=-5), r"grades\[A\].min must be a non-negative number, got -5"),
        (lambda m: m["grades"][0].update(level=1), r"model grades entry: unknown key\(s\) \['level'\]"),
        (lambda m: m["scoring"].update(rule="best"), r"unknown scoring rule 'best'"),
        (lambda m: m["scoring"]["alternatives"].update(median=""), r"scoring.alternatives: unknown key\(s\) \['median'\]"),
        (lambda m: m.update(scoring="benchmark_ratio"), r"model scoring must be a mapping"),
        (lambda m: m["qualitative"]["items"][0].update(points=6), r"qualitative items do not sum to 15 points"),
        (lambda m: m["qualitative"].update(range=[8, 16]), r"qualitative.range \[8, 16\] must lie in \[0, 15\]"),
        (lambda m: m["qualitative"].update(default=7), r"and hold default 7"),
        (lambda m: m["qualitative"].update(range=[8]), r"qualitative.range \[8\] must lie in"),
        (lambda m: m["indicators"]["x1"].update(pillar="其他"), r"indicator x1: pillar '其他' is not defined"),
        (lambda m: m["indicators"]["x1"].update(benchmark=0), r"indicators.x1.benchmark must be a positive number"),
        (lambda m: m["indicators"]["x1"].update(points=True), r"indicators.x1.points must be a non-negative number, got True"),
        (lambda m: m["indicators"]["x1"].update(weight=2), r"indicators.x1: unknown key\(s\) \['weight'\]"),
        (lambda m: m.update(indicators={}), r"model has no quantitative indicator"),
        (lambda m: m["indicators"]["x1"].update(points=29),
         r"quantitative points sum to 84, expected 85 \(total_points 100 − qualitative 15\)"),
        (lambda m: (m["indicators"]["x1"].update(points=25), m["indicators"]["x3"].update(points=40)),
         r"pillar points disagree with their indicators: \{'投入': \(50, 45.0\), '产出': \(35, 40.0\)\}"),
        (lambda m: m["pillars"].update(新增={"points": 1}), r"pillars without quantitative indicators \['管理', '新增'\]"),
        (lambda m: m["pillars"]["投入"].update(colour=1), r"pillars.投入: unknown key\(s\) \['colour'\]"),
        (lambda m: m["uncertainty"].update(weight_noise=1.0), r"weight_noise must lie in \[0, 1\), got 1.0"),
        (lambda m: m["uncertainty"].update(rules=[]), r"uncertainty.rules must be a non-empty list"),
        (lambda m: m["uncertainty"].update(imputation=["none"]), r"unknown imputation 'none'"),
        (lambda m: m["uncertainty"].update(sensitivity_rules="peer_p90"), r"sensitivity_rules must be a list, got 'peer_p90'"),
        (lambda m: m["uncertainty"].update(sensitivity_rules=["peer_p99"]), r"unknown scoring rule 'peer_p99'"),
        (lambda m: m["uncertainty"].update(rules=["benchmark_ratio"], sensitivity_rules=["benchmark_ratio"]),
         r"scoring rule 'benchmark_ratio' cannot be both in uncertainty.rules \(drawn\) and in sensitivity_rules"),
    ],
)
def test_check_model_errors(change, match):
    with pytest.raises(ParameterError, match=match):
        check_model(_broken(DATA / "tiny_model.yaml", change))


def test_round_lag(model):
    # published: the round of year Y uses data of year Y-1
    assert evaluation_round(2022, model) == 2023
    assert data_year_of_round(2023, model) == 2022


# --------------------------------------------------------------------------------------------------
# Grades


def test_grade_edges_are_exact(model):
    assert [grade_from_score(s, model) for s in (80, 79.99, 60, 59.99, 0, 100)] == ["A", "B", "B", "C", "C", "A"]
    # float noise right under an edge does not cross it
    assert grade_from_score(79.99999999999999, model) == "A"
    series = grade_from_score(pd.Series([80.0, 60.0], index=["a", "b"]), model)
    assert series.to_dict() == {"a": "A", "b": "B"}
    assert grade_from_score(np.array([59.99, 80.0]), model).tolist() == ["C", "A"]


def test_grade_refuses_missing_or_negative(model):
    with pytest.raises(DataError, match="cannot grade a missing or negative score"):
        grade_from_score(float("nan"), model)
    with pytest.raises(DataError, match="cannot grade a missing or negative score"):
        grade_from_score([-1.0], model)


# --------------------------------------------------------------------------------------------------
# Scoring rules


def test_benchmark_ratio(model, wide):
    scores = score_counties(wide, model)
    # P: 30*5/8 = 18.75, 20*2/5 = 8, 35*25/40 = 21.875 -> 48.625 + default 10 = 58.625 (C)
    # Q: 30*min(10/8,1) = 30, 20*4/5 = 16, 35*1 = 35 -> 81 + 10 = 91 (A)
    # R: 30, 20*1/5 = 4, 35*min(50/40,1) = 35 -> 69 + 10 = 79 (B)
    # S: 30*2/8 = 7.5, 20*3/5 = 12, 35*10/40 = 8.75 -> 28.25 + 10 = 38.25 (C)
    assert scores["score"].tolist() == pytest.approx([58.625, 91.0, 79.0, 38.25])
    assert scores["rank"].tolist() == [3, 1, 2, 4]
    assert scores["grade"].tolist() == ["C", "A", "B", "C"]
    assert scores.loc["P", ["投入", "产出", "管理"]].tolist() == pytest.approx([26.75, 21.875, 10.0])
    assert scores.loc["P", ["points_x1", "points_x2", "points_x3"]].tolist() == pytest.approx([18.75, 8.0, 21.875])
    assert scores["qualitative_assumed"].all() and (scores["n_imputed"] == 0).all()
    assert list(scores.columns[:3]) == ["score", "rank", "grade"]


def test_tied_counties_share_the_lower_rank(model, wide):
    # R2 copies R (79): both rank 2, then P (58.625) is 4th
    tied = pd.concat([wide, wide.loc[["R"]].rename(index={"R": "R2"})])
    assert score_counties(tied, model)["rank"].to_dict() == {"P": 4, "Q": 1, "R": 2, "S": 5, "R2": 2}


def test_rule_none_is_the_model_default(model, wide):
    model["scoring"]["rule"] = "goalposts"
    # see test_goalposts: 47.5, 90, 75, 20
    assert score_counties(wide, model, rule=None)["score"].tolist() == pytest.approx([47.5, 90.0, 75.0, 20.0])


def test_best_peer(model, wide):
    # peers' best: x1 10, x2 4, x3 50
    # P: 30*5/10 + 20*2/4 + 35*25/50 = 15 + 10 + 17.5 = 42.5 (+10); Q: 30 + 20 + 35*40/50 = 28 -> 78 (+10)
    # R: 24 + 5 + 35 = 64 (+10); S: 6 + 15 + 7 = 28 (+10)
    scores = score_counties(wide, model, rule="best_peer")
    assert scores["score"].tolist() == pytest.approx([52.5, 88.0, 74.0, 38.0])


def test_peer_p90(model, wide):
    # P90 by linear interpolation over 4 values: position 0.9*3 = 2.7 -> v[2] + 0.7*(v[3] - v[2])
    # x1 (2, 5, 8, 10) -> 9.4 ; x2 (1, 2, 3, 4) -> 3.7 ; x3 (10, 25, 40, 50) -> 47
    # P: 30*5/9.4 + 20*2/3.7 + 35*25/47 = 15.95745 + 10.81081 + 18.61702 = 45.38528 (+10)
    # Q: 30 + 20 + 35*40/47 = 29.78723 -> 79.78723 (+10)
    scores = score_counties(wide, model, rule="peer_p90")
    assert scores.loc["P", "score"] == pytest.approx(10 + 150 / 9.4 + 40 / 3.7 + 875 / 47)
    assert scores.loc["Q", "score"] == pytest.approx(10 + 50 + 1400 / 47)


def test_goalposts(model, wide):
    # floors = peer minima: x1 2, x2 1, x3 10 ; clip((x - floor)/(benchmark - floor), 0, 1)
    # P: 30*3/6 + 20*1/4 + 35*15/30 = 15 + 5 + 17.5 = 37.5 (+10) ; Q: 30 + 20*3/4 + 35 = 80 (+10)
    # R: 30 + 0 + 35 = 65 (+10) ; S: 0 + 20*2/4 + 0 = 10 (+10)
    scores = score_counties(wide, model, rule="goalposts")
    assert scores["score"].tolist() == pytest.approx([47.5, 90.0, 75.0, 20.0])


def test_goalposts_benchmark_below_every_peer(model, wide):
    # x1 benchmark 8 but every county >= 9: all at or above the benchmark -> full 30 points each
    wide = wide.assign(x1=[9.0, 10, 12, 11])
    scores = score_counties(wide, model, rule="goalposts")
    assert scores["points_x1"].tolist() == pytest.approx([30.0] * 4)


def test_peer_reference_zero_gives_zero_points(model, wide):
    # nobody has any x2: best peer 0 -> 0 points for all rather than a division by zero
    scores = score_counties(wide.assign(x2=0.0), model, rule="best_peer")
    assert scores["points_x2"].tolist() == [0.0] * 4


def test_imputation_peer_median_and_zero(model, wide):
    wide.loc["P", "x3"] = np.nan
    # peer median of the observed x3 (40, 50, 10) = 40 -> 35*min(40/40, 1) = 35
    # P: 18.75 + 8 + 35 + 10 = 71.75
    scores = score_counties(wide, model, impute="peer_median")
    assert scores.loc["P", "score"] == pytest.approx(71.75)
    assert scores.loc["P", "imputed"] == "x3" and scores.loc["P", "n_imputed"] == 1
    assert scores.loc["Q", "imputed"] == ""
    # zero: no points for x3 -> 18.75 + 8 + 10 = 36.75
    assert score_counties(wide, model, impute="zero").loc["P", "score"] == pytest.approx(36.75)
    # best peer keeps the observed maximum 50: the median 40 earns 35*40/50 = 28
    assert score_counties(wide, model, rule="best_peer").loc["P", "points_x3"] == pytest.approx(28.0)


def test_imputation_none_lists_cells(model, wide):
    wide.loc["P", "x3"] = np.nan
    with pytest.raises(DataError, match=r"1 missing value\(s\): \[\('P', 'x3'\)\]"):
        score_counties(wide, model, impute="none")


def test_imputation_without_any_observed_value(model, wide):
    wide["x3"] = np.nan
    # too few data, not bad data: the report says so in the section and runs the other analyses
    with pytest.raises(NotEnoughData, match=r"indicator\(s\) \['x3'\] have no observed value: no peer median"):
        score_counties(wide, model)


def test_qualitative_sources(model, wide):
    wide["innovation_management"] = [np.nan, 14.0, np.nan, np.nan]
    scores = score_counties(wide, model)
    # Q: 81 + 14 = 95 (given); the others keep the default 10 and are flagged
    assert scores.loc["Q", "score"] == pytest.approx(95.0)
    assert scores["qualitative_assumed"].tolist() == [True, False, True, True]
    # the argument wins over the column; a scalar applies to every county
    given = score_counties(wide, model, qualitative=pd.Series({"S": 15.0, "Q": 12.0}))
    assert given.loc["S", "score"] == pytest.approx(28.25 + 15) and given.loc["Q", "score"] == pytest.approx(93.0)
    assert given["qualitative_assumed"].tolist() == [True, False, True, False]
    assert score_counties(wide, model, qualitative=12)["管理"].tolist() == [12.0] * 4


def test_qualitative_errors(model, wide):
    with pytest.raises(DataError, match=r"qualitative points must lie in \[0, 15\]: \{'P': 16.0"):
        score_counties(wide, model, qualitative={"P": 16})
    with pytest.raises(DataError, match="qualitative column innovation_management is not numeric"):
        score_counties(wide.assign(innovation_management=["a", "b", "c", "d"]), model)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda w: w.iloc[0:0], "wide must be a non-empty counties × indicators DataFrame"),
        (lambda w: w.rename(index={"Q": "P"}), r"duplicated counties: \['P'\]"),
        (lambda w: w.drop(columns="x2"), r"the data lacks the model's indicator column\(s\) \['x2'\]"),
        (lambda w: w.assign(x2=["1", "2", "3", "4"]), r"column\(s\) \['x2'\] are not numeric"),
        (lambda w: w.assign(x2=[1.0, -2, 3, 4]), r"must be finite and >= 0; offending cells: \[\('Q', 'x2'\)\]"),
        (lambda w: w.assign(x2=[1.0, np.inf, 3, 4]), r"must be finite and >= 0"),
    ],
)
def test_bad_wide(model, wide, change, match):
    with pytest.raises(DataError, match=match):
        score_counties(change(wide), model)


def test_unknown_rule_and_imputation(model, wide):
    with pytest.raises(ParameterError, match="unknown scoring rule 'median'"):
        score_counties(wide, model, rule="median")
    with pytest.raises(ParameterError, match="unknown imputation 'mean'"):
        score_counties(wide, model, impute="mean")


# --------------------------------------------------------------------------------------------------
# Peers


def test_peer_position(model, wide):
    position = peer_position(score_counties(wide, model), "R", model)
    # R scores 79: rank 2 of 4; lower: P 58.625 and S 38.25 -> 2 of the 3 others = 66.67 %
    # B (60-80): 80 - 79 = 1 point to A, 79 - 60 = 19 above the B floor
    assert (position.rank, position.n, position.grade, position.next_grade) == (2, 4, "B", "A")
    assert position.percentile == pytest.approx(200 / 3)
    assert position.to_next_grade == pytest.approx(1.0) and position.margin == pytest.approx(19.0)
    pillars = position.pillars.set_index("pillar")
    # 产出: P 21.875, Q 35, R 35, S 8.75 -> median (21.875 + 35)/2 = 28.4375; R +6.5625 = 18.75 % of 35;
    #       Q and R tie at 35 -> rank 1
    # 投入: P 26.75, Q 46, R 34, S 19.5 -> median 30.375; R +3.625 = 7.25 % of 50; rank 2
    # 管理: everyone the default 10 -> par, assumed
    assert list(pillars.index) == ["产出", "投入", "管理"]
    assert pillars["difference"].tolist() == pytest.approx([6.5625, 3.625, 0.0])
    assert pillars["difference_pct"].tolist() == pytest.approx([18.75, 7.25, 0.0])
    assert pillars["rank"].tolist() == [1, 2, 1]
    assert pillars["label"].tolist() == ["strength", "strength", "par"]
    assert pillars["assumed"].tolist() == [False, False, True]
    # x2: P 8, Q 16, R 4, S 12 -> median 10; R -6 = -30 % of 20: the weakness
    indicators = position.indicators.set_index("indicator")
    assert indicators.loc["x2", "label"] == "weakness" and indicators.loc["x2", "difference_pct"] == pytest.approx(-30.0)
    assert list(indicators.index) == ["x1", "x3", "x2"]
    assert position.summary()["to_next_grade"] == pytest.approx(1.0)


def test_peer_position_at_the_top_and_unknown_county(model, wide):
    scores = score_counties(wide, model)
    top = peer_position(scores, "Q", model)
    # Q 91: A, nothing above; 91 - 80 = 11 above the A floor; all 3 others below -> 100 %
    assert top.next_grade is None and np.isnan(top.to_next_grade)
    assert top.margin == pytest.approx(11.0) and top.percentile == pytest.approx(100.0)
    with pytest.raises(ParameterError, match="county 'T' is not in the data"):
        peer_position(scores, "T", model)


def test_compare_published(model, wide):
    published = pd.DataFrame({"county": ["Q", "R", "T"], "grade": ["A", "A", "B"]})
    table = compare_published(score_counties(wide, model), published, model)
    assert table["county"].tolist() == ["Q", "R", "T"]
    assert table["grade_modelled"].tolist()[:2] == ["A", "B"] and pd.isna(table.loc[2, "grade_modelled"])
    assert table["agrees"].tolist()[:2] == [True, False] and pd.isna(table.loc[2, "agrees"])
    # R modelled B against a published A: the model grades it lower
    assert table["direction"].tolist()[:2] == ["same", "lower"]
    assert table.loc[0, "score"] == pytest.approx(91.0)


def test_compare_published_errors(model, wide):
    scores = score_counties(wide, model)
    with pytest.raises(DataError, match=r"the published table lacks column\(s\) \['grade'\]"):
        compare_published(scores, pd.DataFrame({"county": ["Q"]}))
    with pytest.raises(DataError, match=r"county\(ies\) \['Q'\] appear more than once"):
        compare_published(scores, pd.DataFrame({"county": ["Q", "Q"], "grade": ["A", "B"]}))
    with pytest.raises(DataError, match=r"published grade\(s\) \['D'\] are not grades of the model"):
        compare_published(scores, pd.DataFrame({"county": ["Q"], "grade": ["D"]}), model)


# --------------------------------------------------------------------------------------------------
# What it takes (benchmark_ratio unless said otherwise)


def test_what_it_takes_one_lever(model, wide):
    plan = what_it_takes(wide, model, "R")
    # R 79 (B) -> A needs 1 point.  x1 (8 = benchmark) and x3 (50 > 40) already earn full points.
    # x2: 20/5 = 4 points per unit; 1 -> 1 + 1/4 = 1.25 (+25 %)
    assert plan.table["indicator"].tolist() == ["x2"]
    row = plan.table.iloc[0]
    assert (row["current"], row["needed"], row["increase_abs"]) == pytest.approx((1.0, 1.25, 0.25))
    assert (row["increase_pct"], row["points_gained"]) == pytest.approx((25.0, 1.0))
    assert plan.target_grade == "A" and plan.score_after == pytest.approx(80.0)
    assert plan.excluded == {"x1": "full points", "x3": "full points"}
    assert plan.reachable is True


def test_what_it_takes_greedy_order_and_lead_units(model, wide):
    catalogue = pd.DataFrame({"code": ["x1", "x2", "x3"], "lead_unit": ["财政局", "发改局", "工信局"]})
    plan = what_it_takes(wide, model, "P", target_grade="A", catalogue=catalogue)
    # P 58.625 -> 80 needs 21.375.  Points per 1 % increase = slope * x / 100:
    #   x3 35/40 * 25 / 100 = 0.21875 ; x1 30/8 * 5 / 100 = 0.1875 ; x2 20/5 * 2 / 100 = 0.08
    # x3 first, up to its benchmark 40 (+60 %, +13.125 points); then x1: 8.25 / 3.75 = 2.2 -> 7.2 (+44 %)
    assert plan.table["indicator"].tolist() == ["x3", "x1"]
    assert plan.table["needed"].tolist() == pytest.approx([40.0, 7.2])
    assert plan.table["increase_pct"].tolist() == pytest.approx([60.0, 44.0])
    assert plan.table["points_gained"].tolist() == pytest.approx([13.125, 8.25])
    assert plan.table["lead_unit"].tolist() == ["工信局", "财政局"]
    assert plan.total_increase_pct == pytest.approx(104.0)
    assert plan.score_after == pytest.approx(80.0)
    # the next grade by default: B needs 1.375 -> x3 alone: 1.375 / 0.875 = 1.5714 -> 26.5714 (+6.2857 %)
    plan_b = what_it_takes(wide, model, "P")
    assert plan_b.table["needed"].tolist() == pytest.approx([25 + 1.375 / 0.875])
    assert plan_b.target_score == 60.0


def test_what_it_takes_margin_and_keeping_the_top_grade(model, wide):
    # margin 2 above A for P: 23.375 -> x3 13.125, then x1 10.25 / 3.75 = 2.7333 -> 7.7333 (+54.667 %)
    plan = what_it_takes(wide, model, "P", target_grade="A", margin=2.0)
    assert plan.table["needed"].tolist() == pytest.approx([40.0, 5 + 10.25 / 3.75])
    # Q is A (91): keep A with 15 points to spare -> 95: only x2 is below its benchmark: 4 -> 5 (+25 %)
    keep = what_it_takes(wide, model, "Q", margin=15.0)
    assert keep.target_grade == "A" and keep.table["needed"].tolist() == pytest.approx([5.0])
    # already there: an empty plan
    assert what_it_takes(wide, model, "Q", target_grade="B").empty


def test_what_it_takes_unreachable_within_bounds(model, wide):
    plan = what_it_takes(wide, model, "P", target_grade="A", feasible={"x3": 0.2, "x1": 0.1})
    # caps: x3 25 -> 30 (+4.375), x1 5 -> 5.5 (+1.875), x2 2 -> 4 (+100 % default, +8): 14.25 < 21.375
    assert plan.table["increase_pct"].tolist() == pytest.approx([20.0, 10.0, 100.0])
    assert plan.reachable is False
    assert plan.max_score == pytest.approx(58.625 + 14.25)
    # a 0 bound freezes an indicator
    frozen = what_it_takes(wide, model, "R", feasible={"x2": 0})
    assert frozen.empty and frozen.excluded["x2"] == "not feasible"


def test_what_it_takes_skips_zero_and_missing(model, wide):
    wide.loc["S", "x3"] = 0.0
    wide.loc["S", "x1"] = np.nan
    plan = what_it_takes(wide, model, "S")
    assert plan.excluded == {"x1": "missing", "x3": "zero"}
    assert plan.table["indicator"].tolist() == ["x2"]


def test_what_it_takes_under_best_peer(model, wide):
    plan = what_it_takes(wide, model, "P", rule="best_peer")
    # P 52.5 -> 60 needs 7.5; per %: x3 35/50 * 25/100 = 0.175 first -> +7.5/0.7 = 10.714 -> 35.714
    # re-scored: 35 * 35.714/50 = 25 -> 15 + 10 + 25 + 10 = 60
    assert plan.table["needed"].tolist() == pytest.approx([25 + 7.5 / 0.7])
    assert plan.score_after == pytest.approx(60.0)


def test_what_it_takes_errors(model, wide):
    with pytest.raises(ParameterError, match=r"feasible names indicator\(s\) \['x9'\]"):
        what_it_takes(wide, model, "P", feasible={"x9": 1})
    with pytest.raises(ParameterError, match="feasible increases must be finite and >= 0"):
        what_it_takes(wide, model, "P", max_increase=-0.5)
    with pytest.raises(ParameterError, match="unknown grade 'AA'"):
        what_it_takes(wide, model, "P", target_grade="AA")
    with pytest.raises(ParameterError, match="county 'T' is not in the data"):
        what_it_takes(wide, model, "T")
    with pytest.raises(DataError, match=r"the catalogue lacks column\(s\) \['lead_unit'\]"):
        what_it_takes(wide, model, "P", catalogue=pd.DataFrame({"code": ["x1"]}))


def test_what_it_takes_under_goalposts_and_peer_p90(model, wide):
    # goalposts: P 47.5 -> 60 needs 12.5; slopes x1 30/(8-2) = 5, x2 20/(5-1) = 5, x3 35/(40-10) = 7/6 per
    # unit; per %: x3 7/6 * 25/100 = 0.2917 first -> 12.5 / (7/6) = 10.714 -> 35.714 (S keeps the floor 10)
    plan = what_it_takes(wide, model, "P", rule="goalposts")
    assert plan.table["needed"].tolist() == pytest.approx([25 + 12.5 * 6 / 7])
    assert plan.score_after == pytest.approx(60.0)
    # peer_p90: P 55.38528 -> 60; x3 first (35/47 * 25/100 = 0.1862 per %): + (60 - 55.38528) / (35/47);
    # the new x3 31.2 stays below 40, so the P90 stays 40 + 0.7 * 10 = 47 and the plan is exact
    p90 = what_it_takes(wide, model, "P", rule="peer_p90")
    start = 10 + 150 / 9.4 + 40 / 3.7 + 875 / 47
    assert p90.table["needed"].tolist() == pytest.approx([25 + (60 - start) * 47 / 35])
    assert p90.score_after == pytest.approx(60.0)
