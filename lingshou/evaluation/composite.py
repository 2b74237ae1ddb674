"""Composite-index engine: the methodology is data (a *spec*), as in COINr and the OECD/JRC Handbook.

A spec is a mapping (or a YAML file read by :func:`load_spec`)::

    normalise: {method: minmax, range: [0, 100]}  # default for every indicator
    aggregate: arithmetic        # or geometric, or {indicators: arithmetic, groups: geometric}
    impute: none                 # none | mean | median | reweight
    outliers: false              # true, or {skew: 2, kurt: 3.5, winmax: 5}
    indicators:
      <column>:
        direction: 1             # -1: lower is better
        weight: 1.0              # relative within its group
        group: <name>            # optional; absent everywhere = one flat level
        normalise: {method: goalposts, lo: 0, hi: 50}   # optional override
    groups:
      <name>: {weight: 1.0}      # relative weights of the groups
    title: ...                   # optional, documentation only
    description: ...             # optional, documentation only

Pipeline (the Handbook's order): impute → treat outliers → normalise → aggregate indicators into group
scores → aggregate groups into the index.

Normalisation methods (``x`` the raw value, ``[a, b]`` the output ``range``, default ``[0, 100]``):

``minmax``
    ``a + (b − a)·(x − min)/(max − min)`` over the units in the data.
``zscore``
    ``mean + sd·(x − x̄)/s`` with the *sample* standard deviation ``s`` (ddof = 1); output ``mean``
    and ``sd`` default to 0 and 1 (COINr ``n_zscore``).  No ``range``.
``goalposts``
    ``a + (b − a)·(clip(x, lo, hi) − lo)/(hi − lo)``: fixed anchors ``lo < hi`` in raw units.
``target``
    ``a + (b − a)·min(x / target, 1)``; needs ``target > 0`` and ``x ≥ 0``.
``rank``
    ``a + (b − a)·(r − 1)/(n − 1)`` where ``r`` is the rank of ``x`` among the ``n`` observed units,
    1 = lowest, ties given their average rank (``method='average'``).

Direction −1 is applied *before* normalising by negating the raw values (``x → −x``), which makes
minmax ``(max − x)/(max − min)``, reverses z-scores and ranks, and turns goalposts into
``(hi − clip(x, lo, hi))/(hi − lo)`` (``lo`` is then the best value).  Negating has no meaning for a
ratio, so ``target`` with direction −1 uses ``min(target / x, 1)`` (``x = 0`` scores full marks).

Aggregation: ``arithmetic`` is the weighted mean ``Σ wᵢyᵢ / Σ wᵢ``; ``geometric`` the weighted
geometric mean ``exp(Σ wᵢ ln yᵢ / Σ wᵢ)``, which refuses values ≤ 0 (normalise to ``[1, 100]``).
Weights are relative: within a group they are divided by their sum, and so are the groups' weights.

Missing values: ``impute: none`` refuses them and lists the cells; ``mean`` / ``median`` fill a cell
with the column's mean / median over the observed units; ``reweight`` leaves it out and re-normalises
the weights over the indicators (and groups) the unit has.  What was done is reported.

Outliers (``outliers:``), the JRC/COINr rule: an indicator is flagged when ``|skew| > 2`` **and**
``kurtosis > 3.5`` (pandas ``skew()`` / ``kurt()``: the bias-corrected sample statistics, identical to
COINr's).  A flagged indicator is Winsorised one extreme at a time (the high end when skew ≥ 0, else
the low end; the extreme value, with any ties, takes the value of the next one), re-checking after
each step, up to ``winmax`` points (never so far that the column becomes constant); if it is still
flagged, the *original* values are replaced by
``log_CT = ln(x − min + 0.01·(max − min))``.  Only indicators normalised by minmax, zscore or rank are
treated: goalposts and target have fixed anchors that already bound an extreme value's effect.

Reports: :func:`build_composite` returns a :class:`CompositeResult` holding the scores and every report
as DataFrames; :func:`composite` returns the scores alone.

The spec it runs is read and checked by :mod:`lingshou.evaluation.spec`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lingshou.errors import AnalysisError, DataError
from lingshou.evaluation.spec import RANK_DECIMALS, _members, check_spec
from lingshou.i18n import bi

# ---------------------------------------------------------------------------------------------------
# Normalisation


def normalise_values(values, normalise: dict, direction: int = 1, name: str = "x") -> np.ndarray:
    """Normalise one indicator (NaN stays NaN and is left out of min, max, mean, SD and ranks).

    Parameters
    ----------
    values : array-like of float
        Raw values of the units, in the indicator's unit.
    normalise : dict
        A complete block as returned in ``check_spec(...)["indicators"][i]["normalise"]``.
    direction : {1, -1}
        −1 when lower is better (see the module docstring for how it is applied).
    name : str
        Indicator name, for messages.

    Returns
    -------
    numpy.ndarray
        Normalised values (unit of the output ``range``; z-scores for ``zscore``).

    Raises
    ------
    DataError
        Constant column under minmax / zscore, fewer than two observed values under minmax, zscore or
        rank, negative values under target.
    """
    x = np.asarray(values, dtype=float)
    observed = x[~np.isnan(x)]
    method = normalise["method"]
    y = -x if direction == -1 else x
    if method in ("minmax", "zscore", "rank") and observed.size < 2:
        raise DataError(bi(f"指标 {name} 的观测值少于 2 个，无法用 {method} 归一化",
                           f"indicator {name} has fewer than 2 observed values: {method} is impossible"))
    if method in ("minmax", "zscore") and np.nanmax(x) == np.nanmin(x):
        raise DataError(bi(f"指标 {name} 为常数列（{np.nanmin(x):g}），无法用 {method} 归一化",
                           f"indicator {name} is constant ({np.nanmin(x):g}): {method} is impossible"))
    if method == "zscore":
        mean, sd = np.nanmean(y), np.nanstd(y, ddof=1)
        return normalise["mean"] + normalise["sd"] * (y - mean) / sd
    lo, hi = normalise["range"]
    if method == "minmax":
        share = (y - np.nanmin(y)) / (np.nanmax(y) - np.nanmin(y))
    elif method == "goalposts":
        gl, gh = normalise["lo"], normalise["hi"]
        clipped = np.clip(x, gl, gh)
        share = (clipped - gl) / (gh - gl) if direction == 1 else (gh - clipped) / (gh - gl)
    elif method == "target":
        if (observed < 0).any():
            raise DataError(bi(f"指标 {name} 有负值，target 方法要求 x ≥ 0",
                               f"indicator {name} has negative values: method target needs x >= 0"))
        target = normalise["target"]
        if direction == 1:
            share = np.minimum(x / target, 1.0)
        else:
            with np.errstate(divide="ignore"):
                share = np.where(x > 0, np.minimum(target / x, 1.0), 1.0)
            share = np.where(np.isnan(x), np.nan, share)
    else:  # rank
        share = (pd.Series(y).rank(method="average").to_numpy() - 1.0) / (observed.size - 1.0)
    return lo + (hi - lo) * share


# ---------------------------------------------------------------------------------------------------
# Outlier treatment


@dataclass(frozen=True)
class Treatment:
    """Result of :func:`treat_outliers`.

    Attributes
    ----------
    data : pandas.DataFrame
        The treated data (same shape as the input).
    points : pandas.DataFrame
        One row per treated cell: ``indicator, unit, original, treated, treatment`` with treatment
        ``winhi`` / ``winlo`` (Winsorised at the high / low end) or ``log_CT``.
    summary : pandas.DataFrame
        One row per indicator: ``indicator, skew, kurt, flagged, treatment`` (``none`` / ``winsorised``
        / ``log_CT``), ``n_treated, skew_after, kurt_after``.
    """

    data: pd.DataFrame
    points: pd.DataFrame
    summary: pd.DataFrame


def _flagged(values: pd.Series, skew: float, kurt: float) -> bool:
    s, k = values.skew(), values.kurt()
    return bool(np.isfinite(s) and np.isfinite(k) and abs(s) > skew and k > kurt)


def treat_outliers(data: pd.DataFrame, columns=None, skew: float = 2.0, kurt: float = 3.5, winmax: int = 5) -> Treatment:
    """Treat outliers by the JRC/COINr rule (see the module docstring).

    Parameters
    ----------
    data : pandas.DataFrame
        Units × indicators, raw values (NaN allowed and left alone).
    columns : list of str, optional
        Columns to check (default: all).
    skew, kurt : float
        Thresholds: a column is flagged when ``|skew| > skew`` and ``kurtosis > kurt``.
    winmax : int
        Maximum number of Winsorised points per column (ties are Winsorised together, as in COINr, so
        the last step may go past it).

    Returns
    -------
    Treatment
    """
    columns = list(data.columns) if columns is None else list(columns)
    treated = data.copy()
    points, summary = [], []
    for col in columns:
        original = data[col].astype(float)
        x = original.copy()
        flagged = _flagged(x, skew, kurt)
        kinds: dict = {}
        method = "none"
        if flagged:
            n_win = 0
            while _flagged(x, skew, kurt) and n_win < winmax:
                high = x.skew() >= 0
                extreme = x.max() if high else x.min()
                at = x.index[x == extreme]
                rest = x[(x != extreme) & x.notna()]
                # Winsorising must not make the column constant (a zero-inflated count with two
                # positive values would end as all zeros): leave it to log_CT instead.
                if rest.nunique() < 2:
                    break
                x.loc[at] = rest.max() if high else rest.min()
                kinds.update({unit: "winhi" if high else "winlo" for unit in at})
                n_win += len(at)
            method = "winsorised" if kinds else "none"
            if _flagged(x, skew, kurt):
                lo, hi = original.min(), original.max()
                x = np.log(original - lo + 0.01 * (hi - lo))
                kinds = {unit: "log_CT" for unit in original.index[original.notna()]}
                method = "log_CT"
        for unit, kind in kinds.items():
            points.append({"indicator": col, "unit": unit, "original": float(original[unit]),
                           "treated": float(x[unit]), "treatment": kind})
        treated[col] = x
        summary.append({"indicator": col, "skew": float(original.skew()), "kurt": float(original.kurt()),
                        "flagged": flagged, "treatment": method, "n_treated": len(kinds),
                        "skew_after": float(x.skew()), "kurt_after": float(x.kurt())})
    points_df = pd.DataFrame(points, columns=["indicator", "unit", "original", "treated", "treatment"])
    summary_df = pd.DataFrame(summary, columns=["indicator", "skew", "kurt", "flagged", "treatment", "n_treated",
                                                "skew_after", "kurt_after"])
    return Treatment(data=treated, points=points_df, summary=summary_df)


# ---------------------------------------------------------------------------------------------------
# Imputation and aggregation


def _impute(data: pd.DataFrame, method: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    missing = data.isna()
    cells = [(unit, col) for col in data.columns for unit in data.index[missing[col]]]
    if cells and method == "none":
        listed = ", ".join(f"({unit}, {col})" for unit, col in cells)
        raise DataError(
            bi(f"数据有 {len(cells)} 个缺失值：{listed}；请在 spec 中选择 impute: mean / median / reweight",
               f"the data has {len(cells)} missing value(s): {listed}; choose impute: mean, median or reweight in the spec")
        )
    filled = data.copy()
    records = []
    if cells and method in ("mean", "median"):
        stats = data.mean() if method == "mean" else data.median()
        empty = [col for col in data.columns if np.isnan(stats[col])]
        if empty:
            raise DataError(bi(f"指标 {empty} 没有任何观测值，无法插补",
                               f"indicator(s) {empty} have no observed value to impute from"))
        filled = data.fillna(stats)
    for unit, col in cells:
        value = float(filled.loc[unit, col]) if method in ("mean", "median") else float("nan")
        records.append({"unit": unit, "indicator": col, "value": value, "method": method})
    return filled, pd.DataFrame(records, columns=["unit", "indicator", "value", "method"])


def _aggregate(values: np.ndarray, weights: np.ndarray, method: str, labels: list[str], units) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean over the available columns of ``values``; returns scores and per-unit weight shares."""
    available = ~np.isnan(values)
    w = np.where(available, weights[np.newaxis, :], 0.0)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = w / total[:, np.newaxis]
    if method == "geometric":
        bad = available & (w > 0) & ~(values > 0)
        if bad.any():
            rows, cols = np.nonzero(bad)
            listed = ", ".join(f"({units[r]}, {labels[c]})" for r, c in zip(rows, cols))
            raise AnalysisError(
                bi(f"几何平均要求正值，以下值 ≤ 0：{listed}；请把归一化区间设为 [1, 100] 之类",
                   f"geometric aggregation needs positive values; these are <= 0: {listed}; normalise to a range such as [1, 100]")
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where(w > 0, np.log(np.where(w > 0, values, 1.0)), 0.0)
        score = np.exp((shares * logs).sum(axis=1))
    else:
        score = (shares * np.where(available, values, 0.0)).sum(axis=1)
    score = np.where(total > 0, score, np.nan)
    return score, np.nan_to_num(shares)


def rank_scores(score: pd.Series) -> pd.Series:
    """Rank scores, 1 = best, ties share the lower rank number (``method='min'``).

    Scores are rounded to :data:`RANK_DECIMALS` decimals first so that float noise does not split a tie.
    """
    return score.round(RANK_DECIMALS).rank(ascending=False, method="min").astype(int)


@dataclass(frozen=True)
class CompositeResult:
    """Everything :func:`build_composite` computes.

    Attributes
    ----------
    scores : pandas.DataFrame
        Index = units; columns ``score``, ``rank`` (1 = best, ties ``min``) and one column per group
        (in the spec's order) holding the group scores.
    normalised : pandas.DataFrame
        Units × indicators, normalised (NaN where a value was left out by ``reweight``).
    imputed : pandas.DataFrame
        ``unit, indicator, value, method`` for every missing cell (value NaN under ``reweight``).
    treated : pandas.DataFrame
        Treated points (see :class:`Treatment`; empty without ``outliers``).
    outliers : pandas.DataFrame
        Per-indicator outlier summary (empty without ``outliers``).
    effective_weights : pandas.DataFrame
        One row per indicator: ``indicator, group, weight`` (nominal effective weight: product of the
        normalised weights down the tree, summing to 1, as COINr ``get_eff_weights``),
        ``contribution`` (the indicator's share of ``Σ_u Σ_i e_ui·y_ui``, ``e_ui`` the unit's effective
        weight after any re-weighting and ``y`` the normalised value: under arithmetic aggregation
        exactly its share of the summed index; under geometric aggregation the arithmetic analogue),
        ``corr_group`` and ``corr_score`` (Pearson
        correlation of the normalised indicator with its group score and with the index).
    correlations : pandas.DataFrame
        ``group, indicator_1, indicator_2, r``: Pearson correlations of the normalised indicators
        within each group (pairwise complete observations).
    spec : dict
        The resolved spec (:func:`check_spec`).
    """

    scores: pd.DataFrame
    normalised: pd.DataFrame
    imputed: pd.DataFrame
    treated: pd.DataFrame
    outliers: pd.DataFrame
    effective_weights: pd.DataFrame
    correlations: pd.DataFrame
    spec: dict


def _numeric(data: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    if data.index.has_duplicates:
        dup = list(data.index[data.index.duplicated()].unique())
        raise DataError(bi(f"数据的行名重复：{dup}", f"duplicated unit name(s) in the data: {dup}"))
    bad = [col for col in columns if not pd.api.types.is_numeric_dtype(data[col]) or pd.api.types.is_bool_dtype(data[col])]
    if bad:
        raise DataError(bi(f"列 {bad} 不是数值列", f"column(s) {bad} are not numeric"))
    out = data[columns].astype(float)
    infinite = [col for col in columns if np.isinf(out[col]).any()]
    if infinite:
        raise DataError(bi(f"列 {infinite} 含无穷值", f"column(s) {infinite} hold infinite values"))
    return out


# long: the numpydoc docstring is a quarter of it; the code is the Handbook's steps in order (treat, normalise, impute, aggregate, rank).
def build_composite(data: pd.DataFrame, spec: dict) -> CompositeResult:
    """Build a composite index (full result with every report).

    Parameters
    ----------
    data : pandas.DataFrame
        Index = unit names (e.g. counties); columns = indicators (raw values in their own units).
        Columns that the spec does not name are ignored.
    spec : dict
        See the module docstring.

    Returns
    -------
    CompositeResult

    Raises
    ------
    ParameterError
        Invalid spec (see :func:`check_spec`).
    DataError
        Non-numeric, duplicated or infinite data; missing values under ``impute: none`` (every cell
        listed); constant columns under minmax / zscore.
    AnalysisError
        Non-positive values under geometric aggregation; a unit with no usable value.
    """
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise DataError(bi("数据应为非空 DataFrame", "data must be a non-empty DataFrame"))
    resolved = check_spec(spec, columns=list(data.columns))
    names = [ind["name"] for ind in resolved["indicators"]]
    raw = _numeric(data, names)
    filled, imputed = _impute(raw, resolved["impute"])

    treated_points = pd.DataFrame(columns=["indicator", "unit", "original", "treated", "treatment"])
    outlier_summary = pd.DataFrame(columns=["indicator", "skew", "kurt", "flagged", "treatment", "n_treated",
                                            "skew_after", "kurt_after"])
    if resolved["outliers"] is not None:
        eligible = [ind["name"] for ind in resolved["indicators"] if ind["normalise"]["method"] in ("minmax", "zscore", "rank")]
        treatment = treat_outliers(filled, eligible, **resolved["outliers"])
        filled, treated_points, outlier_summary = treatment.data, treatment.points, treatment.summary

    normalised = pd.DataFrame(
        {ind["name"]: normalise_values(filled[ind["name"]], ind["normalise"], ind["direction"], ind["name"])
         for ind in resolved["indicators"]},
        index=filled.index,
    )

    units = list(filled.index)
    members = _members(resolved["indicators"])
    level_ind = resolved["aggregate"]["indicators"]
    effective = np.zeros(normalised.shape)
    position = {name: i for i, name in enumerate(names)}
    if resolved["groups"]:
        group_names = list(resolved["groups"])
        group_scores = np.empty((len(units), len(group_names)))
        within = {}
        for j, group in enumerate(group_names):
            cols = [ind["name"] for ind in members[group]]
            w = np.array([ind["weight"] for ind in members[group]])
            group_scores[:, j], within[group] = _aggregate(normalised[cols].to_numpy(), w, level_ind, cols, units)
        gw = np.array([resolved["groups"][g] for g in group_names])
        score, group_shares = _aggregate(group_scores, gw, resolved["aggregate"]["groups"], group_names, units)
        for j, group in enumerate(group_names):
            for k, ind in enumerate(members[group]):
                effective[:, position[ind["name"]]] = group_shares[:, j] * within[group][:, k]
    else:
        group_names, group_scores = [], np.empty((len(units), 0))
        w = np.array([ind["weight"] for ind in resolved["indicators"]])
        score, effective = _aggregate(normalised.to_numpy(), w, level_ind, names, units)
    if np.isnan(score).any():
        empty = [u for u, s in zip(units, score) if np.isnan(s)]
        raise AnalysisError(bi(f"单元 {empty} 没有可用的指标值，无法计算综合得分",
                               f"unit(s) {empty} have no usable value: no score"))

    scores = pd.DataFrame({"score": score}, index=filled.index)
    scores["rank"] = rank_scores(scores["score"])
    for j, group in enumerate(group_names):
        scores[group] = group_scores[:, j]

    weights = _effective_weights(resolved, normalised, effective, scores, group_names)
    correlations = _correlations(members, normalised) if group_names else pd.DataFrame(
        columns=["group", "indicator_1", "indicator_2", "r"])
    return CompositeResult(scores=scores, normalised=normalised, imputed=imputed, treated=treated_points,
                           outliers=outlier_summary, effective_weights=weights, correlations=correlations, spec=resolved)


def _effective_weights(resolved, normalised, effective, scores, group_names) -> pd.DataFrame:
    # Contribution = share of the effectively weighted normalised values: exact share of the index under
    # arithmetic aggregation (score_u = Σ_i e_ui·y_ui), its arithmetic analogue under geometric.
    part = (effective * np.nan_to_num(normalised.to_numpy())).sum(axis=0)
    total = part.sum()
    rows = []
    for i, ind in enumerate(resolved["indicators"]):
        group = ind["group"]
        col = normalised[ind["name"]]
        rows.append({
            "indicator": ind["name"], "group": group,
            "weight": ind["weight"] * (resolved["groups"][group] if group_names else 1.0),
            "contribution": part[i] / total if total != 0 else float("nan"),
            "corr_group": col.corr(scores[group]) if group_names else float("nan"),
            "corr_score": col.corr(scores["score"]),
        })
    return pd.DataFrame(rows, columns=["indicator", "group", "weight", "contribution", "corr_group", "corr_score"])


def _correlations(members: dict, normalised: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for group, inds in members.items():
        cols = [ind["name"] for ind in inds]
        for a in range(len(cols)):
            for b in range(a + 1, len(cols)):
                rows.append({"group": group, "indicator_1": cols[a], "indicator_2": cols[b],
                             "r": normalised[cols[a]].corr(normalised[cols[b]])})
    return pd.DataFrame(rows, columns=["group", "indicator_1", "indicator_2", "r"])


def composite(data: pd.DataFrame, spec: dict) -> pd.DataFrame:
    """Composite index scores of every unit (see the module docstring for the methodology).

    Parameters
    ----------
    data : pandas.DataFrame
        Index = unit names; columns = indicators (raw values).
    spec : dict
        The methodology (also loadable with :func:`load_spec`).

    Returns
    -------
    pandas.DataFrame
        Index = units; ``score``, ``rank`` (1 = best; ties share the lower rank number) and one column
        per group (:attr:`CompositeResult.scores`; :func:`build_composite` gives every report beside it).

    Raises
    ------
    ParameterError, DataError, AnalysisError
        See :func:`build_composite`.
    """
    return build_composite(data, spec).scores
