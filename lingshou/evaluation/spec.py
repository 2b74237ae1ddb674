"""The composite engine's spec — methodology as data (as in COINr): indicators with direction, weight,
normalisation, goalposts or target; groups; aggregation; imputation; outlier treatment.

:func:`load_spec` reads it from YAML, :func:`check_spec` checks every key and value and returns it complete
with its defaults.
"""
from __future__ import annotations

import math
from numbers import Real

from lingshou.errors import ParameterError
from lingshou.i18n import bi

#: Keys of a normalisation block, by method (``method`` itself is always allowed).
NORMALISATION_KEYS = {
    "minmax": ("range",),
    "zscore": ("mean", "sd"),
    "goalposts": ("lo", "hi", "range"),
    "target": ("target", "range"),
    "rank": ("range",),
}
AGGREGATIONS = ("arithmetic", "geometric")
AGGREGATION_LEVELS = ("indicators", "groups")
IMPUTATIONS = ("none", "mean", "median", "reweight")
SPEC_KEYS = ("normalise", "aggregate", "impute", "outliers", "indicators", "groups", "title", "description")
INDICATOR_KEYS = ("direction", "weight", "group", "normalise")
GROUP_KEYS = ("weight",)
OUTLIER_DEFAULTS = {"skew": 2.0, "kurt": 3.5, "winmax": 5}
#: Output columns that a group may not be named after.
RESERVED_COLUMNS = ("score", "rank")
DEFAULT_NORMALISE = {"method": "minmax", "range": [0.0, 100.0]}
#: Decimals used when ranking, so that float noise (50 vs 49.999999999999) does not break a tie.
RANK_DECIMALS = 9


# ---------------------------------------------------------------------------------------------------
# Spec


def load_spec(path) -> dict:
    """Read a composite spec from a YAML file and check its structure.

    Parameters
    ----------
    path : path-like
        A YAML file holding one mapping (see the module docstring).

    Returns
    -------
    dict
        The spec as written (checked with :func:`check_spec`, without data).

    Raises
    ------
    ParameterError
        If the file does not exist, is not a YAML mapping, or the spec is invalid.
    """
    from lingshou.yamlfile import read_mapping

    spec = read_mapping(path, "指标体系文件", "spec file")
    check_spec(spec)
    return spec


def _check_keys(where: str, mapping, allowed) -> None:
    if not isinstance(mapping, dict):
        raise ParameterError(bi(f"{where} 应为映射，实为 {mapping!r}", f"{where} must be a mapping, got {mapping!r}"))
    unknown = [key for key in mapping if key not in allowed]
    if unknown:
        raise ParameterError(
            bi(f"{where} 中有未知键 {unknown}，可用 {list(allowed)}",
               f"unknown key(s) {unknown} in {where}; allowed: {list(allowed)}")
        )


