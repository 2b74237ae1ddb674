"""Tests of lingshou.data.params: notebook/report parameters are checked before anything runs."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from lingshou.config import report_dir
from lingshou.data.params import RULES, check_values, latest_year, prepare, resolve_output_dir
from lingshou.errors import AnalysisError, ParameterError

LONG = "县,年份,指标,数值,单位,状态\n"
DATA = {"a.csv": LONG + "灵寿县,2021,高新技术企业数,18,家,published\n灵寿县,2022,高新技术企业数,24,家,illustrative\n"
                        "灵寿县,2023,高新技术企业数,—,家,published\n平山县,2020,高新技术企业数,30,家,published\n"}


# ------------------------------------------------------------------------------------ check_values
def test_valid_values_pass_and_are_normalised():
    out = check_values({"county": "灵寿县", "year": 2022, "lang": "en", "close_pct": 5, "growth_target_pct": 15,
                        "budget_projection": 1500, "seed": 0, "data_dir": None, "plan": ""})
    assert out == {"county": "灵寿县", "year": 2022, "lang": "en", "close_pct": 5.0, "growth_target_pct": 15.0,
                   "budget_projection": 1500.0, "seed": 0, "data_dir": None, "plan": None}
    assert isinstance(out["close_pct"], float)
    assert check_values({"year": "latest", "budget_projection": "trend", "base_year": None}) == \
        {"year": "latest", "budget_projection": "trend", "base_year": None}


def test_unknown_parameter():
    with pytest.raises(ParameterError, match=r"未知参数 \['colour', 'yaer'\]（可用：.*'county'.*） / unknown parameter\(s\) "
                                             r"\['colour', 'yaer'\] \(known: "):
        check_values({"county": "灵寿县", "yaer": 2022, "colour": "red"})


def test_unknown_parameter_against_a_notebooks_own_list():
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) \['seed'\] \(known: \['county', 'year'\]\)"):
        check_values({"seed": 1}, allowed={"county", "year"})


def test_allowed_name_without_a_rule():
    with pytest.raises(ParameterError, match=r"参数 threshold 没有检查规则 / parameter threshold has no checking rule"):
        check_values({"threshold": 1}, allowed={"threshold"})


@pytest.mark.parametrize("lang", ["fr", "ZH", "", None])
def test_bad_lang(lang):
    with pytest.raises(ParameterError, match=rf"不支持的语言 lang={lang!r}，可选 \('zh', 'en'\) / unsupported lang={lang!r}"):
        check_values({"lang": lang})


@pytest.mark.parametrize("county", ["../x", "..", ".", "a/b", "a\\b", "", "   ", "灵寿县\n", "c:x", 42, None])
def test_path_like_or_empty_county(county):
    v = re.escape(repr(county))
    with pytest.raises(ParameterError, match=rf"参数 county={v} 不是有效的县名（不得含路径符号） / parameter county={v} is not "
                                             r"a valid county name \(no path characters allowed\)"):
        check_values({"county": county})


@pytest.mark.parametrize("name, value, message", [
    ("year", "2022", r"参数 year 应为整数，实际为 '2022' / parameter year must be an integer, got '2022'"),
    ("year", True, r"parameter year must be an integer, got True"),
    ("year", 1977, r"参数 year=1977 超出范围 \[1978, 2100\] / parameter year=1977 is out of range \[1978, 2100\]"),
    ("seed", -1, r"parameter seed=-1 is out of range >= 0"),
    ("n_sims", 99, r"parameter n_sims=99 is out of range \[100, 1000000\]"),
    ("horizon", 2.5, r"parameter horizon must be an integer, got 2.5"),
    ("base_year", 3000, r"parameter base_year=3000 is out of range \[1978, 2100\]"),
    ("close_pct", 0, r"参数 close_pct=0 超出范围 \(0.0, 100.0\] / parameter close_pct=0 is out of range \(0.0, 100.0\]"),
    ("close_pct", 100.5, r"parameter close_pct=100.5 is out of range"),
    ("growth_target_pct", -100, r"parameter growth_target_pct=-100 is out of range"),
    ("intensity_target_pct", "1%", r"参数 intensity_target_pct 应为数值，实际为 '1%' / parameter intensity_target_pct must be a number"),
    ("target_share_pct", False, r"parameter target_share_pct must be a number, got False"),
    ("data_dir", 3, r"参数 data_dir 应为路径字符串，实际为 3 / parameter data_dir must be a path string, got 3"),
    ("budget_projection", "up", r"参数 budget_projection 应为 'flat'、'trend' 或正数（万元），实际为 'up' / parameter "
                                r"budget_projection must be 'flat', 'trend' or a positive amount \(万元\), got 'up'"),
    ("budget_projection", 0, r"got 0$"),
    ("allow_gaps", "false", r"参数 allow_gaps 应为 True 或 False，实际为 'false' / parameter allow_gaps must be True or False, got 'false'"),
])
def test_invalid_values(name, value, message):
    with pytest.raises(ParameterError, match=message):
        check_values({name: value})


def test_every_rule_is_used_by_a_notebook():
    # each rule checks a parameter some notebook takes (a rule nobody uses is dead code); the reverse —
    # every notebook parameter has a rule — is tests/test_notebooks_house.py
    from lingshou.report.notebooks import notebook_paths
    from lingshou.report.runner import notebook_parameters

    used = set().union(*(notebook_parameters(p) for p in notebook_paths()))
    assert set(RULES) - used == set()


# --------------------------------------------------------------------------------------- prepare
@pytest.fixture
def folder(make_data_dir):
    return make_data_dir(DATA)


def test_prepare_resolves_county_and_latest_year(folder, tmp_path):
    ctx = prepare(county="石家庄市灵寿县", year="latest", data_dir=str(folder), output_dir=str(tmp_path / "out"), lang="en")
    # 2023 holds only a missing value: the latest year with a value is 2022
    assert (ctx.county, ctx.year, ctx.lang) == ("灵寿县", 2022, "en")
    assert ctx.out == (tmp_path / "out").resolve()
    assert ctx.tables.is_dir() and ctx.figures.is_dir()
    assert ctx.params["county"] == "灵寿县" and ctx.params["year"] == 2022
    assert ctx.statuses() == {"published", "illustrative"}
    assert ctx.statuses("平山县") == {"published"}
    assert len(ctx.data) == 4 and ctx.folder.root == folder.resolve()


def test_prepare_explicit_year(folder, tmp_path):
    ctx = prepare(county="灵寿", year=2021, data_dir=str(folder), output_dir=str(tmp_path / "o"))
    assert ctx.year == 2021 and ctx.lang == "zh"


def test_prepare_county_not_in_data(folder, tmp_path):
    # 赵县 is a known county but has no data here; 灵丘县 is not known at all
    for county in ("赵县", "灵丘县"):
        with pytest.raises(ParameterError, match=rf"数据中没有县 '{county}'；可选：平山县、灵寿县 / county '{county}' is not in the "
                                                 r"data; available: 平山县, 灵寿县"):
            prepare(county=county, data_dir=str(folder), output_dir=str(tmp_path / "o"))


def test_prepare_year_without_data(folder, tmp_path):
    with pytest.raises(AnalysisError, match=r"灵寿县 没有 2023 年的数据（有数据的年份：\[2021, 2022\]） / 灵寿县 has no data for "
                                            r"2023 \(years with data: \[2021, 2022\]\)"):
        prepare(county="灵寿县", year=2023, data_dir=str(folder), output_dir=str(tmp_path / "o"))


def test_prepare_rejects_bad_parameters_before_loading(tmp_path):
    with pytest.raises(ParameterError, match="unknown parameter"):
        prepare(county="灵寿县", bogus=1)
    with pytest.raises(ParameterError, match="not a valid county name"):
        prepare(county="../etc", output_dir=str(tmp_path))
    with pytest.raises(ParameterError, match="unsupported lang='de'"):
        prepare(county="灵寿县", lang="de")


def test_prepare_missing_data_folder(tmp_path):
    with pytest.raises(ParameterError, match="数据文件夹不存在"):
        prepare(county="灵寿县", data_dir=str(tmp_path / "none"))


def test_latest_year_without_values():
    data = pd.DataFrame({"county": ["灵寿县"], "year": [2022], "value": [float("nan")]})
    with pytest.raises(AnalysisError, match=r"灵寿县 在数据中没有任何数值 / 灵寿县 has no value in the data"):
        latest_year(data, "灵寿县")
    assert latest_year(data.assign(value=[1.0]), "灵寿县") == 2022


def test_resolve_output_dir(tmp_path):
    assert resolve_output_dir(None, "灵寿县", 2022) == (report_dir() / "notebooks" / "灵寿县_2022").resolve()
    assert resolve_output_dir(str(tmp_path / "x"), "灵寿县", 2022) == (tmp_path / "x").resolve()


def test_input_files_must_exist_and_become_absolute(tmp_path, monkeypatch):
    from lingshou.data.params import check_values

    monkeypatch.chdir(tmp_path)
    (tmp_path / "my_plan.yaml").write_text("county: 灵寿县\n", encoding="utf-8")
    assert check_values({"plan": "my_plan.yaml"}) == {"plan": str(tmp_path / "my_plan.yaml")}
    assert check_values({"plan": None, "peers": "province"}) == {"plan": None, "peers": "province"}
    for name in ("plan", "model", "grades_file", "peers"):
        with pytest.raises(ParameterError, match=rf"参数 {name} 指向的文件不存在：.*nope.yaml / parameter {name} names a file"):
            check_values({name: "nope.yaml"})


def test_a_missing_plan_stops_the_report_before_any_notebook(tmp_path):
    from lingshou.cli import main

    params = tmp_path / "p.yaml"
    params.write_text("plan: /nonexistent/plan.yaml\n", encoding="utf-8")
    assert main(["report", "--county", "灵寿县", "--params", str(params), "--out", str(tmp_path / "out"), "-q"]) == 2
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
