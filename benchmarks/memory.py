"""Peak memory of a process tree: this process and every descendant (batch workers, their kernels, Typst).

``ru_maxrss`` sees one process at a time; a batch's memory is the sum over the processes alive at once.
:class:`TreeMemory` samples that sum in a thread every ``interval`` seconds, as RSS (resident pages, shared
libraries counted once per process, so an upper bound) and as PSS (shared pages divided among the
processes that share them: the honest total).
"""
from __future__ import annotations

import threading

import psutil

MIB = 1024 * 1024


class TreeMemory:
    """``with TreeMemory() as m: …`` then ``m.peak_rss_mib``, ``m.peak_pss_mib``, ``m.peak_processes``."""

    def __init__(self, interval: float = 0.25):
        self.interval = interval
        self.peak_rss_mib = self.peak_pss_mib = 0.0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def sample(self) -> None:
        me = psutil.Process()
        rss = pss = 0
        procs = [me, *me.children(recursive=True)]
        for p in procs:
            try:
                info = p.memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        self.peak_rss_mib = max(self.peak_rss_mib, rss / MIB)
        self.peak_pss_mib = max(self.peak_pss_mib, pss / MIB)
        self.peak_processes = max(self.peak_processes, len(procs))

    def _sample_until_stopped(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self):
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample()

    def result(self) -> dict:
        return {"tree_peak_rss_mib": round(self.peak_rss_mib, 1), "tree_peak_pss_mib": round(self.peak_pss_mib, 1),
                "tree_peak_processes": self.peak_processes}
