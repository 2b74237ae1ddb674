"""Warm kernels: kernels started ahead with the suite's imports done, reused notebook after notebook.

A batch spends most of a county's time starting kernels and importing pandas, matplotlib and lingshou
(about 1.3 s per notebook, five notebooks per county).  A :class:`WarmKernel` starts once, imports once
(:func:`warm_up`, run inside the kernel), and before every notebook empties the kernel's namespace
(:func:`fresh_namespace`, inside the kernel): IPython's ``reset(new_session=True)`` (every name the last
notebook defined is gone, the execution count starts again at 1), matplotlib's figures closed and its
settings, the warnings filters, numpy's global random state and the working directory restored as
they were after the warm-up.  The notebook then runs through papermill with the kernel's manager
(``km=``), which papermill leaves running at the end.

A kernel that dies or hangs (a cell over ``cell_timeout`` seconds) is killed; the notebook fails with
:class:`KernelLost` and the next notebook gets a new kernel.  :class:`KernelPool` hands out a few warm
kernels, one notebook at a time each.

What stays between notebooks is what Python keeps in imported modules: lingshou's caches are keyed by
their inputs (the catalogue by data folder, labels by file), which do not change during a batch.
"""
from __future__ import annotations

import gc
import os
import queue
import threading
from pathlib import Path

from lingshou.errors import AnalysisError
from lingshou.i18n import bi

#: Seconds a kernel may take to start and import the suite.
START_TIMEOUT = 120
#: Seconds the namespace reset may take (it runs no analysis).
RESET_TIMEOUT = 60
#: IPython's history in memory: several kernels at once must not share ~/.ipython's sqlite file.
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]

#: What a warm kernel imports once (the modules every analysis notebook uses).
WARM_IMPORTS = ("numpy", "pandas", "matplotlib.pyplot", "IPython.display", "lingshou", "lingshou.analysis",
                "lingshou.evaluation", "lingshou.evaluation.benchmarking", "lingshou.evaluation.calibration.reading",
                "lingshou.plots", "lingshou.plots.tables", "lingshou.report.summary", "lingshou.data.params")

_SNAPSHOT: dict = {}


# ------------------------------------------------------------------------------ run inside the kernel
def warm_up(modules=WARM_IMPORTS) -> None:
    """Inside a kernel: import ``modules`` and remember the state a fresh kernel has after them (matplotlib
    settings, warnings filters, numpy's global random state, working directory)."""
    import importlib
    import warnings

    for name in modules:
        importlib.import_module(name)
    import matplotlib
    import numpy as np

    _SNAPSHOT.update(rc={k: v for k, v in matplotlib.rcParams.items() if k != "backend"},
                     filters=list(warnings.filters), random=np.random.get_state(), cwd=os.getcwd())
    # What the imports made lives as long as the kernel: out of the collector's sight, the full collection
    # IPython's reset runs (DisplayHook.flush) and the automatic ones while a notebook runs scan only what
    # the notebooks make (0.13 s → a few ms per reset with pandas, matplotlib and the suite loaded).
    gc.collect()
    gc.freeze()


def fresh_namespace(cwd: str | None = None) -> None:
    """Inside a warm kernel, between two notebooks: forget every name, close every figure, restore the
    settings :func:`warm_up` remembered and change to ``cwd`` (default: the kernel's starting folder)."""
    import warnings

    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)  # the user namespace, Out/_ and the execution count
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated settings warn when set back
        matplotlib.rcParams.update(_SNAPSHOT.get("rc", {}))
    warnings.filters[:] = _SNAPSHOT.get("filters", warnings.filters)
    if "random" in _SNAPSHOT:
        np.random.set_state(_SNAPSHOT["random"])
    os.chdir(cwd or _SNAPSHOT.get("cwd", os.getcwd()))


# ------------------------------------------------------------------------------ the driver's side
class KernelLost(AnalysisError):
    """A kernel died or hung (a cell ran past the time allowed); it has been killed."""


