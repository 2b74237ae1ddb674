"""How the benchmarking's numbers are written (percentages, ranks, units, grade bands) and the paragraphs that
read them, in Chinese and English: the sentences are data in ``wording.yaml`` beside this module, the code
chooses and joins them.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from lingshou.errors import ParameterError
from lingshou.i18n import Text, bi, unit_in_text
from lingshou.yamlfile import load_phrases

#: Keys of the results that the text reads.
RESULT_KEYS = ("county", "data_year", "evaluation_round", "n", "score", "rank", "grade", "next_grade", "next_min",
               "to_next_grade", "margin", "p_grade", "p_nominal_grade", "p_keep_grade", "rank_p05", "rank_median",
               "rank_p95", "score_p05", "score_median", "score_p95", "var_shares", "n_sims", "rules", "pillars",
               "qualitative_points", "qualitative_assumed", "imputed", "statuses", "plan", "robust", "published",
               "assumptions")
ASSUMPTION_KEYS = ("title_zh", "title_en", "rule", "rule_assumed", "alternatives", "pillars_assumed", "n_indicators",
                   "indicators_published", "indicators_assumed", "qualitative_points", "qualitative_default",
                   "qualitative_range", "qualitative_assumed", "weight_noise", "imputation", "grades")
#: The scoring rules of lingshou.evaluation.model, described.
RULE_TEXT = {
    "benchmark_ratio": Text("分值×min(数值/基准值, 1)", "points × min(value / benchmark, 1)"),
    "best_peer": Text("分值×数值/同组最高值", "points × value / best peer"),
    "peer_p90": Text("分值×min(数值/同组90%分位数, 1)", "points × min(value / peer 90th percentile, 1)"),
    "goalposts": Text("分值×(数值−同组最低值)/(基准值−同组最低值)，截于0–1", "points × (value − peer minimum) / (benchmark − peer minimum), clipped to 0–1"),
}
RULE_NAME = {"benchmark_ratio": Text("固定基准", "fixed benchmark"), "best_peer": Text("同组最高值", "best peer"),
             "peer_p90": Text("同组90%分位数", "peer 90th percentile"), "goalposts": Text("同组最低值至基准", "peer minimum to benchmark")}
INPUT_TEXT = {"weights": Text("权重", "the weights"), "rule": Text("评分规则", "the scoring rule"),
              "qualitative": Text("定性得分", "the qualitative points"), "imputation": Text("缺失值处理", "the imputation")}
IMPUTATION_TEXT = {"peer_median": Text("同组中位数", "the peer median"), "zero": Text("记0分", "zero points")}
STATUS_TEXT = {"illustrative": Text("示例数据", "illustrative"), "provisional": Text("初步数据", "provisional"),
               "derived": Text("推算", "derived"), "published": Text("公开发布", "published")}
#: The sentences, ``key -> Text`` (wording.yaml).
PHRASES = load_phrases(__file__)
#: Levers named in a sentence; the rest are counted ("等9项").
MAX_LEVERS = 5


def _check(results: Mapping) -> None:
    if not isinstance(results, Mapping):
        raise ParameterError(bi(f"results 应为 benchmark_results 返回的字典，实为 {type(results).__name__}",
                                f"results must be the dict returned by benchmark_results, got {type(results).__name__}"))
    absent = [k for k in RESULT_KEYS if k not in results]
    absent += [f"assumptions.{k}" for k in ASSUMPTION_KEYS if k not in results.get("assumptions", {})]
    if absent:
        raise ParameterError(bi(f"results 缺少键 {absent}", f"results lack key(s) {absent}"))
    if not str(results["county"]).strip():
        raise ParameterError(bi("results 中的县名为空", "results name no county"))


# ---------------------------------------------------------------------------------------------------
# Numbers


def pct(p, lang: str) -> str:
    """A probability (0–1) as a rounded percentage: ``35%`` / ``35 %``; ``<1%`` and ``>99%`` near the ends."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "—"
    value = 100.0 * float(p)
    space = "" if lang == "zh" else " "
    if 0 < value < 0.5:
        return f"<1{space}%"
    if 99.5 <= value < 100:
        return f">99{space}%"
    return f"{value:.0f}{space}%"


def num(x) -> str:
    """A value in its unit: whole numbers without decimals, else 2 significant decimals below 10, 1 below 100."""
    x = float(x)
    if x.is_integer():
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def rank_text(r) -> str:
    """A rank or a rank quantile (a median may fall between two ranks: 19.5)."""
    return f"{float(r):g}"


