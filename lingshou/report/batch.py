"""``lingshou report --all-counties --year Y --jobs N``: every county's report in parallel processes.

The data are validated once, in the parent; each county then runs :func:`lingshou.report.make.make_report`
in a worker process (``concurrent.futures.ProcessPoolExecutor``, spawn start method, so it behaves the
same on Linux, macOS and Windows).  One county's failure does not stop the others: every outcome is
collected, printed as a table and written to ``<out>/batch_<year>.json``.
"""
from __future__ import annotations

import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

from lingshou.config import DEFAULT_REPORT_DIR, NOTEBOOK_DIR
from lingshou.errors import ParameterError
from lingshou.i18n import bi
from lingshou.report.parallel import check_count, default_kernels

OUTCOME_WORDS = {0: ("成功", "ok"), 1: ("数据错误", "data error"), 2: ("用法错误", "usage error"),
                 3: ("分析失败", "analysis failed")}


@dataclass
class Outcome:
    """What happened to one county: exit code (0 ok, 1 data, 2 usage, 3 analysis, 128+n signal n)."""

    county: str
    year: object
    exit_code: int
    seconds: float
    pdf: str | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def _one(county: str, year, kwargs: dict) -> Outcome:
    """Worker: one county's report; every error becomes an outcome instead of stopping the batch."""
    from lingshou.report.make import exit_code, make_report

    start = time.perf_counter()
    try:
        result = make_report(county, year, progress=False, stream=None, **kwargs)
        return Outcome(county, result.year, 0, round(time.perf_counter() - start, 1), str(result.pdf))
    except BaseException as exc:  # noqa: BLE001 - the batch must record every failure and go on
        return Outcome(county, year, exit_code(exc), round(time.perf_counter() - start, 1), None,
                       f"{type(exc).__name__}: {exc}".strip())


def report_all(year="latest", *, counties: list[str] | None = None, jobs: int | None = None, data_dir=None,
               out_dir=None, lang: str = "zh", params: dict | None = None, params_file=None, notebooks_dir=None,
               stream=sys.stdout, kernels: int | None = None) -> list[Outcome]:
    """Every county's report (or those of ``counties``), ``jobs`` at a time, each running ``kernels``
    notebooks at once (default: the CPUs ÷ ``jobs``, at least 1).

    Parameters and data are checked once before any worker starts: a usage error (exit 2) or data
    error (exit 1) stops the batch there.

    Returns
    -------
    list of Outcome
        In county order.

    Raises
    ------
    ParameterError
        Bad options, parameters, ``jobs`` or ``kernels`` < 1, or a county not in the data.
    DataError
        Data errors (nothing runs).
    """
    from lingshou.data.catalogue import load_catalogue
    from lingshou.data.params import check_values
    from lingshou.report.make import check_options, validate_data
    from lingshou.report.output import Interrupted, interrupts_as_exceptions, pad
    from lingshou.report.runner import check_run_parameters, find_notebooks, load_params_file, write_json

    jobs = check_count(jobs, "--jobs", default_kernels())  # a report runs its own kernels: about one per CPU
    # Each worker runs its report's notebooks in `kernels` kernels: together about one per CPU.
    kernels = check_count(kernels, "--kernels", max(1, default_kernels() // jobs))
    check_values({"year": year, "lang": lang})
    specs = find_notebooks(notebooks_dir or NOTEBOOK_DIR)
    extra = {**load_params_file(params_file), **(params or {})}
    check_run_parameters(specs, extra)
    validated = validate_data(data_dir)
    catalogue = load_catalogue(validated.folder)
    available = sorted(validated.tidy["county"].unique())
    if counties is None:
        counties = available
    else:
        names = [catalogue.county_name(c) for c in counties]
        unknown = [c for c, n in zip(counties, names) if n not in available]
        if unknown:
            raise ParameterError(bi(f"数据中没有县 {unknown}；可选：{'、'.join(available)}",
                                    f"count(ies) {unknown} not in the data; available: {', '.join(available)}"))
        for c in counties:
            check_options(c, year, lang)
        counties = list(dict.fromkeys(names))
    kwargs = {"data_dir": data_dir, "out_dir": out_dir, "lang": lang, "params": extra, "notebooks_dir": notebooks_dir,
              "validated": validated, "kernels": kernels}
    import multiprocessing

    outcomes: dict[str, Outcome] = {}
    if stream is not None:
        print(bi(f"批量生成 {len(counties)} 个县的报告，{jobs} 个进程", f"reports for {len(counties)} counties, "
                 f"{jobs} process(es)"), file=stream, flush=True)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
    try:
        with interrupts_as_exceptions():
            futures = {pool.submit(_one, c, year, kwargs): c for c in counties}
            for fut in as_completed(futures):
                o = fut.result()
                outcomes[o.county] = o
                if stream is not None:
                    print(f"  {'✓' if o.ok else '✗'} {pad(o.county, 16)} {o.seconds:6.1f} s", file=stream, flush=True)
    except (KeyboardInterrupt, Interrupted):
        # Workers clean up their own temporary folders on SIGTERM; cancel what has not started.
        for proc in list(getattr(pool, "_processes", {}).values()):
            try:
                os.kill(proc.pid, signal.SIGTERM)
            except (ProcessLookupError, OSError):
                pass
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    ordered = [outcomes[c] for c in counties]
    out_root = Path(out_dir if out_dir is not None else DEFAULT_REPORT_DIR).expanduser().resolve()
    out_root.mkdir(parents=True, exist_ok=True)
    write_json(out_root / f"batch_{year}.json", {"year": year, "jobs": jobs, "outcomes": [asdict(o) for o in ordered]})
    return ordered


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
