"""The projection's constants (the plan's defaults, bands, scenarios, table columns) and the checks of its
parameters.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Integral, Real

import pandas as pd

from lingshou.config import MIN_YEAR
from lingshou.errors import ParameterError
from lingshou.i18n import bi

#: The plan's growth target for enterprise R&D, percent per year.
DEFAULT_GROWTH_PCT = 15.0
#: First year of the plan (2022–2025); the default base year is the year before.
DEFAULT_PLAN_START = 2022
#: Last year of the plan.
DEFAULT_END_YEAR = 2025
#: The plan's intensity target, percent of main business revenue, and the year it is due.
DEFAULT_INTENSITY_TARGET_PCT = 1.0
DEFAULT_INTENSITY_TARGET_YEAR = 2022
DEFAULT_N_SIMS = 10_000
#: Fixed so that reports and nbval runs reproduce (the plan's date, 2022-09-22).
DEFAULT_SEED = 20220922
#: Observations needed for the simulation: 3 points give 2 growths, hence a t distribution with 1 df.
MIN_OBS_SIMULATION = 3
#: Quantiles of the fan (fractions); column names p05 … p95.
BAND_QUANTILES = (0.05, 0.25, 0.50, 0.75, 0.95)
SCENARIOS = ("low", "central", "high")
SCENARIO_METHODS = ("range", "trend_se")
RD_CENTRAL_METHODS = ("cagr", "trend", "plan_rate")
#: Columns of the table :func:`build_projection` returns, in order.
TABLE_COLUMNS = ("year", "actual", "plan_path", "trend_path", "p05", "p25", "p50", "p75", "p95",
                 "revenue_central", "intensity_central", "p_intensity_ge_target", "data_status", "input_status")
#: ``data_status`` of years after the latest actual, and of gap years (allow_gaps=True).
PROJECTED_STATUS = "projected"
MISSING_STATUS = "missing"
MAX_YEAR = 2100
MAX_HORIZON = 100
MAX_N_SIMS = 1_000_000
#: Floating-point slack when comparing a value with a path on the log scale: an actual exactly on the
#: 15 % path must count as "on the path" although 1.15**h is not exact in binary.
_LOG_TOL = 1e-12


# --------------------------------------------------------------------------------------------------
# Parameter checks
# --------------------------------------------------------------------------------------------------

def _is_int(value) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_real(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(float(value))


def check_year(value, name: str = "year") -> int:
    """Return ``value`` as an int if it is a plausible calendar year.

    Raises
    ------
    ParameterError
        If ``value`` is not an integer in [MIN_YEAR, MAX_YEAR].
    """
    if not _is_int(value) or not MIN_YEAR <= int(value) <= MAX_YEAR:
        raise ParameterError(bi(
            f"{name} 必须是 {MIN_YEAR}–{MAX_YEAR} 之间的整数年份，收到 {value!r}",
            f"{name} must be an integer year in {MIN_YEAR}–{MAX_YEAR}, got {value!r}"))
    return int(value)


def check_growth_pct(value, name: str = "growth_pct") -> float:
    """Return a growth rate in percent per year if it lies in the open interval (−100, 1000).

    Raises
    ------
    ParameterError
        If ``value`` is not a finite number strictly between −100 and 1000.
    """
    if not _is_real(value) or not -100.0 < float(value) < 1000.0:
        raise ParameterError(bi(
            f"{name} 必须是 (−100, 1000) 之间的年增长率（%），收到 {value!r}",
            f"{name} must be a growth rate in percent per year within (−100, 1000), got {value!r}"))
    return float(value)


def check_positive(value, name: str) -> float:
    """Return ``value`` as a float if it is finite and > 0.

    Raises
    ------
    ParameterError
        If ``value`` is not a finite positive number.
    """
    if not _is_real(value) or float(value) <= 0:
        raise ParameterError(bi(f"{name} 必须是有限的正数，收到 {value!r}",
                                f"{name} must be a finite positive number, got {value!r}"))
    return float(value)


def _check_int_range(value, name: str, low: int, high: int) -> int:
    if not _is_int(value) or not low <= int(value) <= high:
        raise ParameterError(bi(f"{name} 必须是 {low}–{high} 之间的整数，收到 {value!r}",
                                f"{name} must be an integer in {low}–{high}, got {value!r}"))
    return int(value)


def check_horizon(value, name: str = "horizon") -> int:
    """Number of years to project beyond the latest actual: an integer in [1, MAX_HORIZON]."""
    return _check_int_range(value, name, 1, MAX_HORIZON)


def check_n_sims(value) -> int:
    """Number of simulated paths: an integer in [100, MAX_N_SIMS]."""
    return _check_int_range(value, "n_sims", 100, MAX_N_SIMS)


def check_seed(value) -> int:
    """Seed of :func:`numpy.random.default_rng`: a non-negative integer."""
    return _check_int_range(value, "seed", 0, 2**63 - 1)


def _check_choice(value, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ParameterError(bi(f"{name}={value!r} 不是可选值 {choices}",
                                f"{name}={value!r} is not one of {choices}"))
    return value


def check_parameters(*, base_year=None, plan_start=DEFAULT_PLAN_START, growth_pct=DEFAULT_GROWTH_PCT,
                     intensity_target_pct=DEFAULT_INTENSITY_TARGET_PCT,
                     intensity_target_year=DEFAULT_INTENSITY_TARGET_YEAR, end_year=DEFAULT_END_YEAR,
                     n_sims=DEFAULT_N_SIMS, seed=DEFAULT_SEED, revenue_growth_pct=None,
                     scenario_method="range", scenario_k=2.0, rd_central="cagr",
                     allow_gaps=False) -> dict:
    """Validate the parameters of :func:`build_projection` (the notebook's parameter cell).

    Parameters are those of :func:`build_projection`.

    Returns
    -------
    dict
        The validated parameters (ints as ``int``, rates as ``float``), ``base_year`` resolved to
        ``plan_start - 1`` when it was ``None``.

    Raises
    ------
    ParameterError
        On the first invalid parameter, naming it.
    """
    plan_start = check_year(plan_start, "plan_start")
    base_year = plan_start - 1 if base_year is None else check_year(base_year, "base_year")
    end_year = check_year(end_year, "end_year")
    if end_year < base_year:
        raise ParameterError(bi(f"end_year={end_year} 早于 base_year={base_year}",
                                f"end_year={end_year} is before base_year={base_year}"))
    if not isinstance(allow_gaps, bool):
        raise ParameterError(bi(f"allow_gaps 必须是 True 或 False，收到 {allow_gaps!r}",
                                f"allow_gaps must be True or False, got {allow_gaps!r}"))
    return {
        "base_year": base_year,
        "plan_start": plan_start,
        "growth_pct": check_growth_pct(growth_pct),
        "intensity_target_pct": check_positive(intensity_target_pct, "intensity_target_pct"),
        "intensity_target_year": check_year(intensity_target_year, "intensity_target_year"),
        "end_year": end_year,
        "n_sims": check_n_sims(n_sims),
        "seed": check_seed(seed),
        "revenue_growth_pct": (None if revenue_growth_pct is None
                               else _check_scenario_rates(revenue_growth_pct)),
        "scenario_method": _check_choice(scenario_method, "scenario_method", SCENARIO_METHODS),
        "scenario_k": check_positive(scenario_k, "scenario_k"),
        "rd_central": _check_choice(rd_central, "rd_central", RD_CENTRAL_METHODS),
        "allow_gaps": allow_gaps,
    }


def _check_scenario_rates(rates) -> dict[str, float]:
    if not isinstance(rates, Mapping) or set(rates) != set(SCENARIOS):
        raise ParameterError(bi(f"情景增长率必须是恰好含 {SCENARIOS} 的字典，收到 {rates!r}",
                                f"scenario growth rates must be a mapping with exactly the keys {SCENARIOS}, "
                                f"got {rates!r}"))
    checked = {s: check_growth_pct(rates[s], f"growth_pct[{s!r}]") for s in SCENARIOS}
    if not checked["low"] <= checked["central"] <= checked["high"]:
        raise ParameterError(bi(f"情景增长率须满足 low ≤ central ≤ high，收到 {checked}",
                                f"scenario growth rates must satisfy low <= central <= high, got {checked}"))
    return checked


#: The plan targets the projection follows: the yearly growth of enterprise R&D and the intensity level.
RD_INDICATOR = "enterprise_rd_expenditure"
INTENSITY_INDICATOR = "enterprise_rd_intensity"
#: Keys of :func:`plan_settings`, with the defaults used where neither the plan nor a parameter gives one.
PLAN_SETTING_DEFAULTS = {"plan_start": DEFAULT_PLAN_START, "growth_pct": DEFAULT_GROWTH_PCT,
                         "intensity_target_pct": DEFAULT_INTENSITY_TARGET_PCT,
                         "intensity_target_year": DEFAULT_INTENSITY_TARGET_YEAR, "end_year": DEFAULT_END_YEAR}


def plan_settings(plan, **overrides) -> tuple[dict, dict]:
    """The projection's targets as the plan states them; an override that is not ``None`` wins.

    The plan is the one source of the targets: the ``growth`` target of ``enterprise_rd_expenditure``
    gives ``growth_pct`` (its ``target``), ``plan_start`` (its ``start_year``) and ``end_year`` (its
    ``end_year``); the ``level`` target of ``enterprise_rd_intensity`` gives ``intensity_target_pct`` and
    ``intensity_target_year``.  Missing years fall back to the plan's period; a plan without such targets
    to :data:`PLAN_SETTING_DEFAULTS` (said in ``sources``).

    Parameters
    ----------
    plan : lingshou.plan.targets.Plan
    **overrides
        Any key of :data:`PLAN_SETTING_DEFAULTS`; ``None`` means "as the plan says".

    Returns
    -------
    settings : dict
        The five values, ready for :func:`check_parameters`.
    sources : dict
        Per key: ``"parameter"``, ``"plan"`` or ``"default"``.

    Raises
    ------
    ParameterError
        On an override name that is not a key of :data:`PLAN_SETTING_DEFAULTS`.
    """
    unknown = sorted(set(overrides) - set(PLAN_SETTING_DEFAULTS))
    if unknown:
        raise ParameterError(bi(f"plan_settings 不认识的参数 {unknown}（可用 {list(PLAN_SETTING_DEFAULTS)}）",
                                f"plan_settings: unknown setting(s) {unknown} (known: {list(PLAN_SETTING_DEFAULTS)})"))
    targets = plan.targets
    from_plan: dict = {}
    growth = targets[(targets["indicator"] == RD_INDICATOR) & (targets["type"] == "growth")]
    if len(growth):
        row = growth.iloc[0]
        from_plan["growth_pct"] = float(row["target"])
        from_plan["plan_start"] = int(row["start_year"]) if not pd.isna(row["start_year"]) else plan.period[0]
        from_plan["end_year"] = int(row["end_year"]) if not pd.isna(row["end_year"]) else plan.period[1]
    level = targets[(targets["indicator"] == INTENSITY_INDICATOR) & (targets["type"] == "level")]
    if len(level):
        row = level.iloc[0]
        from_plan["intensity_target_pct"] = float(row["target"])
        from_plan["intensity_target_year"] = (int(row["target_year"]) if not pd.isna(row["target_year"])
                                              else plan.period[0])
    settings, sources = {}, {}
    for key, default in PLAN_SETTING_DEFAULTS.items():
        if overrides.get(key) is not None:
            settings[key], sources[key] = overrides[key], "parameter"
        elif key in from_plan:
            settings[key], sources[key] = from_plan[key], "plan"
        else:
            settings[key], sources[key] = default, "default"
    return settings, sources