def _number(where: str, value, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ParameterError(bi(f"{where} 应为有限数值，实为 {value!r}", f"{where} must be a finite number, got {value!r}"))
    if positive and value <= 0:
        raise ParameterError(bi(f"{where} 应大于 0，实为 {value!r}", f"{where} must be > 0, got {value!r}"))
    return float(value)


def _range(where: str, value) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ParameterError(bi(f"{where} 应为 [下限, 上限]，实为 {value!r}", f"{where} must be [lo, hi], got {value!r}"))
    lo, hi = (_number(where, v) for v in value)
    if not lo < hi:
        raise ParameterError(bi(f"{where} 要求下限 < 上限，实为 {value!r}", f"{where} needs lo < hi, got {value!r}"))
    return lo, hi


def _check_normalise(where: str, block, default: dict) -> dict:
    """A complete normalisation block: the override merged over the default, every value checked."""
    _check_keys(where, block, ("method",) + tuple(sorted({k for keys in NORMALISATION_KEYS.values() for k in keys})))
    method = block.get("method", default["method"])
    if method not in NORMALISATION_KEYS:
        raise ParameterError(
            bi(f"{where} 的归一化方法 {method!r} 未知，可用 {list(NORMALISATION_KEYS)}",
               f"unknown normalisation method {method!r} in {where}; choose one of {list(NORMALISATION_KEYS)}")
        )
    allowed = NORMALISATION_KEYS[method]
    _check_keys(f"{where} ({method})", {k: v for k, v in block.items() if k != "method"}, allowed)
    # Only the default's keys that the chosen method understands are inherited (typically `range`).
    merged = {k: v for k, v in default.items() if k in allowed}
    merged.update({k: v for k, v in block.items() if k != "method"})
    out: dict = {"method": method}
    if "range" in allowed:
        out["range"] = _range(f"{where}.range", merged.get("range", DEFAULT_NORMALISE["range"]))
    if method == "zscore":
        out["mean"] = _number(f"{where}.mean", merged.get("mean", 0.0))
        out["sd"] = _number(f"{where}.sd", merged.get("sd", 1.0), positive=True)
    elif method == "goalposts":
        for key in ("lo", "hi"):
            if key not in merged:
                raise ParameterError(bi(f"{where} 的 goalposts 缺少 {key}", f"goalposts in {where} need {key!r}"))
        out["lo"], out["hi"] = _range(f"{where}.lo/hi", [merged["lo"], merged["hi"]])
    elif method == "target":
        if "target" not in merged:
            raise ParameterError(bi(f"{where} 的 target 方法缺少 target 值", f"method target in {where} needs 'target'"))
        out["target"] = _number(f"{where}.target", merged["target"], positive=True)
    return out


def check_spec(spec: dict, columns=None) -> dict:
    """Check a composite spec and return it resolved (defaults filled in, weights normalised).

    Parameters
    ----------
    spec : dict
        See the module docstring.
    columns : iterable of str, optional
        The data's columns; when given, every indicator of the spec must be one of them.

    Returns
    -------
    dict
        ``indicators`` (list of dicts: ``name``, ``direction``, ``weight`` normalised within its group,
        ``group``, ``normalise`` complete block), ``groups`` (name → normalised weight, ``{}`` for a flat
        index), ``aggregate`` (level → method), ``impute``, ``outliers`` (dict or ``None``).

    Raises
    ------
    ParameterError
        Naming the offending key or value: unknown keys at any level, unknown methods, bad weights,
        directions, ranges or goalposts, groups used by some indicators only, undeclared or unused
        groups, group names clashing with output columns, indicators missing from ``columns``.
    """
    _check_keys("spec", spec, SPEC_KEYS)
    default = _check_normalise("spec.normalise", spec.get("normalise", DEFAULT_NORMALISE), DEFAULT_NORMALISE)
    aggregate = _check_aggregate(spec.get("aggregate", "arithmetic"))
    impute = spec.get("impute", "none")
    if impute not in IMPUTATIONS:
        raise ParameterError(
            bi(f"缺失值处理方式 impute={impute!r} 未知，可用 {list(IMPUTATIONS)}",
               f"unknown impute={impute!r}; choose one of {list(IMPUTATIONS)}")
        )

    outliers = _check_outliers(spec.get("outliers", False))
    indicators = spec.get("indicators")
    resolved = _check_indicators(indicators, columns, default)
    groups = _check_groups(spec.get("groups") or {}, resolved, indicators)
    # Relative weights become shares: within each group (or over all indicators) and over the groups.
    for members in _members(resolved).values():
        total = sum(ind["weight"] for ind in members)
        if total <= 0:
            names = [ind["name"] for ind in members]
            raise ParameterError(bi(f"指标 {names} 的权重之和为 0", f"the weights of indicator(s) {names} sum to 0"))
        for ind in members:
            ind["weight"] = ind["weight"] / total
    if groups:
        total = sum(groups.values())
        if total <= 0:
            raise ParameterError(bi("各组权重之和为 0", "the group weights sum to 0"))
        groups = {g: w / total for g, w in groups.items()}
    return {"indicators": resolved, "groups": groups, "aggregate": aggregate, "impute": impute, "outliers": outliers}


def _check_aggregate(aggregate) -> dict:
    """The aggregation method of each level (one name for all levels, or a mapping)."""
    if isinstance(aggregate, str):
        aggregate = {level: aggregate for level in AGGREGATION_LEVELS}
    else:
        _check_keys("spec.aggregate", aggregate, AGGREGATION_LEVELS)
        aggregate = {level: aggregate.get(level, "arithmetic") for level in AGGREGATION_LEVELS}
    for level, method in aggregate.items():
        if method not in AGGREGATIONS:
            raise ParameterError(
                bi(f"聚合方法 {method!r}（{level} 层）未知，可用 {list(AGGREGATIONS)}",
                   f"unknown aggregation {method!r} at level {level!r}; choose one of {list(AGGREGATIONS)}")
            )

    return aggregate


def _check_outliers(outliers) -> dict | None:
    """The outlier rule: ``True`` (the JRC defaults), ``False``/``None`` (none) or a mapping over the defaults."""
    if outliers is True:
        outliers = dict(OUTLIER_DEFAULTS)
    elif outliers is False or outliers is None:
        outliers = None
    else:
        _check_keys("spec.outliers", outliers, tuple(OUTLIER_DEFAULTS))
        outliers = {**OUTLIER_DEFAULTS, **outliers}
        outliers["skew"] = _number("spec.outliers.skew", outliers["skew"], positive=True)
        outliers["kurt"] = _number("spec.outliers.kurt", outliers["kurt"])
        winmax = outliers["winmax"]
        if isinstance(winmax, bool) or not isinstance(winmax, int) or winmax < 0:
            raise ParameterError(bi(f"spec.outliers.winmax 应为非负整数，实为 {winmax!r}",
                                    f"spec.outliers.winmax must be a non-negative integer, got {winmax!r}"))

    return outliers


def _check_indicators(indicators, columns, default: dict) -> list[dict]:
    """Each indicator's direction, weight, group and complete normalisation block."""
    if not isinstance(indicators, dict) or not indicators:
        raise ParameterError(bi("spec.indicators 应为非空映射", "spec.indicators must be a non-empty mapping"))
    if columns is not None:
        columns = list(columns)
        missing = [name for name in indicators if name not in columns]
        if missing:
            raise ParameterError(
                bi(f"指标体系中的指标 {missing} 不在数据列中", f"spec indicator(s) {missing} are not columns of the data")
            )

    resolved = []
    for name, entry in indicators.items():
        where = f"spec.indicators.{name}"
        entry = {} if entry is None else entry
        _check_keys(where, entry, INDICATOR_KEYS)
        direction = entry.get("direction", 1)
        if isinstance(direction, bool) or direction not in (1, -1):
            raise ParameterError(bi(f"{where}.direction 应为 1 或 -1，实为 {direction!r}",
                                    f"{where}.direction must be 1 or -1, got {direction!r}"))
        weight = _number(f"{where}.weight", entry.get("weight", 1.0))
        if weight < 0:
            raise ParameterError(bi(f"{where}.weight 不能为负：{weight}", f"{where}.weight must not be negative: {weight}"))
        group = entry.get("group")
        if group is not None and not isinstance(group, str):
            raise ParameterError(bi(f"{where}.group 应为文字，实为 {group!r}",
                                    f"{where}.group must be a string, got {group!r}"))
        resolved.append({
            "name": name, "direction": int(direction), "weight": weight, "group": group,
            "normalise": _check_normalise(f"{where}.normalise", entry.get("normalise", {}), default),
        })

    return resolved


def _check_groups(groups_spec: dict, resolved: list[dict], indicators: dict) -> dict[str, float]:
    """The groups' weights: every indicator in a group or none, declared groups used, no name clashes."""
    with_group = [ind["name"] for ind in resolved if ind["group"] is not None]
    if with_group and len(with_group) != len(resolved):
        without = [ind["name"] for ind in resolved if ind["group"] is None]
        raise ParameterError(bi(f"指标 {without} 未指定 group，而其他指标指定了",
                                f"indicator(s) {without} have no group while others do"))
    _check_keys("spec.groups", groups_spec, tuple(ind["group"] for ind in resolved if ind["group"] is not None))
    group_names = list(dict.fromkeys(ind["group"] for ind in resolved if ind["group"] is not None))
    clash = [g for g in group_names if g in RESERVED_COLUMNS or g in indicators]
    if clash:
        raise ParameterError(bi(f"组名 {clash} 与输出列或指标名重复",
                                f"group name(s) {clash} clash with output columns or indicators"))

    groups: dict[str, float] = {}
    for group in group_names:
        entry = groups_spec.get(group) or {}
        _check_keys(f"spec.groups.{group}", entry, GROUP_KEYS)
        weight = _number(f"spec.groups.{group}.weight", entry.get("weight", 1.0))
        if weight < 0:
            raise ParameterError(bi(f"spec.groups.{group}.weight 不能为负：{weight}",
                                    f"spec.groups.{group}.weight must not be negative: {weight}"))
        groups[group] = weight

    return groups


def _members(resolved: list[dict]) -> dict:
    out: dict = {}
    for ind in resolved:
        out.setdefault(ind["group"], []).append(ind)
    return out
