"""Benchmark cases.  Each runs in a fresh process (``python -m benchmarks.cases NAME WORKDIR``) so that its
peak memory (max RSS, read by the parent) belongs to that case alone; it prints one JSON line of results."""
from __future__ import annotations

import json
import os
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
    from lingshou.illustrative.generate import write_scale_folder

    folder = work / "scale"
    if not (folder / "raw" / "statistics").is_dir():
        write_scale_folder(folder, n=SCALE_COUNTIES)
    return folder


def _scale_wide(work: Path):
    from lingshou.config import DEFAULT_DATA_DIR
    from lingshou.data.build import load_data
    from lingshou.evaluation.model import load_model

    data = load_data(scale_folder(work))
    model = load_model(DEFAULT_DATA_DIR / "raw" / "models" / "hebei_county_st_evaluation.yaml")
    year = int(data["year"].max())
    codes = list(model["indicators"]) + [model["qualitative"]["indicator"]]
    wide = data[data["year"] == year].pivot_table(index="county", columns="indicator", values="value")[codes]
    return wide, model


def case_load_validate(work: Path) -> dict:
    """Loading and validating the 167-county dataset (every rule, one pass)."""
    from lingshou.config import data_folder
    from lingshou.data.catalogue import load_catalogue
    from lingshou.data.validate import validate_records

    folder = data_folder(scale_folder(work))
    cat = load_catalogue(folder)
    seconds, (tidy, problems) = _timed(lambda: validate_records(folder.statistics, cat), repeat=3)
    return {"seconds": seconds, "values": len(tidy), "errors": sum(p.severity == "error" for p in problems)}


def case_load_validate_bundled(work: Path) -> dict:
    """Loading and validating the bundled data folder: the illustrative province (167 units, 2018–2024)."""
    from lingshou.config import DEFAULT_DATA_DIR, data_folder
    from lingshou.data.catalogue import load_catalogue
    from lingshou.data.validate import validate_records

    folder = data_folder(DEFAULT_DATA_DIR)
    cat = load_catalogue(folder)
    seconds, (tidy, problems) = _timed(lambda: validate_records(folder.statistics, cat), repeat=3)
    return {"seconds": seconds, "values": len(tidy), "counties": int(tidy["county"].nunique()),
            "errors": sum(p.severity == "error" for p in problems)}


def case_uncertainty(work: Path) -> dict:
    """The uncertainty analysis at full size: 10,000 replications × 167 counties × 17 indicators."""
    from lingshou.evaluation.uncertainty import analyse_uncertainty

    wide, model = _scale_wide(work)
    seconds, _ = _timed(lambda: analyse_uncertainty(wide, model, n_sims=10_000, seed=1), repeat=3)
    return {"seconds": seconds, "n_sims": 10_000, "counties": len(wide), "indicators": int(wide.shape[1])}


def case_uncertainty_naive(work: Path) -> dict:
    """The same work done naively (one score_counties call per replication), on fewer replications, scaled."""
    from lingshou.evaluation.uncertainty import uncertainty_naive

    wide, model = _scale_wide(work)
    n = 100
    seconds, _ = _timed(lambda: uncertainty_naive(wide, model, n_sims=n, seed=1))
    return {"seconds": seconds, "n_sims": n, "seconds_scaled_to_10000": seconds * 10_000 / n}


#: Runs of the report and of its floor; each reports its best (the first run also pays the driver's imports,
#: reported apart as ``cold_seconds``).
REPEAT = 3
REPORT_COUNTY = "灵寿县"


def _report(work: Path, kernels: int | None) -> dict:
    import io
    import json

    from lingshou.data.build import build
    from lingshou.report.make import make_report
    from lingshou.report.parallel import check_kernels

    build()  # the processed table is part of `make report`, not of the report itself
    out = work / "report_out"
    runs, result = [], None
    for _ in range(REPEAT):
        seconds, result = _timed(lambda: make_report(REPORT_COUNTY, "latest", out_dir=out, progress=False,
                                                     stream=io.StringIO(), kernels=kernels))
        runs.append(round(seconds, 3))
    run = json.loads((result.folder / "run.json").read_text(encoding="utf-8"))
    return {"seconds": min(runs), "cold_seconds": runs[0], "runs": runs, "kernels": check_kernels(kernels),
            "parts": run["timings"], "pages": _pages(result.pdf)}


def case_report(work: Path) -> dict:
    """The annual report for one county (灵寿县, bundled data, latest year), end to end, and its parts;
    notebooks in the default number of kernels (the CPUs, at most 4)."""
    return _report(work, None)


