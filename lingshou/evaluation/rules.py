"""The provincial model's scoring rules as normalisations of the composite engine — one engine.

A rule turns a county's value ``x`` of an indicator into the share ``r ∈ [0, 1]`` of the indicator's points it
earns.  Each rule is a normalisation block of :mod:`lingshou.evaluation.composite` onto ``[0, 1]``, with its
anchors from the model (the benchmark ``b``) or from the peers' observed values:

=================  ========================================  ==============================================
rule               anchors (floor, reference)                 composite normalisation
=================  ========================================  ==============================================
``benchmark_ratio``  0, ``b``                                 ``target``, target ``b``
``best_peer``        0, ``max(peers)``                        ``target``, target ``max(peers)``
``peer_p90``         0, ``P90(peers)`` (numpy linear)         ``target``, target ``P90(peers)``
``goalposts``        ``min(peers)``, ``b``                    ``goalposts``, lo ``min(peers)``, hi ``b``
=================  ========================================  ==============================================

The engine computes the ratios (:func:`rule_ratios` calls
:func:`~lingshou.evaluation.composite.normalise_values`), so the scores, the Monte Carlo's ratio matrices and
the calibration all run through it.  Two anchors have no normalisation, and the model's own rule applies:
a peer reference of 0 (nobody has any) earns every county 0, and goalposts whose benchmark is at or below
every peer (``b ≤ min``) earn full points at or above the benchmark.

:func:`model_spec` writes the whole model under one rule as a composite spec — indicators weighted by their
points and grouped by pillar, normalised onto ``[0, Q]`` with ``Q`` the quantitative points — so that
:func:`~lingshou.evaluation.composite.build_composite` scores the quantitative part (the qualitative points
are added outside) and gives the engine's reports (effective weights, correlations) for the provincial model.
The engine's aggregation is a weighted mean, ``Σ (pᵢ/Q)·Q·rᵢ``: it equals the model's ``Σ pᵢ·rᵢ`` to
floating-point rounding (≈ 1e-14), which is why :func:`~lingshou.evaluation.model.score_counties` keeps the
plain sum — its tables stay identical byte for byte.

May import: :mod:`lingshou.evaluation.composite` and the foundation modules — not :mod:`~.model` (which
imports this module).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lingshou.errors import ParameterError
from lingshou.evaluation.composite import normalise_values
from lingshou.i18n import bi

RULES = ("benchmark_ratio", "best_peer", "peer_p90", "goalposts")
#: What :func:`model_spec` can hand to the engine, by the model's name: the engine has no "zero" imputation.
SPEC_IMPUTATIONS = {"peer_median": "median", "none": "none"}
#: Where the rules normalise to: the ratio of the points earned.
UNIT_RANGE = [0.0, 1.0]


def check_rule(rule) -> str:
    """``rule`` itself when it is one of :data:`RULES`."""
    if rule not in RULES:
        raise ParameterError(bi(f"未知评分规则 {rule!r}，可用 {list(RULES)}",
                                f"unknown scoring rule {rule!r}; choose one of {list(RULES)}"))
    return rule


def _benchmarks(model: dict, codes) -> np.ndarray:
    return np.array([model["indicators"][c]["benchmark"] for c in codes], dtype=float)


def anchors(peers: pd.DataFrame, model: dict, rule: str) -> tuple[np.ndarray, np.ndarray]:
    """Per indicator (the columns of ``peers``): where points start (floor) and where they are full (reference).

    The peer statistics are taken over each column's observed values.
    """
    check_rule(rule)
    x = peers.to_numpy(dtype=float)
    bench = _benchmarks(model, peers.columns)
    with np.errstate(all="ignore"):  # an indicator nobody observed has NaN anchors
        if rule == "benchmark_ratio":
            return np.zeros(len(bench)), bench
        if rule == "best_peer":
            return np.zeros(len(bench)), np.nanmax(x, axis=0)
        if rule == "peer_p90":
            return np.zeros(len(bench)), np.nanquantile(x, 0.9, axis=0)
        return np.nanmin(x, axis=0), bench


def normalisations(peers: pd.DataFrame, model: dict, rule: str, out_range=UNIT_RANGE) -> dict:
    """The composite normalisation block of every indicator under ``rule``; None where none exists.

    None marks the two anchors the engine cannot express (see the module docstring): a peer reference of 0,
    or goalposts whose benchmark is at or below the floor.
    """
    floor, ref = anchors(peers, model, rule)
    blocks = {}
    for code, lo, hi in zip(peers.columns, floor, ref):
        if rule == "goalposts":
            blocks[code] = ({"method": "goalposts", "lo": float(lo), "hi": float(hi), "range": list(out_range)}
                            if hi > lo else None)
        else:
            blocks[code] = {"method": "target", "target": float(hi), "range": list(out_range)} if hi > 0 else None
    return blocks


def rule_ratios(values: pd.DataFrame, model: dict, rule: str, peers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Achievement ratios in [0, 1] (points earned = points × ratio) under ``rule``, normalised by the engine.

    Parameters
    ----------
    values : pandas.DataFrame
        Counties × the model's indicator codes (checked by :func:`~lingshou.evaluation.model.check_wide`);
        NaN stays NaN.
    model : dict
    rule : str
        One of :data:`RULES`.
    peers : pandas.DataFrame, optional
        Whose observed values give the peer statistics (max, P90, min); default ``values`` itself.

    Returns
    -------
    pandas.DataFrame
        Same shape as ``values``.
    """
    peers = values if peers is None else peers[values.columns]
    blocks = normalisations(peers, model, rule)
    bench = _benchmarks(model, values.columns)
    ratios = {}
    for code, b in zip(values.columns, bench):
        x = values[code].to_numpy(dtype=float)
        block = blocks[code]
        if block is not None:
            ratios[code] = normalise_values(x, block, name=code)
        else:  # reference 0 → nothing; goalposts with b ≤ floor → full points from b
            ratios[code] = np.where(np.isnan(x), np.nan, (x >= b).astype(float) if rule == "goalposts" else 0.0)
    return pd.DataFrame(ratios, index=values.index, columns=values.columns)


