"""The provincial county S&T evaluation (河北省县域科技创新能力监测评价) as a scoring model.

The model is a YAML file (``data/raw/models/hebei_county_st_evaluation.yaml``): pillars, the
quantitative indicators with their points and benchmarks, the qualitative 创新管理 points, the grade
thresholds and the round lag.  What is not published is labelled ``assumption: true`` there.

Scoring rules (``p`` = the indicator's points, ``x`` = the county's value, ``b`` = the model benchmark;
peer statistics are taken over the counties of ``wide`` with an *observed* value):

``benchmark_ratio`` (default)
    ``p · min(x / b, 1)``
``best_peer``
    ``p · x / max(peers)``
``peer_p90``
    ``p · min(x / P90(peers), 1)``; P90 by linear interpolation (``numpy.quantile`` default)
``goalposts``
    ``p · clip((x − min(peers)) / (b − min(peers)), 0, 1)``; when ``b ≤ min(peers)`` every county is
    at or above the benchmark and earns ``p``.

A peer reference (max or P90) of 0 means no county has any: every county earns 0 points.  The rules are
normalisations of the composite engine (:mod:`lingshou.evaluation.rules`, which also writes the model as a
composite spec).

Values must be ≥ 0 (counts, amounts, shares).  A missing quantitative value is imputed by
``impute``: ``peer_median`` (the median of the observed counties, then scored by the rule), ``zero`` (no
points) or ``none`` (refuse, listing the cells).  The qualitative points (0–15) come from the
``qualitative`` argument, else the ``innovation_management`` column of ``wide``, else the model's
``default`` (flagged ``qualitative_assumed``).

Grades are read from the top: the first grade whose ``min`` the score reaches (80 → A, 79.99 → B,
60 → B, 59.99 → C); scores are rounded to 9 decimals first so float noise cannot cross an edge.
"""
from __future__ import annotations

import math
from numbers import Real
from pathlib import Path

import numpy as np
import pandas as pd

from lingshou.errors import DataError, NotEnoughData, ParameterError
from lingshou.evaluation.rules import RULES, check_rule, rule_ratios
from lingshou.i18n import bi

IMPUTATIONS = ("peer_median", "zero", "none")
MODEL_KEYS = ("id", "title_zh", "title_en", "source", "total_points", "data_lag_years", "grades", "scoring",
              "pillars", "indicators", "qualitative", "uncertainty")
#: Written by ``lingshou calibrate`` (see :mod:`lingshou.evaluation.calibration`); optional.
OPTIONAL_MODEL_KEYS = ("calibration",)
SCORING_KEYS = ("rule", "assumption", "alternatives")
PILLAR_KEYS = ("name_en", "points", "assumption")
INDICATOR_KEYS = ("pillar", "points", "benchmark", "unit", "published", "assumption", "calibration")
QUALITATIVE_KEYS = ("indicator", "points", "items", "default", "range", "assumption", "by_county", "calibration")
ITEM_KEYS = ("id", "name_zh", "name_en", "points")
UNCERTAINTY_KEYS = ("weight_noise", "rules", "imputation", "weights", "sensitivity_rules")
#: ``uncertainty.weights``: ±noise around the points (default), or draws from the calibration sample.
WEIGHT_SOURCES = ("noise", "calibrated")
GRADE_KEYS = ("grade", "min")
#: Decimals kept when grading and ranking (see the module docstring).
SCORE_DECIMALS = 9
#: Tolerance on point sums (a Monte Carlo replication re-normalises points in floating point).
POINTS_TOLERANCE = 1e-6


# ---------------------------------------------------------------------------------------------------
# Model


def load_model(path) -> dict:
    """Read and check a scoring model YAML file.

    Parameters
    ----------
    path : path-like
        The model file (see ``data/raw/models/hebei_county_st_evaluation.yaml``).

    Returns
    -------
    dict
        The model as written, with ``grades`` sorted from the highest ``min`` down.

    Raises
    ------
    ParameterError
        If the file is missing, not a mapping, or the model is inconsistent (see :func:`check_model`).
    """
    from lingshou.yamlfile import read_mapping

    model = read_mapping(path, "评价模型文件", "model file")
    calibration = model.get("calibration")
    if isinstance(calibration, dict) and calibration.get("sample_file"):
        model["calibration"] = {**calibration, "sample": read_sample(Path(path).parent / str(calibration["sample_file"]),
                                                                      calibration.get("sample_sha256"))}
    return check_model(model)


