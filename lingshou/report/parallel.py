"""Running a report's notebooks in several kernels at once, each after the notebooks it needs.

A report's notebooks are independent except where one reads another's output (the gap analysis reads
the benchmarking table).  Each notebook says so in its metadata (``lingshou.after``, read by
:func:`lingshou.report.runner.find_notebooks`); a notebook that does not say runs after every notebook
before it.  :func:`run_scheduled` starts each notebook as soon as those it needs have finished, at most
``jobs`` at a time, in threads of the driver process (each thread drives its own kernel process).

When a notebook fails or the run is interrupted (Ctrl-C, SIGTERM), :class:`KernelTracker` kills the
kernels still running, so that the run stops within about a second instead of waiting for them.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from lingshou.errors import AnalysisError, ParameterError
from lingshou.i18n import bi

T = TypeVar("T")

#: The kernels' standard error, in the report folder.
KERNEL_LOG = "kernels.log"
#: Kernels run at once by default: the CPUs, at most 4 (a kernel is a Python process busy most of its time).
MAX_DEFAULT_KERNELS = 4


def default_kernels() -> int:
    """Notebooks run at once by default: the CPUs, at most :data:`MAX_DEFAULT_KERNELS`."""
    return max(1, min(MAX_DEFAULT_KERNELS, os.cpu_count() or 1))


def check_count(value, option: str, default: int | None = None) -> int:
    """``value`` as a positive int for the command option ``option`` (``None`` gives ``default`` when there
    is one).

    Raises
    ------
    ParameterError
        If it is not a positive integer.
    """
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ParameterError(bi(f"{option} 应为正整数，实际为 {value!r}", f"{option} must be a positive integer, got {value!r}"))
    return value


def check_kernels(kernels) -> int:
    """``kernels`` (notebooks run at once) as a positive int; ``None`` gives :func:`default_kernels`."""
    return check_count(kernels, "--kernels", default_kernels())


def dependencies(specs) -> dict[str, tuple[str, ...]]:
    """For each notebook (in run order), the names of those that must finish before it starts: its
    declared ``after``, or every notebook before it when it declares nothing."""
    out: dict[str, tuple[str, ...]] = {}
    for i, spec in enumerate(specs):
        out[spec.name] = tuple(spec.after) if spec.after is not None else tuple(s.name for s in specs[:i])
    return out


def kill_signal() -> int:
    """The signal that ends a kernel at once: SIGKILL, or SIGTERM where there is none (Windows, where
    ``os.kill`` with SIGTERM calls TerminateProcess)."""
    return getattr(signal, "SIGKILL", signal.SIGTERM)


class KernelTracker:
    """Remembers the kernels started through :meth:`manager_class`; :meth:`stop` kills them and refuses
    to start more (a kernel starting at that moment is killed as soon as it is up).

    With ``log``, the kernels' standard error goes to that file (appended; :meth:`close` closes it)
    instead of the terminal or the cron mail: ipykernel warns there at every start, and logs an error
    when the interrupt that jupyter_client sends before a shutdown meets a message being handled.
    """

    def __init__(self, log: Path | None = None):
        self._lock = threading.Lock()
        self._managers: list = []
        self.stopped = False
        self._log_path = log
        self._log = None

    def _stderr(self):
        with self._lock:
            if self._log is None and self._log_path is not None:
                self._log = open(self._log_path, "a", encoding="utf-8")
            return self._log

    def close(self) -> None:
        """Close the kernels' log file (if one was opened)."""
        with self._lock:
            if self._log is not None:
                self._log.close()
                self._log = None

    def __enter__(self):
        """Inside the block, papermill's "Kernel died" errors about kernels :meth:`stop` killed are not
        logged (the failure that stopped the run is reported instead); the log file is closed at the end."""
        self._filter = _KilledKernels(self)
        logging.getLogger("papermill").addFilter(self._filter)
        return self

    def __exit__(self, *exc):
        logging.getLogger("papermill").removeFilter(self._filter)
        self.close()


    def manager_class(self):
        """A jupyter_client ``AsyncKernelManager`` subclass that registers its instances here (for
        nbclient's ``kernel_manager_class``)."""
        from jupyter_client.manager import AsyncKernelManager

        tracker = self

        class TrackedKernelManager(AsyncKernelManager):
            async def start_kernel(self, **kw):
                if tracker.stopped:
                    raise AnalysisError(bi("运行已停止，不再启动内核", "the run was stopped; no kernel is started"))
                log = tracker._stderr()
                if log is not None:
                    kw.setdefault("stderr", log)
                with tracker._lock:
                    tracker._managers.append(self)
                await super().start_kernel(**kw)
                if tracker.stopped:  # stop() ran while this kernel was starting
                    tracker._kill(self)

        return TrackedKernelManager

    def pids(self) -> list[int]:
        """Process ids of the tracked kernels that have been started."""
        with self._lock:
            managers = list(self._managers)
        return [pid for pid in (getattr(getattr(m, "provisioner", None), "pid", None) for m in managers) if pid]

    def _kill(self, manager) -> None:
        pid = getattr(getattr(manager, "provisioner", None), "pid", None)
        if pid:
            try:
                os.kill(pid, kill_signal())
            except (ProcessLookupError, PermissionError, OSError):
                pass

    def stop(self) -> None:
        """Kill every tracked kernel and refuse to start more (the threads driving them then fail fast)."""
        self.stopped = True
        with self._lock:
            managers = list(self._managers)
        for m in managers:
            self._kill(m)


