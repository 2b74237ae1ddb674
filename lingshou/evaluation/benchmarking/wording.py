"""How the benchmarking's numbers are written (percentages, ranks, units, grade bands) and the paragraphs that
read them, in Chinese and English.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from lingshou.errors import ParameterError
from lingshou.i18n import bi, unit_in_text

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
    "benchmark_ratio": ("分值×min(数值/基准值, 1)", "points × min(value / benchmark, 1)"),
    "best_peer": ("分值×数值/同组最高值", "points × value / best peer"),
    "peer_p90": ("分值×min(数值/同组90%分位数, 1)", "points × min(value / peer 90th percentile, 1)"),
    "goalposts": ("分值×(数值−同组最低值)/(基准值−同组最低值)，截于0–1",
                  "points × (value − peer minimum) / (benchmark − peer minimum), clipped to 0–1"),
}
RULE_NAME = {"benchmark_ratio": ("固定基准", "fixed benchmark"), "best_peer": ("同组最高值", "best peer"),
             "peer_p90": ("同组90%分位数", "peer 90th percentile"), "goalposts": ("同组最低值至基准", "peer minimum to benchmark")}
INPUT_TEXT = {"weights": ("权重", "the weights"), "rule": ("评分规则", "the scoring rule"),
              "qualitative": ("定性得分", "the qualitative points"), "imputation": ("缺失值处理", "the imputation")}
IMPUTATION_TEXT = {"peer_median": ("同组中位数", "the peer median"), "zero": ("记0分", "zero points")}
STATUS_TEXT = {"illustrative": ("示例数据", "illustrative"), "provisional": ("初步数据", "provisional"),
               "derived": ("推算", "derived"), "published": ("公开发布", "published")}
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


def grade_bands(grades, lang: str) -> str:
    """``A类≥80分、B类60–80分、C类<60分`` / ``A ≥ 80, B 60–80, C < 60`` from the model's grades (top first)."""
    grades = sorted(grades, key=lambda g: -g["min"])
    parts = []
    for i, g in enumerate(grades):
        lo = f"{g['min']:g}"
        if i == 0:
            parts.append(f"{g['grade']}类≥{lo}分" if lang == "zh" else f"{g['grade']} ≥ {lo}")
        elif g["min"] == 0:
            hi = f"{grades[i - 1]['min']:g}"
            parts.append(f"{g['grade']}类<{hi}分" if lang == "zh" else f"{g['grade']} < {hi}")
        else:
            hi = f"{grades[i - 1]['min']:g}"
            parts.append(f"{g['grade']}类{lo}–{hi}分" if lang == "zh" else f"{g['grade']} {lo}–{hi}")
    return "、".join(parts) if lang == "zh" else ", ".join(parts)


# ---------------------------------------------------------------------------------------------------
# Paragraphs