class WarmKernel:
    """One kernel (``python3``) started in ``cwd`` with the suite imported; its standard error goes to ``log``.

    Not thread-safe: one notebook at a time (a :class:`KernelPool` hands it to one thread at a time).
    """

    def __init__(self, cwd: Path, log=None, cell_timeout: int | None = None):
        self.cwd = Path(cwd)
        self.log = log
        self.cell_timeout = cell_timeout
        self.km = None
        self._control = None
        self.notebooks = 0  # notebooks run in the current kernel process
        self.starts = 0  # kernel processes started (more than one: the first died or hung)

    @property
    def pid(self) -> int | None:
        return getattr(getattr(self.km, "provisioner", None), "pid", None)

    def start(self) -> WarmKernel:
        """Start the kernel and run :func:`warm_up` in it.

        Raises
        ------
        KernelLost
            If it does not start or the imports fail.
        """
        from jupyter_client import BlockingKernelClient
        from jupyter_core.utils import run_sync

        from lingshou.report.notebooks import KERNEL

        self.starts += 1
        self.km = _manager_class()(kernel_name=KERNEL)
        extra = {"stderr": self.log} if self.log is not None else {}
        run_sync(self.km.start_kernel)(cwd=str(self.cwd), extra_arguments=list(KERNEL_ARGUMENTS), **extra)
        self._control = BlockingKernelClient()
        self._control.load_connection_info(self.km.get_connection_info())
        self._control.start_channels()
        try:
            self._control.wait_for_ready(timeout=START_TIMEOUT)
            self._execute("import lingshou.report.kernels as _k; _k.warm_up(); del _k", START_TIMEOUT)
        except BaseException:
            self.stop()
            raise
        self.notebooks = 0
        return self

    def _execute(self, code: str, timeout: float) -> None:
        try:
            reply = self._control.execute_interactive(code, store_history=False, timeout=timeout,
                                                      output_hook=lambda msg: None)
        except TimeoutError:
            raise KernelLost(bi(f"内核 {timeout:.0f} 秒内没有答复", f"the kernel did not answer within {timeout:.0f} s")) from None
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelLost(bi(f"内核准备失败：{content.get('ename')}: {content.get('evalue')}",
                                f"the kernel could not be prepared: {content.get('ename')}: {content.get('evalue')}"))

    def _process(self):
        return getattr(getattr(self.km, "provisioner", None), "process", None)

    def alive(self) -> bool:
        process = self._process()
        return process is not None and process.poll() is None

    def run(self, path: Path, output: Path, parameters: dict, cwd: Path | None = None) -> None:
        """Run one notebook in a fresh namespace (starting the kernel again first if it has died).

        Raises
        ------
        KernelLost
            The kernel died or a cell ran past ``cell_timeout`` (the kernel is killed).
        papermill.exceptions.PapermillExecutionError
            A cell raised (the kernel stays up for the next notebook).
        """
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        from lingshou.report.notebooks import execute

        if not self.alive():
            self.stop()
            self.start()
        self._execute(f"import lingshou.report.kernels as _k; _k.fresh_namespace({str(cwd or path.parent)!r})",
                      RESET_TIMEOUT)
        try:
            execute(path, output, parameters=parameters, cwd=cwd or path.parent, km=self.km,
                    timeout=self.cell_timeout, save_every_cell=False)
        except CellTimeoutError:
            self.stop()
            raise KernelLost(bi(f"笔记本 {path.name} 有单元运行超过 {self.cell_timeout} 秒，内核已终止",
                                f"a cell of notebook {path.name} ran for more than {self.cell_timeout} s; its kernel "
                                "was stopped")) from None
        except DeadKernelError:
            self.stop()
            raise KernelLost(bi(f"运行笔记本 {path.name} 时内核意外退出", f"the kernel died while running notebook "
                                f"{path.name}")) from None
        finally:
            if self.km is not None:
                self.km.close_clients()
        self.notebooks += 1
        if not self.alive():  # the last cell ended the kernel (os._exit, a crash after the reply)
            self.stop()
            raise KernelLost(bi(f"笔记本 {path.name} 结束时内核已退出", f"the kernel had exited when notebook {path.name} ended"))

    def stop(self) -> None:
        """Kill the kernel process (if any) and close its channels."""
        from jupyter_core.utils import run_sync

        from lingshou.report.parallel import kill_signal

        if self._control is not None:
            self._control.stop_channels()
            self._control = None
        if self.km is not None:
            pid = self.pid
            process = self._process()
            if process is not None and process.poll() is None:
                try:
                    os.kill(pid, kill_signal())
                except (ProcessLookupError, PermissionError, OSError):
                    pass
                try:
                    process.wait(timeout=5)
                except Exception:  # noqa: BLE001 - a kernel that outlives SIGKILL is left to the OS
                    pass
            self.km.close_clients()
            try:
                run_sync(self.km.cleanup_resources)()
            except Exception:  # noqa: BLE001 - connection files of a killed kernel may be gone already
                pass
            self.km = None


