"""The calibrated model as files: a model YAML in the bundled model's format, its weight sample, its results.

``<out>.yaml`` — the model with the fitted ``points`` (pillars re-summed), a ``calibration: {lo, hi}`` block
per indicator, the fitted qualitative points, ``uncertainty.weights: calibrated`` (the Monte Carlo then draws
points from the sample instead of ±25 % noise, and only the calibrated rule) and a top-level ``calibration``
block (rounds, counties, share reproduced, total slack, date, SHA-256 of every input);
``<out>.sample.csv`` — the sampled points; ``<out>.results.csv`` — every published result with its fitted and
assumed value and misfit.  The three files are written together or not at all.
"""
from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from lingshou.atomic import write_atomic, write_text_atomic
from lingshou.data.safe import write_table
from lingshou.evaluation.calibration.result import Calibration, describe

#: Decimals of the fitted points in the YAML (the residual of rounding goes to the largest, so they sum exactly).
DECIMALS = 3


def rounded_points(x: np.ndarray, total: float) -> np.ndarray:
    """``x`` rounded to :data:`DECIMALS`, the rounding residual put on the largest so the sum is ``total``."""
    out = np.round(x, DECIMALS)
    out[int(np.argmax(out))] += round(total - out.sum(), DECIMALS)
    return np.round(out, DECIMALS)


def sidecar(path: Path, role: str) -> Path:
    """``<stem>.<role>.csv`` beside the model file."""
    return path.with_name(f"{path.stem}.{role}.csv")


def calibrated_model(cal: Calibration, out: Path | None, hashes: dict, today: dt.date | None = None) -> dict:
    """The calibrated model as a dict ready for YAML (see the module docstring); ``out`` None = not for a file
    (no sidecar names, as for :func:`in_memory_model`)."""
    model = copy.deepcopy({k: v for k, v in cal.model.items()})
    codes, table = cal.obs.codes, cal.points_table().set_index("name")
    points = rounded_points(table.loc[codes, "fitted"].to_numpy(), cal.prog.total)
    for code, p in zip(codes, points):
        entry = model["indicators"][code]
        entry["points"] = float(p)
        entry["calibration"] = {"lo": round(float(table.at[code, "lo"]), DECIMALS), "hi": round(float(table.at[code, "hi"]), DECIMALS)}
    for name, pillar in model["pillars"].items():
        members = [p for c, p in zip(codes, points) if model["indicators"][c]["pillar"] == name]
        if members:
            pillar["points"] = round(float(sum(members)), DECIMALS)
    q_names = [n for n in cal.prog.names if n.startswith("qualitative")]
    qual = model["qualitative"]
    if q_names == ["qualitative"]:
        qual["default"] = round(float(table.at["qualitative", "fitted"]), DECIMALS)
        qual["calibration"] = {"lo": round(float(table.at["qualitative", "lo"]), DECIMALS),
                               "hi": round(float(table.at["qualitative", "hi"]), DECIMALS)}
    elif q_names:
        qual["by_county"] = {n.split(":", 1)[1]: round(float(table.at[n, "fitted"]), DECIMALS) for n in q_names}
    model["title_zh"] = f"{model['title_zh']}（按已公布结果校准）"
    model["title_en"] = f"{model['title_en']} (calibrated on the published results)"
    model["uncertainty"] = {**model["uncertainty"], "weights": "calibrated", "rules": [model["scoring"]["rule"]]}
    s = cal.summary()
    model["calibration"] = {
        "date": (today or dt.date.today()).isoformat(), "rounds": s["rounds"], "counties": s["n_counties"],
        "results": s["n_results"], "share_reproduced": round(s["share_reproduced"], 4),
        "share_reproduced_assumed": round(s["share_reproduced_assumed"], 4), "total_slack": round(s["total_slack"], 4),
        "tolerance": s["tolerance"], "qualitative": s["qualitative"], "consistent": s["consistent"],
        "unidentified": s["unidentified"], "fitted_on_illustrative_data": s["illustrative"],
        "seed": cal.seed, "reading": describe(cal), "inputs": hashes,
    }
    if out is not None:
        model["calibration"].update(sample_file=sidecar(out, "sample").name, results_file=sidecar(out, "results").name)
    return model


def in_memory_model(cal: Calibration) -> dict:
    """The calibrated model with its sample attached, as :func:`lingshou.evaluation.model.load_model` would read it
    from the files — for a notebook that compares the assumed and the calibrated model without writing either."""
    from lingshou.evaluation.model import check_model

    model = calibrated_model(cal, None, {})
    model["calibration"]["sample"] = pd.DataFrame(cal.sample, columns=cal.prog.names)
    return check_model(model)


HEADER = """# 评价模型（按已公布结果校准）— written by `lingshou calibrate`; see the calibration block at the end.
# Calibrated model of the provincial evaluation: the points were fitted to published grades with the scoring rule,
# benchmarks and grade thresholds of the base model kept fixed.  They remain assumptions about an unpublished
# methodology{illustrative}.
"""


def write_calibration(cal: Calibration, out: Path, hashes: dict, today: dt.date | None = None) -> dict:
    """Write the model YAML, its sample and its results table (all or none); return the model dict."""
    out = Path(out)
    from lingshou.data.build import file_hash

    model = calibrated_model(cal, out, hashes, today)
    sample = pd.DataFrame(np.round(cal.sample, 6), columns=cal.prog.names)
    note = " and were FITTED ON ILLUSTRATIVE DATA (not official statistics)" if cal.obs.illustrative else ""
    written = []
    try:
        written.append(write_atomic(sidecar(out, "sample"), lambda tmp: sample.to_csv(tmp, index=False)))
        model["calibration"]["sample_sha256"] = file_hash(written[-1])
        written.append(write_atomic(sidecar(out, "results"), lambda tmp: write_table(cal.results_table(), tmp)))
        text = HEADER.format(illustrative=note) + yaml.safe_dump(model, allow_unicode=True, sort_keys=False, width=110)
        written.append(write_text_atomic(out, text))
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return model
