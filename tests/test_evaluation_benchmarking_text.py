"""Tests of lingshou.evaluation.benchmarking (wording, notes, describe): the benchmarking read in Chinese and English from hand-made results."""
from __future__ import annotations

import copy
import json

import pytest

from lingshou.errors import ParameterError
from lingshou.evaluation.benchmarking import (
    assumption_notes,
    describe_benchmark,
    grade_bands,
    levers,
    num,
    pct,
    summary_items,
)

GRADES = [{"grade": "A", "min": 80.0}, {"grade": "B", "min": 60.0}, {"grade": "C", "min": 0.0}]
ASSUMPTIONS = {
    "model_id": "m", "title_zh": "测试模型", "title_en": "test model", "rule": "benchmark_ratio", "rule_assumed": True,
    "alternatives": ["benchmark_ratio", "best_peer"], "pillars_assumed": ["投入"], "pillars_assumed_en": ["input"],
    "n_indicators": 3, "indicators_published": ["x1"], "indicators_assumed": ["x1", "x2", "x3"],
    "qualitative_points": 15.0, "qualitative_default": 10.0, "qualitative_range": [8.0, 15.0],
    "qualitative_assumed": True, "weight_noise": 0.25, "imputation": ["peer_median", "zero"], "grades": GRADES,
    "data_lag_years": 1,
}


def row(name_zh, name_en, unit, current, needed, pct_, points, rounded=False):
    return {"indicator": name_en, "name_zh": name_zh, "name_en": name_en, "unit": unit, "current": current,
            "needed": needed, "increase_abs": needed - current, "increase_pct": pct_, "points_gained": points,
            "rounded_up": rounded, "lead_unit": "局"}


def make_results() -> dict:
    """灵寿县-like results: 70.6 points, B, rank 19 of 22; P(A) 0, P(B) 0.488, P(C) 0.512."""
    return {
        "county": "甲县", "data_year": 2024, "evaluation_round": 2025, "n": 22, "score": 70.57, "rank": 19,
        "grade": "B", "percentile": 14.3, "next_grade": "A", "next_min": 80.0, "grade_min": 60.0,
        "to_next_grade": 9.43, "margin": 10.57, "p_grade": {"A": 0.0, "B": 0.488, "C": 0.512},
        "p_nominal_grade": 0.488, "p_keep_grade": 0.488, "rank_p05": 18.0, "rank_median": 19.5, "rank_p95": 22.0,
        "score_p05": 42.8, "score_median": 59.5, "score_p95": 71.8,
        "var_shares": {"weights": 0.001, "rule": 0.98, "qualitative": 0.01, "imputation": 0.0},
        "n_sims": 10000, "rules": ["benchmark_ratio", "best_peer"],
        "pillars": [
            {"pillar": "投入", "name_en": "input", "points": 19.0, "max_points": 25.0, "peer_median": 21.0,
             "difference": -2.0, "difference_pct": -8.0, "rank": 16, "label": "weakness", "assumed": False},
            {"pillar": "主体", "name_en": "actors", "points": 16.4, "max_points": 22.0, "peer_median": 15.4,
             "difference": 1.0, "difference_pct": 4.5, "rank": 8, "label": "strength", "assumed": False},
            {"pillar": "管理", "name_en": "management", "points": 10.0, "max_points": 15.0, "peer_median": 13.0,
             "difference": -3.0, "difference_pct": -20.0, "rank": 20, "label": "weakness", "assumed": True},
        ],
        "qualitative_points": 10.0, "qualitative_assumed": True, "imputed": [],
        "data_status": "illustrative", "statuses": ["illustrative"],
        "plan": {"target_grade": "A", "target_score": 80.0, "points_needed": 9.43, "points_planned": 9.43,
                 "max_score": 96.4, "score_after": 80.01, "reachable": True, "total_increase_pct": 76.0,
                 "n_rounded": 1, "excluded": [],
                 "rows": [row("研发强度", "R&D intensity", "%", 0.98, 1.3, 32.7, 2.71),
                          row("高企数", "High-tech firms", "家", 31.0, 37.0, 19.4, 6.72, rounded=True)]},
        "robust": {"next_grade": {"target_grade": "A", "target_score": 96.4, "points_needed": 25.8,
                                  "max_score": 96.4, "score_after": 96.4, "reachable": True, "probability_target": 0.8,
                                  "probability": 0.745, "probability_plan": 0.12, "margin_used": 16.4, "robust": False,
                                  "n_sims": 10000, "n_rounded": 0, "excluded": [], "rows": [
                                      row("研发强度", "R&D intensity", "%", 0.98, 1.3, 32.7, 2.71)]},
                   "keep_grade": {"target_grade": "B", "target_score": 74.1, "points_needed": 3.5,
                                  "max_score": 96.4, "score_after": 74.1, "reachable": True, "probability_target": 0.8,
                                  "probability": 0.81, "probability_plan": 0.488, "margin_used": 14.1, "robust": True,
                                  "n_sims": 10000, "n_rounded": 0, "excluded": [], "rows": [
                                      row("研发强度", "R&D intensity", "%", 0.98, 1.2, 22.4, 1.9)]}},
        "published": None,
        "by_rule": [{"rule": "benchmark_ratio", "score": 70.6, "grade": "B", "rank": 19, "n_published": 0, "n_agree": 0},
                    {"rule": "best_peer", "score": 44.1, "grade": "C", "rank": 20, "n_published": 0, "n_agree": 0}],
        "assumptions": copy.deepcopy(ASSUMPTIONS),
    }


