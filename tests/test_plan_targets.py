"""Tests of lingshou.plan.targets: the bundled 灵寿县 plan as data (against the plan text) and plan-file errors."""
from __future__ import annotations

import pandas as pd
import pytest
import yaml
from conftest import BUNDLED_RAW

from lingshou.errors import DataError, MappingError, ParameterError
from lingshou.plan.targets import DEFAULT_PLAN, TARGET_COLUMNS, find_plan, load_plan

PLAN = BUNDLED_RAW / "plans" / DEFAULT_PLAN


@pytest.fixture(scope="module")
def plan():
    return load_plan(PLAN)


# ------------------------------------------------------------------------------- the bundled plan
# (id, indicator, type, target, year or (start, end), task, responsible units) as the plan text gives them:
# 灵政办函〔2022〕52号, 五、重点任务; every lead unit of these tasks is 县发展和改革局.
TEXT_TARGETS = [
    ("fiscal_st_expenditure_2022", "fiscal_st_expenditure", "level", 1500, 2022, "4", ("县财政局",)),
    ("fiscal_st_expenditure_increase", "fiscal_st_expenditure", "increase", None, (2022, 2025), "4", ("县财政局",)),
    ("fiscal_st_share_2022", "fiscal_st_share", "level", 0.52, 2022, "4", ("县财政局",)),
    ("enterprise_rd_growth", "enterprise_rd_expenditure", "growth", 15, (2022, 2025), "5",
     ("县财政局", "县税务局", "各乡(镇)政府", "县经济开发区管委会")),
    ("enterprise_rd_intensity_2022", "enterprise_rd_intensity", "level", 1, 2022, "5",
     ("县财政局", "县税务局", "各乡(镇)政府", "县经济开发区管委会")),
    ("provincial_platforms_2022", "provincial_platforms", "level", 3, 2022, "9", ("各乡(镇)政府", "县经济开发区管委会")),
    ("rd_institution_coverage_2022", "rd_institution_coverage", "level", 40, 2022, "9", ("各乡(镇)政府", "县经济开发区管委会")),
    ("provincial_service_institutions_2022", "provincial_service_institutions", "level", 5, 2022, "10",
     ("县人力资源和社会保障局", "各乡(镇)政府", "县经济开发区管委会")),
    ("invention_patents_per_10k_2022", "invention_patents_per_10k", "level", 4, 2022, "11", ("县市场监管局",)),
    ("high_tech_enterprises_2022", "high_tech_enterprises", "level", 30, 2022, "14",
     ("县财政局", "各乡(镇)政府", "县经济开发区管委会", "县行政审批局", "县市场监管局")),
    ("high_tech_per_1000_firms_2022", "high_tech_per_1000_firms", "level", 4, 2022, "14",
     ("县财政局", "各乡(镇)政府", "县经济开发区管委会", "县行政审批局", "县市场监管局")),
    ("st_smes_2022", "st_smes", "level", 200, 2022, "15", ("县地方金融监管局", "县财政局", "各乡(镇)政府", "县经济开发区管委会")),
    ("st_smes_per_1000_firms_2022", "st_smes_per_1000_firms", "level", 30, 2022, "15",
     ("县地方金融监管局", "县财政局", "各乡(镇)政府", "县经济开发区管委会")),
    ("high_tech_value_added_share_2022", "high_tech_value_added_share", "level", 32, 2022, "16",
     ("县财政局", "县农业农村局", "各乡(镇)政府", "县经济开发区管委会")),
    ("agri_industrialization_rate_2022", "agri_industrialization_rate", "level", 36, 2022, "16",
     ("县财政局", "县农业农村局", "各乡(镇)政府", "县经济开发区管委会")),
    ("provincial_innovation_parks_2022", "provincial_innovation_parks", "level", 1, 2022, "18", ("各乡(镇)政府", "县经济开发区管委会")),
    ("innovative_towns_2022", "innovative_towns", "level", 1, 2022, "19", ("县市场监管局", "各乡(镇)政府")),
]


def test_every_numeric_target_of_the_text(plan):
    t = plan.targets.set_index("id")
    for tid, ind, ttype, target, years, task, units in TEXT_TARGETS:
        row = t.loc[tid]
        assert (row["indicator"], row["type"], row["task"], row["lead_unit"], row["responsible_units"]) == \
            (ind, ttype, task, "县发展和改革局", units), tid
        if target is not None:
            assert row["target"] == target, tid
        if isinstance(years, tuple):
            assert (row["start_year"], row["end_year"]) == years, tid
        else:
            assert row["target_year"] == years, tid


