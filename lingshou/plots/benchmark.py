"""Figures of the peer benchmarking: peers ranked by score, simulated rank intervals, the pillar profile.

Each takes the tables of :mod:`lingshou.evaluation.benchmarking` (``benchmark.csv`` as a DataFrame) or the
pillar rows of :func:`~lingshou.evaluation.benchmarking.benchmark_results`, highlights the county, writes every
label in ``lang`` and marks the figure when the data are illustrative.  With many peers (more than
:data:`MAX_NAMED` — e.g. all 167 Hebei counties) the county names no longer fit: only the county is named.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from lingshou.errors import ParameterError
from lingshou.i18n import bi, check_lang
from lingshou.plots import GRADE_COLOURS, HIGHLIGHT, NEUTRAL, mark_status, new_axes
from lingshou.plots.labels import label

#: Above this many peers only the county is named on the axis.
MAX_NAMED = 40
PEER_COLOUR = "#8FB8DE"
MEDIAN_COLOUR = "#555555"
#: Gap between the axes and the legend below them, in legend font sizes (room for tick labels and axis label).
LEGEND_GAP = 4.2
_SCORE_COLUMNS = ("county", "score", "grade")
_RANK_COLUMNS = ("county", "rank", "rank_p05", "rank_median", "rank_p95")
_PILLAR_COLUMNS = ("pillar", "points", "max_points", "peer_median")


def _frame(table, needed, what: str) -> pd.DataFrame:
    frame = pd.DataFrame(table) if not isinstance(table, pd.DataFrame) else table
    absent = [c for c in needed if c not in frame.columns]
    if absent or frame.empty:
        raise ParameterError(bi(f"{what} 缺少列 {absent} 或为空", f"{what} lacks column(s) {absent} or is empty"))
    return frame


def _county(frame: pd.DataFrame, county: str) -> None:
    if county not in set(frame["county"]):
        raise ParameterError(bi(f"县 {county!r} 不在表中", f"county {county!r} is not in the table"))


def _legend_below(ax, handles) -> None:
    """Legend under the axes, clear of the tick labels and the axis label.

    The gap is set in font units (``borderaxespad``), not in axes fractions, so it is the same on a short
    figure (5 pillars) as on a tall one (22 counties); the layout engine then keeps the legend inside the
    figure and above the illustrative-data mark.
    """
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), borderaxespad=LEGEND_GAP,
              ncol=min(len(handles), 5), fontsize=8, frameon=False)


def _grade_spans(grades) -> list[tuple[str, float, float]]:
    """(grade, lower, upper) from the top grade down; the top grade reaches 100."""
    ordered = sorted(grades, key=lambda g: -g["min"])
    spans, upper = [], 100.0
    for g in ordered:
        spans.append((g["grade"], float(g["min"]), upper))
        upper = float(g["min"])
    return spans


def _band_label(grade: str, lo: float, hi: float, top: bool, lang: str) -> str:
    key = "top" if top else ("bottom" if lo == 0 else "middle")
    return label(f"peers.band.{key}", lang, grade=grade, lo=lo, hi=hi)


def _peers_title(peers_label, n: int, lang: str) -> str:
    if peers_label:
        return peers_label[lang]
    return label("peers.default", lang, n=n)


# long: one figure drawn layer by layer in two layouts (named bars for a prefecture, unnamed columns for a province).
def plot_peer_scores(table: pd.DataFrame, county: str, grades, *, statuses=(), lang: str = "zh", ax=None,
                     peers_label: dict | None = None, group=None):
    """Peers ranked by model score, the grade bands behind them, the county highlighted.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`lingshou.evaluation.benchmarking.benchmark_table` (``county, score, grade``; ``score_p05`` and
        ``score_p95`` draw the simulated 5–95 % interval when present).
    county : str
    grades : list of dict
        The model's grades (``grade``, ``min``), e.g. ``model["grades"]``.
    statuses : iterable of str
        Statuses of the data; ``illustrative`` adds the visible mark.
    lang : {'zh', 'en'}
    ax : matplotlib Axes, optional
    peers_label : dict, optional
        ``{"zh", "en"}`` among whom (``全省167个县（市、区）``), for the title.
    group : list of str, optional
        Counties drawn in a colour of their own (the county's prefecture) when there are too many to name.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ParameterError
        Unknown ``lang``, a table without the columns, or a county not in it.
    """
    check_lang(lang)
    frame = _frame(table, _SCORE_COLUMNS, "table")
    _county(frame, county)
    frame = frame.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
    n = len(frame)
    named = n <= MAX_NAMED
    fig, ax = new_axes(ax, figsize=(8, max(4.5, 0.27 * n + 1.6)) if named else (9, 5))
    spans = _grade_spans(grades)
    position = np.arange(n)
    in_group = set(group or ()) if not named else set()
    colours = [HIGHLIGHT if c == county else (NEUTRAL if c in in_group else PEER_COLOUR) for c in frame["county"]]
    has_interval = {"score_p05", "score_p95"} <= set(frame.columns)
    for i, (grade, lo, hi) in enumerate(spans):
        colour = GRADE_COLOURS.get(grade, "#DDDDDD")
        (ax.axvspan if named else ax.axhspan)(lo, hi, color=colour, alpha=0.12, linewidth=0)
        if lo > 0:
            (ax.axvline if named else ax.axhline)(lo, color=colour, linestyle="--", linewidth=1)
    if named:
        ax.barh(position, frame["score"], color=colours, height=0.7, zorder=2)
        if has_interval:
            ax.hlines(position, frame["score_p05"], frame["score_p95"], color="#333333", linewidth=0.9, zorder=3)
        ax.set_yticks(position, frame["county"])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlabel(label("peers.score_axis", lang))
        ax.grid(axis="y", visible=False)
        for tick in ax.get_yticklabels():
            if tick.get_text() == county:
                tick.set_color(HIGHLIGHT)
        for y, score in zip(position, frame["score"]):
            ax.text(1, y, f"{score:.1f}", va="center", ha="left", fontsize=7, color="#222222", zorder=4)
    else:
        ax.bar(position, frame["score"], color=colours, width=0.85, zorder=2)
        if has_interval:
            ax.vlines(position, frame["score_p05"], frame["score_p95"], color="#333333", linewidth=0.5, alpha=0.5, zorder=3)
        ax.set_xticks([])
        ax.set_ylim(0, 100)
        ax.set_xlim(-1, n)
        ax.set_ylabel(label("peers.score_axis", lang))
        ax.set_xlabel(label("peers.by_score", lang, n=n))
        where = int(np.flatnonzero(frame["county"].to_numpy() == county)[0])
        score = float(frame.loc[where, "score"])
        ax.annotate(f"{county} {score:.1f}", xy=(where, score), xytext=(where, min(score + 12, 98)),
                    ha="center", fontsize=9, color=HIGHLIGHT, arrowprops=dict(arrowstyle="->", color=HIGHLIGHT))
    handles = [Patch(color=GRADE_COLOURS.get(g, "#DDDDDD"), alpha=0.3, label=_band_label(g, lo, hi, i == 0, lang))
               for i, (g, lo, hi) in enumerate(spans)]
    handles.append(Patch(color=HIGHLIGHT, label=county))
    if in_group:
        handles.append(Patch(color=NEUTRAL, label=_group_label(frame, group, lang)))
    if has_interval:
        handles.append(Line2D([], [], color="#333333", linewidth=1, label=label("peers.score_interval", lang)))
    _legend_below(ax, handles)
    ax.set_title(label("peers.scores_title", lang, peers=_peers_title(peers_label, n, lang)), fontsize=11)
    return mark_status(fig, statuses, lang)


def _group_label(frame: pd.DataFrame, group, lang: str) -> str:
    """"同市其他县（市、区）" / "same prefecture" (the prefecture's name when the table carries it)."""
    pref = frame.loc[frame["county"].isin(group), "prefecture"].dropna().unique() if "prefecture" in frame else []
    name = str(pref[0]) if len(pref) == 1 else ""
    return label("peers.group.named", lang, name=name) if name else label("peers.group.same", lang)


def plot_rank_intervals(table: pd.DataFrame, county: str, *, statuses=(), lang: str = "zh", ax=None,
                        peers_label: dict | None = None, group=None):
    """Simulated ranks of every peer: the 5–95 % interval, the median and the deterministic rank.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`lingshou.evaluation.benchmarking.benchmark_table` (``county, rank, rank_p05, rank_median, rank_p95``).
    county : str
    statuses, lang, ax, peers_label, group
        As for :func:`plot_peer_scores`.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ParameterError
        Unknown ``lang``, a table without the columns, or a county not in it.
    """
    check_lang(lang)
    frame = _frame(table, _RANK_COLUMNS, "table")
    _county(frame, county)
    frame = frame.sort_values(["rank", "rank_median"], kind="stable").reset_index(drop=True)
    n = len(frame)
    named = n <= MAX_NAMED
    fig, ax = new_axes(ax, figsize=(8, max(4.5, 0.27 * n + 1.6)) if named else (8, 9))
    y = np.arange(n)
    mine = (frame["county"] == county).to_numpy()
    grouped = frame["county"].isin(set(group or ())).to_numpy() & ~mine if not named else np.zeros(n, dtype=bool)
    others_colour = PEER_COLOUR if grouped.any() else NEUTRAL
    for flag, colour, width, size in ((~mine & ~grouped, others_colour, 1.6 if named else 0.8, 5 if named else 2.5),
                                      (grouped, NEUTRAL, 1.4, 3.5), (mine, HIGHLIGHT, 3.0, 7)):
        ax.hlines(y[flag], frame.loc[flag, "rank_p05"], frame.loc[flag, "rank_p95"], color=colour, linewidth=width)
        # the county's median sits on its own thick line: an outlined marker keeps it visible
        ax.plot(frame.loc[flag, "rank_median"], y[flag], "o", color=colour, markersize=size,
                markeredgecolor="white" if flag is mine else colour, markeredgewidth=0.8)
    ax.plot(frame["rank"], y, "|", color="#000000", markersize=9 if named else 4, markeredgewidth=1.2)
    ax.set_xlim(0.5, n + 0.5)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlabel(label("peers.rank_axis", lang))
    ax.grid(axis="y", visible=False)
    if named:
        ax.set_yticks(y, frame["county"])
        for tick in ax.get_yticklabels():
            if tick.get_text() == county:
                tick.set_color(HIGHLIGHT)
    else:
        ax.set_yticks(y[mine], [county])
        ax.get_yticklabels()[0].set_color(HIGHLIGHT)
        ax.set_ylabel(label("peers.by_rank", lang, n=n))
    handles = [Line2D([], [], color=others_colour, linewidth=2, label=label("peers.rank_interval", lang)),
               Line2D([], [], color=others_colour, marker="o", linestyle="", label=label("peers.rank_median", lang)),
               Line2D([], [], color="#000000", marker="|", linestyle="", markersize=9,
                      label=label("peers.rank_nominal", lang)),
               Line2D([], [], color=HIGHLIGHT, linewidth=3, label=county)]
    if grouped.any():
        handles.append(Line2D([], [], color=NEUTRAL, linewidth=2, label=_group_label(frame, group, lang)))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _legend_below(ax, handles)
    ax.set_title(label("peers.ranks_title", lang, peers=_peers_title(peers_label, n, lang)), fontsize=11)
    return mark_status(fig, statuses, lang)


def plot_pillar_profile(pillars, county: str, *, statuses=(), lang: str = "zh", ax=None):
    """The county's points per pillar against the peer median, as % of each pillar's maximum.

    Parameters
    ----------
    pillars : pandas.DataFrame or list of dict
        One row per pillar (``pillar, points, max_points, peer_median``; optional ``name_en`` for English
        labels and ``assumed`` to mark points that are the model's default), e.g. the ``pillars`` of
        :func:`lingshou.evaluation.benchmarking.benchmark_results` or ``PeerPosition.pillars``; drawn in the given
        order, top to bottom.
    county : str
        Named in the legend.
    statuses, lang, ax
        As for :func:`plot_peer_scores`.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ParameterError
        Unknown ``lang``, missing columns, or a pillar maximum that is not positive.
    """
    check_lang(lang)
    frame = _frame(pillars, _PILLAR_COLUMNS, "pillars").reset_index(drop=True)
    maxima = frame["max_points"].astype(float)
    if not (maxima > 0).all():
        raise ParameterError(bi(f"一级指标满分须为正数：{maxima.tolist()}", f"pillar maxima must be positive: {maxima.tolist()}"))
    own = 100.0 * frame["points"].astype(float) / maxima
    median = 100.0 * frame["peer_median"].astype(float) / maxima
    assumed = frame["assumed"].astype(bool) if "assumed" in frame.columns else pd.Series(False, index=frame.index)
    names = frame["name_en"] if lang == "en" and "name_en" in frame.columns else frame["pillar"]
    labels = [f"{name}{label('peers.assumed', lang) if flag else ''}" for name, flag in zip(names, assumed)]
    fig, ax = new_axes(ax, figsize=(8, 1.0 + 0.75 * len(frame)))
    y = np.arange(len(frame))
    height = 0.38
    bars = ax.barh(y - height / 2, own, height=height, color=HIGHLIGHT, label=county)
    for bar, flag in zip(bars, assumed):
        if flag:
            bar.set_hatch("//")
            bar.set_edgecolor("white")
    ax.barh(y + height / 2, median, height=height, color=MEDIAN_COLOUR, alpha=0.6, label=label("peers.median", lang))
    for yy, value in zip(y - height / 2, own):
        ax.text(value + 1, yy, f"{value:.0f}%", va="center", fontsize=8, color=HIGHLIGHT)
    for yy, value in zip(y + height / 2, median):
        ax.text(value + 1, yy, f"{value:.0f}%", va="center", fontsize=8, color=MEDIAN_COLOUR)
    ax.set_yticks(y, labels)
    ax.set_ylim(len(frame) - 0.4, -0.6)
    ax.set_xlim(0, 110)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel(label("peers.pillar_axis", lang))
    ax.grid(axis="y", visible=False)
    _legend_below(ax, ax.get_legend_handles_labels()[0])
    ax.set_title(label("peers.pillar_title", lang, county=county), fontsize=11)
    return mark_status(fig, statuses, lang)
