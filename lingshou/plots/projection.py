"""Figures of the R&D projection notebook: the fan chart and the intensity paths per revenue scenario.

Both take the table and summary of :func:`lingshou.analysis.projection.build_projection` (money in 万元, intensity
in percent of revenue), draw nothing that the table does not hold, and mark the figure when the data are
illustrative.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from lingshou.analysis.projection import SCENARIOS, check_projection_output
from lingshou.errors import ParameterError
from lingshou.i18n import bi, check_lang
from lingshou.plots import HIGHLIGHT, NEUTRAL, mark_status, new_axes
from lingshou.plots.labels import label

ACTUAL_COLOUR = "#000000"
TREND_COLOUR = "#555555"
TARGET_COLOUR = "#009E73"
#: Revenue scenario → line colour and style. Low revenue growth gives the HIGHER intensity.
SCENARIO_STYLE = {"low": ("#E69F00", "-."), "central": (NEUTRAL, "--"), "high": ("#56B4E9", ":")}
_NOTE_BOX = dict(boxstyle="round,pad=0.35", facecolor="#F7F7F7", edgecolor="#BBBBBB", linewidth=0.6)


def _finish(fig, ax, years, title: str, ylabel: str, statuses, lang: str, legend_loc: str):
    ax.set_title(title, fontsize=11)
    ax.set_xlabel(label("rd.year_axis", lang))
    ax.set_ylabel(ylabel)
    # Every year of the table stays on the axis, so the end year shows even when nothing reaches it.
    ax.set_xlim(min(years) - 0.4, max(years) + 0.4)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.legend(loc=legend_loc, fontsize=8, frameon=False)
    mark_status(fig, statuses, lang)
    return fig


def plot_rd_fan(table: pd.DataFrame, summary: Mapping, *, county: str = "", statuses=(), lang: str = "zh",
                ax=None):
    """Fan chart of enterprise R&D: actuals, the plan path, the trend, the 5–95 % and 25–75 % bands and median.

    Parameters
    ----------
    table, summary
        From :func:`lingshou.analysis.projection.build_projection` (万元).
    county : str, optional
        Shown in the title.
    statuses : iterable of str
        Statuses of the values plotted; ``"illustrative"`` adds the visible 示例数据 mark.
    lang : {"zh", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ParameterError
        On an unknown ``lang`` or a table/summary not from ``build_projection``.
    """
    check_lang(lang)
    t = check_projection_output(table, summary)
    fig, ax = new_axes(ax, figsize=(8, 4.8))
    latest, end = int(summary["latest_year"]), int(summary["end_year"])
    g, base = float(summary["growth_target_pct"]), int(summary["base_year"])
    future = t[t.index > latest]
    if summary["simulated"] and len(future):
        # The fan opens at the latest actual, so every band starts from the observed point.
        x = np.concatenate([[latest], future.index.to_numpy()])
        anchor = float(summary["latest_value"])
        for lo, hi, alpha, band in (("p05", "p95", 0.18, "rd.band90"), ("p25", "p75", 0.35, "rd.band50")):
            ax.fill_between(x, np.concatenate([[anchor], future[lo].to_numpy()]),
                            np.concatenate([[anchor], future[hi].to_numpy()]),
                            color=NEUTRAL, alpha=alpha, linewidth=0, label=label(band, lang))
        ax.plot(x, np.concatenate([[anchor], future["p50"].to_numpy()]), color=NEUTRAL, linewidth=2,
                label=label("rd.median", lang))
    plan = t["plan_path"].dropna()
    ax.plot(plan.index, plan.to_numpy(), color=HIGHLIGHT, linestyle="--", linewidth=1.6,
            label=label("rd.plan_path", lang, growth=g, base=base))
    trend = t["trend_path"].dropna()
    if len(trend):
        ax.plot(trend.index, trend.to_numpy(), color=TREND_COLOUR, linestyle=":", linewidth=1.3,
                label=label("rd.trend", lang))
    actual = t["actual"]
    ax.plot(actual.index, actual.to_numpy(), color=ACTUAL_COLOUR, marker="o", markersize=4, linewidth=1.6,
            label=label("rd.actual", lang))
    if len(future):
        ax.axvline(latest, color="#999999", linewidth=0.8, linestyle="-", zorder=0)
    if not summary["simulated"] and end > latest:
        n = int(summary["n_obs"])
        ax.text(0.98, 0.04, label("rd.one_value", lang) if n == 1 else label("rd.few_values", lang, n=n),
                transform=ax.transAxes, ha="right", va="bottom", fontsize=8, bbox=_NOTE_BOX)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    title = label("rd.fan_title", lang, county=county, growth=g)
    return _finish(fig, ax, t.index, title, label("rd.fan_axis", lang), statuses,
                   lang, "upper left")


def plot_intensity_paths(intensities: pd.DataFrame, summary: Mapping, *, county: str = "", statuses=(),
                         lang: str = "zh", ax=None):
    """R&D intensity: actuals, then one path per revenue scenario, against the target line.

    Parameters
    ----------
    intensities : pandas.DataFrame
        From :func:`intensity_scenarios` (index year; columns low, central, high; percent).
    summary : mapping
        From :func:`lingshou.analysis.projection.build_projection`.
    county : str, optional
    statuses : iterable of str
        ``"illustrative"`` adds the visible 示例数据 mark.
    lang : {"zh", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ParameterError
        On an unknown ``lang`` or ``intensities`` without the scenario columns.
    """
    check_lang(lang)
    if not isinstance(intensities, pd.DataFrame) or any(s not in intensities.columns for s in SCENARIOS):
        raise ParameterError(bi(f"intensities 必须是含 {SCENARIOS} 列的 DataFrame（来自 intensity_scenarios）",
                                f"intensities must be a DataFrame with the columns {SCENARIOS} (from intensity_scenarios)"))
    fig, ax = new_axes(ax, figsize=(8, 4.8))
    latest, end = int(summary["latest_year"]), int(summary["end_year"])
    target, target_year = float(summary["intensity_target_pct"]), int(summary["intensity_target_year"])
    rates = summary["revenue_growth_pct"]
    ahead = intensities[intensities.index >= latest].dropna(how="all")
    if rates is not None and end > latest and len(ahead) > 1:
        ax.fill_between(ahead.index, ahead["high"].to_numpy(), ahead["low"].to_numpy(), color=NEUTRAL, alpha=0.12,
                        linewidth=0)
        for s in SCENARIOS:
            colour, style = SCENARIO_STYLE[s]
            ax.plot(ahead.index, ahead[s].to_numpy(), color=colour, linestyle=style, linewidth=1.6,
                    label=label("rd.scenario_line", lang, name=label(f"rd.scenario.{s}", lang), rate=rates[s]))
    actual = intensities.loc[intensities.index <= latest, "central"]
    ax.plot(actual.index, actual.to_numpy(), color=ACTUAL_COLOUR, marker="o", markersize=4, linewidth=1.6,
            label=label("rd.actual", lang))
    ax.axhline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1.2,
               label=label("rd.target_line", lang, target=target))
    ax.plot([target_year], [target], marker="*", markersize=11, color=TARGET_COLOUR, linestyle="none",
            label=label("rd.plan_point", lang, year=target_year, target=target))
    crossing = (summary.get("crossing_years") or {}).get("central")
    if crossing is not None and crossing in intensities.index:
        y = float(intensities.at[crossing, "central"])
        ax.annotate(label("rd.crossing", lang, year=crossing, target=target), (crossing, y),
                    xytext=(-30, 22), textcoords="offset points", ha="right", fontsize=8, color=NEUTRAL,
                    arrowprops=dict(arrowstyle="-", color=NEUTRAL, linewidth=0.6))
    if rates is None and end > latest:
        ax.text(0.5, 0.04, label("rd.no_scenarios", lang),
                transform=ax.transAxes, ha="center", va="bottom", fontsize=8, bbox=_NOTE_BOX)
    if latest < end:
        ax.axvline(latest, color="#999999", linewidth=0.8, zorder=0)
    top = np.nanmax(np.append(intensities.to_numpy(dtype=float).ravel(), target))
    ax.set_ylim(0, top * 1.18)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:.2f}"))
    title = label("rd.intensity_title", lang, county=county, target=target)
    # Intensity rises from the left, so the lower right is the free corner (upper left would cross the
    # target line).
    return _finish(fig, ax, intensities.index, title, label("rd.intensity_axis", lang), statuses,
                   lang, "lower right")
