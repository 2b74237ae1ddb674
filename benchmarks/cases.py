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
    return {"seconds": seconds, "values": int(len(tidy)), "errors": sum(p.severity == "error" for p in problems)}


def case_load_validate_bundled(work: Path) -> dict:
    """Loading and validating the bundled data folder: the illustrative province (167 units, 2018–2024)."""
    from lingshou.config import DEFAULT_DATA_DIR, data_folder
    from lingshou.data.catalogue import load_catalogue
    from lingshou.data.validate import validate_records

    folder = data_folder(DEFAULT_DATA_DIR)
    cat = load_catalogue(folder)
    seconds, (tidy, problems) = _timed(lambda: validate_records(folder.statistics, cat), repeat=3)
    return {"seconds": seconds, "values": int(len(tidy)), "counties": int(tidy["county"].nunique()),
            "errors": sum(p.severity == "error" for p in problems)}


def case_uncertainty(work: Path) -> dict:
    """The uncertainty analysis at full size: 10,000 replications × 167 counties × 17 indicators."""
    from lingshou.evaluation.uncertainty import analyse_uncertainty

    wide, model = _scale_wide(work)
    seconds, _ = _timed(lambda: analyse_uncertainty(wide, model, n_sims=10_000, seed=1), repeat=3)
    return {"seconds": seconds, "n_sims": 10_000, "counties": int(len(wide)), "indicators": int(wide.shape[1])}


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


def _batch(work: Path, data_dir, jobs: int, name: str, counties=None) -> dict:
    """A batch with one kernel per report, so that the worker processes are the only parallelism (the
    default gives a lone worker one kernel per CPU instead)."""
    import io

    from lingshou.report.batch import report_all

    out = work / f"batch_{name}_{jobs}"
    seconds, outcomes = _timed(lambda: report_all("latest", jobs=jobs, data_dir=data_dir, out_dir=out, counties=counties,
                                                  stream=io.StringIO(), kernels=1))
    ok = sum(o.exit_code == 0 for o in outcomes)
    return {"seconds": seconds, "jobs": jobs, "kernels": 1, "counties": len(outcomes), "succeeded": ok,
            "seconds_per_county": seconds / max(len(outcomes), 1),
            "failures": [f"{o.county}: {o.message[:300]}" for o in outcomes if o.exit_code != 0]}


def case_batch_shijiazhuang_1(work: Path) -> dict:
    """All 22 石家庄 units of the bundled data, one worker process."""
    return _batch(work, None, 1, "sjz")


def case_batch_shijiazhuang_2(work: Path) -> dict:
    """All 22 石家庄 units of the bundled data, two worker processes."""
    return _batch(work, None, 2, "sjz")


def case_batch_167_2(work: Path) -> dict:
    """All 167 synthetic counties, two worker processes."""
    from lingshou.data.build import build

    folder = scale_folder(work)
    build(folder)
    return _batch(work, folder, 2, "167")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    name, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    print(json.dumps(CASES[name](work)))
