"""``lingshou report``: one command runs every analysis notebook and composes the yearly PDF.

:func:`make_report` for one county and year:

1. checks the options and the parameters file against every notebook's ``parameters`` cell and
   :data:`lingshou.data.params.RULES` (unknown names and invalid values stop the run: exit 2);
2. validates the data with the rules of ``lingshou validate`` and reads the data cards (errors: exit 1);
3. takes a lock on the report folder and works in a hidden temporary folder beside it;
4. runs ``notebooks/NN-*.ipynb`` through papermill (kernel ``python3``), ``kernels`` at a time, each as
   soon as the notebooks it needs have finished (its metadata ``lingshou.after``; without it, after every
   notebook before it — see :mod:`lingshou.report.parallel`); each writes ``tables/``, ``figures/`` and
   ``summaries/<notebook>.json`` and is exported as HTML without code as soon as it finishes;
5. writes the 督导台账 workbook when the gap
   table exists, composes the PDF from the summaries, tables and figures only (Typst), writes
   ``run.json`` and ``run.log``;
6. swaps the finished folder in as ``<out>/<county>_<year>/``.  A failing notebook (exit 3) leaves the
   previous report untouched and its executed copy and log in ``<out>/<county>_<year>.failed/``; a
   killed run (SIGTERM, Ctrl-C) leaves the previous report untouched and nothing half-written.

:func:`report_all` (``--all-counties``, in :mod:`lingshou.report.batch`) runs every county in parallel
processes.  :func:`command` is the body of the ``lingshou report`` subcommand.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lingshou import __version__
from lingshou.config import NOTEBOOK_DIR, DataFolder, data_folder, pin_home, report_dir
from lingshou.data.safe import read_table
from lingshou.errors import AnalysisError, DataError, LingshouError, ParameterError, SystemFault, system_fault
from lingshou.i18n import bi
from lingshou.report.output import (
    Interrupted,
    OutputLock,
    RunLog,
    check_target,
    interrupts_as_exceptions,
    keep_failed,
    new_workspace,
    publish,
    recover,
)
from lingshou.report.parallel import KERNEL_LOG, KernelTracker, check_kernels, dependencies, run_scheduled
from lingshou.report.runner import (
    LOG_NAME,
    NotebookFailed,
    check_run_parameters,
    data_files,
    export_and_check,
    file_sha256,
    find_notebooks,
    load_params_file,
    notebook_arguments,
    package_versions,
    run_notebook,
    write_json,
)
from lingshou.analysis.tasks import TASK_PROGRESS_FILE, TASK_UNITS_FILE
from lingshou.report.tables import GAP_BY_UNIT_TABLE, GAP_TABLE, ledger, unit_rollup
from lingshou.report.workbook import WORKBOOK_NAME, write_workbook

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_ANALYSIS, EXIT_SYSTEM = 0, 1, 2, 3, 4
RUN_JSON = "run.json"


@dataclass
class Validated:
    """The data of a run after validation (shared by every county of a batch)."""

    folder: DataFolder
    tidy: pd.DataFrame
    cards: dict
    files: list[dict]
    warnings: int = 0
    fresh: bool = True


@dataclass
class ReportResult:
    """A finished report: its folder, PDF, workbook (or ``None``) and run record."""

    county: str
    year: int
    folder: Path
    pdf: Path
    workbook: Path | None
    run: dict = field(default_factory=dict)


def exit_code(exc: BaseException) -> int:
    """The exit code of an error: 1 data, 2 usage, 3 analysis (and anything unexpected), 4 the system refused
    a file operation (permission, disk full, a file in the way), 128+n for signal n."""
    if isinstance(exc, (OSError, SystemFault)):
        return EXIT_SYSTEM
    if isinstance(exc, Interrupted):
        return 128 + exc.signum
    if isinstance(exc, KeyboardInterrupt):
        return 130
    if isinstance(exc, DataError):
        return EXIT_DATA
    if isinstance(exc, ParameterError):
        return EXIT_USAGE
    return EXIT_ANALYSIS


# ------------------------------------------------------------------------------------------ checking
def check_options(county, year, lang) -> dict:
    """Check the command options with the notebooks' own rules (safe county name, year, language)."""
    from lingshou.data.params import check_values

    return check_values({"county": county, "year": year, "lang": lang})