def _grade_paragraph(r: Mapping, lang: str) -> str:
    a = r["assumptions"]
    county, year, rnd, grade = r["county"], r["data_year"], r["evaluation_round"], r["grade"]
    probs = r["p_grade"]
    mode = max(probs, key=lambda g: probs[g])
    shares = {k: v for k, v in r["var_shares"].items() if v is not None and not math.isnan(v)}
    main = max(shares, key=lambda k: shares[k]) if shares and max(shares.values()) > 0 else None
    n_sims = int(r["n_sims"])
    if lang == "zh":
        text = (f"按本套件的假设评价模型（评分方法未公布，见说明），{county}{year}年数据对应{rnd}年评价，模型得分"
                f"{r['score']:.1f}分，等级为{grade}类（{grade_bands(a['grades'], 'zh')}）。对未公布的权重、"
                f"{'评分规则、' if len(a['alternatives']) > 1 else ''}定性得分和缺失值处理做{n_sims:,}次随机模拟，评为{grade}类的概率约为{pct(r['p_nominal_grade'], 'zh')}（"
                + "、".join(f"{g}类{pct(p, 'zh')}" for g, p in probs.items()) + "）。")
        if mode != grade:
            text += f"模拟中最可能的等级是{mode}类。"
        text += f"模拟得分中位数{r['score_median']:.1f}分，90%区间{r['score_p05']:.1f}–{r['score_p95']:.1f}分"
        if main is not None:
            text += f"；不确定性主要来自{INPUT_TEXT[main][0]}（约占得分方差的{pct(shares[main], 'zh')}）"
        return text + "。" + _by_rule(r, "zh")
    text = (f"Under this suite's assumed evaluation model (the method is not published; see the notes), {county}'s "
            f"{year} data give {r['score']:.1f} points in the {rnd} evaluation: grade {grade} "
            f"({grade_bands(a['grades'], 'en')}). Across {n_sims:,} simulations of the unpublished weights, "
            f"{'scoring rule, ' if len(a['alternatives']) > 1 else ''}qualitative points and imputation, the probability of grade {grade} is about "
            f"{pct(r['p_nominal_grade'], 'en')} (" + ", ".join(f"{g} {pct(p, 'en')}" for g, p in probs.items()) + ").")
    if mode != grade:
        text += f" The most likely grade in the simulations is {mode}."
    text += (f" The simulated score has median {r['score_median']:.1f} and 90 % interval "
             f"{r['score_p05']:.1f}–{r['score_p95']:.1f}")
    if main is not None:
        text += f"; most of its uncertainty comes from {INPUT_TEXT[main][1]} (about {pct(shares[main], 'en')} of the variance)"
    return text + "." + _by_rule(r, "en")


def _by_rule(r: Mapping, lang: str) -> str:
    """What each scoring rule gives the county, and how many published grades each reproduces."""
    rows = r.get("by_rule") or []
    if len(rows) < 2:
        return ""
    default = r["assumptions"]["rule"]
    with_published = rows[0]["n_published"] > 0
    items = []
    for row in rows:
        zh_name, en_name = RULE_NAME.get(row["rule"], (row["rule"], row["rule"]))
        if lang == "zh":
            tag = "（默认）" if row["rule"] == default else ("（对照，未计入概率）" if not row.get("drawn", True) else "")
            item = f"{zh_name}{tag}{row['score']:.1f}分、{row['grade']}类"
            item += f"，公布等级吻合{row['n_agree']}/{row['n_published']}" if with_published else ""
        else:
            tag = " (default)" if row["rule"] == default else (" (comparison, not drawn)" if not row.get("drawn", True) else "")
            item = f"{en_name}{tag} {row['score']:.1f}, grade {row['grade']}"
            item += f", {row['n_agree']}/{row['n_published']} published grades matched" if with_published else ""
        items.append(item)
    if lang == "zh":
        return "按各评分规则分别计算：" + "；".join(items) + "。"
    return " By scoring rule: " + "; ".join(items) + "."


def peers_label(r: Mapping, lang: str) -> str:
    """Among whom the ranks are ("全省167个县（市、区）"), from the results (older results: "the n counties")."""
    label = r.get("peers_label")
    if label:
        return label[lang]
    n = int(r["n"])
    return f"数据中的{n}个县（市、区）" if lang == "zh" else f"the {n} counties in the data"


def whole_province(r: Mapping) -> bool:
    """Whether the peers are the whole province (:func:`lingshou.evaluation.benchmarking.lens.choose_peers` labels
    them 全省… only then)."""
    return str((r.get("peers_label") or {}).get("zh", "")).startswith("全省")


def rank_sentence(r: Mapping, lang: str) -> str:
    """"在全省167个县（市、区）中排第19名，在石家庄市22个县（市、区）中排第12名" — every rank says among whom."""
    main = peers_label(r, lang)
    second = r.get("prefecture_label") if r.get("prefecture") and r.get("peers_label", {}).get("zh") != (
        r.get("prefecture_label") or {}).get("zh") else None
    if lang == "zh":
        text = f"在{main}中排第{int(r['rank'])}名"
        return text + (f"，在{second['zh']}中排第{int(r['prefecture_rank'])}名" if second else "")
    text = f"rank {int(r['rank'])} of {main}"
    return text + (f" and {int(r['prefecture_rank'])} of {second['en']}" if second else "")


