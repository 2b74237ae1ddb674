"""Peak memory and CPU time of a process tree: this process and every descendant (batch workers, their
kernels, Typst).

``ru_maxrss`` sees one process at a time; a batch's memory is the sum over the processes alive at once.
:class:`TreeMemory` samples that sum in a thread every ``interval`` seconds, as RSS (resident pages, shared
libraries counted once per process, so an upper bound) and as PSS (shared pages divided among the
processes that share them: the honest total).

It also tells where the CPU went.  The total is exact: ``getrusage`` of this process and of every child it
waited for (workers, and through them their kernels and Typst processes), before and after.  The share of
the kernels and of the workers' own Python is the last CPU time sampled of each such process (a kernel
lives the whole batch; a few hundred milliseconds at its end may be missed); Typst and whatever else ran is
the rest.
"""
from __future__ import annotations

import resource
import threading

import psutil

MIB = 1024 * 1024


def _cpu_seconds() -> float:
    """CPU time of this process and of every child it has waited for (user + system)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def role(cmdline: list[str]) -> str:
    """``"kernel"`` (an IPython kernel), ``"typeset"`` (the Typst child) or ``"worker"`` (anything else)."""
    text = " ".join(cmdline)
    if "ipykernel_launcher" in text or "ipykernel" in text:
        return "kernel"
    if "lingshou.report.typeset" in text:
        return "typeset"
    return "worker"


class TreeMemory:
    """``with TreeMemory() as m: …`` then ``m.peak_rss_mib``, ``m.peak_pss_mib``, ``m.peak_processes`` and
    :meth:`result` (with the CPU seconds, in all and by role)."""

    def __init__(self, interval: float = 0.25):
        self.interval = interval
        self.peak_rss_mib = self.peak_pss_mib = 0.0
        self.peak_processes = 0
        self._cpu: dict[int, tuple[str, float]] = {}  # pid -> (role, last CPU seconds seen)
        self._start_cpu = self.cpu_seconds = self._start_parent = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def sample(self) -> None:
        me = psutil.Process()
        rss = pss = 0
        procs = me.children(recursive=True)
        for p in procs:
            try:
                info = p.memory_full_info()
                times = p.cpu_times()
                kind = self._cpu[p.pid][0] if p.pid in self._cpu else role(p.cmdline())
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
            self._cpu[p.pid] = (kind, times.user + times.system)
        info, times = me.memory_full_info(), me.cpu_times()
        self._cpu[me.pid] = ("parent", times.user + times.system - self._start_parent)
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
        self.peak_rss_mib = max(self.peak_rss_mib, rss / MIB)
        self.peak_pss_mib = max(self.peak_pss_mib, pss / MIB)
        self.peak_processes = max(self.peak_processes, len(procs) + 1)

    def _sample_until_stopped(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self):
        self._start_cpu = _cpu_seconds()
        times = psutil.Process().cpu_times()
        self._start_parent = times.user + times.system
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample()
        self.cpu_seconds = _cpu_seconds() - self._start_cpu

    def cpu_by_role(self) -> dict[str, float]:
        """CPU seconds of this process (the batch's parent: validation, scheduling), of the kernels and of the
        workers as sampled, and the rest (Typst, processes too short-lived to be sampled)."""
        out = {"parent": 0.0, "kernel": 0.0, "worker": 0.0}
        for kind, seconds in self._cpu.values():
            if kind in out:
                out[kind] += seconds
        out["rest"] = max(0.0, self.cpu_seconds - sum(out.values()))
        return out

    def result(self) -> dict:
        return {"tree_peak_rss_mib": round(self.peak_rss_mib, 1), "tree_peak_pss_mib": round(self.peak_pss_mib, 1),
                "tree_peak_processes": self.peak_processes, "cpu_seconds": round(self.cpu_seconds, 1),
                "cpu_seconds_by_role": {k: round(v, 1) for k, v in self.cpu_by_role().items()}}
