"""The gap analysis' rules: thresholds, status classification, achievement and growth helpers, and the
formatting of numbers in texts.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lingshou.analysis.growth import required_growth_pct
from lingshou.config import STATUS_RANK
from lingshou.data.catalogue import Catalogue
from lingshou.errors import ParameterError
from lingshou.i18n import bi, check_lang, unit_in_text

#: Default width of the 接近 (close) band, percent of the target.
CLOSE_PCT = 10.0
#: Status codes in display order, and their labels.
STATUS_ORDER = ("met", "close", "behind", "no_data")
STATUS_TEXT = {
    "zh": {"met": "达标", "close": "接近", "behind": "落后", "no_data": "无数据"},
    "en": {"met": "met", "close": "close", "behind": "behind", "no_data": "no data"},
}
#: On-time delivery of a level target whose year has passed (met in that year, met only later, not met).
DELIVERY_TEXT = {
    "zh": {"on_time": "按期达标", "late": "逾期达标", "not_met": "未达标"},
    "en": {"on_time": "met on time", "late": "met late", "not_met": "not met"},
}
#: Published grade thresholds of the provincial evaluation (score ≥ min).
GRADE_THRESHOLDS = {"A": 80.0, "B": 60.0, "C": 0.0}
GRADES = ("A", "B", "C")
#: Unit under which targets without a lead unit are counted.
UNSPECIFIED_UNIT = "未指定"
#: Separator of unit names in the table's ``responsible_units`` column (as in the plan text).
UNIT_SEP = "、"
#: Separator of the English names in ``responsible_units_en``.
UNIT_SEP_EN = "; "
#: ``data_status`` of a target without a value; of grade and rank values from the benchmarking model.
MISSING_STATUS = "missing"
MODELLED_STATUS = "modelled"
#: English names of the departments of the 灵寿县 plan (other names are shown as written).
#: English name of :data:`UNSPECIFIED_UNIT` (department names are in the data table departments.csv).
UNSPECIFIED_UNIT_EN = "unspecified (whole plan)"
#: Display names of the grade and rank goals (not catalogue indicators).
GOAL_NAMES = {
    "evaluation_grade": ("县域科技创新能力评价等级", "County S&T evaluation grade"),
    "evaluation_rank": ("全省县域科技创新能力位次", "Provincial rank of county S&T capability"),
}
#: Columns of :func:`analyse_gaps`, in order.
GAP_COLUMNS = [
    "id", "indicator", "name_zh", "name_en", "type", "task", "unit", "year", "actual", "actual_text_zh", "actual_text_en", "target",
    "target_text_zh", "target_text_en", "target_year", "gap", "achievement_pct", "status", "status_zh",
    "status_en", "delivery", "met_in_target_year", "cagr_pct", "trend_from", "trend_to", "last_yoy_pct",
    "required_annual_growth_pct", "required_annual_change_pp", "required_text_zh", "required_text_en", "required_by_year", "trend_reaches_target", "lead_unit", "lead_unit_en",
    "responsible_units", "responsible_units_en", "data_status", "reported_value", "ratio_mismatch",
    "note_zh", "note_en", "plan_id", "plan_is_default",
]
#: Columns of :func:`gap_by_unit`, in order.
UNIT_COLUMNS = ["unit", "unit_en", "n_targets", "n_lead", "n_met", "n_close", "n_behind", "n_no_data",
                "targets_behind"]
#: Relative slack of the status edges (see the module notes).
_EDGE_TOL = 1e-9


# --------------------------------------------------------------------------------------------------
# Small vectorised building blocks
# --------------------------------------------------------------------------------------------------

def check_close_pct(close_pct) -> float:
    """The width of the close band, percent of the target, in (0, 100).

    Raises
    ------
    ParameterError
        If ``close_pct`` is not a number in the open interval (0, 100).
    """
    if isinstance(close_pct, bool) or not isinstance(close_pct, (int, float)) or not 0 < float(close_pct) < 100:
        raise ParameterError(bi(f"close_pct 应为 (0, 100) 之间的百分数，实际为 {close_pct!r}",
                                f"close_pct must be a percentage in (0, 100), got {close_pct!r}"))
    return float(close_pct)


def classify(actual, target, close_pct: float = CLOSE_PCT, higher_is_better=True) -> np.ndarray:
    """Status of actual values against targets: ``'met'``, ``'close'``, ``'behind'`` or ``'no_data'``.

    Parameters
    ----------
    actual, target : array-like of float
        Same unit; NaN actual means no data.  Broadcast against each other.
    close_pct : float, default 10
        Width of the close band, percent of the target.
    higher_is_better : bool or array-like of bool, default True
        False for a maximum (e.g. a rank position).

    Returns
    -------
    numpy.ndarray of str

    Raises
    ------
    ParameterError
        On a ``close_pct`` outside (0, 100).
    """
    close_pct = check_close_pct(close_pct)
    a, t, hib = np.broadcast_arrays(np.asarray(actual, dtype=float), np.asarray(target, dtype=float),
                                    np.asarray(higher_is_better, dtype=bool))
    slack = _EDGE_TOL * np.maximum(np.abs(t), 1.0)
    # Shortfall in the target's direction: positive when on the wrong side.
    short = np.where(hib, t - a, a - t)
    band = close_pct / 100.0 * np.abs(t)
    out = np.where(short <= slack, "met", np.where(short <= band + slack, "close", "behind"))
    return np.where(np.isnan(a) | np.isnan(t), "no_data", out).astype(object)


def achievement_pct(actual, target, higher_is_better=True) -> np.ndarray:
    """Achievement in percent: ``100 * actual / target`` (``100 * target / actual`` for a maximum).

    NaN where the ratio is undefined (zero or missing denominator).
    """
    a, t, hib = np.broadcast_arrays(np.asarray(actual, dtype=float), np.asarray(target, dtype=float),
                                    np.asarray(higher_is_better, dtype=bool))
    num, den = np.where(hib, a, t), np.where(hib, t, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den != 0, 100.0 * num / den, np.nan)


def cagr_pct(series: pd.Series) -> float:
    """CAGR between the first and the last observation of a yearly series, percent per year.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by integer year (NaN = missing, ignored).

    Returns
    -------
    float
        ``((last / first) ** (1 / (last_year - first_year)) - 1) * 100``; NaN with fewer than two
        observations or a non-positive first value.
    """
    s = series.dropna().sort_index()
    if len(s) < 2:
        return math.nan
    return float(required_growth_pct(s.iloc[0], s.iloc[-1], int(s.index[-1]) - int(s.index[0])))


def yoy_pct(series: pd.Series) -> pd.Series:
    """Year-on-year change in percent, indexed by the later year (consecutive years only).

    NaN where the year before is missing or not positive.
    """
    s = series.sort_index()
    prev = s.reindex(s.index.to_numpy() - 1).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(prev > 0, 100.0 * (s.to_numpy() / prev - 1.0), np.nan)
    return pd.Series(out, index=s.index, name="yoy_pct")


def weakest_status(statuses) -> str:
    """The weakest of data statuses (illustrative < provisional < derived < published); ``'missing'`` if none."""
    known = [s for s in statuses if isinstance(s, str) and s in STATUS_RANK]
    if not known:
        return MISSING_STATUS
    return min(known, key=STATUS_RANK.__getitem__)


def unit_text(unit: str, lang: str = "zh") -> str:
    """A measurement unit as written in texts of the requested language (万元 → ×10k yuan in English)."""
    return unit_in_text(unit, lang)


def status_text(status: str, lang: str = "zh") -> str:
    """达标 / 接近 / 落后 / 无数据 (or English) for a status code."""
    return STATUS_TEXT[check_lang(lang)][status]


# --------------------------------------------------------------------------------------------------
# Formatting of numbers in texts
# --------------------------------------------------------------------------------------------------

_DECIMALS = {"money": 1, "share": 2, "count": 0, "per_1000_firms": 2, "per_10k_residents": 2, "population": 2,
             "score": 1}


def _fmt(value: float, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{decimals}f}"


def _with_unit(text: str, unit: str, lang: str = "zh") -> str:
    """A number with its unit in the requested language (no space before a percent sign)."""
    unit = unit_text(unit, lang)
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "‰") else f"{text} {unit}"


def _decimals(catalogue: Catalogue, code: str, value: float | None = None) -> int:
    if code not in catalogue.codes:
        return 1
    d = _DECIMALS.get(catalogue.dimension(code), 2)
    if d == 0 and value is not None and not float(value).is_integer():
        return 2
    return d
