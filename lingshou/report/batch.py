"""``lingshou report --all-counties | --prefecture P --year Y --jobs N``: many counties' reports in parallel
processes, each on warm kernels.

The data are validated once, in the parent; each county then runs :func:`lingshou.report.make.make_report`
in a worker process (``concurrent.futures.ProcessPoolExecutor``, spawn start method, so it behaves the
same on Linux, macOS and Windows).  Each worker keeps a :class:`~lingshou.report.kernels.KernelPool` of
warm kernels for all its counties (every notebook in a fresh namespace), and the notebooks store what
every county shares — the peers' Monte Carlo, the calibration — once, in ``<out>/batch_<year>.shared/``
under a hash of its inputs (:mod:`lingshou.evaluation.shared`).

A kernel that dies or hangs (a cell over ``cell_timeout`` seconds, default :data:`BATCH_CELL_TIMEOUT`) is
replaced and its county is run once more; a county that fails again, or fails in its analysis, is reported
failed and the batch goes on.  Every outcome is collected, printed as a table and written to
``<out>/batch_<year>.json``.
"""
from __future__ import annotations

import atexit
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

from lingshou.config import NOTEBOOK_DIR, pin_home, report_dir
from lingshou.errors import ParameterError
from lingshou.i18n import bi
from lingshou.report.parallel import check_count, default_kernels

OUTCOME_WORDS = {0: ("成功", "ok"), 1: ("数据错误", "data error"), 2: ("用法错误", "usage error"),
                 3: ("分析失败", "analysis failed")}
#: Seconds a cell of a batch may run before its kernel counts as hung (the longest cell takes ~5 s).
BATCH_CELL_TIMEOUT = 600.0
#: Runs of a county whose kernel died or hung: the first and one more.
ATTEMPTS = 2


@dataclass
class Outcome:
    """What happened to one county: exit code (0 ok, 1 data, 2 usage, 3 analysis, 128+n signal n) and the
    runs it took (2: its kernel died or hung once and it was run again)."""

    county: str
    year: object
    exit_code: int
    seconds: float
    pdf: str | None = None
    message: str = ""
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


_POOL = None


def _worker_pool(size: int, notebooks_dir, log: Path, cell_timeout):
    """This worker's warm kernels, started at its first county (closed when the worker exits)."""
    global _POOL
    if _POOL is None:
        from lingshou.report.kernels import KernelPool

        _POOL = KernelPool(size, Path(notebooks_dir or NOTEBOOK_DIR), log=log, cell_timeout=cell_timeout)
        atexit.register(_POOL.close)
    return _POOL


def _one(county: str, year, kwargs: dict, pool: dict) -> Outcome:
    """Worker: one county's report on this worker's warm kernels, run again once if a kernel died or hung;
    every error becomes an outcome instead of stopping the batch."""
    from lingshou.report.kernels import KernelLost
    from lingshou.report.make import exit_code, make_report

    start = time.perf_counter()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            result = make_report(county, year, progress=False, stream=None, pool=_worker_pool(**pool), **kwargs)
            return Outcome(county, result.year, 0, round(time.perf_counter() - start, 1), str(result.pdf),
                           attempts=attempt)
        except KernelLost as exc:
            if attempt < ATTEMPTS:
                continue
            failure = exc
        except BaseException as exc:  # noqa: BLE001 - the batch must record every failure and go on
            failure = exc
        break
    return Outcome(county, year, exit_code(failure), round(time.perf_counter() - start, 1), None,
                   f"{type(failure).__name__}: {failure}".strip(), attempts=attempt)


def prefecture_counties(catalogue, available: list[str], prefecture: str) -> list[str]:
    """The counties of ``available`` in ``prefecture`` (石家庄市 or 石家庄), in ``available``'s order.

    Raises
    ------
    ParameterError
        An unknown prefecture, or one with no county in the data (the message lists those that have some).
    """
    from lingshou.data.catalogue import normalise_text

    wanted = normalise_text(prefecture)
    table = catalogue.counties["prefecture"].astype(str)
    known = sorted(set(table))
    matches = [p for p in known if p in (wanted, wanted + "市")]
    in_data = sorted({table.get(c) for c in available if c in table.index})
    if not matches:
        raise ParameterError(bi(f"未知的地级市 {prefecture!r}；数据中有：{'、'.join(in_data)}",
                                f"unknown prefecture {prefecture!r}; the data has: {', '.join(in_data)}"))
    counties = [c for c in available if table.get(c) == matches[0]]
    if not counties:
        raise ParameterError(bi(f"数据中没有 {matches[0]} 的县；有县的地级市：{'、'.join(in_data)}",
                                f"the data has no county of {matches[0]}; prefectures with counties: {', '.join(in_data)}"))
    return counties


