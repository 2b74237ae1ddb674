"""Gap analysis against the plan: for every target, how far the county is, who answers for it, and what
it takes to catch up.

For a county, a plan (:func:`lingshou.plan.targets.find_plan`) and a data year, :func:`analyse_gaps` gives one row
per plan target: the actual value (with its data status), the target, the gap, the achievement, a status
(达标 met / 接近 close / 落后 behind / 无数据 no data), the trend, the annual growth still required and
whether the trend gets there, and the lead and responsible units.  :func:`gap_by_unit` rolls the statuses
up by department (the 督导台账 of the 发展和改革局).

Units
-----
- ``actual``, ``target`` and ``gap`` are in the indicator's canonical catalogue unit (万元, %, 家, 家/千家,
  件/万人 …; a plan target written in another unit of the same dimension is converted).  For the rule
  targets they are growth rates in percent per year (``growth``: the weakest yearly growth;
  ``increase``: the weakest year-on-year change), the evaluation score in points (``grade``), or the
  position from the top in percent of the counties ranked (``rank``, lower is better).
- ``achievement_pct``, ``cagr_pct``, ``last_yoy_pct``, ``required_annual_growth_pct``: percent.

Method choices
--------------
- Every plan target is a minimum (the plan's ``level`` type reads "reaches ``target``"), except the rank
  goal, a maximum position.  Status: met when the actual is on the right side of the target; close when it
  misses by at most ``close_pct`` % of the target (``actual >= target * (1 - close_pct/100)``, i.e.
  achievement ≥ 90 % by default; for the rank ``actual <= target * (1 + close_pct/100)``); behind
  otherwise; no data without a value in the data year.  Both edges are inclusive, with a relative slack
  of 1e-9 so that a value exactly on an edge is not pushed across it by binary rounding.
- The actual is the value of the data year, not of the target year: the plan's 2022 levels are floors to
  keep.  ``met_in_target_year`` says separately whether the level was reached in its own year.
- Trend: CAGR from the first to the last observation up to the data year (end points only, as COINr
  ``CAGR``); undefined (NaN) when the first value is not positive.  ``last_yoy_pct`` is the change over
  the year before the data year.
- Required growth: ``(target / latest) ** (1 / (by - latest_year)) - 1`` from the latest actual (the data
  year's, else the last one before it).  ``by`` is the target year while it lies ahead; for a target whose
  year has passed unmet it is the catch-up year (default: the plan's end year, 2025 for 2022–2025) and at
  least the year after the latest actual.  Undefined when the target is met or the latest value is zero.
  The trend gets there when ``cagr_pct >= required_annual_growth_pct``.
- Rule targets are checked for every year from the rule's start year to the data year (capped at its end
  year): ``growth`` (e.g. enterprise R&D +15 %/yr) uses the weakest yearly growth, so one weak year makes it
  close or behind; ``increase`` (逐年递增) needs every year above the year before (a flat year is not an
  increase) and is met or behind, never close.  A year that cannot be checked (missing value) keeps the rule
  from counting as met (status no data) unless a checked year already failed.  Before the rule's start
  year only the data year is checked, for information.
- Grade and rank goals come from the benchmarking analysis (``grades`` table, one row per county and data
  year).  Without it they are "no data", saying that benchmarking was not run.  With a ``score`` column
  the grade goal is measured in points against the grade threshold (A ≥ 80, B ≥ 60, the published rule) so
  it can be close; otherwise it is met or behind on the grade letter.  The rank goal uses
  ``rank / n_counties`` of the benchmarking's peer set, a proxy for the province-wide rank the plan means.
- Derived indicators (catalogue ``formula``) are computed from their operands whenever both exist
  (:func:`derive_indicators`); the computed value wins over a reported ratio, whose disagreement beyond
  rounding (``abs_tol`` + ``rel_tol`` × value) is flagged.  Its status is ``derived`` when every operand is
  published, else the weakest operand status (illustrative < provisional < derived < published).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from lingshou.config import STATUS_RANK
from lingshou.data.catalogue import Catalogue
from lingshou.data.validate import RATIO_REL_TOL
from lingshou.errors import AnalysisError, DataError, ParameterError
from lingshou.i18n import bi, check_lang, pick
from lingshou.plan.targets import GRADE_INDICATORS, Plan

#: Default width of the 接近 (close) band, percent of the target.
CLOSE_PCT = 10.0
#: Status codes in display order, and their labels.
STATUS_ORDER = ("met", "close", "behind", "no_data")
STATUS_TEXT = {
    "zh": {"met": "达标", "close": "接近", "behind": "落后", "no_data": "无数据"},
    "en": {"met": "met", "close": "close", "behind": "behind", "no_data": "no data"},
}
#: Published grade thresholds of the provincial evaluation (score ≥ min).
GRADE_THRESHOLDS = {"A": 80.0, "B": 60.0, "C": 0.0}
GRADES = ("A", "B", "C")
#: Reported ratios are published to 2 decimals: half a unit of the last digit.
DERIVED_ABS_TOL = 0.005
#: Relative slack on top of the rounding (operands are rounded too), as in the validator.
DERIVED_REL_TOL = RATIO_REL_TOL
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
#: Units as written in English texts (others are kept as written; counts need no unit).
UNIT_TEXT_EN = {"万元": "×10k yuan", "元": "yuan", "亿元": "×100m yuan", "家": "", "个": "", "件": "", "项": "",
                "件/万人": "per 10k residents", "家/千家": "per 1,000 firms", "个/千家": "per 1,000 firms",
                "分": "points", "万人": "×10k people", "%": "%"}
#: Display names of the grade and rank goals (not catalogue indicators).
GOAL_NAMES = {
    "evaluation_grade": ("县域科技创新能力评价等级", "County S&T evaluation grade"),
    "evaluation_rank": ("全省县域科技创新能力位次", "Provincial rank of county S&T capability"),
}
#: Columns of :func:`analyse_gaps`, in order.
GAP_COLUMNS = [
    "id", "indicator", "name_zh", "name_en", "type", "task", "unit", "year", "actual", "actual_text_zh", "actual_text_en", "target",
    "target_text_zh", "target_text_en", "target_year", "gap", "achievement_pct", "status", "status_zh",
    "status_en", "met_in_target_year", "cagr_pct", "trend_from", "trend_to", "last_yoy_pct",
    "required_annual_growth_pct", "required_by_year", "trend_reaches_target", "lead_unit", "lead_unit_en",
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


def required_growth_pct(latest, target, years) -> np.ndarray:
    """Constant annual growth taking ``latest`` to ``target`` in ``years`` years, percent per year.

    ``((target / latest) ** (1 / years) - 1) * 100``; NaN where ``latest <= 0``, ``target < 0``,
    ``years <= 0`` or an input is missing.
    """
    lv, tv, n = np.broadcast_arrays(np.asarray(latest, dtype=float), np.asarray(target, dtype=float),
                                    np.asarray(years, dtype=float))
    ok = (lv > 0) & (tv >= 0) & (n > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = 100.0 * (np.power(np.where(ok, tv / np.where(ok, lv, 1.0), 1.0), 1.0 / np.where(ok, n, 1.0)) - 1.0)
    return np.where(ok, g, np.nan)


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
    return unit if check_lang(lang) == "zh" else UNIT_TEXT_EN.get(unit, unit)


def status_text(status: str, lang: str = "zh") -> str:
    """达标 / 接近 / 落后 / 无数据 (or English) for a status code."""
    return STATUS_TEXT[check_lang(lang)][status]


# --------------------------------------------------------------------------------------------------
# Derived indicators
# --------------------------------------------------------------------------------------------------

def derive_indicators(data: pd.DataFrame, catalogue: Catalogue, *, abs_tol: float = DERIVED_ABS_TOL,
                      rel_tol: float = DERIVED_REL_TOL) -> pd.DataFrame:
    """Every derived indicator of the catalogue, computed from its operands where they exist.

    Parameters
    ----------
    data : DataFrame
        Tidy statistics (county, year, indicator, value, status); values in canonical units.
    catalogue : Catalogue
        Gives the formulas (``factor * numerator / denominator``).
    abs_tol, rel_tol : float
        A reported ratio disagrees with the computed one when ``|reported - computed| > abs_tol +
        rel_tol * |computed|`` (indicator unit).

    Returns
    -------
    DataFrame
        One row per county, year and derived indicator with a reported or a computed value: ``county,
        year, indicator, value, status, basis`` (``'operands'`` or ``'reported'``), ``reported``,
        ``computed``, ``ratio_mismatch`` (bool).  ``value`` is the computed value when both operands exist
        (denominator > 0), else the reported one.
    """
    cols = ["county", "year", "indicator", "value", "status", "basis", "reported", "computed", "ratio_mismatch"]
    have = data[data["value"].notna()]
    formulas = catalogue.derived()
    if have.empty or not formulas:
        return pd.DataFrame(columns=cols)
    keyed = have.set_index(["county", "year", "indicator"])
    values = keyed["value"].unstack("indicator")
    ranks = keyed["status"].map(STATUS_RANK).unstack("indicator")
    by_rank = {r: s for s, r in STATUS_RANK.items()}
    parts = []
    for code, f in formulas.items():
        def col(frame, name):
            return frame[name] if name in frame.columns else pd.Series(np.nan, index=frame.index)
        num, den, rep = col(values, f.numerator), col(values, f.denominator), col(values, code)
        computed = (f.factor * num / den).where(den > 0)
        # The weakest operand status; published operands give a "derived" value.
        rank = np.fmin(col(ranks, f.numerator), col(ranks, f.denominator)).where(computed.notna())
        comp_status = rank.map(by_rank).replace({"published": "derived"})
        rep_status = col(ranks, code).map(by_rank)
        use_computed = computed.notna()
        frame = pd.DataFrame({
            "value": computed.where(use_computed, rep),
            "status": comp_status.where(use_computed, rep_status),
            "basis": np.where(use_computed, "operands", "reported"),
            "reported": rep,
            "computed": computed,
            "ratio_mismatch": (use_computed & rep.notna()
                               & ((rep - computed).abs() > abs_tol + rel_tol * computed.abs())),
        })
        frame = frame[frame["value"].notna()].reset_index()
        frame["indicator"] = code
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True)[cols]
    out["ratio_mismatch"] = out["ratio_mismatch"].astype(bool)
    return out.sort_values(["county", "indicator", "year"], ignore_index=True)


def with_derived(data: pd.DataFrame, catalogue: Catalogue, *, abs_tol: float = DERIVED_ABS_TOL,
                 rel_tol: float = DERIVED_REL_TOL) -> pd.DataFrame:
    """The tidy values with every derived indicator replaced by :func:`derive_indicators`' value.

    Returns
    -------
    DataFrame
        ``county, year, indicator, value, status, basis, reported, ratio_mismatch`` for every
        non-missing value (``basis`` ``'data'`` for indicators that are not derived).
    """
    derived = derive_indicators(data, catalogue, abs_tol=abs_tol, rel_tol=rel_tol)
    codes = set(catalogue.derived())
    base = data[data["value"].notna() & ~data["indicator"].isin(codes)][["county", "year", "indicator", "value", "status"]]
    base = base.assign(basis="data", reported=np.nan, ratio_mismatch=False)
    cols = ["county", "year", "indicator", "value", "status", "basis", "reported", "ratio_mismatch"]
    out = pd.concat([base[cols], derived[cols]], ignore_index=True) if len(derived) else base[cols].reset_index(drop=True)
    out["year"] = out["year"].astype("int64")
    out["ratio_mismatch"] = out["ratio_mismatch"].astype(bool)
    return out


# --------------------------------------------------------------------------------------------------
# Grades from the benchmarking analysis
# --------------------------------------------------------------------------------------------------

def check_grades(grades: pd.DataFrame) -> pd.DataFrame:
    """Check a benchmarking table (county, year, grade; optional score, rank, n_counties, p_grade_A/B/C,
    data_status) and return a copy with ``year`` as int.

    Raises
    ------
    DataError
        When a required column is missing or a grade is not A, B or C.
    """
    missing = [c for c in ("county", "year", "grade") if c not in grades.columns]
    if missing:
        raise DataError(bi(f"对标分析结果缺少列 {missing}", f"the benchmarking table lacks columns {missing}"))
    bad = sorted(set(grades["grade"].dropna().astype(str)) - set(GRADES))
    if bad:
        raise DataError(bi(f"对标分析结果中有未知等级 {bad}（应为 A、B、C）",
                           f"the benchmarking table holds unknown grades {bad} (expected A, B, C)"))
    return grades.assign(year=grades["year"].astype("int64"))


def load_grades(path: str | Path, year: int | None = None) -> pd.DataFrame | None:
    """Read the benchmarking table (``tables/benchmark.csv``) if it exists.

    Parameters
    ----------
    path : path-like
        The CSV written by the benchmarking notebook.
    year : int, optional
        Data year of its rows when the file has no ``year`` column (one benchmarking run = one year).

    Returns
    -------
    DataFrame or None
        ``None`` when the file does not exist (benchmarking not run).

    Raises
    ------
    DataError
        When the table has no ``year`` column and no ``year`` is given, or fails :func:`check_grades`.
    """
    path = Path(path)
    if not path.is_file():
        return None
    grades = pd.read_csv(path, encoding="utf-8-sig")
    if "year" not in grades.columns:
        if year is None:
            raise DataError(bi(f"{path} 没有 year 列，请给出数据年份", f"{path} has no year column; pass the data year"))
        grades = grades.assign(year=int(year))
    return check_grades(grades)


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


# --------------------------------------------------------------------------------------------------
# The gap analysis
# --------------------------------------------------------------------------------------------------

def _series(values: pd.DataFrame, code: str, year: int) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """Values and statuses of one indicator up to ``year`` (indexed by year), and its rows."""
    rows = values[(values["indicator"] == code) & (values["year"] <= year)].sort_values("year")
    idx = pd.Index(rows["year"].astype("int64"), name="year")
    return (pd.Series(rows["value"].to_numpy(dtype=float), index=idx),
            pd.Series(rows["status"].to_numpy(dtype=object), index=idx), rows.set_index("year"))


def _target_in_unit(target, plan_unit, code: str, catalogue: Catalogue, target_id: str) -> float:
    """The plan target in the indicator's canonical unit."""
    if not isinstance(plan_unit, str) or not plan_unit or code not in catalogue.codes \
            or plan_unit == catalogue.canonical_unit(code):
        return float(target)
    factor = catalogue.unit_factor(plan_unit, code)
    if factor is None:
        raise DataError(bi(f"方案目标 {target_id} 的单位 {plan_unit!r} 无法换算为 {code} 的单位 {catalogue.canonical_unit(code)!r}",
                           f"plan target {target_id}: unit {plan_unit!r} cannot be converted to the unit "
                           f"{catalogue.canonical_unit(code)!r} of {code}"))
    return float(target) * factor


