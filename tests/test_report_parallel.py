"""Notebooks in several kernels at once: the scheduler (with plain functions), the kernel tracker, the
notebooks' declared order, and reports that fail or are interrupted while two kernels run."""
import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from lingshou.errors import AnalysisError, ParameterError
from lingshou.report.make import make_report
from lingshou.report.parallel import KernelTracker, check_kernels, default_kernels, dependencies, run_scheduled
from lingshou.report.runner import NotebookFailed, NotebookSpec, find_notebooks

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "report"


def item(name, after=None):
    return NotebookSpec(Path(f"{name}.ipynb"), name, {}, after)


# ------------------------------------------------------------------------------------------ declared order
def test_dependencies_declared_or_all_before():
    specs = [item("00-a", ()), item("05-b", ()), item("10-c", ("05-b",)), item("20-d")]
    assert dependencies(specs) == {"00-a": (), "05-b": (), "10-c": ("05-b",), "20-d": ("00-a", "05-b", "10-c")}


def test_bundled_notebooks_declare_their_order():
    specs = find_notebooks(ROOT / "notebooks")
    deps = dependencies(specs)
    assert deps["10-gap-analysis"] == ("05-peer-benchmarking",)   # it reads tables/benchmark.csv
    assert all(s.after is not None for s in specs)


def write_nb(path: Path, metadata: dict) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata.update(metadata)
    nbformat.write(nb, path)


def test_find_notebooks_reads_after(tmp_path):
    write_nb(tmp_path / "00-a.ipynb", {})
    write_nb(tmp_path / "10-b.ipynb", {"lingshou": {"after": ["00-a"]}})
    assert [(s.name, s.after) for s in find_notebooks(tmp_path)] == [("00-a", None), ("10-b", ("00-a",))]


@pytest.mark.parametrize("after, message", [
    ("00-a", r"10-b.ipynb 的元数据 lingshou.after 应为笔记本名的列表，实际为 '00-a'.*must be a list of notebook names"),
    (["20-c"], r"10-b.ipynb 的元数据 lingshou.after 列出 \['20-c'\]，它们不是排在它前面的笔记本（可选：\['00-a'\]）"
               r".*lists \['20-c'\], which are not notebooks that run before it"),
])
def test_bad_after_metadata(tmp_path, after, message):
    write_nb(tmp_path / "00-a.ipynb", {})
    write_nb(tmp_path / "10-b.ipynb", {"lingshou": {"after": after}})
    write_nb(tmp_path / "20-c.ipynb", {})
    with pytest.raises(ParameterError, match=message):
        find_notebooks(tmp_path)


@pytest.mark.parametrize("value, message", [
    (0, "--kernels 应为正整数，实际为 0 / --kernels must be a positive integer, got 0"),
    (True, "--kernels 应为正整数，实际为 True"),
    (1.5, "--kernels 应为正整数，实际为 1.5"),
])
def test_check_kernels(value, message):
    with pytest.raises(ParameterError, match=message):
        check_kernels(value)


def test_default_kernels():
    assert check_kernels(None) == default_kernels() == max(1, min(4, os.cpu_count() or 1))
    assert check_kernels(3) == 3


# ------------------------------------------------------------------------------------------ scheduler
class Recorder:
    """A task that sleeps briefly and records what ran at the same time."""

    def __init__(self, fail=None, seconds=0.05):
        self.lock = threading.Lock()
        self.now: set[str] = set()
        self.most = 0
        self.events: list[tuple[str, str]] = []
        self.fail = fail
        self.seconds = seconds

    def __call__(self, it):
        with self.lock:
            self.now.add(it.name)
            self.most = max(self.most, len(self.now))
            self.events.append(("start", it.name))
        time.sleep(self.seconds)
        with self.lock:
            self.now.discard(it.name)
            self.events.append(("end", it.name))
        if it.name == self.fail:
            raise ValueError(f"{it.name} failed")
        return it.name.upper()


