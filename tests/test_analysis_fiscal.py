"""Tests of lingshou.analysis.fiscal. Expected numbers are computed by hand in the comments."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from lingshou.analysis import fiscal as F
from lingshou.data.build import load_data
from lingshou.data.catalogue import load_catalogue
from lingshou.errors import AnalysisError, DataError, ParameterError
from lingshou.plan.targets import TARGET_COLUMNS, Plan, find_plan

CAT = load_catalogue()
COUNTY = "灵寿县"
TARGETS = F.FiscalTargets(share_pct=0.52, share_year=2022, expenditure=1500.0, expenditure_year=2022,
                          increase_from=2022, increase_to=2025)


def tidy(rows, county=COUNTY) -> pd.DataFrame:
    return pd.DataFrame([{"county": county, "year": y, "indicator": i, "value": v, "status": s} for y, i, v, s in rows])


def fiscal_rows(spend: dict, budget: dict, status="illustrative", share: dict | None = None):
    rows = [(y, F.EXPENDITURE, v, status) for y, v in spend.items()]
    rows += [(y, F.BUDGET, v, status) for y, v in budget.items()]
    rows += [(y, F.SHARE, v, status) for y, v in (share or {}).items()]
    return tidy(rows)


def make_plan(targets: list[dict]) -> Plan:
    rows = []
    for t in targets:
        row = {c: None for c in TARGET_COLUMNS}
        row.update({"responsible_units": (), "lead_unit": "县发展和改革局"}, **t)
        rows.append(row)
    df = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    for c in ("target_year", "start_year", "end_year"):
        df[c] = df[c].astype("Int64")
    return Plan(meta={"id": "t", "title": "测试方案", "period": [2022, 2025]}, targets=df, county=COUNTY,
                is_default=False, path=Path("t.yaml"))


# ---------------------------------------------------------------- the share by year

def test_share_1500_of_288461_5_is_0_52_pct():
    # 1500 / 288,461.5 × 100 = 0.52000007 %
    t = F.fiscal_share_table(fiscal_rows({2022: 1500.0}, {2022: 288461.5}), CAT, COUNTY, 2022, TARGETS)
    r = t.iloc[0]
    assert r["share_pct"] == pytest.approx(0.52, abs=1e-6)
    assert bool(r["meets_share_target"]) and bool(r["meets_expenditure_target"])
    assert r["target_share_pct"] == 0.52 and r["target_expenditure"] == 1500.0
    assert list(t.columns) == F.FISCAL_COLUMNS


SPEND = {2021: 1400.0, 2022: 1500.0, 2023: 1500.0}
BUDGET = {2021: 280000.0, 2022: 288461.5, 2023: 300000.0}


def test_table_changes_and_increase_flags():
    t = F.fiscal_share_table(fiscal_rows(SPEND, BUDGET), CAT, COUNTY, 2023, TARGETS).set_index("year")
    # shares: 1400/280000 = 0.5 %, 0.52 %, 1500/300000 = 0.5 %
    assert t["share_pct"].tolist() == pytest.approx([0.5, 0.52000007, 0.5], abs=1e-7)
    # changes: —, +100 (+7.142857 %), 0 (0 %)
    assert math.isnan(t.loc[2021, "change"]) and t.loc[2022, "change"] == 100.0 and t.loc[2023, "change"] == 0.0
    assert t.loc[2022, "change_pct"] == pytest.approx(100 / 14)
    assert pd.isna(t.loc[2021, "increased_vs_prior_year"])
    assert bool(t.loc[2022, "increased_vs_prior_year"]) and not bool(t.loc[2023, "increased_vs_prior_year"])
    # 0.5 < 0.52 in 2023: not met; spending 1500 = 1500: met
    assert not bool(t.loc[2023, "meets_share_target"]) and bool(t.loc[2023, "meets_expenditure_target"])
    assert (t["data_status"] == "illustrative").all()


def test_table_stops_at_the_data_year():
    t = F.fiscal_share_table(fiscal_rows(SPEND, BUDGET), CAT, COUNTY, 2022, TARGETS)
    assert t["year"].tolist() == [2021, 2022]


def test_increase_record():
    t = F.fiscal_share_table(fiscal_rows(SPEND, BUDGET), CAT, COUNTY, 2023, TARGETS)
    rec = F.increase_record(t, 2022, 2025)
    assert rec == {"years": [2022, 2023], "rose": [2022], "fell_or_flat": [2023], "unknown": [], "all_rose": False}


def test_increase_record_with_a_missing_year_is_open():
    # 2022 spending missing: neither 2022 (no value) nor 2023 (no year before) can be compared; 2024 rises
    t = F.fiscal_share_table(fiscal_rows({2021: 1400.0, 2023: 1500.0, 2024: 1600.0}, {}), CAT, COUNTY, 2024, TARGETS)
    rec = F.increase_record(t, 2022)
    assert rec["years"] == [2022, 2023, 2024]
    assert rec["unknown"] == [2022, 2023] and rec["rose"] == [2024] and rec["all_rose"] is None


def test_missing_budget_uses_the_reported_share_and_its_status():
    d = fiscal_rows({2022: 1500.0}, {}, share={2022: 0.55})
    d.loc[d["indicator"] == F.SHARE, "status"] = "provisional"
    t = F.fiscal_share_table(d, CAT, COUNTY, 2022, TARGETS)
    assert t.loc[0, "share_pct"] == 0.55 and t.loc[0, "data_status"] == "illustrative"   # weakest of the row
    assert math.isnan(t.loc[0, F.BUDGET])


def test_missing_both_operand_and_reported_share():
    t = F.fiscal_share_table(fiscal_rows({2022: 1500.0}, {}), CAT, COUNTY, 2022, TARGETS)
    assert math.isnan(t.loc[0, "share_pct"]) and pd.isna(t.loc[0, "meets_share_target"])


def test_reported_share_disagreeing_with_operands_is_flagged():
    # reported 0.60 vs 100 × 1500 / 300000 = 0.50
    t = F.fiscal_share_table(fiscal_rows({2022: 1500.0}, {2022: 300000.0}, share={2022: 0.60}), CAT, COUNTY, 2022, TARGETS)
    assert bool(t.loc[0, "share_mismatch"]) and t.loc[0, "share_pct"] == pytest.approx(0.5)
    assert t.loc[0, "share_reported_pct"] == 0.60


def test_no_fiscal_data_for_the_county():
    d = tidy([(2022, "st_smes", 10.0, "illustrative")])
    with pytest.raises(AnalysisError, match="灵寿县 has no fiscal S&T expenditure or share up to 2022"):
        F.fiscal_share_table(d, CAT, COUNTY, 2022, TARGETS)


# ---------------------------------------------------------------- next year's spending

def table_for_needs(spend_latest=1400.0):
    # budget 2021: 250000, 2023: 302500 → CAGR sqrt(1.21) - 1 = 10 %
    return F.fiscal_share_table(fiscal_rows({2021: 1300.0, 2023: spend_latest}, {2021: 250000.0, 2023: 302500.0}),
                                CAT, COUNTY, 2023, TARGETS)


def test_project_budget_flat_trend_given():
    t = table_for_needs()
    assert F.project_budget(t, "flat") == {"scenario": "flat", "next_year": 2024, "latest": 302500.0,
                                           "growth_pct": 0.0, "projected": 302500.0}
    tr = F.project_budget(t, "trend")
    # 302500 × 1.10 = 332750
    assert tr["growth_pct"] == pytest.approx(10.0) and tr["projected"] == pytest.approx(332750.0)
    gv = F.project_budget(t, 400000.0)
    # 400000 / 302500 - 1 = 32.2314 %
    assert gv["scenario"] == "given" and gv["growth_pct"] == pytest.approx(32.231405, rel=1e-7)


def test_needed_spending_hand_case_share_binds():
    # flat budget 288461.5 × 0.52 % = 1499.9998; latest spending 1400 → +99.9998 (+7.142856 %)
    t = F.fiscal_share_table(fiscal_rows({2023: 1400.0}, {2023: 288461.5}), CAT, COUNTY, 2023, TARGETS)
    n = F.needed_spending(t, 0.52, "flat").set_index("scenario")
    assert list(n.index) == ["flat"]        # one budget year: no trend scenario
    r = n.loc["flat"]
    assert r["spending_for_share"] == pytest.approx(1499.9998) and r["binding"] == "share"
    assert r["increase"] == pytest.approx(99.9998) and r["increase_pct"] == pytest.approx(7.1428429, rel=1e-6)
    assert bool(r["chosen"]) and r["next_year"] == 2024 and r["data_status"] == "projected"


def test_needed_spending_level_target_binds():
    # same case with the 1500 万元 level: 1500 > 1499.9998 → required 1500, +100 (+7.142857 %)
    t = F.fiscal_share_table(fiscal_rows({2023: 1400.0}, {2023: 288461.5}), CAT, COUNTY, 2023, TARGETS)
    r = F.needed_spending(t, 0.52, "flat", target_expenditure=1500.0).iloc[0]
    assert r["binding"] == "level" and r["spending_required"] == 1500.0 and r["increase_pct"] == pytest.approx(100 / 14)


def test_needed_spending_trend_and_given_scenarios():
    n = F.needed_spending(table_for_needs(), 0.5, 400000.0).set_index("scenario")
    # flat: 302500 × 0.5 % = 1512.5; trend: 332750 × 0.5 % = 1663.75; given: 400000 × 0.5 % = 2000
    assert n["spending_for_share"].tolist() == pytest.approx([1512.5, 1663.75, 2000.0])
    assert n["chosen"].tolist() == [False, False, True]
    # increases over 1400: 112.5, 263.75, 600
    assert n["increase"].tolist() == pytest.approx([112.5, 263.75, 600.0])


def test_needed_spending_only_the_increase_rule_binds():
    # latest spending 2000 > 302500 × 0.5 % = 1512.5: anything above 2000 will do
    r = F.needed_spending(table_for_needs(2000.0), 0.5, "flat").iloc[0]
    assert r["binding"] == "increase" and r["spending_required"] == 2000.0 and r["increase"] == 0.0
    # printed as "more than 2,000.0", never as "an increase of 0"
    assert r["required_text_zh"] == "高于 2,000.0" and r["increase_text_zh"] == "大于 0（逐年递增）"
    assert r["increase_text_en"] == "above 0 (rising every year)"
    level = F.needed_spending(table_for_needs(), 0.5, "flat").iloc[0]
    assert level["required_text_zh"] == "1,512.5" and level["increase_text_en"] == "112.5"


@pytest.mark.parametrize("bad", [0, 101, True, "0.52"])
def test_target_share_must_be_a_percentage(bad):
    with pytest.raises(ParameterError, match=r"target_share_pct must be a percentage in \(0, 100\]"):
        F.needed_spending(table_for_needs(), bad)


@pytest.mark.parametrize("bad", ["banana", -5, 0, True, float("nan")])
def test_budget_projection_values(bad):
    with pytest.raises(ParameterError, match="budget_projection must be 'flat', 'trend' or a positive amount"):
        F.project_budget(table_for_needs(), bad)


def test_project_budget_without_budget_in_the_data_year():
    t = F.fiscal_share_table(fiscal_rows({2022: 1400.0, 2023: 1500.0}, {2022: 280000.0}), CAT, COUNTY, 2023, TARGETS)
    with pytest.raises(AnalysisError, match="no general budget expenditure for 2023"):
        F.project_budget(t, "flat")


def test_trend_needs_two_budget_years():
    t = F.fiscal_share_table(fiscal_rows({2023: 1500.0}, {2023: 280000.0}), CAT, COUNTY, 2023, TARGETS)
    with pytest.raises(AnalysisError, match="fewer than two years of data: no trend projection"):
        F.needed_spending(t, 0.52, "trend")


def test_needed_spending_without_spending_in_the_data_year():
    t = F.fiscal_share_table(fiscal_rows({2022: 1500.0}, {2022: 280000.0, 2023: 290000.0}, share={2023: 0.5}),
                             CAT, COUNTY, 2023, TARGETS)
    with pytest.raises(AnalysisError, match="no fiscal S&T expenditure for 2023"):
        F.needed_spending(t, 0.52, "flat")


# ---------------------------------------------------------------- plan targets and the whole analysis

def test_fiscal_targets_of_the_bundled_plan():
    assert F.fiscal_targets(find_plan(COUNTY), CAT) == TARGETS


def test_fiscal_targets_unit_conversion_and_error():
    # 0.15 亿元 = 1500 万元
    plan = make_plan([{"id": "x", "indicator": F.EXPENDITURE, "type": "level", "target": 0.15, "unit": "亿元", "target_year": 2022}])
    assert F.fiscal_targets(plan, CAT).expenditure == pytest.approx(1500.0)
    plan = make_plan([{"id": "x", "indicator": F.EXPENDITURE, "type": "level", "target": 3, "unit": "家", "target_year": 2022}])
    with pytest.raises(DataError, match=r"plan target x: unit '家' cannot be converted to '万元'"):
        F.fiscal_targets(plan, CAT)


def test_analyse_fiscal_needs_a_target_share():
    plan = make_plan([{"id": "x", "indicator": F.EXPENDITURE, "type": "level", "target": 1500, "target_year": 2022}])
    with pytest.raises(AnalysisError, match="the plan has no fiscal S&T share target: pass target_share_pct"):
        F.analyse_fiscal(fiscal_rows(SPEND, BUDGET), CAT, plan, COUNTY, 2023)
    res = F.analyse_fiscal(fiscal_rows(SPEND, BUDGET), CAT, plan, COUNTY, 2023, target_share_pct=0.6, budget_projection="flat")
    # 300000 × 0.6 % = 1800: +300 over 1500
    assert res.needs.iloc[0]["spending_required"] == pytest.approx(1800.0)


def test_analyse_fiscal_reports_what_cannot_be_computed():
    d = fiscal_rows({2022: 1400.0, 2023: 1500.0}, {2022: 280000.0})
    res = F.analyse_fiscal(d, CAT, find_plan(COUNTY), COUNTY, 2023)
    assert res.needs.empty and "no general budget expenditure for 2023" in res.problems["en"][0]
    texts = F.describe_fiscal(res.table, res.needs, res.targets, find_plan(COUNTY), COUNTY, problems=res.problems)
    assert any("2023年没有一般公共预算支出数据" in p for p in texts["paragraphs"]["zh"])


def test_describe_fiscal_hand_case():
    t = F.fiscal_share_table(fiscal_rows(SPEND, BUDGET), CAT, COUNTY, 2023, TARGETS)
    texts = F.describe_fiscal(t, None, TARGETS, find_plan(COUNTY), COUNTY)
    # 2023: 1500 万元, 0.50 % < 0.52 %; 2023 flat
    assert texts["headline"]["zh"] == "2023年灵寿县地方财政科技支出 1,500.0 万元，占一般公共预算支出的 0.50%，低于 0.52% 的目标；2023年未比上年增加。"
    assert texts["headline"]["en"].startswith("In 2023, 灵寿县's fiscal S&T expenditure was 1,500.0 ×10k yuan, 0.50%")
    assert "did not rise in 2023" in texts["headline"]["en"]


# ---------------------------------------------------------------- anchors

def test_share_anchors_select_the_same_concept_and_label_scope():
    anchors = pd.DataFrame({
        "county": ["全国", "全国", "河北省"],
        "year": [2003, 2003, 2021],
        "indicator": ["地方财政科技拨款占地方财政支出比重", "国家财政科技拨款占国家财政支出比重", "地方财政科技支出占公共财政支出的比重"],
        "value": [1.9, 4.0, 0.8], "unit": ["%", "%", "%"], "source_url": ["u1", "u2", "u3"], "note": ["", "", ""]})
    out = F.share_anchors(anchors)
    # the national total (central + local, 4.0 %) is another concept and is left out
    assert out["value"].tolist() == [1.9, 0.8] and out["scope"].tolist() == ["national", "province"]
    assert out.loc[0, "label_zh"] == "全国地方财政科技拨款占地方财政支出比重 1.9%（2003年，全国口径，非县级）"
    assert "2003" in out.loc[0, "label_en"] and "national" in out.loc[0, "label_en"]


def test_bundled_anchors_hold_only_the_old_national_share():
    out = F.share_anchors(F.load_anchors())
    assert out[["region", "year", "value", "scope"]].values.tolist() == [["全国", 2003, 1.9, "national"]]


def test_load_anchors_missing_column(tmp_path):
    (tmp_path / "raw" / "anchors").mkdir(parents=True)
    pd.DataFrame({"county": ["全国"], "year": [2003]}).to_csv(tmp_path / "raw" / "anchors" / "anchors_hebei_national.csv", index=False)
    with pytest.raises(DataError, match=r"lacks columns \['indicator', 'value', 'unit'\]"):
        F.load_anchors(tmp_path)


def test_bundled_data_every_county_works():
    data = load_data()
    plan = find_plan("平山县")
    res = F.analyse_fiscal(data, CAT, plan, "平山县", 2024, anchors=F.load_anchors())
    # share = 100 × expenditure / budget of the county's 2024 operands in the bundled (illustrative) file
    ops = data.query("county == '平山县' and year == 2024").set_index("indicator")["value"]
    expected = 100 * ops["fiscal_st_expenditure"] / ops["general_budget_expenditure"]
    last = res.table.iloc[-1]
    assert last["share_pct"] == pytest.approx(expected, rel=1e-12)
    parts = F.summary_parts(res, "平山县", "en")
    assert parts["numbers"]["share_pct"] == pytest.approx(expected, rel=1e-12)
    assert set(parts["tables"][0]["columns"]) <= set(res.table.columns)
    assert set(parts["tables"][1]["columns"]) <= set(res.needs.columns)