def validate_data(data_dir=None) -> Validated:
    """Validate every statistics file (the rules of ``lingshou validate``) and read every data card.

    When ``processed/`` is fresh — built, without an error, from exactly these statistics files and reference
    tables — its table is used as it stands: ``lingshou build`` validated the same inputs under the same rules.

    Raises
    ------
    DataError
        With every error found (file, row, column, value).
    ParameterError
        If the data folder does not exist.
    """
    from lingshou.data.build import is_fresh, processed_manifest, read_processed, read_statistics
    from lingshou.data.problems import errors
    from lingshou.data.read import read_card

    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    fresh = is_fresh(folder)
    if fresh:
        tidy, warnings = read_processed(folder), int(processed_manifest(folder).get("warnings", 0))
    else:
        tidy, problems = read_statistics(folder)
        errs = errors(problems)
        if errs:
            raise DataError(bi(f"数据有 {len(errs)} 个错误，未运行任何笔记本", f"the data has {len(errs)} error(s); no notebook was run"),
                            problems)
        warnings = sum(p.severity == "warning" for p in problems)
    files = data_files(folder)
    cards = {}
    for f in files:
        if f["path"].endswith(".card.yaml"):
            continue
        path = folder.raw / f["path"] if f["origin"] == "data" else folder.reference(f["path"])
        cards[f["path"]] = read_card(path)
    return Validated(folder=folder, tidy=tidy, cards=cards, files=files, warnings=warnings, fresh=fresh)


def resolve_county_year(tidy: pd.DataFrame, catalogue, county: str, year) -> tuple[str, int]:
    """Canonical county name and data year (``'latest'`` → the county's latest year with data).

    Raises
    ------
    ParameterError
        A county not in the data, or a year without data for it (the messages list what exists).
    """
    from lingshou.data.params import check_values, latest_year

    available = sorted(tidy["county"].unique())
    canonical = catalogue.county_name(county)
    if canonical is None or canonical not in available:
        raise ParameterError(bi(f"数据中没有县 {county!r}；可选：{'、'.join(available)}",
                                f"county {county!r} is not in the data; available: {', '.join(available)}"))
    check_values({"county": canonical})  # the canonical name comes from a data table: check it as well
    if year == "latest":
        return canonical, latest_year(tidy, canonical)
    have = sorted(int(y) for y in tidy.loc[(tidy["county"] == canonical) & tidy["value"].notna(), "year"].unique())
    if int(year) not in have:
        raise ParameterError(bi(f"{canonical} 没有 {year} 年的数据（有数据的年份：{have}）",
                                f"{canonical} has no data for {year} (years with data: {have})"))
    return canonical, int(year)


def report_folder(out_root: Path, county: str, year: int) -> Path:
    """``<out_root>/<county>_<year>``, refusing any name that would leave ``out_root``.

    Raises
    ------
    ParameterError
        If the folder would not be a direct child of ``out_root``.
    """
    name = f"{county}_{year}"
    target = (out_root / name).resolve()
    if target.parent != out_root.resolve() or target.name != name:
        raise ParameterError(bi(f"报告文件夹 {name!r} 会落在输出文件夹之外", f"report folder {name!r} would lie outside the output folder"))
    return target


