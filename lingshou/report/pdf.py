"""The PDF: what the notebooks wrote, arranged for a county leader, typeset by Typst.

:func:`compose_document` (pure) turns the notebooks' summaries and tables, the gap table read by
department, the provenance of the data and the run record into one JSON-ready dict;
:func:`compile_pdf` writes it beside a copy of the committed template (``lingshou/templates/report.typ``)
and lets Typst read it, so no text ever needs escaping.

How a summary (``summaries/<notebook>.json``, see :mod:`lingshou.report.summary`) maps onto the PDF:

- ``headline`` → one point of the summary page (under the section's title) and the lead of its section;
- ``title`` → a numbered section (one per summary, in notebook order; listed in the table of contents);
- ``paragraphs`` → the section's text;  ``notes`` → a "说明" box at the end of the section;
- ``figures`` → numbered figures (图 n) with their captions, full width;
- ``tables`` → numbered tables (表 n): the listed ``columns`` under their ``labels``, at most ``max_rows``
  rows (the rest is named with the CSV file), numbers formatted per column (``decimals`` may fix them);
- ``statuses`` → ``illustrative`` puts a red band on every page the section covers; the cover and the
  summary page say which statuses the report uses;
- ``numbers`` → not printed; they go to ``run.json`` for tests and the log.

The PDF's own fixed texts (titles, captions, the provenance notes) are data in ``pdf.yaml`` beside this
module; :func:`labels` gives them in one language.
"""
from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd

from lingshou.config import TEMPLATE_DIR
from lingshou.data.safe import read_table
from lingshou.errors import AnalysisError
from lingshou.i18n import bi, check_lang, pick, unit_in_text, unit_label
from lingshou.yamlfile import load_phrases
from lingshou.report.tables import (
    GAP_STATUS_LABELS,
    MISSING,
    as_number,
    column_widths,
    wrap_headers,
    format_frame,
    numeric_columns,
    format_value,
    ledger,
    split_units,
    status_counts,
    status_label,
    tone_of,
    unit_rollup,
)

TEMPLATE = TEMPLATE_DIR / "report.typ"
PDF_DIR = "pdf"
DOCUMENT_NAME = "report.json"
DEFAULT_MAX_ROWS = 40
#: A4 text width with the template's 22 mm side margins, and the tallest figure that fits with its caption.
TEXT_WIDTH_MM = 166.0
MAX_FIGURE_HEIGHT_MM = 190.0
#: Status words in the order they are named (weakest claim first).
STATUS_ORDER = ("illustrative", "provisional", "modelled", "projected", "derived", "published", "missing")

#: The fixed texts (``pdf.yaml`` beside this module): titles, captions, notes, ``key -> Text``.
PHRASES = load_phrases(__file__)
#: Column headers of the PDF's tables and the data-origin words, (zh, en): lists and mappings, not sentences.
HEADERS = {
    "acc_cols": (["牵头单位", "指标", "现值", "目标", "状态", "每年还需（增速%或百分点）", "责任单位"],
                 ["Lead unit", "Indicator", "Actual", "Target", "Status", "Still needed a year (% or pp)", "Responsible units"]),
    "rollup_cols": (["单位", "达标", "接近", "落后", "无数据", "合计"],
                    ["Department", "Met", "Close", "Behind", "No data", "Total"]),
    "src_cols": (["编号", "来源", "状态", "发布者", "日期", "数值个数"],
                 ["No.", "Source", "Status", "Publisher", "Date", "Values"]),
    "series_cols": (["指标", "单位", "有数据的年份", "状态", "来源编号"],
                    ["Indicator", "Unit", "Years with data", "Status", "Source"]),
    "ref_cols": (["文件", "内容", "状态", "发布者"],
                 ["File", "Content", "Status", "Publisher"]),
    "param_cols": (["参数", "值"],
                   ["Parameter", "Value"]),
    "version_cols": (["软件", "版本"],
                     ["Software", "Version"]),
    "file_cols": (["文件", "来自", "SHA-256"],
                  ["File", "From", "SHA-256"]),
    "timing_cols": (["步骤", "秒"],
                    ["Step", "Seconds"]),
    "origin": ({"data": "数据文件夹", "bundled": "内置数据"},
               {"data": "data folder", "bundled": "bundled data"}),
}


