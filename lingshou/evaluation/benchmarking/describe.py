"""The benchmarking's prose for the notebook and the report: headline, paragraphs, notes and the summary's
items.
"""
from __future__ import annotations

from collections.abc import Mapping

from lingshou.evaluation.benchmarking.basis import probability_basis
from lingshou.evaluation.benchmarking.notes import _notes
from lingshou.evaluation.benchmarking.wording import (
    _check,
    _grade_paragraph,
    _pillar_paragraph,
    _plan_paragraph,
    _published_paragraph,
    _rank_paragraph,
    _robust_paragraph,
    pct,
    peers_label,
    rank_sentence,
    whole_province,
)

# ---------------------------------------------------------------------------------------------------
# Public


def describe_benchmark(results: Mapping) -> dict:
    """Texts that read the peer benchmarking, in both languages.

    Parameters
    ----------
    results : mapping
        :func:`lingshou.evaluation.benchmarking.benchmark_results` (or its JSON round trip).

    Returns
    -------
    dict
        In the shape of :func:`lingshou.report.summary.write_summary`, every text ``{"zh": …, "en": …}``:
        ``title``; ``headline`` (e.g. "按本套件的假设评价模型，灵寿县2024年数据对应2025年评价等级为B类（概率约
        48%），在22个县（市、区）中排第19名。"); ``paragraphs`` (grade and probability; rank, its interval and the
        distance to the next grade; pillar strengths and weaknesses; the levers; the robust plan(s);
        published grades); ``notes`` (every assumption, the qualitative points, imputation, peers, rounding,
        illustrative data); ``captions`` (``scores, ranks, pillars, benchmark, plan, robust, grades``) and
        ``tables`` (``benchmark, plan, robust, grades``: ``columns`` and ``labels`` for the report).

    Raises
    ------
    ParameterError
        If ``results`` is not a mapping or lacks a key of :data:`RESULT_KEYS` / :data:`ASSUMPTION_KEYS`.
    """
    _check(results)
    r = results
    county, year, rnd = r["county"], r["data_year"], r["evaluation_round"]
    paragraphs = {}
    for lang in ("zh", "en"):
        items = [_grade_paragraph(r, lang), _rank_paragraph(r, lang), _pillar_paragraph(r, lang), _plan_paragraph(r, lang),
                 _robust_paragraph(r, lang), _published_paragraph(r, lang)]
        paragraphs[lang] = [p for p in items if p]
    p = r["p_nominal_grade"]
    headline = {
        "zh": f"按本套件的假设评价模型，{county}{year}年数据对应{rnd}年评价等级为{r['grade']}类（概率约{pct(p, 'zh')}），"
              f"{rank_sentence(r, 'zh')}。" + probability_basis(r, "zh"),
        "en": f"Under this suite's assumed evaluation model, {county}'s {year} data give grade {r['grade']} in the {rnd} "
              f"evaluation (probability about {pct(p, 'en')}), {rank_sentence(r, 'en')}. " + probability_basis(r, "en"),
    }
    n_sims = int(r["n_sims"])
    return {
        "title": {"zh": "同组县比较与省级评价等级", "en": "Peer benchmarking and the provincial evaluation grade"},
        "headline": headline,
        "paragraphs": paragraphs,
        "notes": _notes(r),
        "captions": {
            "scores": {"zh": f"{rnd}年评价（{year}年数据）：{peers_label(r, 'zh')}的模型得分与等级区间，{county}突出显示（假设模型）",
                       "en": f"{rnd} evaluation ({year} data): model scores of {peers_label(r, 'en')} with the grade bands, "
                             f"{county} highlighted (assumed model)"},
            "ranks": {"zh": f"模拟名次：中位数与5%–95%区间（{n_sims:,}次模拟）",
                      "en": f"Simulated ranks: median and 5–95 % interval ({n_sims:,} simulations)"},
            "pillars": {"zh": f"{county}各一级指标得分（占该项满分的%）与同组中位数",
                        "en": f"{county}: pillar points (% of each pillar's maximum) against the peer median"},
            "benchmark": {"zh": f"{peers_label(r, 'zh')}的得分、名次与等级概率（{rnd}年评价）",
                          "en": f"{peers_label(r, 'en').capitalize()}: scores, ranks and grade probabilities ({rnd} evaluation)"},
            "prefecture": _benchmark_caption(r),
            "plan": {"zh": f"{county}升到{r['plan']['target_grade']}类所需（确定性模型；所需值为{year + 1}年数据，"
                           f"同一抓手带动的指标同比例提高）",
                     "en": f"{county}: what it takes to reach grade {r['plan']['target_grade']} (deterministic model; values "
                           f"needed in the {year + 1} data; the indicators one lever moves rise in proportion)"},
            "robust": _robust_caption(r),
            "grades": {"zh": f"{county}各年数据对应的模型等级", "en": f"{county}: modelled grade by data year"},
        },
        "tables": _report_tables(r),
    }


