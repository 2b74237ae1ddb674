"""Texts of the fiscal analysis, in Chinese and English, read from its table and the spending needed.
"""
from __future__ import annotations

import math

import pandas as pd

from lingshou.analysis.fiscal.share import _TOL, EXPENDITURE, SCENARIO_TEXT, FiscalTargets, increase_record
from lingshou.i18n import check_lang
from lingshou.plan.targets import Plan

# --------------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------------

def _years(years: list[int], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(str(y) for y in years)


def describe_fiscal(table: pd.DataFrame, needs: pd.DataFrame | None, targets: FiscalTargets, plan: Plan, county: str,
                    anchors: pd.DataFrame | None = None, anchors_shown: bool = False, statuses=(),
                    problems: dict | None = None) -> dict:
    """Texts that read the fiscal numbers in plain language, in both languages.

    Parameters
    ----------
    table : DataFrame
        From :func:`fiscal_share_table`.
    needs : DataFrame or None
        From :func:`needed_spending` (None when it could not be computed).
    targets : FiscalTargets
    plan : Plan
    county : str
    anchors : DataFrame, optional
        From :func:`share_anchors`: the comparable anchors available.
    anchors_shown : bool, default False
        Whether the figure draws them as comparison lines.
    statuses : iterable of str
        Data statuses of the values used.
    problems : dict, optional
        ``{"zh": [...], "en": [...]}``: what could not be computed (from :func:`analyse_fiscal`).

    Returns
    -------
    dict
        ``headline``, ``paragraphs``, ``notes`` in the shape of :func:`lingshou.report.summary.write_summary`.
    """
    last = table.iloc[-1]
    year = int(last["year"])
    spend, share = float(last[EXPENDITURE]), float(last["share_pct"])
    ts, te = targets.share_pct, targets.expenditure
    zh, en = [], []
    spend_zh = "地方财政科技支出无数据" if math.isnan(spend) else f"地方财政科技支出 {spend:,.1f} 万元"
    spend_en = "fiscal S&T expenditure is missing" if math.isnan(spend) else f"fiscal S&T expenditure was {spend:,.1f} ×10k yuan"
    if math.isnan(share):
        share_zh, share_en = "占比无法计算（缺少数据）", "the share cannot be computed (missing data)"
    else:
        share_zh = f"占一般公共预算支出的 {share:.2f}%"
        share_en = f"{share:.2f}% of general public budget expenditure"
        if not math.isnan(ts):
            ok = share >= ts * (1 - _TOL)
            share_zh += f"，{'达到' if ok else '低于'} {ts:g}% 的目标"
            share_en += f", {'meeting' if ok else 'below'} the {ts:g}% target"
    head_zh = f"{year}年{county}{spend_zh}，{share_zh}"
    head_en = f"In {year}, {county}'s {spend_en}, {share_en}"
    rec = None
    if targets.increase_from is not None:
        rec = increase_record(table, targets.increase_from, targets.increase_to)
        if rec["all_rose"] is True:
            head_zh += f"；{targets.increase_from}年以来逐年递增"
            head_en += f"; it has risen every year since {targets.increase_from}"
        elif rec["all_rose"] is False:
            head_zh += f"；{_years(rec['fell_or_flat'], 'zh')}年未比上年增加"
            head_en += f"; it did not rise in {_years(rec['fell_or_flat'], 'en')}"
    headline = {"zh": head_zh + "。", "en": head_en + "."}
    zh.append(headline["zh"] + plan.note("zh"))
    en.append(headline["en"] + " " + plan.note("en"))
    if not math.isnan(te) and not math.isnan(spend):
        ok = spend >= te * (1 - _TOL)
        zh.append(f"支出{'已达到' if ok else '尚未达到'} {te:,.0f} 万元的目标（{targets.expenditure_year}年目标），"
                  f"{'超出' if ok else '相差'} {abs(spend - te):,.1f} 万元。")
        en.append(f"Spending is {abs(spend - te):,.1f} ×10k yuan {'above' if ok else 'below'} the {te:,.0f} ×10k yuan target "
                  f"(due {targets.expenditure_year}).")
    if rec is not None and rec["unknown"]:
        zh.append(f"{_years(rec['unknown'], 'zh')}年缺少数据，无法判断是否比上年增加。")
        en.append(f"Whether spending rose in {_years(rec['unknown'], 'en')} cannot be told (missing data).")
    if needs is not None and len(needs):
        more_zh, more_en = _needs_paragraphs(needs, year)
        zh.extend(more_zh)
        en.extend(more_en)
    if problems:
        zh.extend(problems.get("zh", []))
        en.extend(problems.get("en", []))
    notes = _notes(table, plan, anchors, anchors_shown, statuses)
    return {"headline": headline, "paragraphs": {"zh": zh, "en": en}, "notes": notes}


def _needs_paragraphs(needs: pd.DataFrame, year: int) -> tuple[list[str], list[str]]:
    """One sentence per budget scenario: the spending the targets need next year (from :func:`needed_spending`)."""
    zh, en = [], []
    for _, r in needs.iterrows():
        sc_zh, sc_en = SCENARIO_TEXT["zh"][r["scenario"]], SCENARIO_TEXT["en"][r["scenario"]]
        base_zh = (f"{sc_zh}（{int(r['next_year'])}年一般公共预算支出 {r['budget_projected']:,.1f} 万元，"
                   f"{r['budget_growth_pct']:+.1f}%）：占比达到 {r['target_share_pct']:g}% 需科技支出 {r['spending_for_share']:,.1f} 万元")
        base_en = (f"With a {sc_en} ({int(r['next_year'])} budget {r['budget_projected']:,.1f} ×10k yuan, "
                   f"{r['budget_growth_pct']:+.1f}%), a {r['target_share_pct']:g}% share needs {r['spending_for_share']:,.1f} ×10k yuan of S&T spending")
        if r["binding"] == "increase":
            zh.append(base_zh + f"，低于{year}年的 {r['spending_latest']:,.1f} 万元；按逐年递增要求，只需高于该数。")
            en.append(base_en + f", less than the {r['spending_latest']:,.1f} ×10k yuan of {year}; rising every year only "
                      "requires more than that.")
        else:
            why_zh = "" if r["binding"] == "share" else f"（受 {r['target_expenditure']:,.0f} 万元支出目标约束）"
            why_en = "" if r["binding"] == "share" else f" (set by the {r['target_expenditure']:,.0f} ×10k yuan spending target)"
            zh.append(base_zh + f"；所需支出 {r['spending_required']:,.1f} 万元{why_zh}，比{year}年增加 "
                      f"{r['increase']:,.1f} 万元（{r['increase_pct']:+.1f}%）。")
            en.append(base_en + f"; {r['spending_required']:,.1f} ×10k yuan is required{why_en}, {r['increase']:,.1f} ×10k yuan "
                      f"({r['increase_pct']:+.1f}%) more than in {year}.")
    return zh, en


def _notes(table: pd.DataFrame, plan: Plan, anchors, anchors_shown: bool, statuses) -> dict:
    """Method notes: how the share is computed, the budget trend, mismatches, anchors, illustrative data."""
    notes = {"zh": [plan.note("zh")], "en": [plan.note("en")]}
    notes["zh"].append("占比 = 地方财政科技支出 ÷ 一般公共预算支出 × 100；两项都有数据时由其计算，否则采用报告的占比。")
    notes["en"].append("Share = fiscal S&T expenditure ÷ general public budget expenditure × 100, computed from the two "
                       "when both exist, else the reported share.")
    notes["zh"].append("预算趋势为一般公共预算支出各年数据首尾两年的年均复合增长率，延续一年。")
    notes["en"].append("The budget trend is the CAGR of general budget expenditure between its first and last year, continued one year.")
    mism = table[table["share_mismatch"].fillna(False).astype(bool)]
    if len(mism):
        notes["zh"].append(f"{_years(mism['year'].tolist(), 'zh')}年报告的占比与支出、预算不符（超出舍入误差），已采用计算值。")
        notes["en"].append(f"The reported share of {_years(mism['year'].tolist(), 'en')} disagrees with spending and budget "
                           "(beyond rounding); the computed share is used.")
    have = anchors if anchors is not None else pd.DataFrame(columns=["scope", "label_zh", "label_en", "source_url"])
    if not (have["scope"].isin(["province", "city"])).any():
        notes["zh"].append("锚点数据中没有省、市一级的地方财政科技支出占比。")
        notes["en"].append("The anchors hold no provincial or city fiscal S&T share.")
    if len(have):
        src = "；".join(f"{lz}，来源 {u}" for lz, u in zip(have["label_zh"], have["source_url"]))
        src_en = "; ".join(f"{le}, source {u}" for le, u in zip(have["label_en"], have["source_url"]))
        if anchors_shown:
            notes["zh"].append(f"图中对照线：{src}。均非本县数据，年代久远，仅作背景参照，不是目标。")
            notes["en"].append(f"Comparison lines in the figure: {src_en}. None is a county figure; they are dated and "
                               "shown for context only, not as targets.")
        else:
            notes["zh"].append(f"可比的只有：{src}。非本县数据且年代久远，未画入图中（笔记本可按参数画出）。")
            notes["en"].append(f"The only comparable anchors: {src_en}. Not county figures and dated: not drawn "
                               "(the notebook draws them on request).")
    if "illustrative" in set(statuses):
        notes["zh"].append("数据含示例数据（非官方统计），结果仅作演示。")
        notes["en"].append("The data include illustrative values (not official statistics); results only demonstrate the method.")
    return notes


def scenario_label(scenario: str, lang: str = "zh") -> str:
    """Name of a budget scenario in the requested language."""
    return SCENARIO_TEXT[check_lang(lang)][scenario]
