"""Monte Carlo uncertainty and sensitivity analysis of the provincial grades.

What is unknown about the evaluation is drawn at random, replication by replication:

(a) weights — each quantitative indicator's points × U(1 − noise, 1 + noise) (``uncertainty.weight_noise``,
    0.25), then rescaled so the quantitative points still sum to their total (85); or, in a calibrated model
    (``uncertainty.weights: calibrated``, written by ``lingshou calibrate``), rows drawn from the calibration's
    sample of points consistent with the published results — with the qualitative points of the same row for
    the counties whose points are not given (the factors are then the points over their sample means);
(b) the scoring rule — uniformly among ``uncertainty.rules``;
(c) the qualitative points of every county — uniformly in the model's ``qualitative.range`` where they
    are assumed; where the analyst gave them (``qualitative`` argument or the ``innovation_management``
    column) uniformly in ``[q − spread, q + spread] ∩ [0, qualitative.points]`` (``qualitative_spread``,
    default 2 points: one of the three 5-point items judged two points off);
(d) the imputation of missing quantitative values — uniformly among ``uncertainty.imputation``.

The draws are made once, up front, by :func:`draw_inputs` (order: weight factors ``(n_sims,
n_indicators)``, rule indices, imputation indices, qualitative uniforms ``(n_sims, n_counties)``), so the
vectorised :func:`simulate_scores` and the reference :func:`simulate_scores_naive` (one
:func:`~lingshou.evaluation.model.score_counties` call per replication) see identical inputs.

Vectorisation: a county's score is ``Σ_i points[s, i] · ratio[rule_s, imputation_s][c, i] + q[s, c]``.
The ratio matrices (counties × indicators) are computed once per (rule, imputation) pair; the
``(n_sims, n_counties, n_indicators)`` contraction is one matrix product per pair over all its
replications, which never materialises the 230 MB array of 10 000 × 167 × 17 doubles.

Sensitivity (first-order share of the variance of each county's score due to each input,
``S_X = Var(E[Y | X]) / Var(Y)``) is estimated from the same replications by regression: the share of
variance explained by the input alone, adjusted for degrees of freedom (adjusted R²) and clipped to
[0, 1].  For the discrete inputs (rule, imputation) the regressors are the levels' dummies, which makes
the R² exactly the between-group variance of the replications grouped by level; for a county's own
qualitative points it is the squared correlation (the score is linear in them, so this is exact); for
the 17 weight factors, taken as one group, it is the R² of a linear regression on all of them — the
"standardised regression" estimate, accurate because ±25 % weight noise moves the score almost linearly.
A county whose score does not vary gets NaN shares.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import pandas as pd

from lingshou.errors import ParameterError
from lingshou.evaluation.model import (
    IMPUTATIONS,
    SCORE_DECIMALS,
    check_model,
    check_wide,
    impute_ratios,
    qualitative_points,
    score_counties,
)
from lingshou.evaluation.rules import RULES, rule_ratios
from lingshou.evaluation.peers import apply_plan, target_threshold, what_it_takes
from lingshou.evaluation.grade_plan import GradePlan
from lingshou.i18n import bi

#: Inputs whose variance shares are reported, in the order of the ``var_share_*`` columns.
INPUTS = ("weights", "rule", "qualitative", "imputation")


@dataclass(frozen=True)
class Draws:
    """The random inputs of every replication (see the module docstring).

    Attributes
    ----------
    counties : pandas.Index
    codes : list of str
        Quantitative indicator codes, model order.
    factors : numpy.ndarray, shape (n_sims, n_indicators)
        Weight multipliers.
    points : numpy.ndarray, shape (n_sims, n_indicators)
        Points per indicator after rescaling (each row sums to the quantitative total).
    rules : tuple of str
    rule_index : numpy.ndarray of int, shape (n_sims,)
    imputations : tuple of str
    impute_index : numpy.ndarray of int, shape (n_sims,)
    qualitative : numpy.ndarray, shape (n_sims, n_counties)
        Qualitative points.
    qualitative_given : numpy.ndarray of bool, shape (n_counties,)
    """

    counties: pd.Index
    codes: list
    factors: np.ndarray
    points: np.ndarray
    rules: tuple
    rule_index: np.ndarray
    imputations: tuple
    impute_index: np.ndarray
    qualitative: np.ndarray
    qualitative_given: np.ndarray

    @property
    def n_sims(self) -> int:
        return self.factors.shape[0]


def _choices(name: str, given, default, allowed) -> tuple:
    chosen = tuple(default if given is None else given)
    unknown = [c for c in chosen if c not in allowed]
    if not chosen or unknown or len(set(chosen)) != len(chosen):
        raise ParameterError(bi(f"{name}={list(chosen)} 须为 {list(allowed)} 中不重复的非空选择",
                                f"{name}={list(chosen)} must be a non-empty list of distinct values from {list(allowed)}"))
    return chosen


def draw_inputs(wide: pd.DataFrame, model: dict, n_sims: int = 10_000, seed=0, qualitative=None,
                weight_noise: float | None = None, rules=None, imputation=None,
                qualitative_spread: float = 2.0) -> Draws:
    """Draw the random inputs of ``n_sims`` replications.

    Parameters
    ----------
    wide : pandas.DataFrame
        Counties × indicator codes (gives the counties and the given qualitative points).
    model : dict
    n_sims : int
        Number of replications (≥ 2).
    seed : int or numpy.random.Generator
        Seed of ``numpy.random.default_rng`` (same seed → same draws), or a Generator to draw from.
    qualitative : float, pandas.Series or dict, optional
        Qualitative points given by the analyst (see :func:`~lingshou.evaluation.model.qualitative_points`).
    weight_noise : float, optional
        Half-width of the multiplicative weight noise, in [0, 1); default the model's.
    rules, imputation : list of str, optional
        Alternatives drawn uniformly; default the model's ``uncertainty.rules`` / ``.imputation``.
    qualitative_spread : float
        Half-width (points) of the draw around given qualitative points.

    Returns
    -------
    Draws

    Raises
    ------
    ParameterError
        Bad ``n_sims``, ``weight_noise``, ``qualitative_spread``, rules or imputation choices.
    """
    model = check_model(model)
    if isinstance(n_sims, bool) or not isinstance(n_sims, Integral) or n_sims < 2:
        raise ParameterError(bi(f"n_sims 应为 ≥ 2 的整数，实为 {n_sims!r}", f"n_sims must be an integer >= 2, got {n_sims!r}"))
    unc = model["uncertainty"]
    noise = unc["weight_noise"] if weight_noise is None else weight_noise
    if isinstance(noise, bool) or not isinstance(noise, Real) or not 0 <= noise < 1:
        raise ParameterError(bi(f"weight_noise 应在 [0, 1) 内，实为 {noise!r}",
                                f"weight_noise must lie in [0, 1), got {noise!r}"))
    if isinstance(qualitative_spread, bool) or not isinstance(qualitative_spread, Real) or not qualitative_spread >= 0:
        raise ParameterError(bi(f"qualitative_spread 应为非负数，实为 {qualitative_spread!r}",
                                f"qualitative_spread must be a non-negative number, got {qualitative_spread!r}"))
    rules = _choices("rules", rules, unc["rules"], RULES)
    imputations = _choices("imputation", imputation, unc["imputation"], IMPUTATIONS[:-1])
    codes = list(model["indicators"])
    base = np.array([model["indicators"][c]["points"] for c in codes], dtype=float)
    given_points, assumed = qualitative_points(wide, model, qualitative)

    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    calibrated = unc.get("weights") == "calibrated"
    if calibrated:
        sample = model["calibration"]["sample"]
        rows = rng.integers(0, len(sample), size=n_sims)
        points = sample[codes].to_numpy(dtype=float)[rows]
        scale = points.mean(axis=0)
        factors = np.divide(points, scale, out=np.ones_like(points), where=scale > 0)
    else:
        factors = rng.uniform(1.0 - noise, 1.0 + noise, size=(n_sims, len(codes)))
    rule_index = rng.integers(0, len(rules), size=n_sims)
    impute_index = rng.integers(0, len(imputations), size=n_sims)
    uniform = rng.random((n_sims, len(wide.index)))

    if not calibrated:
        points = base * factors
        points *= base.sum() / points.sum(axis=1, keepdims=True)
    q = model["qualitative"]
    given = ~assumed.to_numpy()
    centre = given_points.to_numpy()
    lo = np.where(given, np.maximum(centre - qualitative_spread, 0.0), q["range"][0])
    hi = np.where(given, np.minimum(centre + qualitative_spread, q["points"]), q["range"][1])
    drawn = lo + uniform * (hi - lo)
    if calibrated:
        drawn = _calibrated_qualitative(drawn, given, wide.index, model["calibration"]["sample"], rows)
    return Draws(counties=wide.index, codes=codes, factors=factors, points=points, rules=rules, rule_index=rule_index,
                 imputations=imputations, impute_index=impute_index, qualitative=drawn, qualitative_given=given)


def _calibrated_qualitative(drawn: np.ndarray, given: np.ndarray, counties, sample: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Qualitative points of the counties without given points, from the same sample rows as the weights.

    A county's own column (``qualitative:<county>``, a per-county calibration) first, else the common value
    (``qualitative``); a county the calibration did not fit keeps its draw from the model's range.
    """
    out = drawn.copy()
    for j, county in enumerate(counties):
        if given[j]:
            continue
        column = f"qualitative:{county}" if f"qualitative:{county}" in sample.columns else "qualitative"
        if column in sample.columns:
            out[:, j] = sample[column].to_numpy(dtype=float)[rows]
    return out


