"""Tests of the task progress returns: the form's task sheet, reading and checking it, the append-only history.

Every test works on a temporary data folder (tests/data/collect/statistics_base.csv) with the bundled plan of
灵寿县; the expectations are read off the plan's text (tasks 1, 4, 8, 17 …), not off the code's output.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from lingshou.cli import main
from lingshou.collect.returns import read_returns
from lingshou.collect.store import collect, write_collection
from lingshou.collect.task_form import TASK_SHEET
from lingshou.collect.task_returns import merge_history, parse_date, read_task_sheet
from lingshou.collect.template import DATA_SHEET, META_SHEET, write_templates
from lingshou.errors import DataError, ParameterError
from lingshou.plan.progress import (
    HISTORY_COLUMNS,
    check_period,
    current_quarter,
    current_state,
    history_path,
    load_history,
    parse_period,
)
from lingshou.plan.targets import find_plan
from lingshou.plan.tasks import canonical_unit, department_items, task_roles

FIXTURES = Path(__file__).parent / "data" / "collect"
#: Columns of the task sheet: H status, I done, J evidence, K date, L problems, M next step, N contact.
STATUS, DONE, EVIDENCE, DATE, PROBLEMS, NEXT, CONTACT = "HIJKLMN"


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    (d / "raw" / "statistics").mkdir(parents=True)
    shutil.copy(FIXTURES / "statistics_base.csv", d / "raw" / "statistics" / "base.csv")
    return d


@pytest.fixture
def forms(data, tmp_path):
    paths = write_templates("灵寿县", 2024, out=tmp_path / "forms", data_dir=data, period="2024Q3")
    return {p.stem.split("_")[2]: p for p in paths}


@pytest.fixture
def returns(tmp_path):
    d = tmp_path / "returns"
    d.mkdir()
    return d


def rows_of(form: Path) -> dict[str, int]:
    """Item id (``8.1``) → its row on the task sheet."""
    ws = load_workbook(form)[TASK_SHEET]
    return {ws[f"C{r}"].value: r for r in range(4, ws.max_row + 1) if ws[f"C{r}"].value}


def report(form: Path, dest: Path, answers: dict[str, dict]) -> Path:
    """Fill the task sheet as a department would: item id → {column letter: value}."""
    where = rows_of(form)
    wb = load_workbook(form)
    ws = wb[TASK_SHEET]
    for item, cells in answers.items():
        for col, value in cells.items():
            ws[f"{col}{where[item]}"] = value
    wb.save(dest)
    return dest


def rules(coll, severity="error"):
    return [p.rule for p in coll.problems if p.severity == severity]


# ------------------------------------------------------------------------------------------ periods
@pytest.mark.parametrize("text, label, start, end", [
    ("2024Q3", "2024Q3", dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
    ("2024-q1", "2024Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
    ("2024H2", "2024H2", dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
    ("2024-02", "2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2023", "2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
])
def test_parse_period(text, label, start, end):
    p = parse_period(text)
    assert (p.label, p.start, p.end) == (label, start, end)


def test_period_texts():
    assert parse_period("2024Q3").text() == "2024年第3季度" and parse_period("2024Q3").text("en") == "2024 Q3"
    assert parse_period("2024H1").text() == "2024年上半年" and parse_period("2024-09").text() == "2024年9月"


@pytest.mark.parametrize("text", ["2024Q5", "Q3", "2024-13", "24Q1", "", None])
def test_parse_period_refuses(text):
    with pytest.raises(ParameterError, match="reporting period .* is invalid"):
        parse_period(text)


def test_check_period_within_plan_and_begun():
    today = dt.date(2024, 8, 15)
    assert check_period(parse_period("2024Q3"), (2022, 2025), today).label == "2024Q3"
    with pytest.raises(ParameterError, match="outside the plan's years 2022–2025"):
        check_period(parse_period("2021Q4"), (2022, 2025), today)
    with pytest.raises(ParameterError, match="has not begun"):
        check_period(parse_period("2024Q4"), (2022, 2025), today)


def test_default_period_is_this_quarter_or_the_plans_last():
    assert current_quarter((2022, 2025), dt.date(2024, 8, 15)).label == "2024Q3"
    assert current_quarter((2022, 2025), dt.date(2026, 12, 3)).label == "2025Q4"


# ------------------------------------------------------------------------------------------ units
def test_plan_units_are_canonical_departments():
    known = ["县财政局", "县委组织部"]
    assert canonical_unit("财政局", known) == "县财政局"          # task 1 writes 财政局
    assert canonical_unit("科技创新工作领导小组成员单位", known) == "科技创新工作领导小组成员单位"
    plan = find_plan("灵寿县")
    roles = task_roles(plan.tasks, known)
    # 县委组织部 leads task 8 and shares tasks 1 and 17 (the text's 责任单位 lists)
    org = roles[roles["department"] == "县委组织部"]
    assert list(zip(org["task"], org["role"])) == [(1, "responsible"), (8, "lead"), (17, "responsible")]


def test_department_items_lists_every_item_of_its_tasks():
    plan = find_plan("灵寿县")
    items = department_items(plan.tasks, plan.items, "县委组织部", ["县委组织部"])
    # task 1 has four measures, task 8 five, task 17 one
    assert items.groupby("task").size().to_dict() == {1: 4, 8: 5, 17: 1}
    assert set(items.loc[items["task"] == 8, "role"]) == {"lead"}


# ------------------------------------------------------------------------------------------ the form
def test_form_has_the_task_sheet_with_the_units_items(forms):
    wb = load_workbook(forms["县委组织部"])
    # 县委组织部 reports no figure: instructions and task sheet only (and the hidden _meta)
    assert wb.sheetnames == ["填表说明", TASK_SHEET, META_SHEET]
    ws = wb[TASK_SHEET]
    assert ws["C4"].value == "1.1" and ws["F4"].value == "责任" and ws["G4"].value == "2022-12-31"
    ids = [ws[f"C{r}"].value for r in range(4, 14)]
    assert ids == ["1.1", "1.2", "1.3", "1.4", "8.1", "8.2", "8.3", "8.4", "8.5", "17.1"]
    assert ws["F8"].value == "牵头" and ws["A14"].value is None
    assert ws.protection.sheet and not ws["H4"].protection.locked and ws["E4"].protection.locked
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    assert meta["period"] == "2024Q3" and meta["task_items"].startswith("1.1,1.2,1.3,1.4,8.1")
    status = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert status and status[0].formula1 == '"未启动,推进中,已完成,滞后"'


def test_form_with_figures_keeps_its_figure_sheet(forms):
    assert load_workbook(forms["县财政局"]).sheetnames == ["填表说明", DATA_SHEET, TASK_SHEET, META_SHEET]


def test_template_period_outside_the_plan_is_refused(data, tmp_path):
    with pytest.raises(ParameterError, match="outside the plan's years"):
        write_templates("灵寿县", 2024, out=tmp_path / "f", data_dir=data, period="2030Q1")


# ------------------------------------------------------------------------------------------ reading
def test_round_trip_two_departments_then_a_second_quarter(data, forms, returns, tmp_path):
    report(forms["县委组织部"], returns / "org.xlsx",
           {"8.1": {STATUS: "推进中", DONE: "出台人才新政", EVIDENCE: "县组发〔2024〕5号", DATE: dt.datetime(2024, 9, 3)}})
    report(forms["县财政局"], returns / "fin.xlsx",
           {"4.2": {STATUS: "已完成", DONE: "科技支出1520万元", EVIDENCE: "决算表", DATE: "2024年9月20日"},
            "1.1": {STATUS: "滞后", PROBLEMS: "成员单位未调整"}})
    coll = collect(returns, data_dir=data)
    assert coll.ok and coll.period.label == "2024Q3"
    history = load_history(history_path(data / "raw", "灵寿县"))
    # files in name order (fin.xlsx, org.xlsx), rows in sheet order
    assert list(zip(history["task"], history["item"], history["department"], history["role"], history["status"])) == [
        ("1", "1", "县财政局", "responsible", "滞后"), ("4", "2", "县财政局", "responsible", "已完成"),
        ("8", "1", "县委组织部", "lead", "推进中")]
    assert history.loc[1, "evidence_date"] == "2024-09-20" and history.loc[2, "evidence_date"] == "2024-09-03"
    assert set(history["period"]) == {"2024Q3"}

    # the same returns again: nothing new, nothing repeated
    assert collect(returns, data_dir=data).task_rows.empty

    # the fourth quarter adds to the history; the third stays as it was
    q4 = write_templates("灵寿县", 2024, unit="县委组织部", out=tmp_path / "q4", data_dir=data, period="2024Q4")[0]
    shutil.rmtree(returns)
    returns.mkdir()
    report(q4, returns / "org.xlsx", {"8.1": {STATUS: "已完成", EVIDENCE: "县组发〔2024〕9号", DATE: "2024-11-30"}})
    assert collect(returns, data_dir=data).ok
    history = load_history(history_path(data / "raw", "灵寿县"))
    assert list(history["period"]) == ["2024Q3"] * 3 + ["2024Q4"]
    state = current_state(history, {8: "县发展和改革局"})
    assert state.set_index(["task", "item"]).loc[(8, 1), "status"] == "已完成"


def test_every_problem_of_a_task_sheet_in_one_pass(data, forms, returns):
    report(forms["县委编办"], returns / "bianban.xlsx", {
        "1.2": {STATUS: "差不多", DATE: "2021-06-30"},           # status outside the list; date before the plan
        "1.3": {STATUS: "推进中", DATE: "2099-01-01"},           # a date in the future
        "1.4": {STATUS: "已完成", DATE: "2024-02-30"},           # no such day; completed without evidence
        "1.1": {DONE: "x" * 501, STATUS: "推进中"},               # text too long
    })
    coll = read_returns(returns, data_dir=data)
    assert sorted(rules(coll)) == sorted(["task_status", "task_date_early", "task_date_future", "task_date", "task_text_long"])
    assert "evidence_missing" in rules(coll, "warning")
    bad = [p for p in coll.problems if p.rule == "task_status"][0]
    assert bad.file.endswith(f"bianban.xlsx#{TASK_SHEET}") and bad.column == "进展状态" and bad.value == "差不多"
    assert bad.row == str(rows_of(forms["县委编办"])["1.2"])
    assert not coll.ok
    with pytest.raises(DataError, match="nothing was written"):
        write_collection(coll)
    assert not history_path(data / "raw", "灵寿县").exists()


def test_unknown_item_and_a_task_the_department_does_not_share(data, forms, returns):
    # 县委编办 shares only task 1: it cannot report task 4; 99.1 is no item of the plan
    dest = report(forms["县委编办"], returns / "bianban.xlsx", {"1.2": {STATUS: "推进中"}})
    wb = load_workbook(dest)
    ws = wb[TASK_SHEET]
    ws["C20"], ws["H20"] = "4.1", "推进中"
    ws["C21"], ws["H21"] = "99.1", "推进中"
    ws["C22"], ws["H22"] = "1.2", "已完成"
    wb.save(dest)
    coll = read_returns(returns, data_dir=data)
    assert sorted(rules(coll)) == ["duplicate_item", "not_responsible", "unknown_item"]
    msg = [p for p in coll.problems if p.rule == "not_responsible"][0]
    assert "县委编办 neither leads nor shares task 4" in msg.en and msg.row == "20"


def test_formula_text_is_kept_inert(data, forms, returns):
    report(forms["县委组织部"], returns / "org.xlsx", {"8.2": {STATUS: "推进中", DONE: '=HYPERLINK("http://x","y")',
                                                              NEXT: "+cmd"}})
    coll = collect(returns, data_dir=data)
    history = load_history(history_path(data / "raw", "灵寿县"))
    assert coll.ok and history.loc[0, "done"] == "'=HYPERLINK(\"http://x\",\"y\")" and history.loc[0, "next_step"] == "'+cmd"


def test_same_period_returned_again_differently_is_a_conflict_then_amended(data, forms, returns, capsys):
    report(forms["县委组织部"], returns / "org.xlsx", {"8.1": {STATUS: "推进中", DONE: "起草中"}})
    assert collect(returns, data_dir=data).ok
    path = history_path(data / "raw", "灵寿县")
    before = path.read_bytes()
    report(forms["县委组织部"], returns / "org.xlsx", {"8.1": {STATUS: "已完成", DONE: "起草中", EVIDENCE: "县组发〔2024〕5号"}})
    coll = read_returns(returns, data_dir=data)
    assert not coll.ok
    assert list(zip(coll.task_conflicts["column"], coll.task_conflicts["stored"], coll.task_conflicts["returned"])) == [
        ("status", "推进中", "已完成"), ("evidence", "", "县组发〔2024〕5号")]
    assert main(["collect", str(returns), "--data", str(data)]) == 1
    out = capsys.readouterr().out
    assert "[冲突 conflict] 县委组织部 措施 item 8.1" in out and "--amend" in out
    assert path.read_bytes() == before                                   # nothing overwritten
    assert main(["collect", str(returns), "--data", str(data), "--amend"]) == 0
    history = load_history(path)
    assert path.read_bytes().startswith(before)                          # appended after the stored rows
    assert list(history["status"]) == ["推进中", "已完成"] and history.loc[1, "amends"] == history.loc[0, "version"]
    assert current_state(history, {8: "县委组织部"}).loc[0, "status"] == "已完成"


def test_a_reshaped_return_needs_its_period(data, forms, returns):
    # a department copies the task table into its own workbook: read by the headers, the period must be given
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["措施编号", "进展状态", "完成情况"])
    ws.append(["8.3", "推进中", "引进博士2名"])
    wb.save(returns / "县委组织部_进展.xlsx")
    with pytest.raises(ParameterError, match="cannot tell the reporting period"):
        read_returns(returns, county="灵寿县", year=2024, data_dir=data)
    coll = read_returns(returns, county="灵寿县", year=2024, data_dir=data, period="2024Q3")
    assert coll.ok and list(coll.task_rows["department"]) == ["县委组织部"] and list(coll.task_rows["item"]) == ["3"]


# ------------------------------------------------------------------------------------------ pieces
@pytest.mark.parametrize("cell, expected", [
    (dt.datetime(2024, 9, 3, 10, 0), dt.date(2024, 9, 3)), ("2024/9/3", dt.date(2024, 9, 3)),
    ("2024.09.03", dt.date(2024, 9, 3)), ("2024年9月3日", dt.date(2024, 9, 3)),
    ("2024-02-30", None), ("九月", None), (45000, None),
])
def test_parse_date(cell, expected):
    assert parse_date(cell) == expected


def test_read_task_sheet_skips_blank_rows_and_other_sheets():
    items = pd.DataFrame({"task": [1, 1], "item": [1, 2]})
    roles = pd.DataFrame({"task": [1], "department": ["县甲局"], "role": ["lead"]})
    grid = [["标题"], ["措施编号", "进展状态", "完成情况"], ["1.1", None, None], ["1.2", "推进中", "ok"]]
    rows, probs = read_task_sheet("f#s", grid, "县甲局", items, roles, dt.date(2022, 1, 1), dt.date(2024, 1, 1))
    assert probs == [] and list(rows["item"]) == [2] and list(rows["role"]) == ["lead"]
    rows, probs = read_task_sheet("f#s", [["指标", "2024年"]], "县甲局", items, roles, dt.date(2022, 1, 1), dt.date(2024, 1, 1))
    assert rows.empty and probs == []


def test_merge_history_keeps_every_version():
    history = pd.DataFrame([{**{c: "" for c in HISTORY_COLUMNS}, "county": "甲县", "period": "2024Q1", "task": "1",
                             "item": "1", "department": "县甲局", "status": "推进中", "version": "v1"}])
    new = pd.DataFrame([{"file": "/r/a.xlsx#任务进展", "row": 4, "task": 1, "item": 1, "department": "县甲局",
                         "role": "lead", "status": "已完成", "done": "", "evidence": "", "evidence_date": "",
                         "problems": "", "next_step": "", "contact": ""}])
    rows, conflicts = merge_history(history, new, "甲县", "2024Q1", "2024-04-02")
    assert rows.empty and list(conflicts["column"]) == ["status"]
    rows, conflicts = merge_history(history, new, "甲县", "2024Q2", "2024-07-02")     # another period: a new row
    assert conflicts.empty and list(rows["period"]) == ["2024Q2"] and list(rows["file"]) == ["a.xlsx"]


def test_current_state_prefers_the_lead_unit_and_the_latest_period():
    def row(period, dept, status):
        return {**{c: "" for c in HISTORY_COLUMNS}, "county": "甲县", "period": period, "task": "1", "item": "1",
                "department": dept, "status": status}
    h = pd.DataFrame([row("2024Q2", "县甲局", "推进中"), row("2024Q1", "县甲局", "未启动"), row("2024Q3", "县乙局", "已完成")])
    s = current_state(h, {1: "县甲局"})
    # the lead's latest (2024Q2) wins over a responsible unit's later return
    assert list(s["status"]) == ["推进中"] and list(s["period"]) == ["2024Q2"] and list(s["n_returns"]) == [3]
    assert list(current_state(h, {1: "县丙局"})["status"]) == ["已完成"]    # no lead return: the latest of the others


def test_load_history_refuses_a_hand_edited_file(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("county,period\n甲县,2024Q1\n", encoding="utf-8")
    with pytest.raises(DataError, match="lacks columns"):
        load_history(p)
    pd.DataFrame([{**{c: "" for c in HISTORY_COLUMNS}, "period": "2024Q9", "status": "完成了"}]).to_csv(p, index=False)
    with pytest.raises(DataError, match="row 2 column status: '完成了' is no valid status") as e:
        load_history(p)
    assert "'2024Q9' is no reporting period" in str(e.value)