def _blank_row() -> dict:
    row = {c: np.nan for c in GAP_COLUMNS}
    row.update({"actual_text_zh": "—", "actual_text_en": "—", "note_zh": "", "note_en": "", "reported_value": np.nan, "ratio_mismatch": False,
                "met_in_target_year": pd.NA, "trend_reaches_target": pd.NA, "required_by_year": pd.NA,
                "trend_from": pd.NA, "trend_to": pd.NA, "status": "no_data", "data_status": MISSING_STATUS})
    return row


def _notes(row: dict, zh: str, en: str) -> None:
    row["note_zh"] = (row["note_zh"] + "；" if row["note_zh"] else "") + zh
    row["note_en"] = (row["note_en"] + "; " if row["note_en"] else "") + en


def _trend(row: dict, s: pd.Series, year: int) -> None:
    obs = s.dropna()
    row["cagr_pct"] = cagr_pct(obs)
    if len(obs) >= 2:
        row["trend_from"], row["trend_to"] = int(obs.index[0]), int(obs.index[-1])
    yoy = yoy_pct(obs)
    row["last_yoy_pct"] = float(yoy.loc[year]) if year in yoy.index else math.nan


def _level_row(row: dict, t, s: pd.Series, st: pd.Series, rows: pd.DataFrame, year: int, catch_up_year: int,
               catalogue: Catalogue) -> None:
    # The status is set for every level row at once, vectorised, in analyse_gaps.
    code = t["indicator"]
    target = _target_in_unit(t["target"], t["unit"], code, catalogue, t["id"])
    unit = catalogue.canonical_unit(code)
    d = _decimals(catalogue, code, target)
    row.update(target=target, unit=unit, target_year=int(t["target_year"]),
               target_text_zh=f"≥ {_with_unit(format(target, ',g'), unit)}（{int(t['target_year'])}年）",
               target_text_en=f"≥ {_with_unit(format(target, ',g'), unit, 'en')} ({int(t['target_year'])})")
    _trend(row, s, year)
    if year in s.index:
        actual = float(s.loc[year])
        text = _fmt(actual, _decimals(catalogue, code, actual))
        row.update(actual=actual, actual_text_zh=_with_unit(text, unit), actual_text_en=_with_unit(text, unit, "en"),
                   data_status=str(st.loc[year]))
        if "ratio_mismatch" in rows.columns and bool(rows.loc[year, "ratio_mismatch"]):
            rep = float(rows.loc[year, "reported"])
            row.update(reported_value=rep, ratio_mismatch=True)
            _notes(row, f"报告值 {rep:g} 与由分子、分母计算的 {actual:.4g} 不符（超出舍入误差），采用计算值",
                   f"reported value {rep:g} disagrees with {actual:.4g} computed from its operands (beyond rounding); "
                   "the computed value is used")
    elif len(s):
        last = _fmt(float(s.iloc[-1]), d)
        _notes(row, f"{year}年无数据；最近一年为{int(s.index[-1])}年（{_with_unit(last, unit)}）",
               f"no value for {year}; latest is {int(s.index[-1])} ({_with_unit(last, unit, 'en')})")
    else:
        _notes(row, f"截至{year}年没有该指标的数据", f"no value of this indicator up to {year}")
    ty = int(t["target_year"])
    if ty <= year and ty in s.index:
        row["met_in_target_year"] = bool(s.loc[ty] >= target * (1 - _EDGE_TOL))
    if ty > year:
        _notes(row, f"目标年份{ty}年尚未到", f"the target year {ty} is still ahead")
    if not len(s):
        return
    latest, latest_year = float(s.iloc[-1]), int(s.index[-1])
    if latest >= target * (1 - _EDGE_TOL):
        return
    by = ty if ty > latest_year else max(catch_up_year, latest_year + 1)
    row["required_by_year"] = by
    if ty <= latest_year:
        _notes(row, f"目标年份已过，按{by}年追上计算所需增速", f"the target year has passed: required growth to catch up by {by}")
    if latest <= 0:
        _notes(row, "最新值为零，无法按增长率计算", "the latest value is zero: no growth rate can take it to the target")
        return
    req = float(required_growth_pct(latest, target, by - latest_year))
    row["required_annual_growth_pct"] = req
    if not math.isnan(row["cagr_pct"]):
        row["trend_reaches_target"] = bool(row["cagr_pct"] >= req - _EDGE_TOL)


