"""A report run's output discipline: the lock, the hidden workspace swapped in only on success, the failed run
kept, SIGTERM as an exception, and the run log.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

from lingshou.errors import ParameterError
from lingshou.i18n import bi
from lingshou.report.runner import FAILED_SUFFIX

#: Suffix of a new report kept beside the previous one when that one's folder is in use (Windows).
NEW_SUFFIX = ".new"


# ------------------------------------------------------------------------------- locks and atomic output
class OutputLocked(ParameterError):
    """Another run holds the lock of the same report folder."""


class OutputLock:
    """An exclusive, non-blocking lock on ``<out>/.<name>.lock`` (released by the OS if the run dies).

    Raises
    ------
    OutputLocked
        On entry, when another run holds the lock.
    """

    def __init__(self, out_root: Path, name: str):
        self.path = Path(out_root) / f".{name}.lock"
        self._fh = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+b")
        try:
            if os.name == "nt":  # pragma: no cover - Windows
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise OutputLocked(bi(f"另一个运行正在写入同一报告（锁文件 {self.path.name}）；请等它结束后再试",
                                  f"another run is writing the same report (lock file {self.path.name}); "
                                  "try again when it has finished")) from None
        self._fh = fh
        return self

    def __exit__(self, *exc):
        fh, self._fh = self._fh, None
        if fh is not None:
            if os.name == "nt":  # pragma: no cover - Windows
                import msvcrt

                fh.seek(0)
                with contextlib.suppress(OSError):
                    msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
            fh.close()
        return False


def _tmp_prefix(name: str) -> str:
    return f".{name}.tmp-"


def check_target(target: Path) -> None:
    """Refuse a report path that is a file (or anything but a folder): it is never deleted to make room.

    Raises
    ------
    ParameterError
        If ``target`` exists and is not a folder.
    """
    if (target.exists() or target.is_symlink()) and not target.is_dir():
        raise ParameterError(bi(f"{target} 已存在但不是报告文件夹（是一个文件）；请移走或改名后再运行",
                                f"{target} exists and is not a report folder (it is a file); move or rename it and "
                                "run again"))


def recover(out_root: Path, name: str) -> list[str]:
    """Finish what a run killed between the two renames of :func:`_swap` left: say what was done.

    A run killed there (SIGKILL, a power cut) leaves the previous folder moved aside as
    ``.<name>.old-<pid>`` and no ``<name>``: the previous folder is put back (the new one, in a
    ``.tmp-`` folder, may be incomplete and is removed by :func:`new_workspace`).  Moved-aside copies of a
    folder that is in place are leftovers and removed.  Call only while holding :class:`OutputLock`.
    """
    notes = []
    for folder in (name, name + FAILED_SUFFIX, name + NEW_SUFFIX):
        target = out_root / folder
        olds = sorted(out_root.glob(f".{folder}.old-*"), key=lambda p: p.stat().st_mtime, reverse=True)
        if olds and not (target.exists() or target.is_symlink()):
            os.replace(olds.pop(0), target)
            notes.append(bi(f"上次运行在替换 {folder} 时中断，已恢复原来的 {folder}",
                            f"the last run was stopped while replacing {folder}; the previous {folder} was put back"))
        for stale in olds:
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
    return notes


def new_workspace(out_root: Path, name: str) -> Path:
    """A fresh hidden temporary folder beside the report; leftovers of killed runs are removed first.

    Call only while holding :class:`OutputLock` (otherwise the leftovers could belong to a live run).
    """
    for stale in out_root.glob(_tmp_prefix(name) + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    path = Path(tempfile.mkdtemp(prefix=_tmp_prefix(name), dir=out_root))
    # mkdtemp makes the folder private (0700); the published report should get the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o777 & ~umask)
    return path


@contextlib.contextmanager
def signals_blocked():
    """Defer SIGINT/SIGTERM for a few renames, so a report folder is never half swapped."""
    sigs = {signal.SIGINT, signal.SIGTERM}
    can = hasattr(signal, "pthread_sigmask")
    if can:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        if can:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _swap(src: Path, target: Path) -> None:
    old = None
    if target.exists() or target.is_symlink():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    try:
        os.replace(src, target)
    except BaseException:
        if old is not None:  # the new one did not arrive: the previous one goes back
            os.replace(old, target)
        raise
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def publish(workspace: Path, target: Path) -> Path:
    """Replace ``target`` by ``workspace`` (two renames with signals deferred) and drop a stale
    ``<target>.failed`` or ``<target>.new`` folder: the latest run succeeded.

    Returns the folder the report is in: ``target``, or ``<target>.new`` when ``target`` cannot be moved
    because a program holds one of its files open (Windows refuses to rename a folder while Excel or WPS
    has its 督导台账.xlsx open, or a viewer its PDF): the previous report then stays as it is and the new
    one is kept beside it (the caller says so).
    """
    with signals_blocked():
        try:
            _swap(workspace, target)
        except PermissionError:
            beside = target.with_name(target.name + NEW_SUFFIX)
            _swap(workspace, beside)
            return beside
        for stale in (FAILED_SUFFIX, NEW_SUFFIX):
            path = target.with_name(target.name + stale)
            if path.exists():
                shutil.rmtree(path, ignore_errors=True)
    return target


def keep_failed(workspace: Path, target: Path) -> Path:
    """Move a failed run's folder to ``<target>.failed`` (replacing an older one); the report stays."""
    failed = target.with_name(target.name + FAILED_SUFFIX)
    with signals_blocked():
        _swap(workspace, failed)
    return failed


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal (``signum``); the previous report is untouched."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def interrupts_as_exceptions():
    """Inside the block, SIGTERM (and SIGHUP) raise :class:`Interrupted` like Ctrl-C raises
    KeyboardInterrupt, so that ``finally`` clauses remove the temporary folder.  Only the main thread
    can own signal handlers; elsewhere the block does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Interrupted(signum)

    sigs = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {s: signal.signal(s, handler) for s in sigs}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    cols = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - cols)


class RunLog:
    """Step lines with their times, printed as they happen and kept for ``run.log``."""

    def __init__(self, stream=None, progress: bool = True, total: int = 0):
        self.lines: list[str] = []
        self.stream = stream
        self.timings: dict[str, float] = {}
        self._bar = None
        if progress and stream is not None:
            from tqdm import tqdm

            # disable=None: a bar only on a terminal; cron mail gets the plain step lines.
            self._bar = tqdm(total=total, file=sys.stderr, disable=None, leave=False, unit="步",
                             bar_format="{desc} {bar} {n_fmt}/{total_fmt} [{elapsed}]")

    def note(self, text: str, show: bool = True) -> None:
        """Keep a line for run.log and print it (unless ``show`` is false)."""
        self.lines.append(text)
        if show and self.stream is not None:
            if self._bar is not None:
                self._bar.write(text, file=self.stream)
            else:
                print(text, file=self.stream, flush=True)

    @contextlib.contextmanager
    def step(self, key: str, label: str):
        """Time one step; its line says ✓ or ✗ with the seconds taken."""
        if self._bar is not None:
            self._bar.set_description_str(label)
        start = time.perf_counter()
        ok = False
        try:
            yield
            ok = True
        finally:
            self.done(key, label, time.perf_counter() - start, ok)

    def running(self, labels: list[str]) -> None:
        """Show which steps are under way (steps that run at the same time)."""
        if self._bar is not None:
            self._bar.set_description_str(" + ".join(labels))

    def done(self, key: str, label: str, seconds: float, ok: bool = True) -> None:
        """Record a step timed elsewhere: its line says ✓ or ✗ with the seconds taken."""
        self.timings[key] = round(seconds, 3)
        self.note(f"  {'✓' if ok else '✗'} {pad(label, 36)} {seconds:6.1f} s")
        if self._bar is not None:
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
