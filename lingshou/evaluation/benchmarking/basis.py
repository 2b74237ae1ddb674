"""What a grade probability rests on, said where the probability is said (the summary page's headline).

A probability such as "B类（概率约90%）" is only as good as the assumptions it was simulated under: the
unpublished weights, the scoring rule, the qualitative points, the imputation.  :func:`probability_basis`
names them in one sentence, says which input drives the score's variance when one does, and gives the
county's grade probabilities under each rule the model shows beside its own but does not draw
(``uncertainty.sensitivity_rules``), saying in words when the grade hangs on that choice.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from lingshou.evaluation.benchmarking.wording import IMPUTATION_TEXT, INPUT_TEXT, RULE_NAME, pct
from lingshou.i18n import check_lang

#: A variance share above which one input is said to drive the score.
DRIVER_SHARE = 0.5
#: A change of the county's grade probability (0–1) under another rule from which the rule is said to decide.
RULE_DECIDES = 0.10


def probability_basis(r: Mapping, lang: str) -> str:
    """One or two sentences: the assumptions behind the grade probability and what moves it.

    Parameters
    ----------
    r : mapping
        :func:`~lingshou.evaluation.benchmarking.benchmark_results`.
    lang : {"zh", "en"}

    Returns
    -------
    str
        E.g. ``该概率基于对未公布内容的假设：各指标分值在±25%内随机变动、定性得分在8–15分内取值、缺失值按同组
        中位数或记0分补齐、按“固定基准”评分。若改按“同组90%分位数”评分（本模型认为它与公布的全省平均分上升不符，
        未计入概率），评为B类的概率约为60%（C类40%）：等级在相当程度上取决于评分规则这一假设。``
    """
    check_lang(lang)
    a = r["assumptions"]
    text = _assumed(r, a, lang) + _driver(r, lang)
    return text + "".join(_sensitivity(r, row, lang) for row in r.get("by_rule") or []
                          if not row.get("drawn", True) and row.get("p_grade"))


def _assumed(r: Mapping, a: Mapping, lang: str) -> str:
    zh = "en" != lang
    if a.get("weights_calibrated"):
        weights = "各指标分值取自按公布等级校准的样本" if zh else "the points drawn from the sample calibrated on the published grades"
    else:
        noise = f"{100 * float(a['weight_noise']):g}"
        weights = f"各指标分值在±{noise}%内随机变动" if zh else f"each indicator's points varying by ±{noise} %"
    lo, hi = a["qualitative_range"]
    if r["qualitative_assumed"]:
        qual = f"定性得分在{lo:g}–{hi:g}分内取值" if zh else f"the qualitative points drawn within {lo:g}–{hi:g}"
    else:
        qual = (f"定性得分在录入的{r['qualitative_points']:g}分上下2分内取值" if zh
                else f"the qualitative points within 2 of the {r['qualitative_points']:g} entered")
    parts = [weights, qual]
    if r.get("imputed"):
        imput = [IMPUTATION_TEXT.get(i, (i, i)) for i in a["imputation"]]
        parts.append("缺失值按" + "或".join(x[0] for x in imput) + "补齐" if zh
                     else "missing values filled with " + " or ".join(x[1] for x in imput))
    rules = [RULE_NAME.get(x, (x, x)) for x in a["alternatives"]]
    if len(rules) == 1:
        parts.append(f"按“{rules[0][0]}”评分" if zh else f"scoring by the {rules[0][1]} rule")
    else:
        parts.append("评分规则在" + "、".join(f"“{x[0]}”" for x in rules) + "中等概率抽取" if zh
                     else "the scoring rule drawn between the " + ", ".join(x[1] for x in rules[:-1]) + " and "
                     + rules[-1][1] + " rules")
    if zh:
        return "该概率基于对未公布内容的假设：" + "、".join(parts) + "。"
    return "The probability rests on assumptions about what is not published: " + ", ".join(parts) + "."


def _driver(r: Mapping, lang: str) -> str:
    shares = {k: float(v) for k, v in r["var_shares"].items() if v is not None and not math.isnan(float(v))}
    if not shares:
        return ""
    main = max(shares, key=lambda k: shares[k])
    if shares[main] <= DRIVER_SHARE:
        return ""
    if lang == "zh":
        return f"其中{INPUT_TEXT[main][0]}影响最大（约占得分方差的{pct(shares[main], 'zh')}）。"
    return f" Most of it depends on {INPUT_TEXT[main][1]} (about {pct(shares[main], 'en')} of the score's variance)."


def _sensitivity(r: Mapping, row: Mapping, lang: str) -> str:
    """The grade probabilities under a rule shown but not drawn, and whether the grade hangs on it."""
    name_zh, name_en = RULE_NAME.get(row["rule"], (row["rule"], row["rule"]))
    probs = row["p_grade"]
    grade = r["grade"]
    mode = max(probs, key=lambda g: probs[g])
    others = [(g, p) for g, p in probs.items() if g != mode and p >= 0.005]
    moved = abs(float(probs.get(grade, 0.0)) - float(r["p_grade"][grade])) >= RULE_DECIDES
    if lang == "zh":
        text = (f"若改按“{name_zh}”评分（本模型认为它与公布的全省平均分上升不符，未计入概率），评为{mode}类的概率约为"
                f"{pct(probs[mode], 'zh')}" + ("（" + "、".join(f"{g}类{pct(p, 'zh')}" for g, p in others) + "）" if others else ""))
        return text + ("：等级在相当程度上取决于评分规则这一假设。" if moved else "，与上述概率相近。")
    text = (f" Scored by the {name_en} rule instead (which the model argues is inconsistent with the published rise of "
            f"the provincial average, and leaves out of the probability), grade {mode} has a probability of about "
            f"{pct(probs[mode], 'en')}" + (" (" + ", ".join(f"{g} {pct(p, 'en')}" for g, p in others) + ")" if others else ""))
    return text + (": the grade depends to a large extent on the assumed scoring rule." if moved
                   else ", close to the probabilities above.")
