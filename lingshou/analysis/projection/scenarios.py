"""Deterministic paths: the plan path, required growth, revenue scenarios, intensity and the year it crosses
its target.

Money in 万元, growth in percent per year, intensity in percent of revenue.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lingshou.analysis.growth import required_growth_pct
from lingshou.analysis.projection.checks import (
    DEFAULT_END_YEAR,
    DEFAULT_GROWTH_PCT,
    DEFAULT_PLAN_START,
    SCENARIO_METHODS,
    SCENARIOS,
    _check_choice,
    _check_scenario_rates,
    _is_real,
    check_growth_pct,
    check_positive,
    check_year,
)
from lingshou.analysis.projection.growth import _label, _years_text, check_series, log_growths, trend_growth
from lingshou.errors import AnalysisError, DataError, ParameterError
from lingshou.i18n import bi, pick

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
    return float(required_growth_pct(latest_value, target_value, target_year - latest_year))


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