def _rule_row(row: dict, t, s: pd.Series, st: pd.Series, year: int, close_pct: float) -> None:
    start, end = int(t["start_year"]), int(t["end_year"])
    window = list(range(start, min(end, year) + 1)) if year >= start else [year]
    if year < start:
        _notes(row, f"规则自{start}年起适用，此处仅查看{year}年", f"the rule applies from {start}; {year} is shown for information")
    changes = yoy_pct(s).reindex(window)
    known = changes.dropna()
    unknown = [y for y in window if y not in known.index]
    growth = t["type"] == "growth"
    target = float(t["target"]) if growth else 0.0
    row.update(unit="%", target=target, target_year=min(end, max(window)))
    _trend(row, s, year)
    row["target_text_zh"] = (f"每年增长 ≥ {target:g}%（{start}–{end}年）" if growth else f"逐年递增（{start}–{end}年）")
    row["target_text_en"] = (f"growth ≥ {target:g}% every year ({start}–{end})" if growth
                             else f"rising every year ({start}–{end})")
    row["required_annual_growth_pct"] = target
    row["required_by_year"] = end
    if not math.isnan(row["cagr_pct"]):
        row["trend_reaches_target"] = bool(row["cagr_pct"] >= target - _EDGE_TOL if growth else row["cagr_pct"] > 0)
    used = [y for y in window if y in s.index] + [y - 1 for y in window if y - 1 in s.index]
    row["data_status"] = weakest_status(st.reindex(sorted(set(used))).tolist())
    if len(known):
        parts_zh = [f"{y}年 {v:+.1f}%" for y, v in known.items()]
        parts_en = [f"{y} {v:+.1f}%" for y, v in known.items()]
        _notes(row, "逐年变化：" + "，".join(parts_zh), "yearly change: " + ", ".join(parts_en))
    if unknown:
        _notes(row, f"{'、'.join(map(str, unknown))}年无法计算（缺少数据）",
               f"{', '.join(map(str, unknown))}: cannot be checked (missing values)")
    if known.empty:
        row["status"] = "no_data"
        return
    weakest = float(known.min())
    worst_year = int(known.idxmin())
    row.update(actual=weakest, actual_text_zh=f"{weakest:+.1f}%（{worst_year}年）",
               actual_text_en=f"{weakest:+.1f}% ({worst_year})")
    row["gap"] = weakest - target
    if growth:
        row["achievement_pct"] = float(achievement_pct(weakest, target))
        status = str(classify(weakest, target, close_pct)[()])
    else:
        status = "met" if weakest > 0 else "behind"
    if status == "met" and unknown:
        status = "no_data"
    row["status"] = status