def test_scheduler_respects_order_and_width():
    items = [item("a", ()), item("b", ()), item("c", ("a", "b")), item("d", ()), item("e", ("c",))]
    rec = Recorder()
    done_in = []
    result = run_scheduled(items, dependencies(items), 2, rec, on_done=lambda it, r: done_in.append(
        (it.name, r, threading.current_thread() is threading.main_thread())), poll=0.01)
    assert result == {"a": "A", "b": "B", "c": "C", "d": "D", "e": "E"}
    assert rec.most == 2
    pos = {e: i for i, e in enumerate(rec.events)}
    assert pos[("start", "c")] > max(pos[("end", "a")], pos[("end", "b")])
    assert pos[("start", "e")] > pos[("end", "c")]
    assert sorted(done_in) == [(n, n.upper(), True) for n in "abcde"]     # on_done runs in the calling thread


def test_one_job_is_sequential():
    items = [item(n, ()) for n in "abc"]
    rec = Recorder()
    run_scheduled(items, dependencies(items), 1, rec, poll=0.01)
    assert rec.most == 1
    assert rec.events == [("start", "a"), ("end", "a"), ("start", "b"), ("end", "b"), ("start", "c"), ("end", "c")]


def test_failure_stops_the_rest():
    items = [item("a", ()), item("b", ("a",)), item("c", ("a",))]
    rec = Recorder(fail="a")
    stopped, failed = [], []
    with pytest.raises(ValueError, match="a failed"):
        run_scheduled(items, dependencies(items), 2, rec, stop=lambda: stopped.append(1), poll=0.01,
                      on_fail=lambda it, exc: failed.append((it.name, str(exc))))
    assert rec.events == [("start", "a"), ("end", "a")] and stopped == [1]
    assert failed == [("a", "a failed")]


def test_on_done_error_stops_the_run():
    items = [item("a", ()), item("b", ("a",))]
    rec = Recorder()

    def check(it, result):
        raise AnalysisError(f"{it.name} wrote no summary")

    with pytest.raises(AnalysisError, match="a wrote no summary"):
        run_scheduled(items, dependencies(items), 2, rec, on_done=check, poll=0.01)
    assert ("start", "b") not in rec.events


def test_running_tasks_are_waited_for_after_a_failure():
    items = [item("a", ()), item("b", ())]
    rec = Recorder(fail="a", seconds=0.2)
    with pytest.raises(ValueError, match="a failed"):
        run_scheduled(items, dependencies(items), 2, rec, poll=0.01)
    assert ("end", "b") in rec.events     # b had started; run_scheduled returned only after it ended


@pytest.mark.parametrize("deps, jobs, message", [
    ({"a": ("z",)}, 2, r"依赖的笔记本不存在：\['z'\] / unknown notebooks in the dependencies: \['z'\]"),
    ({"a": ("b",), "b": ("a",)}, 2, r"笔记本的依赖成环：\['a', 'b'\] / the notebooks' dependencies form a cycle"),
    ({}, 0, "jobs 应为正整数，实际为 0 / jobs must be a positive integer, got 0"),
    ({}, None, "jobs 应为正整数，实际为 None / jobs must be a positive integer, got None"),
])
def test_scheduler_rejects_bad_plans_before_running(deps, jobs, message):
    rec = Recorder()
    with pytest.raises(ParameterError, match=message):
        run_scheduled([item("a"), item("b")], deps, jobs, rec)
    assert rec.events == []


# ------------------------------------------------------------------------------------------ kernel tracker
def test_tracker_refuses_to_start_after_stop():
    tracker = KernelTracker()
    manager = tracker.manager_class()(kernel_name="python3")
    tracker.stop()
    with pytest.raises(AnalysisError, match="运行已停止，不再启动内核 / the run was stopped; no kernel is started"):
        asyncio.run(manager.start_kernel())
    assert tracker.pids() == []


def test_tracker_kills_a_started_kernel():
    tracker = KernelTracker()
    manager = tracker.manager_class()(kernel_name="python3")
    asyncio.run(manager.start_kernel())
    try:
        [pid] = tracker.pids()
        tracker.stop()
        _, status = os.waitpid(pid, 0)       # the kernel is our child: reap it
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    finally:
        asyncio.run(manager.cleanup_resources())


def test_stop_ignores_kernels_already_gone():
    tracker = KernelTracker()
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    tracker._managers.append(SimpleNamespace(provisioner=SimpleNamespace(pid=proc.pid)))
    tracker._managers.append(SimpleNamespace(provisioner=None))
    tracker.stop()                           # no error for a finished process or one never started
    assert tracker.pids() == [proc.pid]


