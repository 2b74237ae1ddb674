"""Figures of the gap analysis: achievement by target (lollipop coloured by status) and status by department."""
from __future__ import annotations

import math
import textwrap

import numpy as np
from matplotlib.patches import Patch

from lingshou.analysis.gap import STATUS_ORDER, status_text
from lingshou.i18n import check_lang
from lingshou.plots import STATUS_COLOURS, new_axes
from lingshou.plots.labels import label

#: Achievements beyond this (percent) are drawn at the edge with an arrow head and their value.
ACHIEVEMENT_CAP = 200.0


def wrap_label(text: str, lang: str, width_zh: int = 16, width_en: int = 34) -> str:
    """Wrap a label to lines of at most ``width_zh`` characters (Chinese) or ``width_en`` (English)."""
    if lang == "zh":
        # Balanced lines, so that a label never ends with a one- or two-character orphan line.
        lines = -(-len(text) // width_zh)
        step = -(-len(text) // max(lines, 1))
        return "\n".join(text[i:i + step] for i in range(0, len(text), step)) if text else text
    return "\n".join(textwrap.wrap(text, width_en)) or text


def _value_label(r, lang: str) -> str:
    if r["status"] == "no_data":
        return label("gap.no_data", lang)
    return f"{r['actual_text_' + lang]}  |  {r['target_text_' + lang]}"


def plot_achievement(table, county: str, year: int, lang: str = "zh", close_pct: float = 10.0,
                     plan_note: str | None = None, ax=None):
    """Lollipop chart of achievement (actual ÷ target, %) by plan target, coloured by status.

    Parameters
    ----------
    table : DataFrame
        From :func:`lingshou.analysis.gap.analyse_gaps` (plan order, top to bottom).
    county : str
    year : int
    lang : {'zh', 'en'}
    close_pct : float
        Width of the close band drawn left of 100 %.
    plan_note : str, optional
        Which plan measures the county (:meth:`lingshou.plan.targets.Plan.note`), shown under the title.
    ax : matplotlib Axes, optional

    Notes
    -----
    Achievements above :data:`ACHIEVEMENT_CAP` are drawn at the cap with an arrow head; negative ones
    (a shrinking indicator under a growth rule) at 0.  Rules without a ratio (逐年递增, a grade without a
    score) sit at 100 % when met and at 0 otherwise.  Each row carries its actual value and target.
    """
    check_lang(lang)
    n = len(table)
    fig, ax = new_axes(ax, figsize=(11, 0.4 * n + 2.0))
    y = np.arange(n)[::-1]
    ach = table["achievement_pct"].to_numpy(dtype=float)
    status = table["status"].to_numpy()
    x = np.where(np.isnan(ach), np.where(status == "met", 100.0, 0.0), np.clip(ach, 0.0, ACHIEVEMENT_CAP))
    colours = [STATUS_COLOURS[s] for s in status]
    ax.axvspan(100.0 - close_pct, 100.0, color=STATUS_COLOURS["close"], alpha=0.12, linewidth=0)
    ax.axvline(100.0, color="#333333", linewidth=1.0)
    for yi, xi, c, s, a in zip(y, x, colours, status, ach):
        if s == "no_data":
            ax.plot([0], [yi], marker="x", color=c, markersize=7, clip_on=False)
            continue
        ax.hlines(yi, 0, xi, color=c, linewidth=2.2)
        capped = not math.isnan(a) and a > ACHIEVEMENT_CAP
        ax.plot([xi], [yi], marker=">" if capped else "o", color=c, markersize=8)
        if capped:
            ax.annotate(f"{a:.0f}%", (xi, yi), xytext=(-6, 7), textcoords="offset points", ha="right", fontsize=7, color=c)
    for yi, (_, r) in zip(y, table.iterrows()):
        ax.annotate(_value_label(r, lang), xy=(1.01, yi), xycoords=("axes fraction", "data"), va="center", ha="left",
                    fontsize=7.5, color="#333333", annotation_clip=False)
    names = table["name_zh"] if lang == "zh" else table["name_en"]
    ax.set_yticks(y, [wrap_label(t, lang, 16, 44) for t in names], fontsize=8)
    ax.set_ylim(-0.7, n - 0.3)
    right = max(120.0, float(np.nanmax(x)) + 10.0 if n else 120.0)
    ax.set_xlim(0, right)
    ax.set_xticks(np.arange(0, right + 1, 25))
    ax.annotate(label("gap.value_header", lang), xy=(1.01, n - 0.45), xycoords=("axes fraction", "data"),
                va="bottom", ha="left", fontsize=8, color="#555555", annotation_clip=False)
    ax.set_xlabel(label("gap.achievement_axis", lang), fontsize=9)
    ax.grid(axis="y", visible=False)
    fig.suptitle(label("gap.title", lang, county=county, year=year), fontsize=12)
    if plan_note:
        ax.set_title(wrap_label(plan_note, lang, 60, 110), fontsize=8, loc="left", color="#555555")
    handles = [Patch(color=STATUS_COLOURS[s], label=status_text(s, lang)) for s in STATUS_ORDER]
    handles.append(Patch(color=STATUS_COLOURS["close"], alpha=0.12,
                         label=label("gap.close_band", lang, lo=100 - close_pct)))
    fig.legend(handles=handles, loc="outside lower center", ncol=5, fontsize=8, frameon=False)
    return fig


def plot_units(by_unit, county: str, year: int, lang: str = "zh", plan_note: str | None = None, ax=None):
    """Stacked bars: for each department, how many of the targets it leads or shares are met, close,
    behind or without data.

    Parameters
    ----------
    by_unit : DataFrame
        From :func:`lingshou.analysis.gap.gap_by_unit` (drawn top to bottom in its order).
    county : str
    year : int
    lang : {'zh', 'en'}
    plan_note : str, optional
        Shown under the title.
    ax : matplotlib Axes, optional
    """
    check_lang(lang)
    n = len(by_unit)
    fig, ax = new_axes(ax, figsize=(9.5, 0.45 * n + 1.9))
    y = np.arange(n)[::-1]
    left = np.zeros(n)
    for s in STATUS_ORDER:
        v = by_unit[f"n_{s}"].to_numpy(dtype=float)
        ax.barh(y, v, left=left, color=STATUS_COLOURS[s], label=status_text(s, lang), height=0.62)
        for yi, li, vi in zip(y, left, v):
            if vi > 0:
                ax.text(li + vi / 2, yi, f"{vi:.0f}", ha="center", va="center", fontsize=8, color="white")
        left = left + v
    labels = []
    for _, r in by_unit.iterrows():
        name = r["unit"] if lang == "zh" else r["unit_en"]
        lead = label("gap.unit_leads", lang, n=r["n_lead"]) if r["n_lead"] else ""
        labels.append(wrap_label(name, lang, 14, 30) + lead)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(label("gap.unit_axis", lang), fontsize=9)
    ax.set_xlim(0, max(float(left.max()), 1.0) * 1.05)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    fig.suptitle(label("gap.unit_title", lang, county=county, year=year), fontsize=12)
    if plan_note:
        ax.set_title(wrap_label(plan_note, lang, 52, 100), fontsize=8, loc="left", color="#555555")
    ax.legend(loc="lower right", fontsize=8, frameon=True, framealpha=0.9)
    return fig