def read_sample(path: Path, sha256: str | None) -> pd.DataFrame:
    """A calibrated model's sample of points (CSV, one column per unknown), checked against its SHA-256.

    Raises
    ------
    ParameterError
        A missing or unreadable file, a hash that does not match (the sample is not the one calibrated), or a
        cell that is not a finite non-negative number.
    """
    import hashlib

    if not path.is_file():
        raise ParameterError(bi(f"校准样本文件不存在：{path}", f"the calibration sample file does not exist: {path}"))
    if sha256 and hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
        raise ParameterError(bi(f"校准样本 {path} 与模型记录的 SHA-256 不符：文件被改动或不是这次校准的样本",
                                f"the calibration sample {path} does not match the model's SHA-256: changed, or not this "
                                "calibration's sample"))
    sample = pd.read_csv(path, encoding="utf-8")
    values = sample.apply(pd.to_numeric, errors="coerce")
    if values.isna().any().any() or not np.isfinite(values.to_numpy()).all() or (values.to_numpy() < 0).any():
        raise ParameterError(bi(f"校准样本 {path} 含有非数值、缺失或负数", f"the calibration sample {path} holds a "
                                "non-number, an empty cell or a negative number"))
    return values.astype(float)


def _keys(where: str, mapping, allowed, required=()) -> None:
    if not isinstance(mapping, dict):
        raise ParameterError(bi(f"模型的 {where} 应为映射，实为 {mapping!r}",
                                f"model {where} must be a mapping, got {mapping!r}"))
    unknown = [k for k in mapping if k not in allowed]
    missing = [k for k in required if k not in mapping]
    if unknown or missing:
        raise ParameterError(
            bi(f"模型的 {where} 有未知键 {unknown}、缺少键 {missing}",
               f"model {where}: unknown key(s) {unknown}, missing key(s) {missing}")
        )


def _points(where: str, value, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value) or value < 0 or (
            value == 0 and not allow_zero):
        kind = ("非负数", "non-negative") if allow_zero else ("正数", "positive")
        raise ParameterError(bi(f"模型的 {where} 应为{kind[0]}，实为 {value!r}",
                                f"model {where} must be a {kind[1]} number, got {value!r}"))
    return float(value)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= POINTS_TOLERANCE


def check_model(model: dict) -> dict:
    """Check a scoring model's structure and arithmetic; return it with grades sorted.

    Checks: known keys at every level (unknown or missing → error); quantitative points sum to
    ``total_points − qualitative.points`` (85 in the Hebei model); every pillar's points equal the sum of
    its indicators' points, and exactly one pillar (创新管理) has no quantitative indicator and the
    qualitative points (so the pillars sum to ``total_points``); the qualitative items sum to its points and its
    ``default`` lies in its ``range`` ⊂ [0, points]; benchmarks > 0; grades distinct with distinct
    ``min``, the lowest 0; rules and imputation choices known; ``0 ≤ weight_noise < 1``.

    Raises
    ------
    ParameterError
        Naming the offending key and value.
    """
    _keys("top level", model, MODEL_KEYS + OPTIONAL_MODEL_KEYS, MODEL_KEYS)
    total = _points("total_points", model["total_points"])
    lag = model["data_lag_years"]
    if isinstance(lag, bool) or not isinstance(lag, int) or lag < 0:
        raise ParameterError(bi(f"模型的 data_lag_years 应为非负整数，实为 {lag!r}",
                                f"model data_lag_years must be a non-negative integer, got {lag!r}"))

    grades = _check_grades(model["grades"])

    scoring = model["scoring"]
    _keys("scoring", scoring, SCORING_KEYS, ("rule",))
    alternatives = scoring.get("alternatives") or {}
    _keys("scoring.alternatives", alternatives, RULES)
    check_rule(scoring["rule"])

    q_points = _check_qualitative(model["qualitative"])
    _check_pillars(model["pillars"], model["indicators"], total, q_points)

    unc = model["uncertainty"]
    _keys("uncertainty", unc, UNCERTAINTY_KEYS, UNCERTAINTY_KEYS[:3])
    noise = unc["weight_noise"]
    if isinstance(noise, bool) or not isinstance(noise, Real) or not 0 <= noise < 1:
        raise ParameterError(bi(f"模型的 uncertainty.weight_noise 应在 [0, 1) 内，实为 {noise!r}",
                                f"model uncertainty.weight_noise must lie in [0, 1), got {noise!r}"))
    for rule in _nonempty_list("uncertainty.rules", unc["rules"]):
        check_rule(rule)
    sensitivity = unc.get("sensitivity_rules", [])
    if not isinstance(sensitivity, list):
        raise ParameterError(bi(f"模型的 uncertainty.sensitivity_rules 应为列表，实为 {sensitivity!r}",
                                f"model uncertainty.sensitivity_rules must be a list, got {sensitivity!r}"))
    for rule in sensitivity:
        check_rule(rule)
        if rule in unc["rules"]:
            raise ParameterError(bi(f"评分规则 {rule!r} 不能既在 uncertainty.rules（计入概率）又在 sensitivity_rules（只作对照）中",
                                    f"scoring rule {rule!r} cannot be both in uncertainty.rules (drawn) and in "
                                    "sensitivity_rules (a comparison only)"))
    for choice in _nonempty_list("uncertainty.imputation", unc["imputation"]):
        _imputation(choice, allow_none=False)
    _check_weights(model)
    return {**model, "grades": grades}


