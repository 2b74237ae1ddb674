"""The notes on the model's assumptions that every benchmarking text carries.
"""
from __future__ import annotations

from collections.abc import Mapping

from lingshou.evaluation.benchmarking.wording import IMPUTATION_TEXT, RULE_NAME, RULE_TEXT

# ---------------------------------------------------------------------------------------------------
# Notes


def assumption_notes(assumptions: Mapping) -> dict:
    """Notes naming every unpublished choice of the model, ``{"zh": [...], "en": [...]}``.

    Parameters
    ----------
    assumptions : mapping
        :func:`lingshou.evaluation.benchmarking.model_assumptions`.
    """
    a = assumptions
    zh, en = [], []
    n, named = int(a["n_indicators"]), len(a["indicators_published"])
    rule_zh, rule_en = RULE_TEXT.get(a["rule"], (a["rule"], a["rule"]))
    parts_zh, parts_en = [], []
    if a["rule_assumed"]:
        name_zh, name_en = RULE_NAME.get(a["rule"], (a["rule"], a["rule"]))
        parts_zh.append(f"评分规则（默认为“{name_zh}”：{rule_zh}）")
        parts_en.append(f"the scoring rule (by default the {name_en}: {rule_en})")
    if a["pillars_assumed"]:
        parts_zh.append("一级指标" + "、".join(a["pillars_assumed"]) + "的分值")
        names = a.get("pillars_assumed_en") or a["pillars_assumed"]
        parts_en.append(f"the points of {len(names)} pillars ({', '.join(names)})")
    if a["indicators_assumed"]:
        parts_zh.append(f"{n}项定量指标的选择、分值和基准值（只有{named}项的名称见于公开文件）")
        parts_en.append(f"which {n} quantitative indicators are used, their points and benchmarks (only {named} are "
                        f"named in a published source)")
    if a["qualitative_assumed"]:
        lo, hi = a["qualitative_range"]
        parts_zh.append(f"定性（创新管理）得分的分项、默认值{a['qualitative_default']:g}分及合理范围{lo:g}–{hi:g}分")
        parts_en.append(f"the split of the qualitative (innovation management) points, their default "
                        f"{a['qualitative_default']:g} and plausible range {lo:g}–{hi:g}")
    if parts_zh:
        zh.append(f"评价模型“{a['title_zh']}”是本套件的假设。未公布、由本套件假设的内容：" + "；".join(parts_zh)
                  + "。公布的只有一级指标构成、总分构成、等级门槛和评价年度与数据年份的对应。取得官方方法后，请据此更新评价模型文件。")
        en.append(f"The evaluation model, “{a['title_en']}”, is this suite's assumption. Not published and assumed here: "
                  + "; ".join(parts_en) + ". Only the pillars, the split of the points, the grade thresholds and the "
                  "round-to-data-year rule are published. Update the model file once the official method is obtained.")
    rules = list(a["alternatives"])
    imput_zh = "、".join(IMPUTATION_TEXT.get(i, (i, i))[0] for i in a["imputation"])
    imput_en = " or ".join(IMPUTATION_TEXT.get(i, (i, i))[1] for i in a["imputation"])
    noise = 100 * float(a["weight_noise"])
    if a.get("weights_calibrated"):
        rounds = "、".join(map(str, a.get("calibration_rounds", [])))
        weights_zh = f"每次模拟从校准样本（与{rounds}年已公布等级一致的分值）中抽取一组分值"
        weights_en = (f"each simulation draws the points from the calibration sample (points consistent with the "
                      f"published grades of {', '.join(map(str, a.get('calibration_rounds', [])))})")
    else:
        weights_zh = f"每次模拟把各项分值乘以U(1−{noise:g}%, 1+{noise:g}%)后重新归一"
        weights_en = (f"each simulation multiplies every indicator's points by U(1 − {noise:g} %, 1 + {noise:g} %) and "
                      "renormalises")
    names = [RULE_NAME.get(x, (x, x)) for x in rules]
    shown = [RULE_NAME.get(x, (x, x)) for x in a.get("sensitivity_rules", [])]
    if len(rules) > 1:
        rule_zh = f"在{len(rules)}种评分规则（{'、'.join('“' + n[0] + '”' for n in names)}）中等概率抽取一种"
        rule_en = f"draws one of {len(rules)} scoring rules ({', '.join(n[1] for n in names)}) with equal probability"
    else:
        rule_zh = f"评分规则固定为“{names[0][0]}”"
        rule_en = f"keeps the {names[0][1]} scoring rule"
    if shown:
        rule_zh += "（" + "、".join("“" + n[0] + "”" for n in shown) + "规则只作对照，另行模拟，不计入概率）"
        rule_en += " (the " + ", ".join(n[1] for n in shown) + " rule only as a comparison, simulated apart, not in the probabilities)"
    zh.append(f"不确定性分析（同为假设）：{weights_zh}，{rule_zh}，定性得分在其范围内随机取值，缺失值按"
              f"{imput_zh}补齐；名次区间为5%–95%分位数。")
    en.append(f"The uncertainty analysis (also assumed): {weights_en}, {rule_en}, draws the qualitative points within "
              f"their range and fills missing values with {imput_en}; rank intervals are the 5th–95th percentiles.")
    return {"zh": zh, "en": en}


