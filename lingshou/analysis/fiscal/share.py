"""The fiscal S&T share: the plan's targets, the yearly table, the budget projection and the spending the
targets need.

Money in 万元, shares in percent of the general public budget expenditure.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lingshou.analysis.gap import cagr_pct, weakest_status
from lingshou.data.catalogue import Catalogue
from lingshou.data.derive import DERIVED_ABS_TOL, DERIVED_REL_TOL, derive_indicators
from lingshou.errors import AnalysisError, DataError, ParameterError
from lingshou.i18n import bi
from lingshou.plan.targets import Plan

EXPENDITURE = "fiscal_st_expenditure"
BUDGET = "general_budget_expenditure"
SHARE = "fiscal_st_share"
#: Columns of :func:`fiscal_share_table`, in order.
FISCAL_COLUMNS = ["year", "fiscal_st_expenditure", "general_budget_expenditure", "share_pct", "share_reported_pct",
                  "share_mismatch", "target_share_pct", "target_expenditure", "meets_share_target",
                  "meets_expenditure_target", "change", "change_pct", "increased_vs_prior_year", "data_status"]
#: Columns of :func:`needed_spending`, in order.
NEEDED_COLUMNS = ["scenario", "chosen", "next_year", "budget_latest", "budget_growth_pct", "budget_projected",
                  "target_share_pct", "spending_latest", "spending_for_share", "target_expenditure",
                  "spending_required", "increase", "increase_pct", "binding", "data_status",
                  "scenario_zh", "scenario_en", "binding_zh", "binding_en", "required_text_zh", "required_text_en",
                  "increase_text_zh", "increase_text_en"]
BUDGET_METHODS = ("flat", "trend")
SCENARIO_TEXT = {
    "zh": {"flat": "预算持平", "trend": "预算按趋势增长", "given": "给定预算"},
    "en": {"flat": "flat budget", "trend": "budget on trend", "given": "given budget"},
}
BINDING_TEXT = {
    "zh": {"share": "占比目标", "level": "支出目标", "increase": "比上年增加"},
    "en": {"share": "share target", "level": "spending target", "increase": "rise over prior year"},
}
#: The anchor file and the indicator names (as written there) that mean the same as the county share.
ANCHOR_FILE = "anchors/anchors_hebei_national.csv"
COMPARABLE_ANCHORS = ("地方财政科技拨款占地方财政支出比重", "地方财政科技支出占公共财政支出的比重",
                      "地方财政科技支出占一般公共预算支出比重")
PROJECTED_STATUS = "projected"
#: Slack when comparing a share with its target (a share computed as 1500/288461.5*100 is 0.52000007).
_TOL = 1e-9


@dataclass(frozen=True)
class FiscalTargets:
    """The plan's fiscal targets (NaN / None when the plan has none).

    Attributes
    ----------
    share_pct : float
        Target share, percent.
    share_year : int or None
    expenditure : float
        Target spending, 万元.
    expenditure_year : int or None
    increase_from, increase_to : int or None
        Years of the 逐年递增 rule.
    """

    share_pct: float = math.nan
    share_year: int | None = None
    expenditure: float = math.nan
    expenditure_year: int | None = None
    increase_from: int | None = None
    increase_to: int | None = None


def fiscal_targets(plan: Plan, catalogue: Catalogue) -> FiscalTargets:
    """The fiscal targets of a plan, in canonical units (%, 万元).

    Raises
    ------
    DataError
        If a target's unit cannot be converted to the indicator's unit.
    """
    t = plan.targets
    out = {}
    for code, key in ((SHARE, "share"), (EXPENDITURE, "expenditure")):
        rows = t[(t["indicator"] == code) & (t["type"] == "level")]
        if len(rows):
            r = rows.iloc[0]
            factor = 1.0
            if isinstance(r["unit"], str) and r["unit"] and r["unit"] != catalogue.canonical_unit(code):
                factor = catalogue.unit_factor(r["unit"], code)
                if factor is None:
                    raise DataError(bi(f"方案目标 {r['id']} 的单位 {r['unit']!r} 无法换算为 {catalogue.canonical_unit(code)!r}",
                                       f"plan target {r['id']}: unit {r['unit']!r} cannot be converted to "
                                       f"{catalogue.canonical_unit(code)!r}"))
            out[f"{key}_pct" if key == "share" else key] = float(r["target"]) * factor
            out[f"{key}_year"] = int(r["target_year"])
    inc = t[(t["indicator"] == EXPENDITURE) & (t["type"] == "increase")]
    if len(inc):
        out["increase_from"], out["increase_to"] = int(inc.iloc[0]["start_year"]), int(inc.iloc[0]["end_year"])
    return FiscalTargets(**out)


def fiscal_share_table(data: pd.DataFrame, catalogue: Catalogue, county: str, year: int,
                       targets: FiscalTargets | None = None, *, abs_tol: float = DERIVED_ABS_TOL,
                       rel_tol: float = DERIVED_REL_TOL) -> pd.DataFrame:
    """Fiscal S&T spending, the budget and the share by year, up to ``year``, against the targets.

    Parameters
    ----------
    data : DataFrame
        Tidy statistics (any counties; canonical units).
    catalogue : Catalogue
    county : str
    year : int
        Data year (the last row).
    targets : FiscalTargets, optional
        Default: none (target columns NaN).
    abs_tol, rel_tol : float
        Tolerance of the reported-versus-computed share check (percentage points; relative).

    Returns
    -------
    DataFrame
        :data:`FISCAL_COLUMNS`, one row per year with any fiscal value.  ``share_pct`` is computed
        from the operands where both exist; ``share_reported_pct`` is the reported share (if any);
        ``change`` (万元) and ``change_pct`` are against the year before; boolean columns are nullable.

    Raises
    ------
    AnalysisError
        If the county has no fiscal S&T value (spending or share) up to ``year``.
    """
    targets = targets or FiscalTargets()
    mine = data[(data["county"] == county) & (data["year"] <= year) & data["value"].notna()]
    fiscal = mine[mine["indicator"].isin([EXPENDITURE, BUDGET, SHARE])]
    if not fiscal["indicator"].isin([EXPENDITURE, SHARE]).any():
        raise AnalysisError(bi(f"{county} 截至{year}年没有地方财政科技支出或其占比的数据",
                               f"{county} has no fiscal S&T expenditure or share up to {year}"))
    years = pd.Index(sorted(int(y) for y in fiscal["year"].unique()), name="year")
    keyed = fiscal.set_index(["year", "indicator"])
    values = keyed["value"].unstack("indicator").reindex(index=years, columns=[EXPENDITURE, BUDGET, SHARE])
    status = keyed["status"].unstack("indicator").reindex(index=years, columns=[EXPENDITURE, BUDGET, SHARE])
    derived = derive_indicators(mine, catalogue, abs_tol=abs_tol, rel_tol=rel_tol)
    share = derived[derived["indicator"] == SHARE].set_index("year").reindex(years)
    spend = values[EXPENDITURE]
    prev = spend.reindex(years - 1).to_numpy()
    change = spend.to_numpy() - prev
    increased = pd.array(np.where(np.isnan(change), None, change > 0), dtype="boolean")
    share_pct = share["value"].to_numpy(dtype=float)
    row_status = [weakest_status([status.at[y, EXPENDITURE], status.at[y, BUDGET], share.at[y, "status"]]) for y in years]
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where(prev > 0, 100.0 * change / prev, np.nan)
    out = pd.DataFrame({
        "year": years.to_numpy(dtype="int64"),
        EXPENDITURE: spend.to_numpy(dtype=float),
        BUDGET: values[BUDGET].to_numpy(dtype=float),
        "share_pct": share_pct,
        "share_reported_pct": values[SHARE].to_numpy(dtype=float),
        "share_mismatch": share["ratio_mismatch"].eq(True).to_numpy(dtype=bool),
        "target_share_pct": float(targets.share_pct),
        "target_expenditure": float(targets.expenditure),
        "meets_share_target": _meets(share_pct, targets.share_pct),
        "meets_expenditure_target": _meets(spend.to_numpy(dtype=float), targets.expenditure),
        "change": change,
        "change_pct": change_pct,
        "increased_vs_prior_year": increased,
        "data_status": row_status,
    })
    return out[FISCAL_COLUMNS]


def _meets(values: np.ndarray, target: float) -> pd.arrays.BooleanArray:
    ok = ~np.isnan(values) & (not math.isnan(target))
    return pd.array(np.where(ok, values >= target * (1 - _TOL), None), dtype="boolean")


def increase_record(table: pd.DataFrame, start_year: int, end_year: int | None = None) -> dict:
    """Whether spending rose over the year before in every year from ``start_year`` on.

    Parameters
    ----------
    table : DataFrame
        From :func:`fiscal_share_table`.
    start_year : int
        First year of the rule (the plan's 2022).
    end_year : int, optional
        Last year of the rule (default: the table's last year).

    Returns
    -------
    dict
        ``years`` checked, ``rose``, ``fell_or_flat``, ``unknown`` (lists of years) and ``all_rose``:
        True, False, or None when no year is known or an unknown year leaves it open.
    """
    last = int(table["year"].max())
    end = last if end_year is None else min(int(end_year), last)
    years = list(range(int(start_year), end + 1))
    inc = table.set_index("year")["increased_vs_prior_year"].reindex(years)
    rose = [y for y in years if pd.notna(inc.loc[y]) and bool(inc.loc[y])]
    fell = [y for y in years if pd.notna(inc.loc[y]) and not bool(inc.loc[y])]
    unknown = [y for y in years if pd.isna(inc.loc[y])]
    all_rose = False if fell else (None if unknown or not years else True)
    return {"years": years, "rose": rose, "fell_or_flat": fell, "unknown": unknown, "all_rose": all_rose}


def check_budget_projection(value) -> str | float:
    """``'flat'``, ``'trend'`` or a positive budget in 万元.

    Raises
    ------
    ParameterError
        Otherwise.
    """
    if value in BUDGET_METHODS:
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0:
        return float(value)
    raise ParameterError(bi(f"budget_projection 应为 'flat'、'trend' 或正数（万元），实际为 {value!r}",
                            f"budget_projection must be 'flat', 'trend' or a positive amount (万元), got {value!r}"))


def project_budget(table: pd.DataFrame, projection="trend") -> dict:
    """The general budget of the year after the table's last year.

    Parameters
    ----------
    table : DataFrame
        From :func:`fiscal_share_table` (its last year is the data year).
    projection : {'flat', 'trend'} or float
        See the module notes; a number is the budget itself (万元).

    Returns
    -------
    dict
        ``scenario`` (flat / trend / given), ``next_year``, ``latest`` (万元, data year), ``growth_pct``,
        ``projected`` (万元).

    Raises
    ------
    ParameterError
        On an invalid ``projection``.
    AnalysisError
        Without a budget in the data year, or (``trend``) with fewer than two budget years.
    """
    projection = check_budget_projection(projection)
    year = int(table["year"].max())
    budget = table.set_index("year")[BUDGET]
    latest = float(budget.loc[year])
    if math.isnan(latest):
        raise AnalysisError(bi(f"{year}年没有一般公共预算支出数据，无法推算下一年所需的科技支出",
                               f"no general budget expenditure for {year}: next year's required spending cannot be computed"))
    if projection == "flat":
        growth, projected, scenario = 0.0, latest, "flat"
    elif projection == "trend":
        growth = cagr_pct(budget)
        if math.isnan(growth):
            raise AnalysisError(bi("一般公共预算支出不足两年数据，无法按趋势推算",
                                   "the general budget has fewer than two years of data: no trend projection"))
        projected, scenario = latest * (1 + growth / 100.0), "trend"
    else:
        projected, scenario = float(projection), "given"
        growth = 100.0 * (projected / latest - 1.0)
    return {"scenario": scenario, "next_year": year + 1, "latest": latest, "growth_pct": growth, "projected": projected}


def needed_spending(table: pd.DataFrame, target_share_pct: float, budget_projection="trend",
                    target_expenditure: float | None = None) -> pd.DataFrame:
    """Spending needed next year to reach a target share, under flat, trend (and a given) budget.

    Parameters
    ----------
    table : DataFrame
        From :func:`fiscal_share_table`; its last year is the data year.
    target_share_pct : float
        Target share, percent (0.52 means 0.52 %).
    budget_projection : {'flat', 'trend'} or float, default 'trend'
        The scenario marked ``chosen``; a number adds a ``given`` scenario with that budget (万元).
    target_expenditure : float, optional
        The plan's spending level (万元), a floor on the spending required.

    Returns
    -------
    DataFrame
        :data:`NEEDED_COLUMNS`, one row per scenario (flat, trend when computable, given).  Money in 万元,
        growth and increase in percent.

    Raises
    ------
    ParameterError
        On a target share outside (0, 100] or an invalid projection.
    AnalysisError
        Without spending or budget in the data year.
    """
    if isinstance(target_share_pct, bool) or not isinstance(target_share_pct, (int, float)) or not 0 < target_share_pct <= 100:
        raise ParameterError(bi(f"target_share_pct 应为 (0, 100] 之间的百分数，实际为 {target_share_pct!r}",
                                f"target_share_pct must be a percentage in (0, 100], got {target_share_pct!r}"))
    chosen = check_budget_projection(budget_projection)
    year = int(table["year"].max())
    spend = float(table.set_index("year").loc[year, EXPENDITURE])
    if math.isnan(spend):
        raise AnalysisError(bi(f"{year}年没有地方财政科技支出数据", f"no fiscal S&T expenditure for {year}"))
    scenarios = [project_budget(table, "flat")]
    try:
        scenarios.append(project_budget(table, "trend"))
    except AnalysisError:
        if chosen == "trend":
            raise
    if not isinstance(chosen, str):
        scenarios.append(project_budget(table, chosen))
    level = math.nan if target_expenditure is None else float(target_expenditure)
    rows = []
    for sc in scenarios:
        for_share = sc["projected"] * target_share_pct / 100.0
        candidates = {"share": for_share, "level": level}
        binding = max((k for k in candidates if not math.isnan(candidates[k])), key=candidates.__getitem__)
        required = candidates[binding]
        if required <= spend:
            binding, required = "increase", spend
        rows.append({
            "scenario": sc["scenario"], "chosen": sc["scenario"] == (chosen if isinstance(chosen, str) else "given"),
            "next_year": sc["next_year"], "budget_latest": sc["latest"], "budget_growth_pct": sc["growth_pct"],
            "budget_projected": sc["projected"], "target_share_pct": float(target_share_pct), "spending_latest": spend,
            "spending_for_share": for_share, "target_expenditure": level, "spending_required": required,
            "increase": required - spend, "increase_pct": 100.0 * (required - spend) / spend if spend > 0 else math.nan,
            "binding": binding, "data_status": PROJECTED_STATUS,
            "scenario_zh": SCENARIO_TEXT["zh"][sc["scenario"]], "scenario_en": SCENARIO_TEXT["en"][sc["scenario"]],
            "binding_zh": BINDING_TEXT["zh"][binding], "binding_en": BINDING_TEXT["en"][binding],
            # 逐年递增 needs MORE than last year: "an increase of 0" would read as enough
            **_needed_texts(binding, required, required - spend),
        })
    return pd.DataFrame(rows, columns=NEEDED_COLUMNS)


def _needed_texts(binding: str, required: float, increase: float) -> dict:
    """The spending required and its increase as printed: a number, or — when only 逐年递增 binds — "more than"."""
    if binding == "increase":
        return {"required_text_zh": f"高于 {required:,.1f}", "required_text_en": f"more than {required:,.1f}",
                "increase_text_zh": "大于 0（逐年递增）", "increase_text_en": "above 0 (rising every year)"}
    return {"required_text_zh": f"{required:,.1f}", "required_text_en": f"{required:,.1f}",
            "increase_text_zh": f"{increase:,.1f}", "increase_text_en": f"{increase:,.1f}"}