def _rank_paragraph(r: Mapping, lang: str) -> str:
    n = int(r["n"])
    lo, mid, hi = (rank_text(r[k]) for k in ("rank_p05", "rank_median", "rank_p95"))
    fixed = lo == hi
    if r["next_grade"] is not None:
        dist_zh = (f"距{r['next_grade']}类门槛（{r['next_min']:g}分）还差{r['to_next_grade']:.1f}分，"
                   f"高于{r['grade']}类门槛{r['margin']:.1f}分")
        dist_en = (f"It is {r['to_next_grade']:.1f} points short of grade {r['next_grade']} ({r['next_min']:g} points) "
                   f"and {r['margin']:.1f} points above the minimum of grade {r['grade']}")
    else:
        dist_zh = f"已是最高等级{r['grade']}类，高出门槛{r['margin']:.1f}分"
        dist_en = f"It holds the top grade {r['grade']}, {r['margin']:.1f} points above its minimum"
    bottom = r["grade"] == min(r["assumptions"]["grades"], key=lambda g: g["min"])["grade"]
    if lang == "zh":
        sim = f"模拟中名次始终为第{lo}名（5%–95%）" if fixed else f"模拟名次中位数为第{mid}名，5%–95%区间为第{lo}–{hi}名"
        caveat = "" if whole_province(r) else f"名次只相对于这{n}个县（市、区），不是全省名次。"
        text = f"{rank_sentence(r, 'zh')}；{sim}。{caveat}{dist_zh}"
        if not bottom and r["p_keep_grade"] < 0.5:
            text += f"；但模拟中保住{r['grade']}类或更高的概率只有约{pct(r['p_keep_grade'], 'zh')}"
        return text + "。"
    sim = (f"the simulated rank stays {lo} (5–95 %)" if fixed else
           f"the simulated rank has median {mid} and 5–95 % interval {lo}–{hi}")
    caveat = "" if whole_province(r) else f"Ranks are relative to these {n} counties, not to the province. "
    text = f"It is {rank_sentence(r, 'en')}; {sim}. {caveat}{dist_en}"
    if not bottom and r["p_keep_grade"] < 0.5:
        text += f"; but the probability of keeping grade {r['grade']} or better is only about {pct(r['p_keep_grade'], 'en')}"
    return text + "."


def _pillar_item(p: Mapping, n: int, lang: str) -> str:
    name = p["pillar"] if lang == "zh" else p["name_en"]
    gap, share = abs(p["difference"]), abs(p["difference_pct"])
    if lang == "zh":
        side = "高" if p["difference"] > 0 else "低"
        text = f"{name}（比中位数{side}{gap:.1f}分，相当于该项满分的{share:.0f}%，{n}个县（市、区）中第{p['rank']}名）"
        return text + ("，其定性得分为假设值" if p["assumed"] else "")
    side = "above" if p["difference"] > 0 else "below"
    text = f"{name} ({gap:.1f} points {side} the median, {share:.0f} % of its maximum; rank {p['rank']} of {n})"
    return text + (", its qualitative points assumed" if p["assumed"] else "")


def _pillar_paragraph(r: Mapping, lang: str) -> str:
    pillars = list(r["pillars"])
    strong = sorted((p for p in pillars if p["label"] == "strength"), key=lambda p: -p["difference_pct"])
    weak = sorted((p for p in pillars if p["label"] == "weakness"), key=lambda p: p["difference_pct"])
    none = "无" if lang == "zh" else "none"
    n = int(r["n"])
    sep = "；" if lang == "zh" else "; "
    s = sep.join(_pillar_item(p, n, lang) for p in strong)
    w = sep.join(_pillar_item(p, n, lang) for p in weak)
    if lang == "zh":
        return f"与同组中位数相比（按一级指标得分），优势：{s or none}。弱项：{w or none}。"
    return f"Against the peer median (pillar points): strengths — {s or none}. Weaknesses — {w or none}."


