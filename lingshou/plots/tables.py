"""Tables in the notebooks: HTML with Chinese (or English) column labels and status words, no 0…n index.

JupyterLab and the code-free HTML export of a notebook then show a table as a table, not as fixed-width
text.  The column labels are data (``column_labels.csv`` beside this module: ``column, zh, en``); an
indicator code used as a column is named from the catalogue; a column neither knows keeps its name, so
nothing is hidden.  Of a pair of language columns (``name_zh`` / ``name_en``) only the one of ``lang`` is
shown.  Numbers are rounded for display only (``decimals``); the tables the notebooks write are not touched.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lingshou.analysis.gap import STATUS_TEXT
from lingshou.config import STATUS_LABELS
from lingshou.errors import DataError
from lingshou.i18n import bi, check_lang

LABELS_FILE = Path(__file__).with_name("column_labels.csv")
#: Columns whose values are status words, and the words they translate to (a ``status`` column holds either
#: gap statuses or data statuses; their words do not overlap).
VALUE_WORDS = {"status": {lang: {**STATUS_TEXT[lang], **STATUS_LABELS[lang]} for lang in STATUS_TEXT},
               "data_status": STATUS_LABELS}
YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}
MISSING = "—"


@lru_cache(maxsize=4)
def column_labels(path: Path = LABELS_FILE) -> dict[str, dict[str, str]]:
    """``{column: {"zh": label, "en": label}}`` from the label table.

    Raises
    ------
    DataError
        A column listed twice or a label left empty (file and row named).
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    problems = []
    for i, row in enumerate(table.itertuples(index=False), start=2):
        if not row.column or not row.zh or not row.en:
            problems.append(bi(f"{path} 第{i}行：列名或标签为空", f"{path} row {i}: empty column or label"))
    repeated = sorted(set(table.loc[table["column"].duplicated(), "column"]))
    if repeated:
        problems.append(bi(f"{path}：列名重复 {repeated}", f"{path}: columns listed twice {repeated}"))
    if problems:
        raise DataError("\n".join(problems))
    return {r.column: {"zh": r.zh, "en": r.en} for r in table.itertuples(index=False)}


def _other_language_twin(column: str, columns, lang: str) -> bool:
    """Whether ``column`` is the other language's copy of a column shown in ``lang``.

    In Chinese ``x_en`` goes when ``x_zh`` or ``x`` is there; in English ``x_zh`` goes when ``x_en`` or ``x``
    is there, and so does a plain ``x`` (the Chinese text) when ``x_en`` is there.
    """
    if lang == "zh":
        return column.endswith("_en") and (column[:-3] + "_zh" in columns or column[:-3] in columns)
    if column.endswith("_zh"):
        return column[:-3] + "_en" in columns or column[:-3] in columns
    return column + "_en" in columns


def label_table(table, lang: str = "zh", *, catalogue=None, index: bool | None = None) -> pd.DataFrame:
    """The table as a reader sees it: labelled columns, status words and yes/no in ``lang``.

    Parameters
    ----------
    table : pandas.DataFrame or pandas.Series
        A Series is shown as two columns: its index and its values.
    lang : {"zh", "en"}
    catalogue : lingshou.data.catalogue.Catalogue, optional
        Names indicator codes used as columns (a wide table) or as values of an ``indicator`` column.
    index : bool, optional
        Keep the index as the first column; default: when it is not a plain 0…n range.

    Returns
    -------
    pandas.DataFrame
        A new frame (the input is not changed) with a plain 0…n index.
    """
    check_lang(lang)
    if isinstance(table, pd.Series):
        table = table.rename_axis(table.index.name or "indicator").to_frame(table.name or "value")
    frame = table.copy()
    if index is None:
        index = not isinstance(frame.index, pd.RangeIndex)
    frame = frame.reset_index() if index else frame.reset_index(drop=True)
    frame = frame[[c for c in frame.columns if not (isinstance(c, str) and _other_language_twin(c, frame.columns, lang))]]
    yes, no = YES_NO[lang]
    for column in frame.columns:
        words = VALUE_WORDS.get(column)
        if column == "indicator" and catalogue is not None:
            frame[column] = frame[column].map(
                lambda v: catalogue.name(v, lang) if isinstance(v, str) and v in catalogue.codes else v)
        elif words is not None:
            frame[column] = frame[column].map(lambda v, w=words[lang]: w.get(v, v) if isinstance(v, str) else v)
        elif pd.api.types.is_bool_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: MISSING if pd.isna(v) else (yes if v else no))
    labels = column_labels()

    def label(column) -> str:
        if column in labels:
            return labels[column][lang]
        if catalogue is not None and isinstance(column, str) and column in catalogue.codes:
            return catalogue.name(column, lang)
        return str(column)

    frame.columns = [label(c) for c in frame.columns]
    return frame


def table_html(table, lang: str = "zh", *, decimals: int = 2, catalogue=None,
               index: bool | None = None) -> str:
    """HTML of :func:`label_table` (pandas Styler): floats to ``decimals`` places, missing as —, no index.

    The element ids derive from the labelled columns and shape, so the same table gives the same HTML
    (nbval compares it).
    """
    frame = label_table(table, lang, catalogue=catalogue, index=index)
    if frame.columns.duplicated().any():
        # Two columns with one label (e.g. an unlabelled code that shares a name): keep both, numbered.
        seen: dict[str, int] = {}
        columns = []
        for c in frame.columns:
            seen[c] = seen.get(c, 0) + 1
            columns.append(c if seen[c] == 1 else f"{c} ({seen[c]})")
        frame.columns = columns
    key = "|".join(map(str, frame.columns)) + f"|{frame.shape}"
    styler = (frame.style.hide(axis="index").format(precision=decimals, na_rep=MISSING)
              .set_uuid(hashlib.sha256(key.encode("utf-8")).hexdigest()[:10])
              .set_table_attributes('class="lingshou-table"'))
    return styler.to_html()


def show_table(table, lang: str = "zh", *, decimals: int = 2, catalogue=None,
               index: bool | None = None) -> None:
    """Show :func:`table_html` in a notebook (outside IPython, print the labelled table as text)."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:  # pragma: no cover - IPython comes with the notebook stack
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(HTML(table_html(table, lang, decimals=decimals, catalogue=catalogue, index=index)))
    else:
        print(label_table(table, lang, catalogue=catalogue, index=index).round(decimals).to_string(index=False))
