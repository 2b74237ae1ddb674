"""The peer benchmarking, as the notebook uses it: inputs, tables, results and their prose.

From the tidy statistics to the peer-benchmarking tables, and the published grades.

The scoring engine (:mod:`lingshou.evaluation.model`), the peer position and plans
(:mod:`lingshou.evaluation.peers`) and the Monte Carlo (:mod:`lingshou.evaluation.uncertainty`) work on a *wide*
table: one row per county, one column per model indicator, one data year.  This module builds that
table from the tidy data every notebook reads, reads the published grades of
``data/raw/evaluation/grades.csv`` under canonical county names, and assembles what the notebook
writes: ``benchmark.csv``, ``what_it_takes.csv``, ``what_it_takes_robust.csv`` and
``modelled_grades.csv``, plus :func:`benchmark_results`, the JSON-safe dictionary that
the text modules read.

Peers are every county of the data with at least one value of the model's *quantitative* indicators in
the data year (a county with, say, only its population would be scored from imputation alone).

Plain-language reading of the peer benchmarking, in Chinese and English.

:func:`describe_benchmark` turns the results of :func:`benchmark_results` (a
JSON-safe dict) into the headline, paragraphs, notes, captions and report-table labels of the notebook's
summary (:func:`lingshou.report.summary.write_summary`).  Every number in the text comes from that dict; every
choice of the model that is not published is named in the notes as an assumption.

Modules: ``inputs`` (model, wide table, data status, qualitative points, published grades), ``tables``
(the tables the notebook writes), ``results`` (the numbers the prose reads), ``wording`` (numbers and
paragraphs), ``basis`` (what a grade probability rests on, said beside it), ``notes`` (the assumption notes), ``describe`` (headline, paragraphs, summary items), ``shared``
(the peers' Monte Carlo, computed once per batch).
"""
from __future__ import annotations

from lingshou.evaluation.benchmarking.basis import probability_basis
from lingshou.evaluation.benchmarking.describe import REPORT_TABLES, describe_benchmark, summary_items
from lingshou.evaluation.benchmarking.inputs import (
    COUNT_DIMENSION,
    FIGURE_FILES,
    GOALS,
    GRADES_COLUMNS,
    GRADES_FILE,
    MODEL_FILE,
    PLAN_TABLE_COLUMNS,
    TABLE_FILES,
    TIDY_COLUMNS,
    check_scorable,
    clean_published,
    data_status,
    derived_values,
    load_benchmark_model,
    load_published_grades,
    model_codes,
    peer_counties,
    published_for_round,
    qualitative_input,
    value_status,
    wide_table,
)
from lingshou.evaluation.benchmarking.shared import peer_uncertainty, rule_probabilities, sensitivity_uncertainty
from lingshou.evaluation.benchmarking.lens import (
    PEER_CHOICES,
    PeerSet,
    choose_peers,
    lens_columns,
    prefecture_label,
    prefecture_of,
    prefecture_table,
    rank_phrase,
)
from lingshou.evaluation.benchmarking.notes import assumption_notes
from lingshou.evaluation.benchmarking.results import benchmark_results, model_assumptions
from lingshou.evaluation.benchmarking.tables import (
    ModelledGrades,
    benchmark_table,
    key_columns,
    earlier_years,
    modelled_grades_table,
    plan_table,
    robust_goals,
    robust_plan_table,
    rule_comparison,
)
from lingshou.evaluation.benchmarking.wording import (
    ASSUMPTION_KEYS,
    IMPUTATION_TEXT,
    INPUT_TEXT,
    MAX_LEVERS,
    RESULT_KEYS,
    RULE_NAME,
    RULE_TEXT,
    STATUS_TEXT,
    grade_bands,
    levers,
    num,
    pct,
    rank_text,
)

__all__ = ['derived_values', 'peer_uncertainty', 'sensitivity_uncertainty', 'rule_probabilities', 'probability_basis', 'PEER_CHOICES', 'PeerSet', 'choose_peers', 'lens_columns', 'prefecture_label', 'prefecture_of', 'prefecture_table', 'rank_phrase', 'REPORT_TABLES', 'MODEL_FILE', 'GRADES_FILE', 'TIDY_COLUMNS', 'GRADES_COLUMNS', 'PLAN_TABLE_COLUMNS', 'COUNT_DIMENSION', 'GOALS', 'TABLE_FILES', 'FIGURE_FILES', 'load_benchmark_model', 'model_codes', 'peer_counties', 'wide_table', 'data_status', 'qualitative_input', 'value_status', 'check_scorable', 'clean_published', 'load_published_grades', 'published_for_round', 'benchmark_table', 'key_columns', 'plan_table', 'robust_goals', 'robust_plan_table', 'earlier_years', 'ModelledGrades', 'modelled_grades_table', 'rule_comparison', 'model_assumptions', 'benchmark_results', 'RESULT_KEYS', 'ASSUMPTION_KEYS', 'RULE_TEXT', 'RULE_NAME', 'INPUT_TEXT', 'IMPUTATION_TEXT', 'STATUS_TEXT', 'MAX_LEVERS', 'pct', 'num', 'rank_text', 'grade_bands', 'levers', 'assumption_notes', 'describe_benchmark', 'summary_items']