def _lever(row: Mapping, lang: str) -> str:
    unit = _unit(row["unit"], lang)
    name = row["name_zh"] if lang == "zh" else row["name_en"]
    if lang == "zh":
        return (f"{name}由{num(row['current'])}{unit}提高到{num(row['needed'])}{unit}"
                f"（+{row['increase_pct']:.0f}%，+{row['points_gained']:.1f}分）")
    return (f"{name} from {num(row['current'])}{unit} to {num(row['needed'])}{unit} "
            f"(+{row['increase_pct']:.0f} %, +{row['points_gained']:.1f} points)")


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
    if lang == "zh":
        return "；".join(shown) + (f"；另有{rest}项（见表）" if rest else "")
    return "; ".join(shown) + (f"; and {rest} more (see the table)" if rest else "")


def _lever_group(group: list, lang: str) -> str:
    first = group[0]
    if len(group) == 1 and str(first.get("lever", first["indicator"])) == first["indicator"]:
        return _lever(first, lang)
    pct_ = float(first.get("lever_increase_pct", first["increase_pct"]))
    points = sum(float(r["points_gained"]) for r in group)
    if lang == "zh":
        moves = "、".join(f"{r['name_zh']}由{num(r['current'])}{_unit(r['unit'], 'zh')}提高到{num(r['needed'])}"
                         f"{_unit(r['unit'], 'zh')}" for r in group)
        return f"{first.get('lever_zh', first['name_zh'])}提高{pct_:.0f}%（{moves}，共+{points:.1f}分）"
    moves = ", ".join(f"{r['name_en']} from {num(r['current'])}{_unit(r['unit'], 'en')} to {num(r['needed'])}"
                      f"{_unit(r['unit'], 'en')}" for r in group)
    return f"{first.get('lever_en', first['name_en'])} up {pct_:.0f} % ({moves}; +{points:.1f} points in all)"


def _excluded(plan: Mapping, lang: str) -> str:
    reasons = {"zero": ("当前为0", "at 0"), "missing": ("缺失", "missing")}
    items = [e for e in plan.get("excluded", []) if e["reason"] in reasons]
    if not items:
        return ""
    if lang == "zh":
        return "（" + "、".join(f"{e['name_zh']}（{reasons[e['reason']][0]}）" for e in items) + "无法按百分比提高，未计入）"
    return " (" + ", ".join(f"{e['name_en']} ({reasons[e['reason']][1]})" for e in items) + " cannot be raised by a percentage and were left out)"


def _best(plan: Mapping) -> float:
    """The most a plan can score: the re-scored plan (counts in whole units) when it has rows."""
    return float(plan["score_after"] if plan["rows"] else plan["max_score"])


