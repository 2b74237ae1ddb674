"""The Monte Carlo over a composite spec's weights: by hand, against one build_composite per replication."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lingshou.config import DEFAULT_DATA_DIR
from lingshou.errors import ParameterError
from lingshou.evaluation.composite import build_composite
from lingshou.evaluation.composite_uncertainty import (
    COLUMNS,
    draw_factors,
    replicate_scores,
    simulate_composite,
    simulate_composite_naive,
)
from lingshou.evaluation.model import load_model
from lingshou.evaluation.rules import model_spec
from lingshou.evaluation.spec import load_spec

DATA = Path(__file__).parent / "data" / "benchmark"
FLAT = {"indicators": {"a": {}, "b": {}}}
#: a (0, 5, 10) and b (10, 0, 5) normalise by minmax to (0, 50, 100) and (100, 0, 50)
UNITS = pd.DataFrame({"a": [0.0, 5, 10], "b": [10.0, 0, 5]}, index=["u", "v", "w"])


def test_factors_weight_the_indicators_by_hand():
    # weights 1.5 : 0.5 -> 0.75 a + 0.25 b: u 25, v 37.5, w 87.5; weights 1 : 1 -> u 50, v 25, w 75
    scores = replicate_scores(build_composite(UNITS, FLAT), [[1.5, 0.5], [1.0, 1.0]])
    assert np.allclose(scores, [[25.0, 37.5, 87.5], [50.0, 25.0, 75.0]], rtol=0, atol=1e-12)


def test_no_noise_repeats_the_nominal_index():
    mc = simulate_composite(UNITS, FLAT, n_sims=50, noise=0.0)
    assert mc.n_sims == 50 and list(mc.table.columns) == COLUMNS
    assert mc.table["score_p05"].tolist() == pytest.approx([50.0, 25.0, 75.0])
    assert mc.table["score_p95"].tolist() == pytest.approx([50.0, 25.0, 75.0])
    assert mc.table["rank_median"].tolist() == [2.0, 3.0, 1.0]


def test_the_draws_are_seeded_and_bounded():
    a, b = draw_factors(3, 200, 0.25, seed=7), draw_factors(3, 200, 0.25, seed=7)
    assert a.shape == (200, 3) and (a == b).all()
    assert a.min() >= 0.75 and a.max() <= 1.25
    mc = simulate_composite(UNITS, FLAT, n_sims=400, noise=0.2, seed=1)
    t = mc.table
    assert (t["score_p05"] <= t["score_median"]).all() and (t["score_median"] <= t["score_p95"]).all()
    # factors in [0.8, 1.2] give a the share s in [0.4, 0.6]: u = 100 (1 - s) in [40, 60], v = 50 s in [20, 30],
    # w = 50 + 50 s in [70, 80] -- the scores move, the order never does
    assert (mc.scores[:, 0] >= 40 - 1e-9).all() and (mc.scores[:, 2] <= 80 + 1e-9).all()
    assert t["rank_p05"].tolist() == [2.0, 3.0, 1.0] and t["rank_p95"].tolist() == [2.0, 3.0, 1.0]


@pytest.mark.parametrize("aggregate", ["arithmetic", "geometric", {"indicators": "geometric", "groups": "arithmetic"}])
def test_vectorised_equals_one_build_per_replication_on_a_grouped_spec(aggregate):
    spec = load_spec(DATA / "spec_example.yaml")
    spec.update(aggregate=aggregate, normalise={"method": "minmax", "range": [1, 100]}, impute="reweight")
    rng = np.random.default_rng(3)
    data = pd.DataFrame(rng.lognormal(size=(30, 3)), columns=list("abc"), index=[f"u{i}" for i in range(30)])
    data.iloc[[2, 9], 0] = np.nan  # left out and re-weighted
    mc = simulate_composite(data, spec, n_sims=40, noise=0.3, seed=5)
    assert np.allclose(mc.scores, simulate_composite_naive(data, spec, mc.factors), rtol=0, atol=1e-10)


def test_the_provincial_model_as_a_spec_under_weight_noise():
    hebei = load_model(DEFAULT_DATA_DIR / "raw" / "models" / "hebei_county_st_evaluation.yaml")
    codes = list(hebei["indicators"])
    rng = np.random.default_rng(11)
    wide = pd.DataFrame(rng.lognormal(size=(60, len(codes))) * [hebei["indicators"][c]["benchmark"] for c in codes],
                        columns=codes, index=[f"县{i}" for i in range(60)])
    spec = model_spec(wide, hebei, "benchmark_ratio")
    mc = simulate_composite(wide, spec, n_sims=25, noise=0.25, seed=2)
    assert np.allclose(mc.scores, simulate_composite_naive(wide, spec, mc.factors), rtol=0, atol=1e-9)
    assert ((mc.scores >= 0) & (mc.scores <= 85 + 1e-9)).all()


@pytest.mark.parametrize("kwargs, message", [
    ({"n_sims": 0}, r"n_sims must be a positive integer, got 0"),
    ({"n_sims": True}, r"n_sims must be a positive integer, got True"),
    ({"noise": 1.0}, r"noise must lie in \[0, 1\), got 1.0"),
    ({"noise": -0.1}, r"noise must lie in \[0, 1\), got -0.1"),
])
def test_bad_draws(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        draw_factors(2, **kwargs)