@pytest.fixture
def results() -> dict:
    return make_results()


def text(texts, lang):
    return " ".join(texts["paragraphs"][lang])


# --------------------------------------------------------------------------------------------------
# Helpers


def test_pct_rounds_and_marks_the_ends():
    assert pct(0.488, "zh") == "49%" and pct(0.488, "en") == "49 %"
    assert pct(0.0, "zh") == "0%" and pct(0.001, "zh") == "<1%" and pct(0.999, "en") == ">99 %"
    assert pct(1.0, "zh") == "100%" and pct(None, "zh") == "—"


def test_num_formats_by_size():
    assert [num(2146.5), num(33.64), num(0.98), num(300.0), num(1.0)] == ["2,146", "33.6", "0.98", "300", "1"]


def test_grade_bands_both_languages():
    assert grade_bands(GRADES, "zh") == "A类≥80分、B类60–80分、C类<60分"
    assert grade_bands(list(reversed(GRADES)), "en") == "A ≥ 80, B 60–80, C < 60"


def test_units_in_english():
    money = row("财政科技支出", "fiscal S&T", "万元", 1826.7, 2500.0, 36.9, 1.6)
    rate = row("千家企业科技型中小企业数", "SMEs per 1000", "家/千家", 33.64, 40.0, 18.9, 1.0)
    assert levers([money], "en") == "fiscal S&T from 1,827 ×10k yuan to 2,500 ×10k yuan (+37 %, +1.6 points)"
    assert "from 33.6 per 1,000 firms to 40 per 1,000 firms" in levers([rate], "en")
    assert "由1,827万元提高到2,500万元" in levers([money], "zh")


def test_levers_counts_the_rest():
    rows = [row(f"指标{i}", f"ind{i}", "%", 1.0, 2.0, 100.0, 1.0) for i in range(7)]
    assert levers(rows, "zh").endswith("；另有2项（见表）")
    assert levers(rows[:1], "en") == "ind0 from 1 % to 2 % (+100 %, +1.0 points)"


# --------------------------------------------------------------------------------------------------
# The reading


