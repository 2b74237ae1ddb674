"""R&D growth projection: will enterprise R&D keep +15 % a year and reach 1 % of revenue?

Task 5 of the plan asks that R&D spending of above-scale industrial enterprises
(``enterprise_rd_expenditure``) grow at least 15 % a year and that R&D intensity
(``enterprise_rd_intensity`` = 100 × enterprise_rd_expenditure / industrial_revenue) reach 1 % in 2022.
This module gives the deterministic answers (plan path, historical growth, required growth, revenue
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
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import pandas as pd

from lingshou.config import MIN_YEAR, STATUSES
from lingshou.errors import AnalysisError, DataError, ParameterError
from lingshou.i18n import bi, pick

#: The plan's growth target for enterprise R&D, percent per year.
DEFAULT_GROWTH_PCT = 15.0
#: First year of the plan (2022–2025); the default base year is the year before.
DEFAULT_PLAN_START = 2022
#: Last year of the plan.
DEFAULT_END_YEAR = 2025
#: The plan's intensity target, percent of main business revenue, and the year it is due.
DEFAULT_INTENSITY_TARGET_PCT = 1.0
DEFAULT_INTENSITY_TARGET_YEAR = 2022
DEFAULT_N_SIMS = 10_000
#: Fixed so that reports and nbval runs reproduce (the plan's date, 2022-09-22).
DEFAULT_SEED = 20220922
#: Observations needed for the simulation: 3 points give 2 growths, hence a t distribution with 1 df.
MIN_OBS_SIMULATION = 3
#: Quantiles of the fan (fractions); column names p05 … p95.
BAND_QUANTILES = (0.05, 0.25, 0.50, 0.75, 0.95)
SCENARIOS = ("low", "central", "high")
SCENARIO_METHODS = ("range", "trend_se")
RD_CENTRAL_METHODS = ("cagr", "trend", "plan_rate")
#: Columns of the table :func:`build_projection` returns, in order.
TABLE_COLUMNS = ("year", "actual", "plan_path", "trend_path", "p05", "p25", "p50", "p75", "p95",
                 "revenue_central", "intensity_central", "p_intensity_ge_target", "data_status")
#: ``data_status`` of years after the latest actual, and of gap years (allow_gaps=True).
PROJECTED_STATUS = "projected"
MISSING_STATUS = "missing"
MAX_YEAR = 2100
MAX_HORIZON = 100
MAX_N_SIMS = 1_000_000
#: Floating-point slack when comparing a value with a path on the log scale: an actual exactly on the
#: 15 % path must count as "on the path" although 1.15**h is not exact in binary.
_LOG_TOL = 1e-12


# --------------------------------------------------------------------------------------------------
# Parameter checks
# --------------------------------------------------------------------------------------------------

def _is_int(value) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_real(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(float(value))


def check_year(value, name: str = "year") -> int:
    """Return ``value`` as an int if it is a plausible calendar year.

    Raises
    ------
    ParameterError
        If ``value`` is not an integer in [MIN_YEAR, MAX_YEAR].
    """
    if not _is_int(value) or not MIN_YEAR <= int(value) <= MAX_YEAR:
        raise ParameterError(bi(
            f"{name} 必须是 {MIN_YEAR}–{MAX_YEAR} 之间的整数年份，收到 {value!r}",
            f"{name} must be an integer year in {MIN_YEAR}–{MAX_YEAR}, got {value!r}"))
    return int(value)


def check_growth_pct(value, name: str = "growth_pct") -> float:
    """Return a growth rate in percent per year if it lies in the open interval (−100, 1000).

    Raises
    ------
    ParameterError
        If ``value`` is not a finite number strictly between −100 and 1000.
    """
    if not _is_real(value) or not -100.0 < float(value) < 1000.0:
        raise ParameterError(bi(
            f"{name} 必须是 (−100, 1000) 之间的年增长率（%），收到 {value!r}",
            f"{name} must be a growth rate in percent per year within (−100, 1000), got {value!r}"))
    return float(value)


def check_positive(value, name: str) -> float:
    """Return ``value`` as a float if it is finite and > 0.

    Raises
    ------
    ParameterError
        If ``value`` is not a finite positive number.
    """
    if not _is_real(value) or float(value) <= 0:
        raise ParameterError(bi(f"{name} 必须是有限的正数，收到 {value!r}",
                                f"{name} must be a finite positive number, got {value!r}"))
    return float(value)


def _check_int_range(value, name: str, low: int, high: int) -> int:
    if not _is_int(value) or not low <= int(value) <= high:
        raise ParameterError(bi(f"{name} 必须是 {low}–{high} 之间的整数，收到 {value!r}",
                                f"{name} must be an integer in {low}–{high}, got {value!r}"))
    return int(value)


def check_horizon(value, name: str = "horizon") -> int:
    """Number of years to project beyond the latest actual: an integer in [1, MAX_HORIZON]."""
    return _check_int_range(value, name, 1, MAX_HORIZON)


def check_n_sims(value) -> int:
    """Number of simulated paths: an integer in [100, MAX_N_SIMS]."""
    return _check_int_range(value, "n_sims", 100, MAX_N_SIMS)


def check_seed(value) -> int:
    """Seed of :func:`numpy.random.default_rng`: a non-negative integer."""
    return _check_int_range(value, "seed", 0, 2**63 - 1)


def _check_choice(value, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ParameterError(bi(f"{name}={value!r} 不是可选值 {choices}",
                                f"{name}={value!r} is not one of {choices}"))
    return value


def check_parameters(*, base_year=None, plan_start=DEFAULT_PLAN_START, growth_pct=DEFAULT_GROWTH_PCT,
                     intensity_target_pct=DEFAULT_INTENSITY_TARGET_PCT,
                     intensity_target_year=DEFAULT_INTENSITY_TARGET_YEAR, end_year=DEFAULT_END_YEAR,
                     n_sims=DEFAULT_N_SIMS, seed=DEFAULT_SEED, revenue_growth_pct=None,
                     scenario_method="range", scenario_k=2.0, rd_central="cagr",
                     allow_gaps=False) -> dict:
    """Validate the parameters of :func:`build_projection` (the notebook's parameter cell).

    Parameters are those of :func:`build_projection`.

    Returns
    -------
    dict
        The validated parameters (ints as ``int``, rates as ``float``), ``base_year`` resolved to
        ``plan_start - 1`` when it was ``None``.

    Raises
    ------
    ParameterError
        On the first invalid parameter, naming it.
    """
    plan_start = check_year(plan_start, "plan_start")
    base_year = plan_start - 1 if base_year is None else check_year(base_year, "base_year")
    end_year = check_year(end_year, "end_year")
    if end_year < base_year:
        raise ParameterError(bi(f"end_year={end_year} 早于 base_year={base_year}",
                                f"end_year={end_year} is before base_year={base_year}"))
    if not isinstance(allow_gaps, bool):
        raise ParameterError(bi(f"allow_gaps 必须是 True 或 False，收到 {allow_gaps!r}",
                                f"allow_gaps must be True or False, got {allow_gaps!r}"))
    return {
        "base_year": base_year,
        "plan_start": plan_start,
        "growth_pct": check_growth_pct(growth_pct),
        "intensity_target_pct": check_positive(intensity_target_pct, "intensity_target_pct"),
        "intensity_target_year": check_year(intensity_target_year, "intensity_target_year"),
        "end_year": end_year,
        "n_sims": check_n_sims(n_sims),
        "seed": check_seed(seed),
        "revenue_growth_pct": (None if revenue_growth_pct is None
                               else _check_scenario_rates(revenue_growth_pct)),
        "scenario_method": _check_choice(scenario_method, "scenario_method", SCENARIO_METHODS),
        "scenario_k": check_positive(scenario_k, "scenario_k"),
        "rd_central": _check_choice(rd_central, "rd_central", RD_CENTRAL_METHODS),
        "allow_gaps": allow_gaps,
    }


# --------------------------------------------------------------------------------------------------
# Series checks and growth statistics
# --------------------------------------------------------------------------------------------------

def _label(series: pd.Series, name: str | None) -> str:
    if name:
        return name
    return str(series.name) if series.name is not None else "series"


def _years_text(years) -> str:
    return ", ".join(str(int(y)) for y in years)


def find_gaps(series: pd.Series) -> list[int]:
    """Years missing inside the observed range of ``series`` (absent from the index or NaN).

    Parameters
    ----------
    series : pandas.Series
        Values indexed by integer year.

    Returns
    -------
    list of int
        Sorted missing years between the first and the last non-NaN value; leading and trailing NaN
        are not gaps.
    """
    observed = series.dropna().index
    if len(observed) == 0:
        return []
    present = set(int(y) for y in observed)
    return [y for y in range(int(min(observed)), int(max(observed)) + 1) if y not in present]


def check_series(series, name: str | None = None, *, allow_gaps: bool = False) -> pd.Series:
    """Validate a yearly series and return its observations, sorted by year, as float.

    Parameters
    ----------
    series : pandas.Series
        Values (万元, or any positive quantity) indexed by integer calendar year; NaN = not available.
    name : str, optional
        Name used in messages; default the series name.
    allow_gaps : bool, default False
        Accept missing years inside the series (see the module notes).

    Returns
    -------
    pandas.Series
        The non-NaN values, float64, index int64 named ``year``, sorted.

    Raises
    ------
    ParameterError
        If ``series`` is not a pandas Series.
    DataError
        If the index is not integer years in a plausible range, has duplicates, the values are not
        numeric, there is no observation, a value is infinite, zero or negative, or (without
        ``allow_gaps``) a year inside the series is missing.
    """
    if not isinstance(series, pd.Series):
        raise ParameterError(bi(f"需要 pandas.Series（按年份索引），收到 {type(series).__name__}",
                                f"expected a pandas.Series indexed by year, got {type(series).__name__}"))
    label = _label(series, name)
    if not pd.api.types.is_integer_dtype(series.index.dtype):
        raise DataError(bi(f"{label} 的索引必须是整数年份，实际类型为 {series.index.dtype}",
                           f"{label}: the index must hold integer years, got dtype {series.index.dtype}"))
    years = series.index.astype("int64")
    bad_years = [int(y) for y in years if not MIN_YEAR <= y <= MAX_YEAR]
    if bad_years:
        raise DataError(bi(f"{label} 的索引含不合理年份 {_years_text(bad_years)}（索引应为年份）",
                           f"{label}: implausible years {_years_text(bad_years)} in the index "
                           "(the index must be calendar years)"))
    duplicated = sorted(set(int(y) for y in years[years.duplicated()]))
    if duplicated:
        raise DataError(bi(f"{label} 的年份重复：{_years_text(duplicated)}",
                           f"{label}: duplicated years {_years_text(duplicated)}"))
    if pd.api.types.is_bool_dtype(series.dtype) or not pd.api.types.is_numeric_dtype(series.dtype):
        raise DataError(bi(f"{label} 的值必须是数值，实际类型为 {series.dtype}",
                           f"{label}: values must be numeric, got dtype {series.dtype}"))
    values = pd.Series(series.to_numpy(dtype="float64", na_value=np.nan),
                       index=pd.Index(years, name="year"), name=series.name).sort_index()
    infinite = values[np.isinf(values.to_numpy())]
    if len(infinite):
        raise DataError(bi(
            f"{label} 含无穷大值：" + "；".join(f"{y}年={v}" for y, v in infinite.items()),
            f"{label}: infinite values: " + "; ".join(f"{y}={v}" for y, v in infinite.items())))
    observed = values.dropna()
    if observed.empty:
        raise DataError(bi(f"{label} 没有任何观测值", f"{label}: no observation"))
    non_positive = observed[observed <= 0]
    if len(non_positive):
        raise DataError(bi(
            f"{label} 含零或负值，无法计算增长率：" + "；".join(f"{y}年={v:g}" for y, v in non_positive.items()),
            f"{label}: zero or negative values, growth cannot be computed: "
            + "; ".join(f"{y}={v:g}" for y, v in non_positive.items())))
    gaps = find_gaps(values)
    if gaps and not allow_gaps:
        raise DataError(bi(
            f"{label} 中间缺少年份 {_years_text(gaps)}：请补齐数据，或设 allow_gaps=True 按跨年增长计算",
            f"{label}: missing years {_years_text(gaps)} inside the series; fill them, or pass "
            "allow_gaps=True to use the growth over the gap"))
    return observed


@dataclass(frozen=True)
class GrowthStats:
    """Yearly log-growth statistics of a series (the inputs of the random walk with drift).

    Attributes
    ----------
    n_obs : int
        Number of observations.
    n_growths : int
        Number of growth intervals (``n_obs - 1``).
    first_year, last_year : int
        First and latest observed year.
    span_years : int
        ``last_year - first_year``.
    mean_log_growth : float
        Drift ``mu``: total log growth / span_years, log points per year (the mean of the yearly log
        growths when there is no gap).
    sd_log_growth : float
        ``s``: sample SD of yearly log growth (ddof 1; intervals over a gap of k years weighted 1/k).
        NaN with a single growth.
    se_mean : float
        ``s / sqrt(span_years)``, the standard error of ``mu`` (``s / sqrt(n)`` without gaps).
    gap_years : tuple of int
        Missing years inside the series (empty unless allowed).
    """

    n_obs: int
    n_growths: int
    first_year: int
    last_year: int
    span_years: int
    mean_log_growth: float
    sd_log_growth: float
    se_mean: float
    gap_years: tuple[int, ...]

    @property
    def df(self) -> int:
        """Degrees of freedom of the Student-t for the drift (``n_growths - 1``)."""
        return self.n_growths - 1

    @property
    def growth_pct(self) -> float:
        """Drift as a growth rate, percent per year (equals the CAGR)."""
        return 100.0 * math.expm1(self.mean_log_growth)


def log_growths(series: pd.Series, *, allow_gaps: bool = False) -> pd.DataFrame:
    """Growth between consecutive observations.

    Parameters
    ----------
    series : pandas.Series
        Positive values (万元) indexed by year.
    allow_gaps : bool, default False
        Accept missing years inside the series.

    Returns
    -------
    pandas.DataFrame
        Columns ``year_from``, ``year_to``, ``span`` (years), ``log_growth`` (log points over the
        interval) and ``growth_pct`` (annualised, percent per year).

    Raises
    ------
    AnalysisError
        With fewer than 2 observations.
    """
    observed = check_series(series, allow_gaps=allow_gaps)
    if len(observed) < 2:
        raise AnalysisError(bi(
            f"{_label(series, None)} 只有 {len(observed)} 个观测值，至少需要 2 个才能计算增长",
            f"{_label(series, None)}: {len(observed)} observation(s); growth needs at least 2"))
    years = observed.index.to_numpy()
    logs = np.log(observed.to_numpy())
    span = np.diff(years)
    d = np.diff(logs)
    return pd.DataFrame({"year_from": years[:-1], "year_to": years[1:], "span": span,
                         "log_growth": d, "growth_pct": 100.0 * np.expm1(d / span)})


def growth_stats(series: pd.Series, *, allow_gaps: bool = False) -> GrowthStats:
    """Drift, volatility and the drift's standard error of the yearly log growth.

    Parameters
    ----------
    series : pandas.Series
        Positive values (万元) indexed by year.
    allow_gaps : bool, default False
        Accept missing years inside the series; an interval of k years then counts as k yearly
        growths whose sum is observed (mean k·mu, variance k·s²).

    Returns
    -------
    GrowthStats

    Raises
    ------
    AnalysisError
        With fewer than 2 observations.
    """
    g = log_growths(series, allow_gaps=allow_gaps)
    span = g["span"].to_numpy(dtype=float)
    d = g["log_growth"].to_numpy()
    total_span = span.sum()
    mu = d.sum() / total_span
    m = len(g)
    if m >= 2:
        # Weighted by 1/k because an interval of k years has variance k·s².
        sd = math.sqrt(float(np.sum((d - span * mu) ** 2 / span)) / (m - 1))
        se = sd / math.sqrt(total_span)
    else:
        sd = se = math.nan
    observed = check_series(series, allow_gaps=allow_gaps)
    return GrowthStats(n_obs=m + 1, n_growths=m, first_year=int(observed.index[0]),
                       last_year=int(observed.index[-1]), span_years=int(total_span),
                       mean_log_growth=float(mu), sd_log_growth=sd, se_mean=se,
                       gap_years=tuple(find_gaps(observed)))


def cagr(series: pd.Series, *, allow_gaps: bool = False) -> float:
    """Compound annual growth rate between the first and the last observation (COINr ``CAGR``).

    Parameters
    ----------
    series : pandas.Series
        Positive values (万元) indexed by year.
    allow_gaps : bool, default False
        Accept missing years inside the series (the CAGR only uses the end points and their years).

    Returns
    -------
    float
        ``((last / first) ** (1 / (last_year - first_year)) - 1) * 100``, percent per year.

    Raises
    ------
    AnalysisError
        With fewer than 2 observations.
    """
    observed = check_series(series, allow_gaps=allow_gaps)
    if len(observed) < 2:
        raise AnalysisError(bi(
            f"{_label(series, None)} 只有 {len(observed)} 个观测值，计算年均增长率至少需要 2 个",
            f"{_label(series, None)}: {len(observed)} observation(s); the CAGR needs at least 2"))
    span = int(observed.index[-1] - observed.index[0])
    return 100.0 * ((observed.iloc[-1] / observed.iloc[0]) ** (1.0 / span) - 1.0)


@dataclass(frozen=True)
class TrendFit:
    """Log-linear OLS trend, ``log(value) = level + slope * (year - mean_year)``.

    Attributes
    ----------
    slope : float
        Log points per year.
    slope_se : float
        OLS standard error of the slope (NaN with 2 points: no residual degree of freedom).
    level : float
        Fitted log value at ``mean_year`` (log 万元).
    mean_year : float
        Mean of the observed years.
    n_obs : int
        Points used.
    """

    slope: float
    slope_se: float
    level: float
    mean_year: float
    n_obs: int

    @property
    def growth_pct(self) -> float:
        """Trend growth, percent per year: ``(exp(slope) - 1) * 100``."""
        return 100.0 * math.expm1(self.slope)

    @property
    def growth_se_pct(self) -> float:
        """Standard error of :attr:`growth_pct` (delta method, ``100 * exp(slope) * slope_se``), pp/yr."""
        return 100.0 * math.exp(self.slope) * self.slope_se

    def predict(self, years) -> np.ndarray:
        """Fitted values (万元) at ``years``: ``exp(level + slope * (year - mean_year))``."""
        return np.exp(self.level + self.slope * (np.asarray(years, dtype=float) - self.mean_year))


def trend_growth(series: pd.Series, *, allow_gaps: bool = False) -> TrendFit:
    """Log-linear trend fitted by OLS on every observation.

    Parameters
    ----------
    series : pandas.Series
        Positive values (万元) indexed by year.
    allow_gaps : bool, default False
        Accept missing years inside the series (the regression just has no point there).

    Returns
    -------
    TrendFit
        ``growth_pct`` / ``growth_se_pct`` give the annual growth in percent and its standard error.

    Raises
    ------
    AnalysisError
        With fewer than 2 observations.
    """
    observed = check_series(series, allow_gaps=allow_gaps)
    n = len(observed)
    if n < 2:
        raise AnalysisError(bi(
            f"{_label(series, None)} 只有 {n} 个观测值，拟合趋势至少需要 2 个",
            f"{_label(series, None)}: {n} observation(s); the trend needs at least 2"))
    years = observed.index.to_numpy(dtype=float)
    y = np.log(observed.to_numpy())
    mean_year = years.mean()
    # Centred years keep the intercept well conditioned (years are ~2000, slopes ~0.1).
    x = years - mean_year
    design = np.column_stack([np.ones(n), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    if n > 2:
        resid = y - design @ coef
        s2 = float(resid @ resid) / (n - 2)
        slope_se = math.sqrt(s2 / float(x @ x))
    else:
        slope_se = math.nan
    return TrendFit(slope=float(coef[1]), slope_se=slope_se, level=float(coef[0]),
                    mean_year=float(mean_year), n_obs=n)


def trend_path(series: pd.Series, end_year: int = DEFAULT_END_YEAR, *,
               allow_gaps: bool = False) -> pd.Series:
    """The fitted log-linear trend from the first observed year to ``end_year`` (万元).

    Parameters
    ----------
    series : pandas.Series
        Positive values (万元) indexed by year.
    end_year : int, default 2025
        Last year of the path (extrapolated beyond the data).
    allow_gaps : bool, default False
        Accept missing years inside the series.

    Returns
    -------
    pandas.Series
        Named ``trend_path``, indexed by year from the first observation to
        ``max(end_year, last observation)``. Exponentiated log fit, i.e. a median-type trend.

    Raises
    ------
    AnalysisError
        With fewer than 2 observations.
    """
    end_year = check_year(end_year, "end_year")
    fit = trend_growth(series, allow_gaps=allow_gaps)
    observed = check_series(series, allow_gaps=allow_gaps)
    years = np.arange(int(observed.index[0]), max(end_year, int(observed.index[-1])) + 1)
    return pd.Series(fit.predict(years), index=pd.Index(years, name="year"), name="trend_path")


# --------------------------------------------------------------------------------------------------
# Deterministic paths and required growth
# --------------------------------------------------------------------------------------------------

def compound_path(start_value: float, start_year: int, growth_pct: float, end_year: int) -> pd.Series:
    """``start_value`` compounded at ``growth_pct`` per year from ``start_year`` to ``end_year``.

    Parameters
    ----------
    start_value : float
        Value in ``start_year`` (万元), > 0.
    start_year, end_year : int
        First and last year of the path (``end_year >= start_year``).
    growth_pct : float
        Percent per year, in (−100, 1000).

    Returns
    -------
    pandas.Series
        ``start_value * (1 + growth_pct / 100) ** (year - start_year)``, indexed by year.

    Raises
    ------
    ParameterError
        On a non-positive start value, a bad growth rate or ``end_year < start_year``.
    """
    start_value = check_positive(start_value, "start_value")
    start_year = check_year(start_year, "start_year")
    end_year = check_year(end_year, "end_year")
    growth_pct = check_growth_pct(growth_pct)
    if end_year < start_year:
        raise ParameterError(bi(f"end_year={end_year} 早于起始年 {start_year}",
                                f"end_year={end_year} is before the start year {start_year}"))
    years = np.arange(start_year, end_year + 1)
    values = start_value * (1.0 + growth_pct / 100.0) ** (years - start_year)
    return pd.Series(values, index=pd.Index(years, name="year"))


def plan_path(series: pd.Series, base_year: int | None = None, growth_pct: float = DEFAULT_GROWTH_PCT,
              end_year: int = DEFAULT_END_YEAR, *, plan_start: int = DEFAULT_PLAN_START) -> pd.Series:
    """The plan path: the base year's actual compounded at ``growth_pct`` per year.

    Parameters
    ----------
    series : pandas.Series
        Actual values (万元) indexed by year; gaps elsewhere do not matter here.
    base_year : int, optional
        Year whose actual starts the path; default ``plan_start - 1`` (2021 for the 2022–2025 plan).
    growth_pct : float, default 15.0
        Percent per year.
    end_year : int, default 2025
        Last year of the path.
    plan_start : int, default 2022
        First year of the plan (only used to default ``base_year``).

    Returns
    -------
    pandas.Series
        Named ``plan_path``, indexed from ``base_year`` to ``end_year`` (万元).

    Raises
    ------
    DataError
        If the base year has no observation.
    ParameterError
        On bad years or growth rate.
    """
    plan_start = check_year(plan_start, "plan_start")
    base_year = plan_start - 1 if base_year is None else check_year(base_year, "base_year")
    observed = check_series(series, allow_gaps=True)
    if base_year not in observed.index:
        raise DataError(bi(
            f"{_label(series, None)} 在基年 {base_year} 没有观测值（有数据的年份：{_years_text(observed.index)}）；"
            "请指定 base_year",
            f"{_label(series, None)}: no observation in the base year {base_year} (observed: "
            f"{_years_text(observed.index)}); pass base_year"))
    path = compound_path(float(observed.loc[base_year]), base_year, growth_pct, end_year)
    return path.rename("plan_path")


def required_growth(latest_value: float, latest_year: int, target_value: float, target_year: int) -> float:
    """Constant annual growth that takes ``latest_value`` to ``target_value`` by ``target_year``.

    Parameters
    ----------
    latest_value, target_value : float
        Levels in the same unit (万元), > 0.
    latest_year, target_year : int
        ``target_year > latest_year``.

    Returns
    -------
    float
        ``((target_value / latest_value) ** (1 / (target_year - latest_year)) - 1) * 100``, percent
        per year (negative if the target is below the latest value).

    Raises
    ------
    ParameterError
        On non-positive values or ``target_year <= latest_year``.
    """
    latest_value = check_positive(latest_value, "latest_value")
    target_value = check_positive(target_value, "target_value")
    latest_year = check_year(latest_year, "latest_year")
    target_year = check_year(target_year, "target_year")
    if target_year <= latest_year:
        raise ParameterError(bi(
            f"目标年 {target_year} 必须晚于最新数据年 {latest_year}",
            f"target_year {target_year} must be after latest_year {latest_year}"))
    return 100.0 * ((target_value / latest_value) ** (1.0 / (target_year - latest_year)) - 1.0)


def required_growth_for_intensity(rd: pd.Series, revenue_path: pd.Series, target_pct: float,
                                  target_year: int) -> float:
    """Constant annual R&D growth from the latest actual that makes intensity reach ``target_pct``.

    Parameters
    ----------
    rd : pandas.Series
        R&D actuals (万元) indexed by year; the latest observation is the starting point.
    revenue_path : pandas.Series
        Revenue (万元) indexed by year, actual or projected; must hold ``target_year``.
    target_pct : float
        Intensity target, percent of revenue (1.0 = 1 %).
    target_year : int
        Year the target is due (after the latest R&D actual).

    Returns
    -------
    float
        Percent per year; the R&D level needed is ``target_pct / 100 * revenue_path[target_year]``.

    Raises
    ------
    ParameterError
        If ``revenue_path`` has no finite positive value for ``target_year``, or on bad arguments.
    """
    target_pct = check_positive(target_pct, "target_pct")
    target_year = check_year(target_year, "target_year")
    observed = check_series(rd, allow_gaps=True)
    if not isinstance(revenue_path, pd.Series):
        raise ParameterError(bi("revenue_path 必须是按年份索引的 pandas.Series",
                                "revenue_path must be a pandas.Series indexed by year"))
    revenue = revenue_path.get(target_year, np.nan)
    if not _is_real(revenue) or revenue <= 0:
        raise ParameterError(bi(f"revenue_path 在 {target_year} 年没有有效（正的）收入值：{revenue!r}",
                                f"revenue_path has no valid positive revenue for {target_year}: {revenue!r}"))
    level = target_pct / 100.0 * float(revenue)
    return required_growth(float(observed.iloc[-1]), int(observed.index[-1]), level, target_year)


# --------------------------------------------------------------------------------------------------
# Revenue scenarios, intensity and crossing years
# --------------------------------------------------------------------------------------------------

def _check_scenario_rates(rates) -> dict[str, float]:
    if not isinstance(rates, Mapping) or set(rates) != set(SCENARIOS):
        raise ParameterError(bi(f"情景增长率必须是恰好含 {SCENARIOS} 的字典，收到 {rates!r}",
                                f"scenario growth rates must be a mapping with exactly the keys {SCENARIOS}, "
                                f"got {rates!r}"))
    checked = {s: check_growth_pct(rates[s], f"growth_pct[{s!r}]") for s in SCENARIOS}
    if not checked["low"] <= checked["central"] <= checked["high"]:
        raise ParameterError(bi(f"情景增长率须满足 low ≤ central ≤ high，收到 {checked}",
                                f"scenario growth rates must satisfy low <= central <= high, got {checked}"))
    return checked


def scenario_growth_rates(revenue: pd.Series, *, method: str = "range", k: float = 2.0,
                          allow_gaps: bool = False) -> dict[str, float]:
    """Low / central / high revenue growth rates from the revenue history.

    Parameters
    ----------
    revenue : pandas.Series
        Revenue actuals (万元) indexed by year.
    method : {"range", "trend_se"}, default "range"
        ``"range"``: central = log-linear trend growth; low / high = the lowest / highest yearly growth
        observed (annualised over a gap). Needs 2 observations. ``"trend_se"``: trend slope ∓ ``k``
        standard errors, on the log scale. Needs 3 observations.
    k : float, default 2.0
        Multiplier of the standard error (``"trend_se"`` only).
    allow_gaps : bool, default False
        Accept missing years inside the series.

    Returns
    -------
    dict
        ``{"low": float, "central": float, "high": float}``, percent per year.

    Raises
    ------
    ParameterError
        On an unknown method or a non-positive ``k``.
    AnalysisError
        If the history is too short for the method.
    """
    method = _check_choice(method, "method", SCENARIO_METHODS)
    k = check_positive(k, "k")
    fit = trend_growth(revenue, allow_gaps=allow_gaps)
    if method == "range":
        yearly = log_growths(revenue, allow_gaps=allow_gaps)["growth_pct"]
        low, high = float(yearly.min()), float(yearly.max())
        # The OLS slope is a positively weighted mean of the interval growths, so it lies in
        # [low, high]; clipping only removes rounding (e.g. 1e-14 outside with constant growth).
        return {"low": low, "central": min(max(fit.growth_pct, low), high), "high": high}
    if fit.n_obs < 3:
        raise AnalysisError(bi(
            f"{_label(revenue, None)} 只有 {fit.n_obs} 个观测值；trend_se 情景需要至少 3 个（才有标准误）",
            f"{_label(revenue, None)}: {fit.n_obs} observations; the trend_se scenarios need at least 3 "
            "(for a standard error)"))
    return {"low": 100.0 * math.expm1(fit.slope - k * fit.slope_se), "central": fit.growth_pct,
            "high": 100.0 * math.expm1(fit.slope + k * fit.slope_se)}


def revenue_scenarios(revenue: pd.Series, end_year: int = DEFAULT_END_YEAR, *,
                      growth_pct: Mapping[str, float] | None = None, method: str = "range", k: float = 2.0,
                      allow_gaps: bool = False) -> pd.DataFrame:
    """Revenue paths under the low / central / high scenarios (万元).

    Parameters
    ----------
    revenue : pandas.Series
        Revenue actuals (万元) indexed by year.
    end_year : int, default 2025
        Last projected year.
    growth_pct : mapping, optional
        Explicit ``{"low", "central", "high"}`` growth rates, percent per year (low ≤ central ≤ high);
        default: :func:`scenario_growth_rates` with ``method`` and ``k``.
    method, k, allow_gaps
        See :func:`scenario_growth_rates`.

    Returns
    -------
    pandas.DataFrame
        Index ``year`` from the first revenue observation to ``max(end_year, latest)``; columns
        ``low``, ``central``, ``high``. Up to the latest actual every column holds the actuals (NaN in
        a gap); after it, the latest actual compounded at each scenario's rate.

    Raises
    ------
    ParameterError
        On malformed explicit rates.
    AnalysisError
        If rates must be estimated and the history is too short.
    """
    end_year = check_year(end_year, "end_year")
    observed = check_series(revenue, allow_gaps=allow_gaps)
    rates = (_check_scenario_rates(growth_pct) if growth_pct is not None
             else scenario_growth_rates(revenue, method=method, k=k, allow_gaps=allow_gaps))
    first, latest = int(observed.index[0]), int(observed.index[-1])
    years = pd.Index(np.arange(first, max(end_year, latest) + 1), name="year")
    history = observed.reindex(years)
    columns = {}
    for scenario in SCENARIOS:
        path = history.copy()
        if end_year > latest:
            future = compound_path(float(observed.iloc[-1]), latest, rates[scenario], end_year)
            path.loc[future.index[1:]] = future.iloc[1:].to_numpy()
        columns[scenario] = path.to_numpy()
    return pd.DataFrame(columns, index=years)


def intensity_path(rd_path: pd.Series, revenue_path: pd.Series) -> pd.Series:
    """R&D intensity, ``100 * rd / revenue`` (percent), on the union of years (NaN where either is missing).

    Parameters
    ----------
    rd_path, revenue_path : pandas.Series
        R&D and revenue in the same unit (万元), indexed by year.

    Returns
    -------
    pandas.Series
        Named ``intensity``, percent of revenue.

    Raises
    ------
    ParameterError
        If either argument is not a Series.
    DataError
        If revenue is zero or negative in a year.
    """
    for label, s in (("rd_path", rd_path), ("revenue_path", revenue_path)):
        if not isinstance(s, pd.Series):
            raise ParameterError(bi(f"{label} 必须是按年份索引的 pandas.Series",
                                    f"{label} must be a pandas.Series indexed by year"))
    bad = revenue_path[revenue_path <= 0]
    if len(bad):
        raise DataError(bi("收入为零或负值，无法计算强度：" + "；".join(f"{y}年={v:g}" for y, v in bad.items()),
                           "revenue is zero or negative, intensity undefined: "
                           + "; ".join(f"{y}={v:g}" for y, v in bad.items())))
    rd, rev = rd_path.astype("float64").align(revenue_path.astype("float64"), join="outer")
    out = 100.0 * rd / rev
    out.index.name = "year"
    return out.rename("intensity")


@dataclass(frozen=True)
class Crossing:
    """When a path first reaches a threshold.

    Attributes
    ----------
    year : int or None
        First year (from ``start_year`` to ``horizon_year``) with value ≥ threshold; None = not reached.
    threshold : float
        The threshold (e.g. 1.0 % intensity).
    horizon_year : int
        Last year examined.
    start_year : int or None
        First year examined (None = the start of the path).
    """

    year: int | None
    threshold: float
    horizon_year: int
    start_year: int | None

    @property
    def reached(self) -> bool:
        return self.year is not None

    def to_dict(self) -> dict:
        """JSON-ready ``{"year", "reached", "threshold", "horizon_year", "start_year"}``."""
        return {"year": self.year, "reached": self.reached, "threshold": self.threshold,
                "horizon_year": self.horizon_year, "start_year": self.start_year}


def crossing_year(path: pd.Series, threshold: float, horizon_year: int,
                  start_year: int | None = None) -> Crossing:
    """First year in which ``path`` is at or above ``threshold``, looking no further than ``horizon_year``.

    Parameters
    ----------
    path : pandas.Series
        Values indexed by year (e.g. intensity in percent); NaN never counts as reached.
    threshold : float
        Level to reach, in the unit of ``path``, > 0.
    horizon_year : int
        Last calendar year examined (e.g. 2025): a crossing after it is reported as not reached.
    start_year : int, optional
        First year examined (e.g. the plan's first year); default the start of ``path``.

    Returns
    -------
    Crossing
        ``year`` is None when the threshold is not reached by ``horizon_year``.

    Raises
    ------
    ParameterError
        On a non-Series path, a non-positive threshold or bad years.
    """
    if not isinstance(path, pd.Series):
        raise ParameterError(bi("path 必须是按年份索引的 pandas.Series",
                                "path must be a pandas.Series indexed by year"))
    threshold = check_positive(threshold, "threshold")
    horizon_year = check_year(horizon_year, "horizon_year")
    if start_year is not None:
        start_year = check_year(start_year, "start_year")
    window = path.sort_index()
    window = window[window.index <= horizon_year]
    if start_year is not None:
        window = window[window.index >= start_year]
    hits = window.index[window.to_numpy(dtype=float, na_value=np.nan) >= threshold]
    year = int(hits[0]) if len(hits) else None
    return Crossing(year=year, threshold=threshold, horizon_year=horizon_year, start_year=start_year)


def describe_crossing(crossing: Crossing, lang: str = "zh", unit: str = "%") -> str:
    """A sentence for the notebook, e.g. "2024年首次达到1%" / "first reaches 1% in 2024".

    Parameters
    ----------
    crossing : Crossing
    lang : {"zh", "en"}
    unit : str, default "%"
        Appended to the threshold.

    Returns
    -------
    str
    """
    level = f"{crossing.threshold:g}{unit}"
    if crossing.reached:
        return pick(lang, f"{crossing.year}年首次达到{level}", f"first reaches {level} in {crossing.year}")
    return pick(lang, f"到{crossing.horizon_year}年仍未达到{level}", f"not reached by {crossing.horizon_year}")


# --------------------------------------------------------------------------------------------------
# Stochastic fan
# --------------------------------------------------------------------------------------------------

def simulate_log_growth(mu: float, se: float, sigma: float, df: int, horizon: int,
                        n_sims: int = DEFAULT_N_SIMS, seed: int = DEFAULT_SEED) -> np.ndarray:
    """Cumulative log growth of a random walk with an uncertain drift.

    Each path draws its drift once, ``mu + se * T`` with ``T ~ Student-t(df)``, then adds yearly shocks
    ``N(0, sigma)``.

    Parameters
    ----------
    mu : float
        Mean yearly log growth (log points per year).
    se : float
        Standard error of ``mu`` (≥ 0).
    sigma : float
        SD of the yearly shocks (≥ 0), log points.
    df : int
        Degrees of freedom of the t distribution (≥ 1).
    horizon : int
        Years simulated.
    n_sims : int, default 10000
        Paths.
    seed : int
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_sims, horizon)``: log growth from the start to the end of each year ahead.

    Raises
    ------
    ParameterError
        On invalid arguments.
    """
    if not _is_real(mu):
        raise ParameterError(bi(f"mu 必须是有限数值，收到 {mu!r}", f"mu must be a finite number, got {mu!r}"))
    for name, value in (("se", se), ("sigma", sigma)):
        if not _is_real(value) or value < 0:
            raise ParameterError(bi(f"{name} 必须是非负有限数值，收到 {value!r}",
                                    f"{name} must be a finite non-negative number, got {value!r}"))
    df = _check_int_range(df, "df", 1, 10**9)
    horizon = check_horizon(horizon)
    n_sims = check_n_sims(n_sims)
    rng = np.random.default_rng(check_seed(seed))
    drift = mu + se * rng.standard_t(df, size=n_sims)
    shocks = sigma * rng.standard_normal((n_sims, horizon))
    return np.cumsum(drift[:, None] + shocks, axis=1)


@dataclass(frozen=True, eq=False)
class Fan:
    """Simulated paths of a series beyond its latest actual.

    Attributes
    ----------
    base_year : int
        Latest actual year (the start of every path).
    base_value : float
        Latest actual (万元).
    years : numpy.ndarray
        Projected years ``base_year + 1 … base_year + horizon``.
    log_paths : numpy.ndarray
        ``(n_sims, horizon)`` natural log of the simulated values (log 万元).
    stats : GrowthStats
        The growth statistics that drive the simulation.
    seed : int
    """

    base_year: int
    base_value: float
    years: np.ndarray
    log_paths: np.ndarray
    stats: GrowthStats
    seed: int

    @property
    def n_sims(self) -> int:
        return int(self.log_paths.shape[0])


def simulate_fan(series: pd.Series, horizon: int, *, n_sims: int = DEFAULT_N_SIMS, seed: int = DEFAULT_SEED,
                 allow_gaps: bool = False) -> Fan:
    """Random walk with drift on the log of ``series``, with Student-t drift uncertainty.

    Parameters
    ----------
    series : pandas.Series
        Positive actuals (万元) indexed by year, at least 3 observations.
    horizon : int
        Years beyond the latest actual (≥ 1).
    n_sims : int, default 10000
    seed : int, default DEFAULT_SEED
    allow_gaps : bool, default False

    Returns
    -------
    Fan

    Raises
    ------
    AnalysisError
        With fewer than 3 observations (the drift's uncertainty cannot be estimated).
    """
    stats = growth_stats(series, allow_gaps=allow_gaps)
    if stats.n_obs < MIN_OBS_SIMULATION:
        raise AnalysisError(bi(
            f"{_label(series, None)} 只有 {stats.n_obs} 个观测值；随机模拟至少需要 {MIN_OBS_SIMULATION} 个"
            "（2 个增长率才能估计波动）",
            f"{_label(series, None)}: {stats.n_obs} observations; the simulation needs at least "
            f"{MIN_OBS_SIMULATION} (2 growth rates to estimate the volatility)"))
    horizon = check_horizon(horizon)
    observed = check_series(series, allow_gaps=allow_gaps)
    base_value = float(observed.iloc[-1])
    growth = simulate_log_growth(stats.mean_log_growth, stats.se_mean, stats.sd_log_growth, stats.df,
                                 horizon, n_sims=n_sims, seed=seed)
    return Fan(base_year=stats.last_year, base_value=base_value,
               years=np.arange(stats.last_year + 1, stats.last_year + horizon + 1),
               log_paths=math.log(base_value) + growth, stats=stats, seed=int(seed))


def _quantile_column(q: float) -> str:
    return f"p{round(q * 100):02d}"


def fan_bands(fan: Fan, quantiles=BAND_QUANTILES) -> pd.DataFrame:
    """Per-year quantiles of the fan, computed on the log scale and exponentiated (万元).

    Parameters
    ----------
    fan : Fan
    quantiles : sequence of float, default (0.05, 0.25, 0.5, 0.75, 0.95)
        Fractions in (0, 1) whose percentage is a whole number (column names ``p05`` …).

    Returns
    -------
    pandas.DataFrame
        Index ``year`` (projected years), one column per quantile, e.g. ``p05, p25, p50, p75, p95``.

    Raises
    ------
    ParameterError
        On a quantile outside (0, 1) or not a whole percentage.
    """
    qs = []
    for q in quantiles:
        if not _is_real(q) or not 0 < q < 1 or abs(q * 100 - round(q * 100)) > 1e-9:
            raise ParameterError(bi(f"分位数必须在 (0, 1) 之间且为整百分点，收到 {q!r}",
                                    f"quantiles must lie in (0, 1) and be whole percentages, got {q!r}"))
        qs.append(float(q))
    values = np.exp(np.quantile(fan.log_paths, qs, axis=0)).T
    return pd.DataFrame(values, index=pd.Index(fan.years, name="year"),
                        columns=[_quantile_column(q) for q in qs])


def _path_on_fan_years(fan: Fan, path: pd.Series, name: str) -> np.ndarray:
    if not isinstance(path, pd.Series):
        raise ParameterError(bi(f"{name} 必须是按年份索引的 pandas.Series",
                                f"{name} must be a pandas.Series indexed by year"))
    values = path.reindex(fan.years).to_numpy(dtype=float, na_value=np.nan)
    missing = [int(y) for y, v in zip(fan.years, values) if not (np.isfinite(v) and v > 0)]
    if missing:
        raise ParameterError(bi(f"{name} 在模拟年份 {_years_text(missing)} 没有有效（正的）值",
                                f"{name} has no valid positive value for the simulated years "
                                f"{_years_text(missing)}"))
    return values


def prob_above_path(fan: Fan, path: pd.Series) -> pd.Series:
    """Per projected year, the share of simulated paths at or above ``path``.

    Parameters
    ----------
    fan : Fan
    path : pandas.Series
        Reference path (万元) covering every year of the fan, e.g. :func:`plan_path`.

    Returns
    -------
    pandas.Series
        Probabilities in [0, 1], indexed by year, named ``p_above_path``.

    Raises
    ------
    ParameterError
        If ``path`` lacks a year of the fan.
    """
    ref = np.log(_path_on_fan_years(fan, path, "path"))
    p = (fan.log_paths >= ref - _LOG_TOL).mean(axis=0)
    return pd.Series(p, index=pd.Index(fan.years, name="year"), name="p_above_path")


def prob_always_above(fan: Fan, path: pd.Series, through_year: int | None = None) -> float:
    """Probability that a simulated path stays at or above ``path`` in EVERY projected year.

    Parameters
    ----------
    fan : Fan
    path : pandas.Series
        Reference path (万元), e.g. the 15 %/yr plan path.
    through_year : int, optional
        Last year required (default the fan's last year); years of the fan after it are ignored.

    Returns
    -------
    float
        Probability in [0, 1] (from the first projected year to ``through_year``).

    Raises
    ------
    ParameterError
        If ``through_year`` is before the first projected year, or ``path`` lacks a year.
    """
    if through_year is not None:
        through_year = check_year(through_year, "through_year")
        if through_year < fan.years[0]:
            raise ParameterError(bi(f"through_year={through_year} 早于第一个模拟年份 {int(fan.years[0])}",
                                    f"through_year={through_year} is before the first simulated year "
                                    f"{int(fan.years[0])}"))
        keep = fan.years <= through_year
    else:
        keep = np.ones(len(fan.years), dtype=bool)
    ref = np.log(_path_on_fan_years(fan, path, "path"))
    above = fan.log_paths[:, keep] >= ref[keep] - _LOG_TOL
    return float(above.all(axis=1).mean())


def prob_intensity_at_least(fan: Fan, revenue, target_pct: float = DEFAULT_INTENSITY_TARGET_PCT) -> pd.Series:
    """Per projected year, P(100 × simulated R&D / revenue ≥ ``target_pct``).

    Parameters
    ----------
    fan : Fan
        Simulated R&D.
    revenue : pandas.Series, Fan or numpy.ndarray
        Revenue (万元): a deterministic path covering the fan's years (e.g. the central scenario), a
        :class:`Fan` of revenue with the same years and number of paths (path i of R&D is paired with
        path i of revenue; independent draws unless the caller arranged otherwise), or an array of
        simulated revenue levels of shape ``(n_sims, horizon)``.
    target_pct : float, default 1.0
        Intensity target, percent of revenue.

    Returns
    -------
    pandas.Series
        Probabilities in [0, 1] indexed by year, named ``p_intensity_ge_target``.

    Raises
    ------
    ParameterError
        On a revenue argument of the wrong type or shape, or a non-positive target.
    """
    target_pct = check_positive(target_pct, "target_pct")
    if isinstance(revenue, pd.Series):
        log_rev = np.log(_path_on_fan_years(fan, revenue, "revenue"))[None, :]
    elif isinstance(revenue, Fan):
        if not np.array_equal(revenue.years, fan.years) or revenue.n_sims != fan.n_sims:
            raise ParameterError(bi("收入模拟的年份或路径数与研发模拟不一致",
                                    "the revenue fan's years or number of paths differ from the R&D fan's"))
        log_rev = revenue.log_paths
    elif isinstance(revenue, np.ndarray):
        if revenue.shape != fan.log_paths.shape or not np.all(np.isfinite(revenue) & (revenue > 0)):
            raise ParameterError(bi(f"收入模拟数组须为形状 {fan.log_paths.shape} 的有限正数，收到形状 {revenue.shape}",
                                    f"simulated revenue must be finite positive numbers of shape "
                                    f"{fan.log_paths.shape}, got shape {revenue.shape}"))
        log_rev = np.log(revenue)
    else:
        raise ParameterError(bi(f"revenue 必须是 Series、Fan 或 numpy 数组，收到 {type(revenue).__name__}",
                                f"revenue must be a Series, a Fan or a numpy array, got {type(revenue).__name__}"))
    ok = fan.log_paths - log_rev >= math.log(target_pct / 100.0) - _LOG_TOL
    return pd.Series(ok.mean(axis=0), index=pd.Index(fan.years, name="year"), name="p_intensity_ge_target")


# --------------------------------------------------------------------------------------------------
# The table and summary of the notebook
# --------------------------------------------------------------------------------------------------

def _status_by_year(data_status, observed_years, gap_years) -> dict[int, str]:
    if isinstance(data_status, str):
        given = {int(y): data_status for y in observed_years}
    elif isinstance(data_status, (Mapping, pd.Series)):
        given = {int(y): s for y, s in dict(data_status).items()}
    else:
        raise ParameterError(bi(f"data_status 必须是字符串或 年份→状态 的映射，收到 {type(data_status).__name__}",
                                f"data_status must be a string or a year → status mapping, got "
                                f"{type(data_status).__name__}"))
    missing = [int(y) for y in observed_years if int(y) not in given]
    if missing:
        raise ParameterError(bi(f"data_status 缺少有数据年份的状态：{_years_text(missing)}",
                                f"data_status has no status for the observed years {_years_text(missing)}"))
    unknown = sorted({str(s) for y, s in given.items() if y in set(observed_years) and s not in STATUSES})
    if unknown:
        raise ParameterError(bi(f"data_status 含未知状态 {unknown}，可选 {STATUSES}",
                                f"data_status holds unknown statuses {unknown}; choose from {STATUSES}"))
    out = {int(y): given[int(y)] for y in observed_years}
    out.update({int(y): MISSING_STATUS for y in gap_years})
    return out


def _json_number(value):
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def build_projection(rd: pd.Series, revenue: pd.Series, data_status, *, base_year: int | None = None,
                     plan_start: int = DEFAULT_PLAN_START, growth_pct: float = DEFAULT_GROWTH_PCT,
                     intensity_target_pct: float = DEFAULT_INTENSITY_TARGET_PCT,
                     intensity_target_year: int = DEFAULT_INTENSITY_TARGET_YEAR,
                     end_year: int = DEFAULT_END_YEAR, n_sims: int = DEFAULT_N_SIMS, seed: int = DEFAULT_SEED,
                     revenue_growth_pct: Mapping[str, float] | None = None, scenario_method: str = "range",
                     scenario_k: float = 2.0, rd_central: str = "cagr",
                     allow_gaps: bool = False) -> tuple[pd.DataFrame, dict]:
    """The projection table and summary the notebook writes (rd_projection.csv, rd_summary.json).

    Parameters
    ----------
    rd : pandas.Series
        ``enterprise_rd_expenditure`` actuals, 万元, indexed by year.
    revenue : pandas.Series
        ``industrial_revenue`` actuals, 万元, indexed by year.
    data_status : str or mapping year → str
        Status of each observed R&D year (one of :data:`lingshou.config.STATUSES`); a string applies to
        every observed year.
    base_year : int, optional
        Start of the plan path; default ``plan_start - 1``. Must be observed.
    plan_start : int, default 2022
    growth_pct : float, default 15.0
        The plan's growth target, percent per year.
    intensity_target_pct : float, default 1.0
        Intensity target, percent of revenue.
    intensity_target_year : int, default 2022
        Year the intensity target is due.
    end_year : int, default 2025
        Last projected year.
    n_sims : int, default 10000
    seed : int, default DEFAULT_SEED
    revenue_growth_pct : mapping, optional
        Explicit ``{"low", "central", "high"}`` revenue growth, percent per year; default estimated
        from the revenue history with ``scenario_method`` / ``scenario_k``
        (see :func:`scenario_growth_rates`).
    scenario_method : {"range", "trend_se"}, default "range"
    scenario_k : float, default 2.0
    rd_central : {"cagr", "trend", "plan_rate"}, default "cagr"
        R&D projection used for the deterministic intensity paths and crossing years: the latest actual
        compounded at the historical CAGR (= the fan's median), at the trend growth, or at
        ``growth_pct``.
    allow_gaps : bool, default False
        Accept missing years inside the series (see the module notes).

    Returns
    -------
    table : pandas.DataFrame
        One row per year from the first R&D observation to ``max(end_year, latest)``, columns
        :data:`TABLE_COLUMNS`:

        - ``year`` (int); ``actual`` R&D (万元, NaN when not observed);
        - ``plan_path`` (万元, from ``base_year``; NaN before); ``trend_path`` (fitted log-linear trend,
          万元);
        - ``p05 … p95``: fan quantiles (万元), projected years only;
        - ``revenue_central``: revenue actual, else the central scenario (万元);
        - ``intensity_central``: ``100 × R&D / revenue_central`` (%), R&D = actual, else the
          ``rd_central`` projection;
        - ``p_intensity_ge_target``: P(intensity ≥ target) from the fan and the central revenue path,
          projected years only;
        - ``data_status``: the given status for observed years, ``"missing"`` for gap years,
          ``"projected"`` after the latest actual.
    summary : dict
        JSON-ready (NaN → None). Keys:

        - ``n_obs``, ``first_year``, ``latest_year``, ``latest_value`` (万元), ``gap_years``;
        - ``cagr_pct``, ``trend_growth_pct``, ``trend_growth_se_pct`` (percent per year);
        - ``log_growth_mean``, ``log_growth_sd``, ``log_growth_se``, ``t_df`` (simulation inputs);
        - ``base_year``, ``base_value``, ``plan_start``, ``end_year``, ``growth_target_pct``,
          ``plan_path_end`` (万元 in ``end_year``), ``plan_path_years_missed`` (observed years after
          the base year below the plan path);
        - ``required_growth_level_pct``: from the latest actual to ``plan_path_end``;
        - ``intensity_target_pct``, ``intensity_target_year``, ``intensity_actual_in_target_year``,
          ``intensity_target_met`` (bool or None when not observed), ``latest_intensity``;
        - ``required_growth_intensity_pct`` and ``required_growth_intensity_year`` (the target year if it
          is still ahead, else ``end_year``);
        - ``revenue_growth_pct`` (``{"low", "central", "high"}``), ``revenue_scenario_method``
          (``"range"``, ``"trend_se"`` or ``"given"``), ``rd_central``;
        - ``crossing_years`` (``{"low": year or None, "central": …, "high": …}``, first year from
          ``plan_start`` with intensity ≥ target, actual years included), ``crossing_horizon``
          (= ``end_year``), ``crossing_text`` (``{scenario: {"zh": …, "en": …}}``, e.g.
          "2024年首次达到1%" / "not reached by 2025");
        - ``simulated`` (bool), ``n_sims``, ``seed``, ``p_on_plan_path_all_years`` (P of staying at or above
          the plan path in every projected year through ``end_year``), ``p_on_plan_path_by_year`` and
          ``p_intensity_ge_target_by_year`` (``{year: p}``);
        - ``notes``: bilingual sentences on every limitation met.

    Raises
    ------
    ParameterError
        On invalid parameters or ``data_status``.
    DataError
        On zeros, negatives, gaps (unless allowed), or no observation in the base year.
    """
    params = check_parameters(base_year=base_year, plan_start=plan_start, growth_pct=growth_pct,
                              intensity_target_pct=intensity_target_pct,
                              intensity_target_year=intensity_target_year, end_year=end_year, n_sims=n_sims,
                              seed=seed, revenue_growth_pct=revenue_growth_pct,
                              scenario_method=scenario_method, scenario_k=scenario_k, rd_central=rd_central,
                              allow_gaps=allow_gaps)
    base_year, end_year, target = params["base_year"], params["end_year"], params["intensity_target_pct"]
    # Unnamed inputs get their indicator code so that messages name the series.
    if isinstance(rd, pd.Series) and rd.name is None:
        rd = rd.rename("enterprise_rd_expenditure")
    if isinstance(revenue, pd.Series) and revenue.name is None:
        revenue = revenue.rename("industrial_revenue")
    obs = check_series(rd, allow_gaps=allow_gaps)
    rev_obs = check_series(revenue, allow_gaps=allow_gaps)
    gaps = find_gaps(obs)
    status = _status_by_year(data_status, obs.index, gaps)
    notes: list[str] = []

    n_obs = len(obs)
    first, latest = int(obs.index[0]), int(obs.index[-1])
    latest_value = float(obs.iloc[-1])
    years = pd.Index(np.arange(first, max(end_year, latest) + 1), name="year")
    horizon = end_year - latest

    plan = plan_path(rd, base_year, params["growth_pct"], end_year)
    missed = [int(y) for y, v in obs.items()
              if base_year < y <= end_year and math.log(v) < math.log(plan.loc[y]) - _LOG_TOL]

    # Historical growth (2 points at least).
    cagr_pct = trend_pct = trend_se = None
    stats = None
    trend = pd.Series(np.nan, index=years)
    if n_obs >= 2:
        cagr_pct = cagr(rd, allow_gaps=allow_gaps)
        fit = trend_growth(rd, allow_gaps=allow_gaps)
        trend_pct, trend_se = fit.growth_pct, fit.growth_se_pct
        trend = pd.Series(fit.predict(years), index=years)
        stats = growth_stats(rd, allow_gaps=allow_gaps)
        if n_obs == 2:
            notes.append(bi("只有 2 个观测值：趋势增长等于年均增长率，没有标准误",
                            "only 2 observations: the trend growth equals the CAGR and has no standard error"))
    else:
        notes.append(bi(f"只有 1 个观测值（{first}年）：无法计算历史增长率、趋势和随机模拟",
                        f"only 1 observation ({first}): no historical growth, trend or simulation"))
    if gaps:
        notes.append(bi(f"研发数据缺少 {_years_text(gaps)} 年：增长按跨年区间计算（k 年区间计为 k 个年增长之和）",
                        f"R&D data miss {_years_text(gaps)}: growth over the gap is used (an interval of k "
                        "years counts as the sum of k yearly growths)"))
    if any(s == "illustrative" for s in status.values()):
        notes.append(bi("部分数据为示例数据（illustrative），结果仅作演示",
                        "some data are illustrative: the results only demonstrate the method"))

    # Deterministic central R&D path beyond the latest actual.
    rd_full = obs.reindex(years)
    central_rate = {"cagr": cagr_pct, "trend": trend_pct, "plan_rate": params["growth_pct"]}[params["rd_central"]]
    if horizon >= 1 and central_rate is not None:
        future = compound_path(latest_value, latest, central_rate, end_year).iloc[1:]
        rd_full.loc[future.index] = future.to_numpy()
    elif horizon >= 1:
        notes.append(bi(f"无法按 rd_central={params['rd_central']!r} 预测研发经费（数据不足），预测年份的强度为空",
                        f"R&D cannot be projected with rd_central={params['rd_central']!r} (too little data); "
                        "projected intensities are empty"))
    if horizon < 1:
        notes.append(bi(f"最新数据已到 {latest} 年，不晚于 end_year={end_year}：没有预测年份",
                        f"the latest actual ({latest}) is not before end_year={end_year}: nothing to project"))

    # Revenue scenarios.
    rates, method_used = None, params["scenario_method"]
    if params["revenue_growth_pct"] is not None:
        rates, method_used = params["revenue_growth_pct"], "given"
    elif len(rev_obs) >= (2 if method_used == "range" else 3):
        rates = scenario_growth_rates(revenue, method=method_used, k=params["scenario_k"], allow_gaps=allow_gaps)
    else:
        notes.append(bi(f"收入只有 {len(rev_obs)} 个观测值，无法按 {method_used} 估计情景增长率：请给出 revenue_growth_pct",
                        f"revenue has {len(rev_obs)} observation(s), too few for {method_used} scenarios: "
                        "pass revenue_growth_pct"))
    if rates is not None:
        rev_paths = revenue_scenarios(revenue, end_year, growth_pct=rates, allow_gaps=allow_gaps)
    else:
        history = rev_obs.reindex(pd.Index(np.arange(int(rev_obs.index[0]), int(rev_obs.index[-1]) + 1),
                                           name="year"))
        rev_paths = pd.DataFrame({s: history.to_numpy() for s in SCENARIOS}, index=history.index)
    rev_paths = rev_paths.reindex(years)
    rev_latest = int(rev_obs.index[-1])
    if rev_latest < latest:
        notes.append(bi(f"收入数据止于 {rev_latest} 年，之后的收入用情景值",
                        f"revenue data end in {rev_latest}; later revenue comes from the scenarios"))
    intensities = pd.DataFrame({s: intensity_path(rd_full, rev_paths[s]).reindex(years) for s in SCENARIOS})
    crossings = {s: crossing_year(intensities[s], target, end_year, start_year=params["plan_start"])
                 for s in SCENARIOS}
    if rates is not None and method_used != "given":
        notes.append(bi("收入“低/高”情景对应更高/更低的研发强度（分母更小/更大）",
                        "the 'low' revenue scenario gives the higher intensity (smaller denominator), "
                        "'high' the lower"))

    # Simulation.
    bands = pd.DataFrame(np.nan, index=years, columns=[_quantile_column(q) for q in BAND_QUANTILES])
    p_int = pd.Series(np.nan, index=years)
    p_all, p_plan_by_year, p_int_by_year = None, {}, {}
    simulated = False
    if horizon >= 1 and n_obs >= MIN_OBS_SIMULATION:
        fan = simulate_fan(rd, horizon, n_sims=params["n_sims"], seed=params["seed"], allow_gaps=allow_gaps)
        simulated = True
        bands.loc[fan.years] = fan_bands(fan).to_numpy()
        p_plan = prob_above_path(fan, plan)
        p_plan_by_year = {int(y): float(p) for y, p in p_plan.items()}
        p_all = prob_always_above(fan, plan, through_year=end_year)
        if rates is not None:
            p = prob_intensity_at_least(fan, rev_paths["central"], target)
            p_int.loc[p.index] = p.to_numpy()
            p_int_by_year = {int(y): float(v) for y, v in p.items()}
            notes.append(bi("研发强度达标概率把收入中情景当作已知路径，未计入收入本身的不确定性",
                            "P(intensity ≥ target) treats the central revenue path as known; revenue "
                            "uncertainty is not included"))
        if stats.n_growths < 5:
            notes.append(bi(f"只有 {stats.n_growths} 个年增长率：均值增长的不确定性很大（t 分布，自由度 {stats.df}），"
                            "区间很宽",
                            f"only {stats.n_growths} yearly growth rates: the mean growth is very uncertain "
                            f"(Student-t with {stats.df} df), so the bands are wide"))
    elif horizon >= 1:
        notes.append(bi(f"只有 {n_obs} 个观测值，少于 {MIN_OBS_SIMULATION} 个：只给出确定性结果（计划路径、"
                        "增长率、所需增速、情景），不做随机模拟，概率与分位数为空",
                        f"only {n_obs} observation(s), fewer than {MIN_OBS_SIMULATION}: deterministic results "
                        "only (plan path, growth, required growth, scenarios); no simulation, so the "
                        "quantiles and probabilities are empty"))
    if missed:
        notes.append(bi(f"{_years_text(missed)} 年的实际值低于 {params['growth_pct']:g}% 计划路径；"
                        "达标概率只针对预测年份",
                        f"actuals in {_years_text(missed)} are below the {params['growth_pct']:g} % plan path; "
                        "the probability covers projected years only"))

    # Required growth.
    req_level = (required_growth(latest_value, latest, float(plan.loc[end_year]), end_year)
                 if horizon >= 1 else None)
    target_year = params["intensity_target_year"]
    req_year = target_year if target_year > latest else (end_year if end_year > latest else None)
    req_int = None
    if req_year is not None and np.isfinite(rev_paths["central"].get(req_year, np.nan)):
        req_int = required_growth_for_intensity(obs, rev_paths["central"], target, req_year)
    if req_year is not None and req_year != target_year:
        notes.append(bi(f"强度目标年 {target_year} 已有数据或已过去，所需增速按 {req_year} 年达到 {target:g}% 计算",
                        f"the intensity target year {target_year} is not ahead of the data; the required growth "
                        f"is to reach {target:g} % by {req_year}"))
    actual_intensity = intensity_path(obs, rev_obs)
    in_target = actual_intensity.get(target_year, np.nan)
    in_target = float(in_target) if np.isfinite(in_target) else None
    latest_intensity = actual_intensity.dropna()

    table = pd.DataFrame({
        "year": years.to_numpy(dtype="int64"),
        "actual": obs.reindex(years).to_numpy(),
        "plan_path": plan.reindex(years).to_numpy(),
        "trend_path": trend.to_numpy(),
        **{c: bands[c].to_numpy() for c in bands.columns},
        "revenue_central": rev_paths["central"].to_numpy(),
        "intensity_central": intensities["central"].to_numpy(),
        "p_intensity_ge_target": p_int.to_numpy(),
        "data_status": [status.get(int(y), PROJECTED_STATUS) for y in years],
    })
    table["data_status"] = table["data_status"].astype("str")

    summary = {
        "n_obs": n_obs,
        "first_year": first,
        "latest_year": latest,
        "latest_value": latest_value,
        "gap_years": gaps,
        "cagr_pct": _json_number(cagr_pct),
        "trend_growth_pct": _json_number(trend_pct),
        "trend_growth_se_pct": _json_number(trend_se),
        "log_growth_mean": _json_number(stats.mean_log_growth if stats else None),
        "log_growth_sd": _json_number(stats.sd_log_growth if stats else None),
        "log_growth_se": _json_number(stats.se_mean if stats else None),
        "t_df": stats.df if stats and stats.df >= 1 else None,
        "base_year": base_year,
        "base_value": float(obs.loc[base_year]),
        "plan_start": params["plan_start"],
        "end_year": end_year,
        "growth_target_pct": params["growth_pct"],
        "plan_path_end": float(plan.loc[end_year]),
        "plan_path_years_missed": missed,
        "required_growth_level_pct": _json_number(req_level),
        "intensity_target_pct": target,
        "intensity_target_year": target_year,
        "intensity_actual_in_target_year": in_target,
        "intensity_target_met": None if in_target is None else bool(in_target >= target),
        "latest_intensity": ({"year": int(latest_intensity.index[-1]), "value": float(latest_intensity.iloc[-1])}
                             if len(latest_intensity) else None),
        "required_growth_intensity_pct": _json_number(req_int),
        "required_growth_intensity_year": req_year if req_int is not None else None,
        "revenue_growth_pct": None if rates is None else {s: float(rates[s]) for s in SCENARIOS},
        "revenue_scenario_method": method_used,
        "rd_central": params["rd_central"],
        "crossing_years": {s: c.year for s, c in crossings.items()},
        "crossing_horizon": end_year,
        "crossing_text": {s: {lang: describe_crossing(c, lang) for lang in ("zh", "en")}
                          for s, c in crossings.items()},
        "simulated": simulated,
        "n_sims": params["n_sims"] if simulated else None,
        "seed": params["seed"] if simulated else None,
        "p_on_plan_path_all_years": p_all,
        "p_on_plan_path_by_year": p_plan_by_year,
        "p_intensity_ge_target_by_year": p_int_by_year,
        "notes": notes,
    }
    return table, summary


# --------------------------------------------------------------------------------------------------
# Texts for the notebook and the report (both languages, from the summary's numbers)
# --------------------------------------------------------------------------------------------------

#: Summary keys that :func:`describe_projection` reads (all written by :func:`build_projection`).
TEXT_SUMMARY_KEYS = (
    "n_obs", "first_year", "latest_year", "latest_value", "gap_years", "cagr_pct", "trend_growth_pct",
    "trend_growth_se_pct", "base_year", "base_value", "end_year", "growth_target_pct", "plan_path_end",
    "plan_path_years_missed", "required_growth_level_pct", "intensity_target_pct", "intensity_target_year",
    "intensity_actual_in_target_year", "intensity_target_met", "latest_intensity",
    "required_growth_intensity_pct", "required_growth_intensity_year", "revenue_growth_pct",
    "revenue_scenario_method", "rd_central", "crossing_years", "simulated", "n_sims", "seed",
    "p_on_plan_path_all_years", "p_on_plan_path_by_year", "p_intensity_ge_target_by_year", "notes")
#: Scenario growth rates closer than this (percentage points) are told as "practically the same".
SCENARIO_SAME_PP = 0.05
#: Columns of the projection table printed in the report (a subset of :data:`TABLE_COLUMNS`).
REPORT_COLUMNS = ("year", "actual", "plan_path", "p05", "p50", "p95", "intensity_central", "data_status")


def split_note(note: str) -> dict:
    """Split a bilingual note ``"中文 / English"`` (as made by :func:`lingshou.i18n.bi`) into its languages.

    Parameters
    ----------
    note : str
        A note of ``summary["notes"]``.

    Returns
    -------
    dict
        ``{"zh": …, "en": …}``, split at the first ``" / "``; a note without the separator is used for
        both languages (it is shown rather than lost).

    Raises
    ------
    ParameterError
        If ``note`` is not a string.
    """
    if not isinstance(note, str):
        raise ParameterError(bi(f"注释必须是字符串，收到 {type(note).__name__}",
                                f"a note must be a string, got {type(note).__name__}"))
    zh, sep, en = note.partition(" / ")
    return {"zh": zh, "en": en} if sep else {"zh": note, "en": note}


def _years_zh(years) -> str:
    return "、".join(str(int(y)) for y in years)


def _money(value: float, lang: str) -> str:
    # 万元 as in the yearbooks; English keeps the unit ("10,000 yuan") so the prose matches the tables.
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    return pick(lang, f"{text}万元", f"{text} (10,000 yuan)")


def _money_range(low: float, high: float, lang: str) -> str:
    return pick(lang, f"{low:,.0f}–{high:,.0f}万元", f"{low:,.0f}–{high:,.0f} (10,000 yuan)")


def _prob(p: float, lang: str) -> str:
    """A probability as plain words: "约为79%", "不到1%", "超过99%"."""
    if p < 0.01:
        return pick(lang, "不到1%", "below 1 %")
    if p > 0.99:
        return pick(lang, "超过99%", "above 99 %")
    pct = math.floor(100.0 * p + 0.5)
    return pick(lang, f"约为{pct}%", f"about {pct} %")


def _growth(pct: float, lang: str) -> str:
    """"增长15.6%" / "下降3.2%"; "growth of 15.6 %" / "a fall of 3.2 %"."""
    if pct >= 0:
        return pick(lang, f"增长{pct:.1f}%", f"growth of {pct:.1f} %")
    return pick(lang, f"下降{-pct:.1f}%", f"a fall of {-pct:.1f} %")


def _need(pct: float, lang: str) -> str:
    """What R&D must do each year to reach a target, given the required growth (percent per year)."""
    if pct > 0:
        return pick(lang, f"每年需增长{pct:.1f}%", f"must grow {pct:.1f} % a year")
    return pick(lang, f"即使每年下降{-pct:.1f}%也能达到", f"could even fall {-pct:.1f} % a year and still get there")


def _by_year(mapping, year: int):
    # Keys are int in the summary and str after a JSON round trip (rd_summary.json).
    if not mapping:
        return None
    value = mapping.get(year, mapping.get(str(year)))
    return None if value is None else float(value)


def _cell(table: pd.DataFrame, year: int, column: str):
    if year not in table.index:
        return None
    value = table.at[year, column]
    return float(value) if pd.notna(value) and math.isfinite(float(value)) else None


def _plan_comparison(s: Mapping, table: pd.DataFrame):
    """``(year, actual, plan)`` for the latest year inside the plan path with an actual, else None."""
    year = min(int(s["latest_year"]), int(s["end_year"]))
    actual, plan = _cell(table, year, "actual"), _cell(table, year, "plan_path")
    if year <= int(s["base_year"]) or actual is None or plan is None:
        return None
    return year, actual, plan


def _versus_plan(actual: float, plan: float, lang: str) -> str:
    diff = 100.0 * (actual / plan - 1.0)
    if diff >= 0:
        return pick(lang, f"比计划路径值{_money(plan, 'zh')}高{diff:.1f}%",
                    f"{diff:.1f} % above the plan path's {_money(plan, 'en')}")
    return pick(lang, f"比计划路径值{_money(plan, 'zh')}低{-diff:.1f}%",
                f"{-diff:.1f} % below the plan path's {_money(plan, 'en')}")


def _check_text_inputs(summary, table, county) -> pd.DataFrame:
    t = check_projection_output(table, summary)
    missing = [k for k in TEXT_SUMMARY_KEYS if k not in summary]
    if missing:
        raise ParameterError(bi(f"summary 缺少键 {missing}（应由 build_projection 生成）",
                                f"summary lacks the keys {missing} (it should come from build_projection)"))
    if not isinstance(county, str) or not county.strip():
        raise ParameterError(bi(f"county 必须是非空县名，收到 {county!r}",
                                f"county must be a non-empty county name, got {county!r}"))
    needed = [int(summary["first_year"]), int(summary["latest_year"])]
    if summary["simulated"]:
        needed.append(int(summary["end_year"]))
    absent = [y for y in needed if y not in t.index]
    if absent:
        raise ParameterError(bi(f"table 缺少年份 {_years_text(absent)}（与 summary 不一致）",
                                f"table lacks the years {_years_text(absent)} (it does not match the summary)"))
    return t


def _history_text(s: Mapping, t: pd.DataFrame, county: str, lang: str) -> str:
    n, first, latest = int(s["n_obs"]), int(s["first_year"]), int(s["latest_year"])
    if n == 1:
        return pick(lang, f"{county}规上工业企业R&D经费只有{first}年一个数据（{_money(s['latest_value'], 'zh')}），无法计算增长率。",
                    f"{county} has a single value of enterprise R&D expenditure, {_money(s['latest_value'], 'en')} "
                    f"in {first}, so no growth rate can be computed.")
    v0, v1 = _cell(t, first, "actual"), float(s["latest_value"])
    gaps = s["gap_years"] or []
    gap_zh = f"（缺{_years_zh(gaps)}年数据）" if gaps else ""
    gap_en = f" ({_years_text(gaps)} missing)" if gaps else ""
    cagr_pct = float(s["cagr_pct"])
    zh = (f"{county}规上工业企业R&D经费从{first}年的{_money(v0, 'zh')}{'增至' if v1 >= v0 else '降至'}{latest}年的"
          f"{_money(v1, 'zh')}{gap_zh}，年均{_growth(cagr_pct, 'zh')}（按首末两年计算）。")
    en = (f"Enterprise R&D expenditure in {county} went from {_money(v0, 'en')} in {first} to {_money(v1, 'en')} "
          f"in {latest}{gap_en}: an average {_growth(cagr_pct, 'en')} a year (first and last year).")
    if n == 2:
        zh += "只有两个数据，趋势增长就等于这一增速，无法估计其误差。"
        en += " With two values the trend growth equals this rate and its error cannot be estimated."
    elif s["trend_growth_pct"] is not None:
        se = s["trend_growth_se_pct"]
        se_zh = f"（标准误{se:.1f}个百分点）" if se is not None else ""
        se_en = f" (standard error {se:.1f} percentage points)" if se is not None else ""
        zh += f"用全部{n}个数据拟合的对数线性趋势为每年{_growth(s['trend_growth_pct'], 'zh')}{se_zh}。"
        en += (f" The log-linear trend fitted to all {n} values gives {_growth(s['trend_growth_pct'], 'en')} "
               f"a year{se_en}.")
    return pick(lang, zh, en)


def _plan_text(s: Mapping, t: pd.DataFrame, lang: str) -> str:
    base, g, end = int(s["base_year"]), float(s["growth_target_pct"]), int(s["end_year"])
    latest = int(s["latest_year"])
    zh = (f"{g:g}%增长路径以{base}年的{_money(s['base_value'], 'zh')}为基数，每年增长{g:g}%，"
          f"{end}年应达到{_money(s['plan_path_end'], 'zh')}。")
    en = (f"The {g:g} % plan path starts from {_money(s['base_value'], 'en')} in {base} and grows {g:g} % a year, "
          f"reaching {_money(s['plan_path_end'], 'en')} in {end}.")
    cmp = _plan_comparison(s, t)
    if cmp is not None:
        year, actual, plan = cmp
        zh += f"{year}年实际为{_money(actual, 'zh')}，{_versus_plan(actual, plan, 'zh')}。"
        en += f" The {year} actual, {_money(actual, 'en')}, is {_versus_plan(actual, plan, 'en')}."
    elif latest == base:
        zh += "最新数据就是基年的，计划期内还没有实际值。"
        en += " The latest value is the base year's: there is no actual within the plan period yet."
    missed = s["plan_path_years_missed"] or []
    if missed:
        zh += f"{_years_zh(missed)}年的实际值低于计划路径。"
        en += f" Actuals in {_years_text(missed)} were below the path."
    req = s["required_growth_level_pct"]
    if req is not None:
        zh += f"要在{end}年达到计划路径终点，{latest}年之后研发经费{_need(req, 'zh')}"
        en += f" To reach the path's end value in {end}, R&D after {latest} {_need(req, 'en')}"
        if s["cagr_pct"] is not None and req > 0:
            higher = req > float(s["cagr_pct"])
            zh += f"，{'高于' if higher else '低于'}历史年均增速{float(s['cagr_pct']):.1f}%"
            en += f", {'more' if higher else 'less'} than its historical {float(s['cagr_pct']):.1f} % a year"
        zh += "。"
        en += "."
    return pick(lang, zh, en)


def _projection_text(s: Mapping, t: pd.DataFrame, lang: str) -> str:
    n, first, latest, end = int(s["n_obs"]), int(s["first_year"]), int(s["latest_year"]), int(s["end_year"])
    g = float(s["growth_target_pct"])
    if end <= latest:
        return pick(lang, f"数据已到{latest}年，不早于预测终点{end}年，没有需要预测的年份。",
                    f"The data reach {latest}, not before the end year {end}: there is nothing to project.")
    if s["simulated"]:
        p05, p25, p50, p75, p95 = (_cell(t, end, c) for c in ("p05", "p25", "p50", "p75", "p95"))
        p_all, p_end = float(s["p_on_plan_path_all_years"]), _by_year(s["p_on_plan_path_by_year"], end)
        zh = (f"按{first}–{latest}年的增长趋势做随机模拟（{int(s['n_sims']):,}条路径），{end}年研发经费的中位数约为"
              f"{_money(p50, 'zh')}；一半的模拟落在{_money_range(p25, p75, 'zh')}之间，90%落在"
              f"{_money_range(p05, p95, 'zh')}之间。")
        en = (f"Simulating the {first}–{latest} growth ({int(s['n_sims']):,} paths), the median R&D expenditure in "
              f"{end} is about {_money(p50, 'en')}; half of the paths end within {_money_range(p25, p75, 'en')} "
              f"and 90 % within {_money_range(p05, p95, 'en')}.")
        if end == latest + 1:
            zh += f"{end}年不低于{g:g}%增长路径（{_money(s['plan_path_end'], 'zh')}）的概率{_prob(p_all, 'zh')}。"
            en += (f" The probability of being at or above the {g:g} % path in {end}, "
                   f"{_money(s['plan_path_end'], 'en')}, is {_prob(p_all, 'en')}.")
        else:
            zh += (f"{latest + 1}–{end}年每年都不低于{g:g}%增长路径的概率{_prob(p_all, 'zh')}"
                   f"（只看{end}年一年，概率{_prob(p_end, 'zh')}）。")
            en += (f" The probability of staying at or above the {g:g} % path in every year {latest + 1}–{end} is "
                   f"{_prob(p_all, 'en')} ({_prob(p_end, 'en')} for {end} alone).")
        return pick(lang, zh, en)
    why_zh = (f"只有{n}个年度数据（少于{MIN_OBS_SIMULATION}个），至多一个增长率，无法估计增长的年际波动，"
              "任何区间或概率都会是虚假的精确，因此不做随机模拟，只给确定性结果")
    values_en = "a single yearly value" if n == 1 else f"only {n} yearly values"
    why_en = (f"With {values_en} (fewer than {MIN_OBS_SIMULATION}) there is at most one growth rate, so its "
              "year-to-year variability cannot be estimated and any band or probability would be false precision: "
              "there is no simulation, only the deterministic results")
    if s["cagr_pct"] is None:
        return pick(lang, why_zh + "（上面的计划路径和所需增速）。", why_en + " (the plan path and required growth above).")
    projected = float(compound_path(float(s["latest_value"]), latest, float(s["cagr_pct"]), end).iloc[-1])
    cmp_zh = "高于" if projected >= float(s["plan_path_end"]) else "低于"
    cmp_en = "above" if projected >= float(s["plan_path_end"]) else "below"
    return pick(lang,
                why_zh + f"。按年均{_growth(float(s['cagr_pct']), 'zh')}外推，{end}年约为{_money(projected, 'zh')}，"
                f"{cmp_zh}计划路径终点{_money(s['plan_path_end'], 'zh')}。",
                why_en + f". Extrapolating the average {_growth(float(s['cagr_pct']), 'en')} a year gives about "
                f"{_money(projected, 'en')} in {end}, {cmp_en} the path's {_money(s['plan_path_end'], 'en')}.")


def _crossing_phrase(year, target: float, horizon: int, lang: str) -> str:
    if year is not None:
        return pick(lang, f"在{int(year)}年首次达到{target:g}%", f"first reaches {target:g} % in {int(year)}")
    return pick(lang, f"到{horizon}年仍未达到{target:g}%", f"does not reach {target:g} % by {horizon}")


def _scenario_text(s: Mapping, lang: str) -> str:
    rates, target, end = s["revenue_growth_pct"], float(s["intensity_target_pct"]), int(s["end_year"])
    if rates is None:
        return pick(lang, "收入数据太少，无法设定收入情景，也就无法推算今后的研发强度。",
                    "Revenue has too few values for scenarios, so future intensity cannot be projected.")
    method = s["revenue_scenario_method"]
    how_zh = {"range": "按历史增速最低的一年、趋势增速和最高的一年", "trend_se": "按收入趋势增速及其标准误区间",
              "given": "按给定增速"}.get(method, method)
    how_en = {"range": "from its slowest year, its trend and its fastest year",
              "trend_se": "from its trend growth and its standard-error band",
              "given": "from the given rates"}.get(method, method)
    rd = s["rd_central"]
    rd_zh = {"cagr": "历史年均增速", "trend": "趋势增速", "plan_rate": "计划增速"}.get(rd, rd)
    rd_en = {"cagr": "its historical average growth", "trend": "its trend growth",
             "plan_rate": "the plan's growth rate"}.get(rd, rd)
    low, central, high = (float(rates[k]) for k in SCENARIOS)
    zh = (f"收入{how_zh}设低、中、高三种情景（年增长{low:.1f}%、{central:.1f}%、{high:.1f}%），研发经费按{rd_zh}外推")
    en = (f"Revenue scenarios are set {how_en} (low {low:.1f} %, central {central:.1f} %, high {high:.1f} % a year) "
          f"and R&D is extrapolated at {rd_en}")
    if high - low < SCENARIO_SAME_PP:
        zh += "；历史上收入每年的增速几乎相同，三种情景基本重合"
        en += "; revenue grew at practically the same rate every year, so the three scenarios coincide"
    years = s["crossing_years"]
    if len({years[k] for k in SCENARIOS}) == 1:
        zh += f"。三种情景下，研发强度均{_crossing_phrase(years['central'], target, end, 'zh')}。"
        en += f". Under all three, intensity {_crossing_phrase(years['central'], target, end, 'en')}."
    else:
        zh += ("。研发强度在收入低增长情景下" + _crossing_phrase(years["low"], target, end, "zh")
               + "，中情景下" + _crossing_phrase(years["central"], target, end, "zh")
               + "，高增长情景下" + _crossing_phrase(years["high"], target, end, "zh") + "。")
        en += (". Intensity " + _crossing_phrase(years["low"], target, end, "en") + " with low revenue growth, "
               + _crossing_phrase(years["central"], target, end, "en")
               + " with central growth and " + _crossing_phrase(years["high"], target, end, "en")
               + " with high growth.")
    return pick(lang, zh, en)


def _intensity_text(s: Mapping, lang: str) -> str:
    target, ty, end = float(s["intensity_target_pct"]), int(s["intensity_target_year"]), int(s["end_year"])
    zh, en = "", ""
    li = s["latest_intensity"]
    if li is not None:
        zh += f"{int(li['year'])}年研发强度（R&D经费占规上工业企业主营业务收入的比重）为{float(li['value']):.2f}%。"
        en += (f"In {int(li['year'])} R&D intensity (R&D over the main business revenue of above-scale "
               f"industrial enterprises) was {float(li['value']):.2f} %. ")
    actual = s["intensity_actual_in_target_year"]
    if actual is not None:
        met = bool(s["intensity_target_met"])
        zh += f"计划要求{ty}年达到{target:g}%，当年实际为{float(actual):.2f}%，{'已达到' if met else '未达到'}。"
        en += (f"The plan asked for {target:g} % in {ty}; the actual was {float(actual):.2f} %, "
               f"{'so the target was met' if met else 'so the target was missed'}. ")
    elif ty > int(s["latest_year"]):
        zh += f"计划要求{ty}年达到{target:g}%，该年还没有数据。"
        en += f"The plan asks for {target:g} % in {ty}, a year not yet in the data. "
    else:
        zh += f"计划要求{ty}年达到{target:g}%，该年没有数据，无法判断是否达标。"
        en += f"The plan asked for {target:g} % in {ty}; that year has no data, so whether it was met is unknown. "
    zh += _scenario_text(s, "zh")
    en += _scenario_text(s, "en")
    p_end = _by_year(s["p_intensity_ge_target_by_year"], end)
    if p_end is not None:
        zh += f"按收入中情景，{end}年强度不低于{target:g}%的概率{_prob(p_end, 'zh')}。"
        en += f" With central revenue, the probability that intensity is at least {target:g} % in {end} is {_prob(p_end, 'en')}."
    req, ry = s["required_growth_intensity_pct"], s["required_growth_intensity_year"]
    if req is not None and ry is not None:
        zh += f"要在{int(ry)}年达到{target:g}%（收入按中情景），研发经费{_need(float(req), 'zh')}。"
        en += f" To reach {target:g} % in {int(ry)} (central revenue), R&D {_need(float(req), 'en')}."
    return pick(lang, zh, en.strip())


def _headline(s: Mapping, t: pd.DataFrame, county: str, lang: str) -> str:
    n, first, latest, end = int(s["n_obs"]), int(s["first_year"]), int(s["latest_year"]), int(s["end_year"])
    g = float(s["growth_target_pct"])
    if end > latest and s["simulated"]:
        p50, p_all = _cell(t, end, "p50"), float(s["p_on_plan_path_all_years"])
        return pick(lang, f"按{first}–{latest}年的增长趋势，{county}{end}年规上工业企业R&D经费约为{_money(p50, 'zh')}，"
                          f"保持{g:g}%增长路径的概率{_prob(p_all, 'zh')}。",
                    f"On the {first}–{latest} trend, enterprise R&D expenditure in {county} will be about "
                    f"{_money(p50, 'en')} in {end}; the probability of keeping to the {g:g} % growth path is "
                    f"{_prob(p_all, 'en')}.")
    if end > latest:
        req = float(s["required_growth_level_pct"])
        years_en = "a single year" if n == 1 else f"only {n} years"
        return pick(lang, f"{county}规上工业企业R&D经费只有{n}年数据，不足以做概率预测；要在{end}年达到{g:g}%增长路径的"
                          f"{_money(s['plan_path_end'], 'zh')}，{latest}年之后{_need(req, 'zh')}。",
                    f"{county} has {years_en} of enterprise R&D data, too few for a probabilistic projection; "
                    f"to reach the {g:g} % path's {_money(s['plan_path_end'], 'en')} in {end}, R&D after {latest} "
                    f"{_need(req, 'en')}.")
    cmp = _plan_comparison(s, t)
    if cmp is None:
        return pick(lang, f"{county}{latest}年规上工业企业R&D经费为{_money(s['latest_value'], 'zh')}。",
                    f"Enterprise R&D expenditure in {county} was {_money(s['latest_value'], 'en')} in {latest}.")
    year, actual, plan = cmp
    return pick(lang, f"{county}{year}年规上工业企业R&D经费为{_money(actual, 'zh')}，{_versus_plan(actual, plan, 'zh')}。",
                f"Enterprise R&D expenditure in {county} was {_money(actual, 'en')} in {year}, "
                f"{_versus_plan(actual, plan, 'en')}.")


def _method_note(s: Mapping) -> dict | None:
    if not s["simulated"]:
        return None
    first, latest = int(s["first_year"]), int(s["latest_year"])
    return {"zh": (f"预测假设今后的增长与{first}–{latest}年相似：对数尺度上的随机游走加漂移，均值增长的不确定性按 t 分布计入，"
                   f"区间在对数尺度上计算（不对称）；没有考虑政策或经济环境的变化。随机种子 {int(s['seed'])}，"
                   f"{int(s['n_sims']):,} 条模拟路径。年均增长率只用首末两年，对这两年的波动敏感；趋势增长使用全部数据。"),
            "en": (f"The projection assumes growth continues as in {first}–{latest}: a random walk with drift on the "
                   "log scale, with the mean growth's uncertainty drawn from a Student-t; bands are taken on the log "
                   "scale (asymmetric). Policy or economic changes are not modelled. Seed "
                   f"{int(s['seed'])}, {int(s['n_sims']):,} simulated paths. The average growth uses the first and "
                   "last year only and is sensitive to them; the trend growth uses every value.")}


def describe_projection(summary: Mapping, table: pd.DataFrame, county: str) -> dict:
    """Texts that read the projection in plain language, in both languages.

    Parameters
    ----------
    summary : mapping
        The summary of :func:`build_projection` (or its JSON round trip, rd_summary.json).
    table : pandas.DataFrame
        The table of :func:`build_projection` (columns :data:`TABLE_COLUMNS`; money in 万元).
    county : str
        County name used in the sentences.

    Returns
    -------
    dict
        In the shape of :func:`lingshou.report.summary.write_summary`, each text ``{"zh": …, "en": …}``:

        - ``headline``: one sentence, e.g. "按2018–2024年的增长趋势，灵寿县2025年规上工业企业R&D经费约为
          6,575万元，保持15%增长路径的概率约79%。" With fewer than 3 observations it says why there is no
          probability and gives the required growth instead.
        - ``paragraphs``: ``{"zh": [...], "en": [...]}``, four paragraphs: history, plan path and required
          growth, projection (or why there is none), intensity and scenarios.
        - ``notes``: the summary's notes split by language, plus the method's assumptions.
        - ``title``; ``captions`` (``fan``, ``intensity``, ``table``); ``table`` (``columns`` =
          :data:`REPORT_COLUMNS` and their ``labels`` in both languages) for the report.

    Raises
    ------
    ParameterError
        If ``summary`` lacks a key of :data:`TEXT_SUMMARY_KEYS`, ``table`` lacks a column of
        :data:`TABLE_COLUMNS` or a year the summary refers to, or ``county`` is empty.
    """
    t = _check_text_inputs(summary, table, county)
    s = summary
    paragraphs = {lang: [_history_text(s, t, county, lang), _plan_text(s, t, lang), _projection_text(s, t, lang),
                         _intensity_text(s, lang)] for lang in ("zh", "en")}
    split = [split_note(n) for n in s["notes"]]
    method = _method_note(s)
    if method is not None:
        split.append(method)
    notes = {lang: [n[lang] for n in split] for lang in ("zh", "en")}
    g, target, base = float(s["growth_target_pct"]), float(s["intensity_target_pct"]), int(s["base_year"])
    no_sim_zh = "" if s["simulated"] else "（数据不足，未做随机模拟）"
    no_sim_en = "" if s["simulated"] else " (too few values: no simulation)"
    return {
        "title": {"zh": "规上工业企业研发经费增长预测", "en": "Enterprise R&D growth projection"},
        "headline": {lang: _headline(s, t, county, lang) for lang in ("zh", "en")},
        "paragraphs": paragraphs,
        "notes": notes,
        "captions": {
            "fan": {"zh": f"{county}规上工业企业R&D经费：实际值、{g:g}%增长路径（{base}年基数）、趋势与预测区间{no_sim_zh}",
                    "en": f"{county}: enterprise R&D expenditure — actuals, the {g:g} % path (base {base}), trend "
                          f"and projection bands{no_sim_en}"},
            "intensity": {"zh": f"{county}研发强度：实际值与三种收入情景下的推算，对照{target:g}%目标",
                          "en": f"{county}: R&D intensity, actual and under three revenue scenarios, against the "
                                f"{target:g} % target"},
            "table": {"zh": "研发经费预测（万元）与研发强度（%）", "en": "R&D projection (10,000 yuan) and intensity (%)"},
        },
        "table": {
            "columns": list(REPORT_COLUMNS),
            "labels": {
                "zh": ["年份", "实际值", f"{g:g}%路径", "5%分位", "中位数", "95%分位", "研发强度（%）", "数据状态"],
                "en": ["Year", "Actual", f"{g:g} % path", "5th pct", "Median", "95th pct", "Intensity (%)", "Status"],
            },
        },
    }


def check_projection_output(table, summary) -> pd.DataFrame:
    """The table of :func:`build_projection` indexed by year, after checking table and summary are its output.

    Raises
    ------
    ParameterError
        If ``table`` is not a DataFrame with :data:`TABLE_COLUMNS` or ``summary`` is not a mapping.
    """
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(bi(f"table 必须是 build_projection 返回的 DataFrame，收到 {type(table).__name__}",
                                f"table must be the DataFrame returned by build_projection, got {type(table).__name__}"))
    lacking = [c for c in TABLE_COLUMNS if c not in table.columns]
    if lacking:
        raise ParameterError(bi(f"table 缺少列 {lacking}", f"table lacks the columns {lacking}"))
    if not isinstance(summary, Mapping):
        raise ParameterError(bi(f"summary 必须是 build_projection 返回的字典，收到 {type(summary).__name__}",
                                f"summary must be the dict returned by build_projection, got {type(summary).__name__}"))
    return table.set_index("year")


def intensity_scenarios(table: pd.DataFrame, revenue: pd.Series, summary: Mapping, *,
                        allow_gaps: bool = False) -> pd.DataFrame:
    """R&D intensity per revenue scenario, on the years of the projection table (percent of revenue).

    R&D is the table's path (actuals, then the ``rd_central`` projection, recovered as
    ``intensity_central × revenue_central / 100``); revenue follows each scenario of
    ``summary["revenue_growth_pct"]`` through :func:`revenue_scenarios`.

    Parameters
    ----------
    table, summary
        From :func:`build_projection`.
    revenue : pandas.Series
        ``industrial_revenue`` actuals (万元) indexed by year, as given to ``build_projection``.
    allow_gaps : bool, default False
        As given to ``build_projection``.

    Returns
    -------
    pandas.DataFrame
        Index ``year`` (the table's years), columns ``low``, ``central``, ``high`` (percent). Without
        scenario rates (too little revenue history) every column is the table's ``intensity_central``.

    Raises
    ------
    ParameterError
        If ``table`` or ``summary`` is not from ``build_projection``.
    """
    t = check_projection_output(table, summary)
    if "revenue_growth_pct" not in summary or "end_year" not in summary:
        raise ParameterError(bi("summary 缺少 revenue_growth_pct 或 end_year",
                                "summary lacks revenue_growth_pct or end_year"))
    rates = summary["revenue_growth_pct"]
    if rates is None:
        central = t["intensity_central"].to_numpy(dtype=float)
        return pd.DataFrame({s: central for s in SCENARIOS}, index=t.index)
    rd = t["intensity_central"] * t["revenue_central"] / 100.0
    paths = revenue_scenarios(revenue, int(summary["end_year"]), growth_pct=rates, allow_gaps=allow_gaps)
    return pd.DataFrame({s: intensity_path(rd, paths[s]).reindex(t.index).to_numpy() for s in SCENARIOS},
                        index=t.index)
