"""Parameters, locks, atomic output and provenance of the report runner (no kernel is started here)."""
import json
import os
import signal
import time
from pathlib import Path

import nbformat
import pytest

from lingshou.config import NOTEBOOK_DIR
from lingshou.errors import ParameterError
from lingshou.report.output import (
    Interrupted,
    OutputLock,
    OutputLocked,
    interrupts_as_exceptions,
    keep_failed,
    new_workspace,
    pad,
    publish,
)
from lingshou.report.runner import (
    NotebookSpec,
    check_run_parameters,
    data_files,
    file_sha256,
    find_notebooks,
    glyph_warnings,
    load_params_file,
    notebook_arguments,
    notebook_parameters,
)

DATA = Path(__file__).parent / "data" / "report"
BASE = {"county": None, "year": None, "data_dir": None, "output_dir": None, "lang": None}


def write_nb(path, params_src, tag=True):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(params_src)
    if tag:
        cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# x"), cell]
    nbformat.write(nb, path)
    return path


def test_parameters_of_the_overview_notebook():
    # Its comments hold "=" ("None = 内置数据"), which papermill's line parser skips; ast does not.
    params = notebook_parameters(NOTEBOOK_DIR / "00-data-overview.ipynb")
    assert params == {"county": "灵寿县", "year": "latest", "data_dir": None, "output_dir": None, "lang": "zh"}


def test_parameters_cell_forms(tmp_path):
    p = write_nb(tmp_path / "a.ipynb", "a = 1  # x = y\nb: float = 2.5\nc = d = 'z'\ne = list()\nimport os")
    assert notebook_parameters(p) == {"a": 1, "b": 2.5, "c": "z", "d": "z", "e": None}
    assert notebook_parameters(write_nb(tmp_path / "b.ipynb", "a = 1", tag=False)) == {}


def test_parameters_cell_errors(tmp_path):
    with pytest.raises(ParameterError, match=r"bad\.ipynb 的 parameters 单元不是有效的 Python.*line 1"):
        notebook_parameters(write_nb(tmp_path / "bad.ipynb", "a = = 1"))
    (tmp_path / "junk.ipynb").write_text("not json", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"无法读取笔记本 junk\.ipynb.*cannot read notebook junk\.ipynb"):
        notebook_parameters(tmp_path / "junk.ipynb")


def test_find_notebooks(tmp_path):
    with pytest.raises(ParameterError, match="笔记本文件夹不存在.*notebook folder does not exist"):
        find_notebooks(tmp_path / "nope")
    write_nb(tmp_path / "notes.ipynb", "a = 1")            # not NN-topic: ignored
    with pytest.raises(ParameterError, match="没有分析笔记本.*holds no analysis notebook"):
        find_notebooks(tmp_path)
    write_nb(tmp_path / "10-b.ipynb", "a = 1")
    write_nb(tmp_path / "02-a.ipynb", "b = 2")
    specs = find_notebooks(tmp_path)
    assert [s.name for s in specs] == ["02-a", "10-b"]
    assert specs[0].parameters == {"b": 2}