def test_headline_both_languages(results):
    texts = describe_benchmark(results)
    # the probability and, on the same page, what it rests on and which assumption drives it (the rule: 98 %)
    assert texts["headline"]["zh"] == ("按本套件的假设评价模型，甲县2024年数据对应2025年评价等级为B类（概率约49%），"
                                       "在数据中的22个县（市、区）中排第19名。该概率基于对未公布内容的假设：各指标分值在±25%内"
                                       "随机变动、定性得分在8–15分内取值、评分规则在“固定基准”、“同组最高值”中等概率抽取。"
                                       "其中评分规则影响最大（约占得分方差的98%）。")
    assert texts["headline"]["en"] == ("Under this suite's assumed evaluation model, 甲县's 2024 data give grade B in the "
                                       "2025 evaluation (probability about 49 %), rank 19 of the 22 counties in the data. "
                                       "The probability rests on assumptions about what is not published: each indicator's "
                                       "points varying by ±25 %, the qualitative points drawn within 8–15, the scoring rule "
                                       "drawn between the fixed benchmark and best peer rules. Most of it depends on the scoring "
                                       "rule (about 98 % of the score's variance).")


def test_probability_basis_names_a_rule_shown_but_not_drawn(results):
    # One rule drawn (fixed benchmark: P(B) = 1); the peer-relative rule re-simulated as a comparison gives
    # P(B) = 0.79, P(C) = 0.21: a change of 21 points ≥ 10, so the grade is said to hang on the rule.
    r = {**results, "p_grade": {"A": 0.0, "B": 1.0, "C": 0.0}, "p_nominal_grade": 1.0,
         "var_shares": {"weights": 0.07, "rule": 0.0, "qualitative": 0.92, "imputation": 0.0},
         "assumptions": {**results["assumptions"], "alternatives": ["benchmark_ratio"]},
         "by_rule": [{"rule": "benchmark_ratio", "score": 70.6, "grade": "B", "rank": 19, "n_published": 0,
                      "n_agree": 0, "drawn": True, "p_grade": {"A": 0.0, "B": 1.0, "C": 0.0}},
                     {"rule": "peer_p90", "score": 61.2, "grade": "B", "rank": 20, "n_published": 0, "n_agree": 0,
                      "drawn": False, "p_grade": {"A": 0.0, "B": 0.79, "C": 0.21}}]}
    texts = describe_benchmark(r)
    zh, en = texts["headline"]["zh"], texts["headline"]["en"]
    assert "等级为B类（概率约100%）" in zh and "按“固定基准”评分。其中定性得分影响最大（约占得分方差的92%）。" in zh
    assert zh.endswith("若改按“同组90%分位数”评分（本模型认为它与公布的全省平均分上升不符，未计入概率），评为B类的概率约为"
                       "79%（C类21%）：等级在相当程度上取决于评分规则这一假设。")
    assert "scoring by the fixed benchmark rule" in en and "Most of it depends on the qualitative points (about 92 %" in en
    assert en.endswith("grade B has a probability of about 79 % (C 21 %): the grade depends to a large extent on the "
                       "assumed scoring rule.")
    # the rule paragraph marks the comparison as not drawn
    assert "同组90%分位数（对照，未计入概率）61.2分、B类" in text(texts, "zh")
    # a comparison within 10 points says so; calibrated weights, given qualitative points and imputation are named
    close = copy.deepcopy(r)
    close["by_rule"][1]["p_grade"] = {"A": 0.0, "B": 0.95, "C": 0.05}
    close.update(qualitative_assumed=False, qualitative_points=12.0,
                 imputed=[{"code": "x1", "name_zh": "一", "name_en": "one"}])
    close["assumptions"]["weights_calibrated"] = True
    zh = describe_benchmark(close)["headline"]["zh"]
    assert "各指标分值取自按公布等级校准的样本、定性得分在录入的12分上下2分内取值、缺失值按同组中位数或记0分补齐" in zh
    assert zh.endswith("评为B类的概率约为95%（C类5%），与上述概率相近。")
    # no input above half the variance: no driver named
    even = {**r, "var_shares": {"weights": 0.4, "rule": 0.0, "qualitative": 0.4, "imputation": 0.2}}
    assert "影响最大" not in describe_benchmark(even)["headline"]["zh"]