# ------------------------------------------------------------------------------------------ one report
# long: the numpydoc docstring documents every parameter and exit; the code (~45 lines) is the run's story.
def make_report(county: str, year="latest", *, data_dir=None, out_dir=None, lang: str = "zh",
                params: dict | None = None, params_file=None, notebooks_dir=None, progress: bool = True,
                stream=sys.stdout, validated: Validated | None = None, kernels: int | None = None,
                pool=None, cell_timeout: int | None = None) -> ReportResult:
    """Produce ``<out_dir>/<county>_<year>/`` with report.pdf, tables, figures, notebooks, summaries,
    run.json, run.log, kernels.log (and 督导台账.xlsx when the gap analysis wrote its table).

    Parameters
    ----------
    county : str
        Any name variant of a county in the data.
    year : int or 'latest'
        The data year; ``'latest'`` is the county's latest year with data.
    data_dir : path-like, optional
        Data folder (default: the bundled data).
    out_dir : path-like, optional
        Output folder (default: ``reports/`` of the project).
    lang : {'zh', 'en'}
    params : dict, optional
        Extra notebook parameters (merged over those of ``params_file``).
    params_file : path-like, optional
        YAML/JSON mapping of extra notebook parameters.
    notebooks_dir : path-like, optional
        Folder of the analysis notebooks (default: ``notebooks/``).
    progress : bool
        Print each step with its time (and a progress bar on a terminal).
    stream : file, optional
        Where the step lines go (``None``: silent).
    validated : Validated, optional
        Data already validated by the caller (a batch validates once).
    kernels : int, optional
        Notebooks run at once, each in its own kernel, each after the notebooks it needs (default: the
        CPUs, at most 4; 1 runs them one after another).
    pool : KernelPool, optional
        Warm kernels to run the notebooks in (:mod:`lingshou.report.kernels`; a batch keeps one per worker);
        ``kernels`` is then the pool's size.
    cell_timeout : int, optional
        Whole seconds a cell may run; a cell that runs longer fails the notebook (a warm kernel is then replaced).

    Raises
    ------
    ParameterError
        Unknown parameter, invalid value, unknown county, year without data, report locked (exit 2).
    DataError
        Data errors, before any notebook runs (exit 1).
    AnalysisError
        A notebook failed (:class:`~lingshou.report.runner.NotebookFailed`, naming notebook and cell),
        wrote no summary, or the PDF could not be composed (exit 3).
    Interrupted, KeyboardInterrupt
        SIGTERM/SIGHUP or Ctrl-C; the previous report is untouched.
    """
    from lingshou.data.catalogue import load_catalogue

    started = time.time()
    pin_home()  # the kernels (working folder: the notebooks') resolve outputs like this process
    opts = check_options(county, year, lang)
    kernels = check_kernels(kernels if pool is None else pool.size)
    specs = find_notebooks(notebooks_dir or NOTEBOOK_DIR)
    extra = check_run_parameters(specs, {**load_params_file(params_file), **(params or {})})
    log = RunLog(stream=stream if progress else None, progress=progress and stream is not None,
                 total=len(specs) + 4)
    try:
        if validated is None:
            with log.step("validate", "校验数据 validate data"):
                validated = validate_data(data_dir)
        folder = validated.folder
        catalogue = load_catalogue(folder)
        canonical, data_year = resolve_county_year(validated.tidy, catalogue, opts["county"], opts["year"])
        out_root = Path(out_dir if out_dir is not None else report_dir()).expanduser().resolve()
        target = report_folder(out_root, canonical, data_year)
        record = _new_record(started, canonical, data_year, county, year, lang, folder, out_root, notebooks_dir,
                             params_file, extra, validated)
        log.note(f"报告 report: {canonical} {data_year} → {target}")
        if not validated.fresh:
            record["warnings"].append(_stale_note(folder, log))
        check_target(target)
        with interrupts_as_exceptions(), OutputLock(out_root, target.name):
            for note in recover(out_root, target.name):
                _warn(note, record, log)
            workspace = new_workspace(out_root, target.name)
            try:
                try:
                    result = _run(_Run(specs=specs, extra=extra, validated=validated, catalogue=catalogue,
                                       county=canonical, year=data_year, lang=lang, workspace=workspace,
                                       target=target, record=record, log=log, kernels=kernels, pool=pool,
                                       cell_timeout=cell_timeout))
                except KeyboardInterrupt:  # also Interrupted (SIGTERM): nothing of this run is kept
                    raise
                except BaseException as exc:
                    raise _fail(exc, workspace, target, record, log) from None
                record["seconds"] = round(time.time() - started, 2)
                result = _publish_run(result, workspace, target, record, log)
            finally:
                # Still here after an interruption (publish and keep_failed move the folder away).
                if workspace.exists():
                    shutil.rmtree(workspace, ignore_errors=True)
        result.run = record
        return result
    finally:
        log.close()


