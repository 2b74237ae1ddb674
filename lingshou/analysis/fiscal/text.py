"""Texts of the fiscal analysis, in Chinese and English, read from its table and the spending needed; the
sentences are data in ``text.yaml`` beside this module.
"""
from __future__ import annotations

import math

import pandas as pd

from lingshou.analysis.fiscal.share import _TOL, EXPENDITURE, SCENARIO_TEXT, FiscalTargets, increase_record
from lingshou.i18n import Text, check_lang
from lingshou.yamlfile import load_phrases
from lingshou.plan.targets import Plan

# --------------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------------

#: The sentences, ``key -> Text`` (text.yaml).
PHRASES = load_phrases(__file__)


def _say(key: str, **values) -> Text:
    return PHRASES[key].format(**values)


def _years(years) -> Text:
    return PHRASES["list_sep"].join(Text(str(y), str(y)) for y in years)


def _headline(last, targets: FiscalTargets, county: str, rec) -> Text:
    """``2024年灵寿县地方财政科技支出 … 万元，占一般公共预算支出的 …%，低于 0.52% 的目标；…``."""
    spend, share, ts = float(last[EXPENDITURE]), float(last["share_pct"]), targets.share_pct
    spend_text = _say("spend.missing") if math.isnan(spend) else _say("spend.value", value=spend)
    if math.isnan(share):
        share_text = _say("share.missing")
    else:
        share_text = _say("share.value", share=share)
        if not math.isnan(ts):
            share_text += _say("share.meets" if share >= ts * (1 - _TOL) else "share.below", target=ts)
    head = _say("head", year=int(last["year"]), county=county, spend=spend_text, share=share_text)
    if rec is not None and rec["all_rose"] is True:
        head += _say("rose.every_year", start=targets.increase_from)
    elif rec is not None and rec["all_rose"] is False:
        head += _say("rose.not_in", years=_years(rec["fell_or_flat"]))
    return head + _say("full_stop")


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
    spend, te = float(last[EXPENDITURE]), targets.expenditure
    rec = None if targets.increase_from is None else increase_record(table, targets.increase_from, targets.increase_to)
    headline = _headline(last, targets, county, rec)
    paragraphs = [_say("first", headline=headline, plan=Text.of(plan.note))]
    if not math.isnan(te) and not math.isnan(spend):
        paragraphs.append(_say("target.reached" if spend >= te * (1 - _TOL) else "target.short", target=te,
                               due=targets.expenditure_year, gap=abs(spend - te)))
    if rec is not None and rec["unknown"]:
        paragraphs.append(_say("rose.unknown", years=_years(rec["unknown"])))
    if needs is not None and len(needs):
        paragraphs += _needs_paragraphs(needs, year)
    problems = problems or {}
    out = {lang: [t.pick(lang) for t in paragraphs] + list(problems.get(lang, [])) for lang in ("zh", "en")}
    notes = _notes(table, plan, anchors, anchors_shown, statuses)
    return {"headline": headline.both(), "paragraphs": out, "notes": notes}


def _needs_paragraphs(needs: pd.DataFrame, year: int) -> list[Text]:
    """One sentence per budget scenario: the spending the targets need next year (from :func:`needed_spending`)."""
    paragraphs = []
    for _, r in needs.iterrows():
        text = _say("needs.base", scenario=Text(SCENARIO_TEXT["zh"][r["scenario"]], SCENARIO_TEXT["en"][r["scenario"]]),
                    year=int(r["next_year"]), budget=r["budget_projected"], growth=r["budget_growth_pct"],
                    share=r["target_share_pct"], spending=r["spending_for_share"])
        if r["binding"] == "increase":
            text += _say("needs.increase", year=year, latest=r["spending_latest"])
        else:
            why = "" if r["binding"] == "share" else _say("needs.set_by_target", target=r["target_expenditure"])
            text += _say("needs.required", required=r["spending_required"], why=why, year=year, increase=r["increase"],
                         pct=r["increase_pct"])
        paragraphs.append(text)
    return paragraphs


def _notes(table: pd.DataFrame, plan: Plan, anchors, anchors_shown: bool, statuses) -> dict:
    """Method notes: how the share is computed, the budget trend, mismatches, anchors, illustrative data."""
    notes = [Text.of(plan.note), _say("note.share"), _say("note.trend")]
    mism = table[table["share_mismatch"].fillna(False).astype(bool)]
    if len(mism):
        notes.append(_say("note.mismatch", years=_years(mism["year"].tolist())))
    have = anchors if anchors is not None else pd.DataFrame(columns=["scope", "label_zh", "label_en", "source_url"])
    if not (have["scope"].isin(["province", "city"])).any():
        notes.append(_say("note.no_anchor"))
    if len(have):
        listed = PHRASES["clause_sep"].join(_say("anchor.item", label=Text(lz, le), url=u)
                                            for lz, le, u in zip(have["label_zh"], have["label_en"], have["source_url"]))
        notes.append(_say("note.anchors_drawn" if anchors_shown else "note.anchors_not_drawn", anchors=listed))
    if "illustrative" in set(statuses):
        notes.append(_say("note.illustrative"))
    return {lang: [t.pick(lang) for t in notes] for lang in ("zh", "en")}


def scenario_label(scenario: str, lang: str = "zh") -> str:
    """Name of a budget scenario in the requested language."""
    return SCENARIO_TEXT[check_lang(lang)][scenario]
