"""What every county of a batch shares in the benchmarking, computed once: the Monte Carlo over the peers.

With ``shared_dir`` (a batch's folder, the notebook parameter of the same name) the result is read from
:func:`lingshou.data.store.remember`'s store when a county with the same inputs has computed it; without,
it is computed as always.  Either way the numbers are identical.
"""
from __future__ import annotations

import pandas as pd

from lingshou.data.store import remember


def peer_uncertainty(wide: pd.DataFrame, model: dict, n_sims: int, seed: int, qualitative=None,
                     shared_dir=None) -> pd.DataFrame:
    """:func:`~lingshou.evaluation.uncertainty.analyse_uncertainty` of ``wide`` (every peer), stored in
    ``shared_dir`` under a hash of ``wide``, ``model``, ``n_sims``, ``seed`` and ``qualitative``."""
    from lingshou.evaluation.uncertainty import analyse_uncertainty

    def compute() -> dict:
        return {"table": analyse_uncertainty(wide, model, n_sims=n_sims, seed=seed, qualitative=qualitative)}

    return remember(shared_dir, "uncertainty", (wide, model, n_sims, seed, _plain(qualitative)), compute)["table"]


def _plain(qualitative):
    """The qualitative input (:func:`~lingshou.evaluation.benchmarking.inputs.qualitative_input`: a mapping
    county → points, or None) as JSON."""
    if isinstance(qualitative, dict):
        return {str(k): float(v) for k, v in qualitative.items()}
    return qualitative