def _unit(unit: str, lang: str) -> str:
    """A unit after a number in prose: ``万元`` / `` ×10k yuan`` (counts without one in English)."""
    if lang == "zh":
        return unit
    text = unit_in_text(unit, "en") if unit else ""
    return f" {text}" if text else ""


def _say(key: str, lang: str, **values) -> str:
    """The sentence ``key`` of wording.yaml in ``lang``, its placeholders filled."""
    return PHRASES[key].pick(lang).format(**values)


def _join(items, lang: str, sep: str = "list_sep") -> str:
    """Items joined as the language joins a list (``、`` / ``, ``) or, with ``sep="clause_sep"``, clauses."""
    return PHRASES[sep].pick(lang).join(items)


def grade_bands(grades, lang: str) -> str:
    """``A类≥80分、B类60–80分、C类<60分`` / ``A ≥ 80, B 60–80, C < 60`` from the model's grades (top first)."""
    grades = sorted(grades, key=lambda g: -g["min"])
    parts = []
    for i, g in enumerate(grades):
        lo = f"{g['min']:g}"
        if i == 0:
            parts.append(_say("band.top", lang, grade=g["grade"], lo=lo))
        else:
            hi = f"{grades[i - 1]['min']:g}"
            key = "band.bottom" if g["min"] == 0 else "band.middle"
            parts.append(_say(key, lang, grade=g["grade"], lo=lo, hi=hi))
    return _join(parts, lang)


# ---------------------------------------------------------------------------------------------------
# Paragraphs


def _grade_paragraph(r: Mapping, lang: str) -> str:
    a = r["assumptions"]
    grade = r["grade"]
    probs = r["p_grade"]
    mode = max(probs, key=lambda g: probs[g])
    shares = {k: v for k, v in r["var_shares"].items() if v is not None and not math.isnan(v)}
    main = max(shares, key=lambda k: shares[k]) if shares and max(shares.values()) > 0 else None
    text = _say("grade.head", lang, county=r["county"], year=r["data_year"], round=r["evaluation_round"],
                score=r["score"], grade=grade, bands=grade_bands(a["grades"], lang), n_sims=int(r["n_sims"]),
                rule_drawn=_say("grade.rule_drawn", lang) if len(a["alternatives"]) > 1 else "",
                p=pct(r["p_nominal_grade"], lang),
                probabilities=_join((_say("grade.probability", lang, grade=g, p=pct(p, lang)) for g, p in probs.items()),
                                    lang))
    if mode != grade:
        text += _say("grade.mode", lang, grade=mode)
    text += _say("grade.interval", lang, median=r["score_median"], low=r["score_p05"], high=r["score_p95"])
    if main is not None:
        text += _say("grade.main_input", lang, input=INPUT_TEXT[main].pick(lang), share=pct(shares[main], lang))
    return text + _say("full_stop", lang) + _by_rule(r, lang)


def _by_rule(r: Mapping, lang: str) -> str:
    """What each scoring rule gives the county, and how many published grades each reproduces."""
    rows = r.get("by_rule") or []
    if len(rows) < 2:
        return ""
    default = r["assumptions"]["rule"]
    with_published = rows[0]["n_published"] > 0
    items = []
    for row in rows:
        name = RULE_NAME[row["rule"]].pick(lang) if row["rule"] in RULE_NAME else row["rule"]
        tag = ("rule.default" if row["rule"] == default else "rule.not_drawn" if not row.get("drawn", True) else None)
        item = _say("rule.item", lang, name=name, tag=_say(tag, lang) if tag else "", score=row["score"],
                    grade=row["grade"])
        if with_published:
            item += _say("rule.matched", lang, agree=row["n_agree"], published=row["n_published"])
        items.append(item)
    return _say("rule.all", lang, items=_join(items, lang, "clause_sep"))


def peers_label(r: Mapping, lang: str) -> str:
    """Among whom the ranks are ("全省167个县（市、区）"), from the results (older results: "the n counties")."""
    label = r.get("peers_label")
    if label:
        return label[lang]
    return _say("peers.in_data", lang, n=int(r["n"]))


def whole_province(r: Mapping) -> bool:
    """Whether the peers are the whole province (:func:`lingshou.evaluation.benchmarking.lens.choose_peers` labels
    them 全省… only then)."""
    return str((r.get("peers_label") or {}).get("zh", "")).startswith("全省")


