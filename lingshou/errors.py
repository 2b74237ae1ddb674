"""Exception types of lingshou.

Every message is bilingual: Chinese first, then English, separated by `` / ``.
"""
from __future__ import annotations


class LingshouError(Exception):
    """Base class of every error the suite raises on purpose."""


class ParameterError(LingshouError, ValueError):
    """An invalid or unknown parameter (CLI option, notebook parameter, spec key)."""


class DataError(LingshouError):
    """The data cannot be used; ``problems`` lists every problem found in one pass.

    Parameters
    ----------
    message : str
        Bilingual summary.
    problems : list, optional
        :class:`lingshou.data.validate.Problem` objects (errors and warnings).
    """

    def __init__(self, message: str, problems: list | None = None):
        self.problems = list(problems or [])
        lines = [message] + [str(p) for p in self.problems if getattr(p, "severity", "error") == "error"]
        super().__init__("\n".join(lines))


class MappingError(DataError):
    """A name (indicator, county, unit) has no entry in the mapping tables."""


class AnalysisError(LingshouError):
    """An analysis cannot be computed with the given data (e.g. a year without data)."""
