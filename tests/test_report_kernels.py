"""Warm kernels (lingshou.report.kernels) and the batch on them: fresh namespaces, dead and hung kernels
replaced, counties run again once, ``--prefecture``."""
import io
import json
import shutil
from pathlib import Path

import pytest

from lingshou.cli import main
from lingshou.errors import ParameterError
from lingshou.report.batch import prefecture_counties, report_all
from lingshou.report.kernels import KernelLost, KernelPool
from lingshou.report.runner import find_notebooks, run_notebook

DATA = Path(__file__).parent / "data" / "report"
PARAMS = {"county": "灵寿县", "year": 2023, "data_dir": None, "lang": "zh"}


@pytest.fixture
def tiny(tmp_path):
    """A copy of the two-county data folder (the notebooks of lost/ leave marker files in it)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA / "tiny_data", folder)
    return folder


def test_nothing_passes_between_notebooks_of_one_warm_kernel(tmp_path):
    specs = find_notebooks(DATA / "warm")
    with KernelPool(1, DATA / "warm") as pool:
        for county in ("灵寿县", "平山县"):
            out = tmp_path / county
            for spec in specs:
                run_notebook(spec, out / f"{spec.name}.ipynb", {**PARAMS, "county": county, "output_dir": str(out)},
                             kernels=pool)
        assert pool.restarts == 0
    pids = {(tmp_path / c / f"pid-{n}").read_text() for c in ("灵寿县", "平山县") for n in ("00", "05")}
    assert len(pids) == 1                     # four notebooks, one kernel process
    assert (tmp_path / "平山县" / "summaries" / "00-leak.json").is_file()


def test_a_cell_error_keeps_the_warm_kernel(tmp_path):
    from lingshou.report.runner import NotebookFailed

    fails, ok = find_notebooks(DATA / "fail")[0], find_notebooks(DATA / "warm")[0]
    with KernelPool(1, DATA / "warm") as pool:
        pid = pool.pids()
        with pytest.raises(NotebookFailed, match="deliberate failure"):
            run_notebook(fails, tmp_path / "f.ipynb", {**PARAMS, "output_dir": str(tmp_path)}, kernels=pool)
        run_notebook(ok, tmp_path / "ok.ipynb", {**PARAMS, "output_dir": str(tmp_path)}, kernels=pool)
        assert pool.pids() == pid and pool.restarts == 0


def test_a_dead_kernel_is_replaced(tmp_path, tiny):
    spec = find_notebooks(DATA / "lost")[0]
    with KernelPool(1, DATA / "lost") as pool:
        first = pool.pids()
        with pytest.raises(KernelLost, match="内核意外退出 / the kernel died while running notebook 00-lost.ipynb"):
            run_notebook(spec, tmp_path / "a.ipynb", {**PARAMS, "data_dir": str(tiny), "output_dir": str(tmp_path)},
                         kernels=pool)
        run_notebook(spec, tmp_path / "b.ipynb", {**PARAMS, "data_dir": str(tiny), "output_dir": str(tmp_path)},
                     kernels=pool)
        assert pool.restarts == 1 and pool.pids() != first


def test_a_hung_kernel_is_stopped(tmp_path, tiny):
    (tiny / "hang").write_text("")
    spec = find_notebooks(DATA / "lost")[0]
    with KernelPool(1, DATA / "lost", cell_timeout=2) as pool:
        with pytest.raises(KernelLost, match="有单元运行超过 2 秒，内核已终止"):
            run_notebook(spec, tmp_path / "a.ipynb", {**PARAMS, "county": "平山县", "data_dir": str(tiny),
                                                      "output_dir": str(tmp_path)}, kernels=pool)
        assert pool.pids() == []              # killed; started again at the next notebook


def test_batch_runs_every_county_in_one_warm_kernel(tmp_path):
    out = tmp_path / "out"
    outcomes = report_all(2023, data_dir=DATA / "tiny_data", out_dir=out, notebooks_dir=DATA / "warm", jobs=1,
                          kernels=1, stream=None)
    assert [(o.county, o.exit_code, o.attempts) for o in outcomes] == [("平山县", 0, 1), ("灵寿县", 0, 1)]
    pids = {(out / f"{c}_2023" / f"pid-{n}").read_text() for c in ("平山县", "灵寿县") for n in ("00", "05")}
    assert len(pids) == 1                     # two counties, four notebooks, one kernel process
    log = (out / "灵寿县_2023" / "kernels.log").read_text(encoding="utf-8")
    assert "batch_2023.kernels.log" in log


def test_batch_runs_a_county_again_once_when_its_kernel_dies(tmp_path, tiny):
    out = tmp_path / "out"
    rc = main(["report", "--all-counties", "--year", "2023", "--data", str(tiny), "--out", str(out), "--notebooks",
               str(DATA / "lost"), "--jobs", "1", "--quiet"])
    assert rc == 3
    batch = json.loads((out / "batch_2023.json").read_text(encoding="utf-8"))
    got = {o["county"]: (o["exit_code"], o["attempts"]) for o in batch["outcomes"]}
    assert got == {"平山县": (3, 2), "灵寿县": (0, 2)}   # 平山县 died twice; 灵寿县 once, then passed
    failed = next(o for o in batch["outcomes"] if o["county"] == "平山县")
    assert failed["message"].startswith("KernelLost: 运行笔记本 00-lost.ipynb 时内核意外退出")
    assert (out / "灵寿县_2023" / "report.pdf").is_file()


def test_batch_goes_on_after_a_hung_kernel(tmp_path, tiny):
    (tiny / "hang").write_text("")
    (tiny / "died-灵寿县").write_text("")      # 灵寿县 passes at once
    out = tmp_path / "out"
    printed = io.StringIO()
    outcomes = report_all(2023, data_dir=tiny, out_dir=out, notebooks_dir=DATA / "lost", jobs=1, kernels=1,
                          cell_timeout=2, stream=printed)
    assert [(o.county, o.exit_code, o.attempts) for o in outcomes] == [("平山县", 3, 2), ("灵寿县", 0, 1)]
    assert "超过 2 秒" in outcomes[0].message
    assert "（内核失效，重跑一次）" in printed.getvalue() and "[2/2]" in printed.getvalue()


def test_prefecture_counties(cat):
    available = ["正定县", "灵寿县", "保定市清苑区"]
    assert prefecture_counties(cat, ["正定县", "灵寿县"], "石家庄") == ["正定县", "灵寿县"]
    assert prefecture_counties(cat, available, "石家庄市") == ["正定县", "灵寿县"]
    with pytest.raises(ParameterError, match="未知的地级市 '火星市'；数据中有：石家庄市"):
        prefecture_counties(cat, ["正定县"], "火星市")
    with pytest.raises(ParameterError, match="数据中没有 保定市 的县；有县的地级市：石家庄市"):
        prefecture_counties(cat, ["正定县"], "保定市")


def test_batch_of_one_prefecture(tmp_path):
    out = tmp_path / "out"
    outcomes = report_all(2023, prefecture="石家庄", data_dir=DATA / "tiny_data", out_dir=out,
                          notebooks_dir=DATA / "warm", jobs=1, stream=None)
    assert [o.county for o in outcomes] == ["平山县", "灵寿县"]
    assert json.loads((out / "batch_2023.json").read_text(encoding="utf-8"))["prefecture"] == "石家庄"
    with pytest.raises(ParameterError, match="不能同时指定县列表和地级市"):
        report_all(2023, prefecture="石家庄", counties=["灵寿县"], data_dir=DATA / "tiny_data", out_dir=out,
                   notebooks_dir=DATA / "warm", stream=None)


@pytest.mark.parametrize("args, message", [
    (["--all-counties", "--prefecture", "石家庄"], "--all-counties 与 --prefecture 只能选一个"),
    (["--all-counties", "--cell-timeout", "-1"], "--cell-timeout 应为非负整数秒，实际为 -1"),
])
def test_batch_usage_errors(tmp_path, capsys, args, message):
    rc = main(["report", "--data", str(DATA / "tiny_data"), "--out", str(tmp_path), "--notebooks", str(DATA / "warm"),
               *args])
    assert rc == 2
    assert message in capsys.readouterr().err


def test_cell_timeout_of_a_single_report(tmp_path):
    from lingshou.errors import AnalysisError
    from lingshou.report.make import make_report

    with pytest.raises(AnalysisError, match="笔记本 00-slow.ipynb 有单元运行超过 1 秒，已停止"):
        make_report("灵寿县", 2023, data_dir=DATA / "tiny_data", out_dir=tmp_path, notebooks_dir=DATA / "slow",
                    stream=None, cell_timeout=1)
    assert (tmp_path / "灵寿县_2023.failed").is_dir()


def test_warm_up_takes_its_imports_out_of_the_collectors_sight():
    # In a child process: gc.freeze must not touch the test process.  After the warm-up every object alive
    # is frozen, so a full collection (IPython's reset runs one) has nothing of the imports to scan.
    import subprocess
    import sys

    code = ("import gc, lingshou.report.kernels as k; k.warm_up(('json',)); "
            "print(gc.get_freeze_count() > 1000, gc.get_count()[2])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "0"]


def test_batch_kernels_default_and_checks(monkeypatch):
    from lingshou.report import batch

    monkeypatch.setattr(batch, "default_kernels", lambda: 2)
    assert batch.batch_kernels(2) == 2          # two workers on two CPUs: two warm kernels each
    assert batch.batch_kernels(1) == 2
    assert batch.batch_kernels(3) == 1          # more workers than CPUs: one each
    assert batch.batch_kernels(3, 4) == 4       # asked for: as asked
    with pytest.raises(ParameterError, match="--kernels"):
        batch.batch_kernels(2, 0)
