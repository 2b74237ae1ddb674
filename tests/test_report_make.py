"""``lingshou report`` end to end: the real notebooks on the bundled data once, tiny fixture notebooks
(tests/data/report/) for the accountability table, failures, signals, locks and the batch."""
import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lingshou.cli import main
from lingshou.errors import ParameterError
from lingshou.report.batch import format_outcomes, report_all
from lingshou.report.make import exit_code, make_report, report_folder, resolve_county_year
from lingshou.report.output import Interrupted, OutputLock

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "report"


def cli(*args):
    """Run ``lingshou`` in this process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in args])
    return rc, out.getvalue(), err.getvalue()


def pdf_text(path) -> list[str]:
    return [p.extract_text() for p in PdfReader(path).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


# --------------------------------------------------------------------- the real notebooks, bundled data
@pytest.fixture(scope="module")
def real(tmp_path_factory):
    out = tmp_path_factory.mktemp("real")
    rc, stdout, stderr = cli("report", "--county", "灵寿县", "--year", "latest", "--out", out)
    assert rc == 0, stderr
    folder = next(p for p in out.iterdir() if p.is_dir())
    return {"out": out, "folder": folder, "stdout": stdout, "stderr": stderr}


def test_real_report_layout(real):
    folder = real["folder"]
    assert folder.name.startswith("灵寿县_20")
    assert real["stdout"].strip().splitlines()[-1] == f"报告 report: {folder / 'report.pdf'}"
    for name in ("report.pdf", "run.json", "run.log", "tables", "figures", "notebooks", "summaries"):
        assert (folder / name).exists(), name
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    for nb in notebooks:
        assert (folder / "notebooks" / f"{nb}.ipynb").is_file() and (folder / "notebooks" / f"{nb}.html").is_file()
        assert (folder / "summaries" / f"{nb}.json").is_file()
    assert leftovers(real["out"]) == []


def test_real_pdf_content(real):
    folder = real["folder"]
    year = folder.name.split("_")[1]
    pages = pdf_text(folder / "report.pdf")
    text = flat("".join(pages))
    assert "灵寿县" in text and f"{year}年" in text
    for heading in ("摘要", "目录", "方法与数据来源", "附录：可复现信息", "数据来源"):
        assert heading in text, heading
    summaries = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / "summaries").glob("*.json"))]
    for s in summaries:
        assert flat(s["title"]["zh"]) in text
        assert flat(s["headline"]["zh"]) in text           # each headline on the summary page and its section
    overview = json.loads((folder / "summaries" / "00-data-overview.json").read_text(encoding="utf-8"))
    assert f"共有{overview['numbers']['n_counties']}个县" in text
    assert flat(f"第 2 页 / 共 {len(pages)} 页") in flat(pages[1])          # page numbers
    # Bundled data are illustrative: the band on every page (the cover, the contents, the methods too), so a
    # page printed or copied alone never reads as official.
    section = [p for p in pages if "一、数据概览要点" in flat(p)]           # the heading and its lead box
    assert len(section) == 1
    assert [i + 1 for i, p in enumerate(pages) if "示例数据—非官方统计" not in flat(p)] == []


@pytest.fixture(scope="module")
def real_en(tmp_path_factory):
    out = tmp_path_factory.mktemp("real_en")
    rc, stdout, stderr = cli("report", "--county", "灵寿县", "--year", "latest", "--out", out, "--lang", "en", "-q")
    assert rc == 0, stderr
    return next(p for p in out.iterdir() if p.is_dir())


def test_real_english_report_reads_in_english(real_en):
    # The real notebooks' output typeset in English: units, the plan's title and the band in English on every page.
    pages = pdf_text(real_en / "report.pdf")
    text = flat("".join(pages))
    assert [i + 1 for i, p in enumerate(pages) if "ILLUSTRATIVEDATA" not in flat(p)] == []
    assert flat("Lingshou County work plan for the county S&T innovation leap programme") in text
    # 万元 one way (×10k yuan), no Chinese unit after an indicator or in a unit column; the plan's own item
    # texts (quoted in the task section) keep their Chinese
    assert flat("×10k yuan") in text and "(10,000yuan)" not in text and "×10,000yuan" not in text
    for unit in ("家/千家", "件/万人", "(万元)", "万人）"):
        assert unit not in text, unit
    summaries = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((real_en / "summaries").glob("*.json"))]
    for summary in summaries:
        assert flat(summary["headline"]["en"]) in text
    run = json.loads((real_en / "run.json").read_text(encoding="utf-8"))
    assert [w for w in run["warnings"] if "missing from font" in w or w.startswith("typst")] == []


def test_real_notebooks_render_and_hide_code(real):
    folder = real["folder"]
    for path in (folder / "notebooks").glob("*.ipynb"):
        assert "missing from font" not in path.read_text(encoding="utf-8"), path.name
    html = (folder / "notebooks" / "00-data-overview.html").read_text(encoding="utf-8")
    assert "params.prepare" not in html and "数据概览" in html


def test_real_run_json(real):
    folder = real["folder"]
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert run["status"] == "success" and run["exit_code"] == 0
    assert run["parameters"]["county"] == "灵寿县" and run["parameters"]["year_requested"] == "latest"
    assert str(run["parameters"]["year"]) == folder.name.split("_")[1]
    assert run["versions"]["typst"] and run["versions"]["pandas"]
    files = {f["path"]: f for f in run["data_files"]}
    stats = ROOT / "data" / "raw" / "statistics" / "illustrative_shijiazhuang_2018-2024.csv"
    assert files["statistics/illustrative_shijiazhuang_2018-2024.csv"]["sha256"] == sha(stats)
    assert "indicators.csv" in files and "plans/灵寿县_2022-2025.yaml" in files
    assert {"validate", "00-data-overview", "html", "pdf"} <= set(run["timings"])
    # No glyph missing in any figure, no Typst warning (a stale processed/ would only add a note).
    assert [w for w in run["warnings"] if "missing from font" in w or w.startswith("typst")] == []
    assert run["numbers"]["00-data-overview"]["n_counties"] == 167   # every evaluated unit of the province


# ------------------------------------------------------------------ fixture notebooks: accountability
@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    out = tmp_path_factory.mktemp("fake")
    rc, stdout, stderr = cli("report", "--county", "灵寿", "--year", "2024", "--out", out, "--notebooks", DATA / "ok",
                             "--quiet")
    assert rc == 0, stderr
    return out


def test_accountability_table_in_pdf(fake):
    folder = fake / "灵寿县_2024"
    pages = pdf_text(folder / "report.pdf")
    text = flat("".join(pages))
    assert "责任分工与督导清单" in text and "各牵头单位负责的计划指标" in text
    acc = flat(next(p for p in pages if "二、责任分工与督导清单下表" in flat(p)))     # the section, not the contents
    # The first row of the fixture gap table: 1320.0 of 1500.0 万元 by 2025, behind, needs 13.64 %/yr.
    assert "地方财政科技支出（万元）13201500（2025）●落后13.6县财政局" in acc
    assert "示例数据—非官方统计" in acc                   # gap data are illustrative
    summary_page = flat(pages[1])
    # Tiles of the summary page: met 1, close 1, behind 2, no data 1 (5 targets).
    assert "计划指标完成情况（共5项）" in summary_page and "1达标1接近2落后1无数据" in summary_page
    # The fixture's own table is capped at its max_rows (4 of 5 rows).
    assert "仅列出前4行，共5行" in text


def test_workbook_beside_pdf(fake):
    wb = load_workbook(fake / "灵寿县_2024" / "督导台账.xlsx")
    assert "督导清单" in wb.sheetnames and "@县审计局" in wb.sheetnames
    cell = wb["督导清单"]["B7"]
    assert cell.value == "=1+2 万人有效发明专利拥有量" and cell.data_type == "s"


def test_english_report(tmp_path):
    rc, _, err = cli("report", "--county", "灵寿县", "--out", tmp_path, "--notebooks", DATA / "ok", "--lang", "en", "-q")
    assert rc == 0, err
    text = flat("".join(pdf_text(tmp_path / "灵寿县_2024" / "report.pdf")))
    for words in ("Summary", "Contents", "Responsibilities and supervision list", "ILLUSTRATIVE DATA",
                  "2 targets behind in 2024", "Methods and data sources", "Page 2 of"):
        assert flat(words) in text, words


# ------------------------------------------------------------------------------------- bad days
def test_failing_notebook_keeps_previous_report(fake, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(fake, out)
    before = sha(out / "灵寿县_2024" / "report.pdf")
    rc, _, err = cli("report", "--county", "灵寿县", "--out", out, "--notebooks", DATA / "fail", "-q")
    assert rc == 3
    assert "00-fails.ipynb" in err and "In [4]" in err and "deliberate failure" in err
    assert sha(out / "灵寿县_2024" / "report.pdf") == before
    failed = out / "灵寿县_2024.failed"
    executed = nbformat.read(failed / "notebooks" / "00-fails.ipynb", as_version=4)
    assert any(o.get("ename") == "ValueError" for c in executed.cells for o in c.get("outputs", []))
    assert "ValueError: 故意的错误 deliberate failure" in (failed / "run.log").read_text(encoding="utf-8")
    run = json.loads((failed / "run.json").read_text(encoding="utf-8"))
    assert run["status"] == "failed" and run["exit_code"] == 3
    assert str(failed / "notebooks" / "00-fails.ipynb") in err
    assert leftovers(out) == []


def test_notebook_without_summary(tmp_path):
    rc, _, err = cli("report", "--county", "灵寿县", "--out", tmp_path, "--notebooks", DATA / "silent", "-q")
    assert rc == 3
    assert "笔记本 00-silent.ipynb 没有写出摘要 summaries/00-silent.json" in err
    assert not (tmp_path / "灵寿县_2024").exists() and (tmp_path / "灵寿县_2024.failed").is_dir()


def test_sigterm_keeps_previous_report(fake, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(fake, out)
    before = sha(out / "灵寿县_2024" / "report.pdf")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "lingshou.cli", "report", "--county", "灵寿县", "--out", str(out),
                             "--notebooks", str(DATA / "slow"), "-q"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        # The slow notebook writes "started" into the run's temporary folder, then sleeps.
        deadline = time.monotonic() + 120
        while not list(out.glob(".灵寿县_2024.tmp-*/started")):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.1)
        assert leftovers(out) != []
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert "interrupted: the previous report is untouched" in err
    assert sha(out / "灵寿县_2024" / "report.pdf") == before
    assert leftovers(out) == [] and not (out / "灵寿县_2024.failed").exists()


def test_bad_data_stops_before_any_notebook(tmp_path):
    rc, _, err = cli("report", "--county", "灵寿县", "--data", DATA / "bad_data", "--out", tmp_path / "out",
                     "--notebooks", DATA / "slow")
    assert rc == 1
    assert "未运行任何笔记本" in err and "bad.csv" in err
    assert "很多: 不是数值" in err and "/ not a number" in err and "fiscal_st_expenditure cannot be negative" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("params, with_ok, with_slow", [
    ({"colour": "red"}, r"未知参数 \['colour'\]", r"未知参数 \['colour'\]"),
    # close_pct is declared by ok/ only: invalid there, unknown to slow/.
    ({"close_pct": 500}, r"close_pct=500 超出范围", r"未知参数 \['close_pct'\]"),
    ({"county": "平山县"}, r"参数文件不能设置 \['county'\]", r"参数文件不能设置 \['county'\]"),
])
def test_bad_parameters_rejected_before_running(tmp_path, params, with_ok, with_slow):
    pfile = tmp_path / "params.yaml"
    pfile.write_text(json.dumps(params), encoding="utf-8")
    for notebooks, message in ((DATA / "ok", with_ok), (DATA / "slow", with_slow)):
        rc, _, err = cli("report", "--county", "灵寿县", "--out", tmp_path / "out", "--notebooks", notebooks,
                         "--params", pfile)
        # The slow notebook would sleep for minutes: a quick exit 2 shows that nothing ran.
        assert rc == 2 and re.search(message, err), err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("county", ["../../evil", "灵寿县/../../x", "..", "a\\b", "灵寿县\x00"])
def test_path_traversal_refused(tmp_path, county):
    rc, _, err = cli("report", "--county", county, "--out", tmp_path / "out", "--notebooks", DATA / "ok")
    assert rc == 2 and "不是有效的县名" in err
    assert not (tmp_path / "out").exists() and sorted(p.name for p in tmp_path.iterdir()) == []


def test_report_folder_stays_inside(tmp_path):
    assert report_folder(tmp_path, "灵寿县", 2024) == (tmp_path / "灵寿县_2024").resolve()
    with pytest.raises(ParameterError, match="会落在输出文件夹之外.*would lie outside the output folder"):
        report_folder(tmp_path, "../x", 2024)


@pytest.mark.parametrize("args, message", [
    (["--county", "平安县"], "数据中没有县 '平安县'"),
    (["--county", "灵寿县", "--year", "2010"], r"灵寿县 没有 2010 年的数据（有数据的年份：\[2018"),
    (["--county", "灵寿县", "--year", "soon"], "参数 year 应为整数"),
    (["--year", "2024"], "请用 --county 指定县，或用 --all-counties"),
    (["--county", "灵寿县", "--data", "/nonexistent/lingshou"], "数据文件夹不存在"),
    (["--county", "灵寿县", "--notebooks", DATA / "noparams"], r"00-noparams.ipynb 的 parameters 单元缺少 \['output_dir'\]"),
    (["--county", "灵寿县", "--notebooks", DATA / "norule"], r"声明的参数 \['colour'\] 在 lingshou.data.params.RULES 中没有检查规则"),
])
def test_usage_errors(tmp_path, args, message):
    rc, _, err = cli("report", "--out", tmp_path / "out", *args)
    assert rc == 2 and re.search(message, err), err


def test_locked_report(tmp_path):
    out = tmp_path / "out"
    with OutputLock(out, "灵寿县_2024"):
        rc, _, err = cli("report", "--county", "灵寿县", "--year", "2024", "--out", out, "--notebooks", DATA / "ok")
    assert rc == 2 and "another run is writing the same report" in err
    assert sorted(p.name for p in out.iterdir()) == [".灵寿县_2024.lock"]


def test_unexpected_error_is_an_analysis_failure(tmp_path, monkeypatch):
    import lingshou.report.pdf
    from lingshou.errors import AnalysisError

    def broken(*args, **kwargs):
        raise KeyError("no such thing")

    monkeypatch.setattr(lingshou.report.pdf, "compile_pdf", broken)
    with pytest.raises(AnalysisError, match="意外错误：KeyError: 'no such thing'.*unexpected error") as info:
        make_report("灵寿县", 2024, out_dir=tmp_path, notebooks_dir=DATA / "ok", stream=None)
    assert exit_code(info.value) == 3 and "本次运行的文件和日志在" in str(info.value)
    failed = tmp_path / "灵寿县_2024.failed"
    assert "KeyError: 'no such thing'" in (failed / "run.log").read_text(encoding="utf-8")
    assert not (tmp_path / "灵寿县_2024").exists() and leftovers(tmp_path) == []


def test_resolve_county_year():
    import pandas as pd

    from lingshou.data.catalogue import load_catalogue

    tidy = pd.DataFrame({"county": ["灵寿县", "灵寿县"], "year": [2022, 2023], "value": [1.0, float("nan")]})
    cat = load_catalogue()
    assert resolve_county_year(tidy, cat, "灵寿", "latest") == ("灵寿县", 2022)     # 2023 has only a missing value
    with pytest.raises(ParameterError, match=r"灵寿县 没有 2023 年的数据（有数据的年份：\[2022\]）"):
        resolve_county_year(tidy, cat, "灵寿县", 2023)
    with pytest.raises(ParameterError, match="数据中没有县 '平山县'；可选：灵寿县"):
        resolve_county_year(tidy, cat, "平山县", 2022)


def test_exit_codes():
    from lingshou.errors import AnalysisError, DataError

    assert [exit_code(e) for e in (DataError("x"), ParameterError("x"), AnalysisError("x"), RuntimeError("x"),
                                   KeyboardInterrupt(), Interrupted(signal.SIGTERM))] == [1, 2, 3, 3, 130, 143]


# ------------------------------------------------------------------------------------------ batch
def test_batch_one_failure_does_not_stop_the_others(tmp_path):
    out = tmp_path / "out"
    rc, stdout, err = cli("report", "--all-counties", "--data", DATA / "tiny_data", "--out", out, "--notebooks",
                          DATA / "picky", "--jobs", "2")
    assert rc == 3, err             # the worst outcome: 平山县 failed on purpose
    assert (out / "灵寿县_2023" / "report.pdf").is_file()
    assert (out / "平山县_2023.failed" / "notebooks" / "00-picky.ipynb").is_file()
    lines = stdout.strip().splitlines()
    assert lines[-1] == "共 2 个县：成功 1 个，失败 1 个 / 2 counties: 1 succeeded, 1 failed"
    assert any(line.startswith("平山县") and "分析失败 analysis failed (3)" in line and "平山县 fails on purpose" in line
               for line in lines)
    assert any(line.startswith("灵寿县") and "成功 ok (0)" in line for line in lines)
    batch = json.loads((out / "batch_latest.json").read_text(encoding="utf-8"))
    assert [(o["county"], o["exit_code"]) for o in batch["outcomes"]] == [("平山县", 3), ("灵寿县", 0)]


def test_batch_checks_before_starting(tmp_path):
    with pytest.raises(ParameterError, match="--jobs 应为正整数，实际为 0"):
        report_all(2023, jobs=0, data_dir=DATA / "tiny_data", out_dir=tmp_path, notebooks_dir=DATA / "picky")
    with pytest.raises(ParameterError, match=r"数据中没有县 \['正定县'\]"):
        report_all(2023, counties=["正定县"], data_dir=DATA / "tiny_data", out_dir=tmp_path,
                   notebooks_dir=DATA / "picky", stream=None)
    assert list(tmp_path.iterdir()) == []
    assert format_outcomes([]).endswith("0 counties: 0 succeeded, 0 failed")


def test_fake_run_json(fake):
    run = json.loads((fake / "灵寿县_2024" / "run.json").read_text(encoding="utf-8"))
    assert run["parameters"]["county_requested"] == "灵寿" and run["numbers"]["00-fake-gap"]["n_behind"] == 2
    assert run["outputs"] == {"pdf": "report.pdf", "workbook": "督导台账.xlsx"}
    assert [n["parameters"] for n in run["notebooks"]] == [
        {"county": "灵寿县", "year": 2024, "data_dir": str(ROOT / "data"), "lang": "zh"}]


def test_make_report_library_call(tmp_path):
    result = make_report("灵寿县", 2024, out_dir=tmp_path, notebooks_dir=DATA / "ok", params={"close_pct": 5},
                         stream=None)
    assert result.pdf == (tmp_path / "灵寿县_2024" / "report.pdf").resolve() and result.pdf.is_file()
    assert result.workbook.name == "督导台账.xlsx" and result.run["parameters"]["params"] == {"close_pct": 5.0}


def test_report_in_use_keeps_the_new_one_beside(fake, tmp_path, monkeypatch):
    """Windows refuses to rename a folder while Excel holds its 督导台账.xlsx open: the old report stays, the
    new one lands in <report>.new, and the run says so (simulated: renaming the old folder fails)."""
    import lingshou.report.output as output

    out = tmp_path / "out"
    shutil.copytree(fake, out)
    old = out / "灵寿县_2024"
    before = sha(old / "report.pdf")
    real_replace = os.replace

    def replace(src, dst):
        if Path(src) == old:
            raise PermissionError(32, "The process cannot access the file because it is being used by another process")
        return real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    printed = io.StringIO()
    result = make_report("灵寿县", 2024, out_dir=out, notebooks_dir=DATA / "ok", stream=printed)
    new = out / "灵寿县_2024.new"
    assert result.folder == new.resolve() and result.pdf == new.resolve() / "report.pdf" and result.pdf.is_file()
    assert result.workbook == new.resolve() / "督导台账.xlsx"
    assert sha(old / "report.pdf") == before
    assert "正被其他程序打开" in printed.getvalue() and "灵寿县_2024.new" in printed.getvalue()
    run = json.loads((new / "run.json").read_text(encoding="utf-8"))
    assert any("could not be replaced" in w for w in run["warnings"])
    assert leftovers(out) == []
    # once the files are closed, the next run replaces the report and drops the .new folder
    monkeypatch.setattr(output.os, "replace", real_replace)
    make_report("灵寿县", 2024, out_dir=out, notebooks_dir=DATA / "ok", stream=None)
    assert not new.exists() and (old / "report.pdf").is_file()


def test_a_file_where_the_report_folder_goes_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "灵寿县_2024").write_text("我的笔记", encoding="utf-8")
    rc, _, err = cli("report", "--county", "灵寿县", "--out", out, "--notebooks", DATA / "ok", "-q")
    assert rc == 2
    assert "灵寿县_2024 已存在但不是报告文件夹（是一个文件）；请移走或改名后再运行" in err
    assert (out / "灵寿县_2024").read_text(encoding="utf-8") == "我的笔记"


def test_a_run_killed_between_the_two_renames_is_recovered(fake, tmp_path):
    """SIGKILL after the old folder was moved aside and before the new one arrived: the next run puts the old
    one back first (and says so), then publishes as usual."""
    out = tmp_path / "out"
    shutil.copytree(fake, out)
    before = sha(out / "灵寿县_2024" / "report.pdf")
    os.replace(out / "灵寿县_2024", out / ".灵寿县_2024.old-4242")          # what the killed run left
    (out / ".灵寿县_2024.tmp-dead").mkdir()
    (out / ".灵寿县_2024.failed.old-77").mkdir()                          # a leftover beside nothing missing
    (out / "灵寿县_2024.failed").mkdir()
    from lingshou.report.output import recover

    notes = recover(out, "灵寿县_2024")
    assert notes == ["上次运行在替换 灵寿县_2024 时中断，已恢复原来的 灵寿县_2024 / the last run was stopped while "
                     "replacing 灵寿县_2024; the previous 灵寿县_2024 was put back"]
    assert sha(out / "灵寿县_2024" / "report.pdf") == before
    assert not (out / ".灵寿县_2024.old-4242").exists() and not (out / ".灵寿县_2024.failed.old-77").exists()
    # through a report run: the note is in run.json, the leftovers are gone
    os.replace(out / "灵寿县_2024", out / ".灵寿县_2024.old-4243")
    result = make_report("灵寿县", 2024, out_dir=out, notebooks_dir=DATA / "ok", stream=None)
    assert any("was put back" in w for w in result.run["warnings"])
    assert leftovers(out) == []


def test_os_errors_get_their_own_exit_code_and_a_bilingual_message(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    # the output folder is a file: no traceback, exit 4, the path and the reason named
    rc, _, err = cli("report", "--county", "灵寿县", "--out", blocker / "reports", "--notebooks", DATA / "ok", "-q")
    assert rc == 4
    assert "系统错误 / system error: 系统拒绝了文件操作：路径中的某一级是文件而不是文件夹" in err
    assert "a part of the path is a file, not a folder" in err and str(blocker) in err
    assert "Traceback" not in err


def test_a_read_only_output_folder(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        rc, _, err = cli("report", "--county", "灵寿县", "--out", out, "--notebooks", DATA / "ok", "-q")
    finally:
        out.chmod(0o755)
    assert rc == 4 and "没有写入或读取权限" in err and "permission denied" in err


def test_an_os_error_inside_a_run_keeps_the_failed_run(tmp_path, monkeypatch):
    import errno

    import lingshou.report.make as M

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.pdf"))

    monkeypatch.setattr(M, "write_workbook", full)
    rc, _, err = cli("report", "--county", "灵寿县", "--out", tmp_path, "--notebooks", DATA / "ok", "-q")
    assert rc == 4 and "磁盘空间不足" in err and "no space left on the disk" in err
    run = json.loads((tmp_path / "灵寿县_2024.failed" / "run.json").read_text(encoding="utf-8"))
    assert run["status"] == "failed" and run["exit_code"] == 4


def test_system_fault_messages():
    import errno

    from lingshou.errors import system_fault

    assert str(system_fault(OSError(errno.EROFS, "Read-only file system", "/mnt/r"))) == (
        "系统拒绝了文件操作：文件系统是只读的（/mnt/r） / the system refused a file operation: the file system is "
        "read-only (/mnt/r)")
    assert str(system_fault(OSError(errno.EIO, "Input/output error"))) == (
        "系统拒绝了文件操作：Input/output error（—） / the system refused a file operation: Input/output error (—)")


def test_real_report_task_section_without_returns(real):
    """The bundled data hold no task returns: the section says so and lists the measures, never a progress."""
    text = flat("".join(pdf_text(real["folder"] / "report.pdf")))
    assert "重点任务推进情况" in text and "尚无部门通过填报表的“任务进展”表报送进展" in text
    assert "22项任务，分为49项具体措施" in text
    wb = load_workbook(real["folder"] / "督导台账.xlsx")
    assert "任务清单" in wb.sheetnames and "县委组织部" in wb.sheetnames      # a department without targets


def test_a_collection_year_gets_a_report_with_the_benchmarking_said_not_possible(tmp_path):
    # 灵寿县's own 2025 returns are in, no other county's: the peer benchmarking says it cannot be made, the
    # other analyses run, the report is produced (exit 0) with a warning.
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "raw", data / "raw")
    (data / "raw" / "statistics" / "collected_灵寿县_2025.csv").write_text(
        "县(市、区),年份,指标代码,数值,计量单位,数据状态,数据来源\n"
        "灵寿县,2025,fiscal_st_expenditure,2100,万元,provisional,县财政局\n"
        "灵寿县,2025,general_budget_expenditure,300000,万元,provisional,县财政局\n", encoding="utf-8")
    rc, _, err = cli("report", "--county", "灵寿县", "--year", "2025", "--data", data, "--out", tmp_path / "out", "-q")
    assert rc == 0, err
    folder = tmp_path / "out" / "灵寿县_2025"
    summary = json.loads((folder / "summaries" / "05-peer-benchmarking.json").read_text(encoding="utf-8"))
    assert summary["numbers"]["not_enough_data"] is True
    assert summary["headline"]["zh"] == "数据不足，本节未做分析：2025 年的数据不足以做同组比较。"
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert any("05-peer-benchmarking：数据不足" in w and "只有 1 个县（市、区）有数值" in w for w in run["warnings"])
    text = flat("".join(pdf_text(folder / "report.pdf")))
    assert flat("数据不足，本节未做分析：2025年的数据不足以做同组比较") in text
    # the fiscal share of 2025 is computed from the returns: 100 × 2100 / 300000 = 0.70 %
    fiscal = json.loads((folder / "summaries" / "20-fiscal-st-share.json").read_text(encoding="utf-8"))
    assert "0.70%" in fiscal["headline"]["zh"]