def simulate_scores(wide: pd.DataFrame, model: dict, draws: Draws, columns=None) -> np.ndarray:
    """Scores of every county in every replication, vectorised.

    Parameters
    ----------
    columns : list of int, optional
        Only these counties (positions in ``draws.counties``): the peer statistics of the rules and the
        imputation still come from every county, only the contraction is restricted (a robust plan needs
        one county's scores, the province has 167).

    Returns
    -------
    numpy.ndarray, shape (n_sims, n_counties) or (n_sims, len(columns))
        Points (0–100).
    """
    model = check_model(model)
    values = check_wide(wide, draws.codes)
    keep = slice(None) if columns is None else list(columns)
    scores = np.empty((draws.n_sims, len(draws.counties) if columns is None else len(keep)))
    for r, rule in enumerate(draws.rules):
        ratios = rule_ratios(values, model, rule)
        for j, imputation in enumerate(draws.imputations):
            sims = np.flatnonzero((draws.rule_index == r) & (draws.impute_index == j))
            if sims.size:
                filled = impute_ratios(ratios, values, model, rule, imputation).to_numpy()[keep]
                scores[sims] = draws.points[sims] @ filled.T
    return scores + draws.qualitative[:, keep]


def _replication_model(model: dict, draws: Draws, s: int) -> dict:
    indicators = {c: {**model["indicators"][c], "points": float(draws.points[s, i])} for i, c in enumerate(draws.codes)}
    pillars = {}
    for name, entry in model["pillars"].items():
        members = [float(draws.points[s, i]) for i, c in enumerate(draws.codes) if indicators[c]["pillar"] == name]
        pillars[name] = {**entry, "points": sum(members)} if members else entry
    return {**model, "indicators": indicators, "pillars": pillars}