def rank_sentence(r: Mapping, lang: str) -> str:
    """"在全省167个县（市、区）中排第19名，在石家庄市22个县（市、区）中排第12名" — every rank says among whom."""
    second = r.get("prefecture_label") if r.get("prefecture") and r.get("peers_label", {}).get("zh") != (
        r.get("prefecture_label") or {}).get("zh") else None
    text = _say("rank.main", lang, peers=peers_label(r, lang), rank=int(r["rank"]))
    if second:
        text += _say("rank.second", lang, peers=second[lang], rank=int(r["prefecture_rank"]))
    return text


def _rank_paragraph(r: Mapping, lang: str) -> str:
    lo, mid, hi = (rank_text(r[k]) for k in ("rank_p05", "rank_median", "rank_p95"))
    if r["next_grade"] is not None:
        distance = _say("rank.to_next", lang, next=r["next_grade"], next_min=r["next_min"], short=r["to_next_grade"],
                        grade=r["grade"], margin=r["margin"])
    else:
        distance = _say("rank.top", lang, grade=r["grade"], margin=r["margin"])
    bottom = r["grade"] == min(r["assumptions"]["grades"], key=lambda g: g["min"])["grade"]
    simulated = (_say("rank.fixed", lang, low=lo) if lo == hi else
                 _say("rank.interval", lang, median=mid, low=lo, high=hi))
    caveat = "" if whole_province(r) else _say("rank.not_province", lang, n=int(r["n"]))
    text = _say("rank.body", lang, rank=rank_sentence(r, lang), simulated=simulated, caveat=caveat, distance=distance)
    if not bottom and r["p_keep_grade"] < 0.5:
        text += _say("rank.keep", lang, grade=r["grade"], p=pct(r["p_keep_grade"], lang))
    return text + _say("full_stop", lang)


def _pillar_item(p: Mapping, n: int, lang: str) -> str:
    text = _say("pillar.item", lang, name=p["pillar"] if lang == "zh" else p["name_en"], gap=abs(p["difference"]),
                side=_say("pillar.above" if p["difference"] > 0 else "pillar.below", lang),
                share=abs(p["difference_pct"]), n=n, rank=p["rank"])
    return text + (_say("pillar.assumed", lang) if p["assumed"] else "")


def _pillar_paragraph(r: Mapping, lang: str) -> str:
    pillars = list(r["pillars"])
    strong = sorted((p for p in pillars if p["label"] == "strength"), key=lambda p: -p["difference_pct"])
    weak = sorted((p for p in pillars if p["label"] == "weakness"), key=lambda p: p["difference_pct"])
    n = int(r["n"])
    none = _say("none", lang)
    return _say("pillar.all", lang, strong=_join((_pillar_item(p, n, lang) for p in strong), lang, "clause_sep") or none,
                weak=_join((_pillar_item(p, n, lang) for p in weak), lang, "clause_sep") or none)


def _move(row: Mapping, lang: str) -> str:
    """``财政科技支出由1,200万元提高到1,500万元`` / ``… from 1,200 ×10k yuan to 1,500 ×10k yuan``."""
    unit = _unit(row["unit"], lang)
    return _say("lever.move", lang, name=row[f"name_{lang}"], current=num(row["current"]), needed=num(row["needed"]),
                unit=unit)


def _lever(row: Mapping, lang: str) -> str:
    return _say("lever.one", lang, move=_move(row, lang), pct=row["increase_pct"], points=row["points_gained"])


def levers(rows, lang: str) -> str:
    """The first :data:`MAX_LEVERS` levers of a plan in a sentence, the rest counted.

    Rows moved by one lever (the fiscal S&T spending and its share of the budget) are one lever: "财政科技支出
    提高27%（财政科技支出由…提高到…、财政科技支出占比由…提高到…，共+5.0分）".
    """
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(str(row.get("lever", row["indicator"])), []).append(row)
    shown = [_lever_group(group, lang) for group in list(groups.values())[:MAX_LEVERS]]
    rest = len(groups) - len(shown)
    return _join(shown, lang, "clause_sep") + (_say("lever.more", lang, n=rest) if rest else "")


def _lever_group(group: list, lang: str) -> str:
    first = group[0]
    if len(group) == 1 and str(first.get("lever", first["indicator"])) == first["indicator"]:
        return _lever(first, lang)
    return _say("lever.group", lang, lever=first.get(f"lever_{lang}", first[f"name_{lang}"]),
                pct=float(first.get("lever_increase_pct", first["increase_pct"])),
                moves=_join((_move(r, lang) for r in group), lang),
                points=sum(float(r["points_gained"]) for r in group))


def _excluded(plan: Mapping, lang: str) -> str:
    items = [e for e in plan.get("excluded", []) if e["reason"] in ("zero", "missing")]
    if not items:
        return ""
    return _say("excluded.all", lang, items=_join((_say("excluded.item", lang, name=e[f"name_{lang}"],
                                                        reason=_say(f"excluded.{e['reason']}", lang))
                                                   for e in items), lang))


