"""Benchmark cases.  Each runs in a fresh process (``python -m benchmarks.cases NAME WORKDIR``) so that its
peak memory (max RSS, read by the parent) belongs to that case alone; it prints one JSON line of results."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

SCALE_COUNTIES = 167


def _timed(fn, repeat: int = 1):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def scale_folder(work: Path) -> Path:
    """The 167-county synthetic data folder (made once per work folder)."""
    from lingshou.synthetic import write_scale_folder

    folder = work / "scale"
    if not (folder / "raw" / "statistics").is_dir():
        write_scale_folder(folder, n=SCALE_COUNTIES)
    return folder


def _scale_wide(work: Path):
    from lingshou.build import load_data
    from lingshou.scoring import load_model

    from lingshou.config import DEFAULT_DATA_DIR

    data = load_data(scale_folder(work))
    model = load_model(DEFAULT_DATA_DIR / "raw" / "models" / "hebei_county_st_evaluation.yaml")
    year = int(data["year"].max())
    codes = list(model["indicators"]) + [model["qualitative"]["indicator"]]
    wide = data[data["year"] == year].pivot_table(index="county", columns="indicator", values="value")[codes]
    return wide, model


def case_load_validate(work: Path) -> dict:
    """Loading and validating the 167-county dataset (every rule, one pass)."""
    from lingshou.catalogue import load_catalogue
    from lingshou.config import data_folder
    from lingshou.validate import validate_records

    folder = data_folder(scale_folder(work))
    cat = load_catalogue(folder)
    seconds, (tidy, problems) = _timed(lambda: validate_records(folder.statistics, cat), repeat=3)
    return {"seconds": seconds, "values": int(len(tidy)), "errors": sum(p.severity == "error" for p in problems)}


def case_uncertainty(work: Path) -> dict:
    """The uncertainty analysis at full size: 10,000 replications × 167 counties × 17 indicators."""
    from lingshou.uncertainty import analyse_uncertainty

    wide, model = _scale_wide(work)
    seconds, _ = _timed(lambda: analyse_uncertainty(wide, model, n_sims=10_000, seed=1), repeat=3)
    return {"seconds": seconds, "n_sims": 10_000, "counties": int(len(wide)), "indicators": int(wide.shape[1])}


def case_uncertainty_naive(work: Path) -> dict:
    """The same work done naively (one score_counties call per replication), on fewer replications, scaled."""
    from lingshou.uncertainty import uncertainty_naive

    wide, model = _scale_wide(work)
    n = 100
    seconds, _ = _timed(lambda: uncertainty_naive(wide, model, n_sims=n, seed=1))
    return {"seconds": seconds, "n_sims": n, "seconds_scaled_to_10000": seconds * 10_000 / n}


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    name, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    print(json.dumps(CASES[name](work)))