def test_headline_says_among_whom_province_and_prefecture(results):
    lens = {**results, "n": 167, "rank": 128, "peers_label": {"zh": "全省167个县（市、区）", "en": "the province's 167 counties"},
            "prefecture": "石家庄市", "prefecture_rank": 19, "prefecture_n": 22,
            "prefecture_label": {"zh": "石家庄市22个县（市、区）", "en": "the 22 counties of 石家庄市"}}
    texts = describe_benchmark(lens)
    assert "在全省167个县（市、区）中排第128名，在石家庄市22个县（市、区）中排第19名。该概率" in texts["headline"]["zh"]
    assert "rank 128 of the province's 167 counties and 19 of the 22 counties of 石家庄市. The" in texts["headline"]["en"]
    # among the whole province no caveat that the ranks are not provincial
    assert "不是全省名次" not in texts["paragraphs"]["zh"][1]
    assert texts["captions"]["prefecture"]["zh"].startswith("石家庄市22个县（市、区）的得分、名次（全省167个县（市、区）中）")


def test_grade_rank_and_distance(results):
    texts = describe_benchmark(results)
    zh, en = text(texts, "zh"), text(texts, "en")
    assert "模型得分70.6分，等级为B类（A类≥80分、B类60–80分、C类<60分）" in zh
    assert "（A类0%、B类49%、C类51%）" in zh and "模拟中最可能的等级是C类" in zh
    assert "不确定性主要来自评分规则（约占得分方差的98%）" in zh
    assert "按各评分规则分别计算：固定基准（默认）70.6分、B类；同组最高值44.1分、C类。" in zh
    assert "5%–95%区间为第18–22名" in zh and "模拟名次中位数为第19.5名" in zh
    assert "距A类门槛（80分）还差9.4分，高于B类门槛10.6分" in zh and "保住B类或更高的概率只有约49%" in zh
    assert "(A 0 %, B 49 %, C 51 %)" in en and "The most likely grade in the simulations is C." in en
    assert "best peer 44.1, grade C" in en and "5–95 % interval 18–22" in en
    assert "9.4 points short of grade A (80 points)" in en


def test_pillars_strengths_and_weaknesses(results):
    texts = describe_benchmark(results)
    zh, en = text(texts, "zh"), text(texts, "en")
    assert "优势：主体（比中位数高1.0分，相当于该项满分的4%，22个县（市、区）中第8名）" in zh  # 4.5 rounds to 4 (half to even)
    # weaknesses from the largest gap (in % of the pillar's maximum): 管理 −20 %, then 投入 −8 %
    assert zh.index("管理（比中位数低3.0分") < zh.index("投入（比中位数低2.0分")
    assert "其定性得分为假设值" in zh
    assert "strengths — actors (1.0 points above the median" in en and "its qualitative points assumed" in en


def test_plan_and_robust_sentences(results):
    texts = describe_benchmark(results)
    zh, en = text(texts, "zh"), text(texts, "en")
    assert "升到A类（80分）还需9.4分" in zh and "研发强度由0.98%提高到1.30%（+33%，+2.7分）" in zh
    assert "高企数由31家提高到37家" in zh and "（家数类指标的所需值已向上取整）" in zh
    assert "评为A类的概率也只有约74%，达不到80%" in zh  # not robust: 0.745 → 74 %
    assert "目前保住B类或更高的概率约为49%；要使其达到80%（稳健方案，模拟概率约81%）" in zh
    assert "the probability of grade A is only about 74 %, short of 80 %" in en
    assert "High-tech firms from 31 to 37 (+19 %" in en