def test_load_params_file(tmp_path):
    assert load_params_file(None) == {}
    (tmp_path / "p.yaml").write_text("close_pct: 5\nseed: 3\n", encoding="utf-8")
    assert load_params_file(tmp_path / "p.yaml") == {"close_pct": 5, "seed": 3}
    (tmp_path / "p.json").write_text(json.dumps({"seed": 4}), encoding="utf-8")
    assert load_params_file(tmp_path / "p.json") == {"seed": 4}
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    assert load_params_file(tmp_path / "empty.yaml") == {}
    with pytest.raises(ParameterError, match="参数文件不存在.*parameters file does not exist"):
        load_params_file(tmp_path / "missing.yaml")
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="list.yaml 应为“名称: 值”的键值表.*must be a mapping"):
        load_params_file(tmp_path / "list.yaml")
    (tmp_path / "broken.yaml").write_text("a: [1,\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="参数文件 .*broken.yaml 不是有效的 YAML.*parameters file .*broken.yaml is not valid YAML"):
        load_params_file(tmp_path / "broken.yaml")


def spec(name, **extra):
    return NotebookSpec(Path(f"{name}.ipynb"), name, {**BASE, **extra})


def test_check_run_parameters():
    specs = [spec("00-a"), spec("10-b", close_pct=10.0, seed=1)]
    assert check_run_parameters(specs, {"close_pct": 5}) == {"close_pct": 5.0}
    with pytest.raises(ParameterError, match=r"未知参数 \['colour'\].*accepted: \['close_pct', 'seed'\]"):
        check_run_parameters(specs, {"colour": "red"})
    with pytest.raises(ParameterError, match=r"close_pct=500 超出范围"):
        check_run_parameters(specs, {"close_pct": 500})
    with pytest.raises(ParameterError, match=r"参数文件不能设置 \['county'\].*cannot set \['county'\]"):
        check_run_parameters(specs, {"county": "x"})
    lacking = NotebookSpec(Path("20-c.ipynb"), "20-c", {"county": None, "year": None, "lang": None})
    with pytest.raises(ParameterError, match=r"20-c.ipynb 的 parameters 单元缺少 \['data_dir', 'output_dir'\]"):
        check_run_parameters([lacking], {})
    with pytest.raises(ParameterError, match=r"30-d.ipynb declares parameter\(s\) \['colour'\] with no checking rule"):
        check_run_parameters([spec("30-d", colour="red")], {})


def test_kernel_failure_names_the_notebook(tmp_path, monkeypatch):
    import lingshou.report.notebooks
    from lingshou.report.runner import NotebookFailed, run_notebook

    def dead(*args, **kwargs):
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(lingshou.report.notebooks, "execute", dead)
    with pytest.raises(NotebookFailed, match="笔记本 10-x.ipynb 执行时出错：RuntimeError: Kernel died.*"
                                             "notebook 10-x.ipynb failed while running: RuntimeError") as info:
        run_notebook(spec("10-x"), tmp_path / "out.ipynb", {})
    assert info.value.notebook == "10-x" and info.value.cell is None


def test_a_kernel_dying_at_start_up_is_started_again(tmp_path, monkeypatch):
    import lingshou.report.notebooks
    from lingshou.report.runner import KERNEL_START_ATTEMPTS, run_notebook

    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) < KERNEL_START_ATTEMPTS:
            raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(lingshou.report.notebooks, "execute", flaky)
    run_notebook(spec("10-x"), tmp_path / "out.ipynb", {})
    assert len(calls) == KERNEL_START_ATTEMPTS


def test_other_runtime_errors_are_not_retried(tmp_path, monkeypatch):
    import lingshou.report.notebooks
    from lingshou.report.runner import NotebookFailed, run_notebook

    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("something else")

    monkeypatch.setattr(lingshou.report.notebooks, "execute", broken)
    with pytest.raises(NotebookFailed, match="RuntimeError: something else"):
        run_notebook(spec("10-x"), tmp_path / "out.ipynb", {})
    assert len(calls) == 1


def test_notebook_arguments_only_declared_names():
    s = NotebookSpec(Path("x.ipynb"), "x", {"county": 0, "year": 0, "seed": 0})
    assert notebook_arguments(s, {"county": "灵寿县", "year": 2024, "lang": "zh"}, {"seed": 7, "close_pct": 5.0}) == \
        {"county": "灵寿县", "year": 2024, "seed": 7}


def test_lock_is_exclusive(tmp_path):
    with OutputLock(tmp_path, "灵寿县_2024"):
        with pytest.raises(OutputLocked, match="另一个运行正在写入同一报告.*another run is writing the same report"):
            with OutputLock(tmp_path, "灵寿县_2024"):
                pass
        with OutputLock(tmp_path, "平山县_2024"):      # another report: no conflict
            pass
    with OutputLock(tmp_path, "灵寿县_2024"):          # released on exit
        pass


def test_workspace_publish_and_failed(tmp_path):
    stale = tmp_path / ".r_2024.tmp-old"
    stale.mkdir()
    ws = new_workspace(tmp_path, "r_2024")
    assert not stale.exists() and ws.parent == tmp_path and ws.name.startswith(".r_2024.tmp-")
    umask = os.umask(0)
    os.umask(umask)
    assert ws.stat().st_mode & 0o777 == 0o777 & ~umask         # not mkdtemp's private 0700
    (ws / "report.pdf").write_text("new", encoding="utf-8")
    target = tmp_path / "r_2024"
    target.mkdir()
    (target / "report.pdf").write_text("old", encoding="utf-8")
    (tmp_path / "r_2024.failed").mkdir()
    publish(ws, target)
    assert (target / "report.pdf").read_text(encoding="utf-8") == "new"
    assert not (tmp_path / "r_2024.failed").exists()          # the latest run succeeded
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r_2024"]
    ws2 = new_workspace(tmp_path, "r_2024")
    (ws2 / "run.log").write_text("boom", encoding="utf-8")
    failed = keep_failed(ws2, target)
    assert failed.name == "r_2024.failed" and (failed / "run.log").exists()
    assert (target / "report.pdf").read_text(encoding="utf-8") == "new"


