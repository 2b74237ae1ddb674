"""Tests of lingshou.evaluation.composite (composite-index engine); every expected number is worked by hand."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lingshou.errors import AnalysisError, DataError, ParameterError
from lingshou.evaluation.composite import build_composite, composite, normalise_values, rank_scores, treat_outliers
from lingshou.evaluation.spec import check_spec, load_spec

DATA = Path(__file__).parent / "data" / "benchmark"


def frame(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame(columns, index=[f"u{i}" for i in range(1, n + 1)], dtype=float)


# --------------------------------------------------------------------------------------------------
# Normalisation, one method at a time


def test_minmax_default_range_flat_equal_weights():
    data = pd.DataFrame({"a": [1.0, 2, 3], "b": [30.0, 10, 20]}, index=["x", "y", "z"])
    result = composite(data, {"indicators": {"a": {}, "b": {}}})
    # a: (x-1)/(3-1)*100 = 0, 50, 100 ; b: (x-10)/20*100 = 100, 0, 50
    # score = mean: x (0+100)/2 = 50, y (50+0)/2 = 25, z (100+50)/2 = 75 -> ranks z 1, x 2, y 3
    assert result["score"].tolist() == pytest.approx([50.0, 25.0, 75.0])
    assert result["rank"].tolist() == [2, 3, 1]
    assert list(result.columns) == ["score", "rank"]


def test_minmax_custom_range_and_direction():
    data = frame(a=[1, 2, 3])
    up = normalise_values(data["a"], {"method": "minmax", "range": (1.0, 100.0)})
    # 1 + 99 * (0, 0.5, 1) = 1, 50.5, 100
    assert up.tolist() == pytest.approx([1.0, 50.5, 100.0])
    down = normalise_values(data["a"], {"method": "minmax", "range": (0.0, 100.0)}, direction=-1)
    # negated: -1, -2, -3 -> (y - (-3)) / 2 * 100 = 100, 50, 0
    assert down.tolist() == pytest.approx([100.0, 50.0, 0.0])


def test_zscore_uses_sample_sd():
    x = [2.0, 4.0, 6.0]
    # mean 4, sample SD sqrt(((-2)^2 + 0 + 2^2) / (3 - 1)) = sqrt(4) = 2 -> z = -1, 0, 1
    # (the population SD sqrt(8/3) = 1.633 would give +-1.2247)
    assert normalise_values(x, {"method": "zscore", "mean": 0.0, "sd": 1.0}).tolist() == pytest.approx([-1, 0, 1])
    # rescaled to mean 50, sd 10: 40, 50, 60; direction -1 reverses: 60, 50, 40
    spec = {"normalise": {"method": "zscore", "mean": 50, "sd": 10},
            "indicators": {"a": {"direction": -1}}}
    assert composite(frame(a=x), spec)["score"].tolist() == pytest.approx([60.0, 50.0, 40.0])


def test_goalposts_clip_then_scale():
    x = [5.0, 15.0, 25.0]
    block = {"method": "goalposts", "lo": 10.0, "hi": 20.0, "range": (0.0, 100.0)}
    # clip to [10, 20]: 10, 15, 20 -> (x - 10) / 10 * 100 = 0, 50, 100
    assert normalise_values(x, block).tolist() == pytest.approx([0.0, 50.0, 100.0])
    # direction -1: (20 - clip(x)) / 10 * 100 = 100, 50, 0
    assert normalise_values(x, block, direction=-1).tolist() == pytest.approx([100.0, 50.0, 0.0])


def test_target_capped_ratio():
    # min(x / 8, 1) * 100: 2/8 = 25, 4/8 = 50, 12/8 -> 1 -> 100
    block = {"method": "target", "target": 8.0, "range": (0.0, 100.0)}
    assert normalise_values([2.0, 4.0, 12.0], block).tolist() == pytest.approx([25.0, 50.0, 100.0])
    # direction -1, target 4: min(4/2, 1) = 1 -> 100; 4/8 = 0.5 -> 50; x = 0 is best -> 100
    block = {"method": "target", "target": 4.0, "range": (0.0, 100.0)}
    assert normalise_values([2.0, 8.0, 0.0], block, direction=-1).tolist() == pytest.approx([100.0, 50.0, 100.0])


def test_rank_scaling_with_ties():
    x = [10.0, 30.0, 20.0, 20.0]
    # average ranks (1 = lowest): 10 -> 1, 20, 20 -> 2.5, 30 -> 4; (r - 1) / (4 - 1) * 100 = 0, 100, 50, 50
    block = {"method": "rank", "range": (0.0, 100.0)}
    assert normalise_values(x, block).tolist() == pytest.approx([0.0, 100.0, 50.0, 50.0])
    # direction -1 negates first: ranks 4, 1, 2.5, 2.5 -> 100, 0, 50, 50
    assert normalise_values(x, block, direction=-1).tolist() == pytest.approx([100.0, 0.0, 50.0, 50.0])


def test_indicator_override_inherits_default_range():
    spec = {"normalise": {"method": "minmax", "range": [1, 100]},
            "indicators": {"a": {"normalise": {"method": "target", "target": 4}}, "b": {}}}
    resolved = check_spec(spec)
    assert resolved["indicators"][0]["normalise"] == {"method": "target", "range": (1.0, 100.0), "target": 4.0}
    # a zscore override takes no range at all
    spec["indicators"]["b"] = {"normalise": {"method": "zscore"}}
    assert check_spec(spec)["indicators"][1]["normalise"] == {"method": "zscore", "mean": 0.0, "sd": 1.0}


# --------------------------------------------------------------------------------------------------
# Weighting and aggregation


TWO_GROUPS = {
    "indicators": {"a": {"group": "g1"}, "b": {"group": "g1", "weight": 3}, "c": {"group": "g2", "direction": -1}},
    "groups": {"g1": {"weight": 2}, "g2": {"weight": 1}},
}


def two_group_data() -> pd.DataFrame:
    return pd.DataFrame({"a": [1.0, 2, 3], "b": [10.0, 30, 20], "c": [5.0, 4, 1]}, index=["x", "y", "z"])


def test_weights_within_and_between_groups():
    result = build_composite(two_group_data(), TWO_GROUPS)
    # a -> 0, 50, 100; b -> 0, 100, 50; c negated -5, -4, -1 -> 0, 25, 100
    # g1 = (1*a + 3*b) / 4: x 0, y 12.5 + 75 = 87.5, z 25 + 37.5 = 62.5 ; g2 = c
    # score = (2*g1 + 1*g2) / 3: x 0, y (175 + 25) / 3 = 66.667, z (125 + 100) / 3 = 75
    scores = result.scores
    assert list(scores.columns) == ["score", "rank", "g1", "g2"]
    assert scores["g1"].tolist() == pytest.approx([0.0, 87.5, 62.5])
    assert scores["g2"].tolist() == pytest.approx([0.0, 25.0, 100.0])
    assert scores["score"].tolist() == pytest.approx([0.0, 200 / 3, 75.0])
    assert scores["rank"].tolist() == [3, 2, 1]


def test_effective_weights_and_correlations():
    result = build_composite(two_group_data(), TWO_GROUPS)
    ew = result.effective_weights.set_index("indicator")
    # nominal: a 1/4 * 2/3 = 1/6, b 3/4 * 2/3 = 1/2, c 1 * 1/3 = 1/3
    assert ew["weight"].tolist() == pytest.approx([1 / 6, 1 / 2, 1 / 3])
    # contributions: a 1/6 * (0 + 50 + 100) = 25, b 1/2 * (0 + 100 + 50) = 75, c 1/3 * (0 + 25 + 100) = 41.667
    # total 141.667 = sum of the scores 0 + 66.667 + 75 -> shares 0.17647, 0.52941, 0.29412
    assert ew["contribution"].tolist() == pytest.approx([25 / (425 / 3), 75 / (425 / 3), (125 / 3) / (425 / 3)])
    # c is alone in g2: its correlation with g2 is 1
    assert ew.loc["c", "corr_group"] == pytest.approx(1.0)
    # corr(a, b) on (0, 50, 100) and (0, 100, 50): deviations (-50, 0, 50) and (-50, 50, 0)
    # -> 2500 / sqrt(5000 * 5000) = 0.5
    corr = result.correlations
    assert corr[["group", "indicator_1", "indicator_2"]].values.tolist() == [["g1", "a", "b"]]
    assert corr["r"].iloc[0] == pytest.approx(0.5)


def test_geometric_aggregation_weighted():
    spec = {"normalise": {"method": "minmax", "range": [1, 100]}, "aggregate": "geometric",
            "indicators": {"a": {"weight": 1}, "b": {"weight": 3}}}
    data = pd.DataFrame({"a": [0.0, 5, 10], "b": [10.0, 5, 0]}, index=["x", "y", "z"])
    result = composite(data, spec)
    # a -> 1, 50.5, 100 ; b -> 100, 50.5, 1 ; weights 1/4, 3/4
    # x: 1^0.25 * 100^0.75 = 31.6228 ; y: 50.5 ; z: 100^0.25 * 1^0.75 = 3.16228
    assert result["score"].tolist() == pytest.approx([100 ** 0.75, 50.5, 100 ** 0.25])
    assert result["rank"].tolist() == [2, 1, 3]


def test_geometric_refuses_zero_and_suggests_range():
    spec = {"aggregate": "geometric", "indicators": {"a": {}, "b": {}}}
    data = pd.DataFrame({"a": [0.0, 5, 10], "b": [10.0, 5, 0]}, index=["x", "y", "z"])
    with pytest.raises(AnalysisError, match=r"\(x, a\).*range such as \[1, 100\]"):
        composite(data, spec)


def test_ties_share_the_lower_rank():
    result = composite(frame(a=[3, 1, 1, 0]), {"indicators": {"a": {}}})
    # 100, 33.3, 33.3, 0 -> ranks 1, 2, 2, 4 (method 'min')
    assert result["rank"].tolist() == [1, 2, 2, 4]
    # a three-way tie at the top: 1, 1, 1, 4 (the average method would give 2, 2, 2, 4)
    assert rank_scores(pd.Series([5.0, 5.0, 5.0, 1.0])).tolist() == [1, 1, 1, 4]
    # 0.1 + 0.2 = 0.30000000000000004 in floating point: still a tie after rounding to 9 decimals
    assert rank_scores(pd.Series([(0.1 + 0.2) / 3, 0.3 / 3, 0.0])).tolist() == [1, 1, 3]


# --------------------------------------------------------------------------------------------------
# Literature: the UNDP Human Development Index (HDR 2020), goalposts + arithmetic + geometric


HDI_SPEC = {
    "aggregate": {"indicators": "arithmetic", "groups": "geometric"},
    "indicators": {
        "life_expectancy": {"group": "health", "normalise": {"method": "goalposts", "lo": 20, "hi": 85, "range": [0, 1]}},
        "expected_schooling": {"group": "education", "normalise": {"method": "goalposts", "lo": 0, "hi": 18, "range": [0, 1]}},
        "mean_schooling": {"group": "education", "normalise": {"method": "goalposts", "lo": 0, "hi": 15, "range": [0, 1]}},
        "ln_gni": {"group": "income", "normalise": {"method": "goalposts", "lo": math.log(100), "hi": math.log(75000),
                                                    "range": [0, 1]}},
    },
}


def test_reproduces_hdr2020_hdi():
    """UNDP, Human Development Report 2020, Technical notes (technical note 1) and Table 1.

    Technical note 1: dimension indices by goalposts (life expectancy 20-85 years, expected schooling
    0-18, mean schooling 0-15, ln GNI per capita ln 100 - ln 75,000), education = arithmetic mean of
    its two indices, HDI = geometric mean of the three dimension indices.  Its worked example gives the
    income index of GNI 3,829 as (ln 3829 - ln 100) / (ln 75000 - ln 100) = 0.5506 and
    HDI = (0.6971 * 0.3447 * 0.5506)^(1/3) = 0.510.  Table 1 (2019 data) rows used below:
    Norway 82.4 y, 18.1 y, 12.9 y, 66,494 $ -> HDI 0.957; Sudan 65.3, 7.9, 3.8, 3,829 -> 0.510;
    Niger 62.4, 6.5, 2.1, 1,201 -> 0.394.
    """
    data = pd.DataFrame(
        {"life_expectancy": [82.4, 65.3, 62.4], "expected_schooling": [18.1, 7.9, 6.5],
         "mean_schooling": [12.9, 3.8, 2.1], "ln_gni": np.log([66494.0, 3829.0, 1201.0])},
        index=["Norway", "Sudan", "Niger"])
    result = composite(data, HDI_SPEC)
    # Norway: health (82.4-20)/65 = 0.96; education (1 [18.1 capped at 18] + 12.9/15 = 0.86)/2 = 0.93;
    #   income ln(664.94)/ln(750) = 6.49968/6.62007 = 0.98181; HDI (0.96*0.93*0.98181)^(1/3) = 0.95706
    # Sudan: 45.3/65 = 0.69692; (7.9/18 = 0.43889 + 3.8/15 = 0.25333)/2 = 0.34611; ln(38.29)/ln(750)
    #   = 3.64519/6.62007 = 0.55063; (0.69692*0.34611*0.55063)^(1/3) = 0.13282^(1/3) = 0.51027
    # Niger: 42.4/65 = 0.65231; (0.36111 + 0.14)/2 = 0.25056; ln(12.01)/ln(750) = 0.37548;
    #   (0.65231*0.25056*0.37548)^(1/3) = 0.061369^(1/3) = 0.39447
    assert result["score"].round(3).tolist() == [0.957, 0.510, 0.394]
    assert result.loc["Sudan", "income"] == pytest.approx(0.5506, abs=5e-5)
    assert result.loc["Norway", "education"] == pytest.approx(0.93)
    assert result["rank"].tolist() == [1, 2, 3]


def test_reproduces_hdr2020_worked_example_aggregation():
    # The technical note's own dimension indices: (0.6971 * 0.3447 * 0.5506)^(1/3) = 0.13230^(1/3) = 0.510
    spec = {"aggregate": "geometric", "normalise": {"method": "goalposts", "lo": 0, "hi": 1, "range": [0, 1]},
            "indicators": {"health": {}, "education": {}, "income": {}}}
    data = pd.DataFrame({"health": [0.6971, 1.0], "education": [0.3447, 1.0], "income": [0.5506, 1.0]},
                        index=["example", "ideal"])
    assert round(composite(data, spec).loc["example", "score"], 3) == 0.510


# --------------------------------------------------------------------------------------------------
# Missing values


def test_impute_none_lists_every_cell():
    data = pd.DataFrame({"a": [1.0, np.nan, 3], "b": [np.nan, 2.0, 3]}, index=["x", "y", "z"])
    with pytest.raises(DataError, match=r"2 missing value\(s\): \(y, a\), \(x, b\); choose impute"):
        composite(data, {"indicators": {"a": {}, "b": {}}})


def test_impute_mean_is_reported():
    data = pd.DataFrame({"a": [1.0, np.nan, 3], "b": [1.0, 2, 3]}, index=["x", "y", "z"])
    result = build_composite(data, {"impute": "mean", "indicators": {"a": {}, "b": {}}})
    # a_y = (1 + 3) / 2 = 2 -> a and b both normalise to 0, 50, 100 -> scores 0, 50, 100
    assert result.scores["score"].tolist() == pytest.approx([0.0, 50.0, 100.0])
    assert result.imputed.to_dict("records") == [{"unit": "y", "indicator": "a", "value": 2.0, "method": "mean"}]


def test_impute_median():
    data = pd.DataFrame({"a": [1.0, np.nan, 3, 10], "b": [1.0, 2, 3, 4]}, index=["w", "x", "y", "z"])
    result = build_composite(data, {"impute": "median", "indicators": {"a": {}, "b": {}}})
    # median of 1, 3, 10 = 3 -> a = 1, 3, 3, 10 -> (x-1)/9*100: 0, 22.222, 22.222, 100
    # b -> 0, 33.333, 66.667, 100 ; x = (22.222 + 33.333) / 2 = 27.778
    assert result.scores.loc["x", "score"] == pytest.approx((200 / 9 + 100 / 3) / 2)
    assert result.imputed.to_dict("records") == [{"unit": "x", "indicator": "a", "value": 3.0, "method": "median"}]


def test_impute_reweight_over_available_indicators():
    data = pd.DataFrame({"a": [1.0, np.nan, 3], "b": [1.0, 2, 3]}, index=["x", "y", "z"])
    result = build_composite(data, {"impute": "reweight", "indicators": {"a": {}, "b": {"weight": 3}}})
    # y has b only: its score is b_y = 50 (a's weight 1/4 is given to nothing); x 0, z 100
    assert result.scores["score"].tolist() == pytest.approx([0.0, 50.0, 100.0])
    assert result.normalised["a"].isna().tolist() == [False, True, False]
    assert math.isnan(result.imputed.loc[0, "value"]) and result.imputed.loc[0, "method"] == "reweight"


def test_reweight_across_groups():
    data = two_group_data()
    data.loc["y", "c"] = np.nan
    result = build_composite(data, {**TWO_GROUPS, "impute": "reweight"})
    # y: g2 empty -> the index is g1 alone = 87.5; c on x, z only: -5, -1 -> 0, 100
    assert result.scores.loc["y", "score"] == pytest.approx(87.5)
    assert math.isnan(result.scores.loc["y", "g2"])
    assert result.scores.loc["z", "score"] == pytest.approx((2 * 62.5 + 100) / 3)


def test_reweight_unit_without_any_value():
    data = pd.DataFrame({"a": [1.0, np.nan, 3], "b": [1.0, np.nan, 3]}, index=["x", "y", "z"])
    with pytest.raises(AnalysisError, match=r"unit\(s\) \['y'\] have no usable value"):
        composite(data, {"impute": "reweight", "indicators": {"a": {}, "b": {}}})


def test_impute_mean_of_empty_column():
    data = pd.DataFrame({"a": [np.nan, np.nan], "b": [1.0, 2]}, index=["x", "y"])
    with pytest.raises(DataError, match=r"indicator\(s\) \['a'\] have no observed value to impute from"):
        composite(data, {"impute": "median", "indicators": {"a": {}, "b": {}}})


# --------------------------------------------------------------------------------------------------
# Outliers (JRC / COINr rule)


def test_winsorise_one_high_point_then_pass():
    # 1..10 and 100: type-2 skew 3.26 > 2 and excess kurtosis 10.71 > 3.5 (pandas skew()/kurt(), the
    # e1071 type 2 statistics COINr uses) -> flagged; skew >= 0 so the high end is Winsorised: 100 takes
    # the next value, 10.  1..10, 10 has skew -0.13: passes after one point.
    data = frame(v=list(range(1, 11)) + [100])
    treatment = treat_outliers(data)
    assert treatment.points.to_dict("records") == [
        {"indicator": "v", "unit": "u11", "original": 100.0, "treated": 10.0, "treatment": "winhi"}]
    assert treatment.summary.loc[0, "treatment"] == "winsorised"
    # inside composite: the treated 10 ties the top -> minmax (x - 1) / 9: u10 and u11 both 100
    result = build_composite(data, {"outliers": True, "indicators": {"v": {}}})
    scores = result.scores
    assert scores.loc["u11", "score"] == pytest.approx(100.0) and scores.loc["u10", "score"] == pytest.approx(100.0)
    assert result.treated["treatment"].tolist() == ["winhi"]
    # without treatment u10 would be (10 - 1) / 99 * 100 = 9.09
    assert composite(data, {"indicators": {"v": {}}}).loc["u10", "score"] == pytest.approx(900 / 99)


def test_heavy_tails_without_skew_are_not_treated():
    # -10, ten 0s, 10: symmetric, skew 0; excess kurtosis: m2 = 200/12, m4 = 20000/12 -> g2 = m4/m2^2 - 3 = 3,
    # type 2: ((n+1) g2 + 6)(n-1)/((n-2)(n-3)) = (13*3 + 6) * 11 / 90 = 5.5 > 3.5, but both must be exceeded
    treatment = treat_outliers(frame(v=[-10] + [0] * 10 + [10]))
    assert treatment.summary.loc[0, "kurt"] == pytest.approx(5.5)
    assert not treatment.summary.loc[0, "flagged"] and treatment.points.empty


def test_winsorise_low_end_when_skew_negative():
    # mirror image: -100 and 1..10 has skew -3.27 -> the low end: -100 takes the next value, 1
    treatment = treat_outliers(frame(v=[-100] + list(range(1, 11))))
    assert treatment.points[["unit", "treated", "treatment"]].values.tolist() == [["u1", 1.0, "winlo"]]


def test_log_ct_when_winsorising_cannot_help():
    # twenty 0s, 1 and 100.  Hand check of the flag with p = share of a point mass:
    #   0s + (1, 1): p = 2/22, g1 = (1 - 2p)/sqrt(p(1-p)) = 0.8182/0.28748 = 2.846,
    #   type 2: G1 = g1 * sqrt(n(n-1))/(n-2) = 2.846 * 21.494/20 = 3.059 > 2;
    #   g2 = (1 - 6p(1-p))/(p(1-p)) = 6.1, G2 = ((n+1) g2 + 6)(n-1)/((n-2)(n-3)) = 146.3*21/380 = 8.09 > 3.5
    # so after 100 -> 1 it still fails, and the next step would make the column all 0s: stop, and
    # log_CT the ORIGINAL values: ln(x - 0 + 0.01 * (100 - 0)) = ln(x + 1): 0 -> 0, 1 -> ln 2, 100 -> ln 101
    data = frame(v=[0] * 20 + [1, 100])
    treatment = treat_outliers(data)
    assert treatment.summary.loc[0, "treatment"] == "log_CT" and treatment.summary.loc[0, "n_treated"] == 22
    assert treatment.data["v"].iloc[-3:].tolist() == pytest.approx([0.0, math.log(2), math.log(101)])
    assert set(treatment.points["treatment"]) == {"log_CT"}


def test_winmax_limits_the_winsorised_points():
    # with winmax 0 nothing may be Winsorised: the flagged 1..10, 100 goes straight to log_CT:
    # ln(x - 1 + 0.01 * 99) -> the minimum 1 becomes ln(0.99)
    treatment = treat_outliers(frame(v=list(range(1, 11)) + [100]), winmax=0)
    assert treatment.summary.loc[0, "treatment"] == "log_CT"
    assert treatment.data["v"].iloc[0] == pytest.approx(math.log(0.99))


def test_goalposts_indicators_are_not_treated():
    spec = {"outliers": {"winmax": 5}, "indicators": {"v": {"normalise": {"method": "goalposts", "lo": 0, "hi": 50}}}}
    result = build_composite(frame(v=list(range(1, 11)) + [100]), spec)
    assert result.treated.empty and result.outliers.empty
    # goalposts clip instead: 100 -> 50 -> 100 points; 10 -> 20
    assert result.scores["score"].iloc[-2:].tolist() == pytest.approx([20.0, 100.0])


# --------------------------------------------------------------------------------------------------
# Spec files and reports


def test_load_spec_and_same_result_as_dict():
    spec = load_spec(DATA / "spec_example.yaml")
    assert spec["groups"] == {"g1": {"weight": 2}, "g2": {"weight": 1}}
    assert composite(two_group_data(), spec)["score"].tolist() == pytest.approx([0.0, 200 / 3, 75.0])


def test_load_spec_errors(tmp_path):
    with pytest.raises(ParameterError, match="spec file does not exist"):
        load_spec(tmp_path / "absent.yaml")
    with pytest.raises(ParameterError, match="does not hold a mapping"):
        load_spec(DATA / "spec_not_mapping.yaml")


def test_composite_is_the_scores_of_build_composite():
    # composite() is the scores alone (no side channel on the frame); the reports are build_composite's
    one = composite(two_group_data(), TWO_GROUPS)
    pd.testing.assert_frame_equal(one, build_composite(two_group_data(), TWO_GROUPS).scores)
    assert not one.attrs and len(pd.concat([one, one])) == 6
    full = build_composite(two_group_data(), TWO_GROUPS)
    assert full.effective_weights["indicator"].tolist()[1] == "b"
    assert full.normalised.loc["z", "c"] == pytest.approx(100.0)


# --------------------------------------------------------------------------------------------------
# Errors: spec


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ({"indicators": {"a": {}}, "weights": 1}, r"unknown key\(s\) \['weights'\] in spec"),
        ({"indicators": {"a": {"wieght": 2}}}, r"unknown key\(s\) \['wieght'\] in spec.indicators.a"),
        ({"indicators": {"a": {"normalise": {"method": "maxmin"}}}}, r"unknown normalisation method 'maxmin'"),
        ({"indicators": {"a": {"normalise": {"method": "zscore", "range": [0, 1]}}}},
         r"unknown key\(s\) \['range'\] in spec.indicators.a.normalise \(zscore\)"),
        ({"indicators": {"a": {"normalise": {"method": "minmax", "lo": 1}}}},
         r"unknown key\(s\) \['lo'\] in spec.indicators.a.normalise \(minmax\)"),
        ({"indicators": {"a": {"normalise": {"colour": 1}}}}, r"unknown key\(s\) \['colour'\]"),
        ({"indicators": {"a": {"normalise": "minmax"}}}, r"spec.indicators.a.normalise must be a mapping"),
        ({"indicators": {"a": {"normalise": {"method": "goalposts", "lo": 1}}}}, r"goalposts in .* need 'hi'"),
        ({"indicators": {"a": {"normalise": {"method": "goalposts", "lo": 5, "hi": 5}}}}, r"lo/hi needs lo < hi"),
        ({"indicators": {"a": {"normalise": {"method": "target"}}}}, r"method target in .* needs 'target'"),
        ({"indicators": {"a": {"normalise": {"method": "target", "target": 0}}}}, r"target must be > 0, got 0"),
        ({"indicators": {"a": {"normalise": {"method": "target", "target": "1e3"}}}},
         r"target must be a finite number, got '1e3'"),
        ({"normalise": {"method": "minmax", "range": [0]}, "indicators": {"a": {}}}, r"must be \[lo, hi\], got \[0\]"),
        ({"normalise": {"method": "minmax", "range": [100, 0]}, "indicators": {"a": {}}}, r"needs lo < hi, got \[100, 0\]"),
        ({"aggregate": "harmonic", "indicators": {"a": {}}}, r"unknown aggregation 'harmonic' at level 'indicators'"),
        ({"aggregate": {"pillars": "geometric"}, "indicators": {"a": {}}}, r"unknown key\(s\) \['pillars'\] in spec.aggregate"),
        ({"impute": "zero", "indicators": {"a": {}}}, r"unknown impute='zero'"),
        ({"outliers": {"skew": 2, "winmax": 2.5}, "indicators": {"a": {}}}, r"winmax must be a non-negative integer, got 2.5"),
        ({"outliers": {"kurtosis": 3}, "indicators": {"a": {}}}, r"unknown key\(s\) \['kurtosis'\] in spec.outliers"),
        ({"outliers": {"skew": -1}, "indicators": {"a": {}}}, r"spec.outliers.skew must be > 0"),
        ({"indicators": {}}, r"spec.indicators must be a non-empty mapping"),
        ({"indicators": {"a": {"direction": 0}}}, r"direction must be 1 or -1, got 0"),
        ({"indicators": {"a": {"direction": True}}}, r"direction must be 1 or -1, got True"),
        ({"indicators": {"a": {"weight": -1}}}, r"spec.indicators.a.weight must not be negative"),
        ({"indicators": {"a": {"weight": True}}}, r"weight must be a finite number, got True"),
        ({"indicators": {"a": {"weight": 0}, "b": {"weight": 0}}}, r"the weights of indicator\(s\) \['a', 'b'\] sum to 0"),
        ({"indicators": {"a": {"group": 1}}}, r"group must be a string, got 1"),
        ({"indicators": {"a": {"group": "g"}, "b": {}}}, r"indicator\(s\) \['b'\] have no group while others do"),
        ({"indicators": {"a": {"group": "g"}}, "groups": {"g": {}, "h": {}}}, r"unknown key\(s\) \['h'\] in spec.groups"),
        ({"indicators": {"a": {"group": "score"}}}, r"group name\(s\) \['score'\] clash"),
        ({"indicators": {"a": {"group": "g"}}, "groups": {"g": {"weight": -2}}}, r"spec.groups.g.weight must not be negative"),
        ({"indicators": {"a": {"group": "g"}}, "groups": {"g": {"weight": 0}}}, r"the group weights sum to 0"),
        ({"indicators": {"a": {"group": "g"}}, "groups": {"g": {"w": 1}}}, r"unknown key\(s\) \['w'\] in spec.groups.g"),
        ({"indicators": {"zz": {}}}, r"spec indicator\(s\) \['zz'\] are not columns of the data"),
        ("not a spec", r"spec must be a mapping"),
    ],
)
def test_bad_specs(spec, match):
    with pytest.raises(ParameterError, match=match):
        composite(frame(a=[1, 2, 3], b=[3, 2, 2]), spec)


# --------------------------------------------------------------------------------------------------
# Errors: data


def test_constant_column_is_refused_by_minmax_and_zscore():
    with pytest.raises(DataError, match=r"indicator b is constant \(2\): minmax is impossible"):
        composite(frame(a=[1, 2, 3], b=[2, 2, 2]), {"indicators": {"a": {}, "b": {}}})
    with pytest.raises(DataError, match=r"indicator b is constant \(2\): zscore is impossible"):
        composite(frame(a=[1, 2, 3], b=[2, 2, 2]), {"normalise": {"method": "zscore"}, "indicators": {"b": {}}})
    # goalposts have fixed anchors: a constant column is fine (2 of [0, 4] -> 50)
    spec = {"indicators": {"b": {"normalise": {"method": "goalposts", "lo": 0, "hi": 4}}}}
    assert composite(frame(b=[2, 2, 2]), spec)["score"].tolist() == pytest.approx([50.0] * 3)


def test_too_few_values_for_rank():
    data = pd.DataFrame({"a": [1.0, np.nan]}, index=["x", "y"])
    with pytest.raises(DataError, match="indicator a has fewer than 2 observed values: rank is impossible"):
        composite(data, {"impute": "reweight", "normalise": {"method": "rank"}, "indicators": {"a": {}}})


def test_target_refuses_negative_values():
    spec = {"indicators": {"a": {"normalise": {"method": "target", "target": 2}}}}
    with pytest.raises(DataError, match="indicator a has negative values: method target needs x >= 0"):
        composite(frame(a=[-1, 2, 3]), spec)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (pd.DataFrame(), "data must be a non-empty DataFrame"),
        (pd.DataFrame({"a": [1.0, 2.0]}, index=["x", "x"]), r"duplicated unit name\(s\) in the data: \['x'\]"),
        (pd.DataFrame({"a": ["1", "2"]}, index=["x", "y"]), r"column\(s\) \['a'\] are not numeric"),
        (pd.DataFrame({"a": [True, False]}, index=["x", "y"]), r"column\(s\) \['a'\] are not numeric"),
        (pd.DataFrame({"a": [1.0, np.inf]}, index=["x", "y"]), r"column\(s\) \['a'\] hold infinite values"),
    ],
)
def test_bad_data(data, match):
    with pytest.raises(DataError, match=match):
        composite(data, {"indicators": {"a": {}}})


def test_extra_data_columns_are_ignored():
    data = two_group_data().assign(note=["p", "q", "r"])
    assert composite(data, TWO_GROUPS)["score"].tolist() == pytest.approx([0.0, 200 / 3, 75.0])