class _Keep(dict):
    """Format fields not given stay as ``{name}`` (filled later, e.g. by the template)."""

    def __missing__(self, key):
        return "{" + key + "}"


def labels(lang: str, **fields) -> dict:
    """The fixed texts of the PDF in ``lang``, with the given ``{county}``-style fields filled in."""
    texts = {k: t.pick(check_lang(lang)).format_map(_Keep(fields)) for k, t in PHRASES.items()}
    return texts | {k: pick(lang, *pair) for k, pair in HEADERS.items()}


def status_words(statuses, lang: str) -> str:
    """``{'illustrative', 'published'}`` → ``'示例数据、公开发布'`` (weakest first)."""
    known = [s for s in STATUS_ORDER if s in set(statuses)]
    other = sorted(set(statuses) - set(STATUS_ORDER))
    return ("、" if lang == "zh" else ", ").join(status_label(s, lang) for s in known + other)


def year_ranges(years) -> str:
    """``[2018, 2019, 2020, 2022]`` → ``'2018–2020, 2022'``."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return MISSING
    parts, start, prev = [], ys[0], ys[0]
    for y in ys[1:] + [None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------- tables
def display_table(df: pd.DataFrame, spec: dict, lang: str, where: str) -> dict:
    """A summary's table as the template draws it: headers, formatted rows, alignment, status tones.

    Parameters
    ----------
    df : DataFrame
        The CSV the summary names.
    spec : dict
        The summary's table entry: ``columns`` (default all), ``labels`` ({lang: [...]}, default the
        column names), ``max_rows`` (default 40), optional ``decimals`` (int or {column: int}) and ``text``
        (columns that hold labels such as ``1.10``, read and printed as text).
    where : str
        File name for messages.

    Raises
    ------
    AnalysisError
        If a listed column is not in the table.
    """
    columns = list(spec.get("columns") or df.columns)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise AnalysisError(bi(f"摘要列出的列 {missing} 不在表 {where} 中（有：{list(df.columns)}）",
                               f"column(s) {missing} listed by the summary are not in table {where} (it has {list(df.columns)})"))
    header = list((spec.get("labels") or {}).get(lang) or columns)
    max_rows = int(spec.get("max_rows") or DEFAULT_MAX_ROWS)
    shown = df[columns].head(max_rows)
    text = format_frame(shown, lang, spec.get("decimals"))
    labels_only = [c for c in spec.get("text") or [] if c in columns]
    for c in labels_only:
        text[c] = shown[c].map(lambda v: "" if pd.isna(v) else str(v))
    numeric = set(numeric_columns(shown)) - set(labels_only)
    return {
        "caption": pick(lang, spec["caption"]["zh"], spec["caption"]["en"]),
        "header": wrap_headers(header, columns, numeric),
        "rows": text.values.tolist(),
        "widths": column_widths(text, header, numeric),
        "align": ["right" if c in numeric else "left" for c in columns],
        "tones": [[tone_of(v) for v in row] for row in shown.itertuples(index=False)],
        "more": (labels(lang)["table_more"].format(shown=len(shown), total=len(df), file=spec["file"])
                 if len(df) > len(shown) else None),
    }


def _check_file(out_files: set[str] | None, file: str, where: str) -> str:
    p = Path(file)
    if p.is_absolute() or ".." in p.parts or (out_files is not None and file not in out_files):
        raise AnalysisError(bi(f"摘要 {where} 引用的文件 {file!r} 不在输出文件夹中",
                               f"summary {where} names file {file!r}, which is not in the output folder"))
    return p.as_posix()


def figure_width_mm(size: tuple[int, int] | None) -> float:
    """Printed width of a figure: the text width, narrower when a tall figure would not fit the page."""
    if not size or not size[0] or not size[1]:
        return TEXT_WIDTH_MM
    return round(min(TEXT_WIDTH_MM, MAX_FIGURE_HEIGHT_MM * size[0] / size[1]), 1)


def section(summary: dict, tables: dict[str, pd.DataFrame], lang: str, files: set[str] | None = None,
            sizes: dict[str, tuple[int, int]] | None = None) -> dict:
    """One summary as a section of the PDF (see the module docstring for the mapping).

    ``sizes`` gives the pixel size (width, height) of each figure, to keep tall figures on the page.
    """
    name = summary.get("notebook", "?")
    try:
        title, headline = str(summary["title"][lang]), str(summary["headline"][lang])
        paragraphs = [str(p) for p in summary["paragraphs"][lang]]
    except (KeyError, TypeError) as exc:
        raise AnalysisError(bi(f"摘要 {name} 缺少 {exc}（title、headline、paragraphs 须有 zh 和 en）",
                               f"summary {name} lacks {exc} (title, headline, paragraphs need zh and en)")) from None
    statuses = set(summary.get("statuses") or [])
    figs = [{"path": "/" + _check_file(files, f["file"], name), "caption": f["caption"][lang],
             "width_mm": figure_width_mm((sizes or {}).get(f["file"]))}
            for f in summary.get("figures") or []]
    tabs = []
    for t in summary.get("tables") or []:
        file = _check_file(files, t["file"], name)
        tabs.append(display_table(tables[file], t, lang, file))
    return {
        "id": name, "title": title, "headline": headline, "paragraphs": paragraphs, "figures": figs, "tables": tabs,
        "notes": [str(n) for n in (summary.get("notes") or {}).get(lang) or []],
        "illustrative": "illustrative" in statuses, "provisional": "provisional" in statuses,
        "statuses": status_words(statuses, lang),
    }


def accountability(gap: pd.DataFrame, by_unit: pd.DataFrame | None, lang: str, catalogue_names: dict | None,
                   illustrative: bool, workbook: str | None) -> dict:
    """The accountability section: roll-up by department and the targets grouped by lead unit."""
    from lingshou.analysis.gap import english_unit_names

    lab = labels(lang)
    led = ledger(gap, lang, catalogue_names, by_unit)
    # Departments are keyed by their Chinese names; English text shows the names the gap table gives.
    names = english_unit_names(gap) if lang == "en" else {}
    groups = []
    for unit, rows in led.groupby("lead_unit", sort=False):
        body = []
        for r in rows.itertuples(index=False):
            shown = unit_in_text(r.unit, lang) if isinstance(r.unit, str) else ""
            name = r.name + ((f"（{shown}）" if lang == "zh" else f" ({shown})") if shown else "")
            target = format_value(r.target)
            year = as_number(r.target_year)
            if isinstance(year, (int, float)) and not math.isnan(year) and target != MISSING:
                target += f"（{int(year)}）" if lang == "zh" else f" ({int(year)})"
            body.append({"cells": [name, format_value(r.actual), target, GAP_STATUS_LABELS[lang][r.status],
                                   _required_cell(r, lang),
                                   _department_list(r.responsible_units, names) or MISSING],
                         "tone": r.status})
        groups.append({"unit": names.get(unit, unit) or lab["unassigned"], "rows": body})
    rollup = None
    if by_unit is not None:
        r = unit_rollup(by_unit)
        r["unit"] = r["unit"].map(lambda u: names.get(u, u))
        keys = ["met", "close", "behind", "no_data"]
        tones = [[None] + [k if n else None for k, n in zip(keys, row)] + [None]
                 for row in r[["n_met", "n_close", "n_behind", "n_no_data"]].itertuples(index=False)]
        rollup = {"header": lab["rollup_cols"], "rows": format_frame(r, lang).values.tolist(),
                  "align": ["left"] + ["right"] * 5, "tones": tones, "caption": lab["acc_rollup"], "more": None}
    return {"title": lab["accountability"],
            "intro": lab["acc_intro"].format(workbook=workbook or "—"),
            "rollup": rollup, "header": lab["acc_cols"], "groups": groups, "caption": lab["acc_ledger"],
            "counts": status_counts(led), "illustrative": illustrative}


def _required_cell(r, lang: str) -> str:
    """The growth a target still needs: a share in percentage points a year (its relative growth is in the
    gap table), anything else in percent a year."""
    pp = as_number(getattr(r, "required_annual_change_pp", math.nan))
    if isinstance(pp, float) and not math.isnan(pp):
        shown = f"{pp:+.2f}" if abs(pp) < 1 else f"{pp:+.1f}"
        return f"{shown}个百分点" if lang == "zh" else f"{shown} pp"
    return format_value(r.required_annual_growth_pct, 1)


def _department_list(units: str, names: dict) -> str:
    """The ledger's responsible units (joined with 、), in English when ``names`` maps them."""
    if not names:
        return units
    return "; ".join(names.get(u, u) for u in split_units(units))


