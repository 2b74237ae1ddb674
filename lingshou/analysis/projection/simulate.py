"""The stochastic fan: a random walk with an uncertain (Student-t) drift on log R&D, its bands and the
probabilities of meeting the targets.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lingshou.analysis.projection.checks import (
    _LOG_TOL,
    BAND_QUANTILES,
    DEFAULT_INTENSITY_TARGET_PCT,
    DEFAULT_N_SIMS,
    DEFAULT_SEED,
    MIN_OBS_SIMULATION,
    _check_int_range,
    _is_real,
    check_horizon,
    check_n_sims,
    check_positive,
    check_seed,
    check_year,
)
from lingshou.analysis.projection.growth import GrowthStats, _label, _years_text, check_series, growth_stats
from lingshou.errors import AnalysisError, ParameterError
from lingshou.i18n import bi

# --------------------------------------------------------------------------------------------------
# Stochastic fan
# --------------------------------------------------------------------------------------------------

def simulate_log_growth(mu: float, se: float, sigma: float, df: int, horizon: int,
                        n_sims: int = DEFAULT_N_SIMS, seed: int = DEFAULT_SEED, sigma_known: bool = False) -> np.ndarray:
    """Cumulative log growth of a random walk with an uncertain drift and an uncertain volatility.

    The full predictive of the normal model with unknown mean and variance (flat prior; Gelman et al.,
    *Bayesian Data Analysis*, 3rd ed., §3.2): each path draws its volatility from a scaled inverse χ²,
    ``σᵢ² = sigma² · df / χ²(df)``, its drift from ``mu + se · (σᵢ / sigma) · Z`` (so that the drift alone is
    ``mu + se · T`` with ``T ~ Student-t(df)``), then adds yearly shocks ``N(0, σᵢ)``.  With a volatility
    estimated from a handful of growth rates this widens the fan: the yearly shocks' variance is
    ``sigma² · df / (df − 2)``, 50 % more than ``sigma²`` at ``df = 6``.  ``sigma_known=True`` keeps
    ``σᵢ = sigma`` (the fan of a known volatility, too narrow for short series; for comparison).

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
    sigma_known : bool, default False
        Treat ``sigma`` as known (no draw of the volatility).

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
    if sigma_known:
        drift = mu + se * rng.standard_t(df, size=n_sims)
        shocks = sigma * rng.standard_normal((n_sims, horizon))
    else:
        scale = np.sqrt(df / rng.chisquare(df, size=n_sims))       # σᵢ / sigma
        drift = mu + se * scale * rng.standard_normal(n_sims)
        shocks = (sigma * scale)[:, None] * rng.standard_normal((n_sims, horizon))
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


def prob_growth_at_least(fan: Fan, growth_pct: float) -> pd.Series:
    """Per projected year, the share of simulated paths whose growth OVER THAT YEAR is at least ``growth_pct``.

    The plan's "年增长达到15%以上" read year by year: year 1 against the latest actual, each later year against
    the path's own value the year before.

    Returns
    -------
    pandas.Series
        Probabilities in [0, 1], indexed by year, named ``p_growth_ge``.

    Raises
    ------
    ParameterError
        If ``growth_pct`` is not a finite number above -100.
    """
    p = _growth_at_least(fan, growth_pct).mean(axis=0)
    return pd.Series(p, index=pd.Index(fan.years, name="year"), name="p_growth_ge")


def prob_growth_every_year(fan: Fan, growth_pct: float) -> float:
    """Probability that a simulated path grows at least ``growth_pct`` in EVERY projected year.

    Raises
    ------
    ParameterError
        If ``growth_pct`` is not a finite number above -100.
    """
    return float(_growth_at_least(fan, growth_pct).all(axis=1).mean())


def _growth_at_least(fan: Fan, growth_pct: float) -> np.ndarray:
    """``(n_sims, horizon)``: whether each path's growth over each year is at least ``growth_pct``."""
    if not _is_real(growth_pct) or growth_pct <= -100:
        raise ParameterError(bi(f"growth_pct 必须是大于 -100 的有限数值，收到 {growth_pct!r}",
                                f"growth_pct must be a finite number above -100, got {growth_pct!r}"))
    before = np.concatenate([np.full((fan.n_sims, 1), math.log(fan.base_value)), fan.log_paths[:, :-1]], axis=1)
    return fan.log_paths - before >= math.log1p(growth_pct / 100.0) - _LOG_TOL


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