def _goal_row(row: dict, t, grades: pd.DataFrame | None, county: str, year: int, close_pct: float,
              thresholds: dict) -> None:
    is_grade = t["type"] == "grade"
    row["target_year"] = int(t["target_year"])
    if is_grade:
        g = str(t["target"])
        row.update(target_text_zh=f"{g}类及以上（{int(t['target_year'])}年数据）",
                   target_text_en=f"grade {g} or better ({int(t['target_year'])} data)")
    else:
        share = 100.0 * float(t["target"])
        row.update(target=share, unit="%", target_text_zh=f"全省前 {share:g}%（{int(t['target_year'])}年）",
                   target_text_en=f"top {share:g}% of the province ({int(t['target_year'])})")
    if grades is None:
        _notes(row, "未运行对标分析（benchmarking），无法判断", "benchmarking not run: cannot be assessed")
        return
    mine = grades[(grades["county"] == county) & (grades["year"] == year)]
    if mine.empty:
        _notes(row, f"对标分析结果中没有{county}{year}年的数据", f"the benchmarking table has no row for {county} in {year}")
        return
    rec = mine.iloc[0]
    row["data_status"] = str(rec["data_status"]) if "data_status" in mine.columns and pd.notna(rec["data_status"]) else MODELLED_STATUS
    _notes(row, f"按{year}年数据的模拟评价（对应{year + 1}年评价轮次）",
           f"modelled evaluation on {year} data (the {year + 1} round)")
    if is_grade:
        grade, g = str(rec["grade"]), str(t["target"])
        ok = GRADES.index(grade) <= GRADES.index(g)
        p_cols = [f"p_grade_{x}" for x in GRADES[: GRADES.index(g) + 1]]
        if all(c in mine.columns for c in p_cols):
            p = float(sum(float(rec[c]) for c in p_cols))
            _notes(row, f"达到{g}类及以上的概率 {p:.0%}", f"probability of grade {g} or better {p:.0%}")
        if "score" in mine.columns and pd.notna(rec["score"]):
            score, thr = float(rec["score"]), float(thresholds[g])
            row.update(actual=score, target=thr, unit="分", gap=score - thr,
                       achievement_pct=float(achievement_pct(score, thr)),
                       actual_text_zh=f"{grade}类（{score:.1f}分）", actual_text_en=f"{grade} ({score:.1f} points)")
            row["status"] = str(classify(score, thr, close_pct)[()])
        else:
            row.update(actual_text_zh=f"{grade}类", actual_text_en=grade)
            row["status"] = "met" if ok else "behind"
        return
    if "rank" not in mine.columns or pd.isna(rec["rank"]):
        _notes(row, "对标分析结果没有位次", "the benchmarking table holds no rank")
        row["data_status"] = MISSING_STATUS
        return
    n = (int(rec["n_counties"]) if "n_counties" in mine.columns and pd.notna(rec["n_counties"])
         else int(grades.loc[grades["year"] == year, "county"].nunique()))
    rank = float(rec["rank"])
    if not 1 <= rank <= n:
        # A rank outside 1..n means the table is not the full peer set: no position can be read from it.
        _notes(row, f"位次 {rank:g} 不在 1–{n} 之间（对标结果不完整，可加 n_counties 列）",
               f"rank {rank:g} is not within 1–{n} (incomplete benchmarking table; add an n_counties column)")
        row["data_status"] = MISSING_STATUS
        return
    pos = 100.0 * rank / n
    row.update(actual=pos, actual_text_zh=f"第{rank:g}位（共{n}个）", actual_text_en=f"{rank:g} of {n}", gap=pos - row["target"],
               achievement_pct=float(achievement_pct(pos, row["target"], higher_is_better=False)))
    row["status"] = str(classify(pos, row["target"], close_pct, higher_is_better=False)[()])
    _notes(row, f"在对标的{n}个县（市、区）中排第{rank:g}位；方案指全省位次，此处以对标县为替代",
           f"rank {rank:g} of the {n} peer units benchmarked; the plan means the province-wide rank, the peer set is a proxy")