def _check_weights(model: dict) -> None:
    """``uncertainty.weights: calibrated`` needs the calibration sample, with a column per indicator."""
    source = model["uncertainty"].get("weights", "noise")
    if source not in WEIGHT_SOURCES:
        raise ParameterError(bi(f"模型的 uncertainty.weights 应为 {list(WEIGHT_SOURCES)} 之一，实为 {source!r}",
                                f"model uncertainty.weights must be one of {list(WEIGHT_SOURCES)}, got {source!r}"))
    if source != "calibrated":
        return
    sample = (model.get("calibration") or {}).get("sample")
    if not isinstance(sample, pd.DataFrame):
        raise ParameterError(bi("模型的 uncertainty.weights 为 calibrated，但没有读入校准样本（calibration.sample_file）",
                                "model uncertainty.weights is calibrated but no calibration sample was read "
                                "(calibration.sample_file)"))
    absent = [c for c in model["indicators"] if c not in sample.columns]
    if absent or len(sample) < 2:
        raise ParameterError(bi(f"校准样本缺少指标列 {absent} 或不足 2 行", f"the calibration sample lacks indicator "
                                f"column(s) {absent} or has fewer than 2 rows"))


def _check_grades(grades) -> list[dict]:
    """Grades with distinct names and minima, the lowest minimum 0; sorted from the best grade down."""
    if not isinstance(grades, list) or not grades:
        raise ParameterError(bi("模型的 grades 应为非空列表", "model grades must be a non-empty list"))
    for entry in grades:
        _keys("grades entry", entry, GRADE_KEYS, GRADE_KEYS)
        _points(f"grades[{entry['grade']}].min", entry["min"], allow_zero=True)
    grades = sorted(grades, key=lambda g: -g["min"])
    names = [g["grade"] for g in grades]
    mins = [g["min"] for g in grades]
    if len(set(names)) != len(names) or len(set(mins)) != len(mins) or mins[-1] != 0:
        raise ParameterError(
            bi(f"模型的 grades 须等级名与下限各不相同且最低下限为 0：{grades}",
               f"model grades need distinct names and minima, the lowest minimum 0: {grades}")
        )
    return grades


def _check_qualitative(qual: dict) -> float:
    """The qualitative block (items summing to its points, a range holding the default); its points."""
    _keys("qualitative", qual, QUALITATIVE_KEYS, ("indicator", "points", "default", "range"))
    q_points = _points("qualitative.points", qual["points"])
    items = qual.get("items") or []
    for item in items:
        _keys("qualitative.items entry", item, ITEM_KEYS, ("id", "points"))
    if items and not _close(sum(_points(f"qualitative.items[{i['id']}].points", i["points"]) for i in items), q_points):
        raise ParameterError(bi(f"模型的定性分项分值之和不等于 {q_points:g}",
                                f"model qualitative items do not sum to {q_points:g} points"))
    q_range = qual["range"]
    if (not isinstance(q_range, list) or len(q_range) != 2
            or not 0 <= _points("qualitative.range", q_range[0], True) <= _points("qualitative.range", q_range[1], True) <= q_points
            or not q_range[0] <= _points("qualitative.default", qual["default"], True) <= q_range[1]):
        raise ParameterError(
            bi(f"模型的 qualitative.range {q_range!r} 须在 [0, {q_points:g}] 内且包含 default {qual['default']!r}",
               f"model qualitative.range {q_range!r} must lie in [0, {q_points:g}] and hold default {qual['default']!r}")
        )
    return q_points


