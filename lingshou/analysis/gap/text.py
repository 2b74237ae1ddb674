"""Texts of the gap analysis, in Chinese and English, and the parts of the notebook's summary.
"""
from __future__ import annotations

import pandas as pd

from lingshou.analysis.gap.grades import ACHIEVEMENT_FIGURE_FILE, GAP_TABLE_FILE, UNIT_FIGURE_FILE, UNIT_TABLE_FILE
from lingshou.analysis.gap.rules import CLOSE_PCT
from lingshou.analysis.gap.table import status_counts
from lingshou.i18n import check_lang, count_list, pick
from lingshou.plan.targets import Plan

# --------------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------------

def _list(items: list[str], lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(items)


def _required(r, lang: str) -> str:
    """What a level target still needs: percentage points a year for a share, else the annual growth."""
    text = r.get(f"required_text_{lang}")
    if isinstance(text, str) and text:
        return text
    return f"年均增长 {r['required_annual_growth_pct']:.1f}%" if lang == "zh" else f"{r['required_annual_growth_pct']:.1f}%/yr"


def _row_sentence(r, lang: str) -> str:
    name = r["name_zh"] if lang == "zh" else r["name_en"]
    if lang == "zh":
        s = f"{name}（实际 {r['actual_text_zh']}，目标 {r['target_text_zh']}"
        if pd.notna(r["required_annual_growth_pct"]) and r["type"] == "level":
            s += f"，至{int(r['required_by_year'])}年需{_required(r, 'zh')}"
            if pd.notna(r["trend_reaches_target"]):
                s += "，按近年趋势可以达到" if bool(r["trend_reaches_target"]) else "，按近年趋势达不到"
        return s + "）"
    s = f"{name} (actual {r['actual_text_en']}, target {r['target_text_en']}"
    if pd.notna(r["required_annual_growth_pct"]) and r["type"] == "level":
        s += f"; needs {_required(r, 'en')} to {int(r['required_by_year'])}"
        if pd.notna(r["trend_reaches_target"]):
            s += ", within reach of the recent trend" if bool(r["trend_reaches_target"]) else ", beyond the recent trend"
    return s + ")"


def headline(table: pd.DataFrame, county: str, year: int) -> dict:
    """The one-sentence summary, e.g. ``2024年灵寿县19项目标中，达标9项、接近2项、落后5项、无数据3项。``"""
    c = status_counts(table)
    n = len(table)
    parts = [("达标", "met", c["met"]), ("接近", "close", c["close"]), ("落后", "behind", c["behind"]),
             ("无数据", "without data", c["no_data"])]
    return {
        "zh": f"{year}年{county}{n}项目标中，{count_list(parts, '项', 'zh')}。",
        "en": f"Of {county}'s {n} plan targets in {year}: {count_list(parts, '', 'en')}.",
    }


def describe_gaps(table: pd.DataFrame, by_unit: pd.DataFrame, plan: Plan, county: str, year: int,
                  close_pct: float = CLOSE_PCT, statuses=()) -> dict:
    """Texts that read the gap table in plain language, in both languages.

    Parameters
    ----------
    table, by_unit : DataFrame
        From :func:`analyse_gaps` and :func:`gap_by_unit`.
    plan : Plan
    county : str
    year : int
    close_pct : float
        The close band used (for the method note).
    statuses : iterable of str
        Data statuses of the values used (an illustrative note is added when present).

    Returns
    -------
    dict
        ``headline``, ``paragraphs`` and ``notes`` in the shape of :func:`lingshou.report.summary.write_summary`.
    """
    out = {"headline": headline(table, county, year), "paragraphs": {"zh": [], "en": []}, "notes": {"zh": [], "en": []}}
    for lang in ("zh", "en"):
        p = out["paragraphs"][lang]
        p.append(out["headline"][lang] + " " + plan.note(lang) if lang == "en" else out["headline"][lang] + plan.note(lang))
        for status, zh_intro, en_intro in (
                ("behind", "落后的目标：", "Behind: "),
                ("close", f"接近目标（差距在 {close_pct:g}% 以内）：", f"Close (within {close_pct:g}% of the target): "),
                ("no_data", "无法判断（无数据）：", "Without data: ")):
            sel = table[table["status"] == status]
            if sel.empty:
                continue
            if status == "no_data":
                items = [(r["name_zh"] + "（" + r["note_zh"] + "）") if lang == "zh" else (r["name_en"] + " (" + r["note_en"] + ")")
                         for _, r in sel.iterrows()]
            else:
                items = [_row_sentence(r, lang) for _, r in sel.iterrows()]
            p.append((zh_intro if lang == "zh" else en_intro) + _list(items, lang) + ("。" if lang == "zh" else "."))
        units = by_unit[by_unit["n_behind"] > 0]
        if len(units):
            items = [r["unit"] + f"（{r['n_behind']}项）" if lang == "zh" else r["unit_en"] + f" ({r['n_behind']})"
                     for _, r in units.sort_values(["n_behind", "unit"], ascending=[False, True]).iterrows()]
            p.append(("按部门，落后目标涉及：" if lang == "zh" else "By department, targets behind involve: ")
                     + ("、" if lang == "zh" else ", ").join(items) + ("。" if lang == "zh" else "."))
        mism = table[table["ratio_mismatch"].fillna(False).astype(bool)]
        if len(mism):
            names = [(r["name_zh"] if lang == "zh" else r["name_en"]) for _, r in mism.iterrows()]
            p.append(pick(lang, "报告的比值与其分子、分母不符（已采用计算值）：", "Reported ratios that disagree with their operands (computed values used): ")
                     + ("、" if lang == "zh" else ", ").join(names) + ("。" if lang == "zh" else "."))
    notes = out["notes"]
    notes["zh"].append(plan.note("zh"))
    notes["en"].append(plan.note("en"))
    notes["zh"].append(f"状态：实际值不低于目标为达标；低于目标但差距不超过目标的 {close_pct:g}% 为接近；否则为落后。"
                       "实际值取数据年份的数值（方案的2022年目标视为此后应保持的下限）。")
    notes["en"].append(f"Status: met when the actual is at or above the target; close when it falls short by at most "
                       f"{close_pct:g}% of the target; behind otherwise. The actual is the data year's value (the plan's "
                       "2022 levels are floors to keep).")
    notes["zh"].append(f"所需年均增速从最新实际值算起，到目标年份；目标年份已过而未达标的，按追赶年份（默认方案末年{plan.period[1]}年）计算。"
                       "趋势为有数据各年的年均复合增长率（首尾两年）。")
    notes["en"].append(f"Required growth runs from the latest actual to the target year; for a target whose year has passed "
                       f"unmet, to the catch-up year (default: the plan's end year, {plan.period[1]}). The trend is the CAGR "
                       "between the first and the last year with data.")
    notes["zh"].append("规则目标按每一年检查：企业研发经费取最弱一年的增速；财政科技支出须每年高于上一年。")
    notes["en"].append("Rule targets are checked year by year: enterprise R&D uses its weakest yearly growth; fiscal S&T "
                       "spending must exceed the year before every year.")
    if set(statuses) & {"illustrative"}:
        notes["zh"].append("数据含示例数据（非官方统计），结果仅作演示。")
        notes["en"].append("The data include illustrative values (not official statistics); results only demonstrate the method.")
    return out


def summary_parts(table: pd.DataFrame, by_unit: pd.DataFrame, county: str, year: int, lang: str = "zh") -> dict:
    """Figures, tables (with the columns the report prints, in ``lang``) and key numbers for
    :func:`lingshou.report.summary.write_summary`."""
    check_lang(lang)
    counts = status_counts(table)
    # what a target still needs, as the gap analysis words it: shares in percentage points a year (the
    # relative growth in brackets), levels and counts in growth a year
    gap_cols = [f"name_{lang}", f"actual_text_{lang}", f"target_text_{lang}", f"status_{lang}",
                f"required_text_{lang}", "lead_unit" if lang == "zh" else "lead_unit_en", "data_status"]
    gap_labels = {"zh": ["指标", "实际值", "目标", "状态", "所需增长", "牵头单位", "数据状态"],
                  "en": ["Indicator", "Actual", "Target", "Status", "Still needed", "Lead unit", "Data status"]}
    unit_cols = ["unit" if lang == "zh" else "unit_en", "n_targets", "n_lead", "n_met", "n_close", "n_behind", "n_no_data"]
    unit_labels = {"zh": ["单位", "涉及目标", "牵头", "达标", "接近", "落后", "无数据"],
                   "en": ["Unit", "Targets", "Leads", "Met", "Close", "Behind", "No data"]}
    return {
        "figures": [
            {"file": ACHIEVEMENT_FIGURE_FILE,
             "caption": {"zh": f"{county}{year}年各项方案目标的完成度（颜色表示状态）",
                         "en": f"{county}: achievement of each plan target in {year} (colour = status)"}},
            {"file": UNIT_FIGURE_FILE,
             "caption": {"zh": f"{county}{year}年各部门牵头或参与目标的完成情况",
                         "en": f"{county}: status of the targets each department leads or shares, {year}"}},
        ],
        "tables": [
            {"file": GAP_TABLE_FILE, "caption": {"zh": "方案目标差距分析", "en": "Gap analysis of the plan targets"},
             "columns": gap_cols, "labels": gap_labels, "max_rows": len(table)},
            {"file": UNIT_TABLE_FILE, "caption": {"zh": "按部门汇总（督导台账）", "en": "By department (accountability table)"},
             "columns": unit_cols, "labels": unit_labels, "max_rows": len(by_unit)},
        ],
        "numbers": {"n_targets": int(len(table)), **{f"n_{k}": v for k, v in counts.items()},
                    "behind": table.loc[table["status"] == "behind", "id"].tolist(),
                    "close": table.loc[table["status"] == "close", "id"].tolist(),
                    "ratio_mismatch": table.loc[table["ratio_mismatch"].fillna(False).astype(bool), "id"].tolist()},
    }
