"""Grades and ranks from the benchmarking analysis (the plan's grade and rank goals read them).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from lingshou.analysis.gap.rules import GRADES
from lingshou.data.safe import read_table
from lingshou.errors import DataError, ParameterError
from lingshou.i18n import bi

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
    grades = read_table(path)
    if "year" not in grades.columns:
        if year is None:
            raise DataError(bi(f"{path} 没有 year 列，请给出数据年份", f"{path} has no year column; pass the data year"))
        grades = grades.assign(year=int(year))
    return check_grades(grades)


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
