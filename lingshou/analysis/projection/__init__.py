"""R&D growth projection: will enterprise R&D keep +15 % a year and reach 1 % of revenue?

Task 5 of the plan asks that R&D spending of above-scale industrial enterprises
(``enterprise_rd_expenditure``) grow at least 15 % a year and that R&D intensity
(``enterprise_rd_intensity`` = 100 × enterprise_rd_expenditure / industrial_revenue) reach 1 % in 2022.
This package gives the deterministic answers (plan path, historical growth, required growth, revenue
scenarios, the year intensity crosses its target) and a stochastic fan with the probabilities of
meeting the targets.

Units
-----
- Money (R&D, revenue): 万元, as in the yearbooks; every series is a :class:`pandas.Series` indexed by
  integer calendar year.
- Growth rates: percent per year (``15.0`` means +15 %/yr).
- Intensity: percent of revenue (``1.0`` means 1 %).
- Log growth: natural-log points per year (``0.1398`` ≈ +15 %/yr).
- Probabilities: fractions in [0, 1].

Nothing is rounded here: the notebook rounds once, when it writes or prints.

Method choices
--------------
- Historical CAGR uses the first and last observation only (as COINr ``CAGR``); the trend growth is the
  OLS slope of log value on year using every point (``numpy.linalg.lstsq``), with its standard error.
- The fan is a random walk with drift on log R&D. The drift of each simulated path is drawn once,
  ``mu + se * t(df)``, where ``mu`` is the mean yearly log growth, ``se = s / sqrt(n)`` its standard error
  and ``df = n - 1`` (n = number of observed growths); yearly shocks are ``N(0, s)``. With few points the
  drift uncertainty dominates, which is what an honest small-sample fan must show (methods.md §4).
  Quantiles are taken on the log scale and exponentiated, so bands are asymmetric in 万元.
- Because the t distribution is symmetric, the fan's median path is the latest actual compounded at
  ``exp(mu) - 1``, which equals the historical CAGR; that path is the deterministic "central" R&D
  projection used for intensities (``rd_central="cagr"``).
- Revenue scenarios (see :func:`scenario_growth_rates`): by default central = trend growth of revenue,
  low / high = the lowest / highest yearly growth observed (``method="range"``): an intuitive "its worst
  year / its best year, every year" band. ``method="trend_se"`` uses trend ± k standard errors instead,
  which with 5–10 points is usually a narrow band. Explicit growth rates can be given instead.
  The "low" revenue scenario gives the *highest* intensity (smaller denominator).
- Gaps (a missing year inside the series, as an absent index or a NaN) raise :class:`DataError` naming the
  years by default. With ``allow_gaps=True`` the growth over a gap of k years is treated correctly: the
  drift is total log growth / total years, the variance estimate weights each interval by 1/k, the
  "range" scenario uses annualised growth over the gap, and the OLS trend simply has no point there.
  Leading and trailing NaN (years not yet published) are not gaps and are dropped.
- Zeros and negatives cannot have a growth rate and raise :class:`DataError` naming year and value.
- With fewer than :data:`MIN_OBS_SIMULATION` observations the simulation is skipped (its columns are NaN)
  and :func:`build_projection` says why in ``summary["notes"]``.

Modules: ``checks`` (constants, parameter checks), ``growth`` (series checks, CAGR, trend), ``scenarios``
(plan path, required growth, revenue scenarios, intensity, crossing years), ``simulate`` (the fan and
its probabilities), ``build`` (the notebook's table and summary), ``text`` (the prose).
"""

from __future__ import annotations

from lingshou.analysis.projection.build import build_projection, check_projection_output, intensity_scenarios
from lingshou.analysis.projection.checks import (
    BAND_QUANTILES,
    DEFAULT_END_YEAR,
    DEFAULT_GROWTH_PCT,
    DEFAULT_INTENSITY_TARGET_PCT,
    DEFAULT_INTENSITY_TARGET_YEAR,
    DEFAULT_N_SIMS,
    DEFAULT_PLAN_START,
    DEFAULT_SEED,
    INTENSITY_INDICATOR,
    MAX_HORIZON,
    MAX_N_SIMS,
    MAX_YEAR,
    MIN_OBS_SIMULATION,
    MISSING_STATUS,
    PLAN_SETTING_DEFAULTS,
    PROJECTED_STATUS,
    RD_CENTRAL_METHODS,
    RD_INDICATOR,
    SCENARIO_METHODS,
    SCENARIOS,
    TABLE_COLUMNS,
    check_growth_pct,
    check_horizon,
    check_n_sims,
    check_parameters,
    check_positive,
    check_seed,
    check_year,
    plan_settings,
)
from lingshou.analysis.projection.growth import (
    GrowthStats,
    TrendFit,
    cagr,
    check_series,
    find_gaps,
    growth_stats,
    log_growths,
    trend_growth,
    trend_path,
)
from lingshou.analysis.projection.scenarios import (
    Crossing,
    compound_path,
    crossing_year,
    describe_crossing,
    intensity_path,
    plan_path,
    required_growth,
    required_growth_for_intensity,
    revenue_scenarios,
    scenario_growth_rates,
)
from lingshou.analysis.projection.simulate import (
    Fan,
    fan_bands,
    prob_above_path,
    prob_always_above,
    prob_growth_at_least,
    prob_growth_every_year,
    prob_intensity_at_least,
    simulate_fan,
    simulate_log_growth,
)
from lingshou.analysis.projection.text import (
    REPORT_COLUMNS,
    SCENARIO_SAME_PP,
    TEXT_SUMMARY_KEYS,
    describe_projection,
    split_note,
)

__all__ = [
    "INTENSITY_INDICATOR",
    "PLAN_SETTING_DEFAULTS",
    "RD_INDICATOR",
    "plan_settings",
    "DEFAULT_GROWTH_PCT",
    "DEFAULT_PLAN_START",
    "DEFAULT_END_YEAR",
    "DEFAULT_INTENSITY_TARGET_PCT",
    "DEFAULT_INTENSITY_TARGET_YEAR",
    "DEFAULT_N_SIMS",
    "DEFAULT_SEED",
    "MIN_OBS_SIMULATION",
    "BAND_QUANTILES",
    "SCENARIOS",
    "SCENARIO_METHODS",
    "RD_CENTRAL_METHODS",
    "TABLE_COLUMNS",
    "PROJECTED_STATUS",
    "MISSING_STATUS",
    "MAX_YEAR",
    "MAX_HORIZON",
    "MAX_N_SIMS",
    "check_year",
    "check_growth_pct",
    "check_positive",
    "check_horizon",
    "check_n_sims",
    "check_seed",
    "check_parameters",
    "find_gaps",
    "check_series",
    "GrowthStats",
    "log_growths",
    "growth_stats",
    "cagr",
    "TrendFit",
    "trend_growth",
    "trend_path",
    "compound_path",
    "plan_path",
    "required_growth",
    "required_growth_for_intensity",
    "scenario_growth_rates",
    "revenue_scenarios",
    "intensity_path",
    "Crossing",
    "crossing_year",
    "describe_crossing",
    "simulate_log_growth",
    "Fan",
    "simulate_fan",
    "fan_bands",
    "prob_above_path",
    "prob_always_above",
    "prob_growth_at_least",
    "prob_growth_every_year",
    "prob_intensity_at_least",
    "build_projection",
    "check_projection_output",
    "intensity_scenarios",
    "TEXT_SUMMARY_KEYS",
    "SCENARIO_SAME_PP",
    "REPORT_COLUMNS",
    "split_note",
    "describe_projection",
]