def test_plan_already_met_and_unreachable(results):
    met = copy.deepcopy(results)
    met["plan"].update(rows=[], points_needed=0.0, target_grade="A", target_score=80.0)
    assert "无需提高指标即可保持" in text(describe_benchmark(met), "zh")
    unreachable = copy.deepcopy(results)
    # the re-scored plan (whole counts) is what the county can reach at most
    unreachable["plan"].update(reachable=False, max_score=77.9, score_after=77.5,
                               excluded=[{"code": "x9", "name_zh": "园区数", "name_en": "parks", "reason": "zero"}])
    zh, en = text(describe_benchmark(unreachable), "zh"), text(describe_benchmark(unreachable), "en")
    assert "最高也只有77.5分，仍达不到A类（80分）（园区数（当前为0）无法按百分比提高，未计入）" in zh
    assert "at most 77.5 points, short of grade A (80 points) (parks (at 0) cannot be raised" in en


def test_top_grade_reads_as_keeping_it(results):
    top = copy.deepcopy(results)
    top.update(grade="A", next_grade=None, next_min=None, margin=5.2, p_nominal_grade=0.9, p_keep_grade=0.9,
               p_grade={"A": 0.9, "B": 0.1, "C": 0.0})
    top["robust"] = {"next_grade": {**results["robust"]["next_grade"], "rows": [], "robust": True, "probability": 0.9}}
    zh, en = text(describe_benchmark(top), "zh"), text(describe_benchmark(top), "en")
    assert "已是最高等级A类，高出门槛5.2分" in zh and "保住A类的概率已约为90%" in zh
    assert "It holds the top grade A, 5.2 points above its minimum" in en
    assert "the probability of keeping grade A is already about 90 %" in en


def test_rank_that_never_moves(results):
    fixed = {**results, "rank_p05": 1.0, "rank_median": 1.0, "rank_p95": 1.0}
    texts = describe_benchmark(fixed)
    assert "模拟中名次始终为第1名（5%–95%）" in text(texts, "zh") and "the simulated rank stays 1 (5–95 %)" in text(texts, "en")


def test_note_on_counts_rounded_down_or_dropped(results):
    res = copy.deepcopy(results)
    res["plan"].update(n_rounded_down=1, dropped=[{"code": "x9", "name_zh": "园区数", "name_en": "parks"}])
    zh, en = " ".join(describe_benchmark(res)["notes"]["zh"]), " ".join(describe_benchmark(res)["notes"]["en"])
    assert "只能向下取整，园区数提高不到一个整数单位而未计入" in zh
    assert "parks cannot gain one whole unit and were left out" in en
    assert "向下取整" not in " ".join(describe_benchmark(results)["notes"]["zh"])


def test_published_grades_agree_and_disagree(results):
    res = copy.deepcopy(results)
    res["published"] = {"round": 2025, "n": 3, "n_agree": 2, "n_inferred": 1, "data_year_inferred": True,
                        "county_grade": "C", "county_inferred": True,
                        "disagreements": [{"county": "甲县", "grade_modelled": "B", "grade_published": "C", "inferred": True}]}
    zh, en = text(describe_benchmark(res), "zh"), text(describe_benchmark(res), "en")
    assert "本组3个县（市、区）的等级，其中2个与模型等级一致；不一致的有：甲县（模型B类，公布C类，推断）。" in zh
    assert "甲县公布为C类（由通报文字推断），模型为B类。" in zh and "1个公布等级是由通报文字推断的" in zh
    assert "示例数据是按公布等级生成的" in zh
    assert "they differ for 甲县 (model B, published C, inferred)" in en
    res["statuses"] = ["published"]
    assert "示例数据是按公布等级生成的" not in text(describe_benchmark(res), "zh")


def test_no_published_grades(results):
    assert "2025年评价没有本组县（市、区）的公布等级记录" in text(describe_benchmark(results), "zh")


