"""The scoring rules as normalisations of the composite engine, and the model as a composite spec."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lingshou.config import DEFAULT_DATA_DIR
from lingshou.errors import ParameterError
from lingshou.evaluation.composite import build_composite
from lingshou.evaluation.model import load_model, score_counties
from lingshou.evaluation.rules import RULES, anchors, check_rule, model_spec, normalisations, rule_ratios
from lingshou.evaluation.spec import check_spec

HEBEI = DEFAULT_DATA_DIR / "raw" / "models" / "hebei_county_st_evaluation.yaml"


def _quantitative(wide, model, rule, impute="peer_median"):
    """The engine's score of the model written as a spec."""
    codes = list(model["indicators"])
    return build_composite(wide[codes], model_spec(wide, model, rule, impute)).scores


def test_the_rules_anchors(model, wide):
    # x1 (5, 10, 8, 2), x2 (2, 4, 1, 3), x3 (25, 40, 50, 10); benchmarks 8, 5, 40
    floor, ref = anchors(wide, model, "goalposts")
    assert floor.tolist() == [2.0, 1.0, 10.0] and ref.tolist() == [8.0, 5.0, 40.0]
    assert anchors(wide, model, "best_peer")[1].tolist() == [10.0, 4.0, 50.0]
    assert anchors(wide, model, "peer_p90")[1].tolist() == pytest.approx([9.4, 3.7, 47.0])
    assert anchors(wide, model, "benchmark_ratio")[0].tolist() == [0.0, 0.0, 0.0]


def test_each_rule_is_an_engine_normalisation(model, wide):
    blocks = normalisations(wide, model, "goalposts")
    assert blocks["x1"] == {"method": "goalposts", "lo": 2.0, "hi": 8.0, "range": [0.0, 1.0]}
    assert normalisations(wide, model, "best_peer")["x3"] == {"method": "target", "target": 50.0, "range": [0.0, 1.0]}
    # P's x1 = 5 under goalposts: (5 - 2) / (8 - 2) = 0.5; under the benchmark ratio 5 / 8
    assert rule_ratios(wide, model, "goalposts").loc["P", "x1"] == 0.5
    assert rule_ratios(wide, model, "benchmark_ratio").loc["P", "x1"] == 5 / 8


def test_unknown_rule():
    with pytest.raises(ParameterError, match=r"unknown scoring rule 'median'; choose one of \['benchmark_ratio'"):
        check_rule("median")


@pytest.mark.parametrize("rule, expected", [
    # the quantitative points of the hand-scored tests of test_evaluation_model (their scores less the 10
    # default qualitative points)
    ("benchmark_ratio", [48.625, 81.0, 69.0, 28.25]),
    ("best_peer", [42.5, 78.0, 64.0, 28.0]),
    ("goalposts", [37.5, 80.0, 65.0, 10.0]),
    ("peer_p90", [150 / 9.4 + 40 / 3.7 + 875 / 47, 50 + 1400 / 47, 30 * 8 / 9.4 + 20 / 3.7 + 35,
                  60 / 9.4 + 60 / 3.7 + 350 / 47]),
])
def test_the_model_as_a_spec_scores_the_quantitative_points(model, wide, rule, expected):
    scores = _quantitative(wide, model, rule)
    assert scores["score"].tolist() == pytest.approx(expected, abs=1e-12)


def test_the_spec_weights_indicators_by_points_and_groups_them_by_pillar(model, wide):
    spec = model_spec(wide, model, "benchmark_ratio")
    assert {code: i["weight"] for code, i in spec["indicators"].items()} == {"x1": 30.0, "x2": 20.0, "x3": 35.0}
    assert spec["groups"] == {"投入": {"weight": 50.0}, "产出": {"weight": 35.0}}
    checked = check_spec(spec)  # relative weights: within 投入 30 : 20, the pillars 50 : 35
    assert [i["weight"] for i in checked["indicators"]] == pytest.approx([0.6, 0.4, 1.0])
    assert checked["groups"] == pytest.approx({"投入": 50 / 85, "产出": 35 / 85})
    assert checked["indicators"][0]["normalise"] == {"method": "target", "target": 8.0, "range": (0.0, 85.0)}
    # a group scores 85 × the share of its pillar's points earned: P's 投入 earns 18.75 + 8 of 50
    scores = _quantitative(wide, model, "benchmark_ratio")
    assert scores.loc["P", "投入"] == pytest.approx(85 * 26.75 / 50)
    assert scores.loc["P", "产出"] == pytest.approx(85 * 21.875 / 35)


