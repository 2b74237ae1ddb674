"""Monte Carlo over the weights of any composite spec — the uncertainty analysis of the composite engine.

Each replication multiplies every indicator's weight by a factor drawn from ``U(1 − noise, 1 + noise)``
(the weights stay relative within their group, as in the spec; the groups keep their weights) and
aggregates the spec's normalised values again.  What does not depend on the weights — imputation, outlier
treatment, normalisation — is done once by :func:`~lingshou.evaluation.composite.build_composite`; the
replications are one contraction of the ``(n_sims, n_indicators)`` weights with the ``(units, indicators)``
values per group: 10,000 replications of the provincial model's spec over 167 units take about half a
second on the 2-core development machine, ranks and quantiles included.  The result agrees with one
``build_composite`` call per replication (:func:`simulate_composite_naive`, the reference the tests hold it
to).  Ranks are 1 = best with ties sharing the lower number, on scores rounded to
:data:`~lingshou.evaluation.spec.RANK_DECIMALS` decimals, as the engine ranks.

For the provincial model, :func:`lingshou.evaluation.rules.model_spec` gives the spec under one rule; the
provincial Monte Carlo (:mod:`lingshou.evaluation.uncertainty`) draws the rule, the qualitative points and the
imputation as well.

May import: :mod:`lingshou.evaluation.composite`, :mod:`lingshou.evaluation.spec` and the foundation modules.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from lingshou.errors import ParameterError
from lingshou.evaluation.composite import CompositeResult, build_composite
from lingshou.evaluation.spec import RANK_DECIMALS, _members
from lingshou.i18n import bi

#: Columns of :attr:`CompositeMonteCarlo.table`.
COLUMNS = ["score", "score_p05", "score_median", "score_p95", "rank", "rank_p05", "rank_median", "rank_p95"]


@dataclass(frozen=True)
class CompositeMonteCarlo:
    """What :func:`simulate_composite` computes.

    Attributes
    ----------
    table : pandas.DataFrame
        Index = units; :data:`COLUMNS`: the nominal score and rank, and their 5 %, 50 % and 95 % quantiles
        over the replications.
    scores : numpy.ndarray, shape (n_sims, n_units)
        The score of every unit in every replication.
    factors : numpy.ndarray, shape (n_sims, n_indicators)
        The weight factors drawn, in the order of the spec's indicators.
    noise : float
    """

    table: pd.DataFrame
    scores: np.ndarray
    factors: np.ndarray
    noise: float

    @property
    def n_sims(self) -> int:
        return int(self.scores.shape[0])


def draw_factors(n_indicators: int, n_sims: int = 1000, noise: float = 0.25, seed=0) -> np.ndarray:
    """Weight factors ``U(1 − noise, 1 + noise)``, shape ``(n_sims, n_indicators)``.

    Raises
    ------
    ParameterError
        ``n_sims`` not a positive integer, ``noise`` outside ``[0, 1)``.
    """
    if isinstance(n_sims, bool) or not isinstance(n_sims, Integral) or n_sims < 1:
        raise ParameterError(bi(f"n_sims 须为正整数，实为 {n_sims!r}", f"n_sims must be a positive integer, got {n_sims!r}"))
    if isinstance(noise, bool) or not isinstance(noise, Real) or not 0 <= noise < 1:
        raise ParameterError(bi(f"noise 须在 [0, 1) 内，实为 {noise!r}", f"noise must lie in [0, 1), got {noise!r}"))
    rng = np.random.default_rng(seed)
    return rng.uniform(1.0 - noise, 1.0 + noise, size=(int(n_sims), int(n_indicators)))


def _aggregate_draws(values: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    """Weighted means of ``values`` (units × k, NaN = left out) under each row of ``weights`` (draws × k),
    arithmetic or geometric, as the engine aggregates: ``(draws, units)``; NaN where a unit has none."""
    available = ~np.isnan(values)
    y = np.where(available, np.log(np.where(available, values, 1.0)) if method == "geometric" else values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (weights @ y.T) / (weights @ available.T.astype(float))
    return np.exp(mean) if method == "geometric" else mean


def replicate_scores(result: CompositeResult, factors: np.ndarray) -> np.ndarray:
    """The index of every unit under each row of weight ``factors`` (draws × the spec's indicators, in its
    order), from a nominal :func:`~lingshou.evaluation.composite.build_composite` result: ``(draws, units)``."""
    normalised, resolved = result.normalised, result.spec
    factors = np.atleast_2d(np.asarray(factors, dtype=float))
    indicators = resolved["indicators"]
    weights = np.array([ind["weight"] for ind in indicators]) * factors
    level = resolved["aggregate"]
    if not resolved["groups"]:
        return _aggregate_draws(normalised.to_numpy(), weights, level["indicators"])
    position = {ind["name"]: i for i, ind in enumerate(indicators)}
    members = _members(indicators)
    names = list(resolved["groups"])
    group_scores = np.stack([
        _aggregate_draws(normalised[[ind["name"] for ind in members[g]]].to_numpy(),
                         weights[:, [position[ind["name"]] for ind in members[g]]], level["indicators"])
        for g in names], axis=-1)                                              # (draws, units, groups)
    gw = np.array([resolved["groups"][g] for g in names])
    available = ~np.isnan(group_scores)
    if level["groups"] == "geometric":
        logs = np.where(available, np.log(np.where(available, group_scores, 1.0)), 0.0)
        return np.exp((logs * gw).sum(axis=-1) / (available * gw).sum(axis=-1))
    return (np.nan_to_num(group_scores) * gw).sum(axis=-1) / (available * gw).sum(axis=-1)


def _ranks(scores: np.ndarray) -> np.ndarray:
    return rankdata(-np.round(scores, RANK_DECIMALS), axis=1, method="min")


def simulate_composite(data: pd.DataFrame, spec: dict, n_sims: int = 1000, noise: float = 0.25,
                       seed=0) -> CompositeMonteCarlo:
    """Scores and ranks of every unit under ``n_sims`` random perturbations of the spec's weights.

    Parameters
    ----------
    data : pandas.DataFrame
        As for :func:`~lingshou.evaluation.composite.build_composite`.
    spec : dict
        A composite spec.
    n_sims : int
    noise : float
        Half-width of the weight factors, in ``[0, 1)``; 0 repeats the nominal index.
    seed : int or numpy.random.Generator seed

    Returns
    -------
    CompositeMonteCarlo

    Raises
    ------
    ParameterError, DataError, AnalysisError
        As :func:`draw_factors` and :func:`~lingshou.evaluation.composite.build_composite`.
    """
    nominal = build_composite(data, spec)
    resolved = nominal.spec
    factors = draw_factors(len(resolved["indicators"]), n_sims, noise, seed)
    scores = replicate_scores(nominal, factors)
    ranks = _ranks(scores)
    s_q = np.quantile(scores, [0.05, 0.5, 0.95], axis=0)
    r_q = np.quantile(ranks, [0.05, 0.5, 0.95], axis=0)
    table = pd.DataFrame({"score": nominal.scores["score"], "score_p05": s_q[0], "score_median": s_q[1],
                          "score_p95": s_q[2], "rank": nominal.scores["rank"], "rank_p05": r_q[0],
                          "rank_median": r_q[1], "rank_p95": r_q[2]}, index=nominal.scores.index)
    return CompositeMonteCarlo(table=table[COLUMNS], scores=scores, factors=factors, noise=float(noise))


def simulate_composite_naive(data: pd.DataFrame, spec: dict, factors: np.ndarray) -> np.ndarray:
    """Reference: one :func:`~lingshou.evaluation.composite.build_composite` per row of ``factors``, the
    spec's indicator weights multiplied by it; ``(n_sims, n_units)``."""
    out = []
    for row in np.asarray(factors, dtype=float):
        drawn = copy.deepcopy(spec)
        for factor, (name, entry) in zip(row, drawn["indicators"].items()):
            entry = drawn["indicators"][name] = dict(entry or {})
            entry["weight"] = float(entry.get("weight", 1.0)) * factor
        out.append(build_composite(data, drawn).scores["score"].to_numpy())
    return np.array(out)
