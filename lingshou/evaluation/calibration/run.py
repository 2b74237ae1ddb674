"""``lingshou calibrate``: fit the model's unpublished points to the published results of a data folder."""
from __future__ import annotations

from numbers import Real
from pathlib import Path

import numpy as np

from lingshou.errors import AnalysisError, DataError, ParameterError
from lingshou.evaluation.calibration.fit import closest_fit, fit_points, intervals
from lingshou.evaluation.calibration.inputs import (
    GRADES_FILE,
    SUMMARY_FILE,
    Observations,
    observations,
)
from lingshou.evaluation.calibration.problem import programme
from lingshou.evaluation.calibration.result import Calibration
from lingshou.evaluation.calibration.sample import hit_and_run
from lingshou.i18n import bi

#: Default output, under the data folder's ``processed/``.
DEFAULT_OUT = "calibration/{id}_calibrated.yaml"
#: Total misfit (points) beyond the best fit still counted as consistent with the results.
DEFAULT_TOLERANCE = 1.0


def calibrate_observations(obs: Observations, model: dict, qualitative: str = "common", max_points=None,
                           max_slack=None, tolerance: float = DEFAULT_TOLERANCE, n_samples: int = 10_000,
                           seed: int = 0) -> Calibration:
    """Fit, interval LPs and hit-and-run sample on given observations (the pure core of :func:`calibrate`).

    Raises
    ------
    ParameterError
        Bad ``tolerance`` (a non-negative number), ``qualitative``, ``max_points``, ``max_slack``, ``n_samples``.
    DataError
        When no point satisfies the bounds and the per-result slack limit (``max_slack``): the model cannot
        reproduce the results even with the misfit allowed.
    """
    if isinstance(tolerance, bool) or not isinstance(tolerance, Real) or not tolerance >= 0:
        raise ParameterError(bi(f"tolerance 应为非负数，实为 {tolerance!r}", f"tolerance must be a non-negative number, got {tolerance!r}"))
    prog = programme(obs, model, qualitative, max_points, max_slack)
    fit = fit_points(prog)
    if fit is None:
        raise DataError(bi(f"在每项结果偏差不超过 {max_slack} 分的条件下，模型无法再现已公布结果（不可行）；"
                           "请放宽 --max-slack 或检查评分规则",
                           f"the model cannot reproduce the published results with at most {max_slack} points of misfit "
                           "per result (infeasible); relax --max-slack or check the scoring rule"))
    assumed = [float(model["indicators"][c]["points"]) for c in obs.codes]
    fit = closest_fit(prog, fit, np.array(assumed + [float(model["qualitative"]["default"])] * (prog.n - len(assumed))))
    budget = fit.total_slack + float(tolerance)
    lo, hi, centre = intervals(prog, budget)
    hard = None if prog.max_slack is None else np.full(prog.m, prog.max_slack)
    sample = hit_and_run(prog.A, prog.b, budget, prog.lower, prog.upper, prog.eq, centre, n_samples=n_samples,
                         seed=seed, hard=hard)
    return Calibration(model=model, obs=obs, prog=prog, fit=fit, budget=budget, lo=lo, hi=hi, sample=sample,
                       qualitative=qualitative, tolerance=float(tolerance), seed=seed)


def _rounds(text) -> list[int] | None:
    if text is None:
        return None
    parts = [p.strip() for p in str(text).split(",") if p.strip()] if isinstance(text, str) else list(text)
    try:
        rounds = [int(p) for p in parts]
    except (TypeError, ValueError):
        rounds = []
    if not rounds:
        raise ParameterError(bi(f"--rounds 应为逗号分隔的年份，如 2021,2023，实为 {text!r}",
                                f"--rounds must be comma-separated years such as 2021,2023, got {text!r}"))
    return rounds


def default_out(folder, model: dict) -> Path:
    """``<data folder>/processed/calibration/<model id>_calibrated.yaml``."""
    return folder.processed / DEFAULT_OUT.format(id=model["id"])


def _check_out(out: Path, protected: list[Path]) -> Path:
    out = Path(out)
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise ParameterError(bi(f"--out 应为 .yaml 文件，实为 {out}", f"--out must be a .yaml file, got {out}"))
    if any(out.resolve() == p.resolve() for p in protected if p.exists()):
        raise ParameterError(bi(f"不能覆盖评价模型原文件 {out}；请写到别处（默认在 processed/ 下）",
                                f"refusing to overwrite the model file {out}; write elsewhere (default under processed/)"))
    return out


def calibrate(data_dir=None, model=None, out=None, rounds=None, qualitative: str = "common", max_points=None,
              max_slack=None, tolerance: float = DEFAULT_TOLERANCE, n_samples: int = 10_000, seed: int = 0):
    """Calibrate the model on a data folder and write the calibrated model (see
    :mod:`lingshou.evaluation.calibration.output`).

    Parameters
    ----------
    data_dir : path-like, optional
        Data folder (default: the bundled one); its ``raw/evaluation/grades.csv`` and ``summary.csv`` (or the
        bundled ones) hold the published results.
    model : path-like, optional
        Model to calibrate (default: the folder's, else the bundled, Hebei model).
    out : path-like, optional
        The calibrated model file (default :func:`default_out`); never the model file itself.
    rounds : str or list of int, optional
        Evaluation rounds to fit (``"2021,2023"``); default every numbered round with statistics.
    qualitative, max_points, max_slack, tolerance, n_samples, seed
        See :func:`calibrate_observations`.

    Returns
    -------
    (Calibration, pathlib.Path)
        The calibration and the model file written.

    Raises
    ------
    ParameterError, DataError
        Bad options; bad published results (every problem at once); infeasible model.  Nothing is written.
    """
    from lingshou.config import DEFAULT_DATA_DIR, data_folder
    from lingshou.data.build import file_hash, input_hashes, load_data
    from lingshou.data.catalogue import load_catalogue
    from lingshou.evaluation.benchmarking.inputs import MODEL_FILE, load_benchmark_model
    from lingshou.evaluation.calibration.output import write_calibration

    folder = data_folder(data_dir)
    scoring_model = load_benchmark_model(model, folder)
    model_path = Path(model) if model is not None else folder.reference(MODEL_FILE)
    target = _check_out(out if out is not None else default_out(folder, scoring_model),
                        [model_path, DEFAULT_DATA_DIR / "raw" / MODEL_FILE])
    wanted = _rounds(rounds)
    grades, summary = folder.reference(GRADES_FILE), folder.reference(SUMMARY_FILE)
    obs = observations(load_data(folder), scoring_model, grades, summary if summary.is_file() else None,
                       load_catalogue(folder), wanted)
    cal = calibrate_observations(obs, scoring_model, qualitative, max_points, max_slack, tolerance, n_samples, seed)
    hashes = {"model": {str(model_path): file_hash(model_path)},
              "results": {str(p): file_hash(p) for p in obs.files.values()},
              "statistics": input_hashes(folder)}
    try:
        write_calibration(cal, target, hashes)
    except OSError as exc:
        raise AnalysisError(bi(f"无法写入 {target}：{exc}", f"cannot write {target}: {exc}")) from exc
    return cal, target
