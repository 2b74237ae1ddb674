"""Suspicious jumps in a return: a figure far from the prior year's, explained by a remark or held back.

A remark may explain a real change (a new park's one-off spending); it never turns a unit mistake into data.
So a jump that is what a unit slip makes (15,000,000 for 1500 万元: the figure in 元), or whose remark
states a unit instead of a reason ("单位为亿元"), stays an error whatever the remark says.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lingshou.data.catalogue import FRACTION, Catalogue
from lingshou.data.problems import Problem, problem
from lingshou.i18n import unit_label

#: A value beyond this factor of the prior year's (either way) is suspicious.
COLLECT_JUMP_FACTOR = 3.0
#: A jump within this factor of a unit slip's (×10,000 for 元 typed as 万元) is taken as that slip.
UNIT_SLIP_TOLERANCE = 1.5


def jump_problems(values: pd.DataFrame, held: pd.DataFrame, county: str, year: int,
                  factor: float = COLLECT_JUMP_FACTOR, cat: Catalogue | None = None) -> list[Problem]:
    """Values beyond ``factor`` times (or below ``1/factor`` of) the prior year's held value.

    An error (the value is held back) unless the department wrote a remark, then a warning.  Both years
    must be positive: a change from or to zero has no factor.  With the catalogue ``cat`` two jumps stay
    errors whatever the remark says:

    - the change is what a unit slip makes (:meth:`~lingshou.data.catalogue.Catalogue.unit_slips`, within
      a factor of :data:`UNIT_SLIP_TOLERANCE`);
    - the remark names another unit of the figure's dimension: it states a unit, not a reason.

    Examples
    --------
    prior 1000, returned 3500: 3500 / 1000 = 3.5 > 3 → suspicious; returned 3000: exactly 3 → fine.
    prior 1500 万元, returned 15,000,000 with any remark: ×10,000, the figure in 元 → an error.
    """
    prev = held[(held["county"] == county) & (held["year"] == year - 1)].drop_duplicates("indicator")
    prev = prev.set_index("indicator")["value"]
    v = values.dropna(subset=["value"])
    p = v["indicator"].map(prev).astype(float)
    ratio = v["value"] / p
    jump = p.gt(0) & v["value"].gt(0) & ((ratio > factor) | (ratio < 1 / factor))
    out = []
    for rec, pv in zip(v[jump].itertuples(index=False), p[jump]):
        slips = cat.unit_slips(rec.indicator) if cat is not None and rec.indicator in cat.codes else {}
        canonical = cat.canonical_unit(rec.indicator) if slips else rec.unit
        severity, zh, en = _judge(rec, pv, factor, year, slips, canonical)
        out.append(problem(severity, "suspicious_jump", zh, en,
                           file=rec.file, row=rec.row, column=rec.indicator, value=rec.value))
    return out


def _judge(rec, prior: float, factor: float, year: int, slips: dict[str, float], canonical: str) -> tuple[str, str, str]:
    """Severity and wording of one jump."""
    change = (f"较上年变化超过 {factor:g} 倍（{year - 1}年 {prior:g}，{year}年 {rec.value:g} {rec.unit}）",
              f"changes by more than a factor of {factor:g} on the prior year ({prior:g} → {rec.value:g} "
              f"{unit_label(rec.unit, 'en')})")
    times = rec.value / prior
    slip = slip_of(times, slips)
    if slip is not None:
        return "error", (
            f"{change[0]}，为上年的 {times:.4g} 倍，正是按“{slip}”而非“{canonical}”填写的结果：请换算为{canonical}后重新报送"
            "（单位错误不能用备注说明）"), (
            f"{change[1]}, {times:.4g} times the prior year's: what a figure typed as {unit_label(slip, 'en')} instead "
            f"of {unit_label(canonical, 'en')} gives; convert it to {unit_label(canonical, 'en')} and return it again "
            "(a remark cannot explain a unit mistake)")
    named = units_named(str(rec.remark), slips)
    if named:
        return "error", (
            f"{change[0]}，备注“{rec.remark}”说的是单位（{'、'.join(named)}），不是变化的原因：请按表头单位{canonical}"
            "填写数值，或在备注中写明变化的原因"), (
            f"{change[1]}; the remark {str(rec.remark)!r} states a unit "
            f"({', '.join(unit_label(u, 'en') for u in named)}), not the reason for the change: enter the figure in "
            f"{unit_label(canonical, 'en')}, the form's unit, or give the reason in the remark")
    if str(rec.remark).strip():
        return "warning", change[0] + "，备注已说明", change[1] + "; explained in the remark"
    return ("error", change[0] + "，存疑：请核实单位和数值，或在“备注”中说明原因",
            change[1] + "; suspicious: check the unit and the value, or explain it in 备注")


def slip_of(ratio: float, slips: dict[str, float]) -> str | None:
    """The unit slip whose factor ``ratio`` is within :data:`UNIT_SLIP_TOLERANCE` of, or None.

    >>> slip_of(12000.0, {"元": 10000.0, "亿元": 0.0001})
    '元'
    """
    for unit, slip in slips.items():
        if abs(np.log(ratio / slip)) <= np.log(UNIT_SLIP_TOLERANCE):
            return unit
    return None


def units_named(remark: str, slips: dict[str, float]) -> list[str]:
    """The slip units a remark names (亿元 in "单位为亿元"; 元 only where no 万, 千, 百 or 亿 stands before it).

    >>> units_named("单位为亿元", {"元": 10000.0, "亿元": 0.0001})
    ['亿元']
    """
    return [unit for unit in slips
            if unit != FRACTION and re.search(r"(?<![万千百亿])" + re.escape(unit), remark)]