# ------------------------------------------------------------------------------------------ real kernels
def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, killed but not yet reaped by its new parent, does not)."""
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" not in status.read_text()
    except FileNotFoundError:
        return False


def test_a_failing_notebook_stops_the_others(tmp_path):
    with pytest.raises(NotebookFailed, match="笔记本 00-fails-late.ipynb 在单元 In \\[4\\].*ValueError: 故意的错误") as info:
        make_report("灵寿县", out_dir=tmp_path, notebooks_dir=DATA / "parallel", progress=False, kernels=2)
    assert info.value.notebook == "00-fails-late"
    failed = tmp_path / "灵寿县_2024.failed"
    assert re.search(r"✗ 00-fails-late +\d+\.\d s", (failed / "run.log").read_text(encoding="utf-8"))
    assert (failed / "started-05").exists()
    assert not (failed / "woke-05").exists()      # its kernel was killed, not waited for (300 s)
    assert not (failed / "ran-10").exists()       # it runs after the failed notebook
    assert not alive(int((failed / "pid-05").read_text()))


def test_sigterm_kills_every_kernel(tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "lingshou.cli", "report", "--county", "灵寿县", "--out", str(out),
                             "--notebooks", str(DATA / "sleepers"), "--kernels", "2", "-q"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob(".灵寿县_2024.tmp-*/pid-*"))) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.1)
        pids = [int(p.read_text()) for p in out.glob(".灵寿县_2024.tmp-*/pid-*")]
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "interrupted: the previous report is untouched" in err
    assert "IPKernelApp" not in err                          # the kernels' stderr goes to kernels.log
    assert [p.name for p in out.iterdir() if ".tmp-" in p.name] == []       # no temporary folder left
    assert pids and not any(alive(pid) for pid in pids)


def test_a_dead_kernel_is_named_and_its_stderr_kept(tmp_path):
    with pytest.raises(NotebookFailed, match=r"笔记本 00-dies.ipynb 执行时出错：DeadKernelError: Kernel died.*\n"
                                             r"原报告保持不变；本次运行的文件和日志在 .*灵寿县_2024.failed"):
        make_report("灵寿县", out_dir=tmp_path, notebooks_dir=DATA / "dies", progress=False)
    failed = tmp_path / "灵寿县_2024.failed"
    assert "last words" in (failed / "kernels.log").read_text(encoding="utf-8")
    assert not (failed / "notebooks" / "00-dies.ipynb").exists()     # a dead kernel leaves no executed copy


def test_tracker_hides_kernel_died_errors_only_after_stop(caplog):
    import logging

    logger = logging.getLogger("papermill")
    with KernelTracker() as tracker:
        logger.error("Kernel died while waiting for execute reply.")      # a real death: kept
        tracker.stop()
        logger.error("Kernel died while waiting for execute reply.")      # one we killed: dropped
        logger.error("something else")
    logger.error("Kernel died while waiting for execute reply.")          # the filter is gone
    assert [r.getMessage() for r in caplog.records] == [
        "Kernel died while waiting for execute reply.", "something else",
        "Kernel died while waiting for execute reply."]


# ------------------------------------------------------------------------------------------ Windows paths
def test_kill_signal_falls_back_to_sigterm_without_sigkill(monkeypatch):
    import signal

    from lingshou.report.parallel import kill_signal

    assert kill_signal() == getattr(signal, "SIGKILL", signal.SIGTERM)
    monkeypatch.delattr(signal, "SIGKILL", raising=False)   # as on Windows
    assert kill_signal() == signal.SIGTERM


def test_a_kernel_is_killed_without_sigkill(monkeypatch):
    # The tracker's kill path on a platform without SIGKILL: the process still ends, no AttributeError.
    import signal
    import subprocess
    import sys
    from types import SimpleNamespace

    from lingshou.report.parallel import KernelTracker

    monkeypatch.delattr(signal, "SIGKILL", raising=False)
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        KernelTracker()._kill(SimpleNamespace(provisioner=SimpleNamespace(pid=proc.pid)))
        assert proc.wait(timeout=20) != 0
    finally:
        if proc.poll() is None:
            proc.kill()