def _report_tables(r: Mapping) -> dict:
    """The report's tables of the benchmarking: the columns printed and their labels in both languages."""
    grades = list(r["p_grade"])
    return {
        "benchmark": {
            "columns": ["county", "score", "rank", "grade", *[f"p_grade_{g}" for g in grades], "rank_p05",
                        "rank_median", "rank_p95", "grade_published", "data_status"],
            "labels": {"zh": ["县（市、区）", "得分", "名次", "等级", *[f"{g}类概率" for g in grades], "名次5%",
                              "名次中位数", "名次95%", "公布等级", "数据状态"],
                       "en": ["County", "Score", "Rank", "Grade", *[f"P({g})" for g in grades], "Rank p5",
                              "Rank median", "Rank p95", "Published", "Data status"]},
        },
        "prefecture": {
            "columns": ["county", "score", "prefecture_rank", "rank", "grade", *[f"p_grade_{g}" for g in grades],
                        "grade_published", "data_status"],
            "labels": {"zh": ["县（市、区）", "得分", "市内名次", "全省名次" if whole_province(r) else "名次", "等级",
                              *[f"{g}类概率" for g in grades], "公布等级", "数据状态"],
                       "en": ["County", "Score", "Rank in prefecture", "Provincial rank" if whole_province(r) else "Rank",
                              "Grade", *[f"P({g})" for g in grades], "Published", "Data status"]},
        },
        "plan": {
            "columns": ["name_shown", "unit", "current", "needed", "increase_pct", "points_gained", "lead_unit",
                        "responsible_units"],
            "labels": {"zh": ["指标（抓手）", "单位", "现值", "所需值", "增幅(%)", "增加得分", "牵头单位", "责任单位"],
                       "en": ["Indicator (lever)", "Unit", "Current", "Needed", "Increase (%)", "Points gained",
                              "Lead unit", "Responsible units"]},
        },
        "robust": {
            "columns": ["target_grade", "name_shown", "unit", "current", "needed", "increase_pct", "points_gained"],
            "labels": {"zh": ["目标等级", "指标（抓手）", "单位", "现值", "所需值", "增幅(%)", "增加得分"],
                       "en": ["Target", "Indicator (lever)", "Unit", "Current", "Needed", "Increase (%)",
                              "Points gained"]},
        },
        "grades": {
            "columns": ["data_year", "evaluation_round", "score", "grade", "rank", "n"],
            "labels": {"zh": ["数据年份", "评价年度", "得分", "等级", "名次", "县数"],
                       "en": ["Data year", "Round", "Score", "Grade", "Rank", "Counties"]},
        },
    }


def _benchmark_caption(r: Mapping) -> dict:
    """The report prints the county's own prefecture (a province of 167 rows is in tables/benchmark.csv)."""
    rnd = r["evaluation_round"]
    if r.get("prefecture"):
        label = r["prefecture_label"]
        return {"zh": f"{label['zh']}的得分、名次（{peers_label(r, 'zh')}中）与等级概率（{rnd}年评价）",
                "en": f"{label['en'].capitalize()}: scores, ranks (among {peers_label(r, 'en')}) and grade probabilities "
                      f"({rnd} evaluation)"}
    return {"zh": f"同组县得分、名次与等级概率（{rnd}年评价）", "en": f"Peers: scores, ranks and grade probabilities ({rnd} evaluation)"}


def _robust_caption(r: Mapping) -> dict:
    county = r["county"]
    targets = sorted({float(p["probability_target"]) for p in r["robust"].values() if "probability_target" in p})
    if not targets:
        return {"zh": f"{county}稳健方案", "en": f"{county}: robust plans"}
    return {"zh": f"{county}稳健方案（模拟概率不低于{pct(targets[0], 'zh')}）",
            "en": f"{county}: robust plans (simulated probability at least {pct(targets[0], 'en')})"}


#: Tables printed in the report: the county's prefecture rather than all peers (the province's 167 rows stay in
#: tables/benchmark.csv).
REPORT_TABLES = ("prefecture", "plan", "robust", "grades")


def summary_items(texts: Mapping, max_rows: int = 30) -> dict:
    """The figures and tables of the summary, with their captions and report columns.

    Parameters
    ----------
    texts : mapping
        :func:`describe_benchmark`.
    max_rows : int
        Rows of each table printed in the report.

    Returns
    -------
    dict
        ``figures`` and ``tables`` in the shape of :func:`lingshou.report.summary.write_summary`, for the files
        of :data:`lingshou.evaluation.benchmarking.FIGURE_FILES` and :data:`lingshou.evaluation.benchmarking.TABLE_FILES`.
    """
    from lingshou.evaluation.benchmarking.inputs import FIGURE_FILES, TABLE_FILES

    figures = [{"file": f"figures/{name}", "caption": texts["captions"][key]} for key, name in FIGURE_FILES.items()]
    tables = [{"file": f"tables/{name}", "caption": texts["captions"][key], "max_rows": int(max_rows), **texts["tables"][key]}
              for key, name in TABLE_FILES.items() if key in REPORT_TABLES]
    return {"figures": figures, "tables": tables}
