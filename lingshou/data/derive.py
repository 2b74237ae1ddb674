"""Derived indicators: ratios computed from their numerator and denominator (after unit conversion), with a
flag where a reported ratio disagrees.

One derivation for every analysis: the gap and fiscal analyses and the benchmarking all read ratios through
:func:`with_derived`, so a folder of operands only (as the departments' return forms ask for) is measured as
one with the ratios reported.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lingshou.config import STATUS_RANK
from lingshou.data.catalogue import Catalogue
from lingshou.data.validate import RATIO_REL_TOL

#: Reported ratios are published to 2 decimals: half a unit of the last digit.
DERIVED_ABS_TOL = 0.005
#: Relative slack on top of the rounding (operands are rounded too), as in the validator.
DERIVED_REL_TOL = RATIO_REL_TOL

# --------------------------------------------------------------------------------------------------
# Derived indicators
# --------------------------------------------------------------------------------------------------

def derive_indicators(data: pd.DataFrame, catalogue: Catalogue, *, abs_tol: float = DERIVED_ABS_TOL,
                      rel_tol: float = DERIVED_REL_TOL) -> pd.DataFrame:
    """Every derived indicator of the catalogue, computed from its operands where they exist.

    Parameters
    ----------
    data : DataFrame
        Tidy statistics (county, year, indicator, value, status); values in canonical units.
    catalogue : Catalogue
        Gives the formulas (``factor * numerator / denominator``).
    abs_tol, rel_tol : float
        A reported ratio disagrees with the computed one when ``|reported - computed| > abs_tol +
        rel_tol * |computed|`` (indicator unit).

    Returns
    -------
    DataFrame
        One row per county, year and derived indicator with a reported or a computed value: ``county,
        year, indicator, value, status, basis`` (``'operands'`` or ``'reported'``), ``reported``,
        ``computed``, ``ratio_mismatch`` (bool).  ``value`` is the computed value when both operands exist
        (denominator > 0), else the reported one.
    """
    cols = ["county", "year", "indicator", "value", "status", "basis", "reported", "computed", "ratio_mismatch"]
    have = data[data["value"].notna()]
    formulas = catalogue.derived()
    if have.empty or not formulas:
        return pd.DataFrame(columns=cols)
    keyed = have.set_index(["county", "year", "indicator"])
    values = keyed["value"].unstack("indicator")
    ranks = keyed["status"].map(STATUS_RANK).unstack("indicator")
    by_rank = {r: s for s, r in STATUS_RANK.items()}
    parts = []
    for code, f in formulas.items():
        def col(frame, name):
            return frame[name] if name in frame.columns else pd.Series(np.nan, index=frame.index)
        num, den, rep = col(values, f.numerator), col(values, f.denominator), col(values, code)
        computed = (f.factor * num / den).where(den > 0)
        # The weakest operand status; published operands give a "derived" value.
        rank = np.fmin(col(ranks, f.numerator), col(ranks, f.denominator)).where(computed.notna())
        comp_status = rank.map(by_rank).replace({"published": "derived"})
        rep_status = col(ranks, code).map(by_rank)
        use_computed = computed.notna()
        frame = pd.DataFrame({
            "value": computed.where(use_computed, rep),
            "status": comp_status.where(use_computed, rep_status),
            "basis": np.where(use_computed, "operands", "reported"),
            "reported": rep,
            "computed": computed,
            "ratio_mismatch": (use_computed & rep.notna()
                               & ((rep - computed).abs() > abs_tol + rel_tol * computed.abs())),
        })
        frame = frame[frame["value"].notna()].reset_index()
        frame["indicator"] = code
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True)[cols]
    out["ratio_mismatch"] = out["ratio_mismatch"].astype(bool)
    return out.sort_values(["county", "indicator", "year"], ignore_index=True)


def with_derived(data: pd.DataFrame, catalogue: Catalogue, *, abs_tol: float = DERIVED_ABS_TOL,
                 rel_tol: float = DERIVED_REL_TOL) -> pd.DataFrame:
    """The tidy values with every derived indicator replaced by :func:`derive_indicators`' value.

    Returns
    -------
    DataFrame
        ``county, year, indicator, value, status, basis, reported, ratio_mismatch`` for every
        non-missing value (``basis`` ``'data'`` for indicators that are not derived).
    """
    derived = derive_indicators(data, catalogue, abs_tol=abs_tol, rel_tol=rel_tol)
    codes = set(catalogue.derived())
    base = data[data["value"].notna() & ~data["indicator"].isin(codes)][["county", "year", "indicator", "value", "status"]]
    base = base.assign(basis="data", reported=np.nan, ratio_mismatch=False)
    cols = ["county", "year", "indicator", "value", "status", "basis", "reported", "ratio_mismatch"]
    out = pd.concat([base[cols], derived[cols]], ignore_index=True) if len(derived) else base[cols].reset_index(drop=True)
    out["year"] = out["year"].astype("int64")
    out["ratio_mismatch"] = out["ratio_mismatch"].astype(bool)
    return out