#: Warm kernels per worker by default: with one, the worker's kernel idles while the worker writes a county's
#: HTML, workbook and PDF, and the worker idles while its kernel runs; a second kernel runs the county's
#: independent notebooks side by side and fills those gaps (22 石家庄 units, --jobs 2 on 2 cores: 80 → 76 s).
BATCH_KERNELS = 2


def batch_kernels(jobs: int, kernels: int | None = None) -> int:
    """Warm kernels per worker: ``kernels`` (checked), else :data:`BATCH_KERNELS` while the workers do not
    outnumber the CPUs, else 1.

    Raises
    ------
    ParameterError
        ``kernels`` is not a whole number ≥ 1.
    """
    return check_count(kernels, "--kernels", BATCH_KERNELS if jobs <= default_kernels() else 1)


def report_all(year="latest", *, counties: list[str] | None = None, prefecture: str | None = None,
               jobs: int | None = None, data_dir=None, out_dir=None, lang: str = "zh", params: dict | None = None,
               params_file=None, notebooks_dir=None, stream=sys.stdout, kernels: int | None = None,
               cell_timeout: int | None = BATCH_CELL_TIMEOUT, share: bool = True) -> list[Outcome]:
    """Every county's report (or those of ``counties``, or of ``prefecture``), ``jobs`` at a time, each on
    ``kernels`` warm kernels of its worker (default: :func:`batch_kernels`).

    ``cell_timeout``: seconds a cell may run before its kernel counts as hung (None: no limit).  ``share``:
    let the notebooks store what every county shares once (``shared_dir``, when a notebook declares it) in
    ``<out>/batch_<year>.shared/``; False computes it for every county, as a single report does.

    Parameters and data are checked once before any worker starts: a usage error (exit 2) or data
    error (exit 1) stops the batch there.

    Returns
    -------
    list of Outcome
        In county order.

    Raises
    ------
    ParameterError
        Bad options, parameters, ``jobs`` or ``kernels`` < 1, a county not in the data, a prefecture unknown
        or without counties in the data, ``counties`` and ``prefecture`` both given.
    DataError
        Data errors (nothing runs).
    """
    from lingshou.data.catalogue import load_catalogue
    from lingshou.data.params import check_values
    from lingshou.report.make import validate_data
    from lingshou.report.runner import check_run_parameters, find_notebooks, load_params_file, write_json

    pin_home()  # workers and their kernels resolve outputs like this process
    jobs = check_count(jobs, "--jobs", default_kernels())  # a report runs its own kernels: about one per CPU
    kernels = batch_kernels(jobs, kernels)
    check_values({"year": year, "lang": lang})
    specs = find_notebooks(notebooks_dir or NOTEBOOK_DIR)
    extra = {**load_params_file(params_file), **(params or {})}
    extra = check_run_parameters(specs, extra)  # input files resolved to absolute paths
    validated = validate_data(data_dir)
    catalogue = load_catalogue(validated.folder)
    counties = _chosen(catalogue, sorted(validated.tidy["county"].unique()), counties, prefecture, year, lang)
    out_root = Path(out_dir if out_dir is not None else report_dir()).expanduser().resolve()
    out_root.mkdir(parents=True, exist_ok=True)
    if share and any("shared_dir" in spec.parameters for spec in specs) and "shared_dir" not in extra:
        extra = {**extra, "shared_dir": str(out_root / f"batch_{year}.shared")}
    kwargs = {"data_dir": data_dir, "out_dir": out_dir, "lang": lang, "params": extra, "notebooks_dir": notebooks_dir,
              "validated": validated, "cell_timeout": cell_timeout}
    pool = {"size": kernels, "notebooks_dir": notebooks_dir, "log": out_root / f"batch_{year}.kernels.log",
            "cell_timeout": cell_timeout}
    outcomes = _run_workers(counties, year, jobs, kwargs, pool, stream)
    ordered = [outcomes[c] for c in counties]
    write_json(out_root / f"batch_{year}.json", {"year": year, "jobs": jobs, "kernels": kernels, "prefecture": prefecture,
                                                "cell_timeout": cell_timeout, "shared_dir": extra.get("shared_dir"),
                                                "outcomes": [asdict(o) for o in ordered]})
    return ordered