def _check_pillars(pillars, indicators, total: float, q_points: float) -> None:
    """Pillars and quantitative indicators: defined pillars, points adding up to the total less the qualitative."""
    _keys("pillars", pillars, list(pillars) if isinstance(pillars, dict) else ())
    for name, entry in pillars.items():
        _keys(f"pillars.{name}", entry, PILLAR_KEYS, ("points",))
        _points(f"pillars.{name}.points", entry["points"], allow_zero=True)
    _keys("indicators", indicators, list(indicators) if isinstance(indicators, dict) else ())
    if not indicators:
        raise ParameterError(bi("模型没有定量指标", "model has no quantitative indicator"))
    sums: dict = {}
    for code, entry in indicators.items():
        _keys(f"indicators.{code}", entry, INDICATOR_KEYS, ("pillar", "points", "benchmark"))
        if entry["pillar"] not in pillars:
            raise ParameterError(bi(f"模型指标 {code} 的支柱 {entry['pillar']!r} 未在 pillars 中定义",
                                    f"model indicator {code}: pillar {entry['pillar']!r} is not defined in pillars"))
        _points(f"indicators.{code}.benchmark", entry["benchmark"])
        sums[entry["pillar"]] = sums.get(entry["pillar"], 0.0) + _points(f"indicators.{code}.points", entry["points"], allow_zero=True)

    quantitative = sum(sums.values())
    if not _close(quantitative, total - q_points):
        raise ParameterError(
            bi(f"定量指标分值之和为 {quantitative:g}，应为 {total - q_points:g}"
               f"（total_points {total:g} − 定性 {q_points:g}）",
               f"quantitative points sum to {quantitative:g}, expected {total - q_points:g} "
               f"(total_points {total:g} − qualitative {q_points:g})")
        )
    empty = [name for name in pillars if name not in sums]
    wrong = {name: (pillars[name]["points"], sums[name]) for name in sums if not _close(pillars[name]["points"], sums[name])}
    if wrong or len(empty) != 1 or not _close(pillars[empty[0]]["points"], q_points):
        raise ParameterError(
            bi(f"支柱分值与指标不一致：{wrong}（支柱分值, 指标分值之和）；"
               f"无定量指标的支柱 {empty} 应恰为一个且等于定性分值 {q_points:g}",
               f"pillar points disagree with their indicators: {wrong} (pillar, sum of indicators); pillars without "
               f"quantitative indicators {empty} must be exactly one, worth the qualitative {q_points:g} points")
        )


def _nonempty_list(where: str, value) -> list:
    if not isinstance(value, list) or not value:
        raise ParameterError(bi(f"模型的 {where} 应为非空列表，实为 {value!r}",
                                f"model {where} must be a non-empty list, got {value!r}"))
    return value


def _imputation(choice, allow_none: bool = True) -> str:
    allowed = IMPUTATIONS if allow_none else IMPUTATIONS[:-1]
    if choice not in allowed:
        raise ParameterError(bi(f"未知缺失值处理方式 {choice!r}，可用 {list(allowed)}",
                                f"unknown imputation {choice!r}; choose one of {list(allowed)}"))
    return choice


def qualitative_pillar(model: dict) -> str:
    """Name of the pillar that holds the qualitative points (the one without quantitative indicators)."""
    used = {entry["pillar"] for entry in model["indicators"].values()}
    return next(name for name in model["pillars"] if name not in used)


def evaluation_round(data_year: int, model: dict) -> int:
    """The evaluation round that uses data of ``data_year`` (Hebei: round Y uses data of Y−1).

    Examples
    --------
    With ``data_lag_years: 1``, data of 2022 are evaluated in the 2023 round.
    """
    return int(data_year) + int(model["data_lag_years"])


def data_year_of_round(round_year: int, model: dict) -> int:
    """The data year that an evaluation round uses (inverse of :func:`evaluation_round`)."""
    return int(round_year) - int(model["data_lag_years"])


