"""The calibration as linear programmes (scipy's HiGHS): the best fit, and the interval of every unknown.

Unknowns ``x``: the points of the quantitative indicators, then the qualitative points (one common value, or
one per county).  Each published result is an interval on a linear function of ``x`` (a county's score
``R·w + q``, or a round's average score), written as half-constraints ``a_k·x ≤ b_k``.  The fit minimises
the total misfit ``Σ_k s_k`` subject to ``a_k·x − s_k ≤ b_k``, ``s_k ≥ 0`` (``s_k ≤ max_slack`` when
limited), the bounds of ``x`` and ``Σ points = total``: the slacks absorb the few results the rule cannot
reproduce instead of making the programme infeasible.  The *consistent set* is every ``x`` whose total misfit
is within ``tolerance`` of the best; the interval of an unknown is its min and max over that set (two LPs
each).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from lingshou.errors import AnalysisError
from lingshou.i18n import bi


@dataclass(frozen=True)
class Programme:
    """The published results as half-constraints on the unknowns.

    Attributes
    ----------
    A : numpy.ndarray, shape (m, n)
    b : numpy.ndarray, shape (m,)
    owner : numpy.ndarray of int, shape (m,)
        The published result (row of the results table) each half-constraint comes from.
    lower, upper : numpy.ndarray, shape (n,)
        Bounds of the unknowns.
    eq : numpy.ndarray of bool, shape (n,)
        The quantitative points, whose sum is ``total``.
    total : float
    names : list of str
        The unknowns: indicator codes, then ``qualitative`` or ``qualitative:<county>``.
    max_slack : float or None
        Largest misfit allowed to one result (None: unlimited).
    """

    A: np.ndarray
    b: np.ndarray
    owner: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    eq: np.ndarray
    total: float
    names: list
    max_slack: float | None = None

    @property
    def n(self) -> int:
        return self.A.shape[1]

    @property
    def m(self) -> int:
        return self.A.shape[0]


@dataclass(frozen=True)
class Fit:
    """The best fit: unknowns ``x``, the misfit of every half-constraint, their total."""

    x: np.ndarray
    slack: np.ndarray
    total_slack: float


def half_constraints(F: np.ndarray, const: np.ndarray, lo: np.ndarray, hi: np.ndarray, never_below: float,
                     never_above: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows ``a·x ≤ b`` for ``lo_r ≤ F_r·x + const_r ≤ hi_r``; a bound the function cannot cross is left out.

    ``never_below`` / ``never_above`` are the function's own range (a score lies in [0, 100]): a lower bound
    at or below the first, an upper bound at or above the second, constrain nothing.
    """
    lower_rows = np.flatnonzero(lo > never_below)
    upper_rows = np.flatnonzero(hi < never_above)
    A = np.vstack([-F[lower_rows], F[upper_rows]])
    b = np.concatenate([const[lower_rows] - lo[lower_rows], hi[upper_rows] - const[upper_rows]])
    return A, b, np.concatenate([lower_rows, upper_rows])


def _lp_matrices(prog: Programme, budget: float | None):
    """Constraint matrices over ``[x, s]``: ``A x − s ≤ b`` (and ``Σ s ≤ budget``), ``Σ_eq x = total``."""
    m, n = prog.m, prog.n
    A_ub = sparse.hstack([sparse.csr_matrix(prog.A), -sparse.identity(m, format="csr")], format="csr")
    b_ub = prog.b
    if budget is not None:
        A_ub = sparse.vstack([A_ub, sparse.hstack([sparse.csr_matrix((1, n)), np.ones((1, m))])], format="csr")
        b_ub = np.append(b_ub, budget)
    A_eq = np.concatenate([prog.eq.astype(float), np.zeros(m)])[None, :]
    bounds = [(lo, hi) for lo, hi in zip(prog.lower, prog.upper)] + [(0.0, prog.max_slack)] * m
    return A_ub, b_ub, A_eq, [prog.total], bounds


def _solve(cost: np.ndarray, prog: Programme, budget: float | None, what: dict):
    A_ub, b_ub, A_eq, b_eq, bounds = _lp_matrices(prog, budget)
    res = linprog(cost, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if res.status == 2:
        return None
    if res.status != 0:
        raise AnalysisError(bi(f"线性规划求解失败（{what['zh']}）：{res.message}",
                               f"the linear programme failed ({what['en']}): {res.message}"))
    return res.x


def fit_points(prog: Programme) -> Fit | None:
    """The unknowns with the least total misfit; None when no point satisfies the bounds and slack limits."""
    cost = np.concatenate([np.zeros(prog.n), np.ones(prog.m)])
    z = _solve(cost, prog, None, {"zh": "拟合", "en": "fit"})
    if z is None:
        return None
    slack = np.maximum(z[prog.n:], 0.0)
    return Fit(x=z[:prog.n], slack=slack, total_slack=float(slack.sum()))


def intervals(prog: Programme, budget: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Min and max of every unknown over the consistent set ``{x : total misfit ≤ budget}``.

    Returns
    -------
    lo, hi : numpy.ndarray, shape (n,)
    centre : numpy.ndarray, shape (n,)
        The mean of the 2n optimal points: a point of the (convex) set, inside it wherever the set has
        width — the sampler's start.
    """
    lo, hi, points = np.empty(prog.n), np.empty(prog.n), []
    for i in range(prog.n):
        for sign, out in ((1.0, lo), (-1.0, hi)):
            cost = np.zeros(prog.n + prog.m)
            cost[i] = sign
            z = _solve(cost, prog, budget, {"zh": f"{prog.names[i]} 的区间", "en": f"interval of {prog.names[i]}"})
            if z is None:
                raise AnalysisError(bi(f"在总偏差上限 {budget:.6g} 内没有可行解（{prog.names[i]}）",
                                       f"no feasible point within the misfit budget {budget:.6g} ({prog.names[i]})"))
            out[i] = z[i]
            points.append(z[:prog.n])
    return lo, hi, np.mean(points, axis=0)


def closest_fit(prog: Programme, fit: Fit, target: np.ndarray, slack: float = 1e-7) -> Fit:
    """Among the best fits (total misfit ≤ best + ``slack``), the one closest to ``target`` (L1): the model's
    assumed points change only as much as the published results require.

    The best fit is rarely unique (a vertex of the LP is arbitrary: some indicators at 0); this second LP
    makes the reported point estimate well defined.  Variables ``[x, s, e]`` with ``e ≥ |x − target|``.
    """
    m, n = prog.m, prog.n
    A_ub, b_ub, A_eq, b_eq, bounds = _lp_matrices(prog, fit.total_slack + slack)
    eye = sparse.identity(n, format="csr")
    pad = sparse.csr_matrix((n, m))
    A_ub = sparse.vstack([sparse.hstack([A_ub, sparse.csr_matrix((A_ub.shape[0], n))]),
                          sparse.hstack([eye, pad, -eye]), sparse.hstack([-eye, pad, -eye])], format="csr")
    b_ub = np.concatenate([b_ub, target, -target])
    A_eq = np.concatenate([A_eq, np.zeros((1, n))], axis=1)
    cost = np.concatenate([np.zeros(n + m), np.ones(n)])
    res = linprog(cost, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds + [(0.0, None)] * n, method="highs")
    if res.status != 0:  # the best fit itself is feasible, so this only fails numerically: keep it
        return fit
    slack_values = np.maximum(res.x[n:n + m], 0.0)
    return Fit(x=res.x[:n], slack=slack_values, total_slack=float(slack_values.sum()))