def _plan_paragraph(r: Mapping, lang: str) -> str:
    plan = r["plan"]
    target = plan["target_grade"]
    rows = plan["rows"]
    if not rows and plan["points_needed"] <= 0:
        if lang == "zh":
            return f"按确定性模型已达到{target}类门槛（{plan['target_score']:g}分），无需提高指标即可保持。"
        return f"In the deterministic model the county already reaches grade {target} ({plan['target_score']:g} points); no increase is needed to keep it."
    if not plan["reachable"]:
        if lang == "zh":
            return (f"按确定性模型，即使在允许的增幅内把所有可提高的指标提高到位，最高也只有{_best(plan):.1f}分，"
                    f"仍达不到{target}类（{plan['target_score']:g}分）{_excluded(plan, 'zh')}。")
        return (f"In the deterministic model, even every allowed increase gives at most {_best(plan):.1f} points, short "
                f"of grade {target} ({plan['target_score']:g} points){_excluded(plan, 'en')}.")
    rounded = plan.get("n_rounded", 0)
    year = r["data_year"] + 1
    if lang == "zh":
        text = (f"按确定性模型，升到{target}类（{plan['target_score']:g}分）还需{plan['points_needed']:.1f}分；"
                f"相对增幅合计最小的做法（主要抓手，合计+{plan['total_increase_pct']:.0f}%，所需值为{year}年数据、"
                f"{year + 1}年评价）是：{levers(rows, 'zh')}。按此方案重新计分为{plan['score_after']:.1f}分")
        text += "（家数类指标的所需值已向上取整）" if rounded else ""
        return text + _excluded(plan, "zh") + "。" + _qualitative_lever(r, rows, "zh")
    text = (f"In the deterministic model, grade {target} ({plan['target_score']:g} points) needs {plan['points_needed']:.1f} "
            f"more points; the plan with the smallest total relative increase (the main levers, +{plan['total_increase_pct']:.0f} % "
            f"in all, values needed in the {year} data for the {year + 1} evaluation) is: {levers(rows, 'en')}. "
            f"Re-scored, the plan gives {plan['score_after']:.1f} points")
    text += " (counts rounded up to whole units)" if rounded else ""
    return text + _excluded(plan, "en") + "." + _qualitative_lever(r, rows, "en")


def _qualitative_lever(r: Mapping, rows, lang: str) -> str:
    """What raising the qualitative points takes, when the plan raises them."""
    a = r["assumptions"]
    code = a.get("qualitative_indicator")
    if not code or not any(row["indicator"] == code for row in rows):
        return ""
    items = a.get("qualitative_items") or []
    assumed = r["qualitative_assumed"]
    if lang == "zh":
        text = ("定性得分由省里按" + "、".join(f"{i['name_zh']}（{i['points']:g}分）" for i in items)
                + "评定，提高它靠的是这些管理工作（领导小组、科技管理队伍、政策落实和督导考核）的实绩")
        return text + ("；本县得分为模型默认值（假设），此项只说明方向。" if assumed else "。")
    text = ("The qualitative points are judged by the province on " + ", ".join(f"{i['name_en']} ({i['points']:g})" for i in items)
            + "; raising them takes results in that management work (the leading group, S&T staff, policy delivery, "
            "supervision)")
    return text + ("; the county's points are the model default (assumed), so this row shows a direction only." if assumed
                   else ".")


def _robust_sentence(goal: str, plan: Mapping, r: Mapping, lang: str) -> str:
    target, grade = plan["target_grade"], r["grade"]
    p_target, p = pct(plan["probability_target"], lang), pct(plan["probability"], lang)
    keep = goal == "keep_grade" or target == grade
    top = target == max(r["assumptions"]["grades"], key=lambda g: g["min"])["grade"]
    if lang == "zh":
        better = "" if top else "或更高"
        aim = f"保住{target}类{better}" if keep else f"评为{target}类{better}"
        if not plan["rows"] and plan["robust"]:
            return f"按模拟，{aim}的概率已约为{p}（不低于{p_target}），无需额外提高。"
        if not plan["robust"]:
            return (f"考虑不确定性，即使把所有可提高的指标提高到位（模型得分{plan['score_after']:.1f}分），{aim}的概率"
                    f"也只有约{p}，达不到{p_target}。")
        head = (f"目前{aim}的概率约为{pct(r['p_keep_grade'], 'zh')}；" if keep else
                f"按上述确定性方案，{aim}的概率只有约{pct(plan['probability_plan'], 'zh')}；")
        return (head + f"要使其达到{p_target}（稳健方案，模拟概率约{p}），需按模型得分{plan['score_after']:.1f}分"
                f"（比门槛高{plan['margin_used']:.1f}分）准备：{levers(plan['rows'], 'zh')}。")
    better = "" if top else " or better"
    aim = f"keeping grade {target}{better}" if keep else f"grade {target}{better}"
    if not plan["rows"] and plan["robust"]:
        return f"In the simulations the probability of {aim} is already about {p} (at least {p_target}); no further increase is needed."
    if not plan["robust"]:
        return (f"Allowing for the uncertainty, even with every allowed increase (model score {plan['score_after']:.1f}) "
                f"the probability of {aim} is only about {p}, short of {p_target}.")
    head = (f"The probability of {aim} is now about {pct(r['p_keep_grade'], 'en')}; " if keep else
            f"Under the deterministic plan above, the probability of {aim} is only about {pct(plan['probability_plan'], 'en')}; ")
    return (head + f"to bring it to {p_target} (the robust plan, simulated probability about {p}) the county should aim at "
            f"a model score of {plan['score_after']:.1f} ({plan['margin_used']:.1f} points above the threshold): "
            f"{levers(plan['rows'], 'en')}.")