def test_notes_name_every_assumption(results):
    notes = describe_benchmark(results)["notes"]
    zh, en = " ".join(notes["zh"]), " ".join(notes["en"])
    assert "评分规则（默认为“固定基准”：分值×min(数值/基准值, 1)）" in zh and "一级指标投入的分值" in zh
    # rules by their names, never by their codes (benchmark_ratio, best_peer) or parameter names
    assert "2种评分规则（“固定基准”、“同组最高值”）" in zh and "(fixed benchmark, best peer)" in en
    assert not any(w in zh + en for w in ("benchmark_ratio", "best_peer", "max_increase_pct", "qualitative_points"))
    assert "3项定量指标的选择、分值和基准值（只有1项的名称见于公开文件）" in zh
    assert "默认值10分及合理范围8–15分" in zh and "U(1−25%, 1+25%)" in zh
    assert "甲县的创新管理定性得分没有录入，按模型默认值10分计（假设）" in zh
    assert "向上取整" in zh and "示例数据（非官方统计）" in zh
    assert "the points of 1 pillars (input)" in en and "only 1 are named in a published source" in en


def test_notes_given_qualitative_and_imputed(results):
    res = copy.deepcopy(results)
    res.update(qualitative_assumed=False, qualitative_points=12.5, statuses=["published"],
               imputed=[{"code": "x2", "name_zh": "乙", "name_en": "two"}])
    for plan in [res["plan"], *res["robust"].values()]:
        plan["n_rounded"] = 0
    notes = describe_benchmark(res)["notes"]
    zh, en = " ".join(notes["zh"]), " ".join(notes["en"])
    assert "定性得分12.5分取自数据或分析人员录入" in zh and "按同组中位数补齐：乙" in zh
    assert "lacks values of: two" in en
    assert "向上取整" not in zh and "示例数据" not in zh


def test_assumption_notes_without_assumptions():
    a = {**ASSUMPTIONS, "rule_assumed": False, "pillars_assumed": [], "pillars_assumed_en": [],
         "indicators_assumed": [], "qualitative_assumed": False}
    notes = assumption_notes(a)
    # only the note on the uncertainty settings remains
    assert len(notes["zh"]) == 1 and notes["zh"][0].startswith("不确定性分析")


def test_captions_tables_and_summary_items(results):
    texts = describe_benchmark(results)
    assert texts["captions"]["robust"]["zh"] == "甲县稳健方案（模拟概率不低于80%）"
    for table in texts["tables"].values():
        assert len(table["columns"]) == len(table["labels"]["zh"]) == len(table["labels"]["en"])
    assert texts["tables"]["benchmark"]["columns"][4:7] == ["p_grade_A", "p_grade_B", "p_grade_C"]
    items = summary_items(texts, max_rows=5)
    assert [f["file"] for f in items["figures"]] == ["figures/benchmark_scores.png", "figures/benchmark_ranks.png",
                                                      "figures/benchmark_pillars.png"]
    # the report prints the county's prefecture; the province's table stays in tables/benchmark.csv
    assert [t["file"] for t in items["tables"]] == ["tables/benchmark_prefecture.csv", "tables/what_it_takes.csv",
                                                     "tables/what_it_takes_robust.csv", "tables/modelled_grades.csv"]
    assert all(t["max_rows"] == 5 for t in items["tables"])


def test_reads_its_json_round_trip(results):
    again = json.loads(json.dumps(results, ensure_ascii=False))
    assert describe_benchmark(again) == describe_benchmark(results)


def test_errors(results):
    with pytest.raises(ParameterError, match="results must be the dict returned by benchmark_results"):
        describe_benchmark([1, 2])
    broken = {k: v for k, v in results.items() if k != "p_grade"}
    with pytest.raises(ParameterError, match=r"results lack key\(s\) \['p_grade'\]"):
        describe_benchmark(broken)
    broken = copy.deepcopy(results)
    del broken["assumptions"]["rule"]
    with pytest.raises(ParameterError, match=r"results lack key\(s\) \['assumptions.rule'\]"):
        describe_benchmark(broken)
    with pytest.raises(ParameterError, match="results name no county"):
        describe_benchmark({**results, "county": " "})