def _warn(note: str, record: dict, log: RunLog) -> None:
    """A warning of the run: in its log and in run.json."""
    log.note(note)
    record["warnings"].append(note)


def _write_record(folder: Path, record: dict, log: RunLog, detail: str = "") -> None:
    """run.json and run.log of a run into ``folder`` (``detail``: a failure's traceback, after the log)."""
    write_json(folder / RUN_JSON, record)
    (folder / LOG_NAME).write_text(log.text() + (f"\n{detail}\n" if detail else ""), encoding="utf-8")


def _publish_run(result: ReportResult, workspace: Path, target: Path, record: dict, log: RunLog) -> ReportResult:
    """Write the run's record and swap the finished report in (or beside, when the old one is in use)."""
    _write_record(workspace, record, log)
    final = publish(workspace, target)
    return result if final == target else _kept_beside(result, final, record, log)


def _kept_beside(result: ReportResult, final: Path, record: dict, log: RunLog) -> ReportResult:
    """The report went to ``final`` (``<report>.new``) because the previous one is in use: say so, point there."""
    note = bi(f"{result.folder} 正被其他程序打开（如 Excel、WPS 或 PDF 阅读器），无法替换；新报告保存在 {final}，"
              "关闭这些文件后再运行一次即可替换",
              f"{result.folder} is in use by another program (Excel, WPS or a PDF viewer, say) and could not be "
              f"replaced; the new report is in {final}; close those files and run again to replace it")
    _warn(note, record, log)
    _write_record(final, record, log)
    moved = {name: final / getattr(result, name).relative_to(result.folder)
             for name in ("pdf", "workbook") if getattr(result, name) is not None}
    return dataclasses.replace(result, folder=final, **moved)


def _new_record(started: float, canonical: str, data_year: int, county: str, year, lang: str, folder: DataFolder,
                out_root: Path, notebooks_dir, params_file, extra: dict, validated: Validated) -> dict:
    """The run record (``run.json``) as it stands when the run starts."""
    return {
        "lingshou": __version__, "status": "running", "exit_code": None,
        "started": dt.datetime.fromtimestamp(started).astimezone().isoformat(timespec="seconds"),
        "parameters": {"county": canonical, "year": data_year, "lang": lang, "county_requested": county,
                       "year_requested": year, "data_dir": str(folder.root), "out_dir": str(out_root),
                       "notebooks_dir": str(Path(notebooks_dir or NOTEBOOK_DIR).resolve()),
                       "params_file": str(params_file) if params_file else None, "params": extra},
        "notebooks": [], "versions": package_versions(), "data_files": validated.files,
        "data_warnings": validated.warnings, "warnings": [], "numbers": {},
    }


def _stale_note(folder: DataFolder, log: RunLog) -> str:
    """Say (and return) that processed/ is not up to date, so every notebook re-reads the raw files."""
    stale = bi(f"{folder.processed} 不是最新的：每个笔记本都要重新读取原始数据；先运行 lingshou build 可加快",
               f"{folder.processed} is not up to date: every notebook re-reads the raw files; run lingshou build "
               "first to save time")
    log.note(f"  注意 note: {stale}")
    return stale


