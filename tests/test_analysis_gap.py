"""Tests of lingshou.analysis.gap. Expected numbers are computed by hand in the comments."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lingshou.analysis import gap as G
from lingshou.data.build import load_data
from lingshou.data.catalogue import load_catalogue
from lingshou.data.derive import derive_indicators
from lingshou.errors import AnalysisError, DataError, ParameterError
from lingshou.plan.targets import TARGET_COLUMNS, Plan, find_plan

CAT = load_catalogue()
COUNTY = "灵寿县"


def tidy(rows, county=COUNTY) -> pd.DataFrame:
    """(year, indicator, value, status) tuples → the tidy columns the analysis reads."""
    return pd.DataFrame([{"county": county, "year": y, "indicator": i, "value": v, "status": s} for y, i, v, s in rows])


def make_plan(targets: list[dict], is_default=False) -> Plan:
    rows = []
    for t in targets:
        row = {c: None for c in TARGET_COLUMNS}
        row.update({"lead_unit": "县发展和改革局", "responsible_units": ("县财政局",), "task": "4", "unit": None})
        row.update(t)
        row["responsible_units"] = tuple(row["responsible_units"])
        rows.append(row)
    df = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    for c in ("target_year", "start_year", "end_year"):
        df[c] = df[c].astype("Int64")
    return Plan(meta={"id": "测试_2022-2025", "title": "测试方案", "period": [2022, 2025]}, targets=df,
                county=COUNTY, is_default=is_default, path=Path("测试_2022-2025.yaml"))


def level(id_, indicator, target, target_year=2022, **kw):
    return {"id": id_, "indicator": indicator, "type": "level", "target": target, "target_year": target_year, **kw}


def row_of(table, id_):
    return table.set_index("id").loc[id_]


# ---------------------------------------------------------------- status edges

@pytest.mark.parametrize("actual, target, expected", [
    (30.0, 30.0, "met"),        # on the target
    (31.0, 30.0, "met"),
    (27.0, 30.0, "close"),      # 30 * 0.9 = 27: the close edge is inclusive
    (26.99, 30.0, "behind"),    # just below 27
    (0.468, 0.52, "close"),     # 0.52 * 0.9 = 0.468 (0.46800000000000003 in binary): still close
    (0.4679, 0.52, "behind"),
    (0.5199999, 0.52, "close"),
    (math.nan, 30.0, "no_data"),
])
def test_classify_edges_default_10_pct(actual, target, expected):
    assert G.classify(actual, target)[()] == expected


def test_classify_custom_close_pct_and_vectorised():
    # close_pct 5: 30 * 0.95 = 28.5 is close, 28.4 behind
    out = G.classify([28.5, 28.4, 30.0], 30.0, close_pct=5.0)
    assert list(out) == ["close", "behind", "met"]


def test_classify_lower_is_better_for_a_rank_position():
    # target 50 % from the top: 50 met, 40 met, 55 = 50 * 1.1 close (edge), 55.01 behind
    out = G.classify([50.0, 40.0, 55.0, 55.01], 50.0, higher_is_better=False)
    assert list(out) == ["met", "met", "close", "behind"]


@pytest.mark.parametrize("bad", [0, 100, -5, True, "10"])
def test_close_pct_must_lie_in_0_100(bad):
    with pytest.raises(ParameterError, match=r"close_pct must be a percentage in \(0, 100\)"):
        G.classify(1.0, 2.0, close_pct=bad)


def test_achievement_pct():
    # 27 / 30 = 90 %; a maximum: target 50 / actual 40 = 125 %; target 0 undefined
    np.testing.assert_allclose(G.achievement_pct([27.0, 5.0], [30.0, 0.0])[:1], [90.0])
    assert np.isnan(G.achievement_pct(5.0, 0.0))
    assert G.achievement_pct(40.0, 50.0, higher_is_better=False) == pytest.approx(125.0)


# ---------------------------------------------------------------- growth arithmetic

def test_required_growth_pct():
    # 100 → 121 in 2 years: sqrt(1.21) = 1.1 → 10 %/yr; 27 → 30 in 2 years: sqrt(10/9) - 1 = 5.4093 %
    np.testing.assert_allclose(G.required_growth_pct([100.0, 27.0], [121.0, 30.0], [2, 2]), [10.0, 5.40925534], rtol=1e-8)
    # from zero, or with no year left: undefined
    assert np.isnan(G.required_growth_pct(0.0, 1.0, 3))
    assert np.isnan(G.required_growth_pct(10.0, 12.0, 0))


def test_cagr_pct_uses_first_and_last_observation():
    # 2018: 100, 2020: 121 (2019 missing) → (1.21)^(1/2) - 1 = 10 %
    assert G.cagr_pct(pd.Series({2018: 100.0, 2019: np.nan, 2020: 121.0})) == pytest.approx(10.0)
    assert math.isnan(G.cagr_pct(pd.Series({2020: 5.0})))
    assert math.isnan(G.cagr_pct(pd.Series({2019: 0.0, 2020: 1.0})))   # from zero


def test_yoy_pct_needs_the_year_before():
    # 2021: 110/100 - 1 = 10 %; 2023: 2022 missing → NaN
    out = G.yoy_pct(pd.Series({2020: 100.0, 2021: 110.0, 2023: 121.0}))
    assert math.isnan(out.loc[2020]) and math.isnan(out.loc[2023])
    assert out.loc[2021] == pytest.approx(10.0)


def test_weakest_status():
    assert G.weakest_status(["published", "illustrative"]) == "illustrative"
    assert G.weakest_status(["published", "derived"]) == "derived"
    assert G.weakest_status([np.nan]) == "missing"


# ---------------------------------------------------------------- derived indicators

def test_share_computed_from_operands_with_weakest_status():
    # 100 * 1500 / 288461.5 = 0.52000007 %; operands illustrative + published → illustrative
    d = tidy([(2022, "fiscal_st_expenditure", 1500.0, "illustrative"),
              (2022, "general_budget_expenditure", 288461.5, "published"),
              (2022, "fiscal_st_share", 0.52, "published")])
    out = derive_indicators(d, CAT)
    r = out[out["indicator"] == "fiscal_st_share"].iloc[0]
    assert r["value"] == pytest.approx(0.52000007, abs=1e-8)
    assert r["basis"] == "operands" and r["status"] == "illustrative"
    assert not r["ratio_mismatch"]


def test_published_operands_give_a_derived_status():
    d = tidy([(2022, "fiscal_st_expenditure", 1500.0, "published"),
              (2022, "general_budget_expenditure", 300000.0, "published")])
    r = derive_indicators(d, CAT).set_index("indicator").loc["fiscal_st_share"]
    # 100 * 1500 / 300000 = 0.5
    assert r["value"] == pytest.approx(0.5) and r["status"] == "derived"


@pytest.mark.parametrize("reported, mismatch", [
    (0.52, False),   # computed 0.5249: |0.0049| <= 0.005 + 0.005 * 0.5249 = 0.00762
    (0.51, True),    # |0.0149| > 0.00762
])
def test_reported_ratio_disagreeing_beyond_rounding_is_flagged(reported, mismatch):
    # 100 * 1574.7 / 300000 = 0.5249
    d = tidy([(2022, "fiscal_st_expenditure", 1574.7, "illustrative"),
              (2022, "general_budget_expenditure", 300000.0, "illustrative"),
              (2022, "fiscal_st_share", reported, "illustrative")])
    r = derive_indicators(d, CAT).set_index("indicator").loc["fiscal_st_share"]
    assert bool(r["ratio_mismatch"]) is mismatch
    assert r["value"] == pytest.approx(0.5249)


def test_missing_operand_falls_back_to_the_reported_ratio_or_nothing():
    d = tidy([(2022, "fiscal_st_expenditure", 1500.0, "illustrative"),
              (2022, "fiscal_st_share", 0.61, "provisional"),
              (2022, "high_tech_enterprises", 30.0, "illustrative")])   # no registered_enterprises, no reported rate
    out = derive_indicators(d, CAT).set_index("indicator")
    assert out.loc["fiscal_st_share", "basis"] == "reported"
    assert out.loc["fiscal_st_share", "value"] == 0.61 and out.loc["fiscal_st_share", "status"] == "provisional"
    assert "high_tech_per_1000_firms" not in out.index


def test_per_10k_and_per_1000_rates():
    # 89 patents / 30.3 万人 = 2.9373 件/万人; 1000 * 31 / 7015 = 4.4191 家/千家
    d = tidy([(2024, "effective_invention_patents", 89.0, "illustrative"),
              (2024, "resident_population", 30.3, "illustrative"),
              (2024, "high_tech_enterprises", 31.0, "illustrative"),
              (2024, "registered_enterprises", 7015.0, "illustrative")])
    out = derive_indicators(d, CAT).set_index("indicator")["value"]
    assert out.loc["invention_patents_per_10k"] == pytest.approx(89 / 30.3)
    assert out.loc["high_tech_per_1000_firms"] == pytest.approx(4.41910192, rel=1e-8)


# ---------------------------------------------------------------- level targets

LEVEL_DATA = [
    (2020, "high_tech_enterprises", 20.0, "illustrative"), (2021, "high_tech_enterprises", 22.0, "illustrative"),
    (2022, "high_tech_enterprises", 25.0, "illustrative"), (2023, "high_tech_enterprises", 27.0, "illustrative"),
    (2023, "st_smes", 160.0, "published"),
    (2023, "fiscal_st_expenditure", 1500.0, "illustrative"),
    (2023, "general_budget_expenditure", 288461.5, "illustrative"),
]


def level_table(**kw):
    plan = make_plan([level("ht", "high_tech_enterprises", 30), level("sme", "st_smes", 200, 2025),
                      level("share", "fiscal_st_share", 0.52, unit="%"), level("plat", "provincial_platforms", 3)])
    return G.analyse_gaps(tidy(LEVEL_DATA), plan, CAT, COUNTY, 2023, **kw)


def test_level_target_close_with_trend_and_catch_up_growth():
    r = row_of(level_table(), "ht")
    # actual 27 (2023) vs 30: gap -3, 90 % → close (the edge)
    assert (r["actual"], r["target"], r["gap"]) == (27.0, 30.0, -3.0)
    assert r["achievement_pct"] == pytest.approx(90.0) and r["status"] == "close" and r["status_zh"] == "接近"
    # 2022 value 25 < 30: not met in its target year
    assert r["met_in_target_year"] is not pd.NA and not r["met_in_target_year"]
    # CAGR 2020→2023: (27/20)^(1/3) - 1 = 1.35^(1/3) - 1 = 10.5209 %; last YoY 27/25 - 1 = 8 %
    assert r["cagr_pct"] == pytest.approx(10.52086, rel=1e-5)
    assert r["last_yoy_pct"] == pytest.approx(8.0)
    assert (r["trend_from"], r["trend_to"]) == (2020, 2023)
    # target year passed unmet → catch up by the plan's end year 2025: (30/27)^(1/2) - 1 = 5.4093 %
    assert r["required_by_year"] == 2025
    assert r["required_annual_growth_pct"] == pytest.approx(5.40925534, rel=1e-8)
    assert bool(r["trend_reaches_target"]) is True       # 10.52 >= 5.41
    assert "2025" in r["note_zh"] and "catch up by 2025" in r["note_en"]


def test_catch_up_year_parameter():
    # catch up by 2024: one year, 30/27 - 1 = 11.111 %; the trend (10.52 %) does not get there
    r = row_of(level_table(catch_up_year=2024), "ht")
    assert r["required_annual_growth_pct"] == pytest.approx(100 / 9)
    assert bool(r["trend_reaches_target"]) is False


def test_catch_up_year_before_the_data_is_moved_to_the_next_year():
    # catch_up_year 2020 lies before the latest actual (2023): at least 2024 is used
    assert row_of(level_table(catch_up_year=2020), "ht")["required_by_year"] == 2024


def test_catch_up_year_must_be_an_integer():
    with pytest.raises(ParameterError, match="catch_up_year must be an integer year, got '2025'"):
        level_table(catch_up_year="2025")


def test_future_target_uses_its_own_year():
    r = row_of(level_table(), "sme")
    # 160 → 200 by 2025: (1.25)^(1/2) - 1 = 11.8034 %; one observation: no trend
    assert r["status"] == "behind"            # 80 %
    assert r["required_by_year"] == 2025
    assert r["required_annual_growth_pct"] == pytest.approx(11.80339887, rel=1e-8)
    assert pd.isna(r["trend_reaches_target"]) and math.isnan(r["cagr_pct"])
    assert r["data_status"] == "published"
    assert "still ahead" in r["note_en"]


def test_share_target_exactly_met_from_operands():
    r = row_of(level_table(), "share")
    # 100 * 1500 / 288461.5 = 0.52000007 % >= 0.52 → met; nothing required
    assert r["status"] == "met" and r["actual"] == pytest.approx(0.52, abs=1e-6)
    assert math.isnan(r["required_annual_growth_pct"]) and pd.isna(r["required_by_year"])


def test_target_whose_indicator_has_no_data():
    r = row_of(level_table(), "plat")
    assert r["status"] == "no_data" and r["status_zh"] == "无数据"
    assert r["data_status"] == "missing" and math.isnan(r["actual"]) and math.isnan(r["gap"])
    assert "no value of this indicator up to 2023" in r["note_en"]


def test_data_year_missing_for_one_indicator_reports_the_latest():
    d = tidy([(2022, "st_smes", 180.0, "illustrative"), (2023, "high_tech_enterprises", 30.0, "illustrative")])
    r = row_of(G.analyse_gaps(d, make_plan([level("sme", "st_smes", 200)]), CAT, COUNTY, 2023), "sme")
    # no 2023 value: no data; required growth still from the latest actual 180 (2022) to 200 by 2025:
    # (200/180)^(1/3) - 1 = 3.5744 %
    assert r["status"] == "no_data"
    assert "latest is 2022" in r["note_en"]
    assert r["required_annual_growth_pct"] == pytest.approx(3.57441, rel=1e-5)


def test_zero_latest_value_has_no_required_growth():
    d = tidy([(2022, "innovative_towns", 0.0, "illustrative"), (2023, "innovative_towns", 0.0, "illustrative")])
    r = row_of(G.analyse_gaps(d, make_plan([level("town", "innovative_towns", 1)]), CAT, COUNTY, 2023), "town")
    assert r["status"] == "behind" and r["gap"] == -1.0
    assert math.isnan(r["required_annual_growth_pct"]) and "zero" in r["note_en"]


def test_plan_target_in_another_unit_is_converted():
    # 0.15 亿元 = 1500 万元; actual 1600 万元 → met, gap 100
    d = tidy([(2023, "fiscal_st_expenditure", 1600.0, "illustrative")])
    plan = make_plan([level("fx", "fiscal_st_expenditure", 0.15, unit="亿元")])
    r = row_of(G.analyse_gaps(d, plan, CAT, COUNTY, 2023), "fx")
    assert r["target"] == pytest.approx(1500.0) and r["gap"] == pytest.approx(100.0) and r["status"] == "met"


def test_plan_target_in_an_inconvertible_unit():
    d = tidy([(2023, "fiscal_st_expenditure", 1600.0, "illustrative")])
    plan = make_plan([level("fx", "fiscal_st_expenditure", 3, unit="家")])
    with pytest.raises(DataError, match="unit '家' cannot be converted to the unit '万元' of fiscal_st_expenditure"):
        G.analyse_gaps(d, plan, CAT, COUNTY, 2023)


def test_ratio_mismatch_reaches_the_gap_table():
    # reported 0.60 vs 100 * 1500 / 300000 = 0.50: flagged, computed value used
    d = tidy([(2023, "fiscal_st_expenditure", 1500.0, "illustrative"),
              (2023, "general_budget_expenditure", 300000.0, "illustrative"),
              (2023, "fiscal_st_share", 0.60, "illustrative")])
    r = row_of(G.analyse_gaps(d, make_plan([level("s", "fiscal_st_share", 0.52)]), CAT, COUNTY, 2023), "s")
    assert bool(r["ratio_mismatch"]) and r["reported_value"] == 0.60 and r["actual"] == pytest.approx(0.5)
    assert "disagrees" in r["note_en"]


def test_year_without_any_data_for_the_county():
    with pytest.raises(AnalysisError, match=r"灵寿县 has no data for 2019 \(years with data: \[2020, 2021, 2022, 2023\]\)"):
        G.analyse_gaps(tidy(LEVEL_DATA), make_plan([level("ht", "high_tech_enterprises", 30)]), CAT, COUNTY, 2019)


def test_unit_name_containing_the_separator_is_rejected():
    plan = make_plan([level("ht", "high_tech_enterprises", 30, responsible_units=("县财政局、县税务局",))])
    with pytest.raises(DataError, match="contains the separator"):
        G.analyse_gaps(tidy(LEVEL_DATA), plan, CAT, COUNTY, 2023)


# ---------------------------------------------------------------- rule targets

def growth_plan():
    return make_plan([{"id": "rd", "indicator": "enterprise_rd_expenditure", "type": "growth", "target": 15,
                       "start_year": 2022, "end_year": 2025, "unit": "%"}])


def rd(values: dict, status="illustrative"):
    return tidy([(y, "enterprise_rd_expenditure", v, status) for y, v in values.items()])


def test_growth_rule_uses_the_weakest_year():
    # 2022: 115/100 - 1 = 15 % (met exactly), 2023: 126.5/115 - 1 = 10 % → weakest 10 %: 10/15 = 66.7 % → behind
    r = row_of(G.analyse_gaps(rd({2021: 100.0, 2022: 115.0, 2023: 126.5}), growth_plan(), CAT, COUNTY, 2023), "rd")
    assert r["actual"] == pytest.approx(10.0) and r["gap"] == pytest.approx(-5.0)
    assert r["achievement_pct"] == pytest.approx(200 / 3) and r["status"] == "behind"
    assert r["actual_text_en"] == "+10.0% (2023)"
    assert r["required_annual_growth_pct"] == 15.0
    # CAGR 2021→2023: (1.265)^(1/2) - 1 = 12.4722 % < 15 → the trend does not get there
    assert r["cagr_pct"] == pytest.approx(12.47221, rel=1e-5) and not bool(r["trend_reaches_target"])


def test_growth_rule_row_carries_the_year_of_the_growth_shown():
    # data year 2024: 2022 +5 % (weakest), 2023 +20 %, 2024 +15 % → actual +5 % is 2022's, so its year is 2022
    r = row_of(G.analyse_gaps(rd({2021: 100.0, 2022: 105.0, 2023: 126.0, 2024: 144.9}), growth_plan(), CAT, COUNTY, 2024), "rd")
    assert r["actual"] == pytest.approx(5.0) and r["actual_text_zh"] == "+5.0%（2022年）" and r["target_year"] == 2022


def test_growth_rule_close_edge_and_met():
    # 2023: 115 * 1.135 = 130.525 → +13.5 % = 15 * 0.9: close (edge inclusive)
    r = row_of(G.analyse_gaps(rd({2021: 100.0, 2022: 115.0, 2023: 130.525}), growth_plan(), CAT, COUNTY, 2023), "rd")
    assert r["actual"] == pytest.approx(13.5) and r["status"] == "close"
    # both years exactly +15 %: 100, 115, 132.25 → met
    r = row_of(G.analyse_gaps(rd({2021: 100.0, 2022: 115.0, 2023: 132.25}), growth_plan(), CAT, COUNTY, 2023), "rd")
    assert r["status"] == "met"


def test_growth_rule_with_an_unknown_year_is_not_met():
    # 2022 missing: 2022 and 2023 cannot be checked... 2024: 150/130 - 1 = 15.4 % passes → cannot confirm: no data
    r = row_of(G.analyse_gaps(rd({2021: 100.0, 2023: 130.0, 2024: 150.0}), growth_plan(), CAT, COUNTY, 2024), "rd")
    assert r["status"] == "no_data" and "2022, 2023: cannot be checked" in r["note_en"]
    # a checked year already failing decides: 2024: 140/130 - 1 = 7.7 % → behind
    r = row_of(G.analyse_gaps(rd({2021: 100.0, 2023: 130.0, 2024: 140.0}), growth_plan(), CAT, COUNTY, 2024), "rd")
    assert r["status"] == "behind"


def test_growth_rule_before_its_start_year_checks_the_data_year_only():
    # data year 2021 < 2022: only 2021 (110/100 = +10 %) is shown
    r = row_of(G.analyse_gaps(rd({2020: 100.0, 2021: 110.0}), growth_plan(), CAT, COUNTY, 2021), "rd")
    assert r["actual"] == pytest.approx(10.0) and "for information" in r["note_en"]


def increase_plan():
    return make_plan([{"id": "inc", "indicator": "fiscal_st_expenditure", "type": "increase",
                       "start_year": 2022, "end_year": 2025}])


def spend(values: dict):
    return tidy([(y, "fiscal_st_expenditure", v, "illustrative") for y, v in values.items()])


def test_increase_rule_flat_year_is_behind():
    # 2022: 1500 > 1400 (+7.14 %), 2023: 1500 = 1500 (0 %) → not an increase → behind
    r = row_of(G.analyse_gaps(spend({2021: 1400.0, 2022: 1500.0, 2023: 1500.0}), increase_plan(), CAT, COUNTY, 2023), "inc")
    assert r["status"] == "behind" and r["actual"] == 0.0 and math.isnan(r["achievement_pct"])


def test_increase_rule_met_when_rising_every_year():
    # +7.14 % then 1600/1500 - 1 = +6.67 %: weakest 6.667 %
    r = row_of(G.analyse_gaps(spend({2021: 1400.0, 2022: 1500.0, 2023: 1600.0}), increase_plan(), CAT, COUNTY, 2023), "inc")
    assert r["status"] == "met" and r["actual"] == pytest.approx(20 / 3)
    assert r["target_text_zh"] == "逐年递增（2022–2025年）"


# ---------------------------------------------------------------- grade and rank goals

GOALS = [{"id": "grade", "indicator": "evaluation_grade", "type": "grade", "target": "B", "target_year": 2022,
          "lead_unit": None, "responsible_units": ()},
         {"id": "rank", "indicator": "evaluation_rank", "type": "rank", "target": 0.5, "target_year": 2025,
          "lead_unit": None, "responsible_units": ()}]
GOAL_DATA = [(2023, "st_smes", 160.0, "illustrative")]


def goals(grades):
    return G.analyse_gaps(tidy(GOAL_DATA), make_plan(GOALS), CAT, COUNTY, 2023, grades=grades).set_index("id")


def test_goals_without_benchmarking():
    t = goals(None)
    assert list(t["status"]) == ["no_data", "no_data"]
    assert all("benchmarking not run" in n for n in t["note_en"])
    assert all("未运行对标分析" in n for n in t["note_zh"])


def test_grade_goal_with_score_is_close_below_the_threshold():
    g = pd.DataFrame({"county": [COUNTY], "year": [2023], "grade": ["C"], "score": [55.0],
                      "p_grade_A": [0.0], "p_grade_B": [0.3], "p_grade_C": [0.7]})
    r = goals(g).loc["grade"]
    # score 55 vs B threshold 60: gap -5, 55/60 = 91.67 % → close; P(B or better) = 0 + 0.3 = 30 %
    assert (r["actual"], r["target"], r["gap"]) == (55.0, 60.0, -5.0)
    assert r["achievement_pct"] == pytest.approx(91.6666667) and r["status"] == "close"
    assert "probability of grade B or better 30%" in r["note_en"] and r["data_status"] == "modelled"


@pytest.mark.parametrize("grade, expected", [("A", "met"), ("B", "met"), ("C", "behind")])
def test_grade_goal_on_letters_only(grade, expected):
    r = goals(pd.DataFrame({"county": [COUNTY], "year": [2023], "grade": [grade]})).loc["grade"]
    assert r["status"] == expected


def test_grade_goal_without_a_row_for_the_county_year():
    r = goals(pd.DataFrame({"county": [COUNTY], "year": [2022], "grade": ["B"]})).loc["grade"]
    assert r["status"] == "no_data" and "no row for 灵寿县 in 2023" in r["note_en"]


def _published(rows):
    return pd.DataFrame([{"county": COUNTY, "evaluation_round": r, "data_year": d, "grade": g, "data_year_inferred": True}
                         for r, d, g in rows]).astype({"evaluation_round": "Int64", "data_year": "Int64"})


def test_grade_goal_judged_on_the_published_grade_of_its_data_year():
    # published: 2022 round (2021 data) C, 2023 round (2022 data) B; the goal is B on 2022 data → on time
    model = pd.DataFrame({"county": [COUNTY], "year": [2023], "grade": ["C"], "score": [55.0],
                          "p_grade_A": [0.0], "p_grade_B": [0.3], "p_grade_C": [0.7]})
    t = G.analyse_gaps(tidy(GOAL_DATA), make_plan(GOALS), CAT, COUNTY, 2023, grades=model,
                       published=_published([(2022, 2021, "C"), (2023, 2022, "B")])).set_index("id")
    r = t.loc["grade"]
    assert r["status"] == "met" and r["delivery"] == "on_time" and r["status_zh"] == "按期达标"
    assert r["actual_text_zh"] == "B类（2023年评价公布）" and r["data_status"] == "published"
    assert "interpretation: 'grade B in 2022' is read as the grade on 2022 data (the 2023 round)" in r["note_en"]
    assert "若按2022年评价轮次（2021年数据）读，公布等级为C类" in r["note_zh"]
    # the model's grade on the data year is a note only
    assert "the model on 2023 data: C (55.0 points), P(grade B or better) 30%" in r["note_en"]


def test_grade_goal_published_below_target_is_not_met_and_without_one_the_model_judges():
    t = G.analyse_gaps(tidy(GOAL_DATA), make_plan(GOALS), CAT, COUNTY, 2023,
                       grades=pd.DataFrame({"county": [COUNTY], "year": [2023], "grade": ["B"]}),
                       published=_published([(2023, 2022, "C")])).set_index("id")
    assert t.loc["grade", "status"] == "behind" and t.loc["grade", "delivery"] == "not_met"
    # a published grade of another data year leaves the model to judge
    t = G.analyse_gaps(tidy(GOAL_DATA), make_plan(GOALS), CAT, COUNTY, 2023,
                       grades=pd.DataFrame({"county": [COUNTY], "year": [2023], "grade": ["B"]}),
                       published=_published([(2021, 2020, "C")])).set_index("id")
    assert t.loc["grade", "status"] == "met" and t.loc["grade", "data_status"] == "modelled"


@pytest.mark.parametrize("rank, expected", [(11, "met"), (12, "close"), (13, "behind")])
def test_rank_goal_among_the_peers(rank, expected):
    # 22 peers: 11/22 = 50 % (met), 12/22 = 54.5 % <= 55 (close), 13/22 = 59.1 % (behind)
    counties = [COUNTY] + [f"县{i}" for i in range(21)]
    g = pd.DataFrame({"county": counties, "year": 2023, "grade": "B", "rank": [rank] + list(range(1, 22))})
    r = goals(g).loc["rank"]
    assert r["actual"] == pytest.approx(100 * rank / 22) and r["status"] == expected
    assert r["actual_text_en"] == f"{rank} of the 22 peer units benchmarked" and "proxy" in r["note_en"]
    assert r["actual_text_zh"] == f"对标的22个县（市、区）中第{rank}位"


def test_rank_goal_says_among_whom_province_and_prefecture():
    # the benchmarking's lens columns: rank 80 of the province's 167, 12 of 石家庄's 22 → 47.9 % of the province
    g = pd.DataFrame({"county": [COUNTY], "year": [2023], "grade": ["B"], "rank": [80], "n_counties": [167],
                      "peers_zh": ["全省167个县（市、区）"], "peers_en": ["the province's 167 counties"],
                      "prefecture": ["石家庄市"], "prefecture_rank": [12], "prefecture_n": [22]})
    r = goals(g).loc["rank"]
    assert r["actual_text_zh"] == "全省167个县（市、区）中第80位；石家庄市22个县（市、区）中第12位"
    assert r["actual_text_en"] == "80 of the province's 167 counties; 12 of the 22 counties of 石家庄市"
    assert "proxy" not in r["note_en"] and "the top 48 %" in r["note_en"]


def test_rank_goal_with_n_counties_column():
    # rank 80 of 167 → 47.9 % <= 50 → met; achievement 50 / 47.904 = 104.375 %
    g = pd.DataFrame({"county": [COUNTY], "year": [2023], "grade": ["B"], "rank": [80], "n_counties": [167]})
    r = goals(g).loc["rank"]
    assert r["status"] == "met" and r["achievement_pct"] == pytest.approx(104.375)


def test_rank_beyond_the_peer_set_cannot_be_read():
    # one row only: rank 18 of 1 county is impossible → no data, with the reason
    g = pd.DataFrame({"county": [COUNTY], "year": [2023], "grade": ["C"], "rank": [18]})
    r = goals(g).loc["rank"]
    assert r["status"] == "no_data" and "rank 18 is not within 1–1" in r["note_en"]


def test_grades_table_checks():
    with pytest.raises(DataError, match=r"the benchmarking table lacks columns \['year'\]"):
        G.check_grades(pd.DataFrame({"county": [COUNTY], "grade": ["B"]}))
    with pytest.raises(DataError, match=r"unknown grades \['D'\]"):
        G.check_grades(pd.DataFrame({"county": [COUNTY], "year": [2023], "grade": ["D"]}))


def test_load_grades_and_benchmark_grades(tmp_path):
    assert G.load_grades(tmp_path / "benchmark.csv") is None
    (tmp_path / "tables").mkdir()
    pd.DataFrame({"county": [COUNTY], "grade": ["B"], "score": [61.0]}).to_csv(tmp_path / "tables" / "benchmark.csv", index=False)
    g = G.load_benchmark_grades(None, tmp_path, 2024)
    assert list(g["year"]) == [2024] and list(g["grade"]) == ["B"]
    with pytest.raises(DataError, match="has no year column; pass the data year"):
        G.load_grades(tmp_path / "tables" / "benchmark.csv")
    with pytest.raises(ParameterError, match="grades_file does not exist"):
        G.load_benchmark_grades(tmp_path / "nope.csv", tmp_path, 2024)


# ---------------------------------------------------------------- roll-up by unit

def test_gap_by_unit_counts_lead_and_shared_targets_once_each():
    table = pd.DataFrame({
        "id": ["a", "b", "c", "d"],
        "status": ["met", "behind", "no_data", "close"],
        "lead_unit": ["县发展和改革局", "县发展和改革局", "", "县发展和改革局"],
        "responsible_units": ["县财政局、各乡(镇)政府", "县财政局", "", "县发展和改革局"],
    })
    out = G.gap_by_unit(table).set_index("unit")
    # 发改局 leads a, b, d (d also lists it as responsible: counted once)
    assert out.loc["县发展和改革局", ["n_targets", "n_lead", "n_met", "n_close", "n_behind", "n_no_data"]].tolist() == [3, 3, 1, 1, 1, 0]
    assert out.loc["县财政局", ["n_targets", "n_lead", "n_met", "n_behind"]].tolist() == [2, 0, 1, 1]
    assert out.loc["县财政局", "targets_behind"] == "b"
    assert out.loc["各乡(镇)政府", "n_met"] == 1
    assert out.loc["未指定", ["n_targets", "n_lead", "n_no_data"]].tolist() == [1, 1, 1]
    assert out.loc["未指定", "unit_en"] == "unspecified (whole plan)"
    assert list(out.index[:2]) == ["县发展和改革局", "县财政局"]     # most targets first
    assert out.loc["县财政局", "unit_en"] == "县财政局"      # no English columns in this table: as written


def test_gap_by_unit_takes_english_names_from_the_table():
    table = pd.DataFrame({
        "id": ["a", "b"], "status": ["met", "behind"],
        "lead_unit": ["县发展和改革局", "县甲局"], "lead_unit_en": ["Bureau D", ""],
        "responsible_units": ["县财政局、各乡(镇)政府", "县乙局"], "responsible_units_en": ["Bureau F; Townships", "Bureau B"],
    })
    out = G.gap_by_unit(table).set_index("unit")["unit_en"].to_dict()
    assert out == {"县发展和改革局": "Bureau D", "县财政局": "Bureau F", "各乡(镇)政府": "Townships",
                   "县甲局": "县甲局", "县乙局": "Bureau B"}


# ---------------------------------------------------------------- the bundled data and plan

@pytest.fixture(scope="module")
def bundled():
    return load_data()


def test_county_without_a_plan_file_uses_the_default_plan(bundled):
    plan = find_plan("平山县")
    assert plan.is_default
    t = G.analyse_gaps(bundled, plan, CAT, "平山县", 2024)
    assert t["plan_is_default"].all() and len(t) == len(plan.targets)
    # gap = the county's 2024 fiscal S&T expenditure in the bundled (illustrative) file − 1500 万元
    spent = bundled.query("county == '平山县' and year == 2024 and indicator == 'fiscal_st_expenditure'")["value"].item()
    r = row_of(t, "fiscal_st_expenditure_2022")
    assert r["gap"] == pytest.approx(spent - 1500)
    assert r["status"] == ("met" if spent >= 1500 else "close" if spent >= 1350 else "behind")
    texts = G.describe_gaps(t, G.gap_by_unit(t), plan, "平山县", 2024)
    assert "平山县没有专门的方案文件" in texts["notes"]["zh"][0]
    assert "has no plan file of its own" in texts["paragraphs"]["en"][0]


def test_headline_counts(bundled):
    table = pd.DataFrame({"status": ["met"] * 9 + ["close"] * 2 + ["behind"] * 5 + ["no_data"] * 2})
    h = G.headline(table, "灵寿县", 2024)
    assert h["zh"] == "2024年灵寿县18项目标中，达标9项、接近2项、落后5项、无数据2项。"
    assert h["en"] == "Of 灵寿县's 18 plan targets in 2024: 9 met, 2 close, 5 behind, 2 without data."
    # a zero count is left out, never "无数据0项"
    h = G.headline(pd.DataFrame({"status": ["met"] * 12 + ["behind"] * 6}), "灵寿县", 2024)
    assert h["zh"] == "2024年灵寿县18项目标中，达标12项、落后6项。" and h["en"].endswith(": 12 met, 6 behind.")


def test_summary_parts_columns_exist_in_the_table(bundled):
    plan = find_plan(COUNTY)
    t = G.analyse_gaps(bundled, plan, CAT, COUNTY, 2024)
    u = G.gap_by_unit(t)
    for lang in ("zh", "en"):
        parts = G.summary_parts(t, u, COUNTY, 2024, lang)
        assert set(parts["tables"][0]["columns"]) <= set(t.columns)
        assert set(parts["tables"][1]["columns"]) <= set(u.columns)
    required = ["indicator", "name_zh", "unit", "year", "actual", "target", "target_year", "gap", "achievement_pct",
                "status", "required_annual_growth_pct", "lead_unit", "responsible_units", "data_status"]
    assert set(required) <= set(t.columns)
    assert set(["unit", "n_met", "n_close", "n_behind", "n_no_data"]) <= set(u.columns)


@pytest.mark.parametrize("values, status, delivery, word_zh, word_en", [
    ({2022: 26.0, 2023: 31.0}, "met", "late", "逾期达标", "met late"),      # 26 < 30 in 2022, met in 2023
    ({2022: 30.0, 2023: 32.0}, "met", "on_time", "按期达标", "met on time"),
    ({2022: 26.0, 2023: 27.0}, "close", "not_met", "接近", "close"),        # 27 is 90 % of 30: still close
])
def test_on_time_delivery_of_a_level_target(values, status, delivery, word_zh, word_en):
    plan = make_plan([level("ht", "high_tech_enterprises", 30)])
    data = tidy([(y, "high_tech_enterprises", v, "published") for y, v in values.items()])
    r = row_of(G.analyse_gaps(data, plan, CAT, COUNTY, 2023), "ht")
    assert (r["status"], r["delivery"], r["status_zh"], r["status_en"]) == (status, delivery, word_zh, word_en)


def test_delivery_is_empty_before_the_target_year():
    plan = make_plan([level("sme", "st_smes", 200, 2025)])
    r = row_of(G.analyse_gaps(tidy([(2023, "st_smes", 210.0, "published")]), plan, CAT, COUNTY, 2023), "sme")
    assert r["status"] == "met" and pd.isna(r["delivery"]) and r["status_zh"] == "达标"


def test_a_share_needs_percentage_points_with_the_relative_growth_in_brackets():
    # 1200 / 288461.5 = 0.416 % (2023) vs 0.52 % (2022, passed) → catch up by 2025: (0.52 - 0.416) / 2 = 0.052 points
    # a year; relative (0.52 / 0.416)^(1/2) - 1 = 1.25^(1/2) - 1 = 11.8034 %
    data = [d for d in LEVEL_DATA if d[1] != "fiscal_st_expenditure"] + [(2023, "fiscal_st_expenditure", 1200.0, "illustrative")]
    table = G.analyse_gaps(tidy(data), make_plan([level("share", "fiscal_st_share", 0.52, unit="%")]), CAT, COUNTY, 2023)
    r = row_of(table, "share")
    assert r["required_annual_change_pp"] == pytest.approx(0.052) and r["required_annual_growth_pct"] == pytest.approx(11.80339887)
    assert r["required_text_zh"] == "每年提高 0.05 个百分点（相对增长 11.8%/年）"
    assert r["required_text_en"] == "+0.05 percentage points a year (relative growth 11.8 %/yr)"
    # a count keeps its annual growth
    assert row_of(level_table(), "ht")["required_text_zh"] == "年均增长 5.4%"