def test_sigterm_becomes_interrupted():
    with pytest.raises(Interrupted) as info:
        with interrupts_as_exceptions():
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(500):          # the handler runs at the next bytecode boundary
                time.sleep(0.01)
    assert info.value.signum == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL    # handler restored


def test_data_files_of_a_user_folder(tmp_path):
    stats = tmp_path / "raw" / "statistics"
    stats.mkdir(parents=True)
    (stats / "mine.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "raw" / "counties.csv").write_text("county\n", encoding="utf-8")
    from lingshou.config import data_folder

    files = {f["path"]: f for f in data_files(data_folder(tmp_path))}
    assert files["statistics/mine.csv"]["origin"] == "data"
    assert files["statistics/mine.csv"]["sha256"] == file_sha256(stats / "mine.csv")
    assert files["counties.csv"]["origin"] == "data"            # the user's own reference table
    assert files["indicators.csv"]["origin"] == "bundled"       # taken from the bundled data
    assert not any(p.startswith("statistics/illustrative") for p in files)   # bundled statistics unused


def test_glyph_warnings(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr",
                                           text="UserWarning: Glyph 25351 missing from font(s) DejaVu Sans.\nok\n")]
    nb.cells = [cell]
    nbformat.write(nb, tmp_path / "n.ipynb")
    assert glyph_warnings(tmp_path / "n.ipynb") == ["UserWarning: Glyph 25351 missing from font(s) DejaVu Sans."]


def test_pad_counts_wide_characters():
    assert pad("灵寿县", 8) == "灵寿县  "      # 3 × 2 columns + 2 spaces
    assert pad("abc", 5) == "abc  "
    assert pad("toolong", 3) == "toolong"


def test_not_enough_data_becomes_a_section_that_says_so(tmp_path, monkeypatch):
    # a notebook raising NotEnoughData: its summary says so (title from the notebook's metadata), the run goes on;
    # any other error still fails the notebook
    import lingshou.report.notebooks
    from papermill.exceptions import PapermillExecutionError

    from lingshou.report.runner import NotebookFailed, run_notebook

    def short(*args, **kwargs):
        raise PapermillExecutionError(3, 3, "x = 1", "NotEnoughData",
                                      "2025 年的数据不足以做同组比较：只有 1 个县 / the 2025 data are not enough for peer "
                                      "benchmarking: only 1 county has values", [])

    monkeypatch.setattr(lingshou.report.notebooks, "execute", short)
    nb = NotebookSpec(path=tmp_path / "05-x.ipynb", name="05-x", title={"zh": "同组比较", "en": "Benchmarking"})
    (tmp_path / "report" / "notebooks").mkdir(parents=True)
    run_notebook(nb, tmp_path / "report" / "notebooks" / "05-x.ipynb", {"county": "灵寿县", "year": 2025})
    summary = json.loads((tmp_path / "report" / "summaries" / "05-x.json").read_text(encoding="utf-8"))
    assert summary["title"] == {"zh": "同组比较", "en": "Benchmarking"} and summary["year"] == 2025
    assert summary["headline"]["zh"] == "数据不足，本节未做分析：2025 年的数据不足以做同组比较。"
    assert summary["headline"]["en"] == ("Not enough data, so this analysis was not made: the 2025 data are not enough "
                                         "for peer benchmarking.")
    assert "只有 1 个县" in summary["paragraphs"]["zh"][0] and summary["numbers"]["not_enough_data"] is True

    def broken(*args, **kwargs):
        raise PapermillExecutionError(3, 3, "x = 1", "DataError", "坏 / bad", [])

    monkeypatch.setattr(lingshou.report.notebooks, "execute", broken)
    with pytest.raises(NotebookFailed, match="DataError: 坏 / bad"):
        run_notebook(nb, tmp_path / "report" / "notebooks" / "05-x.ipynb", {"county": "灵寿县", "year": 2025})


def test_notebooks_carry_their_section_title():
    # the title a section keeps when its data are not enough
    for nb in find_notebooks(NOTEBOOK_DIR):
        assert set(nb.title or {}) == {"zh", "en"}, nb.name
