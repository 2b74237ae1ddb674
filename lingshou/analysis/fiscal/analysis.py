"""The whole fiscal analysis for the notebook: tables, texts and the parts of its summary.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from lingshou.analysis.fiscal.anchors import share_anchors
from lingshou.analysis.fiscal.share import (
    BUDGET,
    EXPENDITURE,
    NEEDED_COLUMNS,
    FiscalTargets,
    check_budget_projection,
    fiscal_share_table,
    fiscal_targets,
    increase_record,
    needed_spending,
)
from lingshou.data.catalogue import Catalogue
from lingshou.errors import AnalysisError
from lingshou.i18n import bi, check_lang
from lingshou.plan.targets import Plan

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
             "columns": [f"scenario_{lang}", "budget_projected", "spending_for_share", f"required_text_{lang}",
                         f"increase_text_{lang}", f"binding_{lang}"],
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
