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
- The share is computed from its operands whenever both exist (:func:`lingshou.data.derive.derive_indicators`),
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

Modules: ``share`` (the targets, the share table, the budget projection and the spending needed), ``anchors``
(published national and provincial shares), ``text`` (prose), ``analysis`` (the whole analysis for the notebook).
"""
from __future__ import annotations

from lingshou.analysis.fiscal.analysis import (
    FISCAL_FIGURE_FILE,
    FISCAL_TABLE_FILE,
    NEEDED_TABLE_FILE,
    FiscalAnalysis,
    analyse_fiscal,
    summary_parts,
)
from lingshou.analysis.fiscal.anchors import load_anchors, share_anchors
from lingshou.analysis.fiscal.share import (
    ANCHOR_FILE,
    BINDING_TEXT,
    BUDGET,
    BUDGET_METHODS,
    COMPARABLE_ANCHORS,
    EXPENDITURE,
    FISCAL_COLUMNS,
    NEEDED_COLUMNS,
    PROJECTED_STATUS,
    SCENARIO_TEXT,
    SHARE,
    FiscalTargets,
    check_budget_projection,
    fiscal_share_table,
    fiscal_targets,
    increase_record,
    needed_spending,
    project_budget,
)
from lingshou.analysis.fiscal.text import describe_fiscal, scenario_label

__all__ = ['EXPENDITURE', 'BUDGET', 'SHARE', 'FISCAL_COLUMNS', 'NEEDED_COLUMNS', 'BUDGET_METHODS', 'SCENARIO_TEXT', 'BINDING_TEXT', 'ANCHOR_FILE', 'COMPARABLE_ANCHORS', 'PROJECTED_STATUS', 'FiscalTargets', 'fiscal_targets', 'fiscal_share_table', 'increase_record', 'check_budget_projection', 'project_budget', 'needed_spending', 'load_anchors', 'share_anchors', 'describe_fiscal', 'scenario_label', 'FISCAL_TABLE_FILE', 'NEEDED_TABLE_FILE', 'FISCAL_FIGURE_FILE', 'FiscalAnalysis', 'analyse_fiscal', 'summary_parts']
