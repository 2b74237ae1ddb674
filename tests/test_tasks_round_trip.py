"""The task supervision end to end: ``template``, two departments fill in their task sheets, ``collect``,
``report`` — the returns are in the 督导台账 and the PDF — and a second quarter's return adds to the history.

Runs the real notebooks on a copy of the bundled data (one report, about half a minute).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lingshou.cli import main
from lingshou.collect.task_form import TASK_SHEET
from lingshou.plan.progress import history_path, load_history

STATUS, DONE, EVIDENCE, DATE = "H", "I", "J", "K"


def cli(*args) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        rc = main([str(a) for a in args])
    return rc, out.getvalue()


def fill(form: Path, dest: Path, answers: dict[str, dict]) -> None:
    wb = load_workbook(form)
    ws = wb[TASK_SHEET]
    rows = {ws[f"C{r}"].value: r for r in range(4, ws.max_row + 1)}
    for item, cells in answers.items():
        for col, value in cells.items():
            ws[f"{col}{rows[item]}"] = value
    wb.save(dest)


@pytest.fixture(scope="module")
def supervised(tmp_path_factory):
    import shutil

    from tests.conftest import BUNDLED_RAW

    tmp = tmp_path_factory.mktemp("tasks")
    data = tmp / "data"
    shutil.copytree(BUNDLED_RAW, data / "raw")
    rc, _ = cli("template", "--county", "灵寿县", "--year", "2024", "--period", "2024Q3", "--data", data, "--out", tmp / "forms")
    assert rc == 0
    forms = {p.stem.split("_")[2]: p for p in (tmp / "forms").glob("*.xlsx")}
    returns = tmp / "returns"
    returns.mkdir()
    fill(forms["县委组织部"], returns / forms["县委组织部"].name,
         {"8.1": {STATUS: "推进中", DONE: "人才新政已起草", EVIDENCE: "县组发〔2024〕5号", DATE: dt.datetime(2024, 9, 3)}})
    fill(forms["县财政局"], returns / forms["县财政局"].name,
         {"4.2": {STATUS: "已完成", DONE: "科技支出达1520万元", EVIDENCE: "2022年决算表", DATE: "2023-06-30"},
          "1.1": {STATUS: "滞后", DONE: "领导小组成员待调整"}})
    rc, text = cli("collect", returns, "--data", data)
    assert rc == 0, text
    rc, text = cli("report", "--county", "灵寿县", "--year", "2024", "--data", data, "--out", tmp / "out", "-q")
    assert rc == 0, text
    return {"tmp": tmp, "data": data, "forms": forms, "folder": tmp / "out" / "灵寿县_2024"}


def test_returns_reach_the_ledger(supervised):
    wb = load_workbook(supervised["folder"] / "督导台账.xlsx")
    assert {"任务清单", "县委组织部", "县财政局", "汇总"} <= set(wb.sheetnames)
    ws = wb["县委组织部"]
    cells = {(ws.cell(r, 1).value, ws.cell(r, 8).value, ws.cell(r, 9).value) for r in range(1, ws.max_row + 1)}
    assert ("8.1", "推进中", "人才新政已起草") in cells
    ws = wb["任务清单"]
    states = {ws.cell(r, 1).value: ws.cell(r, 7).value for r in range(1, ws.max_row + 1)}
    assert states["4.2"] == "已完成" and states["1.1"] == "滞后" and states["1.2"] == "无报送"


def test_returns_reach_the_pdf(supervised):
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(supervised["folder"] / "report.pdf").pages))
    assert "重点任务推进情况" in text
    # as of the end of the period returned (2024Q3): 4.2 completed, 1.1 behind, 8.1 in progress, 46 without return
    assert "截至2024年9月30日（最近报送期2024Q3）" in text
    assert "已完成1项、推进中1项、滞后1项、无报送46项" in text


def test_a_second_quarter_adds_to_the_history(supervised):
    tmp, data = supervised["tmp"], supervised["data"]
    rc, _ = cli("template", "--county", "灵寿县", "--year", "2024", "--unit", "县委组织部", "--period", "2024Q4",
                "--data", data, "--out", tmp / "q4")
    assert rc == 0
    q4 = tmp / "q4returns"
    q4.mkdir()
    form = next((tmp / "q4").glob("*.xlsx"))
    fill(form, q4 / form.name, {"8.1": {STATUS: "已完成", EVIDENCE: "县组发〔2024〕9号", DATE: "2024-11-30"}})
    rc, text = cli("collect", q4, "--data", data)
    assert rc == 0, text
    history = load_history(history_path(data / "raw", "灵寿县"))
    # the third quarter as stored (files in name order: 县委组织部 before 县财政局), the fourth added after it
    assert list(zip(history["period"], history["task"], history["item"], history["status"])) == [
        ("2024Q3", "8", "1", "推进中"), ("2024Q3", "1", "1", "滞后"), ("2024Q3", "4", "2", "已完成"),
        ("2024Q4", "8", "1", "已完成")]