def _notes(r: Mapping) -> dict:
    a = r["assumptions"]
    notes = assumption_notes(a)
    zh, en = notes["zh"], notes["en"]
    county, n = r["county"], int(r["n"])
    if r["qualitative_assumed"]:
        lo, hi = a["qualitative_range"]
        zh.append(f"{county}的创新管理定性得分没有录入，按模型默认值{a['qualitative_default']:g}分计（假设），模拟中在"
                  f"{lo:g}–{hi:g}分之间取值。可在报告参数中录入实际得分。")
        en.append(f"{county}'s qualitative (innovation management) points are not in the data: the model default "
                  f"{a['qualitative_default']:g} is assumed, drawn within {lo:g}–{hi:g} in the simulations. Enter the "
                  f"actual points as a report parameter.")
    else:
        zh.append(f"{county}的创新管理定性得分{r['qualitative_points']:g}分取自数据或分析人员录入，模拟中在其上下2分内取值。")
        en.append(f"{county}'s qualitative points ({r['qualitative_points']:g}) come from the data or the analyst; the "
                  f"simulations vary them by up to 2 points either way.")
    if r["imputed"]:
        zh.append(f"{county}缺少以下指标的数值，确定性得分按同组中位数补齐：" + "、".join(i["name_zh"] for i in r["imputed"]) + "。")
        en.append(f"{county} lacks values of: " + ", ".join(i["name_en"] for i in r["imputed"])
                  + "; the deterministic score fills them with the peer median.")
    zh.append(f"名次和概率只相对于数据中的{n}个县（市、区）；换一组同组县，名次以及按同组计算的评分规则（同组最高值、"
              f"90%分位数、最低值）都会变化。")
    en.append(f"Ranks and probabilities are relative to the {n} counties in the data; another peer set changes the ranks "
              f"and the peer-based rules (best peer, 90th percentile, minimum).")
    plans = [r["plan"], *r["robust"].values()]
    if any(p.get("n_rounded_down", 0) or p.get("dropped") for p in plans):
        names = sorted({d["name_zh"] for p in plans for d in p.get("dropped", [])})
        names_en = sorted({d["name_en"] for p in plans for d in p.get("dropped", [])})
        zh.append("受每项指标最大增幅的限制，个别家数类指标的所需值只能向下取整"
                  + (f"，{'、'.join(names)}提高不到一个整数单位而未计入" if names else "")
                  + "；这些方案重新计分后的得分和概率会略低于取整前。")
        en.append("Within the largest increase allowed for each indicator some counts can only be rounded down"
                  + (f"; {', '.join(names_en)} cannot gain one whole unit and were left out" if names_en else "")
                  + "; those plans score, and hold with a probability, slightly below the unrounded ones.")
    if any(p.get("n_rounded", 0) for p in plans):
        zh.append("家数类指标（家、个、件）的所需值已向上取整为整数，增幅和得分按取整后的值重新计算；稳健方案的概率按取整前"
                  "的值计算，取整后只会更高。")
        en.append("Needed values of counts (enterprises, platforms, parks …) are rounded up to whole units and the "
                  "increase and points recomputed; the robust plans' probabilities are computed before rounding, so "
                  "the rounded plans do at least as well.")
    if any("lever" in row and row["lever"] != row["indicator"] for p in plans for row in p.get("rows", [])):
        zh.append("“达到目标所需”在部门能掌握的抓手上求解：财政科技支出、企业家数、研发经费、定性得分等，由它们算出的比率"
                  "（占比、每千家企业数）随之同比例变化（分母不变）；取各抓手相对增幅之和最小的方案（每项增幅有上限，"
                  "可在笔记本参数中设定），同组其他县的数值保持不变。")
        en.append("“What it takes” is solved on the levers a department controls — spending, counts of firms, R&D, the "
                  "qualitative points — with the ratios built on them (shares, per-1,000-firm counts) moving in proportion "
                  "(denominators held); the plan minimises the sum of the levers' relative increases (each capped; the cap "
                  "is a notebook parameter), with the other counties' values held fixed.")
    else:
        zh.append("“达到目标所需”按相对增幅之和最小求解（每项指标的增幅有上限，可在笔记本参数中设定），同组其他县的数值保持不变。")
        en.append("“What it takes” minimises the sum of relative increases (each indicator's increase is capped; the cap is "
                  "a notebook parameter) with the other counties' values held fixed.")
    if "illustrative" in r["statuses"]:
        zh.append("所用数据为示例数据（非官方统计），结果只演示方法，不代表任何县的实际等级。")
        en.append("The data are illustrative (not official statistics): the results demonstrate the method and are no "
                  "county's actual grade.")
    return {"zh": zh, "en": en}