# ------------------------------------------------------------------------------------------ provenance
def _card_text(card: dict, key: str, lang: str) -> str:
    if lang == "en" and card.get(f"{key}_en"):
        return str(card[f"{key}_en"])
    v = card.get(key)
    return "" if v is None else str(v)


def provenance(tidy: pd.DataFrame, county: str, year: int, catalogue, cards: dict[str, dict], lang: str) -> dict:
    """Sources and status of every series of the county, from the tidy data and the data cards.

    Parameters
    ----------
    tidy : DataFrame
        The validated tidy data (columns county, year, indicator, value, unit, status, source, file).
    cards : dict
        Data card of each raw file, keyed by its path relative to ``raw/`` (``{}`` when it has none);
        files outside ``statistics/`` are listed as reference data.
    """
    lab = labels(lang, county=county, year=year)
    d = tidy[(tidy["county"] == county) & tidy["value"].notna()]
    files = list(pd.unique(d["file"]))
    number = {f: i + 1 for i, f in enumerate(files)}
    sources = []
    for f in files:
        card = cards.get(f) or {}
        rows = d[d["file"] == f]
        title = _card_text(card, "title", lang) or "; ".join(pd.unique(rows["source"].astype(str)))
        status = card.get("status") or ", ".join(sorted(pd.unique(rows["status"])))
        caveats = card.get("caveats") or []
        sources.append({
            "cells": [str(number[f]), title, status_label(status, lang), _card_text(card, "publisher", lang) or MISSING,
                      _card_text(card, "date", lang) or MISSING, str(len(rows))],
            "tone": "illustrative" if "illustrative" in str(status) else None,
            "file": f, "url": _card_text(card, "url", lang),
            "caveats": [str(c) for c in (caveats if isinstance(caveats, list) else [caveats])],
        })
    series = []
    for code in catalogue.codes:
        rows = d[d["indicator"] == code]
        if rows.empty:
            series.append({"cells": [catalogue.name(code, lang), unit_label(catalogue.canonical_unit(code) or "", lang), MISSING,
                                     MISSING, MISSING], "tone": None})
            continue
        st = sorted(pd.unique(rows["status"]))
        series.append({"cells": [catalogue.name(code, lang), str(unit_label(str(rows["unit"].iloc[0]), lang)), year_ranges(rows["year"]),
                                 status_words(st, lang), ", ".join(str(number[f]) for f in pd.unique(rows["file"]))],
                       "tone": "illustrative" if "illustrative" in st else None})
    refs = []
    for f, card in sorted(cards.items()):
        if f.startswith("statistics/") or not card:
            continue
        refs.append({"cells": [f, _card_text(card, "title", lang) or MISSING, status_label(card.get("status", ""), lang),
                               _card_text(card, "publisher", lang) or MISSING], "tone": None})
    this = d[d["year"] == year]
    counts = this["status"].value_counts()
    parts = ("、" if lang == "zh" else ", ").join(
        (f"{status_label(s, lang)} {int(counts[s])} 个" if lang == "zh" else f"{int(counts[s])} {status_label(s, lang)}")
        for s in STATUS_ORDER if s in counts.index)
    all_years = year_ranges(d["year"]) if len(d) else MISSING
    return {
        "counts_text": lab["prov_counts"].format(n=int(counts.sum()), parts=parts or lab["none"]),
        "year_statuses": sorted(counts.index),
        "sources": {"header": lab["src_cols"], "rows": sources, "caption": lab["prov_sources"]},
        "series": {"header": lab["series_cols"], "rows": series,
                   "caption": lab["prov_series"].format(years=all_years)},
        "references": {"header": lab["ref_cols"], "rows": refs, "caption": lab["prov_refs"]},
    }


