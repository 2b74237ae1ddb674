"""Tests of lingshou.evaluation.benchmarking (inputs, tables, results): tidy → wide, published grades, the benchmarking tables.

Tiny model (tests/data/benchmark/tiny_model.yaml): x1 30 points / benchmark 8 (万元), x2 20 / 5 (%), x3 35 / 40
(家, a count); pillars 投入 = x1 + x2 (50), 产出 = x3 (35), 管理 = qualitative (15, default 10); A ≥ 80, B ≥ 60.
Counties P (5, 2, 25), Q (10, 4, 40), R (8, 1, 50), S (2, 3, 10).  Under benchmark_ratio, points·min(x/b, 1):
    P: 30·5/8 + 20·2/5 + 35·25/40 = 18.75 + 8 + 21.875 = 48.625 → with 10 qualitative 58.625 (C)
    Q: 30 (capped) + 20·4/5 = 16 + 35 = 81 → 91 (A)
    R: 30 + 20·1/5 = 4 + 35 (capped) = 69 → 79 (B)
    S: 30·2/8 = 7.5 + 20·3/5 = 12 + 35·10/40 = 8.75 → 28.25 → 38.25 (C)
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lingshou.config import DEFAULT_DATA_DIR
from lingshou.data.catalogue import load_catalogue
from lingshou.errors import DataError, ParameterError
from lingshou.evaluation import benchmarking as bd
from lingshou.evaluation.model import score_counties
from lingshou.evaluation.peers import peer_position, what_it_takes
from lingshou.evaluation.uncertainty import MonteCarlo, analyse_uncertainty

DATA = Path(__file__).parent / "data" / "benchmark"
#: Monte Carlo without randomness: every replication is the nominal model.
FIXED = {"weight_noise": 0.0, "rules": ["benchmark_ratio"], "imputation": ["peer_median"], "qualitative_spread": 0.0}
VALUES = {"P": (5.0, 2.0, 25.0), "Q": (10.0, 4.0, 40.0), "R": (8.0, 1.0, 50.0), "S": (2.0, 3.0, 10.0)}


@pytest.fixture
def indicators() -> pd.DataFrame:
    return pd.DataFrame({"name_zh": ["甲", "乙", "丙"], "name_en": ["one", "two", "three"],
                         "dimension": ["money", "share", "count"], "lead_unit": ["局一", "局二", "局三"]},
                        index=pd.Index(["x1", "x2", "x3"], name="code"))


def tidy_rows(year: int, values: dict, status: str = "illustrative") -> list[tuple]:
    return [(county, year, code, value, status) for county, vals in values.items()
            for code, value in zip(("x1", "x2", "x3"), vals)]


def tidy(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["county", "year", "indicator", "value", "status"])


def fixed_uncertainty(wide, model, qualitative=10.0):
    return analyse_uncertainty(wide, model, n_sims=20, seed=0, qualitative=qualitative, **FIXED)


# --------------------------------------------------------------------------------------------------
# Model and wide table


def test_load_benchmark_model_default_and_given():
    assert bd.load_benchmark_model()["id"] == "hebei_county_st_evaluation"
    assert bd.load_benchmark_model(DATA / "tiny_model.yaml")["id"] == "tiny"


def test_model_codes(model):
    assert bd.model_codes(model) == ["x1", "x2", "x3", "innovation_management"]


def test_wide_table_from_tidy(model):
    rows = tidy_rows(2022, {"P": (5.0, 2.0, 25.0), "Q": (10.0, np.nan, 40.0)})
    rows += [("P", 2022, "innovation_management", 12.0, "illustrative"),
             ("Z", 2022, "gdp", 1000.0, "published"),          # no model indicator: not a peer
             ("Y", 2022, "innovation_management", 9.0, "illustrative"),  # qualitative only: not a peer
             ("R", 2021, "x1", 3.0, "illustrative")]           # another year
    wide = bd.wide_table(tidy(rows), 2022, model)
    assert list(wide.index) == ["P", "Q"] and wide.index.name == "county"
    assert list(wide.columns) == ["x1", "x2", "x3", "innovation_management"]
    assert wide.loc["P"].tolist() == [5.0, 2.0, 25.0, 12.0]
    # Q's x2 is missing (NaN in the tidy table) and it has no qualitative value
    assert wide.loc["Q", "x1"] == 10.0 and np.isnan(wide.loc["Q", "x2"]) and np.isnan(wide.loc["Q", "innovation_management"])
    assert bd.peer_counties(tidy(rows), 2021, model) == ["R"]


def test_wide_table_errors(model):
    with pytest.raises(DataError, match="lacks column"):
        bd.wide_table(pd.DataFrame({"county": ["P"], "year": [2022]}), 2022, model)
    rows = tidy_rows(2022, {"P": (5.0, 2.0, 25.0)}) + [("P", 2022, "x1", 6.0, "published")]
    with pytest.raises(DataError, match=r"duplicated values in 2022 .*\('P', 'x1'\)"):
        bd.wide_table(tidy(rows), 2022, model)
    with pytest.raises(DataError, match="no county has a value of the model's indicators in 2023"):
        bd.wide_table(tidy(tidy_rows(2022, {"P": (5.0, 2.0, 25.0)})), 2023, model)


def test_data_status_is_the_weakest(model):
    rows = tidy_rows(2022, {"P": (5.0, 2.0, 25.0)}, "published") + tidy_rows(2022, {"Q": (1.0, 1.0, 1.0)}, "published")
    rows += [("R", 2022, "x1", 3.0, "derived"), ("R", 2022, "x2", 3.0, "published"),
             ("R", 2022, "x3", np.nan, "illustrative"),            # missing: its status does not count
             ("P", 2022, "innovation_management", 11.0, "illustrative")]
    status = bd.data_status(tidy(rows), 2022, model)
    assert status.to_dict() == {"P": "illustrative", "Q": "published", "R": "derived"}


def test_data_status_unknown(model):
    with pytest.raises(DataError, match=r"unknown status\(es\) \['guessed'\]"):
        bd.data_status(tidy(tidy_rows(2022, {"P": (5.0, 2.0, 25.0)}, "guessed")), 2022, model)


def test_qualitative_input():
    assert bd.qualitative_input("灵寿县", None) is None
    assert bd.qualitative_input("灵寿县", 12) == {"灵寿县": 12.0}
    with pytest.raises(ParameterError, match="qualitative points must be a non-negative number"):
        bd.qualitative_input("灵寿县", -1)


# --------------------------------------------------------------------------------------------------
# Published grades


def raw_grades(**changes) -> pd.DataFrame:
    frame = pd.DataFrame({
        "county": ["鹿泉市", "灵寿", "固安县", "藁城区", "井陉县"],
        "evaluation_year": ["2023", "2023", "2023", "baseline (跃升计划实施初期)", "2023"],
        "data_year": ["2022", "2022", "2022", "", "2022"],
        "grade": ["A", "B ", "A", "B", "B"],
        "data_year_inferred": ["True", "True", "False", "False", "True"],
        "grade_inferred": ["False", "False", "False", "False", "True"],
        "source_url": ["u1", "u2", "u3", "u4", "u5"],
        "note": ["", "", "", "", "inference"],
    })
    for key, value in changes.items():
        frame[key] = value
    return frame


def test_clean_published_canonical_names_and_flags():
    cat = load_catalogue()
    out = bd.clean_published(raw_grades(), cat)
    # 鹿泉市 is an alias of 石家庄市鹿泉区 (name before 2014); 灵寿 → 灵寿县; 固安县 (廊坊) is not in the bundled
    # county table and keeps its name; 藁城区 → 石家庄市藁城区
    assert out["county"].tolist() == ["石家庄市鹿泉区", "灵寿县", "固安县", "石家庄市藁城区", "井陉县"]
    assert out["county_published"].tolist()[:2] == ["鹿泉市", "灵寿"]
    assert out["evaluation_round"].tolist()[:3] == [2023, 2023, 2023] and pd.isna(out["evaluation_round"].iloc[3])
    assert out["grade"].tolist()[1] == "B"  # stripped
    assert out["grade_inferred"].tolist() == [False, False, False, False, True]
    assert out["data_year_inferred"].tolist() == [True, True, False, False, True]


def test_clean_published_without_catalogue_keeps_names():
    assert bd.clean_published(raw_grades())["county"].tolist()[0] == "鹿泉市"


def test_clean_published_errors(tmp_path):
    with pytest.raises(DataError, match=r"lack column\(s\) \['grade_inferred'\]"):
        bd.clean_published(raw_grades().drop(columns="grade_inferred"))
    with pytest.raises(DataError, match=r"grade_inferred of the published grades must be True/False, got \['maybe'\]"):
        bd.clean_published(raw_grades(grade_inferred=["maybe", "False", "False", "False", "False"]))
    with pytest.raises(DataError, match="published grades file does not exist"):
        bd.load_published_grades(tmp_path / "none.csv")


def test_published_for_round_filters_round_and_peers():
    published = bd.clean_published(raw_grades(), load_catalogue())
    got = bd.published_for_round(published, 2023, counties=["灵寿县", "井陉县", "石家庄市藁城区"])
    # 藁城区's row is the baseline, not round 2023
    assert got["county"].tolist() == ["灵寿县", "井陉县"]
    assert got["grade_inferred"].tolist() == [False, True]
    assert bd.published_for_round(published, 2030).empty


def test_bundled_grades_of_the_2023_round():
    # The 2023 notice: 石家庄 had 10 A-class units and no C, and 辛集市 (administered by the province, bundled
    # with the 石家庄 units) is on the A list too: 11 A of 22.  The 5 B-class units that the readable part of the
    # notice does not name are inferred (grade_inferred), the rest are listed.
    cat = load_catalogue()
    published = bd.load_published_grades(DEFAULT_DATA_DIR / "raw" / bd.GRADES_FILE, cat)
    counties = pd.read_csv(DEFAULT_DATA_DIR / "raw" / "counties.csv")
    peers = list(counties.loc[counties["prefecture"] == "石家庄市", "county"])
    got = bd.published_for_round(published, 2023, peers)
    assert len(got) == 22 and (got["grade"] == "A").sum() == 11 and (got["grade"] == "C").sum() == 0
    assert sorted(got.loc[got["grade_inferred"], "county"]) == sorted(["石家庄市井陉矿区", "井陉县", "深泽县", "晋州市", "新乐市"])


# --------------------------------------------------------------------------------------------------
# Tables


def test_benchmark_table(model, wide):
    scores = score_counties(wide, model)
    unc = fixed_uncertainty(wide, model)
    status = pd.Series({"P": "illustrative", "Q": "published", "R": "published", "S": "derived"})
    published = pd.DataFrame({"county": ["Q", "R", "X"], "grade": ["A", "A", "B"], "grade_inferred": [False, True, False]})
    table = bd.benchmark_table(scores, unc, status, model, published)
    # scores: Q 91 (A), R 79 (B), P 58.625 (C), S 38.25 (C) → sorted by rank
    assert table["county"].tolist() == ["Q", "R", "P", "S"]
    assert table["score"].tolist() == pytest.approx([91.0, 79.0, 58.625, 38.25])
    assert table["grade"].tolist() == ["A", "B", "C", "C"]
    # no randomness: each county's grade has probability 1 and its rank interval is its rank
    assert table["p_grade_A"].tolist() == [1.0, 0.0, 0.0, 0.0] and table["p_grade_C"].tolist() == [0.0, 0.0, 1.0, 1.0]
    assert table["rank_p05"].tolist() == [1, 2, 3, 4] and table["rank_p95"].tolist() == [1, 2, 3, 4]
    # pillars of P: 投入 = 18.75 + 8 = 26.75, 产出 = 21.875, 管理 = 10
    p = table.set_index("county").loc["P"]
    assert (p["投入"], p["产出"], p["管理"]) == pytest.approx((26.75, 21.875, 10.0))
    assert p["data_status"] == "illustrative" and pd.isna(p["grade_published"]) and pd.isna(p["agrees"])
    q, r = table.set_index("county").loc["Q"], table.set_index("county").loc["R"]
    assert (q["grade_published"], bool(q["agrees"]), bool(q["grade_published_inferred"])) == ("A", True, False)
    assert (r["grade_published"], bool(r["agrees"]), bool(r["grade_published_inferred"])) == ("A", False, True)
    assert not table.attrs   # what the Monte Carlo drew is said by the MonteCarlo, not carried on the table
    assert bd.key_columns(table) == ["county", "score", "rank", "grade", "p_grade_A", "p_grade_B", "p_grade_C",
                                     "rank_p05", "rank_median", "rank_p95", "grade_published", "agrees"]


def test_benchmark_table_counties_must_match(model, wide):
    scores = score_counties(wide, model)
    with pytest.raises(DataError, match="counties of status differ"):
        bd.benchmark_table(scores, fixed_uncertainty(wide, model), pd.Series({"P": "published"}), model)


def test_plan_table_rounds_counts_up(model, wide, indicators):
    # P (58.625, C) → B needs 1.375 points.  Points per % of increase: x1 3.75·5/100 = 0.1875, x2 4·2/100 = 0.08,
    # x3 0.875·25/100 = 0.21875 → x3 first: 25 + 1.375/0.875 = 26.571 家, rounded up to 27:
    # +2 家 = +8 %, 0.875·2 = 1.75 points → score 60.375.
    plan = what_it_takes(wide, model, "P")
    assert plan.table["needed"].tolist() == pytest.approx([25 + 1.375 / 0.875])
    planned = bd.plan_table(plan, wide, model, indicators, "en")
    row = planned.table.iloc[0]
    assert list(planned.table.columns) == bd.PLAN_TABLE_COLUMNS
    assert (row["indicator"], row["name"], row["lead_unit"], bool(row["rounded_up"])) == ("x3", "three", "局三", True)
    assert (row["needed"], row["increase_abs"], row["increase_pct"]) == pytest.approx((27.0, 2.0, 8.0))
    assert row["points_gained"] == pytest.approx(1.75)
    assert planned.score_after == pytest.approx(60.375)
    assert planned.score_after_unrounded == pytest.approx(60.0)
    assert planned.n_rounded == 1
    # with the catalogue's English lead units (load_catalogue adds lead_unit_en from departments.csv)
    english = bd.plan_table(plan, wide, model, indicators.assign(lead_unit_en=["B1", "B2", "B3"]), "en")
    assert english.table.iloc[0]["lead_unit"] == "B3"
    chinese = bd.plan_table(plan, wide, model, indicators.assign(lead_unit_en=["B1", "B2", "B3"]), "zh")
    assert chinese.table.iloc[0]["lead_unit"] == "局三"


def test_plan_tables_carry_the_status_of_the_current_values(model, wide, indicators):
    # P's x3 provisional, x1 illustrative, x2 absent (imputed): the written table says so per row
    rows = [("P", 2022, "x1", 5.0, "illustrative"), ("P", 2022, "x3", 25.0, "provisional"),
            ("Q", 2022, "x2", 4.0, "published"), ("P", 2021, "x2", 2.0, "published")]
    status = bd.value_status(tidy(rows), "P", 2022, model)
    assert status == {"x1": "illustrative", "x2": "missing", "x3": "provisional", "innovation_management": "missing"}
    plan = what_it_takes(wide, model, "P")
    planned = bd.plan_table(plan, wide, model, indicators, "en", status=status)
    assert list(planned.table.columns) == bd.PLAN_TABLE_COLUMNS + ["data_status"]
    assert planned.table[["indicator", "data_status"]].values.tolist() == [["x3", "provisional"]]
    robust = bd.robust_plan_table({"next_grade": plan}, wide, model, indicators, "en", status=status)
    assert robust.table["data_status"].tolist() == ["provisional"]


def test_plan_table_whole_counts_and_money_are_not_rounded(model, wide, indicators):
    # S (38.25) → B needs 21.75.  Per %: x1 3.75·2/100 = 0.075, x2 4·3/100 = 0.12, x3 0.875·10/100 = 0.0875.
    # x2 to its benchmark 5 (+8), x3 to its +100 % cap 20 (+8.75), x1 2 + 5/3.75 = 3.3333 (+5) → 60.
    planned = bd.plan_table(what_it_takes(wide, model, "S"), wide, model, indicators, "zh")
    assert planned.table["indicator"].tolist() == ["x2", "x3", "x1"]
    assert planned.table["needed"].tolist() == pytest.approx([5.0, 20.0, 2 + 5 / 3.75])
    assert planned.table["rounded_up"].tolist() == [False, False, False] and planned.table["rounded_down"].tolist() == [False] * 3
    assert planned.table["points_gained"].tolist() == pytest.approx([8.0, 8.75, 5.0])
    assert planned.table["name"].tolist() == ["乙", "丙", "甲"]
    assert planned.score_after == pytest.approx(60.0)


def test_plan_table_rounds_down_within_the_largest_increase(model, wide, indicators):
    # P → B (1.375 points) with at most +5 %: x3 to 25·1.05 = 26.25 (0.875·1.25 = 1.09375 points), then x1 (0.1875
    # per %, cap 5.25) for the remaining 0.28125: 5 + 0.28125/3.75 = 5.075.  27 家 would exceed 26.25: x3 is
    # rounded DOWN to 26 (+0.875 points), so the rounded plan scores 58.625 + 0.875 + 0.28125 = 59.78125.
    plan = what_it_takes(wide, model, "P", max_increase=0.05)
    assert plan.table["needed"].tolist() == pytest.approx([26.25, 5.075])
    planned = bd.plan_table(plan, wide, model, indicators, max_increase=0.05)
    assert planned.table["needed"].tolist() == pytest.approx([26.0, 5.075])
    assert planned.table["rounded_down"].tolist() == [True, False] and planned.table["rounded_up"].tolist() == [False, False]
    assert planned.table["points_gained"].tolist() == pytest.approx([0.875, 0.28125])
    assert planned.score_after == pytest.approx(59.78125)
    assert (planned.n_rounded, planned.n_rounded_down, planned.dropped) == (0, 1, [])


def test_plan_table_drops_a_count_that_cannot_gain_a_unit(model, wide, indicators):
    # At most +2 %: x3 to 25.5, x1 to 5.1, x2 to 2.04 (the plan falls short).  x3 cannot reach 26 within
    # 25.5 and 25 is no increase: dropped.  Rounded plan: 58.625 + 3.75·0.1 + 4·0.04 = 59.16.
    plan = what_it_takes(wide, model, "P", max_increase=0.02)
    planned = bd.plan_table(plan, wide, model, indicators, max_increase=0.02)
    assert planned.table["indicator"].tolist() == ["x1", "x2"] and planned.dropped == ["x3"]
    assert planned.score_after == pytest.approx(59.16)


def test_plan_table_empty_plan(model, wide, indicators):
    # Q is at the top grade: keeping it needs nothing
    planned = bd.plan_table(what_it_takes(wide, model, "Q"), wide, model, indicators)
    assert planned.empty and list(planned.table.columns) == bd.PLAN_TABLE_COLUMNS and planned.n_rounded == 0


def test_plan_table_catalogue_errors(model, wide, indicators):
    plan = what_it_takes(wide, model, "P")
    with pytest.raises(DataError, match=r"catalogue lacks column\(s\) \['dimension'\]"):
        bd.plan_table(plan, wide, model, indicators.drop(columns="dimension"))
    with pytest.raises(DataError, match=r"catalogue has no indicator \['x3'\]"):
        bd.plan_table(plan, wide, model, indicators.drop(index="x3"))


def goal_table(grade: str, a: float, b: float, c: float) -> pd.DataFrame:
    return pd.DataFrame({"county": ["K"], "grade": [grade], "p_grade_A": [a], "p_grade_B": [b], "p_grade_C": [c]})


@pytest.mark.parametrize("grade, probs, expected", [
    ("B", (0.1, 0.5, 0.4), {"next_grade": "A", "keep_grade": "B"}),  # P(B or better) = 0.6 < 0.8
    ("B", (0.1, 0.8, 0.1), {"next_grade": "A"}),                     # 0.9 ≥ 0.8
    ("A", (0.3, 0.3, 0.4), {"next_grade": "A"}),                     # top grade: keep it
    ("C", (0.0, 0.1, 0.9), {"next_grade": "B"}),                     # bottom: nothing to keep
])
def test_robust_goals(model, grade, probs, expected):
    assert bd.robust_goals(goal_table(grade, *probs), "K", model, 0.8) == expected


def test_robust_goals_unknown_county(model):
    with pytest.raises(ParameterError, match="county 'X' is not in the benchmark table"):
        bd.robust_goals(goal_table("B", 0, 1, 0), "X", model)


def test_robust_plan_table(model, wide, indicators):
    plans = {"next_grade": what_it_takes(wide, model, "P"), "keep_grade": what_it_takes(wide, model, "P", target_grade="C")}
    planned = bd.robust_plan_table(plans, wide, model, indicators)
    # keeping C needs nothing: only the next-grade rows remain
    assert planned.table["goal"].tolist() == ["next_grade"] and planned.table["target_grade"].tolist() == ["B"]
    assert set(planned.goals) == {"next_grade", "keep_grade"}
    assert planned.goals["next_grade"].score_after == pytest.approx(60.375)
    with pytest.raises(ParameterError, match="must be a non-empty choice"):
        bd.robust_plan_table({"faster": plans["next_grade"]}, wide, model, indicators)
    with pytest.raises(ParameterError, match="must be a non-empty choice"):
        bd.robust_plan_table({}, wide, model, indicators)


def test_modelled_grades_table(model, tmp_path, monkeypatch):
    # 2020: nobody has x2 → cannot impute → skipped.  2021: P, Q as in 2022 but Q's x1 = 4:
    #   Q 2021: 30·4/8 + 16 + 35 = 66, + 10 default qualitative = 76 (B), rank 1 of 2; P 58.625 (C).
    rows = [("P", 2020, "x1", 1.0, "illustrative"), ("P", 2020, "x3", 1.0, "illustrative")]
    rows += tidy_rows(2021, {"P": VALUES["P"], "Q": (4.0, 4.0, 40.0)})
    rows += tidy_rows(2022, VALUES, "published")
    data = tidy(rows)
    wide = bd.wide_table(data, 2022, model)
    unc = fixed_uncertainty(wide, model)
    grades = bd.modelled_grades_table(data, model, "Q", 2022, unc).table
    assert grades["data_year"].tolist() == [2021, 2022] and grades["evaluation_round"].tolist() == [2022, 2023]
    assert grades["score"].tolist() == pytest.approx([76.0, 91.0])
    assert grades["grade"].tolist() == ["B", "A"] and grades["rank"].tolist() == [1, 1] and grades["n"].tolist() == [2, 4]
    assert grades["p_grade_A"].isna().tolist() == [True, False] and grades["p_grade_A"].iloc[1] == 1.0
    assert grades["data_status"].tolist() == ["illustrative", "published"]
    # P has no 2020 x2 and neither has anyone: 2020 cannot be scored for P
    assert list(bd.modelled_grades_table(data, model, "P", 2022, unc).skipped) == [2020]
    with pytest.raises(ParameterError, match="county 'Z' is not in the uncertainty results"):
        bd.modelled_grades_table(data, model, "Z", 2022, unc)
    # In a batch the earlier years of every county are scored once and read from the store after that.
    import lingshou.evaluation.benchmarking.tables as tables

    shared = tmp_path / "shared"
    pd.testing.assert_frame_equal(bd.modelled_grades_table(data, model, "Q", 2022, unc, shared_dir=shared).table, grades,
                                  check_exact=True)
    monkeypatch.setattr(tables, "earlier_years", lambda *a: pytest.fail("computed again"))
    again = bd.modelled_grades_table(data, model, "P", 2022, unc, shared_dir=shared)
    assert list(again.skipped) == [2020]
    assert again.table["score"].tolist() == pytest.approx([58.625, unc.table.at["P", "score"]])
    assert [p.name.split("-")[0] for p in shared.iterdir()] == ["earlier_years"]


def test_rule_comparison(model, wide):
    # P under best_peer: 30·5/10 + 20·2/4 + 35·25/50 = 15 + 10 + 17.5 = 42.5, + 10 = 52.5 (C), rank 3
    #   (Q 30 + 20 + 28 + 10 = 88, R 24 + 5 + 35 + 10 = 74, S 6 + 15 + 7 + 10 = 38).
    # Published Q A (both rules agree), R A (benchmark_ratio 79 → B, best_peer 74 → B: neither agrees).
    published = pd.DataFrame({"county": ["Q", "R", "X"], "grade": ["A", "A", "B"]})
    got = bd.rule_comparison(wide, model, "P", published, rules=["best_peer", "benchmark_ratio"])
    assert list(got.index) == ["benchmark_ratio", "best_peer"]  # the default rule first
    assert got["score"].tolist() == pytest.approx([58.625, 52.5])
    assert got["grade"].tolist() == ["C", "C"] and got["rank"].tolist() == [3, 3]
    assert got["n_published"].tolist() == [2, 2] and got["n_agree"].tolist() == [1, 1]
    assert bd.rule_comparison(wide, model, "P")["n_published"].tolist() == [0, 0, 0, 0]
    with pytest.raises(ParameterError, match="county 'Z' is not in the data"):
        bd.rule_comparison(wide, model, "Z")


def test_rule_comparison_with_a_rule_shown_but_not_drawn(model, wide):
    # best_peer only as a comparison: listed after the drawn rules, marked not drawn, with the county's grade
    # probabilities of the table given for it (and NaN for a rule given none)
    model = {**model, "uncertainty": {**model["uncertainty"], "rules": ["benchmark_ratio"],
                                      "sensitivity_rules": ["best_peer"]}}
    sims = pd.DataFrame({"p_grade_A": [0.0, 0.5], "p_grade_B": [0.25, 0.5], "p_grade_C": [0.75, 0.0]}, index=["P", "Q"])
    got = bd.rule_comparison(wide, model, "P", probabilities={"best_peer": MonteCarlo(sims, 4, ("best_peer",),
                                                                                     ("peer_median",))})
    assert list(got.index) == ["benchmark_ratio", "best_peer"] and got["drawn"].tolist() == [True, False]
    assert got.loc["best_peer", ["p_grade_A", "p_grade_B", "p_grade_C"]].tolist() == [0.0, 0.25, 0.75]
    assert got.loc["benchmark_ratio", ["p_grade_A", "p_grade_B", "p_grade_C"]].isna().all()
    assert got.loc["best_peer", "score"] == pytest.approx(52.5)      # as in test_rule_comparison


def test_bundled_model_draws_no_rule_it_argues_against():
    # The model file argues that peer-relative rules contradict the published rise of the provincial average:
    # it draws only the fixed-benchmark rule and shows the peer-relative one as a comparison.
    from lingshou.config import data_folder

    model = bd.load_benchmark_model(None, data_folder(DEFAULT_DATA_DIR))
    assert model["uncertainty"]["rules"] == ["benchmark_ratio"]
    assert model["uncertainty"]["sensitivity_rules"] == ["peer_p90"]


def test_model_assumptions(model):
    got = bd.model_assumptions(model)
    assert got["rule"] == "benchmark_ratio" and got["rule_assumed"] is True
    assert got["pillars_assumed"] == ["投入", "产出"] and got["pillars_assumed_en"] == ["input", "output"]
    assert got["indicators_published"] == ["x1"] and got["indicators_assumed"] == ["x1", "x2", "x3"]
    assert (got["qualitative_default"], got["qualitative_range"]) == (10.0, [8.0, 15.0])
    assert got["grades"] == [{"grade": "A", "min": 80.0}, {"grade": "B", "min": 60.0}, {"grade": "C", "min": 0.0}]


def test_benchmark_results(model, wide, indicators):
    scores = score_counties(wide, model)
    unc = fixed_uncertainty(wide, model)
    status = pd.Series("illustrative", index=wide.index)
    published = pd.DataFrame({"county": ["Q", "R"], "grade": ["A", "A"], "grade_inferred": [False, True],
                              "data_year_inferred": [True, True]})
    table = bd.benchmark_table(scores, unc, status, model, published)
    plan = bd.plan_table(what_it_takes(wide, model, "R"), wide, model, indicators)
    robust = bd.robust_plan_table({"next_grade": what_it_takes(wide, model, "R")}, wide, model, indicators)
    by_rule = bd.rule_comparison(wide, model, "R", published, rules=["benchmark_ratio"])
    res = bd.benchmark_results(table, peer_position(scores, "R", model), model, 2022, indicators, plan, robust,
                               published, by_rule, monte_carlo=unc)
    assert (res["n_sims"], res["rules"]) == (20, ["benchmark_ratio"])   # FIXED: one rule drawn, 20 times
    # R: 79 points, B, rank 2 of 4; 1 point short of A, 19 above B's minimum
    assert (res["county"], res["evaluation_round"], res["grade"], res["rank"], res["n"]) == ("R", 2023, "B", 2, 4)
    assert (res["next_grade"], res["next_min"], res["grade_min"]) == ("A", 80.0, 60.0)
    assert (res["to_next_grade"], res["margin"]) == pytest.approx((1.0, 19.0))
    assert res["p_grade"] == {"A": 0.0, "B": 1.0, "C": 0.0} and res["p_keep_grade"] == 1.0
    # pillars in model order; R's 投入 = 30 + 4 = 34 against the median of (26.75, 46, 34, 19.5) = 30.375
    assert [p["pillar"] for p in res["pillars"]] == ["投入", "产出", "管理"]
    assert res["pillars"][0]["points"] == pytest.approx(34.0) and res["pillars"][0]["peer_median"] == pytest.approx(30.375)
    assert res["pillars"][0]["label"] == "strength" and res["pillars"][0]["name_en"] == "input"
    # scored without given qualitative points: the default 10 is assumed
    assert res["qualitative_assumed"] is True and res["qualitative_points"] == 10.0 and res["imputed"] == []
    # R's plan to A: one point; the cheapest per % is x2 (4·1/100 = 0.04 vs x1 at full points, x3 at full):
    # x2 from 1 to 1 + 1/4 = 1.25 %
    assert res["plan"]["rows"][0]["indicator"] == "x2" and res["plan"]["rows"][0]["needed"] == pytest.approx(1.25)
    assert res["plan"]["rows"][0]["name_en"] == "two" and list(res["robust"]) == ["next_grade"]
    pub = res["published"]
    assert (pub["n"], pub["n_agree"], pub["n_inferred"], pub["county_grade"], pub["county_inferred"]) == (2, 1, 1, "A", True)
    assert pub["disagreements"] == [{"county": "R", "grade_modelled": "B", "grade_published": "A", "inferred": True}]
    assert res["by_rule"] == [{"rule": "benchmark_ratio", "score": 79.0, "grade": "B", "rank": 2, "n_published": 2,
                               "n_agree": 1, "drawn": True, "p_grade": None}]
    with pytest.raises(ParameterError, match="county 'R' is not in the benchmark table"):
        bd.benchmark_results(table[table["county"] != "R"], peer_position(scores, "R", model), model, 2022,
                             indicators, plan, robust, monte_carlo=unc)


def test_operands_only_score_as_with_the_reported_ratios():
    # One derivation for every analysis: ratios come from their operands, so dropping the reported ratios
    # (as the departments' return forms never ask for them) changes no score.
    from lingshou.data.build import load_data

    cat = load_catalogue()
    from lingshou.config import data_folder

    model = bd.load_benchmark_model(None, data_folder(DEFAULT_DATA_DIR))
    data = load_data()
    data = data[data["county"].isin(["灵寿县", "平山县", "景县", "固安县"])]
    ratios = set(cat.derived())
    operands_only = data[~data["indicator"].isin(ratios)]
    full = bd.wide_table(bd.derived_values(data, cat), 2023, model)
    lean = bd.wide_table(bd.derived_values(operands_only, cat), 2023, model)
    pd.testing.assert_frame_equal(full, lean)
    assert score_counties(lean, model)["score"].tolist() == score_counties(full, model)["score"].tolist()
    # without the derivation the ratios would be missing (and imputed as peer medians)
    assert bd.wide_table(operands_only, 2023, model)[sorted(ratios & set(model["indicators"]))].isna().all().all()


def test_check_scorable_says_why_a_year_cannot_be_benchmarked(model, wide, cat):
    from lingshou.errors import NotEnoughData

    bd.check_scorable(wide, "P", 2024, model)                       # four counties, every indicator observed
    with pytest.raises(NotEnoughData, match=r"the 2025 data are not enough for peer benchmarking: Z has no value of "
                                            r"the model's indicators\. Compare once"):
        bd.check_scorable(wide, "Z", 2025, model)
    with pytest.raises(NotEnoughData, match=r"only 2 counties have values \(at least 3 are needed\)"):
        bd.check_scorable(wide.loc[["P", "Q"]], "P", 2025, model)
    gappy = wide.astype(float).assign(x3=np.nan)
    with pytest.raises(NotEnoughData, match=r"2025 年的数据不足以做同组比较：1 项指标没有任何县的数值：x3"):
        bd.check_scorable(gappy, "P", 2025, model)
    # with the catalogue the indicators are named, in both languages
    real = gappy.rename(columns={"x3": "high_tech_enterprises"})
    model3 = {**model, "indicators": {("high_tech_enterprises" if k == "x3" else k): v for k, v in model["indicators"].items()}}
    with pytest.raises(NotEnoughData, match=r"没有任何县的数值：高新技术企业数。.* no value in any county: High-tech enterprises\."):
        bd.check_scorable(real, "P", 2025, model3, cat)


def test_rule_probabilities_add_the_single_drawn_rule(model):
    main, other = pd.DataFrame({"p_grade_A": [1.0]}), pd.DataFrame({"p_grade_A": [0.0]})
    one = {**model, "uncertainty": {**model["uncertainty"], "rules": ["benchmark_ratio"]}}
    assert bd.rule_probabilities(one, main, {"best_peer": other}) == {"best_peer": other, "benchmark_ratio": main}
    # several rules drawn: the main table is no one rule's
    assert bd.rule_probabilities(model, main, {"best_peer": other}) == {"best_peer": other}
