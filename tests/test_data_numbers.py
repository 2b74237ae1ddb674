"""Tests of lingshou.data.numbers: cells as bureaux write them → numbers; missing markers → NaN, never 0."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingshou.data.numbers import MISSING_MARKERS, ParsedNumber, parse_number, parse_numbers, parse_year, scale

FULL_WIDTH = str.maketrans("0123456789.,%-", "０１２３４５６７８９．，％－")


# ------------------------------------------------------------------------------------------- numbers
@pytest.mark.parametrize("cell, value, decimals", [
    ("1234.5", 1234.5, 1),
    ("１２３４．５", 1234.5, 1),          # full-width digits and full stop
    ("１，２３４．５", 1234.5, 1),        # full-width comma as thousands separator
    ("1,234.5", 1234.5, 1),
    ("1,234,567", 1234567.0, 0),
    ("12,345,678.90", 12345678.9, 2),
    ("  1520 ", 1520.0, 0),               # padding
    ("1\u00a0520", 1520.0, 0),            # a no-break space as thousands separator
    ("1 234.5", 1234.5, 1),
    ("+3", 3.0, 0),
    (".5", 0.5, 1),
    ("0.118", 0.118, 3),
    ("1.2e3", 1200.0, 1),
])
def test_parse_number_plain(cell, value, decimals):
    p = parse_number(cell)
    assert p == ParsedNumber(value, "", False, False, decimals)


@pytest.mark.parametrize("cell", ["−3.5", "－3.5", "‒3.5", "‐3.5", "-3.5", "－３．５"])
def test_parse_number_unicode_minus(cell):
    # U+2212 minus, U+FF0D full-width hyphen-minus, U+2012 figure dash, U+2010 hyphen: all mean -3.5
    assert parse_number(cell).value == -3.5
    assert not parse_number(cell).invalid


@pytest.mark.parametrize("cell, value, suffix, decimals", [
    ("0.52%", 0.52, "%", 2),
    ("０．５２％", 0.52, "%", 2),
    ("0.52 %", 0.52, "%", 2),
    ("5‰", 5.0, "‰", 0),
    ("-1.5%", -1.5, "%", 1),
    ("１，２００%", 1200.0, "%", 0),
])
def test_parse_number_suffix(cell, value, suffix, decimals):
    p = parse_number(cell)
    assert (p.value, p.suffix, p.missing, p.invalid, p.decimals) == (value, suffix, False, False, decimals)


@pytest.mark.parametrize("cell", ["—", "-", "…", "/", "", "   ", "——", "--", "...", "……", "–", "n/a", "NA", "无",
                                  "暂无", "— —", None, float("nan"), np.nan])
def test_missing_markers_are_nan_never_zero(cell):
    p = parse_number(cell)
    assert p.missing and not p.invalid
    assert math.isnan(p.value)
    assert p.value != 0


def test_every_listed_missing_marker_is_missing():
    for marker in MISSING_MARKERS:
        assert parse_number(marker).missing, marker


@pytest.mark.parametrize("cell", ["abc", "约1500", "1500左右", "12,34", "1,2345", "1.234,5", "(3)", "1,234.",
                                  "２０２１年", "1.2.3", "%", "=B3/C3", "1520万元"])
def test_invalid_cells_are_flagged_not_coerced(cell):
    p = parse_number(cell)
    assert p.invalid and not p.missing
    assert math.isnan(p.value)


def test_bool_is_not_a_number():
    assert parse_number(True).invalid
    assert parse_number(False).invalid


@pytest.mark.parametrize("cell, value", [(3, 3.0), (np.int64(7), 7.0), (2.5, 2.5), (np.float32(0.5), 0.5)])
def test_numeric_cells_keep_their_value(cell, value):
    p = parse_number(cell)
    assert p.value == value and p.decimals == -1 and p.suffix == ""


def test_parse_numbers_frame():
    cells = pd.Series(["1,520", "—", "0.52%", "x"], index=[10, 11, 12, 13], dtype=object)
    out = parse_numbers(cells)
    assert list(out.index) == [10, 11, 12, 13]
    assert list(out.columns) == ["value", "suffix", "missing", "invalid", "decimals", "note"]
    np.testing.assert_array_equal(out["value"].to_numpy(), [1520.0, np.nan, 0.52, np.nan])
    assert out["missing"].tolist() == [False, True, False, False]
    assert out["invalid"].tolist() == [False, False, False, True]
    assert out["suffix"].tolist() == ["", "", "%", ""]
    assert out["decimals"].tolist() == [0, -1, 2, -1]


# --------------------------------------------------------------------------------------------- years
@pytest.mark.parametrize("cell, year", [
    ("2021", 2021), ("2021年", 2021), ("２０２１年度", 2021), (2021, 2021), (2021.0, 2021), ("2021.0", 2021),
    (" 2021 ", 2021), ("2021年末", 2021), ("2022年底", 2022), ("2022年数据", 2022), (np.int64(2019), 2019),
])
def test_parse_year(cell, year):
    assert parse_year(cell) == year


@pytest.mark.parametrize("cell", ["21", "二〇二一年", "2021.5", 2021.5, float("nan"), None, True, "1850", 1800,
                                  "2021年比上年增长", "2021—2023年", ""])
def test_parse_year_rejects(cell):
    assert parse_year(cell) is None


# ---------------------------------------------------------------------------------------- unit scale
@pytest.mark.parametrize("value, factor, expected", [
    (12345.0, 0.0001, 1.2345),        # 12345 元 = 12345 / 10000 万元, exactly
    (1.2345, 10000.0, 12345.0),       # 1.2345 亿元 = 12345 万元
    (1185000.0, 0.1, 118500.0),       # 1,185,000 千元 = 118500 万元
    (306500.0, 0.0001, 30.65),        # 306,500 人 = 30.65 万人
    (5.0, 0.1, 0.5),                  # 5 ‰ = 0.5 %
    (24.0, 1.0, 24.0),
    (100.0, 0.7, 70.0),               # a user's unit with a non-decimal factor: multiply, never divide by round(1/0.7) = 1
    (100.0, 0.25, 25.0),
])
def test_scale(value, factor, expected):
    assert scale(value, factor) == expected


def test_scale_vectorised():
    out = scale(np.array([12345.0, np.nan, 1.0]), 0.0001)
    np.testing.assert_array_equal(out, [1.2345, np.nan, 0.0001])


# ----------------------------------------------------------------------------------- property tests
def thousands(x: float, decimals: int) -> str:
    return f"{x:,.{decimals}f}"


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**12, max_value=10**12), st.integers(min_value=0, max_value=4))
def test_property_thousands_separators_round_trip(n, decimals):
    x = n / 10**decimals
    text = thousands(x, decimals)
    p = parse_number(text)
    assert not p.invalid and not p.missing
    assert p.value == pytest.approx(x, rel=1e-15, abs=0)
    assert p.decimals == decimals


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=0, max_value=3),
       st.booleans(), st.sampled_from(["", "%", "‰"]))
def test_property_full_width_and_suffix_round_trip(n, decimals, grouped, suffix):
    x = n / 10**decimals
    text = (thousands(x, decimals) if grouped else f"{x:.{decimals}f}") + suffix
    p = parse_number(text.translate(FULL_WIDTH))
    assert p.value == pytest.approx(x, rel=1e-15, abs=0)
    assert p.suffix == suffix
    assert not p.invalid and not p.missing


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_property_repr_round_trip(x):
    # Any float written by Python (shortest repr, maybe with an exponent) parses back to itself.
    assert parse_number(repr(x)).value == x
    assert parse_number(x).value == x


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="—-…/ 　\t", max_size=4))
def test_property_marker_and_space_strings_are_never_zero(text):
    p = parse_number(text)
    assert math.isnan(p.value)
    assert p.missing or p.invalid


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
       st.sampled_from([1e-4, 1e-3, 0.1, 1.0, 10.0, 100.0, 1e4, 1e8]))
def test_property_scale_round_trip(x, factor):
    # Converting to the canonical unit and back again returns the value within float tolerance.
    assert scale(scale(x, factor), 1 / factor) == pytest.approx(x, rel=1e-12, abs=1e-300)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
       st.sampled_from([1e-4, 0.1, 1.0, 1e4]), st.sampled_from([1e-4, 0.1, 1.0, 1e4]))
def test_property_scale_composes(x, f1, f2):
    # 元 → 千元 → 万元 equals 元 → 万元: factors compose by multiplication.
    assert scale(scale(x, f1), f2) == pytest.approx(scale(x, f1 * f2), rel=1e-12, abs=1e-300)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_property_yuan_to_wanyuan_is_exact_decimal_shift(n):
    # n 元 = n / 10000 万元 to the last bit (the division is exact in the sense of IEEE rounding of n/10000).
    assert scale(float(n), 0.0001) == n / 10000


@pytest.mark.parametrize("cell, value, note", [
    ("45¹", 45.0, "¹"), ("1523.4²", 1523.4, "²"), ("112①", 112.0, "①"), ("9⒈", 9.0, "⒈"),
    ("1,234*", 1234.0, "*"), ("0.52%³", 0.52, "³"), ("２４ ①", 24.0, "①"),
])
def test_footnote_marks_after_a_number_are_notes_never_digits(cell, value, note):
    # NFKC would read 45¹ as 451 and 112① as 1121: the mark is taken off before normalising
    parsed = parse_number(cell)
    assert (parsed.value, parsed.note, parsed.invalid) == (value, note, False)


@pytest.mark.parametrize("cell", ["①", "1①2", "⑴"])
def test_a_footnote_mark_alone_or_inside_is_not_a_number(cell):
    assert parse_number(cell).invalid