def test_goalposts_with_the_benchmark_below_every_peer(model, wide):
    # every x1 >= 9 > benchmark 8: the rule gives full points; the spec says so with a target of 8
    # P: 30 + 20*(2-1)/4 + 35*(25-10)/30 = 52.5; Q: 30 + 15 + 35 = 80; R: 30 + 0 + 35 = 65; S: 30 + 10 + 0 = 40
    high = wide.assign(x1=[9.0, 10, 12, 11])
    assert normalisations(high, model, "goalposts")["x1"] is None
    assert rule_ratios(high, model, "goalposts")["x1"].tolist() == [1.0] * 4
    spec = model_spec(high, model, "goalposts")
    assert spec["indicators"]["x1"]["normalise"] == {"method": "target", "target": 8.0, "range": [0.0, 85.0]}
    assert _quantitative(high, model, "goalposts")["score"].tolist() == pytest.approx([52.5, 80.0, 65.0, 40.0])


def test_goalposts_below_the_benchmark_score_nothing_for_outside_values(model, wide):
    # peers all >= 9 but a value of 7 scored against them is below the benchmark 8: no points
    high = wide.assign(x1=[9.0, 10, 12, 11])
    outside = pd.DataFrame({"x1": [7.0, 8.0], "x2": [1.0, 1.0], "x3": [10.0, 10.0]}, index=["u", "v"])
    assert rule_ratios(outside, model, "goalposts", peers=high)["x1"].tolist() == [0.0, 1.0]


def test_a_peer_reference_of_zero_earns_nothing(model):
    # eleven counties, ten without any x2: the linear P90 sits at the 10th value, 0; the one with 5 earns 0 too
    wide = pd.DataFrame({"x1": np.arange(1.0, 12.0), "x2": [0.0] * 10 + [5.0], "x3": np.arange(10.0, 21.0)},
                        index=[f"c{i}" for i in range(11)])
    assert anchors(wide, model, "peer_p90")[1][1] == 0.0
    assert rule_ratios(wide, model, "peer_p90")["x2"].tolist() == [0.0] * 11
    spec = model_spec(wide, model, "peer_p90")
    assert spec["indicators"]["x2"]["normalise"] == {"method": "goalposts", "lo": 5.0, "hi": 6.0, "range": [0.0, 85.0]}
    points = build_composite(wide[["x1", "x2", "x3"]], spec).normalised["x2"]
    assert points.tolist() == [0.0] * 11


def test_imputation_by_the_peer_median_is_the_engines_median(model, wide):
    wide.loc["P", "x3"] = np.nan
    # the median 40 of the observed x3 earns 35 points: 18.75 + 8 + 35 (test_evaluation_model: 71.75 - 10)
    scores = _quantitative(wide, model, "benchmark_ratio")
    assert scores.loc["P", "score"] == pytest.approx(61.75)


def test_the_zero_imputation_has_no_spec(model, wide):
    with pytest.raises(ParameterError, match=r"imputation 'zero' has no composite spec; choose one of \['peer_median', 'none'\]"):
        model_spec(wide, model, "benchmark_ratio", impute="zero")


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("impute", ["peer_median", "none"])
def test_one_engine_scores_a_province_as_the_model_does(rule, impute):
    """167 counties × the 14 Hebei indicators, skewed values, zeros and (for peer_median) holes."""
    hebei = load_model(HEBEI)
    codes = list(hebei["indicators"])
    rng = np.random.default_rng(20261206)
    values = rng.lognormal(0.0, 1.0, (167, len(codes))) * [hebei["indicators"][c]["benchmark"] for c in codes]
    values[rng.random(values.shape) < 0.05] = 0.0
    if impute == "peer_median":
        values[rng.random(values.shape) < 0.03] = np.nan
    wide = pd.DataFrame(values, columns=codes, index=[f"县{i:03d}" for i in range(167)])
    model_scores = score_counties(wide, hebei, rule=rule, qualitative=0.0, impute=impute)
    engine = _quantitative(wide, hebei, rule, impute)
    assert np.allclose(engine["score"], model_scores["score"], rtol=0, atol=1e-9)
    assert (engine["rank"] == model_scores["rank"]).all()
