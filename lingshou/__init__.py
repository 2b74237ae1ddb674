"""lingshou — 县域科技创新跃升计划监测分析套件.

County S&T innovation plan monitoring suite: load and validate bureau statistics, measure the gap to
the plan, project enterprise R&D, analyse the fiscal S&T share, benchmark peer counties under the
provincial A/B/C evaluation, and compose the yearly PDF report.
"""
from __future__ import annotations

__version__ = "0.1.0"

from lingshou.errors import AnalysisError, DataError, LingshouError, MappingError, ParameterError

__all__ = [
    "__version__",
    "AnalysisError",
    "DataError",
    "LingshouError",
    "MappingError",
    "ParameterError",
    "load_statistics",
]


def __getattr__(name):  # lazy import keeps `import lingshou` cheap for the CLI and notebooks
    if name == "load_statistics":
        from lingshou.data.validate import load_statistics

        return load_statistics
    raise AttributeError(name)