def grade_from_score(score, model: dict):
    """Grade(s) of score(s): the first grade, from the top, whose ``min`` the score reaches.

    Parameters
    ----------
    score : float or array-like or pandas.Series
        Score(s) in points (0–100).
    model : dict
        A checked model.

    Returns
    -------
    str, or pandas.Series / numpy.ndarray of str matching the input.

    Raises
    ------
    DataError
        If a score is missing or negative.
    """
    values = np.asarray(score, dtype=float)
    if np.isnan(values).any() or (values < 0).any():
        raise DataError(bi(f"无法对缺失或负的得分评级：{score!r}", f"cannot grade a missing or negative score: {score!r}"))
    rounded = np.round(values, SCORE_DECIMALS)
    names = np.array([g["grade"] for g in model["grades"]], dtype=object)
    mins = np.array([g["min"] for g in model["grades"]], dtype=float)
    # grades are sorted from the highest minimum: count how many minima are NOT reached
    index = (rounded[..., np.newaxis] < mins).sum(axis=-1)
    graded = names[index]
    if isinstance(score, pd.Series):
        return pd.Series(graded, index=score.index, name="grade", dtype="str")
    if np.ndim(score) == 0:
        return str(graded)
    return graded.astype(str)


# ---------------------------------------------------------------------------------------------------
# Scoring


def check_wide(wide: pd.DataFrame, codes) -> pd.DataFrame:
    """The model's indicator columns of ``wide`` as floats, checked (numeric, ≥ 0, unique counties).

    Raises
    ------
    DataError
        Empty data, duplicated counties, missing indicator columns, non-numeric or negative values.
    """
    codes = list(codes)
    if not isinstance(wide, pd.DataFrame) or wide.empty:
        raise DataError(bi("数据应为非空的县 × 指标表", "wide must be a non-empty counties × indicators DataFrame"))
    if wide.index.has_duplicates:
        raise DataError(bi(f"县名重复：{list(wide.index[wide.index.duplicated()].unique())}",
                           f"duplicated counties: {list(wide.index[wide.index.duplicated()].unique())}"))
    absent = [c for c in codes if c not in wide.columns]
    if absent:
        raise DataError(bi(f"数据缺少模型指标列 {absent}", f"the data lacks the model's indicator column(s) {absent}"))
    bad = [c for c in codes if not pd.api.types.is_numeric_dtype(wide[c]) or pd.api.types.is_bool_dtype(wide[c])]
    if bad:
        raise DataError(bi(f"列 {bad} 不是数值列", f"column(s) {bad} are not numeric"))
    values = wide[codes].astype(float)
    array = values.to_numpy()
    # Checked on the array first: this runs for every candidate plan of what_it_takes.
    negative = ([(county, code) for code in codes for county in values.index[values[code] < 0]]
                if (array < 0).any() else [])
    if negative or np.isinf(array).any():
        raise DataError(bi(f"指标值须为有限的非负数，以下不符：{negative}",
                           f"indicator values must be finite and >= 0; offending cells: {negative}"))
    return values


def impute_ratios(ratios: pd.DataFrame, values: pd.DataFrame, model: dict, rule: str, impute: str) -> pd.DataFrame:
    """Fill the ratios of missing values: the rule applied to the peer median, or 0 (``zero``).

    The peer statistics of the rule stay those of the observed values.

    Raises
    ------
    DataError
        Under ``none`` when a value is missing (every cell listed), or when an indicator has no observed
        value to take a median from.
    """
    _imputation(impute)
    missing = values.isna()
    if not missing.any().any():
        return ratios
    if impute == "none":
        cells = [(county, code) for code in values.columns for county in values.index[missing[code]]]
        raise DataError(bi(f"有 {len(cells)} 个缺失值：{cells}；请选择 impute='peer_median' 或 'zero'",
                           f"{len(cells)} missing value(s): {cells}; choose impute='peer_median' or 'zero'"))
    if impute == "zero":
        return ratios.fillna(0.0)
    medians = values.median()
    empty = [code for code in values.columns if missing[code].any() and np.isnan(medians[code])]
    if empty:
        raise NotEnoughData(bi(f"指标 {empty} 没有任何观测值，无法取同组中位数",
                               f"indicator(s) {empty} have no observed value: no peer median"))
    median_row = pd.DataFrame([medians.to_numpy()], columns=values.columns)
    return ratios.fillna(rule_ratios(median_row, model, rule, peers=values).iloc[0])


