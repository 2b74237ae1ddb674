"""What every county of a batch shares in the benchmarking, computed once: the Monte Carlo over the peers.

With ``shared_dir`` (a batch's folder, the notebook parameter of the same name) the result is read from
:func:`lingshou.data.store.remember`'s store when a county with the same inputs has computed it; without,
it is computed as always.  Either way the numbers are identical.
"""
from __future__ import annotations

import pandas as pd

from lingshou.data.store import remember
from lingshou.evaluation.uncertainty import MonteCarlo, analyse_uncertainty


def peer_uncertainty(wide: pd.DataFrame, model: dict, n_sims: int, seed: int, qualitative=None,
                     shared_dir=None, rules=None) -> MonteCarlo:
    """:func:`~lingshou.evaluation.uncertainty.analyse_uncertainty` of ``wide`` (every peer), stored in
    ``shared_dir`` under a hash of ``wide``, ``model``, ``n_sims``, ``seed``, ``qualitative`` and ``rules``
    (None: the model's ``uncertainty.rules``; a list re-simulates under those rules only, as the sensitivity
    to a rule not drawn, :func:`sensitivity_uncertainty`)."""
    def compute() -> dict:
        mc = analyse_uncertainty(wide, model, n_sims=n_sims, seed=seed, qualitative=qualitative, rules=rules)
        return {"table": mc.table, "n_sims": mc.n_sims, "rules": list(mc.rules), "imputation": list(mc.imputation)}

    key = (wide, model, n_sims, seed, _plain(qualitative)) + (() if rules is None else (list(rules),))
    stored = remember(shared_dir, "monte_carlo" if rules is None else "monte_carlo_" + "_".join(rules), key, compute)
    return MonteCarlo(stored["table"], stored["n_sims"], tuple(stored["rules"]), tuple(stored["imputation"]))


def sensitivity_uncertainty(wide: pd.DataFrame, model: dict, n_sims: int, seed: int, qualitative=None,
                            shared_dir=None) -> dict:
    """The Monte Carlo once per rule of the model's ``uncertainty.sensitivity_rules`` (the rules shown beside
    the grade probability but not drawn), with the same seed, weights, qualitative points and imputation.

    Returns
    -------
    dict
        Rule → :func:`peer_uncertainty` under that rule alone (empty when the model names none).
    """
    return {rule: peer_uncertainty(wide, model, n_sims, seed, qualitative, shared_dir, rules=[rule])
            for rule in model["uncertainty"].get("sensitivity_rules") or []}


def rule_probabilities(model: dict, uncertainty: MonteCarlo, sensitivity: dict) -> dict:
    """Rule → the Monte Carlo under that rule alone, for :func:`rule_comparison`'s ``probabilities``: the
    rules shown as a comparison (:func:`sensitivity_uncertainty`) and, when the model draws one rule only, that
    rule with the main ``uncertainty``."""
    drawn = list(model["uncertainty"]["rules"])
    return {**sensitivity, **({drawn[0]: uncertainty} if len(drawn) == 1 else {})}


def _plain(qualitative):
    """The qualitative input (:func:`~lingshou.evaluation.benchmarking.inputs.qualitative_input`: a mapping
    county → points, or None) as JSON."""
    if isinstance(qualitative, dict):
        return {str(k): float(v) for k, v in qualitative.items()}
    return qualitative
