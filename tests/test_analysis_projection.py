"""Tests of lingshou.analysis.projection. Expected numbers are computed by hand in the comments."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingshou.analysis import projection as P
from lingshou.errors import AnalysisError, DataError, ParameterError


def series(values: dict, name="enterprise_rd_expenditure") -> pd.Series:
    return pd.Series(values, name=name, dtype="float64")


# Exactly +10 %/yr: 100, 110, 121, 133.1, 146.41 (2019–2023).
RD10 = {2019: 100.0, 2020: 110.0, 2021: 121.0, 2022: 133.1, 2023: 146.41}
# A noisy history for the simulation's properties.
RD_NOISY = {2016: 1000.0, 2017: 1150.0, 2018: 1240.0, 2019: 1500.0, 2020: 1580.0,
            2021: 1800.0, 2022: 2050.0, 2023: 2300.0}


# ---------------------------------------------------------------- compounding and plan path

def test_compound_path_100_at_15_pct():
    # 100 * 1.15 = 115; * 1.15 = 132.25; * 1.15 = 152.0875
    path = P.compound_path(100.0, 2020, 15.0, 2023)
    assert list(path.index) == [2020, 2021, 2022, 2023]
    np.testing.assert_allclose(path.to_numpy(), [100.0, 115.0, 132.25, 152.0875], rtol=1e-12)


def test_compound_path_rejects_end_before_start():
    with pytest.raises(ParameterError, match="end_year=2019 is before the start year 2020"):
        P.compound_path(100.0, 2020, 15.0, 2019)


def test_plan_path_defaults_to_base_2021():
    # base 2021 = 100; 115, 132.25, 152.0875, 152.0875 * 1.15 = 174.900625
    path = P.plan_path(series({2020: 80.0, 2021: 100.0, 2022: 110.0}))
    assert path.name == "plan_path"
    assert list(path.index) == [2021, 2022, 2023, 2024, 2025]
    np.testing.assert_allclose(path.to_numpy(), [100.0, 115.0, 132.25, 152.0875, 174.900625], rtol=1e-12)


def test_plan_path_base_year_and_plan_start_parameters():
    s = series({2020: 80.0, 2021: 100.0, 2022: 110.0})
    # base 2020 = 80 at 10 %: 80, 88, 96.8
    np.testing.assert_allclose(P.plan_path(s, base_year=2020, growth_pct=10.0, end_year=2022).to_numpy(),
                               [80.0, 88.0, 96.8], rtol=1e-12)
    # plan_start 2023 -> base 2022 = 110; 110 * 1.15 = 126.5
    np.testing.assert_allclose(P.plan_path(s, end_year=2023, plan_start=2023).to_numpy(), [110.0, 126.5])


def test_plan_path_missing_base_year():
    with pytest.raises(DataError, match="no observation in the base year 2021"):
        P.plan_path(series({2019: 1.0, 2020: 2.0}))


# ---------------------------------------------------------------- history: CAGR and trend

def test_cagr_uses_end_points_only():
    # (133.1 / 100) ** (1/3) = 1.1 -> 10 %, whatever happens in between
    assert P.cagr(series({2018: 100.0, 2019: 150.0, 2020: 90.0, 2021: 133.1})) == pytest.approx(10.0)


def test_cagr_over_a_gap_when_allowed():
    # 2019 -> 2021 is two years: (121 / 100) ** (1/2) = 1.1
    s = series({2019: 100.0, 2021: 121.0})
    assert P.cagr(s, allow_gaps=True) == pytest.approx(10.0)
    with pytest.raises(DataError, match="missing years 2020 inside the series"):
        P.cagr(s)


def test_cagr_needs_two_points():
    with pytest.raises(AnalysisError, match="the CAGR needs at least 2"):
        P.cagr(series({2020: 5.0}))


def test_trend_growth_exact_exponential():
    # 100 * 1.2 ** t: slope = ln 1.2, growth 20 %, residuals 0 so SE 0
    fit = P.trend_growth(series({y: 100.0 * 1.2 ** (y - 2018) for y in range(2018, 2023)}))
    assert fit.slope == pytest.approx(math.log(1.2))
    assert fit.growth_pct == pytest.approx(20.0)
    assert fit.slope_se == pytest.approx(0.0, abs=1e-12)


def test_trend_growth_hand_computed_ols():
    # log y = [0, 0.1, 0.3] at centred years [-1, 0, 1]:
    # slope = (0*-1 + 0.1*0 + 0.3*1) / 2 = 0.15; level = mean = 0.4/3
    # fitted = [-0.016667, 0.133333, 0.283333]; residuals [0.016667, -0.033333, 0.016667]
    # RSS = 0.000277778 + 0.001111111 + 0.000277778 = 0.001666667; s2 = RSS / (3 - 2)
    # SE = sqrt(s2 / 2) = sqrt(0.000833333) = 0.0288675
    # growth = 100 * (e^0.15 - 1) = 16.18342; its SE = 100 * 1.161834 * 0.0288675 = 3.353927
    fit = P.trend_growth(series({2020: 1.0, 2021: math.exp(0.1), 2022: math.exp(0.3)}))
    assert fit.slope == pytest.approx(0.15)
    assert fit.level == pytest.approx(0.4 / 3)
    assert fit.slope_se == pytest.approx(0.0288675, rel=1e-5)
    assert fit.growth_pct == pytest.approx(16.18342, rel=1e-6)
    assert fit.growth_se_pct == pytest.approx(3.353927, rel=1e-5)
    # trend at 2023 = exp(0.4/3 + 0.15 * 2) = exp(0.433333) = 1.542390
    path = P.trend_path(series({2020: 1.0, 2021: math.exp(0.1), 2022: math.exp(0.3)}), end_year=2023)
    assert list(path.index) == [2020, 2021, 2022, 2023]
    assert path.loc[2023] == pytest.approx(1.542390, rel=1e-6)


def test_trend_growth_two_points_has_no_se():
    fit = P.trend_growth(series({2020: 100.0, 2021: 125.0}))
    assert fit.growth_pct == pytest.approx(25.0)
    assert math.isnan(fit.slope_se)


def test_trend_needs_two_points():
    with pytest.raises(AnalysisError, match="the trend needs at least 2"):
        P.trend_growth(series({2020: 5.0}))


def test_growth_stats_hand_computed():
    # log growths 0.1 and 0.3: mu = 0.2; s = sqrt((0.01 + 0.01) / 1) = 0.141421; se = s / sqrt(2) = 0.1
    st_ = P.growth_stats(series({2020: 1.0, 2021: math.exp(0.1), 2022: math.exp(0.4)}))
    assert (st_.n_obs, st_.n_growths, st_.df) == (3, 2, 1)
    assert st_.mean_log_growth == pytest.approx(0.2)
    assert st_.sd_log_growth == pytest.approx(0.141421, rel=1e-5)
    assert st_.se_mean == pytest.approx(0.1)
    # the drift as a rate equals the CAGR: e^0.2 - 1
    assert st_.growth_pct == pytest.approx(100 * (math.exp(0.2) - 1))


def test_growth_stats_over_a_gap():
    # 2020 -> 2021: 0.1 (k=1); 2021 -> 2023: 0.4 (k=2); mu = 0.5 / 3 = 0.166667
    # residuals: 0.1 - 0.166667 = -0.066667 -> squared / 1 = 0.0044444
    #            0.4 - 2 * 0.166667 = 0.066667 -> squared / 2 = 0.0022222
    # s2 = 0.0066667 / (2 - 1); s = 0.0816497; se = s / sqrt(3) = 0.0471405
    s = series({2020: 1.0, 2021: math.exp(0.1), 2023: math.exp(0.5)})
    st_ = P.growth_stats(s, allow_gaps=True)
    assert st_.mean_log_growth == pytest.approx(0.5 / 3)
    assert st_.sd_log_growth == pytest.approx(0.0816497, rel=1e-5)
    assert st_.se_mean == pytest.approx(0.0471405, rel=1e-5)
    assert st_.gap_years == (2022,)
    assert st_.span_years == 3


def test_log_growths_table_and_minimum():
    g = P.log_growths(series({2020: 100.0, 2022: 121.0}), allow_gaps=True)
    assert list(g.columns) == ["year_from", "year_to", "span", "log_growth", "growth_pct"]
    # annualised over the 2-year gap: sqrt(1.21) - 1 = 10 %
    assert g.loc[0, "growth_pct"] == pytest.approx(10.0)
    with pytest.raises(AnalysisError, match="growth needs at least 2"):
        P.log_growths(series({2020: 100.0}))


# ---------------------------------------------------------------- required growth

def test_required_growth_level():
    # 4000 (2023) -> 6000 (2025): sqrt(1.5) - 1 = 0.2247449
    assert P.required_growth(4000.0, 2023, 6000.0, 2025) == pytest.approx(22.47449, rel=1e-6)
    # below the latest value: (90 / 100) - 1 = -10 %
    assert P.required_growth(100.0, 2024, 90.0, 2025) == pytest.approx(-10.0)


def test_required_growth_target_year_must_be_ahead():
    with pytest.raises(ParameterError, match="target_year 2023 must be after latest_year 2023"):
        P.required_growth(4000.0, 2023, 6000.0, 2023)


def test_required_growth_rejects_non_positive_levels():
    with pytest.raises(ParameterError, match="latest_value must be a finite positive number"):
        P.required_growth(0.0, 2023, 6000.0, 2025)


def test_required_growth_for_intensity():
    # 1 % of 80000 = 800; from 500 in 2023: sqrt(800 / 500) - 1 = sqrt(1.6) - 1 = 0.2649111
    rd = series({2022: 400.0, 2023: 500.0})
    revenue = pd.Series({2024: 70000.0, 2025: 80000.0})
    assert P.required_growth_for_intensity(rd, revenue, 1.0, 2025) == pytest.approx(26.49111, rel=1e-6)


def test_required_growth_for_intensity_needs_revenue_in_target_year():
    rd = series({2022: 400.0, 2023: 500.0})
    with pytest.raises(ParameterError, match="revenue_path has no valid positive revenue for 2025"):
        P.required_growth_for_intensity(rd, pd.Series({2024: 70000.0}), 1.0, 2025)
    with pytest.raises(ParameterError, match="revenue_path must be a pandas.Series"):
        P.required_growth_for_intensity(rd, {2025: 80000.0}, 1.0, 2025)


# ---------------------------------------------------------------- revenue scenarios, intensity, crossing

REVENUE4 = {2020: 100.0, 2021: 110.0, 2022: 99.0, 2023: 108.9}


def test_scenario_growth_rates_range():
    # yearly growth +10 %, -10 %, +10 % -> low -10, high +10
    # trend: centred years [-1.5, -0.5, 0.5, 1.5]; logs relative to ln 100 = [0, a, b, a + b] with
    # a = ln 1.1, b = ln 0.99 (99 = 100 * 0.99, 108.9 = 100 * 1.1 * 0.99); sum(x^2) = 5:
    # slope = (-0.5 a + 0.5 b + 1.5 (a + b)) / 5 = (a + 2 b) / 5 = ln(1.1 * 0.99^2) / 5
    rates = P.scenario_growth_rates(series(REVENUE4, "industrial_revenue"))
    assert rates["low"] == pytest.approx(-10.0)
    assert rates["high"] == pytest.approx(10.0)
    assert rates["central"] == pytest.approx(100 * ((1.1 * 0.99 ** 2) ** 0.2 - 1))


def test_scenario_growth_rates_trend_se():
    # slope 0.15, SE 0.0288675 (see test_trend_growth_hand_computed_ols); k = 2:
    # low = e^(0.15 - 0.057735) - 1 = e^0.092265 - 1 = 9.66555 %
    # high = e^0.207735 - 1 = e^0.2 * e^0.007735 - 1 = 1.2214028 * 1.0077650 - 1 = 23.0887 %
    s = series({2020: 1.0, 2021: math.exp(0.1), 2022: math.exp(0.3)}, "industrial_revenue")
    rates = P.scenario_growth_rates(s, method="trend_se", k=2.0)
    assert rates["low"] == pytest.approx(9.66555, rel=1e-5)
    assert rates["central"] == pytest.approx(16.18342, rel=1e-6)
    assert rates["high"] == pytest.approx(23.0887, rel=1e-5)


def test_scenario_growth_rates_trend_se_needs_three_points():
    with pytest.raises(AnalysisError, match="the trend_se scenarios need at least 3"):
        P.scenario_growth_rates(series({2020: 1.0, 2021: 2.0}), method="trend_se")


def test_scenario_growth_rates_unknown_method():
    with pytest.raises(ParameterError, match="method='median' is not one of"):
        P.scenario_growth_rates(series(REVENUE4), method="median")


def test_revenue_scenarios_given_rates():
    # from 1100 in 2023: low 0 % -> 1100, 1100; central 10 % -> 1210, 1331; high 20 % -> 1320, 1584
    paths = P.revenue_scenarios(series({2022: 1000.0, 2023: 1100.0}), 2025,
                                growth_pct={"low": 0.0, "central": 10.0, "high": 20.0})
    assert list(paths.columns) == ["low", "central", "high"]
    assert list(paths.index) == [2022, 2023, 2024, 2025]
    np.testing.assert_allclose(paths.loc[2022].to_numpy(), [1000.0, 1000.0, 1000.0])
    np.testing.assert_allclose(paths.loc[2024].to_numpy(), [1100.0, 1210.0, 1320.0])
    np.testing.assert_allclose(paths.loc[2025].to_numpy(), [1100.0, 1331.0, 1584.0])


def test_revenue_scenarios_bad_rates():
    s = series({2022: 1000.0, 2023: 1100.0})
    with pytest.raises(ParameterError, match="exactly the keys"):
        P.revenue_scenarios(s, growth_pct={"low": 1.0, "high": 2.0})
    with pytest.raises(ParameterError, match="must satisfy low <= central <= high"):
        P.revenue_scenarios(s, growth_pct={"low": 5.0, "central": 1.0, "high": 9.0})
    with pytest.raises(ParameterError, match=re.escape("growth_pct['high'] must be a growth rate")):
        P.revenue_scenarios(s, growth_pct={"low": 5.0, "central": 6.0, "high": 1000.0})


def test_intensity_path():
    # 100 * 5 / 1000 = 0.5 %; 2023 has no revenue -> NaN
    out = P.intensity_path(pd.Series({2022: 5.0, 2023: 6.0}), pd.Series({2022: 1000.0}))
    assert out.loc[2022] == pytest.approx(0.5)
    assert math.isnan(out.loc[2023])


def test_intensity_path_errors():
    with pytest.raises(DataError, match="revenue is zero or negative, intensity undefined: 2022=0"):
        P.intensity_path(pd.Series({2022: 5.0}), pd.Series({2022: 0.0}))
    with pytest.raises(ParameterError, match="rd_path must be a pandas.Series"):
        P.intensity_path([5.0], pd.Series({2022: 1.0}))


def test_crossing_year_first_year_at_or_above():
    path = pd.Series({2022: 0.8, 2023: 0.95, 2024: 1.0, 2025: 1.2})
    hit = P.crossing_year(path, 1.0, 2025)
    assert hit.year == 2024 and hit.reached
    assert P.describe_crossing(hit, "zh") == "2024年首次达到1%"
    assert P.describe_crossing(hit, "en") == "first reaches 1% in 2024"
    miss = P.crossing_year(path, 1.0, 2023)
    assert miss.year is None and not miss.reached
    assert P.describe_crossing(miss, "zh") == "到2023年仍未达到1%"
    assert P.describe_crossing(miss, "en") == "not reached by 2023"
    assert miss.to_dict() == {"year": None, "reached": False, "threshold": 1.0, "horizon_year": 2023,
                              "start_year": None}


def test_crossing_year_start_year_and_nan():
    path = pd.Series({2020: 1.1, 2021: 0.9, 2022: np.nan, 2023: 1.05})
    assert P.crossing_year(path, 1.0, 2025).year == 2020
    assert P.crossing_year(path, 1.0, 2025, start_year=2021).year == 2023


def test_crossing_year_errors():
    with pytest.raises(ParameterError, match="path must be a pandas.Series"):
        P.crossing_year([1.0], 1.0, 2025)
    with pytest.raises(ParameterError, match="threshold must be a finite positive number"):
        P.crossing_year(pd.Series({2020: 1.0}), 0.0, 2025)
    with pytest.raises(ParameterError, match="horizon_year must be an integer year"):
        P.crossing_year(pd.Series({2020: 1.0}), 1.0, 25)


# ---------------------------------------------------------------- series validation

def test_zero_value_is_named():
    with pytest.raises(DataError, match="zero or negative values, growth cannot be computed: 2020=0"):
        P.cagr(series({2019: 10.0, 2020: 0.0, 2021: 12.0}))


def test_negative_value_is_named_in_both_languages():
    with pytest.raises(DataError, match="2021年=-3.*2021=-3"):
        P.trend_growth(series({2019: 10.0, 2020: 11.0, 2021: -3.0}))


def test_gap_as_nan_or_missing_index():
    with pytest.raises(DataError, match="missing years 2020, 2021 inside the series"):
        P.growth_stats(series({2019: 10.0, 2020: np.nan, 2022: 12.0}))
    # leading and trailing NaN are unpublished years, not gaps
    s = P.check_series(series({2018: np.nan, 2019: 10.0, 2020: 11.0, 2021: np.nan}))
    assert list(s.index) == [2019, 2020]


def test_check_series_structure_errors():
    with pytest.raises(ParameterError, match="expected a pandas.Series indexed by year, got list"):
        P.check_series([1.0, 2.0])
    with pytest.raises(DataError, match="the index must hold integer years"):
        P.check_series(pd.Series([1.0], index=["2020"]))
    with pytest.raises(DataError, match="implausible years 0, 1"):
        P.check_series(pd.Series([1.0, 2.0]))
    with pytest.raises(DataError, match="duplicated years 2020"):
        P.check_series(pd.Series([1.0, 2.0], index=[2020, 2020]))
    with pytest.raises(DataError, match="values must be numeric"):
        P.check_series(pd.Series(["1", "2"], index=[2020, 2021]))
    with pytest.raises(DataError, match="infinite values: 2021=inf"):
        P.check_series(pd.Series([1.0, np.inf], index=[2020, 2021]))
    with pytest.raises(DataError, match="x: no observation"):
        P.check_series(pd.Series([np.nan], index=[2020], name="x"))


# ---------------------------------------------------------------- parameter validation

@pytest.mark.parametrize("kwargs, message", [
    ({"growth_pct": -100.0}, "growth_pct must be a growth rate in percent per year within"),
    ({"growth_pct": 1000.0}, "growth_pct must be a growth rate in percent per year within"),
    ({"growth_pct": "15"}, "growth_pct must be a growth rate"),
    ({"n_sims": 99}, "n_sims must be an integer in 100"),
    ({"n_sims": 100.0}, "n_sims must be an integer in 100"),
    ({"seed": -1}, "seed must be an integer in 0"),
    ({"end_year": 2020}, "end_year=2020 is before base_year=2021"),
    ({"plan_start": True}, "plan_start must be an integer year"),
    ({"intensity_target_pct": 0}, "intensity_target_pct must be a finite positive number"),
    ({"scenario_method": "bootstrap"}, "scenario_method='bootstrap' is not one of"),
    ({"rd_central": "median"}, "rd_central='median' is not one of"),
    ({"scenario_k": -1.0}, "scenario_k must be a finite positive number"),
    ({"allow_gaps": "yes"}, "allow_gaps must be True or False"),
])
def test_check_parameters_rejects(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        P.check_parameters(**kwargs)


def test_check_parameters_defaults():
    params = P.check_parameters()
    assert params["base_year"] == 2021 and params["end_year"] == 2025
    assert params["growth_pct"] == 15.0 and params["n_sims"] == 10_000


def test_horizon_must_be_at_least_one():
    with pytest.raises(ParameterError, match="horizon must be an integer in 1"):
        P.simulate_fan(series(RD_NOISY), 0)


# ---------------------------------------------------------------- simulation

def test_simulate_log_growth_reproducible_by_seed():
    a = P.simulate_log_growth(0.1, 0.02, 0.05, 5, 4, n_sims=500, seed=7)
    b = P.simulate_log_growth(0.1, 0.02, 0.05, 5, 4, n_sims=500, seed=7)
    c = P.simulate_log_growth(0.1, 0.02, 0.05, 5, 4, n_sims=500, seed=8)
    assert a.shape == (500, 4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_fan_same_seed_same_numbers():
    a = P.fan_bands(P.simulate_fan(series(RD_NOISY), 3, n_sims=1000, seed=1))
    b = P.fan_bands(P.simulate_fan(series(RD_NOISY), 3, n_sims=1000, seed=1))
    c = P.fan_bands(P.simulate_fan(series(RD_NOISY), 3, n_sims=1000, seed=2))
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a.to_numpy(), c.to_numpy())


def test_zero_shock_volatility_median_growth_equals_drift():
    # sigma = 0: every path grows at its own drift mu + se * t; t is symmetric, so the median yearly
    # growth is mu. SE of the median ~ se / (2 * f_t4(0) * sqrt(n)) = 0.05 / (2 * 0.375 * 316) = 0.0002
    g = P.simulate_log_growth(0.1, 0.05, 0.0, 4, 3, n_sims=100_000, seed=3)
    assert np.median(g[:, -1]) / 3 == pytest.approx(0.1, abs=0.002)
    # with sigma = 0 each path is linear in time: growth in year 3 = 3 * growth in year 1
    np.testing.assert_allclose(g[:, 2], 3 * g[:, 0])


def test_drift_uncertainty_is_student_t_scaled_by_se():
    # sigma = 0, horizon 1: growth = mu + se * T. Tables: t(4) two-sided 5 % point = 2.776, so
    # P(|growth - 0.1| > 0.5 * 2.776) = 0.05 (a normal would give 0.0055). Binomial SD with 100k
    # paths = sqrt(0.05 * 0.95 / 1e5) = 0.0007.
    g = P.simulate_log_growth(0.1, 0.5, 0.0, 4, 1, n_sims=100_000, seed=21)[:, 0]
    assert np.mean(np.abs(g - 0.1) > 0.5 * 2.776) == pytest.approx(0.05, abs=0.004)


def test_many_paths_median_log_growth_approaches_drift():
    # median of (mu + se*t) * h + sigma * sqrt(h) * z over 100k paths ~ mu * h; tolerance ~ 10 SE
    g = P.simulate_log_growth(0.12, 0.02, 0.1, 6, 4, n_sims=100_000, seed=11)
    assert np.median(g[:, -1]) / 4 == pytest.approx(0.12, abs=0.003)


def test_exact_exponential_series_gives_a_degenerate_fan():
    # growth exactly 10 % every year: s = 0, se = 0, every path is 146.41 * 1.1^h
    # 2024: 161.051; 2025: 177.1561
    fan = P.simulate_fan(series(RD10), 2, n_sims=200, seed=5)
    bands = P.fan_bands(fan)
    assert list(bands.columns) == ["p05", "p25", "p50", "p75", "p95"]
    np.testing.assert_allclose(bands["p50"].to_numpy(), [161.051, 177.1561], rtol=1e-9)
    np.testing.assert_allclose(bands["p05"].to_numpy(), bands["p95"].to_numpy(), rtol=1e-9)


def test_bands_ordered_and_widening():
    bands = P.fan_bands(P.simulate_fan(series(RD_NOISY), 5, n_sims=5000, seed=2))
    values = bands.to_numpy()
    assert np.all(np.diff(values, axis=1) >= 0)          # p05 <= p25 <= p50 <= p75 <= p95
    ratio = bands["p95"] / bands["p05"]
    assert np.all(np.diff(ratio.to_numpy()) > 0)         # wider every year
    # asymmetric in 万元 (log-scale bands): the upper half is wider than the lower half
    assert np.all(bands["p95"] - bands["p50"] > bands["p50"] - bands["p05"])


def test_fan_bands_rejects_bad_quantiles():
    fan = P.simulate_fan(series(RD_NOISY), 2, n_sims=100, seed=1)
    with pytest.raises(ParameterError, match="quantiles must lie in"):
        P.fan_bands(fan, quantiles=(0.025, 0.5))
    with pytest.raises(ParameterError, match="quantiles must lie in"):
        P.fan_bands(fan, quantiles=(0.0, 0.5))


def test_simulation_needs_three_observations():
    with pytest.raises(AnalysisError, match="the simulation needs at least 3"):
        P.simulate_fan(series({2020: 1.0, 2021: 2.0}), 3)


def test_simulate_log_growth_rejects_bad_inputs():
    with pytest.raises(ParameterError, match="mu must be a finite number"):
        P.simulate_log_growth(float("nan"), 0.1, 0.1, 3, 2)
    with pytest.raises(ParameterError, match="sigma must be a finite non-negative number"):
        P.simulate_log_growth(0.1, 0.1, -0.1, 3, 2)
    with pytest.raises(ParameterError, match="df must be an integer in 1"):
        P.simulate_log_growth(0.1, 0.1, 0.1, 0, 2)


def test_probabilities_fall_as_target_growth_rises():
    s = series(RD_NOISY)
    fan = P.simulate_fan(s, 2, n_sims=5000, seed=4)
    probs = [P.prob_always_above(fan, P.plan_path(s, growth_pct=g)) for g in (5.0, 10.0, 15.0, 20.0, 30.0)]
    assert all(a >= b for a, b in zip(probs, probs[1:]))
    assert probs[0] > probs[-1]


def test_prob_always_above_is_at_most_each_year():
    s = series(RD_NOISY)
    fan = P.simulate_fan(s, 2, n_sims=5000, seed=4)
    plan = P.plan_path(s)
    per_year = P.prob_above_path(fan, plan)
    assert list(per_year.index) == [2024, 2025]
    assert P.prob_always_above(fan, plan) <= per_year.min()
    assert P.prob_always_above(fan, plan, through_year=2024) == pytest.approx(per_year.loc[2024])


def test_probability_errors():
    s = series(RD_NOISY)
    fan = P.simulate_fan(s, 2, n_sims=100, seed=4)
    with pytest.raises(ParameterError, match="through_year=2023 is before the first simulated year 2024"):
        P.prob_always_above(fan, P.plan_path(s), through_year=2023)
    with pytest.raises(ParameterError, match="path has no valid positive value for the simulated years 2025"):
        P.prob_above_path(fan, pd.Series({2024: 1.0}))
    with pytest.raises(ParameterError, match="path must be a pandas.Series"):
        P.prob_above_path(fan, [1.0, 2.0])


def test_prob_intensity_deterministic_case():
    # degenerate fan at +10 %: 161.051 (2024), 177.1561 (2025); revenue 16500:
    # 100 * 161.051 / 16500 = 0.976 % < 1 -> P = 0; 100 * 177.1561 / 16500 = 1.0737 % -> P = 1
    fan = P.simulate_fan(series(RD10), 2, n_sims=200, seed=5)
    p = P.prob_intensity_at_least(fan, pd.Series({2024: 16500.0, 2025: 16500.0}), 1.0)
    assert p.name == "p_intensity_ge_target"
    assert p.to_dict() == {2024: 0.0, 2025: 1.0}
    # the same revenue as a simulated array gives the same answer
    arr = np.full((200, 2), 16500.0)
    assert P.prob_intensity_at_least(fan, arr, 1.0).to_dict() == {2024: 0.0, 2025: 1.0}


def test_prob_intensity_with_a_revenue_fan():
    rd, rev = series(RD_NOISY), series({y: 300000.0 + 1000 * (y % 3) + 5000 * (y - 2016)
                                        for y in RD_NOISY}, "industrial_revenue")
    fan = P.simulate_fan(rd, 2, n_sims=1000, seed=1)
    rev_fan = P.simulate_fan(rev, 2, n_sims=1000, seed=2)
    p = P.prob_intensity_at_least(fan, rev_fan, 0.6)
    assert ((p >= 0) & (p <= 1)).all()
    # a lower target is met at least as often
    assert (P.prob_intensity_at_least(fan, rev_fan, 0.5) >= p).all()


def test_prob_intensity_errors():
    fan = P.simulate_fan(series(RD10), 2, n_sims=200, seed=5)
    shape_msg = re.escape("simulated revenue must be finite positive numbers of shape (200, 2)")
    with pytest.raises(ParameterError, match=shape_msg):
        P.prob_intensity_at_least(fan, np.ones((100, 2)), 1.0)
    with pytest.raises(ParameterError, match="the revenue fan's years or number of paths differ"):
        P.prob_intensity_at_least(fan, P.simulate_fan(series(RD10), 3, n_sims=200), 1.0)
    with pytest.raises(ParameterError, match="revenue must be a Series, a Fan or a numpy array, got list"):
        P.prob_intensity_at_least(fan, [1.0], 1.0)


# ---------------------------------------------------------------- the notebook's table and summary

EXPECTED_COLUMNS = ["year", "actual", "plan_path", "trend_path", "p05", "p25", "p50", "p75", "p95",
                    "revenue_central", "intensity_central", "p_intensity_ge_target", "data_status", "input_status"]


def test_build_projection_exact_series():
    # R&D exactly +10 %/yr (100 … 146.41, 2019–2023); revenue flat 20000 -> scenarios all 0 %.
    rd = series(RD10)
    revenue = series({y: 20000.0 for y in RD10}, "industrial_revenue")
    table, summary = P.build_projection(rd, revenue, "illustrative", n_sims=500, seed=1)
    assert list(table.columns) == EXPECTED_COLUMNS
    assert list(table["year"]) == list(range(2019, 2026))
    assert list(table["data_status"]) == ["illustrative"] * 5 + ["projected"] * 2
    assert list(table["input_status"]) == ["illustrative"] * 7     # projected from illustrative data
    # plan path from 121 (2021): 139.15, 160.0225, 184.025875, 211.62975625
    np.testing.assert_allclose(table["plan_path"].iloc[2:].to_numpy(),
                               [121.0, 139.15, 160.0225, 184.025875, 211.62975625], rtol=1e-12)
    assert table["plan_path"].iloc[:2].isna().all()
    # degenerate fan: p50 = 161.051, 177.1561; no bands in actual years
    np.testing.assert_allclose(table["p50"].iloc[5:].to_numpy(), [161.051, 177.1561], rtol=1e-9)
    assert table.loc[table["year"] <= 2023, ["p05", "p95", "p_intensity_ge_target"]].isna().all().all()
    # intensity 2022: 100 * 133.1 / 20000 = 0.6655 %; 2025: 100 * 177.1561 / 20000 = 0.8857805 %
    assert table.set_index("year").loc[2022, "intensity_central"] == pytest.approx(0.6655)
    assert table.set_index("year").loc[2025, "intensity_central"] == pytest.approx(0.8857805)
    assert list(table["p_intensity_ge_target"].iloc[5:]) == [0.0, 0.0]
    assert summary["cagr_pct"] == pytest.approx(10.0)
    assert summary["trend_growth_pct"] == pytest.approx(10.0)
    # required: 146.41 -> 211.62975625 in 2 years = 1.15^4 / 1.1^2 -> 1.15^2 / 1.1 - 1 = 20.22727 %
    assert summary["required_growth_level_pct"] == pytest.approx(100 * (1.15 ** 2 / 1.1 - 1))
    # intensity: 1 % of 20000 = 200 by 2025 (2022 already past): sqrt(200 / 146.41) - 1 = 16.87713 %
    assert summary["required_growth_intensity_year"] == 2025
    assert summary["required_growth_intensity_pct"] == pytest.approx(100 * (math.sqrt(200 / 146.41) - 1))
    assert summary["intensity_actual_in_target_year"] == pytest.approx(0.6655)
    assert summary["intensity_target_met"] is False
    assert summary["plan_path_years_missed"] == [2022, 2023]
    assert summary["p_on_plan_path_all_years"] == 0.0
    assert summary["crossing_years"] == {"low": None, "central": None, "high": None}
    assert summary["crossing_horizon"] == 2025
    assert summary["revenue_growth_pct"] == {"low": 0.0, "central": 0.0, "high": 0.0}
    assert summary["simulated"] is True and summary["n_obs"] == 5 and summary["t_df"] == 3
    assert any("illustrative" in n for n in summary["notes"])
    json.dumps(summary, allow_nan=False)


def test_build_projection_crossing_years_per_scenario():
    # R&D 146.41 in 2023 at its CAGR (10 %): 161.051 (2024), 177.1561 (2025).
    # Revenue 15000 in 2023 with given rates -10 / 0 / +10 %:
    #   low 13500 (2024) -> 1.193 % >= 1 -> 2024; central 15000 -> 1.0737 % -> 2024;
    #   high 16500 -> 0.976 %, 18150 (2025) -> 0.976 % -> not by 2025.
    table, summary = P.build_projection(
        series(RD10), series({2023: 15000.0}, "industrial_revenue"), "published", n_sims=200,
        revenue_growth_pct={"low": -10.0, "central": 0.0, "high": 10.0})
    assert summary["crossing_years"] == {"low": 2024, "central": 2024, "high": None}
    assert summary["crossing_text"]["high"] == {"zh": "到2025年仍未达到1%", "en": "not reached by 2025"}
    assert summary["revenue_scenario_method"] == "given"
    # P(intensity >= 1 %) with the degenerate fan and central revenue: 1.0737 %, 1.181 % -> 1, 1
    assert summary["p_intensity_ge_target_by_year"] == {2024: 1.0, 2025: 1.0}
    # required: 1 % of 15000 = 150 by 2025: sqrt(150 / 146.41) - 1 = 1.21857 %
    assert summary["required_growth_intensity_pct"] == pytest.approx(100 * (math.sqrt(150 / 146.41) - 1))
    # revenue before 2023 unknown -> NaN, never 0
    assert table.set_index("year").loc[2019:2022, "revenue_central"].isna().all()


def test_build_projection_rd_central_plan_rate():
    # R&D at 20 %/yr from 146.41: 175.692 (2024); revenue 2023 = 15000 flat -> 1.17128 %
    table, summary = P.build_projection(
        series(RD10), series({2023: 15000.0}, "industrial_revenue"), "published", n_sims=200,
        growth_pct=20.0, rd_central="plan_rate",
        revenue_growth_pct={"low": 0.0, "central": 0.0, "high": 0.0})
    assert table.set_index("year").loc[2024, "intensity_central"] == pytest.approx(1.17128)
    assert summary["rd_central"] == "plan_rate"


def test_build_projection_short_series_is_deterministic_only():
    # 2 points: CAGR = trend = 20 %; plan path from 100 (2021) to 174.900625 (2025);
    # required: (174.900625 / 120) ** (1/3) - 1 = (1.15^4 / 1.2) ** (1/3) - 1
    rd = series({2021: 100.0, 2022: 120.0})
    revenue = series({2021: 20000.0, 2022: 22000.0}, "industrial_revenue")
    table, summary = P.build_projection(rd, revenue, {2021: "published", 2022: "provisional"})
    assert list(table.columns) == EXPECTED_COLUMNS
    assert table[["p05", "p25", "p50", "p75", "p95", "p_intensity_ge_target"]].isna().all().all()
    assert summary["simulated"] is False
    assert summary["p_on_plan_path_all_years"] is None and summary["n_sims"] is None
    assert summary["cagr_pct"] == pytest.approx(20.0)
    assert summary["trend_growth_se_pct"] is None
    assert summary["required_growth_level_pct"] == pytest.approx(100 * ((1.15 ** 4 / 1.2) ** (1 / 3) - 1))
    assert list(table["data_status"]) == ["published", "provisional", "projected", "projected", "projected"]
    # the projected rows rest on a provisional year: they carry the weaker status
    assert list(table["input_status"]) == ["published", "provisional", "provisional", "provisional", "provisional"]
    # revenue +10 %/yr (range with one growth): 2025 = 22000 * 1.331 = 29282; R&D 120 * 1.2^3 = 207.36
    # intensity 2025 = 100 * 207.36 / 29282 = 0.708148 %
    assert table.set_index("year").loc[2025, "intensity_central"] == pytest.approx(0.708148, rel=1e-5)
    assert any("fewer than 3" in n and "少于 3 个" in n for n in summary["notes"])
    json.dumps(summary, allow_nan=False)


def test_build_projection_single_observation():
    # only the base year: the plan path and required growth still work; 100 -> 174.900625 in 4 years
    # at 15 %/yr exactly
    table, summary = P.build_projection(series({2021: 100.0}), series({2021: 20000.0}, "industrial_revenue"),
                                        "published")
    assert summary["cagr_pct"] is None and summary["simulated"] is False
    assert summary["required_growth_level_pct"] == pytest.approx(15.0)
    assert table["trend_path"].isna().all()
    assert table.set_index("year").loc[2022:, "intensity_central"].isna().all()
    assert any("only 1 observation (2021)" in n for n in summary["notes"])
    assert any("too few for range scenarios" in n for n in summary["notes"])


def test_build_projection_gaps():
    rd = series({2018: 100.0, 2019: 110.0, 2021: 133.1, 2022: 146.41})
    revenue = series({y: 20000.0 for y in range(2018, 2023)}, "industrial_revenue")
    with pytest.raises(DataError, match="enterprise_rd_expenditure: missing years 2020 inside the series"):
        P.build_projection(rd, revenue, "published")
    table, summary = P.build_projection(rd, revenue, "published", allow_gaps=True, n_sims=200)
    assert table.set_index("year").loc[2020, "data_status"] == "missing"
    assert "missing" not in set(table["input_status"])          # a gap year rests on the observed ones
    assert summary["gap_years"] == [2020]
    # CAGR over 4 years: (146.41 / 100) ** (1/4) - 1 = 10 %
    assert summary["cagr_pct"] == pytest.approx(10.0)
    assert any("R&D data miss 2020" in n for n in summary["notes"])


def test_build_projection_bad_values_are_named():
    revenue = series({2020: 1.0, 2021: 1.0}, "industrial_revenue")
    with pytest.raises(DataError, match="enterprise_rd_expenditure: zero or negative .*2020=-5"):
        P.build_projection(series({2020: -5.0, 2021: 3.0}), revenue, "published")
    with pytest.raises(DataError, match="industrial_revenue: zero or negative .*2021=0"):
        P.build_projection(series({2020: 5.0, 2021: 3.0}), pd.Series({2020: 1.0, 2021: 0.0}), "published")


def test_build_projection_data_status_errors():
    rd, revenue = series(RD10), series({2023: 15000.0}, "industrial_revenue")
    with pytest.raises(ParameterError, match="no status for the observed years 2023"):
        P.build_projection(rd, revenue, {y: "published" for y in range(2019, 2023)})
    with pytest.raises(ParameterError, match=r"unknown statuses \['guess'\]"):
        P.build_projection(rd, revenue, "guess")
    with pytest.raises(ParameterError, match="data_status must be a string or a year"):
        P.build_projection(rd, revenue, ["published"])


def test_build_projection_is_reproducible_and_noisy_outputs_are_sane():
    rd = series(RD_NOISY)
    revenue = series({2016: 300000.0, 2017: 310000.0, 2018: 330000.0, 2019: 320000.0, 2020: 335000.0,
                      2021: 350000.0, 2022: 365000.0, 2023: 372000.0}, "industrial_revenue")
    t1, s1 = P.build_projection(rd, revenue, "illustrative", n_sims=2000, seed=9)
    t2, s2 = P.build_projection(rd, revenue, "illustrative", n_sims=2000, seed=9)
    pd.testing.assert_frame_equal(t1, t2)
    assert s1 == s2
    future = t1[t1["data_status"] == "projected"]
    assert list(future["year"]) == [2024, 2025]
    bands = future[["p05", "p25", "p50", "p75", "p95"]].to_numpy()
    assert np.all(np.diff(bands, axis=1) >= 0)
    assert 0 <= s1["p_on_plan_path_all_years"] <= min(s1["p_on_plan_path_by_year"].values())
    # revenue range scenarios: 320000 / 330000 - 1 = -3.0303 %; 330000 / 310000 - 1 = 6.4516 %
    assert s1["revenue_growth_pct"]["low"] == pytest.approx(-3.030303, rel=1e-6)
    assert s1["revenue_growth_pct"]["high"] == pytest.approx(6.451613, rel=1e-6)
    json.dumps(s1, allow_nan=False)


def test_build_projection_nothing_to_project():
    rd = series({y: 100.0 * 1.1 ** (y - 2020) for y in range(2020, 2026)})
    revenue = series({y: 20000.0 for y in range(2020, 2026)}, "industrial_revenue")
    table, summary = P.build_projection(rd, revenue, "published")
    assert (table["data_status"] == "published").all()
    assert summary["simulated"] is False and summary["required_growth_level_pct"] is None
    assert any("nothing to project" in n for n in summary["notes"])


# ---------------------------------------------------------------- properties

@settings(max_examples=50, deadline=None)
@given(start=st.floats(1.0, 1e7), growth=st.floats(-50.0, 200.0), years=st.integers(1, 10))
def test_required_growth_inverts_compounding(start, growth, years):
    path = P.compound_path(start, 2020, growth, 2020 + years)
    assert P.required_growth(start, 2020, float(path.iloc[-1]), 2020 + years) == pytest.approx(growth, abs=1e-6)


@settings(max_examples=25, deadline=None)
@given(g1=st.floats(-20.0, 60.0), g2=st.floats(-20.0, 60.0), seed=st.integers(0, 1000))
def test_probability_never_rises_with_the_target(g1, g2, seed):
    # common random numbers: the paths above a higher plan path are a subset of those above a lower one
    s = series(RD_NOISY)
    fan = P.simulate_fan(s, 2, n_sims=300, seed=seed)
    low, high = sorted((g1, g2))
    assert P.prob_always_above(fan, P.plan_path(s, growth_pct=low)) >= \
        P.prob_always_above(fan, P.plan_path(s, growth_pct=high))


@settings(max_examples=25, deadline=None)
@given(growths=st.lists(st.floats(-0.3, 0.5), min_size=2, max_size=8), seed=st.integers(0, 10_000),
       horizon=st.integers(1, 6))
def test_bands_always_ordered(growths, seed, horizon):
    values = 1000.0 * np.exp(np.concatenate([[0.0], np.cumsum(growths)]))
    s = series(dict(zip(range(2023 - len(values) + 1, 2024), values)))
    bands = P.fan_bands(P.simulate_fan(s, horizon, n_sims=200, seed=seed)).to_numpy()
    assert np.all(np.diff(bands, axis=1) >= -1e-9 * bands[:, :-1])


# ------------------------------------------------------------------------------------------ the plan as source
def _plan_with(targets):
    from lingshou.plan.targets import TARGET_COLUMNS, Plan

    frame = pd.DataFrame([{c: t.get(c) for c in TARGET_COLUMNS} for t in targets], columns=TARGET_COLUMNS)
    for col in ("target_year", "start_year", "end_year"):
        frame[col] = frame[col].astype("Int64")
    return Plan(meta={"period": [2023, 2027]}, targets=frame, county="某县", is_default=False, path=Path("x.yaml"))


def test_plan_settings_read_the_plan_and_say_so():
    from lingshou.plan.targets import find_plan

    settings, sources = P.plan_settings(find_plan("灵寿县"))
    assert settings == {"plan_start": 2022, "growth_pct": 15.0, "intensity_target_pct": 1.0,
                        "intensity_target_year": 2022, "end_year": 2025}
    assert set(sources.values()) == {"plan"}


def test_plan_settings_follow_another_plan_and_overrides_win():
    plan = _plan_with([
        {"id": "g", "indicator": "enterprise_rd_expenditure", "type": "growth", "target": 12, "start_year": 2024,
         "end_year": 2027},
        {"id": "i", "indicator": "enterprise_rd_intensity", "type": "level", "target": 1.5, "target_year": 2026},
    ])
    settings, sources = P.plan_settings(plan, end_year=2030)
    assert settings == {"plan_start": 2024, "growth_pct": 12.0, "intensity_target_pct": 1.5,
                        "intensity_target_year": 2026, "end_year": 2030}
    assert sources["end_year"] == "parameter" and sources["growth_pct"] == "plan"


def test_plan_settings_without_rd_targets_use_the_period_or_defaults():
    plan = _plan_with([{"id": "g", "indicator": "enterprise_rd_expenditure", "type": "growth", "target": 20}])
    settings, sources = P.plan_settings(plan)
    # years missing from the target come from the plan's period; the intensity target from the defaults
    assert (settings["plan_start"], settings["end_year"], settings["growth_pct"]) == (2023, 2027, 20.0)
    assert (settings["intensity_target_pct"], settings["intensity_target_year"]) == (1.0, 2022)
    assert sources["intensity_target_pct"] == "default"


def test_plan_settings_refuse_an_unknown_setting():
    from lingshou.plan.targets import find_plan

    with pytest.raises(ParameterError, match=r"unknown setting\(s\) \['horizon'\]"):
        P.plan_settings(find_plan("灵寿县"), horizon=2030)


def test_volatility_uncertainty_widens_the_fan_as_the_predictive_says():
    # mu = se = 0, sigma = 0.1, df = 6, 5 years: the sum of 5 shocks N(0, σᵢ) with σᵢ² = 0.01 · 6 / χ²(6) has
    # variance 5 · 0.01 · E[6 / χ²(6)] = 5 · 0.01 · 6 / 4 = 0.075 (SD 0.274); a known sigma gives 5 · 0.01 = 0.05 (SD 0.224)
    full = P.simulate_log_growth(0.0, 0.0, 0.1, 6, 5, n_sims=200_000, seed=4)[:, -1]
    known = P.simulate_log_growth(0.0, 0.0, 0.1, 6, 5, n_sims=200_000, seed=4, sigma_known=True)[:, -1]
    assert np.var(full) == pytest.approx(0.075, rel=0.03)
    assert np.var(known) == pytest.approx(0.05, rel=0.02)


def test_the_trend_path_stops_at_the_latest_actual():
    revenue = series({y: 20000.0 for y in RD_NOISY}, "industrial_revenue")
    table, _ = P.build_projection(series(RD_NOISY), revenue, "published", end_year=max(RD_NOISY) + 3, n_sims=500)
    latest = int(max(RD_NOISY))
    assert table.loc[table["year"] <= latest, "trend_path"].notna().all()
    assert table.loc[table["year"] > latest, "trend_path"].isna().all()


def test_yearly_growth_probabilities_on_a_degenerate_fan():
    # exactly +10 % every year, no volatility: every path grows 10 % each year
    fan = P.simulate_fan(series(RD10), 3, n_sims=200, seed=5)
    assert P.prob_growth_at_least(fan, 10.0).tolist() == [1.0, 1.0, 1.0]
    assert P.prob_growth_at_least(fan, 15.0).tolist() == [0.0, 0.0, 0.0]
    assert P.prob_growth_every_year(fan, 10.0) == 1.0 and P.prob_growth_every_year(fan, 10.5) == 0.0
    with pytest.raises(ParameterError, match="growth_pct must be a finite number above -100"):
        P.prob_growth_at_least(fan, -100)


def test_yearly_growth_probability_counts_each_year_against_the_year_before():
    # two paths by hand: base 100; path A 120, 126 (+20 %, +5 %); path B 110, 132 (+10 %, +20 %)
    fan = P.Fan(base_year=2023, base_value=100.0, years=np.array([2024, 2025]),
                log_paths=np.log(np.array([[120.0, 126.0], [110.0, 132.0]])), stats=None, seed=0)
    assert P.prob_growth_at_least(fan, 15.0).tolist() == [0.5, 0.5]     # 2024: A only; 2025: B only
    assert P.prob_growth_every_year(fan, 15.0) == 0.0                    # neither path makes it both years


def test_annual_growth_of_the_plan_years_in_the_summary():
    revenue = series({y: 20000.0 for y in RD10}, "industrial_revenue")
    _, summary = P.build_projection(series(RD10), revenue, "illustrative", n_sims=500, seed=1)
    # plan from 2022: 2022 133.1 / 121 - 1 = 10 %, 2023 146.41 / 133.1 - 1 = 10 %
    assert {y: round(v, 9) for y, v in summary["annual_growth_pct"].items()} == {2022: 10.0, 2023: 10.0}
    assert summary["p_growth_ge_target_by_year"] == {2024: 0.0, 2025: 0.0} and summary["p_growth_ge_target_all_years"] == 0.0