def run_appendix(run: dict, lang: str) -> dict:
    """The reproducibility appendix: parameters, versions, data file hashes and timings of run.json."""
    lab = labels(lang)
    params = run.get("parameters", {})
    p_rows = [[k, json_text(v)] for k, v in params.items()]
    v_rows = [[k, str(v) if v is not None else MISSING] for k, v in run.get("versions", {}).items()]
    f_rows = [[f["path"], lab["origin"].get(f.get("origin"), f.get("origin", "")), f["sha256"][:16]]
              for f in run.get("data_files", [])]
    t_rows = [[k, f"{v:.1f}"] for k, v in run.get("timings", {}).items()]
    return {
        "intro": lab["app_intro"],
        "params": {"header": lab["param_cols"], "rows": p_rows, "caption": lab["app_params"]},
        "versions": {"header": lab["version_cols"], "rows": v_rows, "caption": lab["app_versions"]},
        "files": {"header": lab["file_cols"], "rows": f_rows, "caption": lab["app_files"]},
        "timings": {"header": lab["timing_cols"], "rows": t_rows, "caption": lab["app_timings"]},
    }


def json_text(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


# ------------------------------------------------------------------------------------------- document
def compose_document(*, county: str, year: int, lang: str, generated: str, summaries: list[dict],
                     tables: dict[str, pd.DataFrame], files: set[str] | None, sizes: dict | None, gap: pd.DataFrame | None,
                     by_unit: pd.DataFrame | None, catalogue, tidy: pd.DataFrame, cards: dict[str, dict],
                     run: dict, workbook: str | None, notebooks: list[str]) -> dict:
    """Everything the template needs, as one JSON-ready dict (pure: no file is read or written).

    Parameters
    ----------
    summaries : list of dict
        The notebooks' summaries, in notebook order.
    tables : dict
        Every table a summary names, keyed by its path relative to the output folder.
    files : set of str or None
        Paths (relative to the output folder) of the files that exist; summaries may name only these.
    sizes : dict or None
        Pixel size (width, height) of each figure file.
    gap, by_unit : DataFrame or None
        ``tables/gap_analysis.csv`` and ``tables/gap_by_unit.csv`` when the gap analysis wrote them.
    catalogue : lingshou.data.catalogue.Catalogue
    tidy : DataFrame
        The validated data (for the provenance section).
    cards : dict
        Data cards by raw file (see :func:`provenance`).
    run : dict
        The run record (see :func:`run_appendix`).
    workbook : str or None
        File name of the 督导台账 workbook, when written.
    notebooks : list of str
        Names of the notebooks run.

    Raises
    ------
    AnalysisError
        A summary of another county or year, a summary naming a file outside the output folder or a
        missing column, a gap table without the required columns.
    """
    check_lang(lang)
    for s in summaries:
        if s.get("county") != county or int(s.get("year", -1)) != int(year):
            raise AnalysisError(bi(f"摘要 {s.get('notebook')} 属于 {s.get('county')} {s.get('year')} 年，不是 {county} {year} 年",
                                   f"summary {s.get('notebook')} is for {s.get('county')} {s.get('year')}, not {county} {year}"))
    lab = labels(lang, county=county, year=year, workbook=workbook or "—")
    sections = [section(s, tables, lang, files, sizes) for s in summaries]
    statuses = set().union(*[set(s.get("statuses") or []) for s in summaries]) if summaries else set()
    names = {c: catalogue.name(c, lang) for c in catalogue.codes}
    acc = None
    if gap is not None:
        if "data_status" in gap.columns:
            ill = gap["data_status"].astype(str).str.contains("illustrative").any()
        else:
            ill = "illustrative" in statuses
        acc = accountability(gap, by_unit, lang, names, bool(ill), workbook)
    prov = provenance(tidy, county, year, catalogue, cards, lang)
    statuses_all = statuses | set(prov["year_statuses"])
    method = [lab["method_how"].format(notebooks=("、" if lang == "zh" else ", ").join(notebooks)),
              lab["method_status"], lab["method_notes"]]
    return {
        "lang": lang,
        "labels": lab,
        "meta": {
            "county": county, "year": int(year), "generated": generated,
            "title": lab["report_title"], "doc_title": lab["doc_title"], "running": lab["running"],
            "statuses": status_words(statuses_all, lang) or lab["none"],
            "counts_text": prov["counts_text"],
            "illustrative": "illustrative" in statuses_all, "provisional": "provisional" in statuses_all,
            "prepared_by": lab["prepared_by"] if workbook else lab["prepared_by_nowb"],
        },
        "summary": [{"title": s["title"], "headline": s["headline"], "illustrative": s["illustrative"]} for s in sections],
        "sections": sections,
        "accountability": acc,
        "method": {"title": lab["method"], "paragraphs": method, **{k: prov[k] for k in ("sources", "series", "references")}},
        "appendix": run_appendix(run, lang),
    }


# ------------------------------------------------------------------------------------------- I/O
def load_inputs(out: Path) -> dict:
    """Read what the notebooks wrote into an output folder, for :func:`compose_document`.

    Returns
    -------
    dict
        ``summaries`` (in notebook order), ``tables`` (every table a summary names, by relative path),
        ``files`` (relative paths of every file), ``sizes`` (pixel size of every figure a summary names).
    """
    from PIL import Image

    from lingshou.report.summary import read_summaries

    out = Path(out)
    summaries = read_summaries(out)
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    tables, sizes = {}, {}
    for s in summaries:
        for t in s.get("tables") or []:
            file = _check_file(files, t["file"], s.get("notebook", "?"))
            if file not in tables:
                # columns a summary names as text (numbers such as item "1.10") are read as written
                tables[file] = read_table(out / file, dtype={c: str for c in t.get("text") or []})
        for f in s.get("figures") or []:
            file = _check_file(files, f["file"], s.get("notebook", "?"))
            with Image.open(out / file) as im:
                sizes[file] = im.size
    return {"summaries": summaries, "tables": tables, "files": files, "sizes": sizes}


def compile_pdf(document: dict, out: Path, template: Path = TEMPLATE) -> tuple[Path, list[str]]:
    """Write ``<out>/pdf/report.json`` and a copy of the template, typeset ``<out>/report.pdf``.

    Typst reads the JSON itself (no escaping), the figures from ``<out>`` (its root; nothing outside is
    readable) and only the Noto Sans CJK font of the pip package (identical on every system).

    Returns
    -------
    (Path, list of str)
        The PDF and Typst's warnings.

    Raises
    ------
    AnalysisError
        When the font package is missing or Typst reports an error.
    """
    from lingshou.fonts import font_path
    from lingshou.report.runner import write_json
    from lingshou.report.typeset import typeset

    font = font_path()
    if font is None:
        raise AnalysisError(bi("缺少字体包 noto-cjk[sans]，无法排版 PDF；请运行 pip install \"noto-cjk[sans]\"",
                               "the font package noto-cjk[sans] is missing, cannot typeset the PDF; run "
                               "pip install \"noto-cjk[sans]\""))
    build = Path(out) / PDF_DIR
    build.mkdir(parents=True, exist_ok=True)
    write_json(build / DOCUMENT_NAME, document)
    shutil.copyfile(template, build / "report.typ")
    pdf = Path(out) / "report.pdf"
    warnings = typeset(build / "report.typ", pdf, Path(out), font.parent)
    return pdf, warnings