def _chosen(catalogue, available: list[str], counties, prefecture, year, lang) -> list[str]:
    """The counties a batch reports on: ``counties`` (checked, canonical names), those of ``prefecture``, or all."""
    from lingshou.report.make import check_options

    if counties is not None and prefecture is not None:
        raise ParameterError(bi("不能同时指定县列表和地级市", "give either counties or a prefecture, not both"))
    if prefecture is not None:
        return prefecture_counties(catalogue, available, prefecture)
    if counties is None:
        return available
    names = [catalogue.county_name(c) for c in counties]
    unknown = [c for c, n in zip(counties, names) if n not in available]
    if unknown:
        raise ParameterError(bi(f"数据中没有县 {unknown}；可选：{'、'.join(available)}",
                                f"count(ies) {unknown} not in the data; available: {', '.join(available)}"))
    for c in counties:
        check_options(c, year, lang)
    return list(dict.fromkeys(names))


def _run_workers(counties: list[str], year, jobs: int, kwargs: dict, pool: dict, stream) -> dict[str, Outcome]:
    """Run :func:`_one` for every county in ``jobs`` worker processes; a line per county as it ends."""
    import multiprocessing

    from lingshou.report.output import Interrupted, interrupts_as_exceptions, pad

    outcomes: dict[str, Outcome] = {}
    if stream is not None:
        print(bi(f"批量生成 {len(counties)} 个县的报告，{jobs} 个进程", f"reports for {len(counties)} counties, "
                 f"{jobs} process(es)"), file=stream, flush=True)
    workers = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
    try:
        with interrupts_as_exceptions():
            futures = {workers.submit(_one, c, year, kwargs, pool): c for c in counties}
            for fut in as_completed(futures):
                o = fut.result()
                outcomes[o.county] = o
                if stream is not None:
                    again = bi("（内核失效，重跑一次）", "(kernel lost, run again)") if o.attempts > 1 else ""
                    print(f"  {'✓' if o.ok else '✗'} {pad(o.county, 16)} {o.seconds:6.1f} s  "
                          f"[{len(outcomes)}/{len(counties)}] {again}".rstrip(), file=stream, flush=True)
    except (KeyboardInterrupt, Interrupted):
        # Workers clean up their own temporary folders on SIGTERM; cancel what has not started.
        for proc in list(getattr(workers, "_processes", {}).values()):
            try:
                os.kill(proc.pid, signal.SIGTERM)
            except (ProcessLookupError, OSError):
                pass
        workers.shutdown(wait=True, cancel_futures=True)
        raise
    workers.shutdown(wait=True)
    return outcomes


def format_outcomes(outcomes: list[Outcome]) -> str:
    """The batch's summary table: county, outcome, seconds, PDF or the first line of the message."""
    from lingshou.report.output import pad

    lines = [f"{pad('县 county', 16)} {pad('结果 outcome', 28)} {'秒 s':>7}  PDF / 消息 message"]
    for o in outcomes:
        zh, en = OUTCOME_WORDS.get(o.exit_code, ("已中断", "interrupted"))
        what = o.pdf or (o.message.splitlines()[0] if o.message else "")
        lines.append(f"{pad(o.county, 16)} {pad(f'{zh} {en} ({o.exit_code})', 28)} {o.seconds:7.1f}  {what}")
    n_ok = sum(o.ok for o in outcomes)
    lines.append(bi(f"共 {len(outcomes)} 个县：成功 {n_ok} 个，失败 {len(outcomes) - n_ok} 个",
                    f"{len(outcomes)} counties: {n_ok} succeeded, {len(outcomes) - n_ok} failed"))
    return "\n".join(lines)