def test_grade_goals(plan):
    t = plan.targets.set_index("id")
    assert (t.loc["evaluation_grade_2022", "type"], t.loc["evaluation_grade_2022", "target"],
            t.loc["evaluation_grade_2022", "target_year"]) == ("grade", "B", 2022)
    assert t.loc["evaluation_grade_2022", "indicator"] == "evaluation_grade"
    assert (t.loc["evaluation_rank_2025", "type"], t.loc["evaluation_rank_2025", "target_year"]) == ("rank", 2025)
    assert pd.isna(t.loc["evaluation_rank_2025", "lead_unit"])   # the text names no lead unit for the goals
    assert t.loc["evaluation_rank_2025", "responsible_units"] == ()
    assert len(t) == len(TEXT_TARGETS) + 2


def test_plan_meta(plan):
    assert plan.county == "灵寿县" and not plan.is_default
    assert plan.period == (2022, 2025) and plan.base_year == 2021
    assert plan.meta["document"] == "灵政办函〔2022〕52号"
    assert list(plan.targets.columns) == TARGET_COLUMNS
    assert str(plan.targets["target_year"].dtype) == "Int64"
    assert plan.note() == "按灵寿县县域科技创新跃升计划工作方案(2022-2025年)衡量。"
    assert plan.note("en") == ("Measured against the Lingshou County work plan for the county S&T innovation leap "
                               "programme (2022–2025) (灵寿县县域科技创新跃升计划工作方案(2022-2025年)).")


def test_default_plan_for_another_county():
    p = load_plan(PLAN, county="平山")
    assert p.county == "平山县" and p.is_default
    assert p.note() == ("平山县没有专门的方案文件，按灵寿县县域科技创新跃升计划工作方案(2022-2025年)的指标与目标衡量"
                        "（石家庄跃升计划通用指标体系）。")
    assert p.note("en").startswith("平山县 has no plan file of its own; it is measured against the targets of")


def test_find_plan_own_default_and_explicit(make_data_dir):
    own = find_plan("石家庄市灵寿县")
    assert own.path == PLAN and not own.is_default
    other = find_plan("行唐县")
    assert other.path == PLAN and other.is_default and other.county == "行唐县"
    explicit = find_plan("行唐县", plan=PLAN)
    assert explicit.is_default and explicit.path == PLAN
    # a county's own plan file in the user's data folder is found by its canonical name
    text = PLAN.read_text(encoding="utf-8").replace("county: 灵寿县", "county: 行唐县", 1)
    folder = make_data_dir({}, reference={"plans/行唐县_2022-2025.yaml": text})
    mine = find_plan("行唐", data_dir=folder)
    assert mine.path == folder / "raw" / "plans" / "行唐县_2022-2025.yaml" and not mine.is_default


def test_default_plan_for_a_folder_whose_county_table_lacks_the_plans_county(make_data_dir):
    # a province-wide (or synthetic) data folder with its own counties.csv that does not list 灵寿县:
    # its counties are still measured against the default plan
    folder = make_data_dir({}, reference={
        "counties.csv": "county,short_name,prefecture,province,type,note\n示例县001,示例县001,示例市01,示例省,县,\n",
        "aliases/county_aliases.csv": "alias,county,note\n"})
    plan = find_plan("示例县001", data_dir=folder)
    assert plan.county == "示例县001" and plan.is_default and plan.path == PLAN
    assert plan.note().startswith("示例县001没有专门的方案文件")


def test_find_plan_unknown_county():
    with pytest.raises(MappingError, match=r"未知县名 '灵丘县'"):
        find_plan("灵丘县")


# ------------------------------------------------------------------------------------ plan errors
def write_plan(tmp_path, doc) -> str:
    path = tmp_path / "p.yaml"
    path.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


BASE = {"county": "灵寿县", "title": "测试方案", "period": [2022, 2025]}
LEVEL = {"id": "t1", "indicator": "high_tech_enterprises", "type": "level", "target": 30, "target_year": 2022}


def test_missing_plan_file(tmp_path):
    with pytest.raises(ParameterError, match=r"方案文件不存在：.*nope\.yaml / plan file does not exist: .*nope\.yaml"):
        load_plan(tmp_path / "nope.yaml")