_MANAGER = None


def _manager_class():
    """An ``AsyncKernelManager`` that remembers the clients papermill makes of it, so that their channels
    are closed after each notebook (papermill leaves them open on a kernel it does not own)."""
    global _MANAGER
    if _MANAGER is None:
        from jupyter_client.manager import AsyncKernelManager

        class WarmKernelManager(AsyncKernelManager):
            def client(self, **kwargs):
                made = super().client(**kwargs)
                self.__dict__.setdefault("_made_clients", []).append(made)
                return made

            def close_clients(self) -> None:
                for made in self.__dict__.pop("_made_clients", []):
                    try:
                        made.stop_channels()
                    except Exception:  # noqa: BLE001 - a channel of a dead kernel may be closed already
                        pass

        _MANAGER = WarmKernelManager
    return _MANAGER


class KernelPool:
    """``size`` warm kernels started ahead (in parallel); :meth:`run` runs a notebook in a free one.

    With ``log`` (a path), the kernels' standard error is appended there.  :meth:`stop_busy` kills the
    kernels running a notebook (a failed or interrupted report); :meth:`close` kills them all.
    """

    def __init__(self, size: int, cwd: Path, log: Path | None = None, cell_timeout: int | None = None):
        self.log = Path(log) if log is not None else None
        self._log_file = open(log, "a", encoding="utf-8") if log is not None else None  # noqa: SIM115
        self.kernels = [WarmKernel(cwd, self._log_file, cell_timeout) for _ in range(size)]
        self._free: queue.Queue = queue.Queue()
        self._busy: set[int] = set()
        self._lock = threading.Lock()
        errors = []

        def start(kernel):
            try:
                kernel.start()
            except BaseException as exc:  # noqa: BLE001 - reported below, after every start has ended
                errors.append(exc)

        threads = [threading.Thread(target=start, args=(k,)) for k in self.kernels]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            self.close()
            raise errors[0]
        for i in range(size):
            self._free.put(i)

    @property
    def size(self) -> int:
        return len(self.kernels)

    @property
    def restarts(self) -> int:
        """Kernels started again because one died or hung."""
        return sum(max(0, k.starts - 1) for k in self.kernels)

    def pids(self) -> list[int]:
        return [k.pid for k in self.kernels if k.pid]

    def run(self, path: Path, output: Path, parameters: dict, cwd: Path | None = None) -> None:
        """Run a notebook in the next free kernel (waiting for one); see :meth:`WarmKernel.run`."""
        i = self._free.get()
        with self._lock:
            self._busy.add(i)
        kernel = self.kernels[i]
        try:
            kernel.run(path, output, parameters, cwd)
        finally:
            with self._lock:
                self._busy.discard(i)
            self._free.put(i)

    def stop_busy(self) -> None:
        """Kill the kernels running a notebook now (each starts again at its next notebook)."""
        from lingshou.report.parallel import kill_signal

        with self._lock:
            busy = [self.kernels[i] for i in self._busy]
        for kernel in busy:
            if kernel.pid:
                try:
                    os.kill(kernel.pid, kill_signal())
                except (ProcessLookupError, PermissionError, OSError):
                    pass

    def close(self) -> None:
        for kernel in self.kernels:
            kernel.stop()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
