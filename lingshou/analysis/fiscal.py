"""Fiscal S&T share: the lever the county controls directly (task 4 of the plan).

Share = fiscal S&T expenditure ÷ general public budget expenditure × 100, by year, against the plan's
targets (灵寿县: 0.52 % and 1500 万元 in 2022, and spending rising every year, 逐年递增); and the spending
needed next year to reach a target share under a budget projection.

Units
-----
- Money: 万元 (the catalogue's canonical unit; values are converted at ingestion).
- Shares: percent of general public budget expenditure (``0.52`` means 0.52 %).
- Growth and changes: percent per year.

Method choices
--------------
- The share is computed from its operands whenever both exist (:func:`lingshou.analysis.gap.derive_indicators`),
  else the reported share is used; a reported share that disagrees with its operands beyond rounding is
  flagged (``share_mismatch``).  A row's ``data_status`` is the weakest status of its values.
- "Increased" means strictly above the year before (a flat year is not an increase); a year whose
  spending or the year before is missing is unknown (``<NA>``).
- Budget projections for the year after the data year: ``flat`` = the data year's budget; ``trend`` = the
  data year's budget grown by the budget's CAGR over the years with data (first and last year, as in the
  gap analysis); a number = a given budget in 万元.
- Spending required next year = the largest of: the spending that gives the target share under the
  projected budget, the plan's spending level (1500 万元), and the current spending (逐年递增: it must rise).
  ``binding`` names the constraint that sets it (``share``, ``level`` or ``increase``; with ``increase``
  any amount above the current spending satisfies the plan).
- Comparison lines: only anchors of the same concept (local fiscal S&T spending over local budget
  spending) found in ``data/raw/anchors/``; each is labelled with its region, year and scope.  The bundled
  anchors hold no provincial or city share, only an old national one; nothing is invented.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lingshou.analysis.gap import DERIVED_ABS_TOL, DERIVED_REL_TOL, cagr_pct, derive_indicators, weakest_status
from lingshou.config import DataFolder, data_folder
from lingshou.data.catalogue import Catalogue
from lingshou.errors import AnalysisError, DataError, ParameterError
from lingshou.i18n import bi, check_lang
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
                  "scenario_zh", "scenario_en", "binding_zh", "binding_en"]
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
        })
    return pd.DataFrame(rows, columns=NEEDED_COLUMNS)


# --------------------------------------------------------------------------------------------------
# Anchors
# --------------------------------------------------------------------------------------------------

def load_anchors(data_dir=None) -> pd.DataFrame:
    """The anchor table (published province, city and national figures) of a data folder.

    Raises
    ------
    DataError
        If the file lacks a required column.
    """
    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    path = folder.reference(ANCHOR_FILE)
    df = pd.read_csv(path, encoding="utf-8-sig", dtype={"county": "str", "indicator": "str", "unit": "str"})
    missing = [c for c in ("county", "year", "indicator", "value", "unit") if c not in df.columns]
    if missing:
        raise DataError(bi(f"锚点表 {path} 缺少列 {missing}", f"anchor table {path} lacks columns {missing}"))
    return df


_SCOPES = {"national": ("全国口径", "national"), "province": ("省级口径", "provincial"),
           "city": ("市级口径", "city"), "other": ("其他口径", "other scope")}


def share_anchors(anchors: pd.DataFrame) -> pd.DataFrame:
    """The anchors comparable with a county's fiscal S&T share, with labels.

    Parameters
    ----------
    anchors : DataFrame
        From :func:`load_anchors`.

    Returns
    -------
    DataFrame
        ``region, indicator, year, value`` (percent), ``scope`` (national / province / city / other),
        ``label_zh``, ``label_en``, ``source_url``, ``note``; sorted by year.
    """
    sel = anchors[anchors["indicator"].isin(COMPARABLE_ANCHORS) & (anchors["unit"] == "%") & anchors["year"].notna()]
    region = sel["county"].astype(str)
    scope = np.select([region == "全国", region.str.endswith("省"), region.str.endswith("市")],
                      ["national", "province", "city"], default="other")
    out = pd.DataFrame({
        "region": region.to_numpy(), "indicator": sel["indicator"].to_numpy(), "year": sel["year"].astype("int64").to_numpy(),
        "value": sel["value"].astype(float).to_numpy(), "scope": scope,
        "source_url": sel["source_url"].to_numpy() if "source_url" in sel.columns else "",
        "note": sel["note"].fillna("").to_numpy() if "note" in sel.columns else "",
    })
    out["label_zh"] = [f"{r}{i} {v:g}%（{y}年，{_SCOPES[s][0]}，非县级）"
                       for r, i, v, y, s in zip(out["region"], out["indicator"], out["value"], out["year"], out["scope"])]
    out["label_en"] = [f"{'National' if s == 'national' else r} local fiscal S&T share {v:g}% ({y}, {_SCOPES[s][1]}, not county)"
                       for r, v, y, s in zip(out["region"], out["value"], out["year"], out["scope"])]
    return out.sort_values("year", ignore_index=True)


# --------------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------------

def _years(years: list[int], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(str(y) for y in years)


def describe_fiscal(table: pd.DataFrame, needs: pd.DataFrame | None, targets: FiscalTargets, plan: Plan, county: str,
                    anchors: pd.DataFrame | None = None, anchors_shown: bool = False, statuses=(),
                    problems: dict | None = None) -> dict:
    """Texts that read the fiscal numbers in plain language, in both languages.

    Parameters
    ----------
    table : DataFrame
        From :func:`fiscal_share_table`.
    needs : DataFrame or None
        From :func:`needed_spending` (None when it could not be computed).
    targets : FiscalTargets
    plan : Plan
    county : str
    anchors : DataFrame, optional
        From :func:`share_anchors`: the comparable anchors available.
    anchors_shown : bool, default False
        Whether the figure draws them as comparison lines.
    statuses : iterable of str
        Data statuses of the values used.
    problems : dict, optional
        ``{"zh": [...], "en": [...]}``: what could not be computed (from :func:`analyse_fiscal`).

    Returns
    -------
    dict
        ``headline``, ``paragraphs``, ``notes`` in the shape of :func:`lingshou.report.summary.write_summary`.
    """
    last = table.iloc[-1]
    year = int(last["year"])
    spend, share = float(last[EXPENDITURE]), float(last["share_pct"])
    ts, te = targets.share_pct, targets.expenditure
    zh, en = [], []
    spend_zh = "地方财政科技支出无数据" if math.isnan(spend) else f"地方财政科技支出 {spend:,.1f} 万元"
    spend_en = "fiscal S&T expenditure is missing" if math.isnan(spend) else f"fiscal S&T expenditure was {spend:,.1f} ×10k yuan"
    if math.isnan(share):
        share_zh, share_en = "占比无法计算（缺少数据）", "the share cannot be computed (missing data)"
    else:
        share_zh = f"占一般公共预算支出的 {share:.2f}%"
        share_en = f"{share:.2f}% of general public budget expenditure"
        if not math.isnan(ts):
            ok = share >= ts * (1 - _TOL)
            share_zh += f"，{'达到' if ok else '低于'} {ts:g}% 的目标"
            share_en += f", {'meeting' if ok else 'below'} the {ts:g}% target"
    head_zh = f"{year}年{county}{spend_zh}，{share_zh}"
    head_en = f"In {year}, {county}'s {spend_en}, {share_en}"
    rec = None
    if targets.increase_from is not None:
        rec = increase_record(table, targets.increase_from, targets.increase_to)
        if rec["all_rose"] is True:
            head_zh += f"；{targets.increase_from}年以来逐年递增"
            head_en += f"; it has risen every year since {targets.increase_from}"
        elif rec["all_rose"] is False:
            head_zh += f"；{_years(rec['fell_or_flat'], 'zh')}年未比上年增加"
            head_en += f"; it did not rise in {_years(rec['fell_or_flat'], 'en')}"
    headline = {"zh": head_zh + "。", "en": head_en + "."}
    zh.append(headline["zh"] + plan.note("zh"))
    en.append(headline["en"] + " " + plan.note("en"))
    if not math.isnan(te) and not math.isnan(spend):
        ok = spend >= te * (1 - _TOL)
        zh.append(f"支出{'已达到' if ok else '尚未达到'} {te:,.0f} 万元的目标（{targets.expenditure_year}年目标），"
                  f"{'超出' if ok else '相差'} {abs(spend - te):,.1f} 万元。")
        en.append(f"Spending is {abs(spend - te):,.1f} ×10k yuan {'above' if ok else 'below'} the {te:,.0f} ×10k yuan target "
                  f"(due {targets.expenditure_year}).")
    if rec is not None and rec["unknown"]:
        zh.append(f"{_years(rec['unknown'], 'zh')}年缺少数据，无法判断是否比上年增加。")
        en.append(f"Whether spending rose in {_years(rec['unknown'], 'en')} cannot be told (missing data).")
    if needs is not None and len(needs):
        for _, r in needs.iterrows():
            sc_zh, sc_en = SCENARIO_TEXT["zh"][r["scenario"]], SCENARIO_TEXT["en"][r["scenario"]]
            base_zh = (f"{sc_zh}（{int(r['next_year'])}年一般公共预算支出 {r['budget_projected']:,.1f} 万元，"
                       f"{r['budget_growth_pct']:+.1f}%）：占比达到 {r['target_share_pct']:g}% 需科技支出 {r['spending_for_share']:,.1f} 万元")
            base_en = (f"With a {sc_en} ({int(r['next_year'])} budget {r['budget_projected']:,.1f} ×10k yuan, "
                       f"{r['budget_growth_pct']:+.1f}%), a {r['target_share_pct']:g}% share needs {r['spending_for_share']:,.1f} ×10k yuan of S&T spending")
            if r["binding"] == "increase":
                zh.append(base_zh + f"，低于{year}年的 {r['spending_latest']:,.1f} 万元；按逐年递增要求，只需高于该数。")
                en.append(base_en + f", less than the {r['spending_latest']:,.1f} ×10k yuan of {year}; rising every year only "
                          "requires more than that.")
            else:
                why_zh = "" if r["binding"] == "share" else f"（受 {r['target_expenditure']:,.0f} 万元支出目标约束）"
                why_en = "" if r["binding"] == "share" else f" (set by the {r['target_expenditure']:,.0f} ×10k yuan spending target)"
                zh.append(base_zh + f"；所需支出 {r['spending_required']:,.1f} 万元{why_zh}，比{year}年增加 "
                          f"{r['increase']:,.1f} 万元（{r['increase_pct']:+.1f}%）。")
                en.append(base_en + f"; {r['spending_required']:,.1f} ×10k yuan is required{why_en}, {r['increase']:,.1f} ×10k yuan "
                          f"({r['increase_pct']:+.1f}%) more than in {year}.")
    if problems:
        zh.extend(problems.get("zh", []))
        en.extend(problems.get("en", []))
    notes = {"zh": [plan.note("zh")], "en": [plan.note("en")]}
    notes["zh"].append("占比 = 地方财政科技支出 ÷ 一般公共预算支出 × 100；两项都有数据时由其计算，否则采用报告的占比。")
    notes["en"].append("Share = fiscal S&T expenditure ÷ general public budget expenditure × 100, computed from the two "
                       "when both exist, else the reported share.")
    notes["zh"].append("预算趋势为一般公共预算支出各年数据首尾两年的年均复合增长率，延续一年。")
    notes["en"].append("The budget trend is the CAGR of general budget expenditure between its first and last year, continued one year.")
    mism = table[table["share_mismatch"].fillna(False).astype(bool)]
    if len(mism):
        notes["zh"].append(f"{_years(mism['year'].tolist(), 'zh')}年报告的占比与支出、预算不符（超出舍入误差），已采用计算值。")
        notes["en"].append(f"The reported share of {_years(mism['year'].tolist(), 'en')} disagrees with spending and budget "
                           "(beyond rounding); the computed share is used.")
    have = anchors if anchors is not None else pd.DataFrame(columns=["scope", "label_zh", "label_en", "source_url"])
    if not (have["scope"].isin(["province", "city"])).any():
        notes["zh"].append("锚点数据中没有省、市一级的地方财政科技支出占比。")
        notes["en"].append("The anchors hold no provincial or city fiscal S&T share.")
    if len(have):
        src = "；".join(f"{lz}，来源 {u}" for lz, u in zip(have["label_zh"], have["source_url"]))
        src_en = "; ".join(f"{le}, source {u}" for le, u in zip(have["label_en"], have["source_url"]))
        if anchors_shown:
            notes["zh"].append(f"图中对照线：{src}。均非本县数据，年代久远，仅作背景参照，不是目标。")
            notes["en"].append(f"Comparison lines in the figure: {src_en}. None is a county figure; they are dated and "
                               "shown for context only, not as targets.")
        else:
            notes["zh"].append(f"可比的只有：{src}。非本县数据且年代久远，未画入图中（参数 show_anchors=True 可画出）。")
            notes["en"].append(f"The only comparable anchors: {src_en}. Not county figures and dated: not drawn "
                               "(show_anchors=True draws them).")
    if "illustrative" in set(statuses):
        notes["zh"].append("数据含示例数据（非官方统计），结果仅作演示。")
        notes["en"].append("The data include illustrative values (not official statistics); results only demonstrate the method.")
    return {"headline": headline, "paragraphs": {"zh": zh, "en": en}, "notes": notes}


def scenario_label(scenario: str, lang: str = "zh") -> str:
    """Name of a budget scenario in the requested language."""
    return SCENARIO_TEXT[check_lang(lang)][scenario]


# --------------------------------------------------------------------------------------------------
# The whole analysis, for the notebook
# --------------------------------------------------------------------------------------------------

#: File names of the notebook's outputs (relative to its output folder).
FISCAL_TABLE_FILE = "tables/fiscal_share.csv"
NEEDED_TABLE_FILE = "tables/fiscal_needed.csv"
FISCAL_FIGURE_FILE = "figures/fiscal_share.png"


@dataclass(frozen=True)
class FiscalAnalysis:
    """Everything the fiscal notebook shows.

    Attributes
    ----------
    table : DataFrame
        :func:`fiscal_share_table`.
    needs : DataFrame
        :func:`needed_spending` (empty when it cannot be computed; ``problems`` says why).
    targets : FiscalTargets
    anchors : DataFrame
        :func:`share_anchors` (the comparable anchors available).
    problems : dict
        ``{"zh": [...], "en": [...]}``: what could not be computed.
    """

    table: pd.DataFrame
    needs: pd.DataFrame
    targets: FiscalTargets
    anchors: pd.DataFrame
    problems: dict


def analyse_fiscal(data: pd.DataFrame, catalogue: Catalogue, plan: Plan, county: str, year: int, *,
                   target_share_pct: float | None = None, budget_projection="trend",
                   anchors: pd.DataFrame | None = None) -> FiscalAnalysis:
    """Share table, next year's required spending and the comparable anchors.

    Parameters
    ----------
    data, catalogue, plan, county, year
        As for :func:`fiscal_share_table`; the targets come from ``plan``.
    target_share_pct : float, optional
        Target share for next year's spending (default: the plan's share target).
    budget_projection : {'flat', 'trend'} or float, default 'trend'
    anchors : DataFrame, optional
        The anchor table (:func:`load_anchors`); default none.

    Raises
    ------
    AnalysisError
        If the county has no fiscal S&T value up to ``year``, or neither a target share is given nor the
        plan has one.
    ParameterError
        On an invalid target share or budget projection.
    """
    targets = fiscal_targets(plan, catalogue)
    check_budget_projection(budget_projection)
    share = targets.share_pct if target_share_pct is None else target_share_pct
    if share is None or (isinstance(share, float) and math.isnan(share)):
        raise AnalysisError(bi("方案中没有财政科技支出占比目标，请给出 target_share_pct",
                               "the plan has no fiscal S&T share target: pass target_share_pct"))
    table = fiscal_share_table(data, catalogue, county, year, targets)
    problems = {"zh": [], "en": []}
    try:
        needs = needed_spending(table, share, budget_projection,
                                None if math.isnan(targets.expenditure) else targets.expenditure)
    except AnalysisError as exc:
        zh, _, en = str(exc).partition(" / ")
        problems["zh"].append(zh)
        problems["en"].append(en or zh)
        needs = pd.DataFrame(columns=NEEDED_COLUMNS)
    comparable = share_anchors(anchors) if anchors is not None else share_anchors(pd.DataFrame(
        columns=["county", "year", "indicator", "value", "unit", "source_url", "note"]))
    return FiscalAnalysis(table=table, needs=needs, targets=targets, anchors=comparable, problems=problems)


def summary_parts(result: FiscalAnalysis, county: str, lang: str = "zh") -> dict:
    """Figures, tables (columns the report prints) and key numbers for :func:`lingshou.report.summary.write_summary`."""
    check_lang(lang)
    t = result.table
    last = t.iloc[-1]
    rec = (increase_record(t, result.targets.increase_from, result.targets.increase_to)
           if result.targets.increase_from is not None else None)
    chosen = result.needs[result.needs["chosen"].astype(bool)] if len(result.needs) else result.needs
    return {
        "figures": [{"file": FISCAL_FIGURE_FILE,
                     "caption": {"zh": f"{county}地方财政科技支出及其占一般公共预算支出的比重（虚线为方案目标）",
                                 "en": f"{county}: fiscal S&T expenditure and its share of general budget expenditure "
                                       "(dashed: plan targets)"}}],
        "tables": [
            {"file": FISCAL_TABLE_FILE, "caption": {"zh": "地方财政科技支出及占比", "en": "Fiscal S&T expenditure and share"},
             "columns": ["year", EXPENDITURE, BUDGET, "share_pct", "increased_vs_prior_year", "data_status"],
             "labels": {"zh": ["年份", "科技支出(万元)", "一般公共预算支出(万元)", "占比(%)", "比上年增加", "数据状态"],
                        "en": ["Year", "S&T spending (10k yuan)", "Budget (10k yuan)", "Share (%)", "Rose", "Data status"]},
             "max_rows": len(t)},
            {"file": NEEDED_TABLE_FILE, "caption": {"zh": "下一年所需科技支出", "en": "Spending required next year"},
             "columns": [f"scenario_{lang}", "budget_projected", "spending_for_share", "spending_required", "increase",
                         f"binding_{lang}"],
             "labels": {"zh": ["预算情景", "预计预算(万元)", "达到占比所需(万元)", "所需支出(万元)", "需增加(万元)", "约束"],
                        "en": ["Budget scenario", "Budget (10k yuan)", "For the share (10k yuan)", "Required (10k yuan)",
                               "Increase (10k yuan)", "Binding"]},
             "max_rows": len(result.needs)},
        ],
        "numbers": {
            "year": int(last["year"]), "fiscal_st_expenditure": float(last[EXPENDITURE]),
            "general_budget_expenditure": float(last[BUDGET]), "share_pct": float(last["share_pct"]),
            "target_share_pct": float(result.targets.share_pct), "target_expenditure": float(result.targets.expenditure),
            "rose_every_year": None if rec is None else rec["all_rose"],
            "spending_required_next_year": float(chosen["spending_required"].iloc[0]) if len(chosen) else None,
            "increase_next_year": float(chosen["increase"].iloc[0]) if len(chosen) else None,
        },
    }