def case_report_one_kernel(work: Path) -> dict:
    """The same report with its notebooks one after another (``--kernels 1``)."""
    return _report(work, 1)


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def case_floor(work: Path) -> dict:
    """The floor of the same work: one papermill run of an empty notebook per analysis notebook (same API,
    kernel and driver process as the report), one after another, plus typesetting the report's own
    document (same Typst route: a child process).  For reference, a one-page document typeset in process
    (the floor's PDF part until 2026-11-30)."""
    import io

    import typst

    from lingshou.fonts import font_path
    from lingshou.report.make import make_report
    from lingshou.report.notebooks import execute, import_nbformat, notebook_paths
    from lingshou.report.typeset import typeset

    nbformat = import_nbformat()
    empty = work / "empty.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells.append(nbformat.v4.new_code_cell("county = '灵寿县'", metadata={"tags": ["parameters"]}))
    nbformat.write(nb, empty)
    n = len(notebook_paths())

    def notebooks():
        for _ in range(n):
            execute(empty, work / "empty_out.ipynb", {"county": "灵寿县"}, save_every_cell=False)

    runs = [round(_timed(notebooks)[0], 3) for _ in range(REPEAT)]
    folder = work / "report_out" / f"{REPORT_COUNTY}_2024"
    if not (folder / "pdf" / "report.typ").is_file():  # the report case normally ran first
        folder = make_report(REPORT_COUNTY, "latest", out_dir=work / "report_out", progress=False,
                             stream=io.StringIO()).folder
    font = font_path().parent
    pdf, _ = _timed(lambda: typeset(folder / "pdf" / "report.typ", work / "floor.pdf", folder, font), repeat=REPEAT)
    doc = work / "floor.typ"
    doc.write_text('#set page(paper: "a4")\n#set text(font: "Noto Sans CJK SC", lang: "zh")\n= 灵寿县\n年度报告\n',
                   encoding="utf-8")
    one_page, _ = _timed(lambda: typst.compile(str(doc), output=str(work / "floor_one_page.pdf"), font_paths=[str(font)],
                                               ignore_system_fonts=True), repeat=REPEAT)
    return {"seconds": min(runs) + pdf, "notebooks": n, "notebook_seconds": min(runs), "notebook_runs": runs,
            "pdf_seconds": pdf, "pdf_one_page_seconds": one_page, "seconds_one_page_pdf": min(runs) + one_page}


def _batch(work: Path, data_dir, jobs: int, name: str, prefecture=None, share: bool = True,
           kernels: int | None = None) -> dict:
    """A batch as ``lingshou report --all-counties|--prefecture --jobs N`` runs it (warm kernels, one per
    worker on this machine; shared results stored once), with the peak memory of the whole process tree."""
    import io

    from benchmarks.memory import TreeMemory
    from lingshou.data.build import build
    from lingshou.report.batch import report_all

    build(data_dir)  # `lingshou build` comes before a scheduled batch (docs/scheduling.md)
    out = work / f"batch_{name}_{jobs}"
    with TreeMemory() as memory:
        seconds, outcomes = _timed(lambda: report_all("latest", jobs=jobs, data_dir=data_dir, out_dir=out,
                                                      prefecture=prefecture, stream=io.StringIO(), share=share,
                                                      kernels=kernels))
    ok = sum(o.exit_code == 0 for o in outcomes)
    from lingshou.report.batch import batch_kernels

    return {"seconds": seconds, "jobs": jobs, "kernels": batch_kernels(jobs, kernels), "counties": len(outcomes), "succeeded": ok, "share": share,
            "seconds_per_county": seconds / max(len(outcomes), 1), "attempts": sum(o.attempts for o in outcomes),
            "failures": [f"{o.county}: {o.message[:300]}" for o in outcomes if o.exit_code != 0], **memory.result(),
            "cpu_seconds_per_county": memory.cpu_seconds / max(len(outcomes), 1),
            # what the two cores could give: 1.0 = busy all the time
            "cpu_utilisation": memory.cpu_seconds / (seconds * (os.cpu_count() or 1))}


def case_batch_shijiazhuang_1(work: Path) -> dict:
    """All 22 石家庄 units of the bundled data (``--prefecture 石家庄市``), one worker process."""
    return _batch(work, None, 1, "sjz", prefecture="石家庄市")


def case_batch_shijiazhuang_2(work: Path) -> dict:
    """All 22 石家庄 units of the bundled data, two worker processes."""
    return _batch(work, None, 2, "sjz", prefecture="石家庄市")


def case_batch_shijiazhuang_2_one_kernel(work: Path) -> dict:
    """The same with one warm kernel per worker (``--kernels 1``, the batch default until 2026-12-04)."""
    return _batch(work, None, 2, "sjz_k1", prefecture="石家庄市", kernels=1)