def test_assumption_notes_of_a_calibrated_model():
    a = {**ASSUMPTIONS, "weights_calibrated": True, "calibration_rounds": [2021, 2023]}
    notes = assumption_notes(a)
    assert "每次模拟从校准样本（与2021、2023年已公布等级一致的分值）中抽取一组分值" in notes["zh"][-1]
    assert "draws the points from the calibration sample (points consistent with the published grades of 2021, 2023)" \
        in notes["en"][-1]
    assert "U(1" not in notes["en"][-1]


def test_plan_on_levers_reads_as_levers(results):
    # the fiscal S&T spending moves its share (one lever, +27 %), the qualitative points are a lever of their own
    spend = {**row("财政科技支出", "fiscal S&T", "万元", 1967.0, 2500.0, 27.1, 1.2), "indicator": "x1", "lever": "x1",
             "lever_zh": "财政科技支出", "lever_en": "fiscal S&T", "lever_increase_pct": 27.1}
    share = {**row("财政科技支出占比", "fiscal S&T share", "%", 0.66, 0.84, 27.1, 1.5), "indicator": "x2", "lever": "x1",
             "lever_zh": "财政科技支出", "lever_en": "fiscal S&T", "lever_increase_pct": 27.1}
    qual = {**row("定性得分", "qualitative points", "分", 11.5, 15.0, 30.4, 3.5), "indicator": "innovation_management",
            "lever": "innovation_management", "lever_increase_pct": 30.4}
    r = copy.deepcopy(results)
    r["plan"].update(rows=[spend, share, qual], total_increase_pct=57.5)
    r["assumptions"].update(qualitative_indicator="innovation_management",
                            qualitative_items=[{"name_zh": "机构", "name_en": "organisation", "points": 5.0},
                                               {"name_zh": "政策", "name_en": "policy", "points": 10.0}])
    zh = describe_benchmark(r)["paragraphs"]["zh"][3]
    assert "（主要抓手，合计+58%，所需值为2025年数据、2026年评价）是：" in zh
    assert ("财政科技支出提高27%（财政科技支出由1,967万元提高到2,500万元、财政科技支出占比由0.66%提高到0.84%，共+2.7分）；"
            "定性得分由11.5分提高到15分（+30%，+3.5分）") in zh
    assert zh.endswith("定性得分由省里按机构（5分）、政策（10分）评定，提高它靠的是这些管理工作（领导小组、科技管理队伍、政策落实"
                       "和督导考核）的实绩；本县得分为模型默认值（假设），此项只说明方向。")
    en = describe_benchmark(r)["paragraphs"]["en"][3]
    assert "fiscal S&T up 27 % (fiscal S&T from 1,967 ×10k yuan to 2,500 ×10k yuan, fiscal S&T share from 0.66 % to 0.84 %; +2.7 points in all)" in en
    notes = " ".join(describe_benchmark(r)["notes"]["zh"])
    assert "“达到目标所需”在部门能掌握的抓手上求解" in notes


def test_notes_with_one_rule_drawn_and_one_shown(results):
    a = {**results["assumptions"], "alternatives": ["benchmark_ratio"], "sensitivity_rules": ["peer_p90"]}
    notes = assumption_notes(a)
    assert "评分规则固定为“固定基准”（“同组90%分位数”规则只作对照，另行模拟，不计入概率）" in notes["zh"][-1]
    assert "keeps the fixed benchmark scoring rule (the peer 90th percentile rule only as a comparison" in notes["en"][-1]
    r = {**results, "assumptions": a}
    assert "对未公布的权重、定性得分和缺失值处理做10,000次随机模拟" in describe_benchmark(r)["paragraphs"]["zh"][0]
