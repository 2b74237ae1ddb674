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
from lingshou.evaluation.rules import anchors
from lingshou.i18n import bi

#: Columns of a plan of :func:`lingshou.evaluation.peers.what_it_takes`: one row per indicator raised.
PLAN_COLUMNS = ["indicator", "pillar", "unit", "current", "needed", "increase_abs", "increase_pct", "points_gained",
                "lead_unit"]
#: Columns of a lever plan: those, each row with the lever that moves it and that lever's relative increase (%).
LEVER_COLUMNS = PLAN_COLUMNS + ["lever", "lever_increase_pct"]
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
    points = _Points(values, model, rule, county)
    q_code = model["qualitative"]["indicator"]
    q0 = float(qualitative_points(wide, model, qualitative)[0][county])
    levers, members, excluded = _levers(groups, codes, points.x, bounds, q_code)
    q_room = _qualitative_room(model, q_code in groups, _given(qualitative, county), q0, bounds.get(q_code), excluded)
    max_gain = sum(points.gain(i, levers[j][1]) for i, j in members) + q_room
    target = min(max(need, 0.0), max_gain)
    q_cost = 1.0 / q0 if q0 > 0 else 1.0          # the qualitative points' relative increase per point
    r, g_q = _solve(points, levers, members, q_room, q_cost, target)
    rows = [_row(codes[i], model, points.x[i], points.x[i] * (1 + r[j]), points.gain(i, r[j]), levers[j][0], r[j])
            for j in range(len(levers)) if r[j] > _TOL for i, jj in members if jj == j]
    if g_q > _TOL:
        rows.append(_row(q_code, model, q0, q0 + g_q, g_q, q_code, g_q * q_cost))
    total = 100.0 * (float(np.sum(r)) + g_q * q_cost)
    return pd.DataFrame(rows, columns=LEVER_COLUMNS), {"excluded": excluded, "max_gain": max_gain,
                                                       "reachable": bool(need <= max_gain + _TOL),
                                                       "total_increase_pct": total}


class _Points:
    """The county's points on each indicator as a function of a relative increase ``r`` of its value, the
    other counties held: ``min(p, slope · (x (1 + r) − floor))``, above what it has now."""

    def __init__(self, values: pd.DataFrame, model: dict, rule: str, county):
        floor, ref = anchors(values, model, rule)
        self.x = values.loc[county].to_numpy(dtype=float)
        self.points = np.array([model["indicators"][c]["points"] for c in values.columns], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.slope = np.where(ref > floor, self.points / (ref - floor), 0.0)
        self.floor = floor
        self.now = np.clip(self.slope * (self.x - floor), 0.0, self.points)

    def gain(self, i: int, r: float) -> float:
        """Points gained on indicator ``i`` when its value rises by the fraction ``r``."""
        return float(min(self.points[i] - self.now[i],
                         max(self.slope[i] * (self.x[i] * (1 + r) - self.floor[i]) - self.now[i], 0.0)))


def _levers(groups: dict, codes: list[str], x: np.ndarray, bounds: dict, q_code: str):
    """The levers that can move (name, bound), their indicators ``(indicator position, lever position)`` and
    the codes left out with the reason (the qualitative lever is handled by :func:`_qualitative_room`)."""
    excluded, levers, members = {}, [], []
    for lever, group in groups.items():
        if lever == q_code:
            continue
        live = []
        for code in group:
            i = codes.index(code)
            reason = "missing" if np.isnan(x[i]) else "zero" if x[i] <= 0 else None
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
    return levers, members, excluded


def _qualitative_room(model: dict, wanted: bool, given: bool, q0: float, bound, excluded: dict) -> float:
    """Points the qualitative lever may add (0 when it is no lever: not asked for, the analyst's, or full)."""
    if not wanted:
        return 0.0
    q_code, q_max = model["qualitative"]["indicator"], float(model["qualitative"]["points"])
    if given or q0 >= q_max - _TOL:
        excluded[q_code] = "given" if given else "full points"
        return 0.0
    bound = np.inf if bound is None else float(bound)
    return min(q_max - q0, q0 * bound) if np.isfinite(bound) else q_max - q0


def _solve(points: _Points, levers: list, members: list, q_room: float, q_cost: float, target: float):
    """The linear programme of the module docstring: each lever's relative increase, and the qualitative
    points gained."""
    n_j, n_t = len(levers), len(members)
    if target <= _TOL:
        return np.zeros(n_j), 0.0
    n_var = n_j + n_t + 1                           # levers, points gained per indicator, qualitative points
    cost = np.zeros(n_var)
    cost[:n_j], cost[-1] = 1.0, q_cost
    a_ub, b_ub = np.zeros((n_t + 1, n_var)), np.zeros(n_t + 1)
    for k, (i, j) in enumerate(members):
        a_ub[k, n_j + k], a_ub[k, j] = 1.0, -points.slope[i] * points.x[i]
        b_ub[k] = points.slope[i] * (points.x[i] - points.floor[i]) - points.now[i]
    a_ub[n_t, n_j:] = -1.0
    b_ub[n_t] = -target
    var_bounds = ([(0.0, b) for _, b in levers] + [(0.0, float(points.points[i] - points.now[i])) for i, _ in members]
                  + [(0.0, q_room)])
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=var_bounds, method="highs")
    if result.status != 0:
        raise AnalysisError(bi(f"求解所需增幅失败：{result.message}", f"the lever plan could not be solved: {result.message}"))
    return result.x[:n_j], float(result.x[-1])


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