def analyse_gaps(data: pd.DataFrame, plan: Plan, catalogue: Catalogue, county: str, year: int, *,
                 close_pct: float = CLOSE_PCT, catch_up_year: int | None = None, grades: pd.DataFrame | None = None,
                 grade_thresholds: dict | None = None, abs_tol: float = DERIVED_ABS_TOL,
                 rel_tol: float = DERIVED_REL_TOL) -> pd.DataFrame:
    """One row per plan target: actual, target, gap, achievement, status, trend, required growth, units.

    Parameters
    ----------
    data : DataFrame
        Tidy statistics (any counties; canonical units).
    plan : Plan
        From :func:`lingshou.plan.targets.find_plan` (the default plan for a county without its own).
    catalogue : Catalogue
    county : str
        Canonical county name.
    year : int
        Data year.
    close_pct : float, default 10
        Width of the 接近 band, percent of the target.
    catch_up_year : int, optional
        Year by which a target whose year has passed unmet should be caught up (default: the plan's end
        year); at least the year after the latest actual is used.
    grades : DataFrame, optional
        The benchmarking table (see :func:`check_grades`); without it the grade and rank goals have no data.
    grade_thresholds : dict, optional
        Minimum score of each grade (default :data:`GRADE_THRESHOLDS`).
    abs_tol, rel_tol : float
        Tolerance of the reported-versus-computed ratio check (see :func:`derive_indicators`).

    Returns
    -------
    DataFrame
        :data:`GAP_COLUMNS`, in plan order.  ``met_in_target_year`` and ``trend_reaches_target`` are
        nullable booleans, ``required_by_year``, ``trend_from``, ``trend_to`` nullable integers.

    Raises
    ------
    AnalysisError
        If the county has no value at all in ``year``.
    ParameterError
        On an invalid ``close_pct`` or ``catch_up_year``.
    DataError
        On a plan target whose unit cannot be converted, or an invalid ``grades`` table.
    """
    close_pct = check_close_pct(close_pct)
    if catch_up_year is None:
        catch_up_year = plan.period[1]
    if isinstance(catch_up_year, bool) or not isinstance(catch_up_year, (int, np.integer)):
        raise ParameterError(bi(f"catch_up_year 应为整数年份，实际为 {catch_up_year!r}",
                                f"catch_up_year must be an integer year, got {catch_up_year!r}"))
    mine = data[data["county"] == county]
    if not (mine["value"].notna() & (mine["year"] == year)).any():
        have = sorted(int(y) for y in mine.loc[mine["value"].notna(), "year"].unique())
        raise AnalysisError(bi(f"{county} 没有 {year} 年的数据（有数据的年份：{have}）",
                               f"{county} has no data for {year} (years with data: {have})"))
    if grades is not None:
        grades = check_grades(grades)
    thresholds = dict(GRADE_THRESHOLDS if grade_thresholds is None else grade_thresholds)
    values = with_derived(mine, catalogue, abs_tol=abs_tol, rel_tol=rel_tol)
    rows = []
    for t in plan.targets.itertuples(index=False):
        t = t._asdict()
        code = t["indicator"]
        row = _blank_row()
        units = tuple(t["responsible_units"])
        lead = t["lead_unit"] if isinstance(t["lead_unit"], str) else ""
        for u in units + ((lead,) if lead else ()):
            if UNIT_SEP in u:
                raise DataError(bi(f"方案目标 {t['id']} 的单位名 {u!r} 含分隔符 {UNIT_SEP!r}",
                                   f"plan target {t['id']}: unit name {u!r} contains the separator {UNIT_SEP!r}"))
        zh, en = (GOAL_NAMES[code] if code in GRADE_INDICATORS
                  else (catalogue.name(code, "zh"), catalogue.name(code, "en")))
        if t["type"] == "growth":
            zh, en = zh + "年增长", en + ", yearly growth"
        elif t["type"] == "increase":
            zh, en = zh + "逐年递增", en + ", rising every year"
        row.update(id=t["id"], indicator=code, name_zh=zh, name_en=en, type=t["type"], task=t["task"], year=int(year),
                   lead_unit=lead, lead_unit_en=catalogue.department_name(lead, "en") if lead else "",
                   responsible_units=UNIT_SEP.join(units),
                   responsible_units_en=UNIT_SEP_EN.join(catalogue.department_name(u, "en") for u in units),
                   plan_id=str(plan.meta.get("id", plan.path.stem)), plan_is_default=bool(plan.is_default), unit="")
        if t["type"] in ("grade", "rank"):
            _goal_row(row, t, grades, county, year, close_pct, thresholds)
        else:
            s, st, rws = _series(values, code, year)
            if t["type"] == "level":
                _level_row(row, t, s, st, rws, year, int(catch_up_year), catalogue)
            else:
                _rule_row(row, t, s, st, year, close_pct)
        rows.append(row)
    table = pd.DataFrame(rows, columns=GAP_COLUMNS)
    level = table["type"] == "level"
    a, tg = table["actual"].to_numpy(dtype=float), table["target"].to_numpy(dtype=float)
    table.loc[level, "gap"] = (a - tg)[level.to_numpy()]
    table.loc[level, "achievement_pct"] = achievement_pct(a, tg)[level.to_numpy()]
    table.loc[level, "status"] = classify(a, tg, close_pct)[level.to_numpy()]
    table["status_zh"] = table["status"].map(STATUS_TEXT["zh"])
    table["status_en"] = table["status"].map(STATUS_TEXT["en"])
    for c in ("met_in_target_year", "trend_reaches_target", "ratio_mismatch"):
        table[c] = table[c].astype("boolean")
    for c in ("required_by_year", "trend_from", "trend_to", "target_year"):
        table[c] = table[c].astype("Int64")
    for c in ("actual", "target", "gap", "achievement_pct", "cagr_pct", "last_yoy_pct",
              "required_annual_growth_pct", "reported_value"):
        table[c] = table[c].astype("float64")
    return table


