"""A remark explains a real change, never a unit mistake: jumps that are unit slips, or whose remark states a
unit, stay errors (lingshou.collect.jumps, Catalogue.unit_slips)."""
from __future__ import annotations

import pandas as pd
import pytest

from lingshou.collect.jumps import jump_problems, slip_of, units_named
from lingshou.config import data_folder
from lingshou.data.catalogue import FRACTION, load_catalogue


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(data_folder(None))


def _jump(cat, indicator, prior, value, unit, remark=""):
    held = pd.DataFrame({"county": ["灵寿县"], "year": [2023], "indicator": [indicator], "value": [prior]})
    values = pd.DataFrame({"department": ["县财政局"], "file": ["财政局.xlsx"], "row": [4], "indicator": [indicator],
                           "value": [value], "unit": [unit], "remark": [remark], "source_text": [""]})
    return jump_problems(values, held, "灵寿县", 2024, cat=cat)


def test_unit_slips_of_money_share_and_count(cat):
    money = cat.unit_slips("fiscal_st_expenditure")          # canonical 万元
    assert money["元"] == pytest.approx(10_000)              # 1500 万元 typed in 元: 15,000,000
    assert money["亿元"] == pytest.approx(0.0001)            # typed in 亿元: 0.15
    assert money["百万元"] == pytest.approx(0.01)            # typed in 百万元: 15
    assert "千元" not in money                               # ×10 is below the 100 the slips start at
    assert cat.unit_slips("fiscal_st_share") == {FRACTION: 0.01}   # 0.0053 typed for 0.53 %
    assert cat.unit_slips("high_tech_enterprises") == {}    # counts have one unit


def test_a_value_in_yuan_is_an_error_whatever_the_remark(cat):
    # 16,000,000 / 1600 = 10,000: what 1600 万元 typed in 元 gives.
    [p] = _jump(cat, "fiscal_st_expenditure", 1600.0, 16_000_000.0, "万元", remark="新建科技园区一次性投入")
    assert (p.severity, p.rule, p.file, p.row, p.column) == ("error", "suspicious_jump", "财政局.xlsx", "4",
                                                              "fiscal_st_expenditure")
    assert "为上年的 1e+04 倍，正是按“元”而非“万元”填写的结果" in p.zh and "单位错误不能用备注说明" in p.zh
    assert "typed as yuan instead of ×10k yuan" in p.en and "a remark cannot explain a unit mistake" in p.en


def test_a_value_in_yi_yuan_and_a_fraction_share_are_errors(cat):
    [p] = _jump(cat, "fiscal_st_expenditure", 1600.0, 0.16, "万元", remark="见说明")   # 0.16 / 1600 = 0.0001
    assert p.severity == "error" and "按“亿元”而非“万元”" in p.zh
    [q] = _jump(cat, "fiscal_st_share", 0.53, 0.0053, "%", remark="按财政决算")          # 0.0053 / 0.53 = 0.01
    assert q.severity == "error" and "按“小数”而非“%”" in q.zh and "typed as a fraction instead of %" in q.en


def test_a_remark_that_states_a_unit_explains_nothing(cat):
    # 6000 / 1600 = 3.75: beyond 3, no unit slip; the remark names 亿元, not a reason.
    [p] = _jump(cat, "fiscal_st_expenditure", 1600.0, 6000.0, "万元", remark="单位为亿元")
    assert p.severity == "error" and "备注“单位为亿元”说的是单位（亿元），不是变化的原因" in p.zh
    assert "states a unit (×100m yuan)" in p.en


def test_a_reason_in_the_forms_unit_still_explains(cat):
    [p] = _jump(cat, "fiscal_st_expenditure", 1600.0, 6000.0, "万元", remark="新建园区投入4400万元")
    assert p.severity == "warning" and "备注已说明" in p.zh


def test_a_real_hundredfold_count_with_a_remark_is_a_warning(cat):
    [p] = _jump(cat, "high_tech_enterprises", 1.0, 100.0, "家", remark="新认定一批")      # counts have no slip
    assert p.severity == "warning"


@pytest.mark.parametrize("times, slip", [
    (10_000.0, "元"),      # the slip itself
    (15_000.0, "元"),      # 1.5 × the slip: still inside the tolerance
    (16_000.0, None),      # 1.6 ×: outside
    (6_700.0, "元"),       # 10,000 / 6,700 = 1.49: inside
    (0.0001, "亿元"),
    (50.0, None),
])
def test_slip_tolerance(times, slip):
    assert slip_of(times, {"元": 10_000.0, "亿元": 0.0001}) == slip


def test_units_named_reads_yuan_only_as_a_unit_of_its_own():
    slips = {"元": 10_000.0, "亿元": 0.0001, FRACTION: 0.01}
    assert units_named("单位：元", slips) == ["元"]
    assert units_named("新增投入3000万元", slips) == []      # 万元 is the form's unit, not 元
    assert units_named("按亿元填报", slips) == ["亿元"]
    assert units_named("小数", slips) == []                 # the fraction is never read from a remark
