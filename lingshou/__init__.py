"""lingshou — 县域科技创新跃升计划监测分析套件.

County S&T innovation plan monitoring suite: load and validate bureau statistics, measure the gap to
the plan, project enterprise R&D, analyse the fiscal S&T share, benchmark peer counties under the
provincial A/B/C evaluation, and compose the yearly PDF report.

The public API — what a notebook or an analyst's script needs — is importable from here; each name
lives in the stage that computes it (the data flows down this list, and so do the imports)::

    import lingshou as ls

    # 1. data: read, validate, build, load
    data = ls.load_data()                         # the processed tidy table (county, year, indicator, value …)
    tidy, problems = ls.load_statistics("bureau.xlsx")  # a bureau file or folder, validated: table, warnings
    tidy, problems = ls.validate_records(paths, ls.load_catalogue())   # every problem, in one pass
    ls.build()                                     # raw/ → processed/, atomically
    # 2. the plan
    plan = ls.find_plan("灵寿县")                   # the county's plan, or the default plan (said in every output)
    # 3. analyses of one county
    gaps = ls.analyse_gaps(data, plan, ls.load_catalogue(), "灵寿县", 2024)
    fiscal = ls.analyse_fiscal(data, ls.load_catalogue(), plan, "灵寿县", 2024)
    table, summary = ls.build_projection(rd, revenue, "illustrative")
    measures = ls.task_progress(plan, history, departments, as_of)   # the plan's 49 measures, overdue first
    # 4. the provincial evaluation
    model = ls.load_model()
    scores = ls.score_counties(wide, model)
    mc = ls.analyse_uncertainty(wide, model)       # a MonteCarlo: .table (grade probabilities, rank intervals), .n_sims
    plan = ls.what_it_takes(wide, model, "灵寿县")  # a GradePlan: its rows (.table), .score_after …
    # 5. the report
    result = ls.make_report("灵寿县", 2024)

Names are imported on first use, so ``import lingshou`` stays cheap for the command line.  The stages
themselves (``lingshou.data``, ``lingshou.plan``, ``lingshou.analysis``, ``lingshou.evaluation``,
``lingshou.collect``, ``lingshou.plots``, ``lingshou.report``) hold the rest; README "Layout" draws the flow.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

from lingshou.errors import AnalysisError, DataError, LingshouError, MappingError, ParameterError

#: Public name → the module that defines it (imported lazily by :func:`__getattr__`).
_API = {
    # data
    "load_catalogue": "lingshou.data.catalogue",
    "read_records": "lingshou.data.read",
    "validate_records": "lingshou.data.validate",
    "load_statistics": "lingshou.data.validate",
    "build": "lingshou.data.build",
    "load_data": "lingshou.data.build",
    "prepare": "lingshou.data.params",
    # plan
    "Plan": "lingshou.plan.targets",
    "load_plan": "lingshou.plan.targets",
    "find_plan": "lingshou.plan.targets",
    # analyses
    "describe_data": "lingshou.analysis.overview",
    "analyse_gaps": "lingshou.analysis.gap",
    "gap_by_unit": "lingshou.analysis.gap",
    "describe_gaps": "lingshou.analysis.gap",
    "analyse_fiscal": "lingshou.analysis.fiscal",
    "build_projection": "lingshou.analysis.projection",
    "describe_projection": "lingshou.analysis.projection",
    "task_progress": "lingshou.analysis.tasks",
    "describe_progress": "lingshou.analysis.tasks",
    # evaluation
    "composite": "lingshou.evaluation.composite",
    "load_model": "lingshou.evaluation.model",
    "score_counties": "lingshou.evaluation.model",
    "peer_position": "lingshou.evaluation.peers",
    "what_it_takes": "lingshou.evaluation.peers",
    "GradePlan": "lingshou.evaluation.grade_plan",
    "analyse_uncertainty": "lingshou.evaluation.uncertainty",
    "MonteCarlo": "lingshou.evaluation.uncertainty",
    "benchmark_results": "lingshou.evaluation.benchmarking",
    "describe_benchmark": "lingshou.evaluation.benchmarking",
    # collection from departments
    "write_templates": "lingshou.collect.template",
    "read_returns": "lingshou.collect.returns",
    "write_collection": "lingshou.collect.store",
    # report
    "make_report": "lingshou.report.make",
    "report_all": "lingshou.report.batch",
}

__all__ = ["__version__", "AnalysisError", "DataError", "LingshouError", "MappingError", "ParameterError",
           *_API]


def __getattr__(name: str):
    """Import a public name from its stage on first use (keeps ``import lingshou`` cheap)."""
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'lingshou' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
