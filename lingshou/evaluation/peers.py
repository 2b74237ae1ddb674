"""A county among its peers under the provincial scoring model: position, published grades, levers.

- :func:`peer_position`: rank, percentile, distance to the next grade, strengths and weaknesses by
  pillar and indicator relative to the peer median (COINr ``get_str_weak``, measured in points).
- :func:`compare_published`: modelled grades beside published ones, with an ``agrees`` flag.
- :func:`what_it_takes`: the cheapest set of indicator increases that reaches a grade threshold.

"What it takes" — effort is the *sum of relative increases* (in %) over the indicators.  Under the
rules of :mod:`lingshou.evaluation.model` an indicator's points grow linearly with its value from the rule's
floor up to the value that earns full points (the benchmark, the best peer or the peer P90), then stop.
Raising value ``x`` by ``d`` % gains ``slope · x · d / 100`` points (``slope`` = points per unit of
value) up to a cap; minimising the total % under a points target with linear, capped gains is a
fractional knapsack, solved exactly by the greedy order "most points per % first".  The peer
statistics are held at their current values while planning (exact for ``benchmark_ratio`` and for
``best_peer`` below the best; the plan is re-scored with :func:`~lingshou.evaluation.model.score_counties`
and the plan's ``score_after`` reports the true result).  An indicator at 0 or missing cannot be raised
by a percentage and is left out (its ``excluded`` says why); the qualitative points are not a lever.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lingshou.errors import DataError, ParameterError
from lingshou.evaluation.model import (
    SCORE_DECIMALS,
    check_model,
    check_wide,
    qualitative_pillar,
    score_counties,
)
from lingshou.evaluation.levers import PLAN_COLUMNS, lever_plan
from lingshou.evaluation.grade_plan import GradePlan
from lingshou.evaluation.rules import anchors
from lingshou.i18n import bi

#: Points below which a remaining need counts as met (float noise of the greedy sums).
EPSILON = 1e-9


def _county(scores: pd.DataFrame, county) -> None:
    if county not in scores.index:
        raise ParameterError(bi(f"县 {county!r} 不在数据中", f"county {county!r} is not in the data"))


def _grade_index(model: dict, grade: str) -> int:
    names = [g["grade"] for g in model["grades"]]
    if grade not in names:
        raise ParameterError(bi(f"未知等级 {grade!r}，可用 {names}", f"unknown grade {grade!r}; choose one of {names}"))
    return names.index(grade)


@dataclass(frozen=True)
class PeerPosition:
    """Where a county stands among the counties of a scores table.

    Attributes
    ----------
    county : str
    score : float
        Points (0–100).
    rank, n : int
        Rank (1 = best, ties share the lower number) among ``n`` counties.
    percentile : float
        Share of the *other* counties with a strictly lower score, in % (100 = best, 0 = worst; 100 when
        ``n = 1``).
    grade : str
    next_grade : str or None
        The grade above (None at the top grade).
    to_next_grade : float
        Points missing to the next grade's minimum (NaN at the top grade).
    margin : float
        Points above the current grade's minimum.
    pillars : pandas.DataFrame
        One row per pillar: ``pillar, points, max_points, peer_median, difference`` (points − peer
        median), ``difference_pct`` (difference as % of the pillar's points), ``rank`` (among the peers,
        ties ``min``), ``label`` (``strength`` above the median, ``weakness`` below, ``par`` equal),
        ``assumed`` (True for the qualitative pillar when its points were the model default); sorted by
        ``difference_pct`` from the strongest.
    indicators : pandas.DataFrame
        The same per quantitative indicator (``indicator`` instead of ``pillar``, ``max_points`` = its
        points in the model; ``assumed`` = imputed for this county).
    """

    county: str
    score: float
    rank: int
    n: int
    percentile: float
    grade: str
    next_grade: str | None
    to_next_grade: float
    margin: float
    pillars: pd.DataFrame
    indicators: pd.DataFrame

    def summary(self) -> pd.Series:
        """The scalar attributes as one Series (for a table or ``summary.json``)."""
        return pd.Series({k: getattr(self, k) for k in ("county", "score", "rank", "n", "percentile", "grade",
                                                         "next_grade", "to_next_grade", "margin")})


def _profile(scores: pd.DataFrame, county, columns: dict, maxima: dict, assumed: dict, key: str) -> pd.DataFrame:
    rows = []
    for label, column in columns.items():
        values = scores[column]
        own = float(values[county])
        median = float(values.median())
        difference = own - median
        rows.append({
            key: label, "points": own, "max_points": float(maxima[label]), "peer_median": median,
            "difference": difference, "difference_pct": 100.0 * difference / maxima[label],
            "rank": int(values.round(SCORE_DECIMALS).rank(ascending=False, method="min")[county]),
            "label": "strength" if difference > EPSILON else "weakness" if difference < -EPSILON else "par",
            "assumed": bool(assumed[label]),
        })
    table = pd.DataFrame(rows)
    return table.sort_values("difference_pct", ascending=False, kind="stable").reset_index(drop=True)


def peer_position(scores: pd.DataFrame, county, model: dict) -> PeerPosition:
    """Position of ``county`` among the counties of ``scores``.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`lingshou.evaluation.model.score_counties` (the peer set = its rows).
    county : str
        A county of ``scores``.
    model : dict
        The model that produced ``scores`` (grade thresholds, pillars, points).

    Returns
    -------
    PeerPosition

    Raises
    ------
    ParameterError
        If ``county`` is not in ``scores``.
    """
    model = check_model(model)
    _county(scores, county)
    score = float(scores.loc[county, "score"])
    grade = str(scores.loc[county, "grade"])
    index = _grade_index(model, grade)
    grades = model["grades"]
    next_grade = grades[index - 1]["grade"] if index > 0 else None
    to_next = grades[index - 1]["min"] - score if index > 0 else float("nan")
    n = len(scores)
    lower = int((scores["score"].round(SCORE_DECIMALS) < round(score, SCORE_DECIMALS)).sum())

    q_pillar = qualitative_pillar(model)
    pillar_max = {name: entry["points"] for name, entry in model["pillars"].items()}
    pillar_assumed = {name: name == q_pillar and bool(scores.loc[county, "qualitative_assumed"]) for name in pillar_max}
    pillars = _profile(scores, county, {name: name for name in pillar_max}, pillar_max, pillar_assumed, "pillar")
    imputed = set(filter(None, str(scores.loc[county, "imputed"]).split(", ")))
    codes = list(model["indicators"])
    indicators = _profile(scores, county, {c: f"points_{c}" for c in codes},
                          {c: model["indicators"][c]["points"] for c in codes}, {c: c in imputed for c in codes}, "indicator")
    return PeerPosition(county=county, score=score, rank=int(scores.loc[county, "rank"]), n=n,
                        percentile=100.0 * lower / (n - 1) if n > 1 else 100.0, grade=grade, next_grade=next_grade,
                        to_next_grade=to_next, margin=score - grades[index]["min"], pillars=pillars, indicators=indicators)


def compare_published(modelled: pd.DataFrame, published: pd.DataFrame, model: dict | None = None) -> pd.DataFrame:
    """Modelled grades beside published ones.

    Parameters
    ----------
    modelled : pandas.DataFrame
        Index = counties with a ``grade`` column (and ``score``, ``rank`` when available), e.g. the
        output of :func:`lingshou.evaluation.model.score_counties`.
    published : pandas.DataFrame
        Columns ``county``, ``grade`` for ONE evaluation round (filter the round first).
    model : dict, optional
        When given, the grade order adds the column ``direction``.

    Returns
    -------
    pandas.DataFrame
        One row per published county, in the published order: ``county, score, rank, grade_modelled,
        grade_published, agrees`` (nullable boolean: <NA> when the county was not modelled) and, with a
        model, ``direction`` (``same``, ``higher`` or ``lower``: the modelled grade relative to the
        published one; <NA> when not modelled).

    Raises
    ------
    DataError
        Missing columns, a county listed twice, or a published grade unknown to the model.
    """
    for frame, needed, name in ((published, ("county", "grade"), "published"), (modelled, ("grade",), "modelled")):
        absent = [c for c in needed if c not in frame.columns]
        if absent:
            raise DataError(bi(f"{name} 表缺少列 {absent}", f"the {name} table lacks column(s) {absent}"))
    twice = published["county"][published["county"].duplicated()].unique().tolist()
    if twice:
        raise DataError(bi(f"已公布等级表中县 {twice} 出现多次；请先筛选一个评价年度",
                           f"county(ies) {twice} appear more than once in the published grades; filter one round first"))
    out = pd.DataFrame({"county": published["county"].to_numpy()})
    for column in ("score", "rank"):
        out[column] = modelled[column].reindex(out["county"]).to_numpy() if column in modelled.columns else np.nan
    out["grade_modelled"] = pd.Series(modelled["grade"].reindex(out["county"]).to_numpy(), dtype="str")
    out["grade_published"] = pd.Series(published["grade"].to_numpy(), dtype="str")
    known = out["grade_modelled"].notna()
    out["agrees"] = pd.array([a == b if k else pd.NA for a, b, k in
                              zip(out["grade_modelled"], out["grade_published"], known)], dtype="boolean")
    if model is not None:
        model = check_model(model)
        names = [g["grade"] for g in model["grades"]]
        unknown = sorted(set(out["grade_published"]) - set(names))
        if unknown:
            raise DataError(bi(f"已公布等级 {unknown} 不在模型等级 {names} 中",
                               f"published grade(s) {unknown} are not grades of the model {names}"))
        order = {g: i for i, g in enumerate(names)}
        out["direction"] = pd.Series(
            [("same" if order[m] == order[p] else "higher" if order[m] < order[p] else "lower") if k else pd.NA
             for m, p, k in zip(out["grade_modelled"], out["grade_published"], known)], dtype="str")
    return out


# ---------------------------------------------------------------------------------------------------
# What it takes


def target_threshold(model: dict, grade: str, target_grade: str | None = None, margin: float = 0.0) -> tuple[str, float]:
    """The grade to aim at and its score threshold (points).

    Without ``target_grade``: the grade above ``grade``, or ``grade`` itself at the top (keep it).
    The threshold is the target grade's minimum plus ``margin``.
    """
    index = _grade_index(model, grade)
    if target_grade is None:
        target_grade = model["grades"][max(index - 1, 0)]["grade"]
    target = model["grades"][_grade_index(model, target_grade)]
    return target_grade, float(target["min"]) + float(margin)


def _feasible(codes: list[str], feasible, max_increase: float) -> np.ndarray:
    feasible = dict(feasible or {})
    unknown = [c for c in feasible if c not in codes]
    if unknown:
        raise ParameterError(bi(f"feasible 中的指标 {unknown} 不是模型指标",
                                f"feasible names indicator(s) {unknown} that are not in the model"))
    bounds = np.array([feasible.get(c, max_increase) for c in codes], dtype=float)
    if (bounds < 0).any() or not np.isfinite(bounds).all():
        raise ParameterError(bi(f"可行增幅须为非负有限数：max_increase={max_increase!r}, feasible={feasible!r}",
                                f"feasible increases must be finite and >= 0: max_increase={max_increase!r}, feasible={feasible!r}"))
    return bounds


def _lead_units(codes: list[str], catalogue: pd.DataFrame | None) -> dict:
    if catalogue is None:
        return {c: "" for c in codes}
    absent = [c for c in ("code", "lead_unit") if c not in catalogue.columns]
    if absent:
        raise DataError(bi(f"指标目录缺少列 {absent}", f"the catalogue lacks column(s) {absent}"))
    lookup = dict(zip(catalogue["code"], catalogue["lead_unit"].fillna("")))
    return {c: str(lookup.get(c, "")) for c in codes}




# long: the numpydoc docstring documents both methods and every option; the code is about 30 lines.
def what_it_takes(wide: pd.DataFrame, model: dict, county, target_grade: str | None = None, margin: float = 0.0,
                  feasible: dict | None = None, catalogue: pd.DataFrame | None = None, rule: str | None = None,
                  max_increase: float = 1.0, qualitative=None, impute: str = "peer_median",
                  levers: dict | None = None) -> GradePlan:
    """The least-effort set of indicator increases that lifts ``county`` to a grade threshold.

    With ``levers`` (:func:`lingshou.evaluation.levers.lever_groups`) the increases are made on the levers a
    department controls — the operand moves and every indicator built on it moves in proportion, the
    qualitative points are a lever of their own — by the linear programme of
    :func:`lingshou.evaluation.levers.lever_plan`; without, each indicator is raised on its own (greedy, most
    points per % first).

    Parameters
    ----------
    wide : pandas.DataFrame
        Counties × indicator codes, one data year (as for :func:`~lingshou.evaluation.model.score_counties`).
    model : dict
    county : str
    target_grade : str, optional
        Default: the next grade up, or the current grade when already at the top.
    margin : float
        Points to reach above the target grade's minimum (e.g. 2 to keep a grade with 2 points to spare).
    feasible : dict, optional
        Per indicator code, the largest relative increase allowed (fraction: 0.5 = +50 %; 0 = cannot
        change); other indicators get ``max_increase``.
    catalogue : pandas.DataFrame, optional
        Columns ``code, lead_unit`` (the catalogue ``indicators.csv``) to fill ``lead_unit``.
    rule : str, optional
        Scoring rule; default the model's ``scoring.rule``.
    max_increase : float
        Default largest relative increase per indicator (1.0 = +100 %).
    qualitative, impute
        As for :func:`~lingshou.evaluation.model.score_counties`.
    levers : mapping, optional
        Lever → the model indicators it moves (see above).

    Returns
    -------
    GradePlan
        ``table``: one row per indicator to raise, in the greedy order (most points per % first; with
        ``levers``: by lever): ``indicator, pillar, unit, current, needed`` (value units), ``increase_abs``
        (value units), ``increase_pct`` (%), ``points_gained``, ``lead_unit`` — with ``levers`` also ``lever``
        and ``lever_increase_pct`` (``total_increase_pct`` then sums each lever once); empty when the
        threshold is already reached.  The fields say what the plan achieves (:class:`GradePlan`).

    Raises
    ------
    ParameterError
        Unknown county, grade, or feasible indicator; negative bounds.
    DataError
        See :func:`~lingshou.evaluation.model.score_counties`; a catalogue without ``code``/``lead_unit``.
    """
    model = check_model(model)
    rule = rule or model["scoring"]["rule"]
    codes = list(model["indicators"])
    scores = score_counties(wide, model, rule=rule, qualitative=qualitative, impute=impute)
    _county(scores, county)
    values = check_wide(wide, codes)
    bounds = _feasible(codes, feasible, max_increase)
    score = float(scores.loc[county, "score"])
    grade = str(scores.loc[county, "grade"])
    target_grade, target_score = target_threshold(model, grade, target_grade, margin)
    need = target_score - score

    if levers is None:
        plan, info = _greedy_plan(values, model, county, rule, bounds, need)
    else:
        plan, info = lever_plan(wide, model, county, levers, need, rule=rule, qualitative=qualitative, impute=impute,
                                bounds={**dict(zip(codes, bounds)), model["qualitative"]["indicator"]: float(max_increase)})
    leads = _lead_units(list(plan["indicator"]), catalogue)
    plan["lead_unit"] = [leads[c] for c in plan["indicator"]]
    rescored = score_counties(apply_plan(wide, county, plan), model, rule=rule, qualitative=qualitative, impute=impute)
    return GradePlan(table=plan, county=county, rule=rule, score=score, grade=grade, target_grade=target_grade,
                target_score=target_score, points_needed=max(need, 0.0), points_planned=float(plan["points_gained"].sum()),
                max_score=score + info["max_gain"], score_after=float(rescored.loc[county, "score"]),
                reachable=info["reachable"], total_increase_pct=info["total_increase_pct"], excluded=info["excluded"],
                levers=levers is not None)


def _greedy_plan(values: pd.DataFrame, model: dict, county, rule: str, bounds: np.ndarray,
                 need: float) -> tuple[pd.DataFrame, dict]:
    """Each indicator raised on its own, most points per % first, until ``need`` points are gained; the plan
    (``lead_unit`` empty) and ``excluded``, ``max_gain``, ``reachable``, ``total_increase_pct``."""
    codes = list(model["indicators"])
    floor, ref = anchors(values, model, rule)
    x = values.loc[county].to_numpy(dtype=float)
    points = np.array([model["indicators"][c]["points"] for c in codes], dtype=float)
    excluded: dict = {}
    candidates = []
    for i, code in enumerate(codes):
        cap = min(ref[i], x[i] * (1.0 + bounds[i])) if np.isfinite(x[i]) else np.nan
        if np.isnan(x[i]):
            excluded[code] = "missing"
        elif x[i] <= 0:
            excluded[code] = "zero"
        elif not ref[i] > floor[i] or x[i] >= ref[i]:
            excluded[code] = "full points"
        elif not cap > x[i]:
            excluded[code] = "not feasible"
        else:
            slope = points[i] / (ref[i] - floor[i])
            # below the floor (goalposts: impossible, the county is a peer) nothing is earned until it
            start = max(x[i], floor[i])
            candidates.append((slope * x[i] / 100.0, i, slope, start, cap))
    candidates.sort(key=lambda c: -c[0])  # stable: ties keep the model's order
    max_gain = float(sum(slope * (cap - start) for _, _, slope, start, cap in candidates))
    rows, remaining = [], need
    for _, i, slope, start, cap in candidates:
        if remaining <= EPSILON:
            break
        gained = min(slope * (cap - start), remaining)
        needed = start + gained / slope
        remaining -= gained
        code = codes[i]
        rows.append({"indicator": code, "pillar": model["indicators"][code]["pillar"],
                     "unit": str(model["indicators"][code].get("unit", "")), "current": x[i], "needed": needed,
                     "increase_abs": needed - x[i], "increase_pct": 100.0 * (needed - x[i]) / x[i],
                     "points_gained": gained, "lead_unit": ""})
    plan = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    return plan, {"excluded": excluded, "max_gain": max_gain, "reachable": bool(need <= EPSILON or remaining <= EPSILON),
                  "total_increase_pct": float(plan["increase_pct"].sum())}


def apply_plan(wide: pd.DataFrame, county, plan: GradePlan | pd.DataFrame) -> pd.DataFrame:
    """``wide`` with the county's values raised to a plan's ``needed`` values (those columns as float); the
    plan is a :class:`~lingshou.evaluation.grade_plan.GradePlan` or its rows."""
    plan = plan.table if isinstance(plan, GradePlan) else plan
    improved = wide.copy()
    codes = list(plan["indicator"])
    for code in codes:           # the qualitative points of a lever plan, in data without that column
        if code not in improved.columns:
            improved[code] = np.nan
    improved[codes] = improved[codes].astype(float)
    if codes:
        improved.loc[county, codes] = plan["needed"].to_numpy(dtype=float)
    return improved
