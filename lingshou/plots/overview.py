"""Figures of the data overview notebook."""
from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from lingshou.plots import new_axes, status_label
from lingshou.plots.labels import label

_STATUS_ORDER = ["published", "provisional", "illustrative", "derived", "missing"]
_COLOURS = ["#0072B2", "#56B4E9", "#E69F00", "#009E73", "#DDDDDD"]


def plot_status_matrix(matrix, names: dict, county: str, lang: str = "zh", ax=None):
    """Heat map of one county's data: indicator × year cells coloured by status (blank = absent).

    Parameters
    ----------
    matrix : DataFrame
        From :func:`lingshou.analysis.overview.county_status_matrix`.
    names : dict
        Indicator code → display name.
    """
    codes = {s: i for i, s in enumerate(_STATUS_ORDER)}
    grid = matrix.apply(lambda col: col.map(lambda v: codes.get(v, np.nan))).to_numpy(dtype=float)
    fig, ax = new_axes(ax, figsize=(8.5, 0.2 * len(matrix) + 1.8))
    ax.imshow(np.ma.masked_invalid(grid), cmap=ListedColormap(_COLOURS), vmin=-0.5, vmax=len(_COLOURS) - 0.5,
              aspect="auto", interpolation="none")
    ax.set_yticks(range(len(matrix)), [names.get(c, c) for c in matrix.index], fontsize=7)
    ax.set_xticks(range(len(matrix.columns)), [str(y) for y in matrix.columns], fontsize=8)
    ax.grid(False)
    ax.set_xticks(np.arange(-0.5, len(matrix.columns)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(matrix)), minor=True)
    ax.grid(which="minor", color="white", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    ax.set_title(label("status.title", lang, county=county), fontsize=11)
    present = [s for s in _STATUS_ORDER if (matrix == s).any().any()]
    handles = [Patch(color=_COLOURS[codes[s]], label=label("status.missing", lang) if s == "missing" else status_label(s, lang))
               for s in present]
    handles.append(Patch(facecolor="white", edgecolor="#999999", label=label("status.absent", lang)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return fig