def _robust_paragraph(r: Mapping, lang: str) -> str | None:
    robust = r["robust"]
    if not robust:
        return None
    sep = "" if lang == "zh" else " "
    return sep.join(_robust_sentence(goal, plan, r, lang) for goal, plan in robust.items())


def _published_paragraph(r: Mapping, lang: str) -> str:
    pub, rnd, county = r["published"], r["evaluation_round"], r["county"]
    illustrative = "illustrative" in r["statuses"]
    if pub is None:
        if lang == "zh":
            return f"{rnd}年评价没有本组县（市、区）的公布等级记录（见附录的公布等级表），无法与模型对照。"
        return (f"No published grade of these counties is on record for the {rnd} evaluation "
                f"(the table of published grades, see the appendix), so the model cannot be checked against it.")
    diffs = pub["disagreements"]
    if lang == "zh":
        text = f"{rnd}年评价已公布（含推断）本组{pub['n']}个县（市、区）的等级，其中{pub['n_agree']}个与模型等级一致"
        if diffs:
            text += "；不一致的有：" + "、".join(
                f"{d['county']}（模型{d['grade_modelled']}类，公布{d['grade_published']}类{'，推断' if d['inferred'] else ''}）"
                for d in diffs)
        text += "。"
        if pub["county_grade"] is not None:
            text += (f"{county}公布为{pub['county_grade']}类{'（由通报文字推断）' if pub['county_inferred'] else ''}，"
                     f"模型为{r['grade']}类。")
        if pub["n_inferred"]:
            text += f"其中{pub['n_inferred']}个公布等级是由通报文字推断的，并非直接列出。"
        if pub["data_year_inferred"]:
            text += "该轮评价所用数据年份由“第Y年评价用Y−1年数据”推断。"
        if illustrative:
            text += "注意：示例数据是按公布等级生成的，此处一致并不能检验模型。"
        return text
    text = (f"Published (or inferred) grades of the {rnd} evaluation exist for {pub['n']} of these counties; "
            f"{pub['n_agree']} agree with the modelled grade")
    if diffs:
        text += "; they differ for " + ", ".join(
            f"{d['county']} (model {d['grade_modelled']}, published {d['grade_published']}{', inferred' if d['inferred'] else ''})"
            for d in diffs)
    text += "."
    if pub["county_grade"] is not None:
        text += (f" {county} was published as {pub['county_grade']}{' (inferred from the notice text)' if pub['county_inferred'] else ''}; "
                 f"the model gives {r['grade']}.")
    if pub["n_inferred"]:
        text += f" {pub['n_inferred']} of the published grades are inferred from the notices' wording, not listed."
    if pub["data_year_inferred"]:
        text += " The round's data year is inferred from the rule that round Y uses data of Y−1."
    if illustrative:
        text += " Note: the illustrative data were generated to match the published grades, so agreement here does not test the model."
    return text
