"""Calibrating the score paths of a province to its published grade counts and averages (small cases by hand)."""
from __future__ import annotations

import pandas as pd
import pytest

from lingshou.errors import ParameterError
from lingshou.illustrative.province import _spread, grade_of, province_score_paths

UNITS = pd.DataFrame({"type": ["县"] * 6}, index=[f"u{i}" for i in range(6)])
FIXED = pd.DataFrame({2020: [85.0]}, index=["u0"])           # one hand-written unit, an A
BANDS = {"A": [81.6, 95.0], "B": [61.6, 78.4], "C": [28.0, 58.4]}
NO_GRADES = pd.DataFrame(columns=["county", "data_year", "grade"])


def spec(n_a=2, n_b=2, n_c=2, average=65.0, **extra):
    return {"rounds": {2020: {"n_A": n_a, "n_B": n_b, "n_C": n_c, "average": average}}, "bands": BANDS,
            "drift_sd": 0.0, **extra}


def test_spread_by_hand():
    # q = 0.25, 0.75 for two units; γ = 1: lo + (hi - lo) q
    assert list(_spread(2, 60.0, 80.0, 1.0)) == [65.0, 75.0]
    assert list(_spread(2, 60.0, 80.0, 2.0)) == [61.25, 71.25]


def test_grade_of_by_hand():
    s = pd.Series([80.0, 79.99, 60.0, 59.99])
    assert list(grade_of(s, {"A": 80, "B": 60, "C": 0})) == ["A", "B", "B", "C"]


def test_counts_and_average_are_met():
    paths = province_score_paths(UNITS, FIXED, NO_GRADES, spec(), seed=1)
    assert list(paths.index) == ["u1", "u2", "u3", "u4", "u5"]
    everyone = pd.concat([FIXED[2020], paths[2020]])
    grades = grade_of(everyone, {"A": 80, "B": 60, "C": 0})
    assert grades.value_counts().to_dict() == {"A": 2, "B": 2, "C": 2}
    # scores are rounded to 0.1, so the average is met to 0.05
    assert everyone.mean() == pytest.approx(65.0, abs=0.05)


def test_published_grades_are_kept_whatever_the_strength():
    given = pd.DataFrame({"county": ["u1", "u2"], "data_year": [2020, 2020], "grade": ["C", "A"]})
    for seed in range(5):
        paths = province_score_paths(UNITS, FIXED, given, spec(), seed=seed)
        assert paths.at["u1", 2020] < 60 and paths.at["u2", 2020] >= 80


def test_counts_that_do_not_add_up_are_refused():
    with pytest.raises(ParameterError, match=r"2020: the grade counts add up to 7, not 6 units"):
        province_score_paths(UNITS, FIXED, NO_GRADES, spec(n_c=3), seed=1)


def test_more_published_than_places_is_refused():
    given = pd.DataFrame({"county": ["u1", "u2"], "data_year": [2020, 2020], "grade": ["A", "A"]})
    with pytest.raises(ParameterError, match=r"2020: more published A units than the 1 places left"):
        province_score_paths(UNITS, FIXED, given, spec(), seed=1)


def test_an_average_out_of_reach_is_refused():
    with pytest.raises(ParameterError, match=r"2020: the average 90.00 cannot be reached within the grade bands"):
        province_score_paths(UNITS, FIXED, NO_GRADES, spec(average=90.0), seed=1)
