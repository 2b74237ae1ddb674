"""Tests of the projection's prose (lingshou.analysis.projection.describe_projection) on hand-made summaries.

The summaries and tables below are written by hand (not produced by build_projection); the expected
sentences follow from their numbers by the arithmetic in the comments.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from lingshou.analysis import projection as P
from lingshou.analysis.projection import text as projection_text
from lingshou.errors import ParameterError

NAN = math.nan


def make_table(rows: dict) -> pd.DataFrame:
    """A projection table from {year: {column: value}}; absent cells are NaN, status 'projected'."""
    records = []
    for year, cells in rows.items():
        record = {c: NAN for c in P.TABLE_COLUMNS}
        record.update(year=year, data_status="projected")
        record.update(cells)
        records.append(record)
    return pd.DataFrame(records, columns=list(P.TABLE_COLUMNS))


# R&D 1000, 1100, 1210, 1331, 1464.1 in 2019–2023 (+10 %/yr). Plan path from 2021 (1210) at 15 %/yr:
# 2022 1391.5, 2023 1600.225, 2024 1840.25875, 2025 2116.2975625.
# Median 2025 = 1464.1 * 1.1**2 = 1771.561 -> "1,772".
SIM_TABLE = make_table({
    2019: {"actual": 1000.0, "data_status": "illustrative"},
    2020: {"actual": 1100.0, "data_status": "illustrative"},
    2021: {"actual": 1210.0, "plan_path": 1210.0, "data_status": "illustrative"},
    2022: {"actual": 1331.0, "plan_path": 1391.5, "data_status": "illustrative"},
    2023: {"actual": 1464.1, "plan_path": 1600.225, "data_status": "illustrative"},
    2024: {"plan_path": 1840.25875, "p05": 1450.0, "p25": 1550.0, "p50": 1610.51, "p75": 1670.0, "p95": 1780.0},
    2025: {"plan_path": 2116.2975625, "p05": 1550.0, "p25": 1700.0, "p50": 1771.561, "p75": 1850.0, "p95": 2000.0},
})


def sim_summary(**changes) -> dict:
    summary = {
        "n_obs": 5, "first_year": 2019, "latest_year": 2023, "latest_value": 1464.1, "gap_years": [],
        "cagr_pct": 10.0, "trend_growth_pct": 10.2, "trend_growth_se_pct": 0.4,
        "log_growth_mean": math.log(1.1), "log_growth_sd": 0.01, "log_growth_se": 0.005, "t_df": 3,
        "base_year": 2021, "base_value": 1210.0, "plan_start": 2022, "end_year": 2025, "growth_target_pct": 15.0,
        "plan_path_end": 2116.2975625, "plan_path_years_missed": [2022, 2023],
        # (2116.2975625 / 1464.1) ** (1/2) - 1 = 1.4454597... ** 0.5 - 1 = 0.20227... -> 20.2 %
        "required_growth_level_pct": 20.2275,
        "intensity_target_pct": 1.0, "intensity_target_year": 2022, "intensity_actual_in_target_year": 0.8,
        "intensity_target_met": False, "latest_intensity": {"year": 2023, "value": 0.8523},
        "required_growth_intensity_pct": 12.0, "required_growth_intensity_year": 2025,
        "revenue_growth_pct": {"low": 3.0, "central": 5.0, "high": 8.0}, "revenue_scenario_method": "range",
        "rd_central": "cagr", "crossing_years": {"low": 2024, "central": 2025, "high": None},
        "crossing_horizon": 2025, "crossing_text": {}, "simulated": True, "n_sims": 10000, "seed": 7,
        "p_on_plan_path_all_years": 0.2345, "p_on_plan_path_by_year": {2024: 0.31, 2025: 0.2801},
        "p_intensity_ge_target_by_year": {2024: 0.4, 2025: 0.995},
        # 2022: 1331 / 1210 - 1 = 10 %, 2023: 1464.1 / 1331 - 1 = 10 % (both below 15 %)
        "annual_growth_pct": {2022: 10.0, 2023: 10.0},
        "p_growth_ge_target_by_year": {2024: 0.35, 2025: 0.3012}, "p_growth_ge_target_all_years": 0.1149,
        "notes": ["部分数据为示例数据 / some data are illustrative"],
    }
    summary.update(changes)
    return summary


# Two values, falling: 1000 (2019) -> 968 (2020), CAGR -3.2 %. Base 2019, plan path 1000 * 1.15**k.
# 2025: 1000 * 1.15**6 = 2313.06... -> "2,313".
SHORT_TABLE = make_table({
    2019: {"actual": 1000.0, "plan_path": 1000.0, "trend_path": 1000.0, "data_status": "published"},
    2020: {"actual": 968.0, "plan_path": 1150.0, "trend_path": 968.0, "data_status": "published"},
    **{y: {"plan_path": 1000.0 * 1.15 ** (y - 2019)} for y in range(2021, 2026)},
})


def short_summary(**changes) -> dict:
    summary = sim_summary(
        n_obs=2, first_year=2019, latest_year=2020, latest_value=968.0, cagr_pct=-3.2, trend_growth_pct=-3.2,
        trend_growth_se_pct=None, base_year=2019, base_value=1000.0, plan_path_end=2313.060765625,
        plan_path_years_missed=[2020],
        # (2313.060765625 / 968) ** (1/5) - 1 = 2.38952... ** 0.2 - 1 = 0.1903... -> 19.0 %
        required_growth_level_pct=19.03, intensity_actual_in_target_year=None, intensity_target_met=None,
        latest_intensity={"year": 2020, "value": 0.5}, required_growth_intensity_year=2022,
        required_growth_intensity_pct=41.4, crossing_years={"low": None, "central": None, "high": None},
        simulated=False, n_sims=None, seed=None, p_on_plan_path_all_years=None, p_on_plan_path_by_year={},
        p_intensity_ge_target_by_year={}, annual_growth_pct={}, p_growth_ge_target_by_year={},
        p_growth_ge_target_all_years=None, notes=["只有 2 个观测值 / only 2 observations"])
    summary.update(changes)
    return summary


# ---------------------------------------------------------------- simulated case

def test_headline_states_median_and_probability_in_both_languages():
    texts = P.describe_projection(sim_summary(), SIM_TABLE, "示例县")
    # median 1771.561 -> 1,772; P = 0.2345 -> 23 %
    assert texts["headline"]["zh"] == ("按2019–2023年的增长趋势，示例县2025年规上工业企业R&D经费约为1,772万元；"
                                       "2025年当年增长达到15%（方案“年增长15%以上”的逐年读法）的概率约为30%，"
                                       "按自2021年累计15%路径的读法，概率约为23%。")
    assert texts["headline"]["en"] == ("On the 2019–2023 trend, enterprise R&D expenditure in 示例县 will be about "
                                       "1,772 ×10k yuan in 2025; the probability that growth in 2025 reaches 15 % "
                                       "(the plan's yearly rule) is about 30 %, and about 23 % on the cumulative reading "
                                       "(15 % a year compounded from 2021).")


def test_history_and_plan_paragraphs():
    zh, en = (P.describe_projection(sim_summary(), SIM_TABLE, "示例县")["paragraphs"][k] for k in ("zh", "en"))
    assert len(zh) == len(en) == 5
    assert "从2019年的1,000万元增至2023年的1,464万元，年均增长10.0%" in zh[0]
    assert "每年增长10.2%（标准误0.4个百分点）" in zh[0]
    assert "an average growth of 10.0 % a year" in en[0]
    # 2023: 1464.1 / 1600.225 - 1 = -0.08507 -> 8.5 % below the path
    assert "2023年实际为1,464万元，比计划路径值1,600万元低8.5%" in zh[2]
    assert "8.5 % below the plan path's 1,600 ×10k yuan" in en[2]
    assert "2022、2023年的实际值低于计划路径" in zh[2]
    # required 20.2 % > historical 10.0 %
    assert "2023年之后研发经费每年需增长20.2%，高于历史年均增速10.0%" in zh[2]
    assert "must grow 20.2 % a year, more than its historical 10.0 % a year" in en[2]


def test_projection_paragraph_reads_bands_and_both_probabilities():
    zh, en = (P.describe_projection(sim_summary(), SIM_TABLE, "示例县")["paragraphs"][k][3] for k in ("zh", "en"))
    assert "中位数约为1,772万元" in zh
    assert "一半的模拟落在1,700–1,850万元之间，90%落在1,550–2,000万元之间" in zh
    # all years 0.2345 -> 23 %; 2025 alone 0.2801 -> 28 %
    assert "2024–2025年每年都不低于累计15%路径的概率约为23%（只看2025年一年，概率约为28%）" in zh
    assert "in every year 2024–2025 is about 23 % (about 28 % for 2025 alone)" in en
    assert "10,000 paths" in en


def test_intensity_paragraph_with_differing_scenarios():
    zh, en = (P.describe_projection(sim_summary(), SIM_TABLE, "示例县")["paragraphs"][k][4] for k in ("zh", "en"))
    assert "2023年研发强度" in zh and "为0.85%" in zh  # 0.8523 -> 0.85
    assert "计划要求2022年达到1%，当年实际为0.80%，未达到" in zh
    assert "年增长3.0%、5.0%、8.0%" in zh
    assert ("收入低增长情景下在2024年首次达到1%，中情景下在2025年首次达到1%，高增长情景下到2025年仍未达到1%" in zh)
    assert ("first reaches 1 % in 2024 with low revenue growth, first reaches 1 % in 2025 with central growth and "
            "does not reach 1 % by 2025 with high growth") in en
    assert "2025年强度不低于1%的概率超过99%" in zh  # 0.995 > 0.99
    assert "要在2025年达到1%（收入按中情景），研发经费每年需增长12.0%" in zh
    # the other route: 1.12 / 1.05 - 1 = 6.67 % a year for the intensity itself
    assert "强度本身每年只需相对提高约6.7%" in zh and "about 6.7 % a year (relative)" in en
    assert "so the target was missed" in en


def test_coinciding_scenarios_are_told_once():
    summary = sim_summary(revenue_growth_pct={"low": 5.47, "central": 5.47, "high": 5.49},
                          crossing_years={"low": 2025, "central": 2025, "high": 2025})
    zh = P.describe_projection(summary, SIM_TABLE, "示例县")["paragraphs"]["zh"][4]
    # 5.49 - 5.47 = 0.02 pp < 0.05 pp
    assert "三种情景基本重合" in zh
    assert "三种收入情景下" not in zh and "三种情景下，研发强度均在2025年首次达到1%" in zh


def test_single_projected_year_probability_sentence():
    summary = sim_summary(latest_year=2024, latest_value=1610.51, p_on_plan_path_by_year={2025: 0.2345})
    table = SIM_TABLE.copy()
    table.loc[table["year"] == 2024, "actual"] = 1610.51
    en = P.describe_projection(summary, table, "X")["paragraphs"]["en"][3]
    assert "at or above the cumulative 15 % path in 2025, 2,116 ×10k yuan, is about 23 %" in en


def test_notes_are_split_by_language_and_the_method_is_stated():
    notes = P.describe_projection(sim_summary(), SIM_TABLE, "示例县")["notes"]
    assert notes["zh"][0] == "部分数据为示例数据"
    assert notes["en"][0] == "some data are illustrative"
    assert "随机种子 7" in notes["zh"][-1] and "Seed 7" in notes["en"][-1]


def test_report_entries_for_write_summary():
    texts = P.describe_projection(sim_summary(), SIM_TABLE, "示例县")
    table = texts["table"]
    assert table["columns"] == list(P.REPORT_COLUMNS)
    assert set(table["columns"]) <= set(P.TABLE_COLUMNS)
    assert len(table["labels"]["zh"]) == len(table["labels"]["en"]) == len(table["columns"])
    assert "累计15%路径" in table["labels"]["zh"]
    assert set(texts["captions"]) == {"fan", "intensity", "table"}
    for text in [texts["title"], texts["headline"], *texts["captions"].values()]:
        assert set(text) == {"zh", "en"} and all(text.values())


def test_json_round_trip_gives_the_same_text():
    # rd_summary.json turns the year keys into strings.
    summary = sim_summary()
    assert (P.describe_projection(json.loads(json.dumps(summary)), SIM_TABLE, "示例县")
            == P.describe_projection(summary, SIM_TABLE, "示例县"))


def test_the_15_percent_rule_is_read_year_by_year_first():
    zh, en = (P.describe_projection(sim_summary(), SIM_TABLE, "示例县")["paragraphs"][k][1] for k in ("zh", "en"))
    assert zh.startswith("方案要求研发经费“年增长达到15%以上”，本报告按逐年读（主要读法）：2022年增长10.0%（未达到），"
                         "2023年增长10.0%（未达到）。")
    # P(2025 growth >= 15 %) = 0.3012 -> 30 %; every year 2024–2025: 0.1149 -> 11 %
    assert "2025年当年增长不低于15%的概率约为30%，2024–2025年每年都不低于15%的概率约为11%" in zh
    assert "第二种读法" in zh and "2022 +10.0 % (missed); 2023 +10.0 % (missed)" in en
    assert "a second reading" in en


# ---------------------------------------------------------------- short series

def test_short_series_says_why_there_is_no_probability():
    texts = P.describe_projection(short_summary(), SHORT_TABLE, "示例县")
    zh, en = texts["paragraphs"]["zh"], texts["paragraphs"]["en"]
    assert texts["headline"]["zh"] == ("示例县规上工业企业R&D经费只有2年数据，不足以做概率预测；要在2025年达到累计15%路径的"
                                       "2,313万元，2020年之后每年需增长19.0%。")
    assert texts["headline"]["en"].startswith("示例县 has only 2 years of enterprise R&D data, too few for a "
                                              "probabilistic projection")
    assert "少于3个" in zh[3] and "无法估计增长的年际波动" in zh[3] and "不做随机模拟" in zh[3]
    assert "false precision" in en[3] and "only 2 yearly values (fewer than 3)" in en[3]
    # 968 * 0.968**5 = 968 * 0.8499175 = 822.72 -> 823; below the path's 2,313
    assert "按年均下降3.2%外推，2025年约为823万元，低于计划路径终点2,313万元" in zh[3]
    assert not any("概率约为" in p for p in zh)
    assert "只有两个数据，趋势增长就等于这一增速" in zh[0]
    assert "降至2020年的968万元" in zh[0]
    assert "计划要求2022年达到1%，该年还没有数据" in zh[4]
    # no simulation, so no note on the simulation's seed
    assert not any("随机种子" in note for note in texts["notes"]["zh"])
    assert texts["notes"]["en"] == ["only 2 observations"]


def test_single_observation():
    table = make_table({2021: {"actual": 500.0, "plan_path": 500.0, "data_status": "published"},
                        **{y: {"plan_path": 500.0 * 1.15 ** (y - 2021)} for y in range(2022, 2026)}})
    summary = short_summary(n_obs=1, first_year=2021, latest_year=2021, latest_value=500.0, cagr_pct=None,
                            trend_growth_pct=None, base_year=2021, base_value=500.0, plan_path_years_missed=[],
                            # 500 * 1.15**4 = 874.503125; required growth from 500 over 4 years = 15 %
                            plan_path_end=874.503125, required_growth_level_pct=15.0, revenue_growth_pct=None,
                            required_growth_intensity_pct=None, required_growth_intensity_year=None)
    zh, en = (P.describe_projection(summary, table, "示例县")["paragraphs"][k] for k in ("zh", "en"))
    assert "只有2021年一个数据（500万元），无法计算增长率" in zh[0]
    assert "a single value of enterprise R&D expenditure, 500 ×10k yuan in 2021" in en[0]
    assert "最新数据就是基年的" in zh[2]
    assert "With a single yearly value" in en[3]
    assert "收入数据太少" in zh[4]


def test_nothing_left_to_project():
    table = make_table({y: {"actual": 1000.0 * 1.2 ** (y - 2021), "plan_path": 1000.0 * 1.15 ** (y - 2021),
                            "data_status": "published"} for y in range(2021, 2026)})
    # 2025: actual 1000 * 1.2**4 = 2073.6; path 1000 * 1.15**4 = 1749.00625; 2073.6 / 1749.00625 - 1 = 18.6 %
    summary = sim_summary(n_obs=5, first_year=2021, latest_year=2025, latest_value=2073.6, base_year=2021,
                          base_value=1000.0, plan_path_end=1749.00625, plan_path_years_missed=[],
                          required_growth_level_pct=None, simulated=False, p_on_plan_path_all_years=None,
                          p_on_plan_path_by_year={}, p_intensity_ge_target_by_year={})
    texts = P.describe_projection(summary, table, "示例县")
    assert texts["headline"]["zh"] == "示例县2025年规上工业企业R&D经费为2,074万元，比计划路径值1,749万元高18.6%。"
    assert "没有需要预测的年份" in texts["paragraphs"]["zh"][3]
    assert "nothing to project" in texts["paragraphs"]["en"][3]


# ---------------------------------------------------------------- helpers and errors

def test_split_note():
    assert P.split_note("甲 / a / b") == {"zh": "甲", "en": "a / b"}
    assert P.split_note("no separator") == {"zh": "no separator", "en": "no separator"}
    with pytest.raises(ParameterError, match="a note must be a string, got int"):
        P.split_note(3)


@pytest.mark.parametrize("p, zh, en", [(0.004, "不到1%", "below 1 %"), (0.995, "超过99%", "above 99 %"),
                                       (0.785, "约为79%", "about 79 %"), (0.99, "约为99%", "about 99 %")])
def test_probability_words(p, zh, en):
    # 0.785 -> 78.5 rounds half up to 79 (not banker's rounding to 78)
    assert projection_text._prob(p) == (zh, en)


def test_negative_required_growth_is_worded_as_room_to_fall():
    summary = sim_summary(required_growth_intensity_pct=-2.5)
    zh = P.describe_projection(summary, SIM_TABLE, "示例县")["paragraphs"]["zh"][4]
    assert "研发经费即使每年下降2.5%也能达到" in zh


def test_errors_name_what_is_wrong():
    with pytest.raises(ParameterError, match="summary must be the dict returned by build_projection, got list"):
        P.describe_projection([], SIM_TABLE, "X")
    bad = sim_summary()
    del bad["n_obs"]
    with pytest.raises(ParameterError, match=r"summary lacks the keys \['n_obs'\]"):
        P.describe_projection(bad, SIM_TABLE, "X")
    with pytest.raises(ParameterError, match="table must be the DataFrame returned by build_projection, got dict"):
        P.describe_projection(sim_summary(), {}, "X")
    with pytest.raises(ParameterError, match=r"table lacks the columns \['p05'\]"):
        P.describe_projection(sim_summary(), SIM_TABLE.drop(columns="p05"), "X")
    with pytest.raises(ParameterError, match="county must be a non-empty county name, got ' '"):
        P.describe_projection(sim_summary(), SIM_TABLE, " ")
    with pytest.raises(ParameterError, match="table lacks the years 2025"):
        P.describe_projection(sim_summary(), SIM_TABLE[SIM_TABLE["year"] < 2025], "X")


def test_text_agrees_with_a_real_projection():
    # Exactly +10 %/yr R&D and +5 %/yr revenue: CAGR 10 %, scenarios all 5 %, simulation runs (5 points).
    rd = pd.Series({2019: 1000.0, 2020: 1100.0, 2021: 1210.0, 2022: 1331.0, 2023: 1464.1})
    revenue = pd.Series({y: 100000.0 * 1.05 ** (y - 2019) for y in range(2019, 2024)})
    table, summary = P.build_projection(rd, revenue, "published", n_sims=500, seed=3)
    texts = P.describe_projection(summary, table, "示例县")
    assert "年均增长10.0%" in texts["paragraphs"]["zh"][0]
    assert "三种情景基本重合" in texts["paragraphs"]["zh"][4]
    assert np.isfinite(table["p50"].iloc[-1]) and "中位数约为" in texts["paragraphs"]["zh"][3]