def qualitative_points(wide: pd.DataFrame, model: dict, qualitative=None) -> tuple[pd.Series, pd.Series]:
    """The qualitative (创新管理) points of each county and whether they were assumed.

    Parameters
    ----------
    wide : pandas.DataFrame
        Counties × indicators; its ``innovation_management`` column (分) is used when present.
    model : dict
    qualitative : float or pandas.Series or dict, optional
        Points given by the analyst: one number for every county, or per county (NaN / absent county →
        the column, then the default).

    Returns
    -------
    points : pandas.Series
        Points per county (0 … qualitative.points).
    assumed : pandas.Series of bool
        True where the model default was used.

    Raises
    ------
    DataError
        If a given value lies outside [0, qualitative.points].
    """
    q = model["qualitative"]
    points = pd.Series(np.nan, index=wide.index, dtype=float)
    if qualitative is not None:
        if isinstance(qualitative, (dict, pd.Series)):
            points = pd.Series(qualitative, dtype=float).reindex(wide.index)
        else:
            points = pd.Series(float(qualitative), index=wide.index)
    if q["indicator"] in wide.columns:
        column = wide[q["indicator"]]
        if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            raise DataError(bi(f"定性得分列 {q['indicator']} 不是数值列",
                               f"qualitative column {q['indicator']} is not numeric"))
        points = points.fillna(column.astype(float))
    bad = points[(points < 0) | (points > q["points"])]
    if not bad.empty:
        raise DataError(bi(f"定性得分须在 [0, {q['points']}] 内：{bad.to_dict()}",
                           f"qualitative points must lie in [0, {q['points']}]: {bad.to_dict()}"))
    assumed = points.isna()
    by_county = q.get("by_county") or {}
    if by_county:  # fitted per county by a calibration (still not known: flagged assumed)
        points = points.fillna(pd.Series(by_county, dtype=float).reindex(wide.index))
    return points.fillna(float(q["default"])), assumed


def score_counties(wide: pd.DataFrame, model: dict, rule: str | None = "benchmark_ratio", qualitative=None,
                   impute: str = "peer_median") -> pd.DataFrame:
    """Score, rank and grade every county of ``wide`` under the model.

    Parameters
    ----------
    wide : pandas.DataFrame
        Index = counties; columns = catalogue indicator codes (one data year).  Must hold every model
        indicator; other columns are ignored except ``innovation_management``.
    model : dict
        From :func:`load_model`.
    rule : str or None
        Scoring rule, one of :data:`~.rules.RULES` (see the module docstring); None = the model's
        ``scoring.rule`` (``benchmark_ratio`` in the Hebei model).
    qualitative : float, pandas.Series or dict, optional
        Qualitative points (see :func:`qualitative_points`).
    impute : {'peer_median', 'zero', 'none'}
        What a missing quantitative value becomes.

    Returns
    -------
    pandas.DataFrame
        Index = counties, columns: ``score`` (points, 0–100), ``rank`` (1 = best, ties share the lower
        number), ``grade``, one column per pillar (named as in the model, e.g. ``创新投入``; the
        qualitative pillar holds the qualitative points), ``points_<code>`` per quantitative indicator,
        ``qualitative_assumed`` (bool), ``imputed`` (comma-separated codes imputed for that county, ``""``
        if none) and ``n_imputed``.

    Raises
    ------
    ParameterError
        Unknown rule or imputation; inconsistent model.
    DataError
        See :func:`check_wide`, :func:`impute_ratios`, :func:`qualitative_points`.
    """
    model = check_model(model)
    rule = check_rule(model["scoring"]["rule"] if rule is None else rule)
    _imputation(impute)
    codes = list(model["indicators"])
    values = check_wide(wide, codes)
    ratios = impute_ratios(rule_ratios(values, model, rule), values, model, rule, impute)
    weights = np.array([model["indicators"][c]["points"] for c in codes], dtype=float)
    points = ratios * weights
    q_points, assumed = qualitative_points(wide, model, qualitative)

    out = pd.DataFrame(index=wide.index)
    pillar_q = qualitative_pillar(model)
    pillar_cols = {}
    for pillar in model["pillars"]:
        members = [c for c in codes if model["indicators"][c]["pillar"] == pillar]
        pillar_cols[pillar] = q_points if pillar == pillar_q else points[members].sum(axis=1)
    out["score"] = points.sum(axis=1) + q_points
    out["rank"] = out["score"].round(SCORE_DECIMALS).rank(ascending=False, method="min").astype(int)
    out["grade"] = grade_from_score(out["score"], model)
    for pillar, col in pillar_cols.items():
        out[pillar] = col
    for code in codes:
        out[f"points_{code}"] = points[code]
    out["qualitative_assumed"] = assumed
    missing = values.isna().to_numpy()
    names = np.array(codes, dtype=object)
    out["imputed"] = [", ".join(names[row]) for row in missing]
    out["n_imputed"] = missing.sum(axis=1).astype(int)
    return out
