"""The plan's 22 tasks as data, checked against the plan text; the task parser and checker by hand."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import BUNDLED_RAW

from lingshou.errors import DataError
from lingshou.plan.targets import find_plan
from lingshou.plan.tasks import check_tasks, parse_tasks

PLAN_TEXT = BUNDLED_RAW / "plans" / "灵寿县_2022-2025.txt"
PLAN_FILE = BUNDLED_RAW / "plans" / "灵寿县_2022-2025.yaml"


def test_the_plan_file_holds_every_task_of_the_text():
    text = PLAN_TEXT.read_text(encoding="utf-8")
    stored = yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))["tasks"]
    assert stored == parse_tasks(text, (2022, 2025))
    assert [t["task"] for t in stored] == list(range(1, 23))
    # lead and responsible units exactly as the text writes them, e.g. task 5 and task 8
    for t in stored:
        assert f"牵头单位:{t['lead_unit']};责任单位:{'、'.join(t['responsible_units'])}" in text, t["task"]
    by = {t["task"]: t for t in stored}
    assert by[8]["lead_unit"] == "县委组织部"
    assert by[5]["responsible_units"] == ["县财政局", "县税务局", "各乡(镇)政府", "县经济开发区管委会"]
    assert by[20]["title"] == "加大“科技特派员”工作力度"


def test_task_one_is_split_into_its_measures():
    t1 = yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))["tasks"][0]
    titles = [i["title"] for i in t1["items"]]
    assert len(titles) == 4
    assert titles[1:] == ["配齐配强科技管理干部", "建立县、乡两级领导机构和工作机制", "健全县域科技服务网络"]
    assert titles[0].startswith("成立由县政府主要领导为组长")


def test_deadlines_from_the_text_or_the_stages():
    items = find_plan("灵寿县").items
    dated = items[(items["task"] == 4) & (items["due_basis"] == "text")]
    assert list(dated["due"]) == ["2022-12-31"] and list(dated["stage"]) == ["第二阶段 攻坚克难"]
    organisation = items[items["task"] == 1]
    assert set(organisation["stage"]) == {"第一阶段 挖潜增量"} and set(organisation["due_basis"]) == {"stage (interpretation)"}
    later = items[(items["task"] == 22)]
    assert set(later["due"]) == {"2025-12-31"}


def test_numeric_targets_link_to_their_tasks_and_other_counties_get_the_default_tasks():
    own, other = find_plan("灵寿县"), find_plan("景县")
    numbered = {int(x) for x in own.targets["task"] if str(x).isdigit()}
    assert numbered <= set(own.tasks["task"]) and {4, 5, 9, 10, 11, 14, 15, 16, 18, 19} <= numbered
    assert other.is_default and len(other.tasks) == 22


def test_parse_a_small_plan_by_hand():
    text = """五、重点工作
（一）组织
1.建组织。一是成立小组。二是配干部。建机构。（牵头单位:县甲局;责任单位:县乙局、各乡(镇)政府）
2.投钱。2022年度，支出达到10万元。〔牵头单位:县甲局;责任单位:县丙局〕
六、保障措施
"""
    tasks = parse_tasks(text, (2022, 2025))
    assert [(t["task"], t["title"], t["lead_unit"], t["responsible_units"]) for t in tasks] == [
        (1, "建组织", "县甲局", ["县乙局", "各乡(镇)政府"]), (2, "投钱", "县甲局", ["县丙局"])]
    assert [i["text"] for i in tasks[0]["items"]] == ["成立小组", "配干部", "建机构"]
    assert tasks[1]["items"][0] | {} == {"item": 1, "title": "支出达到10万元", "text": "2022年度，支出达到10万元",
                                         "stage": "第二阶段 攻坚克难", "due": "2022-12-31", "due_basis": "text"}


def test_a_text_without_numbered_tasks_is_refused():
    with pytest.raises(DataError, match=r"not numbered 1, 2, 3 …: \[\]"):
        parse_tasks("五、重点工作\n没有任务。\n", (2022, 2025))


def test_bad_tasks_in_a_plan_file_are_all_listed():
    raw = [{"task": 1, "title": "a"}, {"task": 1, "title": "b", "lead_unit": "x", "items": [{"text": "t", "due": "2022"}]}]
    with pytest.raises(DataError, match=r"(?s)tasks #1: needs task.*tasks #2 item 1: needs text and due.*"):
        check_tasks(raw, Path("p.yaml"))
    with pytest.raises(DataError, match=r"task numbers repeated or out of order \[2, 1\]"):
        check_tasks([{"task": 2, "title": "b", "lead_unit": "x"}, {"task": 1, "title": "a", "lead_unit": "x"}], Path("p.yaml"))


def test_a_task_unit_with_a_separator_is_refused():
    raw = [{"task": 1, "title": "a", "lead_unit": "县科技局", "responsible_units": ["县财政局；县税务局"],
            "items": [{"text": "x", "due": "2022-12-31"}]}]
    with pytest.raises(DataError, match=r"p\.yaml tasks #1：单位名称 '县财政局；县税务局' 含分隔符或控制字符"):
        check_tasks(raw, Path("p.yaml"))