class _KilledKernels(logging.Filter):
    """Drops the "kernel died" records that follow :meth:`KernelTracker.stop`."""

    def __init__(self, tracker: KernelTracker):
        super().__init__()
        self.tracker = tracker

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self.tracker.stopped and "Kernel died" in record.getMessage())


def run_scheduled(items: list, deps: dict, jobs: int, task: Callable[[object], T], *,
                  key: Callable[[object], str] = lambda item: item.name,
                  on_start: Callable[[object], None] | None = None,
                  on_done: Callable[[object, T], None] | None = None,
                  on_fail: Callable[[object, BaseException], None] | None = None,
                  stop: Callable[[], None] | None = None, poll: float = 0.5) -> dict[str, T]:
    """Run ``task(item)`` for every item in threads, at most ``jobs`` at a time, each once every item
    named in ``deps[key(item)]`` has finished; returns ``{key: result}``.

    ``on_start``, ``on_done`` and ``on_fail`` (an item whose task raised, with its error) run in the calling
    thread (the one that owns the signal handlers), in the order items start and finish.  Items start in
    list order among those ready.

    When a task or ``on_done`` raises, or the caller is interrupted (KeyboardInterrupt, which includes
    :class:`~lingshou.report.runner.Interrupted`), no further item starts, ``stop()`` is called so that
    running tasks end quickly, the running tasks are waited for, and the first error is raised (errors
    of tasks that ``stop`` ended are not reported).

    Raises
    ------
    ParameterError
        If ``jobs`` < 1, or ``deps`` names an unknown item or a cycle (nothing runs then).
    """
    keys = [key(item) for item in items]
    check_count(jobs, "jobs")
    unknown = sorted({d for k in keys for d in deps.get(k, ())} - set(keys))
    if unknown:
        raise ParameterError(bi(f"依赖的笔记本不存在：{unknown}", f"unknown notebooks in the dependencies: {unknown}"))
    _check_acyclic(keys, deps)
    pending = list(items)
    done: dict[str, T] = {}
    running: dict[Future, object] = {}
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="notebook")
    try:
        while pending or running:
            for item in _ready(pending, deps, done, key, jobs - len(running)):
                pending.remove(item)
                if on_start is not None:
                    on_start(item)
                running[pool.submit(task, item)] = item
            finished, _ = wait(list(running), timeout=poll, return_when=FIRST_COMPLETED)
            for fut in _in_order(finished, running, items):
                item = running.pop(fut)
                if fut.exception() is not None and on_fail is not None:
                    on_fail(item, fut.exception())
                done[key(item)] = fut.result()
                if on_done is not None:
                    on_done(item, done[key(item)])
    except BaseException:
        if stop is not None:
            stop()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return done


def _ready(pending: list, deps: dict, done: dict, key, free: int) -> list:
    ready = [item for item in pending if all(d in done for d in deps.get(key(item), ()))]
    return ready[:max(0, free)]


def _in_order(finished: Iterable[Future], running: dict, items: list) -> list[Future]:
    """Finished futures in the items' order (so that two that finish together are reported stably)."""
    rank = {id(item): i for i, item in enumerate(items)}
    return sorted(finished, key=lambda f: rank[id(running[f])])


def _check_acyclic(keys: list[str], deps: dict) -> None:
    done: set[str] = set()
    remaining = list(keys)
    while remaining:
        ready = [k for k in remaining if all(d in done for d in deps.get(k, ()))]
        if not ready:
            raise ParameterError(bi(f"笔记本的依赖成环：{sorted(remaining)}",
                                    f"the notebooks' dependencies form a cycle: {sorted(remaining)}"))
        done.update(ready)
        remaining = [k for k in remaining if k not in done]