def simulate_scores_naive(wide: pd.DataFrame, model: dict, draws: Draws) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reference implementation: one :func:`~lingshou.evaluation.model.score_counties` call per replication.

    Returns
    -------
    scores : numpy.ndarray, shape (n_sims, n_counties)
    ranks : numpy.ndarray of int, same shape
    grade_index : numpy.ndarray of int, same shape (index into ``model['grades']``, 0 = top grade)
    """
    model = check_model(model)
    names = [g["grade"] for g in model["grades"]]
    shape = (draws.n_sims, len(draws.counties))
    scores, ranks, grades = np.empty(shape), np.empty(shape, dtype=int), np.empty(shape, dtype=int)
    for s in range(draws.n_sims):
        result = score_counties(wide, _replication_model(model, draws, s), rule=draws.rules[draws.rule_index[s]],
                                qualitative=pd.Series(draws.qualitative[s], index=draws.counties),
                                impute=draws.imputations[draws.impute_index[s]])
        scores[s] = result["score"].to_numpy()
        ranks[s] = result["rank"].to_numpy()
        grades[s] = [names.index(g) for g in result["grade"]]
    return scores, ranks, grades


def rank_rows(scores: np.ndarray) -> np.ndarray:
    """Ranks within each row (1 = highest; ties share the lower number), on scores rounded to 9 decimals."""
    rounded = np.round(scores, SCORE_DECIMALS)
    order = np.argsort(-rounded, axis=1, kind="stable")
    ordered = np.take_along_axis(rounded, order, axis=1)
    position = np.broadcast_to(np.arange(scores.shape[1]), scores.shape)
    starts = np.ones(scores.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=1)
    ranks = np.empty(scores.shape, dtype=int)
    np.put_along_axis(ranks, order, first + 1, axis=1)
    return ranks


def grade_rows(scores: np.ndarray, model: dict) -> np.ndarray:
    """Grade index (0 = top grade of ``model['grades']``) of every score, on scores rounded to 9 decimals."""
    mins = np.array([g["min"] for g in model["grades"]], dtype=float)
    return (np.round(scores, SCORE_DECIMALS)[..., np.newaxis] < mins).sum(axis=-1)


def _adjusted(r2: np.ndarray, n: int, p: int) -> np.ndarray:
    if p <= 0:
        return np.zeros_like(r2)
    return np.clip(1.0 - (1.0 - r2) * (n - 1) / (n - p - 1), 0.0, 1.0) if n - p - 1 > 0 else np.full_like(r2, np.nan)


def variance_shares(scores: np.ndarray, draws: Draws, has_missing=None) -> pd.DataFrame:
    """First-order variance shares of each county's score (see the module docstring).

    Parameters
    ----------
    scores : numpy.ndarray, shape (n_sims, n_counties)
    draws : Draws
    has_missing : array-like of bool, optional
        Counties with a missing quantitative value.  The others' scores cannot depend on the imputation
        (peer statistics use observed values only), so their imputation share is set to exactly 0
        instead of being estimated as sampling noise.

    Returns
    -------
    pandas.DataFrame
        Index = counties; columns ``var_share_weights, var_share_rule, var_share_qualitative,
        var_share_imputation`` in [0, 1] (NaN for a county whose score does not vary).
    """
    n = scores.shape[0]
    centred = scores - scores.mean(axis=0)
    total = (centred ** 2).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = {}
        # Weights as one group: orthonormal basis of the centred factors (dropping null directions,
        # e.g. weight_noise = 0), then the explained sum of squares of each county's score.
        q_mat, r_mat = np.linalg.qr(draws.factors - draws.factors.mean(axis=0))
        diagonal = np.abs(np.diag(r_mat))
        basis = q_mat[:, diagonal > 1e-12 * max(1.0, diagonal.max(initial=0.0))]
        shares["weights"] = _adjusted(((basis.T @ centred) ** 2).sum(axis=0) / total, n, basis.shape[1])
        for name, index in (("rule", draws.rule_index), ("imputation", draws.impute_index)):
            levels = np.unique(index)
            between = sum((index == level).sum() * centred[index == level].mean(axis=0) ** 2 for level in levels)
            shares[name] = _adjusted(between / total, n, len(levels) - 1)
        qc = draws.qualitative - draws.qualitative.mean(axis=0)
        sxx = (qc ** 2).sum(axis=0)
        r2 = np.where(sxx > 0, (qc * centred).sum(axis=0) ** 2 / (sxx * total), 0.0)
        shares["qualitative"] = _adjusted(r2, n, 1)
    if has_missing is not None:
        shares["imputation"] = np.where(np.asarray(has_missing, dtype=bool), shares["imputation"], 0.0)
    varies = total > 1e-12 * n
    return pd.DataFrame({f"var_share_{k}": np.where(varies, shares[k], np.nan) for k in INPUTS}, index=draws.counties)


def summarise_simulations(scores: np.ndarray, ranks: np.ndarray, grade_index: np.ndarray, draws: Draws,
                          model: dict, nominal: pd.DataFrame) -> pd.DataFrame:
    """Per-county summary of simulated scores, ranks and grades (columns: see :func:`analyse_uncertainty`)."""
    names = [g["grade"] for g in model["grades"]]
    out = nominal[["score", "rank", "grade"]].copy()
    for column, values in (("score", scores), ("rank", ranks)):
        p05, median, p95 = np.quantile(values, [0.05, 0.5, 0.95], axis=0)
        out[f"{column}_p05"], out[f"{column}_median"], out[f"{column}_p95"] = p05, median, p95
    for g, name in enumerate(names):
        out[f"p_grade_{name}"] = (grade_index == g).mean(axis=0)
    nominal_index = np.array([names.index(g) for g in nominal["grade"]])
    out["p_nominal_grade"] = (grade_index == nominal_index).mean(axis=0)
    out = out.join(variance_shares(scores, draws, nominal["n_imputed"].to_numpy() > 0))
    out["qualitative_assumed"] = ~draws.qualitative_given
    out["n_imputed"] = nominal["n_imputed"].to_numpy()
    return out


@dataclass(frozen=True)
class MonteCarlo:
    """The result of :func:`analyse_uncertainty`: the per-county table and what the replications drew.

    Attributes
    ----------
    table : pandas.DataFrame
        Index = counties (columns: see :func:`analyse_uncertainty`).
    n_sims : int
        Replications.
    rules : tuple of str
        Scoring rules drawn (uniformly).
    imputation : tuple of str
        Imputations of missing values drawn (uniformly).
    """

    table: pd.DataFrame
    n_sims: int
    rules: tuple
    imputation: tuple

    @classmethod
    def of(cls, table: pd.DataFrame, draws: Draws) -> MonteCarlo:
        return cls(table, draws.n_sims, tuple(draws.rules), tuple(draws.imputations))


def _nominal(wide, model, qualitative, impute) -> pd.DataFrame:
    return score_counties(wide, model, rule=model["scoring"]["rule"], qualitative=qualitative, impute=impute)


def analyse_uncertainty(wide: pd.DataFrame, model: dict, n_sims: int = 10_000, seed=0, qualitative=None,
                        impute: str = "peer_median", weight_noise: float | None = None, rules=None, imputation=None,
                        qualitative_spread: float = 2.0) -> MonteCarlo:
    """Monte Carlo ranks, grade probabilities and variance shares of every county (vectorised).

    Parameters
    ----------
    wide : pandas.DataFrame
        Counties × indicator codes, one data year.
    model : dict
    n_sims : int
        Replications (10 000 × 167 counties × 17 indicators runs in about a second).
    seed : int or numpy.random.Generator
        Same seed, same numbers.
    qualitative : optional
        Given qualitative points (see :func:`~lingshou.evaluation.model.qualitative_points`).
    impute : str
        Imputation of the nominal (deterministic) scores.
    weight_noise, rules, imputation, qualitative_spread
        See :func:`draw_inputs`.

    Returns
    -------
    MonteCarlo
        Its ``table``: index = counties; columns: ``score, rank, grade`` (nominal: the model's default rule and weights,
        given or default qualitative points); ``score_p05, score_median, score_p95, rank_p05,
        rank_median, rank_p95`` (5th, 50th, 95th percentiles over the replications, linear
        interpolation; rank 1 = best); ``p_grade_<G>`` for every model grade (sum to 1);
        ``p_nominal_grade``; ``var_share_weights, var_share_rule, var_share_qualitative,
        var_share_imputation``; ``qualitative_assumed``; ``n_imputed``.  Beside it ``n_sims``, ``rules``
        and ``imputation``: what was drawn.
    """
    model = check_model(model)
    draws = draw_inputs(wide, model, n_sims, seed, qualitative, weight_noise, rules, imputation, qualitative_spread)
    scores = simulate_scores(wide, model, draws)
    return MonteCarlo.of(summarise_simulations(scores, rank_rows(scores), grade_rows(scores, model), draws, model,
                                               _nominal(wide, model, qualitative, impute)), draws)


def uncertainty_naive(wide: pd.DataFrame, model: dict, n_sims: int = 100, seed=0, qualitative=None,
                      impute: str = "peer_median", weight_noise: float | None = None, rules=None, imputation=None,
                      qualitative_spread: float = 2.0) -> MonteCarlo:
    """Same as :func:`analyse_uncertainty`, one ``score_counties`` call per replication (for benchmarks).

    Ranks and grades come from :func:`~lingshou.evaluation.model.score_counties` itself, so agreement with the
    vectorised path also checks :func:`rank_rows` and :func:`grade_rows`.
    """
    model = check_model(model)
    draws = draw_inputs(wide, model, n_sims, seed, qualitative, weight_noise, rules, imputation, qualitative_spread)
    scores, ranks, grades = simulate_scores_naive(wide, model, draws)
    return MonteCarlo.of(summarise_simulations(scores, ranks, grades, draws, model,
                                               _nominal(wide, model, qualitative, impute)), draws)


# long: the numpydoc docstring documents the bisection and every option; the code is about 40 lines.
def what_it_takes_robust(wide: pd.DataFrame, model: dict, county, target_grade: str | None = None,
                         margin: float = 0.0, probability: float = 0.8, n_sims: int = 2_000, seed=0,
                         feasible: dict | None = None, catalogue: pd.DataFrame | None = None,
                         max_increase: float = 1.0, qualitative=None, impute: str = "peer_median",
                         tolerance: float = 0.05, weight_noise: float | None = None, rules=None, imputation=None,
                         qualitative_spread: float = 2.0, levers: dict | None = None) -> GradePlan:
    """The plan of :func:`~lingshou.evaluation.peers.what_it_takes`, with the smallest extra margin
    that makes the target grade hold with at least ``probability`` under the Monte Carlo.

    The greedy plan for a larger margin raises every indicator at least as much as the plan for a smaller
    one, and the replications are common to every margin tried (same draws), so the probability grows with
    the margin: the margin is found by bisection to ``tolerance`` points.  A lever plan (``levers``) may trade
    one lever for another as the margin grows, so its probability need not grow strictly; the bisection then
    still returns a margin whose plan reaches ``probability`` (checked, not assumed: ``robust`` says so).

    Parameters
    ----------
    probability : float
        Required probability that the county's grade is the target grade or better, in (0, 1].
    n_sims, seed, weight_noise, rules, imputation, qualitative_spread
        Monte Carlo settings (see :func:`draw_inputs`).
    tolerance : float
        Bisection stops when the margin is known to within this many points.
    levers : mapping, optional
        As for :func:`~lingshou.evaluation.peers.what_it_takes` — without the qualitative points: the
        replications draw those, so a plan raising them would not be seen by the simulation.
    Other parameters
        As for :func:`~lingshou.evaluation.peers.what_it_takes`.

    Returns
    -------
    GradePlan
        As :func:`~lingshou.evaluation.peers.what_it_takes` returns it, with ``probability_target``,
        ``probability`` (achieved by this plan), ``probability_plan`` (achieved by the plain plan, margin =
        ``margin``), ``margin_used`` (points above the target grade's minimum in the nominal model),
        ``robust`` (bool: the probability was reached within the feasible increases) and ``n_sims`` set.

    Raises
    ------
    ParameterError
        ``probability`` outside (0, 1], non-positive ``tolerance``; see also :func:`draw_inputs` and
        :func:`~lingshou.evaluation.peers.what_it_takes`.
    """
    if isinstance(probability, bool) or not isinstance(probability, Real) or not 0 < probability <= 1:
        raise ParameterError(bi(f"probability 应在 (0, 1] 内，实为 {probability!r}",
                                f"probability must lie in (0, 1], got {probability!r}"))
    if isinstance(tolerance, bool) or not isinstance(tolerance, Real) or not tolerance > 0:
        raise ParameterError(bi(f"tolerance 应为正数，实为 {tolerance!r}",
                                f"tolerance must be a positive number, got {tolerance!r}"))
    model = check_model(model)
    options = dict(feasible=feasible, catalogue=catalogue, max_increase=max_increase, qualitative=qualitative, impute=impute,
                   levers=levers)
    base = what_it_takes(wide, model, county, target_grade=target_grade, margin=margin, **options)
    draws = draw_inputs(wide, model, n_sims, seed, qualitative, weight_noise, rules, imputation, qualitative_spread)
    column = list(draws.counties).index(county)
    target_grade = base.target_grade
    _, threshold = target_threshold(model, base.grade, target_grade)
    target_index = [g["grade"] for g in model["grades"]].index(target_grade)

    def plan_at(extra: float) -> tuple[GradePlan, float]:
        plan = what_it_takes(wide, model, county, target_grade=target_grade, margin=extra, **options)
        scores = simulate_scores(apply_plan(wide, county, plan), model, draws, columns=[column])[:, 0]
        return plan, float((grade_rows(scores, model) <= target_index).mean())

    plan, p_plan = plan_at(margin)
    best, p_best, used, robust = plan, p_plan, margin, p_plan >= probability
    if not robust:
        top = base.max_score - threshold
        plan_top, p_top = plan_at(top)
        best, p_best, used, robust = plan_top, p_top, top, p_top >= probability
        low, high = margin, top
        while robust and high - low > tolerance:
            middle = 0.5 * (low + high)
            candidate, p_mid = plan_at(middle)
            if p_mid >= probability:
                high, best, p_best, used = middle, candidate, p_mid, middle
            else:
                low = middle
    return dataclasses.replace(best, probability_target=float(probability), probability=p_best,
                               probability_plan=p_plan, margin_used=float(used), robust=bool(robust),
                               n_sims=draws.n_sims)