def _best(plan: Mapping) -> float:
    """The most a plan can score: the re-scored plan (counts in whole units) when it has rows."""
    return float(plan["score_after"] if plan["rows"] else plan["max_score"])


def _plan_paragraph(r: Mapping, lang: str) -> str:
    plan = r["plan"]
    target, threshold = plan["target_grade"], plan["target_score"]
    rows = plan["rows"]
    if not rows and plan["points_needed"] <= 0:
        return _say("plan.reached", lang, grade=target, threshold=threshold)
    if not plan["reachable"]:
        return _say("plan.unreachable", lang, best=_best(plan), grade=target, threshold=threshold,
                    excluded=_excluded(plan, lang))
    year = r["data_year"] + 1
    text = _say("plan.levers", lang, grade=target, threshold=threshold, needed=plan["points_needed"],
                total=plan["total_increase_pct"], year=year, round=year + 1, levers=levers(rows, lang),
                after=plan["score_after"])
    text += _say("plan.rounded", lang) if plan.get("n_rounded", 0) else ""
    return text + _excluded(plan, lang) + _say("full_stop", lang) + _qualitative_lever(r, rows, lang)


def _qualitative_lever(r: Mapping, rows, lang: str) -> str:
    """What raising the qualitative points takes, when the plan raises them."""
    a = r["assumptions"]
    code = a.get("qualitative_indicator")
    if not code or not any(row["indicator"] == code for row in rows):
        return ""
    items = _join((_say("qualitative.item", lang, name=i[f"name_{lang}"], points=i["points"])
                   for i in a.get("qualitative_items") or []), lang)
    end = _say("qualitative.assumed" if r["qualitative_assumed"] else "full_stop", lang)
    return _say("qualitative.how", lang, items=items) + end


def _robust_sentence(goal: str, plan: Mapping, r: Mapping, lang: str) -> str:
    target, grade = plan["target_grade"], r["grade"]
    p_target, p = pct(plan["probability_target"], lang), pct(plan["probability"], lang)
    keep = goal == "keep_grade" or target == grade
    top = target == max(r["assumptions"]["grades"], key=lambda g: g["min"])["grade"]
    aim = _say("robust.aim_keep" if keep else "robust.aim_reach", lang, grade=target,
               better="" if top else _say("robust.or_better", lang))
    if not plan["rows"] and plan["robust"]:
        return _say("robust.already", lang, aim=aim, p=p, p_target=p_target)
    if not plan["robust"]:
        return _say("robust.out_of_reach", lang, after=plan["score_after"], aim=aim, p=p, p_target=p_target)
    head = (_say("robust.now", lang, aim=aim, p=pct(r["p_keep_grade"], lang)) if keep else
            _say("robust.after_plan", lang, aim=aim, p=pct(plan["probability_plan"], lang)))
    return _say("robust.plan", lang, head=head, p_target=p_target, p=p, after=plan["score_after"],
                margin=plan["margin_used"], levers=levers(plan["rows"], lang))


def _robust_paragraph(r: Mapping, lang: str) -> str | None:
    robust = r["robust"]
    if not robust:
        return None
    return _join((_robust_sentence(goal, plan, r, lang) for goal, plan in robust.items()), lang, "sentence_sep")


def _published_paragraph(r: Mapping, lang: str) -> str:
    pub, rnd = r["published"], r["evaluation_round"]
    if pub is None:
        return _say("published.none", lang, round=rnd)
    text = _say("published.head", lang, round=rnd, n=pub["n"], agree=pub["n_agree"])
    if pub["disagreements"]:
        text += _say("published.differ", lang, items=_join((
            _say("published.difference", lang, county=d["county"], modelled=d["grade_modelled"],
                 published=d["grade_published"], inferred=_say("published.inferred_short", lang) if d["inferred"] else "")
            for d in pub["disagreements"]), lang))
    text += _say("full_stop", lang)
    if pub["county_grade"] is not None:
        text += _say("published.county", lang, county=r["county"], published=pub["county_grade"], grade=r["grade"],
                     inferred=_say("published.inferred_notice", lang) if pub["county_inferred"] else "")
    if pub["n_inferred"]:
        text += _say("published.n_inferred", lang, n=pub["n_inferred"])
    if pub["data_year_inferred"]:
        text += _say("published.year_inferred", lang)
    if "illustrative" in r["statuses"]:
        text += _say("published.illustrative", lang)
    return text