def english_unit_names(table: pd.DataFrame) -> dict[str, str]:
    """Department → English name, as the gap table wrote them (``lead_unit_en``, ``responsible_units_en``)."""
    names = {UNSPECIFIED_UNIT: UNSPECIFIED_UNIT_EN}
    blank = pd.Series("", index=table.index)
    for zh, en in zip(table["lead_unit"].fillna(""), table.get("lead_unit_en", blank).fillna("")):
        if zh:
            names[zh] = en or zh
    for zh, en in zip(table["responsible_units"].fillna(""), table.get("responsible_units_en", blank).fillna("")):
        zh_units, en_units = [u for u in zh.split(UNIT_SEP) if u], [u for u in en.split(UNIT_SEP_EN) if u]
        names.update(zip(zh_units, en_units) if len(zh_units) == len(en_units) else ((u, u) for u in zh_units))
    return names


def gap_by_unit(table: pd.DataFrame) -> pd.DataFrame:
    """Statuses of the targets each department leads or shares.

    A target counts once for its lead unit and once for each responsible unit (once per unit even when
    a unit is both); targets without a lead unit count under :data:`UNSPECIFIED_UNIT`.

    Parameters
    ----------
    table : DataFrame
        From :func:`analyse_gaps`.

    Returns
    -------
    DataFrame
        :data:`UNIT_COLUMNS`: ``n_targets`` targets involving the unit, ``n_lead`` of which it leads,
        counts by status, and ``targets_behind`` (target ids, ``;``-separated).  Sorted by number of
        targets (descending), then unit name.
    """
    lead = table["lead_unit"].fillna("").replace("", UNSPECIFIED_UNIT)
    shared = table["responsible_units"].fillna("").str.split(UNIT_SEP)
    links = pd.concat([
        pd.DataFrame({"row": table.index, "unit": lead, "lead": True}),
        pd.DataFrame({"row": table.index, "unit": shared, "lead": False}).explode("unit"),
    ], ignore_index=True)
    links = links[links["unit"].notna() & (links["unit"] != "")]
    links = links.groupby(["row", "unit"], as_index=False)["lead"].max()
    links["status"] = table["status"].reindex(links["row"]).to_numpy()
    links["id"] = table["id"].reindex(links["row"]).to_numpy()
    counts = pd.crosstab(links["unit"], links["status"]).reindex(columns=list(STATUS_ORDER), fill_value=0)
    out = pd.DataFrame({
        "unit": counts.index,
        "n_targets": counts.sum(axis=1).to_numpy(),
        "n_lead": links.groupby("unit")["lead"].sum().reindex(counts.index).to_numpy(),
    })
    for s in STATUS_ORDER:
        out[f"n_{s}"] = counts[s].to_numpy()
    behind = links[links["status"] == "behind"].groupby("unit")["id"].agg(";".join)
    out["targets_behind"] = out["unit"].map(behind).fillna("")
    out["unit_en"] = out["unit"].map(english_unit_names(table))
    out = out.sort_values(["n_targets", "unit"], ascending=[False, True], ignore_index=True)
    for c in ("n_targets", "n_lead", "n_met", "n_close", "n_behind", "n_no_data"):
        out[c] = out[c].astype("int64")
    return out[UNIT_COLUMNS]