def _fail(exc: BaseException, workspace: Path, target: Path, record: dict, log: RunLog) -> LingshouError:
    """Keep a failed run's folder as ``<target>.failed`` with run.json and run.log; return the error to raise
    (its message says where the executed notebooks and the log are)."""
    code = exit_code(exc)
    detail = getattr(exc, "detail", "") or "".join(traceback.format_exception(exc))
    if isinstance(exc, OSError):
        exc = system_fault(exc)
    elif not isinstance(exc, LingshouError):
        exc = AnalysisError(bi(f"意外错误：{type(exc).__name__}: {exc}", f"unexpected error: {type(exc).__name__}: {exc}"))
        code = EXIT_ANALYSIS
    log.note(f"失败 failed: {exc}", show=False)  # the command prints the error once
    record.update(status="failed", exit_code=code, error=str(exc))
    try:
        _write_record(workspace, record, log, detail)
        failed = keep_failed(workspace, target)
    except OSError as again:  # a full disk may refuse the record too: the error itself still gets out
        kept = (bi("原报告保持不变；本次运行的文件未能保留", "the previous report is untouched; this run's files could not "
                   "be kept") + f" ({system_fault(again)})")
        return type(exc)(f"{exc}\n{kept}")
    copy = failed / "notebooks" / f"{getattr(exc, 'notebook', '')}.ipynb"
    if isinstance(exc, NotebookFailed) and copy.is_file():  # a kernel that died leaves no copy
        kept = bi(f"原报告保持不变；含错误的笔记本：{copy}；日志：{failed / LOG_NAME}",
                  f"the previous report is untouched; the notebook with the error: {copy}; log: {failed / LOG_NAME}")
    else:
        kept = bi(f"原报告保持不变；本次运行的文件和日志在 {failed}",
                  f"the previous report is untouched; this run's files and log are in {failed}")
    if isinstance(exc, NotebookFailed):
        return NotebookFailed(f"{exc}\n{kept}", exc.notebook, exc.cell, exc.detail)
    return type(exc)(f"{exc}\n{kept}")


@dataclass
class _Run:
    """One report run as it goes: what was asked, where it writes, and what it records."""

    specs: list
    extra: dict
    validated: Validated
    catalogue: object
    county: str
    year: int
    lang: str
    workspace: Path
    target: Path
    record: dict
    log: RunLog
    kernels: int
    pool: object = None
    cell_timeout: int | None = None


