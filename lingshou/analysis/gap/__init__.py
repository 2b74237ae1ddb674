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
  (:func:`lingshou.data.derive.derive_indicators`); the computed value wins over a reported ratio, whose disagreement beyond
  rounding (``abs_tol`` + ``rel_tol`` × value) is flagged.  Its status is ``derived`` when every operand is
  published, else the weakest operand status (illustrative < provisional < derived < published).

Modules: ``rules`` (thresholds, status classification, growth helpers, number formatting), ``derive``
(ratios from their operands), ``grades`` (grades and ranks read from the benchmarking analysis),
``table`` (the gap table and its roll-up by department), ``text`` (prose and the notebook's summary).
"""
from __future__ import annotations

from lingshou.analysis.gap.grades import (
    ACHIEVEMENT_FIGURE_FILE,
    BENCHMARK_TABLE_FILE,
    GAP_TABLE_FILE,
    UNIT_FIGURE_FILE,
    UNIT_TABLE_FILE,
    check_grades,
    load_benchmark_grades,
    load_grades,
)
from lingshou.analysis.gap.rules import (
    CLOSE_PCT,
    GAP_COLUMNS,
    GOAL_NAMES,
    GRADE_THRESHOLDS,
    GRADES,
    MISSING_STATUS,
    MODELLED_STATUS,
    STATUS_ORDER,
    STATUS_TEXT,
    UNIT_COLUMNS,
    UNIT_SEP,
    UNIT_SEP_EN,
    UNSPECIFIED_UNIT,
    UNSPECIFIED_UNIT_EN,
    achievement_pct,
    cagr_pct,
    check_close_pct,
    classify,
    required_growth_pct,
    status_text,
    unit_text,
    weakest_status,
    yoy_pct,
)
from lingshou.analysis.gap.table import analyse_gaps, english_unit_names, gap_by_unit, status_counts
from lingshou.analysis.gap.text import describe_gaps, headline, summary_parts

__all__ = ['CLOSE_PCT', 'STATUS_ORDER', 'STATUS_TEXT', 'GRADE_THRESHOLDS', 'GRADES', 'UNSPECIFIED_UNIT', 'UNIT_SEP', 'UNIT_SEP_EN', 'MISSING_STATUS', 'MODELLED_STATUS', 'UNSPECIFIED_UNIT_EN', 'GOAL_NAMES', 'GAP_COLUMNS', 'UNIT_COLUMNS', 'check_close_pct', 'classify', 'achievement_pct', 'required_growth_pct', 'cagr_pct', 'yoy_pct', 'weakest_status', 'unit_text', 'status_text', 'check_grades', 'load_grades', 'GAP_TABLE_FILE', 'UNIT_TABLE_FILE', 'ACHIEVEMENT_FIGURE_FILE', 'UNIT_FIGURE_FILE', 'BENCHMARK_TABLE_FILE', 'load_benchmark_grades', 'analyse_gaps', 'english_unit_names', 'gap_by_unit', 'status_counts', 'headline', 'describe_gaps', 'summary_parts']