def status_counts(table: pd.DataFrame) -> dict:
    """Number of targets by status (every status present, in :data:`STATUS_ORDER`)."""
    vc = table["status"].value_counts()
    return {s: int(vc.get(s, 0)) for s in STATUS_ORDER}


# --------------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------------

def _list(items: list[str], lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(items)


def _row_sentence(r, lang: str) -> str:
    name = r["name_zh"] if lang == "zh" else r["name_en"]
    if lang == "zh":
        s = f"{name}（实际 {r['actual_text_zh']}，目标 {r['target_text_zh']}"
        if pd.notna(r["required_annual_growth_pct"]) and r["type"] == "level":
            s += f"，需年均增长 {r['required_annual_growth_pct']:.1f}% 至{int(r['required_by_year'])}年"
            if pd.notna(r["trend_reaches_target"]):
                s += "，按近年趋势可以达到" if bool(r["trend_reaches_target"]) else "，按近年趋势达不到"
        return s + "）"
    s = f"{name} (actual {r['actual_text_en']}, target {r['target_text_en']}"
    if pd.notna(r["required_annual_growth_pct"]) and r["type"] == "level":
        s += f"; needs {r['required_annual_growth_pct']:.1f}%/yr to {int(r['required_by_year'])}"
        if pd.notna(r["trend_reaches_target"]):
            s += ", within reach of the recent trend" if bool(r["trend_reaches_target"]) else ", beyond the recent trend"
    return s + ")"


def headline(table: pd.DataFrame, county: str, year: int) -> dict:
    """The one-sentence summary, e.g. ``2024年灵寿县19项目标中，达标9项、接近2项、落后5项、无数据3项。``"""
    c = status_counts(table)
    n = len(table)
    return {
        "zh": f"{year}年{county}{n}项目标中，达标{c['met']}项、接近{c['close']}项、落后{c['behind']}项、无数据{c['no_data']}项。",
        "en": f"Of {county}'s {n} plan targets in {year}, {c['met']} are met, {c['close']} close, "
              f"{c['behind']} behind and {c['no_data']} without data.",
    }


def describe_gaps(table: pd.DataFrame, by_unit: pd.DataFrame, plan: Plan, county: str, year: int,
                  close_pct: float = CLOSE_PCT, statuses=()) -> dict:
    """Texts that read the gap table in plain language, in both languages.

    Parameters
    ----------
    table, by_unit : DataFrame
        From :func:`analyse_gaps` and :func:`gap_by_unit`.
    plan : Plan
    county : str
    year : int
    close_pct : float
        The close band used (for the method note).
    statuses : iterable of str
        Data statuses of the values used (an illustrative note is added when present).

    Returns
    -------
    dict
        ``headline``, ``paragraphs`` and ``notes`` in the shape of :func:`lingshou.report.summary.write_summary`.
    """
    out = {"headline": headline(table, county, year), "paragraphs": {"zh": [], "en": []}, "notes": {"zh": [], "en": []}}
    for lang in ("zh", "en"):
        p = out["paragraphs"][lang]
        p.append(out["headline"][lang] + " " + plan.note(lang) if lang == "en" else out["headline"][lang] + plan.note(lang))
        for status, zh_intro, en_intro in (
                ("behind", "落后的目标：", "Behind: "),
                ("close", f"接近目标（差距在 {close_pct:g}% 以内）：", f"Close (within {close_pct:g}% of the target): "),
                ("no_data", "无法判断（无数据）：", "Without data: ")):
            sel = table[table["status"] == status]
            if sel.empty:
                continue
            if status == "no_data":
                items = [(r["name_zh"] + "（" + r["note_zh"] + "）") if lang == "zh" else (r["name_en"] + " (" + r["note_en"] + ")")
                         for _, r in sel.iterrows()]
            else:
                items = [_row_sentence(r, lang) for _, r in sel.iterrows()]
            p.append((zh_intro if lang == "zh" else en_intro) + _list(items, lang) + ("。" if lang == "zh" else "."))
        units = by_unit[by_unit["n_behind"] > 0]
        if len(units):
            items = [r["unit"] + f"（{r['n_behind']}项）" if lang == "zh" else r["unit_en"] + f" ({r['n_behind']})"
                     for _, r in units.sort_values(["n_behind", "unit"], ascending=[False, True]).iterrows()]
            p.append(("按部门，落后目标涉及：" if lang == "zh" else "By department, targets behind involve: ")
                     + ("、" if lang == "zh" else ", ").join(items) + ("。" if lang == "zh" else "."))
        mism = table[table["ratio_mismatch"].fillna(False).astype(bool)]
        if len(mism):
            names = [(r["name_zh"] if lang == "zh" else r["name_en"]) for _, r in mism.iterrows()]
            p.append(pick(lang, "报告的比值与其分子、分母不符（已采用计算值）：", "Reported ratios that disagree with their operands (computed values used): ")
                     + ("、" if lang == "zh" else ", ").join(names) + ("。" if lang == "zh" else "."))
    notes = out["notes"]
    notes["zh"].append(plan.note("zh"))
    notes["en"].append(plan.note("en"))
    notes["zh"].append(f"状态：实际值不低于目标为达标；低于目标但差距不超过目标的 {close_pct:g}% 为接近；否则为落后。"
                       "实际值取数据年份的数值（方案的2022年目标视为此后应保持的下限）。")
    notes["en"].append(f"Status: met when the actual is at or above the target; close when it falls short by at most "
                       f"{close_pct:g}% of the target; behind otherwise. The actual is the data year's value (the plan's "
                       "2022 levels are floors to keep).")
    notes["zh"].append(f"所需年均增速从最新实际值算起，到目标年份；目标年份已过而未达标的，按追赶年份（默认方案末年{plan.period[1]}年）计算。"
                       "趋势为有数据各年的年均复合增长率（首尾两年）。")
    notes["en"].append(f"Required growth runs from the latest actual to the target year; for a target whose year has passed "
                       f"unmet, to the catch-up year (default: the plan's end year, {plan.period[1]}). The trend is the CAGR "
                       "between the first and the last year with data.")
    notes["zh"].append("规则目标按每一年检查：企业研发经费取最弱一年的增速；财政科技支出须每年高于上一年。")
    notes["en"].append("Rule targets are checked year by year: enterprise R&D uses its weakest yearly growth; fiscal S&T "
                       "spending must exceed the year before every year.")
    if set(statuses) & {"illustrative"}:
        notes["zh"].append("数据含示例数据（非官方统计），结果仅作演示。")
        notes["en"].append("The data include illustrative values (not official statistics); results only demonstrate the method.")
    return out


# --------------------------------------------------------------------------------------------------
# What the notebook writes
# --------------------------------------------------------------------------------------------------

#: File names of the notebook's outputs (relative to its output folder).
GAP_TABLE_FILE = "tables/gap_analysis.csv"
UNIT_TABLE_FILE = "tables/gap_by_unit.csv"
ACHIEVEMENT_FIGURE_FILE = "figures/gap_achievement.png"
UNIT_FIGURE_FILE = "figures/gap_by_unit.png"
#: Default location of the benchmarking analysis' table inside an output folder.
BENCHMARK_TABLE_FILE = "tables/benchmark.csv"


def load_benchmark_grades(grades_file, out: str | Path, year: int) -> pd.DataFrame | None:
    """The benchmarking table for the grade and rank goals.

    Parameters
    ----------
    grades_file : path-like or None
        An explicit benchmarking table; ``None`` means ``<out>/tables/benchmark.csv`` when it exists
        (the benchmarking notebook ran into the same output folder).
    out : path-like
        The output folder.
    year : int
        Data year of rows without a ``year`` column.

    Returns
    -------
    DataFrame or None
        ``None`` when no benchmarking table exists (the goals are then "no data").

    Raises
    ------
    ParameterError
        When an explicit ``grades_file`` does not exist.
    """
    if grades_file not in (None, ""):
        if not Path(grades_file).is_file():
            raise ParameterError(bi(f"对标分析结果文件不存在：{grades_file}", f"grades_file does not exist: {grades_file}"))
        return load_grades(grades_file, year)
    return load_grades(Path(out) / BENCHMARK_TABLE_FILE, year)


def summary_parts(table: pd.DataFrame, by_unit: pd.DataFrame, county: str, year: int, lang: str = "zh") -> dict:
    """Figures, tables (with the columns the report prints, in ``lang``) and key numbers for
    :func:`lingshou.report.summary.write_summary`."""
    check_lang(lang)
    counts = status_counts(table)
    gap_cols = [f"name_{lang}", f"actual_text_{lang}", f"target_text_{lang}", f"status_{lang}",
                "required_annual_growth_pct", "lead_unit" if lang == "zh" else "lead_unit_en", "data_status"]
    gap_labels = {"zh": ["指标", "实际值", "目标", "状态", "所需年均增速(%)", "牵头单位", "数据状态"],
                  "en": ["Indicator", "Actual", "Target", "Status", "Required growth (%/yr)", "Lead unit", "Data status"]}
    unit_cols = ["unit" if lang == "zh" else "unit_en", "n_targets", "n_lead", "n_met", "n_close", "n_behind", "n_no_data"]
    unit_labels = {"zh": ["单位", "涉及目标", "牵头", "达标", "接近", "落后", "无数据"],
                   "en": ["Unit", "Targets", "Leads", "Met", "Close", "Behind", "No data"]}
    return {
        "figures": [
            {"file": ACHIEVEMENT_FIGURE_FILE,
             "caption": {"zh": f"{county}{year}年各项方案目标的完成度（颜色表示状态）",
                         "en": f"{county}: achievement of each plan target in {year} (colour = status)"}},
            {"file": UNIT_FIGURE_FILE,
             "caption": {"zh": f"{county}{year}年各部门牵头或参与目标的完成情况",
                         "en": f"{county}: status of the targets each department leads or shares, {year}"}},
        ],
        "tables": [
            {"file": GAP_TABLE_FILE, "caption": {"zh": "方案目标差距分析", "en": "Gap analysis of the plan targets"},
             "columns": gap_cols, "labels": gap_labels, "max_rows": len(table)},
            {"file": UNIT_TABLE_FILE, "caption": {"zh": "按部门汇总（督导台账）", "en": "By department (accountability table)"},
             "columns": unit_cols, "labels": unit_labels, "max_rows": len(by_unit)},
        ],
        "numbers": {"n_targets": int(len(table)), **{f"n_{k}": v for k, v in counts.items()},
                    "behind": table.loc[table["status"] == "behind", "id"].tolist(),
                    "close": table.loc[table["status"] == "close", "id"].tolist(),
                    "ratio_mismatch": table.loc[table["ratio_mismatch"].fillna(False).astype(bool), "id"].tolist()},
    }
