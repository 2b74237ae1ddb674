"""Texts of the gap analysis, in Chinese and English, and the parts of the notebook's summary; the sentences are
data in ``text.yaml`` beside this module.
"""
from __future__ import annotations

import pandas as pd

from lingshou.analysis.gap.grades import ACHIEVEMENT_FIGURE_FILE, GAP_TABLE_FILE, UNIT_FIGURE_FILE, UNIT_TABLE_FILE
from lingshou.analysis.gap.rules import CLOSE_PCT
from lingshou.analysis.gap.table import status_counts
from lingshou.i18n import Text, check_lang, count_list
from lingshou.yamlfile import load_phrases
from lingshou.plan.targets import Plan

#: The sentences, ``key -> Text`` (text.yaml).
PHRASES = load_phrases(__file__)


def _say(key: str, **values) -> Text:
    return PHRASES[key].format(**values)


def _both(row, column: str) -> Text:
    """A row's ``<column>_zh`` and ``<column>_en`` as one text."""
    return Text(row[f"{column}_zh"], row[f"{column}_en"])


def _required(r, lang: str) -> str:
    """What a level target still needs: percentage points a year for a share, else the annual growth."""
    text = r.get(f"required_text_{lang}")
    if isinstance(text, str) and text:
        return text
    return PHRASES["row.growth"].pick(lang).format(pct=r["required_annual_growth_pct"])


def _row_sentence(r) -> Text:
    s = _say("row.head", name=_both(r, "name"), actual=_both(r, "actual_text"), target=_both(r, "target_text"))
    if pd.notna(r["required_annual_growth_pct"]) and r["type"] == "level":
        s += _say("row.required", year=int(r["required_by_year"]), required=Text.of(_required, r))
        if pd.notna(r["trend_reaches_target"]):
            s += _say("row.trend_reaches" if bool(r["trend_reaches_target"]) else "row.trend_misses")
    return s + _say("row.end")


def _headline(table: pd.DataFrame, county: str, year: int) -> Text:
    c = status_counts(table)
    parts = [("达标", "met", c["met"]), ("接近", "close", c["close"]), ("落后", "behind", c["behind"]),
             ("无数据", "without data", c["no_data"])]
    return _say("headline", year=year, county=county, n=len(table), counts=Text.of(count_list, parts, "项"))


def headline(table: pd.DataFrame, county: str, year: int) -> dict:
    """The one-sentence summary, e.g. ``2024年灵寿县19项目标中，达标9项、接近2项、落后5项、无数据3项。``"""
    return _headline(table, county, year).both()


def _status_paragraphs(table: pd.DataFrame, close_pct: float) -> list[Text]:
    """The targets behind, close and without data, a paragraph each (none for a status no target has)."""
    paragraphs = []
    for status in ("behind", "close", "no_data"):
        sel = table[table["status"] == status]
        if sel.empty:
            continue
        if status == "no_data":
            items = [_say("row.no_data", name=_both(r, "name"), note=_both(r, "note")) for _, r in sel.iterrows()]
        else:
            items = [_row_sentence(r) for _, r in sel.iterrows()]
        paragraphs.append(_say(f"intro.{status}", **({"close": close_pct} if status == "close" else {}))
                          + PHRASES["clause_sep"].join(items) + PHRASES["full_stop"])
    return paragraphs


def _paragraphs(table: pd.DataFrame, by_unit: pd.DataFrame, plan: Plan, county: str, year: int,
                close_pct: float) -> list[Text]:
    paragraphs = [_say("first", headline=_headline(table, county, year), plan=Text.of(plan.note))]
    paragraphs += _status_paragraphs(table, close_pct)
    units = by_unit[by_unit["n_behind"] > 0].sort_values(["n_behind", "unit"], ascending=[False, True])
    if len(units):
        paragraphs.append(_say("units", units=PHRASES["list_sep"].join(
            _say("unit.item", unit=Text(r["unit"], r["unit_en"]), n=r["n_behind"]) for _, r in units.iterrows())))
    mism = table[table["ratio_mismatch"].fillna(False).astype(bool)]
    if len(mism):
        paragraphs.append(_say("mismatch", names=PHRASES["list_sep"].join(_both(r, "name") for _, r in mism.iterrows())))
    return paragraphs


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
    notes = [Text.of(plan.note), _say("note.status", close=close_pct), _say("note.growth", end=plan.period[1]),
             _say("note.rules")]
    if set(statuses) & {"illustrative"}:
        notes.append(_say("note.illustrative"))
    paragraphs = _paragraphs(table, by_unit, plan, county, year, close_pct)
    return {"headline": headline(table, county, year),
            "paragraphs": {lang: [t.pick(lang) for t in paragraphs] for lang in ("zh", "en")},
            "notes": {lang: [t.pick(lang) for t in notes] for lang in ("zh", "en")}}


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
             "caption": _say("caption.achievement", county=county, year=year).both()},
            {"file": UNIT_FIGURE_FILE,
             "caption": _say("caption.units", county=county, year=year).both()},
        ],
        "tables": [
            {"file": GAP_TABLE_FILE, "caption": _say("caption.gap_table").both(),
             "columns": gap_cols, "labels": gap_labels, "max_rows": len(table)},
            {"file": UNIT_TABLE_FILE, "caption": _say("caption.unit_table").both(),
             "columns": unit_cols, "labels": unit_labels, "max_rows": len(by_unit)},
        ],
        "numbers": {"n_targets": int(len(table)), **{f"n_{k}": v for k, v in counts.items()},
                    "behind": table.loc[table["status"] == "behind", "id"].tolist(),
                    "close": table.loc[table["status"] == "close", "id"].tolist(),
                    "ratio_mismatch": table.loc[table["ratio_mismatch"].fillna(False).astype(bool), "id"].tolist()},
    }
