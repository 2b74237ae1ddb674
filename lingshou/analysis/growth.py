"""Growth arithmetic shared by the analyses: one formula for a constant annual growth rate.

The gap analysis (required growth of every target, the CAGR of a series) and the R&D projection (its
CAGR and required growth, after their own strict checks) both use :func:`required_growth_pct`.
"""
from __future__ import annotations

import numpy as np


def required_growth_pct(latest, target, years) -> np.ndarray:
    """Constant annual growth taking ``latest`` to ``target`` in ``years`` years, percent per year.

    ``((target / latest) ** (1 / years) - 1) * 100``; NaN where ``latest <= 0``, ``target < 0``,
    ``years <= 0`` or an input is missing.  Broadcasts like numpy (scalars give a 0-d array).
    """
    lv, tv, n = np.broadcast_arrays(np.asarray(latest, dtype=float), np.asarray(target, dtype=float),
                                    np.asarray(years, dtype=float))
    ok = (lv > 0) & (tv >= 0) & (n > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = 100.0 * (np.power(np.where(ok, tv / np.where(ok, lv, 1.0), 1.0), 1.0 / np.where(ok, n, 1.0)) - 1.0)
    return np.where(ok, g, np.nan)
