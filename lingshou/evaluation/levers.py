"""What it takes on the levers a department controls: spending, counts, R&D, the qualitative points.

The provincial model scores ratios (the fiscal S&T share, high-tech firms per 1,000 firms …) beside levels
(the spending, the count).  A department moves the operand — the county spends more, certifies more firms —
and every indicator built on it moves with it: the share rises with the spending (the budget stays), the
per-1,000 ratio with the count (the number of firms stays).  Raising linked indicators independently counts
one effort twice and asks for impossible combinations (a share up while spending and budget stay put).

A *lever* is the numerator of a derived indicator (the catalogue's formula), or the indicator itself;
:func:`lever_groups` maps each lever to the model indicators it moves in proportion.  The qualitative
(创新管理) points are a lever of their own: they are raised by the management work the province judges
(the items of the model's ``qualitative`` block).

:func:`lever_plan` finds the least total relative increase of the levers that lifts the county to a score
threshold.  Under every scoring rule an indicator's points are ``min(p, slope · (value − floor))`` with
fixed anchors (the other counties' values are held), so each lever's points are concave piecewise linear
in its relative increase ``r``, and the plan is a linear programme (HiGHS via :func:`scipy.optimize.linprog`):

    minimise  Σ_j r_j + g_q / q_0
    subject to  t_i ≤ slope_i · (x_i (1 + r_j(i)) − floor_i) − p0_i,   0 ≤ t_i ≤ p_i − p0_i,
                Σ_i t_i + g_q ≥ points needed,   0 ≤ r_j ≤ max increase,   0 ≤ g_q ≤ q_max − q_0,

with ``t_i`` the points gained on indicator ``i``, ``p0_i`` its current points and ``g_q`` the qualitative
points gained (their relative increase ``g_q / q_0`` is their cost).  When the threshold cannot be reached
every lever goes to its bound (the best the county can do within them).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from lingshou.errors import AnalysisError, ParameterError
from lingshou.evaluation.model import check_model, check_wide, qualitative_pillar, qualitative_points
from lingshou.i18n import bi

#: Columns of a lever plan: the indicator rows of :func:`lingshou.evaluation.peers.what_it_takes`, each with
#: the lever that moves it and that lever's relative increase (%).
LEVER_COLUMNS = ["indicator", "pillar", "unit", "current", "needed", "increase_abs", "increase_pct", "points_gained",
                 "lead_unit", "lever", "lever_increase_pct"]
_TOL = 1e-9


def lever_groups(model: dict, formulas: dict | None = None, qualitative: bool = True) -> dict[str, list[str]]:
    """Lever code → the model indicators it moves in proportion (model order).

    Parameters
    ----------
    model : dict
    formulas : mapping, optional
        Derived indicator code → formula with a ``numerator`` (:meth:`lingshou.data.catalogue.Catalogue.derived`).
        A derived model indicator is moved by its numerator; the others by themselves.
    qualitative : bool
        Add the qualitative points (the model's ``qualitative.indicator``) as a lever of their own.
    """
    model = check_model(model)
    formulas = formulas or {}
    groups: dict[str, list[str]] = {}
    for code in model["indicators"]:
        lever = formulas[code].numerator if code in formulas else code
        groups.setdefault(lever, []).append(code)
    if qualitative:
        q = model["qualitative"]["indicator"]
        groups[q] = [q]
    return groups


def anchors(values: pd.DataFrame, model: dict, rule: str) -> tuple[np.ndarray, np.ndarray]:
    """Per indicator: the value where points start (floor) and where they reach full points (ref), the other
    counties' values held as they are."""
    x = values.to_numpy(dtype=float)
    bench = np.array([model["indicators"][c]["benchmark"] for c in values.columns], dtype=float)
    floor = np.zeros(len(bench))
    if rule == "benchmark_ratio":
        ref = bench
    elif rule == "best_peer":
        ref = np.nanmax(x, axis=0)
    elif rule == "peer_p90":
        ref = np.nanquantile(x, 0.9, axis=0)
    else:
        floor, ref = np.nanmin(x, axis=0), bench
    return floor, ref


def _check_groups(groups: dict, model: dict) -> None:
    codes = set(model["indicators"]) | {model["qualitative"]["indicator"]}
    seen: dict[str, str] = {}
    for lever, members in groups.items():
        for code in members:
            if code not in codes:
                raise ParameterError(bi(f"杠杆 {lever!r} 的指标 {code!r} 不是模型指标",
                                        f"lever {lever!r} moves {code!r}, which is not a model indicator"))
            if code in seen:
                raise ParameterError(bi(f"指标 {code!r} 同时属于杠杆 {seen[code]!r} 和 {lever!r}",
                                        f"indicator {code!r} belongs to both levers {seen[code]!r} and {lever!r}"))
            seen[code] = lever


# long: one linear programme — its matrices, the solve and the rows read back share the same index arrays.
def lever_plan(wide: pd.DataFrame, model: dict, county, groups: dict, need: float, *, rule: str,
               bounds: dict, qualitative=None, impute: str = "peer_median") -> tuple[pd.DataFrame, dict]:
    """The least total relative increase of the levers that gains ``need`` points (see the module docstring).

    Parameters
    ----------
    wide : pandas.DataFrame
        Counties × indicator codes, one data year.
    model : dict
    county : str
    groups : mapping
        :func:`lever_groups`.
    need : float
        Points to gain (≤ 0: nothing to do).
    rule : str
        Scoring rule whose anchors are held.
    bounds : mapping
        Indicator code → largest relative increase (fraction); a lever's bound is the smallest of its
        indicators' (the qualitative points: their code, else no bound but their maximum).
    qualitative, impute
        As for :func:`~lingshou.evaluation.model.score_counties`.  Qualitative points given here for the county
        are the analyst's: they are not a lever (``excluded`` says so).

    Returns
    -------
    plan : pandas.DataFrame
        Columns :data:`LEVER_COLUMNS` (``lead_unit`` empty), one row per indicator moved, levers in the
        order of ``groups``.
    info : dict
        ``excluded`` (code → reason), ``max_gain`` (points with every lever at its bound), ``reachable``,
        ``total_increase_pct`` (the sum over levers, each counted once).

    Raises
    ------
    ParameterError
        A group naming a non-model indicator or an indicator in two groups.
    AnalysisError
        The solver fails (it should not: the programme is always feasible with ``need`` capped).
    """
    model = check_model(model)
    _check_groups(groups, model)
    codes = list(model["indicators"])
    values = check_wide(wide, codes)
    floor, ref = anchors(values[codes], model, rule)
    x = values.loc[county].to_numpy(dtype=float)
    points = np.array([model["indicators"][c]["points"] for c in codes], dtype=float)
    q_code = model["qualitative"]["indicator"]
    q_points, _assumed = qualitative_points(wide, model, qualitative)
    q0, q_max = float(q_points[county]), float(model["qualitative"]["points"])
    given = _given(qualitative, county)

    excluded, levers, members = {}, [], []          # members: (indicator position, lever position)
    for lever, group in groups.items():
        if lever == q_code:
            if given:
                excluded[q_code] = "given"
            elif q0 >= q_max - _TOL:
                excluded[q_code] = "full points"
            continue
        live = []
        for code in group:
            i = codes.index(code)
            reason = ("missing" if np.isnan(x[i]) else "zero" if x[i] <= 0 else None)
            if reason:
                excluded[code] = reason
            else:
                live.append(i)
        bound = min(float(bounds.get(codes[i], 0.0)) for i in live) if live else 0.0
        if live and bound > 0:
            levers.append((lever, bound))
            members.extend((i, len(levers) - 1) for i in live)
        elif live:
            excluded.update({codes[i]: "not feasible" for i in live})
    q_lever = q_code in groups and q_code not in excluded

    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(ref > floor, points / (ref - floor), 0.0)
    p0 = np.clip(slope * (x - floor), 0.0, points)
    n_j, n_t = len(levers), len(members)
    n_var = n_j + n_t + (1 if q_lever else 0)
    cost = np.zeros(n_var)
    cost[:n_j] = 1.0
    if q_lever:
        cost[-1] = 1.0 / q0 if q0 > 0 else 1.0
    a_ub, b_ub = np.zeros((n_t + 1, n_var)), np.zeros(n_t + 1)
    for k, (i, j) in enumerate(members):
        a_ub[k, n_j + k], a_ub[k, j] = 1.0, -slope[i] * x[i]
        b_ub[k] = slope[i] * (x[i] - floor[i]) - p0[i]
    q_bound = float(bounds.get(q_code, np.inf))
    q_room = (min(q_max - q0, q0 * q_bound) if np.isfinite(q_bound) else q_max - q0) if q_lever else 0.0
    var_bounds = ([(0.0, b) for _, b in levers] + [(0.0, float(points[i] - p0[i])) for i, _ in members]
                  + ([(0.0, q_room)] if q_lever else []))
    gains = [min(points[i] - p0[i], max(slope[i] * (x[i] * (1 + levers[j][1]) - floor[i]) - p0[i], 0.0))
             for i, j in members]
    max_gain = float(sum(gains)) + q_room
    target = min(max(need, 0.0), max_gain)
    a_ub[n_t, n_j:] = -1.0
    b_ub[n_t] = -target
    if target <= _TOL:
        solution = np.zeros(n_var)
    else:
        result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=var_bounds, method="highs")
        if result.status != 0:
            raise AnalysisError(bi(f"求解所需增幅失败：{result.message}", f"the lever plan could not be solved: {result.message}"))
        solution = result.x
    rows = []
    for j, (lever, _bound) in enumerate(levers):
        r = float(solution[j])
        if r <= _TOL:
            continue
        for i, jj in members:
            if jj != j:
                continue
            gained = min(points[i] - p0[i], max(slope[i] * (x[i] * (1 + r) - floor[i]) - p0[i], 0.0))
            rows.append(_row(codes[i], model, x[i], x[i] * (1 + r), gained, lever, r))
    if q_lever and solution[-1] > _TOL:
        g = float(solution[-1])
        rows.append(_row(q_code, model, q0, q0 + g, g, q_code, g / q0 if q0 > 0 else np.nan))
    plan = pd.DataFrame(rows, columns=LEVER_COLUMNS)
    total = 100.0 * (sum(float(solution[j]) for j in range(n_j)) + (float(solution[-1]) / q0 if q_lever and q0 > 0 else 0.0))
    return plan, {"excluded": excluded, "max_gain": max_gain, "reachable": bool(need <= max_gain + _TOL),
                  "total_increase_pct": total}


def _given(qualitative, county) -> bool:
    """The analyst gave this county's qualitative points (then they are data, not a lever)."""
    if qualitative is None:
        return False
    if isinstance(qualitative, (dict, pd.Series)):
        value = pd.Series(qualitative, dtype=float).get(county)
        return value is not None and not pd.isna(value)
    return True


def _row(code: str, model: dict, current: float, needed: float, gained: float, lever: str, r: float) -> dict:
    entry = model["indicators"].get(code)
    pillar = entry["pillar"] if entry else qualitative_pillar(model)
    unit = str(entry.get("unit", "")) if entry else "分"
    return {"indicator": code, "pillar": pillar, "unit": unit, "current": current, "needed": needed,
            "increase_abs": needed - current, "increase_pct": 100.0 * (needed - current) / current,
            "points_gained": float(gained), "lead_unit": "", "lever": lever, "lever_increase_pct": 100.0 * r}
