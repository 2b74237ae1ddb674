"""Figure of the fiscal S&T analysis: spending and its share of the budget over time, with the targets."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch

from lingshou.analysis.fiscal import EXPENDITURE, scenario_label
from lingshou.i18n import check_lang
from lingshou.plots import NEUTRAL, STATUS_COLOURS, setup_fonts
from lingshou.plots.gap import wrap_label
from lingshou.plots.labels import label

_ANCHOR_COLOUR = "#7F7F7F"


# long: one two-axis figure drawn layer by layer (~75 lines of matplotlib calls on shared axes).
def plot_fiscal(table, county: str, lang: str = "zh", needs=None, anchors=None, plan_note: str | None = None,
                ax=None):
    """Two panels: fiscal S&T spending (bars, 万元) and its share of the general budget (line, %).

    Parameters
    ----------
    table : DataFrame
        From :func:`lingshou.analysis.fiscal.fiscal_share_table`.
    county : str
    lang : {'zh', 'en'}
    needs : DataFrame, optional
        From :func:`lingshou.analysis.fiscal.needed_spending`; the chosen scenario's required spending is drawn as a
        hatched bar in the year after the data.
    anchors : DataFrame, optional
        From :func:`lingshou.analysis.fiscal.share_anchors`: dotted comparison lines with their labels.
    plan_note : str, optional
        Shown under the title.
    ax : pair of matplotlib Axes, optional
        (spending axes, share axes); default a new figure.

    Notes
    -----
    Bars of years in which spending did not rise over the year before are drawn in the "behind" colour;
    targets are dashed lines labelled with their value and year.
    """
    check_lang(lang)
    setup_fonts()
    if ax is None:
        fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 7.4), sharex=True, layout="constrained",
                                       height_ratios=[1.1, 1.0])
    else:
        ax1, ax2 = ax
        fig = ax1.figure
    years = table["year"].to_numpy()
    spend = table[EXPENDITURE].to_numpy(dtype=float)
    fell = table["increased_vs_prior_year"].eq(False).fillna(False).to_numpy(dtype=bool)
    colours = np.where(fell, STATUS_COLOURS["behind"], NEUTRAL)
    ax1.bar(years, np.nan_to_num(spend), color=colours, width=0.62)
    for x, v in zip(years, spend):
        if not math.isnan(v):
            ax1.annotate(f"{v:,.0f}", (x, v), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=7.5)
    handles = [Patch(color=NEUTRAL, label=label("fiscal.rose", lang))]
    if fell.any():
        handles.append(Patch(color=STATUS_COLOURS["behind"], label=label("fiscal.fell", lang)))
    top = np.nanmax(spend) if np.isfinite(spend).any() else 1.0
    te = float(table["target_expenditure"].iloc[0])
    if not math.isnan(te):
        line = ax1.axhline(te, color=STATUS_COLOURS["close"], linestyle="--", linewidth=1.2,
                           label=label("fiscal.spend_target", lang, target=te))
        handles.append(line)
        top = max(top, te)
    if needs is not None and len(needs):
        chosen = needs[needs["chosen"]].iloc[0] if needs["chosen"].any() else needs.iloc[-1]
        req, nx = float(chosen["spending_required"]), int(chosen["next_year"])
        ax1.bar([nx], [req], color="white", edgecolor=NEUTRAL, hatch="///", width=0.62)
        # When only the 逐年递增 rule binds, anything above the current spending will do.
        text = f"> {req:,.0f}" if chosen["binding"] == "increase" else f"{req:,.0f}"
        ax1.annotate(text, (nx, req), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=7.5)
        handles.append(Patch(facecolor="white", edgecolor=NEUTRAL, hatch="///",
                             label=label("fiscal.required", lang, year=nx,
                                         scenario=scenario_label(chosen["scenario"], lang))))
        top = max(top, req)
    ax1.set_ylim(0, top * 1.22)
    ax1.set_ylabel(label("fiscal.spend_axis", lang), fontsize=9)
    ax1.legend(handles=handles, loc="upper left", fontsize=7.5, frameon=True, framealpha=0.9, ncol=2)
    ax1.grid(axis="x", visible=False)

    share = table["share_pct"].to_numpy(dtype=float)
    ax2.plot(years, share, marker="o", color=NEUTRAL, linewidth=1.8,
             label=label("fiscal.share_line", lang))
    for x, v in zip(years, share):
        if not math.isnan(v):
            ax2.annotate(f"{v:.2f}", (x, v), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=7.5)
    ts = float(table["target_share_pct"].iloc[0])
    hi = np.nanmax(share) if np.isfinite(share).any() else 1.0
    lo = np.nanmin(share) if np.isfinite(share).any() else 0.0
    if not math.isnan(ts):
        ax2.axhline(ts, color=STATUS_COLOURS["close"], linestyle="--", linewidth=1.2,
                    label=label("fiscal.share_target", lang, target=ts))
        hi, lo = max(hi, ts), min(lo, ts)
    if anchors is not None:
        for _, a in anchors.iterrows():
            ax2.axhline(a["value"], color=_ANCHOR_COLOUR, linestyle=":", linewidth=1.2,
                        label=wrap_label(a["label_zh"] if lang == "zh" else a["label_en"], lang, 30, 60))
            hi, lo = max(hi, a["value"]), min(lo, a["value"])
    ax2.set_ylim(max(0.0, lo - 0.15 * (hi - lo) - 0.05), hi + 0.25 * (hi - lo) + 0.05)
    ax2.set_ylabel(label("fiscal.share_axis", lang), fontsize=9)
    ax2.legend(loc="best", fontsize=7.5, frameon=True, framealpha=0.9)
    last = int(needs["next_year"].max()) if needs is not None and len(needs) else int(years.max())
    ax2.set_xticks(np.arange(int(years.min()), last + 1))
    ax2.set_xlim(years.min() - 0.6, last + 0.6)
    ax2.set_xlabel(label("fiscal.year_axis", lang), fontsize=9)
    ax2.grid(axis="x", visible=False)
    fig.suptitle(label("fiscal.title", lang, county=county), fontsize=12)
    if plan_note:
        ax1.set_title(wrap_label(plan_note, lang, 56, 105), fontsize=8, loc="left", color="#555555")
    return fig