def test_invalid_yaml(tmp_path):
    with pytest.raises(DataError, match=r"(?s)方案文件 .*p\.yaml 不是有效的 YAML：.* / plan file .*p\.yaml is not valid YAML"):
        load_plan(write_plan(tmp_path, "targets: [unclosed\n"))


@pytest.mark.parametrize("doc", ["- a list\n", {"county": "灵寿县"}, {**BASE, "targets": "none"}])
def test_plan_without_targets_list(tmp_path, doc):
    with pytest.raises(DataError, match=r"方案文件 .*p\.yaml 须含 targets 列表 / plan file .* must hold a `targets` list"):
        load_plan(write_plan(tmp_path, doc))


@pytest.mark.parametrize("key", ["county", "title", "period"])
def test_plan_lacking_a_key(tmp_path, key):
    doc = {**{k: v for k, v in BASE.items() if k != key}, "targets": [LEVEL]}
    with pytest.raises(DataError, match=rf"方案文件 .*p\.yaml 缺少 {key} / plan file .*p\.yaml lacks `{key}`"):
        load_plan(write_plan(tmp_path, doc))


@pytest.mark.parametrize("target, message", [
    ("just text", r"第1个目标 target #1 \(\?\)：不是键值表 / .*target #1 \(\?\): not a mapping"),
    ({**LEVEL, "weight": 2}, r"target #1 \(t1\)：未知字段 \['weight'\] / .*: unknown keys \['weight'\]"),
    ({**LEVEL, "type": "ceiling"}, r"未知目标类型 'ceiling'（可选 \('level', 'growth', 'increase', 'grade', 'rank'\)）"),
    ({k: v for k, v in LEVEL.items() if k != "target_year"}, r"target #1 \(t1\)：缺少字段 \['target_year'\] / .*missing keys \['target_year'\]"),
    ({**LEVEL, "indicator": "rd_people"}, r"指标代码 'rd_people' 不在指标目录中 / .*indicator code 'rd_people' is not in the catalogue"),
    ({"id": "g", "type": "grade", "target": "A+", "target_year": 2022}, r"等级目标应为 A、B 或 C / .*a grade target must be A, B or C"),
    ({"id": "u", "type": "growth", "indicator": "st_smes", "target": 10, "start_year": 2022},
     r"缺少字段 \['end_year'\]"),
    # a separator inside a unit name would split it into two units in every table and ledger
    ({**LEVEL, "lead_unit": "县财政局|县税务局"}, r"单位名称 '县财政局\|县税务局' 含分隔符或控制字符.* / .*the unit name "
     r"'县财政局\|县税务局' holds a separator or control character"),
    ({**LEVEL, "responsible_units": ["县统计局\x1b[2K"]}, r"单位名称 '县统计局\\x1b\[2K' 含分隔符"),
])
def test_invalid_targets(tmp_path, target, message):
    with pytest.raises(DataError, match=r"方案文件 .*p\.yaml 有误 / plan file .*p\.yaml is invalid\n(.|\n)*" + message):
        load_plan(write_plan(tmp_path, {**BASE, "targets": [target]}))


def test_every_target_problem_at_once(tmp_path):
    doc = {**BASE, "targets": [{**LEVEL, "weight": 1}, {**LEVEL, "id": "t2", "indicator": "x"}]}
    with pytest.raises(DataError) as info:
        load_plan(write_plan(tmp_path, doc))
    lines = str(info.value).splitlines()
    assert len(lines) == 3 and "target #1" in lines[1] and "target #2" in lines[2]


def test_duplicate_target_ids(tmp_path):
    with pytest.raises(DataError, match=r"方案文件 .*p\.yaml 中目标 id 重复：\['t1'\] / duplicate target ids in plan file"):
        load_plan(write_plan(tmp_path, {**BASE, "targets": [LEVEL, dict(LEVEL)]}))  # two copies: no YAML alias


def test_plan_of_an_unknown_county(tmp_path):
    with pytest.raises(MappingError, match=r"未知县名 '灵寿镇'"):
        load_plan(write_plan(tmp_path, {**BASE, "county": "灵寿镇", "targets": [LEVEL]}))


def test_find_plan_in_a_user_folder_without_plans_uses_the_bundled_ones(make_data_dir):
    folder = make_data_dir({})
    assert not (folder / "raw" / "plans").exists()
    p = find_plan("灵寿县", data_dir=folder)
    assert p.path == PLAN and not p.is_default