def _run(run: _Run) -> ReportResult:
    """Run the notebooks into the workspace, then compose the PDF (and the workbook beside it)."""
    from lingshou.report.pdf import compile_pdf, compose_document, load_inputs

    specs, extra, validated, catalogue = run.specs, run.extra, run.validated, run.catalogue
    county, year, lang, workspace, target = run.county, run.year, run.lang, run.workspace, run.target
    record, log, kernels = run.record, run.log, run.kernels

    base = {"county": county, "year": year, "data_dir": str(validated.folder.root), "output_dir": str(workspace),
            "lang": lang}
    arguments = {spec.name: notebook_arguments(spec, base, extra) for spec in specs}
    for spec in specs:
        record["notebooks"].append({"name": spec.name, "sha256": file_sha256(spec.path), "parameters": {
            k: v for k, v in arguments[spec.name].items() if k != "output_dir"}})
    _run_notebooks(specs, arguments, workspace, kernels, record, log, run.pool, run.cell_timeout)
    inputs = load_inputs(workspace)
    for s in inputs["summaries"]:
        record["numbers"][s.get("notebook", "?")] = s.get("numbers", {})
    gap = _read_table(workspace, GAP_TABLE)
    by_unit = _read_table(workspace, GAP_BY_UNIT_TABLE)
    generated = dt.date.today().isoformat()
    record["timings"] = dict(log.timings)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook") as pool:
        # The workbook is written while Typst, a child process, typesets the PDF.
        workbook = None if gap is None else pool.submit(
            _timed, write_workbook, workspace / WORKBOOK_NAME,
            ledger(gap, lang, {c: catalogue.name(c, lang) for c in catalogue.codes}, by_unit, goal_text=True),
            unit_rollup(by_unit) if by_unit is not None else None, county=county, year=year, lang=lang,
            illustrative=bool("data_status" in gap.columns
                              and gap["data_status"].astype(str).str.contains("illustrative").any()),
            generated=generated, progress=_read_table(workspace, TASK_PROGRESS_FILE, text=("item_id", "period")),
            task_units=_read_table(workspace, TASK_UNITS_FILE))
        with log.step("pdf", "排版 PDF typeset"):
            document = compose_document(county=county, year=year, lang=lang, generated=generated, gap=gap,
                                        by_unit=by_unit, catalogue=catalogue, tidy=validated.tidy, cards=validated.cards,
                                        run=record, workbook=WORKBOOK_NAME if workbook else None,
                                        notebooks=[s.name for s in specs], **inputs)
            _, warnings = compile_pdf(document, workspace)
        log.done("workbook", "督导台账 workbook", workbook.result()[0] if workbook else 0.0)
    record["warnings"] += [f"typst: {w}" for w in warnings]
    record["timings"] = dict(log.timings)
    record["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    record.update(status="success", exit_code=EXIT_OK)
    record["outputs"] = {"pdf": "report.pdf", "workbook": WORKBOOK_NAME if workbook else None}
    return ReportResult(county=county, year=year, folder=target, pdf=target / "report.pdf",
                        workbook=target / WORKBOOK_NAME if workbook else None)


def _run_notebooks(specs, arguments: dict, workspace: Path, kernels: int, record: dict, log: RunLog, pool=None,
                   cell_timeout: int | None = None) -> None:
    """Run the notebooks, ``kernels`` at a time (:func:`~lingshou.report.parallel.run_scheduled`), in kernels
    of their own or in the warm kernels of ``pool``; export each as HTML and collect its glyph warnings as
    soon as it finished, in a thread of its own while the others run; check that each wrote its summary.
    Raises :class:`NotebookFailed` (the kernels still running are killed)."""
    outputs = {spec.name: workspace / "notebooks" / spec.path.name for spec in specs}
    tracker = KernelTracker(log=workspace / KERNEL_LOG if pool is None else None)
    manager = tracker.manager_class()
    if pool is not None:
        (workspace / KERNEL_LOG).write_text(bi(f"笔记本在批量运行的常驻内核中执行，内核日志：{pool.log}",
                                               f"the notebooks ran in the batch's warm kernels; their log: {pool.log}")
                                            + "\n", encoding="utf-8")
    under_way: list[str] = []
    exports: dict = {}  # notebook → future of (seconds, glyph warnings)
    starts: dict[str, float] = {}

    def started(spec):
        starts[spec.name] = time.perf_counter()
        under_way.append(spec.name)
        log.running(under_way)

    def failed(spec, exc):
        log.done(spec.name, spec.name, time.perf_counter() - starts[spec.name], ok=False)

    def finished(spec, seconds):
        under_way.remove(spec.name)
        log.done(spec.name, spec.name, seconds)
        log.running(under_way)
        exports[spec.name] = exporter.submit(_timed, export_and_check, outputs[spec.name], workspace / "notebooks")
        summary = workspace / "summaries" / f"{spec.name}.json"
        if not summary.is_file():
            raise NotebookFailed(bi(f"笔记本 {spec.path.name} 没有写出摘要 summaries/{spec.name}.json（须以 write_summary 结束）",
                                    f"notebook {spec.path.name} wrote no summary summaries/{spec.name}.json (it must end "
                                    "with write_summary)"), spec.name, None)
        numbers = json.loads(summary.read_text(encoding="utf-8")).get("numbers") or {}
        if numbers.get("not_enough_data"):
            _warn(bi(f"{spec.name}：数据不足，本节未做分析（报告中已说明）", f"{spec.name}: not enough data; the "
                     f"section says so instead of an analysis") + f" — {numbers.get('reason', '')}", record, log)

    exporter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="html")
    try:
        with tracker:
            run_scheduled(specs, dependencies(specs), kernels, lambda spec: run_notebook(
                spec, outputs[spec.name], arguments[spec.name], kernel_manager_class=manager, kernels=pool,
                timeout=cell_timeout), on_start=started, on_done=finished, on_fail=failed,
                stop=tracker.stop if pool is None else pool.stop_busy)
        exported = {name: future.result() for name, future in exports.items()}
    finally:
        exporter.shutdown(wait=True, cancel_futures=True)
    record["warnings"] += [f"{spec.name}: {w}" for spec in specs for w in exported[spec.name][1]]
    log.done("html", "导出 HTML export", sum(seconds for seconds, _ in exported.values()))


def _timed(fn, *args, **kwargs) -> tuple[float, object]:
    """Call ``fn``; the seconds it took and its result."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def _read_table(workspace: Path, rel: str, text=()) -> pd.DataFrame | None:
    """A table a notebook wrote (None when it wrote none); ``text`` columns are read as written."""
    path = workspace / rel
    return read_table(path, dtype={c: str for c in text}) if path.is_file() else None
