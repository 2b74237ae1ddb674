"""Uniform samples from the set of points the published results allow: hit-and-run (Smith 1984).

The set is convex:

    C = { x : lower ≤ x ≤ upper,  Σ_{i ∈ eq} x_i = total,  Σ_k max(0, a_k·x − b_k) ≤ budget }

— the bounds of the points and qualitative values, the fixed quantitative total, and a budget on the total
misfit (slack) of the published results.  Hit-and-run moves from a point of C along a random direction of
the equality's subspace to a uniform point of the chord through C; its stationary distribution is uniform
on C.  The chord's ends are exact: the bounds give linear limits, and the misfit along the line,
``f(t) = Σ_k max(0, u_k + t·v_k)``, is convex and piecewise linear, so its sub-budget interval is found from
its kinks (each kink at ``t = −u_k / v_k`` raises the slope by ``|v_k|``) with one sort per step.  Many
chains run side by side as arrays (vectorised), each started at the same interior point and thinned.
"""
from __future__ import annotations

from numbers import Integral

import numpy as np

from lingshou.errors import ParameterError
from lingshou.i18n import bi

#: Stands for "no limit" on a chord (any bounded set cuts it far earlier).
_FAR = 1e12


def _bound_extent(x: np.ndarray, d: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How far each chain may move along ``+d`` and ``−d`` before leaving the bounds."""
    with np.errstate(divide="ignore", invalid="ignore"):
        to_upper = np.where(d > 0, (upper - x) / d, np.where(d < 0, (lower - x) / d, _FAR))
        to_lower = np.where(d > 0, (x - lower) / d, np.where(d < 0, (x - upper) / d, _FAR))
    return np.clip(to_upper.min(axis=1), 0.0, _FAR), np.clip(to_lower.min(axis=1), 0.0, _FAR)


def misfit_extent(u: np.ndarray, v: np.ndarray, budget: float) -> np.ndarray:
    """Largest ``t ≥ 0`` with ``Σ_k max(0, u_k + t·v_k) ≤ budget``, per row (chain).

    Parameters
    ----------
    u : numpy.ndarray, shape (chains, m)
        Residuals ``a_k·x − b_k`` at the current points (the misfit there is within the budget).
    v : numpy.ndarray, shape (chains, m)
        ``a_k·d`` for the direction ``d``.
    budget : float

    Returns
    -------
    numpy.ndarray, shape (chains,)
        ``_FAR`` (1e12) where the misfit never exceeds the budget along the ray.
    """
    f0 = np.maximum(u, 0.0).sum(axis=1)
    active = (u > 0) | ((u == 0) & (v > 0))
    slope0 = np.where(active, v, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        kink = -u / v
    real = (kink > 0) & np.isfinite(kink) & (((u < 0) & (v > 0)) | ((u > 0) & (v < 0)))
    # one sentinel kink far out, so that the slope after the last real kink is checked too
    sentinel = np.full((len(u), 1), _FAR)
    kink = np.concatenate([np.where(real, kink, _FAR), sentinel], axis=1)
    rises = np.concatenate([np.where(real, np.abs(v), 0.0), np.zeros_like(sentinel)], axis=1)
    order = np.argsort(kink, axis=1, kind="stable")
    tau = np.take_along_axis(kink, order, axis=1)
    rise = np.take_along_axis(rises, order, axis=1)
    slope_before = slope0[:, None] + np.concatenate([np.zeros((len(u), 1)), np.cumsum(rise, axis=1)[:, :-1]], axis=1)
    step = np.diff(tau, axis=1, prepend=0.0)
    f_at = f0[:, None] + np.cumsum(slope_before * step, axis=1)
    over = f_at > budget
    first = np.where(over.any(axis=1), over.argmax(axis=1), -1)
    rows = np.arange(len(u))
    j = np.maximum(first, 0)
    t_prev = np.where(j > 0, tau[rows, j - 1], 0.0)
    f_prev = np.where(j > 0, f_at[rows, j - 1], f0)
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = t_prev + (budget - f_prev) / slope_before[rows, j]
    return np.where(first >= 0, np.clip(np.nan_to_num(inside, nan=0.0, posinf=_FAR), 0.0, _FAR), _FAR)


def _direction(rng: np.random.Generator, chains: int, n: int, eq: np.ndarray, free: np.ndarray) -> np.ndarray:
    """Random unit directions in the subspace that keeps ``Σ x[eq]`` and the fixed coordinates."""
    d = rng.standard_normal((chains, n)) * free
    if eq.any():
        d[:, eq] -= d[:, eq].mean(axis=1, keepdims=True)
    return d / np.linalg.norm(d, axis=1, keepdims=True)


def _count(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise ParameterError(bi(f"{name} 应为 ≥ {minimum} 的整数，实为 {value!r}",
                                f"{name} must be an integer >= {minimum}, got {value!r}"))
    return int(value)


def hit_and_run(A: np.ndarray, b: np.ndarray, budget: float, lower, upper, eq, start, n_samples: int = 10_000,
                seed=0, chains: int = 100, burn: int = 200, thin: int = 3, hard: np.ndarray | None = None) -> np.ndarray:
    """Points drawn uniformly from the convex set of the module docstring.

    Parameters
    ----------
    A, b : numpy.ndarray, shapes (m, n) and (m,)
        The published results as half-constraints ``a_k·x ≤ b_k``, each allowed a misfit.
    budget : float
        Largest total misfit ``Σ_k max(0, a_k·x − b_k)``.
    lower, upper : array-like, shape (n,)
        Bounds of each coordinate; ``lower == upper`` fixes it.
    eq : array-like of bool, shape (n,)
        Coordinates whose sum is held at its value in ``start`` (the quantitative points).
    start : array-like, shape (n,)
        A point of the set, best an interior one (e.g. the mean of the interval LPs' solutions).
    n_samples : int
        Samples returned (chains × kept steps, trimmed to this number).
    seed : int or numpy.random.Generator
    chains, burn, thin : int
        Parallel chains; steps discarded first; steps between kept samples.
    hard : numpy.ndarray of float, shape (m,), optional
        A limit on each half-constraint's own misfit (``a_k·x − b_k ≤ hard_k``; ``inf`` = none) — the
        calibration's ``max_slack``.

    Returns
    -------
    numpy.ndarray, shape (n_samples, n)

    Raises
    ------
    ParameterError
        Bad counts, or a start point outside the set (bounds or misfit budget).
    """
    n_samples, chains = _count("n_samples", n_samples, 1), _count("chains", chains, 1)
    burn, thin = _count("burn", burn, 0), _count("thin", thin, 1)
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    eq, x0 = np.asarray(eq, dtype=bool), np.asarray(start, dtype=float)
    scale = max(1.0, float(np.abs(x0).max()))
    limit = np.full(len(b), np.inf) if hard is None else np.asarray(hard, dtype=float)
    limited = np.isfinite(limit)
    misfit = float(np.maximum(A @ x0 - b, 0.0).sum()) if len(b) else 0.0
    beyond = bool((A[limited] @ x0 - b[limited] > limit[limited] + 1e-9 * scale).any())
    if (x0 < lower - 1e-9 * scale).any() or (x0 > upper + 1e-9 * scale).any() or misfit > budget + 1e-9 * scale or beyond:
        raise ParameterError(bi(f"抽样起点不在可行集内（总偏差 {misfit:.6g}，上限 {budget:.6g}）",
                                f"the sampler's start point is outside the set (misfit {misfit:.6g}, budget {budget:.6g})"))
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    free = (upper > lower).astype(float)
    x = np.repeat(np.clip(x0, lower, upper)[None, :], chains, axis=0)
    u = x @ A.T - b
    per_chain = -(-n_samples // chains)
    kept = np.empty((per_chain, chains, len(x0)))
    for step in range(burn + per_chain * thin):
        d = _direction(rng, chains, len(x0), eq, free)
        up, down = _bound_extent(x, d, lower, upper)
        if len(b):
            v = d @ A.T
            both = misfit_extent(np.vstack([u, u]), np.vstack([v, -v]), budget)  # both ends in one pass
            up, down = np.minimum(up, both[:chains]), np.minimum(down, both[chains:])
            if limited.any():  # a hard limit is a misfit budget of 0 on the shifted rows
                w = np.minimum(u[:, limited] - limit[limited], 0.0)
                both = misfit_extent(np.vstack([w, w]), np.vstack([v[:, limited], -v[:, limited]]), 0.0)
                up, down = np.minimum(up, both[:chains]), np.minimum(down, both[chains:])
        t = rng.uniform(-down, up)
        x = np.clip(x + t[:, None] * d, lower, upper)
        if len(b):
            u = u + t[:, None] * v
        if step >= burn and (step - burn) % thin == thin - 1:
            kept[(step - burn) // thin] = x
    return kept.reshape(-1, len(x0))[:n_samples]