def _expressed(block, code: str, peers: pd.DataFrame, rule: str, bench: float, out_range) -> dict:
    """A block for an anchor the engine cannot take, exact for the peers' own values (all ≥ floor, ≤ max)."""
    if block is not None:
        return block
    if rule == "goalposts":  # every peer is at or above b: a target of b gives them all full points
        return {"method": "target", "target": bench, "range": list(out_range)}
    top = float(np.nanmax(peers[code].to_numpy(dtype=float)))  # reference 0: nobody above the top earns
    return {"method": "goalposts", "lo": top, "hi": top + 1.0, "range": list(out_range)}


def model_spec(peers: pd.DataFrame, model: dict, rule: str, impute: str = "peer_median") -> dict:
    """The model's quantitative part under ``rule`` as a composite spec for the counties of ``peers``.

    Parameters
    ----------
    peers : pandas.DataFrame
        Counties × the model's indicator codes (one data year); its observed values give the peer anchors,
        and the spec is exact for these counties.
    model : dict
        A checked model (:func:`~lingshou.evaluation.model.check_model`).
    rule : str
        One of :data:`RULES`.
    impute : {'peer_median', 'none'}
        The model's imputation; ``zero`` (no points for a missing value) is not an imputation of values and
        has no spec.

    Returns
    -------
    dict
        A spec for :func:`~lingshou.evaluation.composite.build_composite`: its ``score`` is the quantitative
        points (0 … Q), a group's score is ``Q ×`` the share of the pillar's points earned.

    Raises
    ------
    ParameterError
        Unknown rule, or an imputation the engine does not have.
    """
    check_rule(rule)
    if impute not in SPEC_IMPUTATIONS:
        raise ParameterError(bi(f"缺失值处理 {impute!r} 无法写成综合指数规格，可用 {list(SPEC_IMPUTATIONS)}",
                                f"imputation {impute!r} has no composite spec; choose one of {list(SPEC_IMPUTATIONS)}"))
    codes = list(model["indicators"])
    peers = peers[codes]
    total = float(sum(model["indicators"][c]["points"] for c in codes))
    out_range = [0.0, total]
    blocks = normalisations(peers, model, rule, out_range)
    bench = _benchmarks(model, codes)
    indicators, pillar_points = {}, {}
    for code, b in zip(codes, bench):
        entry = model["indicators"][code]
        indicators[code] = {"weight": float(entry["points"]), "group": entry["pillar"],
                            "normalise": _expressed(blocks[code], code, peers, rule, float(b), out_range)}
        pillar_points[entry["pillar"]] = pillar_points.get(entry["pillar"], 0.0) + entry["points"]
    groups = {pillar: {"weight": points} for pillar, points in pillar_points.items()}
    return {"title": f"{model['title_en']} ({rule})", "normalise": {"method": "minmax", "range": out_range},
            "aggregate": "arithmetic", "impute": SPEC_IMPUTATIONS[impute], "outliers": False,
            "indicators": indicators, "groups": groups}
