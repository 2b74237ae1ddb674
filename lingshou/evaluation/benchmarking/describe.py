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
from lingshou.i18n import Text
from lingshou.yamlfile import load_phrases

#: The headline and captions, ``key -> Text`` (describe.yaml).
PHRASES = load_phrases(__file__)


def _say(key: str, **values) -> dict:
    """The text ``key`` of describe.yaml in both languages, ``{"zh": …, "en": …}``, its placeholders filled."""
    return PHRASES[key].format(**values).both()


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
    peers = Text.of(peers_label, r)
    return {
        "title": _say("title"),
        "headline": _say("headline", county=county, year=year, round=rnd, grade=r["grade"],
                         p=Text.of(pct, r["p_nominal_grade"]), rank=Text.of(rank_sentence, r),
                         basis=Text.of(probability_basis, r)),
        "paragraphs": paragraphs,
        "notes": _notes(r),
        "captions": {
            "scores": _say("caption.scores", round=rnd, year=year, peers=peers, county=county),
            "ranks": _say("caption.ranks", n_sims=int(r["n_sims"])),
            "pillars": _say("caption.pillars", county=county),
            "benchmark": _say("caption.benchmark", peers=Text(peers.zh, peers.en.capitalize()), round=rnd),
            "prefecture": _benchmark_caption(r),
            "plan": _say("caption.plan", county=county, grade=r["plan"]["target_grade"], year=year + 1),
            "robust": _robust_caption(r),
            "grades": _say("caption.grades", county=county),
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
        return _say("caption.prefecture", prefecture=Text(label["zh"], label["en"].capitalize()),
                    peers=Text.of(peers_label, r), round=rnd)
    return _say("caption.peers", round=rnd)


def _robust_caption(r: Mapping) -> dict:
    targets = sorted({float(p["probability_target"]) for p in r["robust"].values() if "probability_target" in p})
    if not targets:
        return _say("caption.robust", county=r["county"])
    return _say("caption.robust_at", county=r["county"], p=Text.of(pct, targets[0]))


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
