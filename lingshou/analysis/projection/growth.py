"""Series checks and growth statistics of one annual series: gaps, CAGR, log growths and the log-linear trend.

Growth rates are percent per year; log growths natural-log points per year.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lingshou.analysis.growth import required_growth_pct
from lingshou.analysis.projection.checks import DEFAULT_END_YEAR, MAX_YEAR, check_year
from lingshou.config import MIN_YEAR
from lingshou.errors import AnalysisError, DataError, ParameterError
from lingshou.i18n import bi

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
    return float(required_growth_pct(observed.iloc[0], observed.iloc[-1], span))


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
