"""From the observations to the linear programme: each published result as a linear function of the unknowns.

Unknowns: the points of the quantitative indicators (``0 … max_points`` each, summing to the quantitative
total, 85), then the qualitative points of the counties whose points the data do not give — one common
value (``qualitative="common"``, the default) or one per county (``"per_county"``), each within the model's
``qualitative.range``.  Counties whose points the data give (``innovation_management``) keep them.

Why one common value by default: a county has at most one published grade per round, an interval 20 points
wide; a free qualitative value per county (7 points of range) absorbs most of what that grade says about the
indicator points, leaving the points barely identified.  One value for all counties is identified by the
round averages and leaves the grades to inform the points.
"""
from __future__ import annotations

from numbers import Real

import numpy as np

from lingshou.errors import ParameterError
from lingshou.evaluation.calibration.fit import Programme, half_constraints
from lingshou.evaluation.calibration.inputs import Observations
from lingshou.i18n import bi

QUALITATIVE_MODES = ("common", "per_county")


def _limit(name: str, value, upper: float | None = None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Real) or not value > 0 or (upper is not None and value > upper):
        bound = f"(0, {upper:g}]" if upper is not None else "(0, ∞)"
        raise ParameterError(bi(f"{name} 应在 {bound} 内，实为 {value!r}", f"{name} must lie in {bound}, got {value!r}"))
    return float(value)


def qualitative_columns(obs: Observations, mode: str) -> list[str]:
    """Names of the qualitative unknowns: ``["qualitative"]``, or ``qualitative:<county>`` per county whose
    points the data lack (none when the data give every county's points)."""
    if mode not in QUALITATIVE_MODES:
        raise ParameterError(bi(f"qualitative 应为 {list(QUALITATIVE_MODES)} 之一，实为 {mode!r}",
                                f"qualitative must be one of {list(QUALITATIVE_MODES)}, got {mode!r}"))
    assumed = obs.scored.loc[obs.scored["qualitative"].isna(), "county"]
    if assumed.empty:
        return []
    return ["qualitative"] if mode == "common" else [f"qualitative:{c}" for c in sorted(set(assumed))]


def score_functions(obs: Observations, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each scored (round, county) row's score as ``F·x + const``."""
    n_ind = len(obs.codes)
    F = np.zeros((len(obs.scored), n_ind + len(columns)))
    F[:, :n_ind] = obs.ratios
    fixed = obs.scored["qualitative"].to_numpy(dtype=float)
    const = np.nan_to_num(fixed, nan=0.0)
    position = {name: n_ind + i for i, name in enumerate(columns)}
    for j, (county, q) in enumerate(zip(obs.scored["county"], fixed)):
        if np.isnan(q):
            F[j, position.get(f"qualitative:{county}", position.get("qualitative", -1))] = 1.0
    return F, const


def result_functions(obs: Observations, F: np.ndarray, const: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each published result's function: the county's score, or the mean score of the round."""
    index = {(r, c): j for j, (r, c) in enumerate(zip(obs.scored["round"], obs.scored["county"]))}
    rows, consts = [], []
    for kind, round_year, county in zip(obs.results["kind"], obs.results["round"], obs.results["county"]):
        if kind == "average":
            members = np.flatnonzero(obs.scored["round"].to_numpy() == round_year)
            rows.append(F[members].mean(axis=0))
            consts.append(const[members].mean())
        else:
            j = index[(round_year, county)]
            rows.append(F[j])
            consts.append(const[j])
    return np.array(rows).reshape(len(rows), F.shape[1]), np.array(consts, dtype=float)


def programme(obs: Observations, model: dict, qualitative: str = "common", max_points: float | None = None,
              max_slack: float | None = None) -> Programme:
    """The calibration's linear programme (see :class:`lingshou.evaluation.calibration.fit.Programme`).

    Parameters
    ----------
    obs : Observations
    model : dict
    qualitative : {'common', 'per_county'}
        One qualitative value for every county the data lack, or one per county (module docstring).
    max_points : float, optional
        Upper bound of one indicator's points (default: the quantitative total, 85).
    max_slack : float, optional
        Largest misfit (points) allowed to one published result (default: unlimited).

    Raises
    ------
    ParameterError
        An unknown ``qualitative`` mode, or a bound that is not a positive number (``max_points`` at most
        the quantitative total).
    """
    total = float(sum(entry["points"] for entry in model["indicators"].values()))
    max_points = _limit("max_points", max_points, total) or total
    max_slack = _limit("max_slack", max_slack)
    columns = qualitative_columns(obs, qualitative)
    F, const = result_functions(obs, *score_functions(obs, columns))
    results = obs.results
    A, b, owner = half_constraints(F, const, results["lo"].to_numpy(float), results["hi"].to_numpy(float),
                                   0.0, float(model["total_points"]))
    n_ind = len(obs.codes)
    q_lo, q_hi = (float(v) for v in model["qualitative"]["range"])
    lower = np.concatenate([np.zeros(n_ind), np.full(len(columns), q_lo)])
    upper = np.concatenate([np.full(n_ind, max_points), np.full(len(columns), q_hi)])
    eq = np.concatenate([np.ones(n_ind, dtype=bool), np.zeros(len(columns), dtype=bool)])
    return Programme(A=A, b=b, owner=owner, lower=lower, upper=upper, eq=eq, total=total,
                     names=list(obs.codes) + columns, max_slack=max_slack)