def case_batch_shijiazhuang_2_unshared(work: Path) -> dict:
    """The same batch with every county computing the shared results itself (``share=False``): what the store saves."""
    return _batch(work, None, 2, "sjz_unshared", prefecture="石家庄市", share=False)


def case_batch_167_2(work: Path) -> dict:
    """All 167 units of the bundled data (``--all-counties``), two worker processes."""
    return _batch(work, None, 2, "167")


def _graded_province(work: Path, truth_model: dict, rounds: list[int]) -> tuple:
    """The bundled statistics (167 units) graded in ``rounds`` by ``truth_model``: a province whose points are known."""
    import pandas as pd

    from lingshou.config import data_folder
    from lingshou.data.build import load_data
    from lingshou.data.catalogue import load_catalogue
    from lingshou.evaluation.benchmarking.inputs import derived_values, wide_table
    from lingshou.evaluation.model import score_counties

    folder = data_folder(None)
    data, cat = load_data(folder), load_catalogue(folder)
    values = derived_values(data, cat)
    rows = []
    for r in rounds:
        wide = wide_table(values, r - 1, truth_model).drop(columns=[truth_model["qualitative"]["indicator"]])
        graded = score_counties(wide, truth_model, qualitative=11.0)
        rows += [{"county": c, "evaluation_year": str(r), "data_year": str(r - 1), "grade": g, "data_year_inferred": "False",
                  "grade_inferred": "False"} for c, g in graded["grade"].items()]
    path = work / "calibration_grades.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return data.loc[data["indicator"] != truth_model["qualitative"]["indicator"]], cat, path


def case_calibrate(work: Path) -> dict:
    """Calibration at full size: 167 units × 4 rounds × 14 indicators — the fit, 30 interval LPs (14 points and
    the common qualitative value, min and max) and 10,000 sampled point vectors; plus the known-truth check
    (the grading points lie in the intervals; a held-back round's grades) and the interval widths by rounds."""
    import copy

    import numpy as np

    from lingshou.config import DEFAULT_DATA_DIR
    from lingshou.evaluation.calibration.inputs import observations
    from lingshou.evaluation.calibration.run import calibrate_observations
    from lingshou.evaluation.model import load_model, score_counties

    base = load_model(DEFAULT_DATA_DIR / "raw" / "models" / "hebei_county_st_evaluation.yaml")
    truth = copy.deepcopy(base)
    true_points = dict(zip(base["indicators"], [4.0, 9, 12, 5, 3, 6, 7, 8, 4, 2, 3, 10, 7, 5]))
    for code, p in true_points.items():
        truth["indicators"][code]["points"] = p
    for name, pillar in truth["pillars"].items():
        members = [true_points[c] for c, e in truth["indicators"].items() if e["pillar"] == name]
        if members:
            pillar["points"] = sum(members)
    data, cat, grades = _graded_province(work, truth, [2020, 2021, 2022, 2023, 2024])
    obs = observations(data, base, grades, None, cat, rounds=[2020, 2021, 2022, 2023])
    seconds, cal = _timed(lambda: calibrate_observations(obs, base, n_samples=10_000, seed=1))
    table = cal.points_table().set_index("name")
    inside = all(table.at[c, "lo"] - 1e-6 <= p <= table.at[c, "hi"] + 1e-6 for c, p in true_points.items())
    fitted = copy.deepcopy(base)
    for code in true_points:
        fitted["indicators"][code]["points"] = float(table.at[code, "fitted"])
    held = observations(data, base, grades, None, cat, rounds=[2024])
    from lingshou.evaluation.benchmarking.inputs import derived_values, wide_table

    wide = wide_table(derived_values(data, cat), 2023, base).drop(columns=[base["qualitative"]["indicator"]])
    for name, pillar in fitted["pillars"].items():
        members = [e["points"] for e in fitted["indicators"].values() if e["pillar"] == name]
        if members:
            pillar["points"] = sum(members)
    predicted = score_counties(wide, fitted, qualitative=float(table.at["qualitative", "fitted"]))["grade"]
    published = held.results.set_index("county")["published"]
    widths = {}
    for rounds in ([2020], [2020, 2021], [2020, 2021, 2022, 2023]):
        c = calibrate_observations(observations(data, base, grades, None, cat, rounds=rounds), base, n_samples=100)
        widths[str(len(rounds))] = float(np.mean(c.hi[:14] - c.lo[:14]))
    return {"seconds": seconds, "results": len(obs.results), "samples": len(cal.sample),
            "truth_inside_intervals": bool(inside), "held_back_agreement": float((predicted[published.index] == published).mean()),
            "mean_interval_width_by_rounds": widths, "max_abs_error_fitted": float(max(abs(table.at[c, "fitted"] - p)
                                                                                    for c, p in true_points.items()))}


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    name, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    print(json.dumps(CASES[name](work)))
