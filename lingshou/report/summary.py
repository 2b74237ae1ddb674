"""The contract between the analysis notebooks and the report.

Every analysis notebook ends by writing ``<output_dir>/summaries/<notebook>.json`` with
:func:`write_summary`: its title, the headline sentence for the report's summary page, the paragraphs
that read its numbers, its figures and tables with captions, the statuses of the data it used and its
notes — each text in Chinese and English.  The report composes the PDF from these files only, so a new
analysis joins the report by writing one.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from lingshou.config import STATUSES
from lingshou.errors import ParameterError
from lingshou.i18n import bi

SUMMARY_DIR = "summaries"
SCHEMA_VERSION = 1


def bilingual(zh: str, en: str) -> dict:
    """``{"zh": zh, "en": en}`` — the shape of every text in a summary."""
    return {"zh": zh, "en": en}


def _check_text(value, where: str) -> dict:
    if not (isinstance(value, dict) and set(value) == {"zh", "en"} and all(isinstance(v, str) for v in value.values())):
        raise ParameterError(bi(f"{where} 应为 {{'zh': 文本, 'en': text}}", f"{where} must be {{'zh': text, 'en': text}}"))
    return value


def _check_texts(value, where: str) -> dict:
    if not (isinstance(value, dict) and set(value) == {"zh", "en"} and all(isinstance(v, list) for v in value.values())):
        raise ParameterError(bi(f"{where} 应为 {{'zh': [...], 'en': [...]}}", f"{where} must be {{'zh': [...], 'en': [...]}}"))
    return value


def _clean(obj):
    """JSON-safe copy: NaN → None, numpy scalars → Python numbers, tuples → lists."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        obj = obj.item()
    if isinstance(obj, float) and math.isnan(obj):
        return None
    return obj


def write_summary(out: str | Path, notebook: str, *, county: str, year: int, title: dict, headline: dict,
                  paragraphs: dict, figures: list[dict] = (), tables: list[dict] = (), statuses=(),
                  notes: dict | None = None, numbers: dict | None = None) -> Path:
    """Write ``<out>/summaries/<notebook>.json`` and return its path.

    Parameters
    ----------
    out : path-like
        The notebook's output folder (holding ``tables/`` and ``figures/``).
    notebook : str
        Notebook stem, e.g. ``"30-rd-projection"`` (sets the section order in the report).
    title, headline : dict
        ``{"zh": …, "en": …}``: section title; one sentence for the report's summary page.
    paragraphs : dict
        ``{"zh": [...], "en": [...]}``: paragraphs (Markdown-free plain text) reading the numbers.
    figures : list of dict
        ``{"file": "figures/x.png", "caption": {"zh", "en"}}``; files relative to ``out``.
    tables : list of dict
        ``{"file": "tables/x.csv", "caption": {...}, "columns": [...], "labels": {"zh": [...], "en": [...]},
        "max_rows": int}``: which columns to print in the PDF and their headers.
    statuses : iterable of str
        Statuses of the values used (``illustrative`` makes the report mark the section).
    notes : dict, optional
        ``{"zh": [...], "en": [...]}``: caveats (method, assumptions, default plan, short series …).
    numbers : dict, optional
        Key numbers (JSON-safe) for the report's tests and the run log.

    Raises
    ------
    ParameterError
        If a text is not bilingual, a figure or table lacks its file or the file does not exist, a table's
        labels are not bilingual or do not match its columns, or a status is unknown.
    """
    out = Path(out)
    _check_text(title, "title")
    _check_text(headline, "headline")
    _check_texts(paragraphs, "paragraphs")
    notes = _check_texts(notes or {"zh": [], "en": []}, "notes")
    for item in list(figures) + list(tables):
        if not isinstance(item, dict) or not item.get("file"):
            raise ParameterError(bi(f"摘要中的图表缺少 file 键：{item!r}", f"a figure or table of the summary lacks its `file`: {item!r}"))
        _check_text(item.get("caption"), f"caption of {item.get('file')}")
        if not (out / item["file"]).is_file():
            raise ParameterError(bi(f"摘要引用的文件不存在：{out / item['file']}", f"the summary names a missing file: {out / item['file']}"))
    for t in tables:
        labels = t.get("labels", {})
        if not labels:
            continue
        if not (isinstance(labels, dict) and set(labels) == {"zh", "en"} and all(isinstance(v, list) for v in labels.values())):
            raise ParameterError(bi(f"表 {t['file']} 的列标签应为 {{'zh': [...], 'en': [...]}}",
                                    f"labels of table {t['file']} must be {{'zh': [...], 'en': [...]}}"))
        if not t.get("columns"):
            raise ParameterError(bi(f"表 {t['file']} 有列标签但没有 columns", f"table {t['file']} has labels but no `columns`"))
        if any(len(labels[k]) != len(t["columns"]) for k in ("zh", "en")):
            raise ParameterError(bi(f"表 {t['file']} 的列标签数与列数不符", f"labels of table {t['file']} do not match its columns"))
    bad = sorted(set(statuses) - set(STATUSES) - {"projected", "missing", "modelled"})
    if bad:
        raise ParameterError(bi(f"未知数据状态 {bad}", f"unknown statuses {bad}"))
    doc = {
        "schema": SCHEMA_VERSION, "notebook": notebook, "county": county, "year": int(year), "title": title,
        "headline": headline, "paragraphs": paragraphs, "figures": list(figures), "tables": list(tables),
        "statuses": sorted(set(statuses)), "notes": notes, "numbers": numbers or {},
    }
    path = out / SUMMARY_DIR / f"{notebook}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_clean(doc), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_summaries(out: str | Path) -> list[dict]:
    """Every summary of an output folder, in notebook order."""
    folder = Path(out) / SUMMARY_DIR
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
