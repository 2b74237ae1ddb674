"""The projection table and summary the notebook writes (rd_projection.csv, rd_summary.json), composed from the
model, the scenarios and the fan by :func:`build_projection`.

The table
---------
One row per year from the first R&D observation to ``max(end_year, latest)``, columns
:data:`TABLE_COLUMNS`:

- ``year`` (int); ``actual`` R&D (万元, NaN when not observed);
- ``plan_path`` (万元, from ``base_year``; NaN before); ``trend_path`` (万元, the fitted log-linear trend over
  the observed years, NaN beyond);
- ``p05 … p95``: fan quantiles (万元), projected years only;
- ``revenue_central``: revenue actual, else the central scenario (万元);
- ``intensity_central``: ``100 × R&D / revenue_central`` (%), R&D = actual, else the
  ``rd_central`` projection;
- ``p_intensity_ge_target``: P(intensity ≥ target) from the fan and the central revenue path,
  projected years only;
- ``data_status``: the given status for observed years, ``"missing"`` for gap years,
  ``"projected"`` after the latest actual;
- ``input_status``: the status of what the row rests on — the given status for observed years, the
  weakest status of the observed years for gap and projected years (``illustrative`` when any is).

The summary
-----------
JSON-ready (NaN → None). Keys:

- ``n_obs``, ``first_year``, ``latest_year``, ``latest_value`` (万元), ``gap_years``;
- ``cagr_pct``, ``trend_growth_pct``, ``trend_growth_se_pct`` (percent per year);
- ``log_growth_mean``, ``log_growth_sd``, ``log_growth_se``, ``t_df`` (simulation inputs);
- ``base_year``, ``base_value``, ``plan_start``, ``end_year``, ``growth_target_pct``,
  ``plan_path_end`` (万元 in ``end_year``), ``plan_path_years_missed`` (observed years after
  the base year below the plan path);
- ``required_growth_level_pct``: from the latest actual to ``plan_path_end``;
- ``intensity_target_pct``, ``intensity_target_year``, ``intensity_actual_in_target_year``,
  ``intensity_target_met`` (bool or None when not observed), ``latest_intensity``;
- ``required_growth_intensity_pct`` and ``required_growth_intensity_year`` (the target year if it
  is still ahead, else ``end_year``);
- ``revenue_growth_pct`` (``{"low", "central", "high"}``), ``revenue_scenario_method``
  (``"range"``, ``"trend_se"`` or ``"given"``), ``rd_central``;
- ``crossing_years`` (``{"low": year or None, "central": …, "high": …}``, first year from
  ``plan_start`` with intensity ≥ target, actual years included), ``crossing_horizon``
  (= ``end_year``), ``crossing_text`` (``{scenario: {"zh": …, "en": …}}``, e.g.
  "2024年首次达到1%" / "not reached by 2025");
- the plan's "年增长达到15%以上" read year by year (the primary reading): ``annual_growth_pct``
  (``{year: growth}`` of every observed year from ``plan_start``), ``p_growth_ge_target_by_year``
  (``{year: P(that year's growth ≥ growth_pct)}``) and ``p_growth_ge_target_all_years``;
- the cumulative reading (second): ``simulated`` (bool), ``n_sims``, ``seed``,
  ``p_on_plan_path_all_years`` (P of staying at or above the plan path compounded from ``base_year``
  in every projected year through ``end_year``), ``p_on_plan_path_by_year`` and
  ``p_intensity_ge_target_by_year`` (``{year: p}``);
- ``notes``: bilingual sentences on every limitation met.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from lingshou.analysis.projection.checks import (
    _LOG_TOL,
    BAND_QUANTILES,
    DEFAULT_END_YEAR,
    DEFAULT_GROWTH_PCT,
    DEFAULT_INTENSITY_TARGET_PCT,
    DEFAULT_INTENSITY_TARGET_YEAR,
    DEFAULT_N_SIMS,
    DEFAULT_PLAN_START,
    DEFAULT_SEED,
    MIN_OBS_SIMULATION,
    MISSING_STATUS,
    PROJECTED_STATUS,
    SCENARIOS,
    TABLE_COLUMNS,
    check_parameters,
)
from lingshou.analysis.projection.growth import _years_text, cagr, check_series, find_gaps, growth_stats, trend_growth
from lingshou.analysis.projection.scenarios import (
    compound_path,
    crossing_year,
    describe_crossing,
    intensity_path,
    plan_path,
    required_growth,
    required_growth_for_intensity,
    revenue_scenarios,
    scenario_growth_rates,
)
from lingshou.analysis.projection.simulate import (
    _quantile_column,
    fan_bands,
    prob_above_path,
    prob_always_above,
    prob_growth_at_least,
    prob_growth_every_year,
    prob_intensity_at_least,
    simulate_fan,
)
from lingshou.config import STATUS_RANK, STATUSES
from lingshou.errors import ParameterError
from lingshou.i18n import bi

# --------------------------------------------------------------------------------------------------
# The table and summary of the notebook
# --------------------------------------------------------------------------------------------------

def _status_by_year(data_status, observed_years, gap_years) -> dict[int, str]:
    if isinstance(data_status, str):
        given = {int(y): data_status for y in observed_years}
    elif isinstance(data_status, (Mapping, pd.Series)):
        given = {int(y): s for y, s in dict(data_status).items()}
    else:
        raise ParameterError(bi(f"data_status 必须是字符串或 年份→状态 的映射，收到 {type(data_status).__name__}",
                                f"data_status must be a string or a year → status mapping, got "
                                f"{type(data_status).__name__}"))
    missing = [int(y) for y in observed_years if int(y) not in given]
    if missing:
        raise ParameterError(bi(f"data_status 缺少有数据年份的状态：{_years_text(missing)}",
                                f"data_status has no status for the observed years {_years_text(missing)}"))
    unknown = sorted({str(s) for y, s in given.items() if y in set(observed_years) and s not in STATUSES})
    if unknown:
        raise ParameterError(bi(f"data_status 含未知状态 {unknown}，可选 {STATUSES}",
                                f"data_status holds unknown statuses {unknown}; choose from {STATUSES}"))
    out = {int(y): given[int(y)] for y in observed_years}
    out.update({int(y): MISSING_STATUS for y in gap_years})
    return out


def _json_number(value):
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def build_projection(rd: pd.Series, revenue: pd.Series, data_status, *, base_year: int | None = None,
                     plan_start: int = DEFAULT_PLAN_START, growth_pct: float = DEFAULT_GROWTH_PCT,
                     intensity_target_pct: float = DEFAULT_INTENSITY_TARGET_PCT,
                     intensity_target_year: int = DEFAULT_INTENSITY_TARGET_YEAR,
                     end_year: int = DEFAULT_END_YEAR, n_sims: int = DEFAULT_N_SIMS, seed: int = DEFAULT_SEED,
                     revenue_growth_pct: Mapping[str, float] | None = None, scenario_method: str = "range",
                     scenario_k: float = 2.0, rd_central: str = "cagr",
                     allow_gaps: bool = False) -> tuple[pd.DataFrame, dict]:
    """The projection table and summary the notebook writes (rd_projection.csv, rd_summary.json).

    Parameters
    ----------
    rd : pandas.Series
        ``enterprise_rd_expenditure`` actuals, 万元, indexed by year.
    revenue : pandas.Series
        ``industrial_revenue`` actuals, 万元, indexed by year.
    data_status : str or mapping year → str
        Status of each observed R&D year (one of :data:`lingshou.config.STATUSES`); a string applies to
        every observed year.
    base_year : int, optional
        Start of the plan path; default ``plan_start - 1``. Must be observed.
    plan_start : int, default 2022
    growth_pct : float, default 15.0
        The plan's growth target, percent per year.
    intensity_target_pct : float, default 1.0
        Intensity target, percent of revenue.
    intensity_target_year : int, default 2022
        Year the intensity target is due.
    end_year : int, default 2025
        Last projected year.
    n_sims : int, default 10000
    seed : int, default DEFAULT_SEED
    revenue_growth_pct : mapping, optional
        Explicit ``{"low", "central", "high"}`` revenue growth, percent per year; default estimated
        from the revenue history with ``scenario_method`` / ``scenario_k``
        (see :func:`scenario_growth_rates`).
    scenario_method : {"range", "trend_se"}, default "range"
    scenario_k : float, default 2.0
    rd_central : {"cagr", "trend", "plan_rate"}, default "cagr"
        R&D projection used for the deterministic intensity paths and crossing years: the latest actual
        compounded at the historical CAGR (= the fan's median), at the trend growth, or at
        ``growth_pct``.
    allow_gaps : bool, default False
        Accept missing years inside the series (see the module notes).

    Returns
    -------
    table : pandas.DataFrame
        One row per year, columns :data:`TABLE_COLUMNS` (the module's "The table" says what each holds).
    summary : dict
        JSON-ready; its keys in the module's "The summary".

    Raises
    ------
    ParameterError
        On invalid parameters or ``data_status``.
    DataError
        On zeros, negatives, gaps (unless allowed), or no observation in the base year.
    """
    params = check_parameters(base_year=base_year, plan_start=plan_start, growth_pct=growth_pct,
                              intensity_target_pct=intensity_target_pct,
                              intensity_target_year=intensity_target_year, end_year=end_year, n_sims=n_sims,
                              seed=seed, revenue_growth_pct=revenue_growth_pct,
                              scenario_method=scenario_method, scenario_k=scenario_k, rd_central=rd_central,
                              allow_gaps=allow_gaps)
    rd, revenue, obs, rev_obs, gaps, status, years = _inputs(rd, revenue, data_status, params)
    notes: list[str] = []

    plan = plan_path(rd, params["base_year"], params["growth_pct"], params["end_year"])
    history = _history(rd, obs, years, gaps, status, allow_gaps, notes)
    rd_full = _central_rd(obs, years, params, history, notes)
    revenue_part = _revenue(revenue, rev_obs, int(obs.index[-1]), years, rd_full, params, allow_gaps, notes)
    fan = _simulation(rd, obs, years, plan, history, revenue_part, params, allow_gaps, notes)
    missed = _missed_years(obs, plan, params, notes)
    required = _required(obs, rev_obs, plan, revenue_part, params, notes)
    table = _table(years, obs, plan, history, fan, revenue_part, status)
    summary = _summary(obs, gaps, plan, missed, history, revenue_part, fan, required, params, notes)
    return table, summary


def _inputs(rd, revenue, data_status, params: dict):
    """The two series named and checked: (rd, revenue, R&D observed, revenue observed, gap years, status by
    year, the table's years from the first R&D observation to ``max(end_year, latest)``)."""
    rd, revenue = _named(rd, "enterprise_rd_expenditure"), _named(revenue, "industrial_revenue")
    obs = check_series(rd, allow_gaps=params["allow_gaps"])
    rev_obs = check_series(revenue, allow_gaps=params["allow_gaps"])
    gaps = find_gaps(obs)
    status = _status_by_year(data_status, obs.index, gaps)
    years = pd.Index(np.arange(int(obs.index[0]), max(params["end_year"], int(obs.index[-1])) + 1), name="year")
    return rd, revenue, obs, rev_obs, gaps, status, years


def _named(series, code: str):
    """An unnamed input series gets its indicator code, so that messages name the series."""
    return series.rename(code) if isinstance(series, pd.Series) and series.name is None else series


def _missed_years(obs: pd.Series, plan: pd.Series, params: dict, notes: list[str]) -> list[int]:
    """Observed years after the base year below the plan path (said in ``notes``)."""
    missed = [int(y) for y, v in obs.items()
              if params["base_year"] < y <= params["end_year"] and math.log(v) < math.log(plan.loc[y]) - _LOG_TOL]
    if missed:
        notes.append(bi(f"{_years_text(missed)} 年的实际值低于 {params['growth_pct']:g}% 计划路径；"
                        "达标概率只针对预测年份",
                        f"actuals in {_years_text(missed)} are below the {params['growth_pct']:g} % plan path; "
                        "the probability covers projected years only"))
    return missed


def _table(years: pd.Index, obs: pd.Series, plan: pd.Series, history: dict, fan: dict, revenue_part: dict,
           status: dict) -> pd.DataFrame:
    """The projection table, one row per year (columns :data:`TABLE_COLUMNS`)."""
    table = pd.DataFrame({
        "year": years.to_numpy(dtype="int64"),
        "actual": obs.reindex(years).to_numpy(),
        "plan_path": plan.reindex(years).to_numpy(),
        "trend_path": history["trend"].to_numpy(),
        **{c: fan["bands"][c].to_numpy() for c in fan["bands"].columns},
        "revenue_central": revenue_part["paths"]["central"].to_numpy(),
        "intensity_central": revenue_part["intensities"]["central"].to_numpy(),
        "p_intensity_ge_target": fan["p_int"].to_numpy(),
        "data_status": [status.get(int(y), PROJECTED_STATUS) for y in years],
    })
    table["data_status"] = table["data_status"].astype("str")
    table["input_status"] = pd.Series(_input_status(status, years), dtype="str")
    return table


def _input_status(status: dict, years) -> list[str]:
    """What each row rests on: an observed year its own status; a projected (or gap) row every observed year,
    so the weakest of their statuses — a projection from illustrative data reads as illustrative wherever it goes."""
    observed = {y: s for y, s in status.items() if s in STATUS_RANK}
    weakest = min(observed.values(), key=STATUS_RANK.__getitem__)
    return [observed.get(int(y), weakest) for y in years]


def _history(rd, obs, years, gaps, status, allow_gaps, notes) -> dict:
    """Historical growth (CAGR, trend and its path, log-growth statistics; 2 points at least)."""
    n_obs, first = len(obs), int(obs.index[0])
    out = {"cagr_pct": None, "trend_pct": None, "trend_se": None, "stats": None,
           "trend": pd.Series(np.nan, index=years)}
    if n_obs >= 2:
        fit = trend_growth(rd, allow_gaps=allow_gaps)
        out.update(cagr_pct=cagr(rd, allow_gaps=allow_gaps), trend_pct=fit.growth_pct, trend_se=fit.growth_se_pct,
                   # the fitted trend describes the observed years only: the one forward number is the fan's median
                   trend=pd.Series(np.where(years <= int(obs.index[-1]), fit.predict(years), np.nan), index=years),
                   stats=growth_stats(rd, allow_gaps=allow_gaps))
        if n_obs == 2:
            notes.append(bi("只有 2 个观测值：趋势增长等于年均增长率，没有标准误",
                            "only 2 observations: the trend growth equals the CAGR and has no standard error"))
    else:
        notes.append(bi(f"只有 1 个观测值（{first}年）：无法计算历史增长率、趋势和随机模拟",
                        f"only 1 observation ({first}): no historical growth, trend or simulation"))
    if gaps:
        notes.append(bi(f"研发数据缺少 {_years_text(gaps)} 年：增长按跨年区间计算（k 年区间计为 k 个年增长之和）",
                        f"R&D data miss {_years_text(gaps)}: growth over the gap is used (an interval of k "
                        "years counts as the sum of k yearly growths)"))
    if any(s == "illustrative" for s in status.values()):
        notes.append(bi("部分数据为示例数据（illustrative），结果仅作演示",
                        "some data are illustrative: the results only demonstrate the method"))
    return out


def _central_rd(obs, years, params, history, notes) -> pd.Series:
    """R&D actuals, then the deterministic central path (``rd_central``) beyond the latest actual."""
    latest, end_year = int(obs.index[-1]), params["end_year"]
    horizon = end_year - latest
    rd_full = obs.reindex(years)
    central_rate = {"cagr": history["cagr_pct"], "trend": history["trend_pct"],
                    "plan_rate": params["growth_pct"]}[params["rd_central"]]
    if horizon >= 1 and central_rate is not None:
        future = compound_path(float(obs.iloc[-1]), latest, central_rate, end_year).iloc[1:]
        rd_full.loc[future.index] = future.to_numpy()
    elif horizon >= 1:
        notes.append(bi(f"无法按 rd_central={params['rd_central']!r} 预测研发经费（数据不足），预测年份的强度为空",
                        f"R&D cannot be projected with rd_central={params['rd_central']!r} (too little data); "
                        "projected intensities are empty"))
    if horizon < 1:
        notes.append(bi(f"最新数据已到 {latest} 年，不晚于 end_year={end_year}：没有预测年份",
                        f"the latest actual ({latest}) is not before end_year={end_year}: nothing to project"))
    return rd_full


def _revenue(revenue, rev_obs, latest, years, rd_full, params, allow_gaps, notes) -> dict:
    """Revenue scenarios, the intensity under each and the year each crosses the target."""
    rates, method_used = None, params["scenario_method"]
    if params["revenue_growth_pct"] is not None:
        rates, method_used = params["revenue_growth_pct"], "given"
    elif len(rev_obs) >= (2 if method_used == "range" else 3):
        rates = scenario_growth_rates(revenue, method=method_used, k=params["scenario_k"], allow_gaps=allow_gaps)
    else:
        notes.append(bi(f"收入只有 {len(rev_obs)} 个观测值，无法按 {method_used} 估计情景增长率：请给出 revenue_growth_pct",
                        f"revenue has {len(rev_obs)} observation(s), too few for {method_used} scenarios: "
                        "pass revenue_growth_pct"))
    if rates is not None:
        rev_paths = revenue_scenarios(revenue, params["end_year"], growth_pct=rates, allow_gaps=allow_gaps)
    else:
        history = rev_obs.reindex(pd.Index(np.arange(int(rev_obs.index[0]), int(rev_obs.index[-1]) + 1),
                                           name="year"))
        rev_paths = pd.DataFrame({s: history.to_numpy() for s in SCENARIOS}, index=history.index)
    rev_paths = rev_paths.reindex(years)
    rev_latest = int(rev_obs.index[-1])
    if rev_latest < latest:
        notes.append(bi(f"收入数据止于 {rev_latest} 年，之后的收入用情景值",
                        f"revenue data end in {rev_latest}; later revenue comes from the scenarios"))
    intensities = pd.DataFrame({s: intensity_path(rd_full, rev_paths[s]).reindex(years) for s in SCENARIOS})
    crossings = {s: crossing_year(intensities[s], params["intensity_target_pct"], params["end_year"],
                                  start_year=params["plan_start"])
                 for s in SCENARIOS}
    if rates is not None and method_used != "given":
        notes.append(bi("收入“低/高”情景对应更高/更低的研发强度（分母更小/更大）",
                        "the 'low' revenue scenario gives the higher intensity (smaller denominator), "
                        "'high' the lower"))
    return {"rates": rates, "method": method_used, "paths": rev_paths, "intensities": intensities,
            "crossings": crossings}


def _simulation(rd, obs, years, plan, history, revenue_part, params, allow_gaps, notes) -> dict:
    """The fan's bands and the probabilities of the plan path and the intensity target (3 points at least)."""
    n_obs, horizon = len(obs), params["end_year"] - int(obs.index[-1])
    out = {"bands": pd.DataFrame(np.nan, index=years, columns=[_quantile_column(q) for q in BAND_QUANTILES]),
           "p_int": pd.Series(np.nan, index=years), "p_all": None, "p_plan_by_year": {}, "p_int_by_year": {},
           "p_growth_by_year": {}, "p_growth_all": None, "simulated": False}
    if horizon >= 1 and n_obs >= MIN_OBS_SIMULATION:
        fan = simulate_fan(rd, horizon, n_sims=params["n_sims"], seed=params["seed"], allow_gaps=allow_gaps)
        out["simulated"] = True
        out["bands"].loc[fan.years] = fan_bands(fan).to_numpy()
        out["p_plan_by_year"] = {int(y): float(p) for y, p in prob_above_path(fan, plan).items()}
        out["p_all"] = prob_always_above(fan, plan, through_year=params["end_year"])
        out["p_growth_by_year"] = {int(y): float(p) for y, p in prob_growth_at_least(fan, params["growth_pct"]).items()}
        out["p_growth_all"] = prob_growth_every_year(fan, params["growth_pct"])
        if revenue_part["rates"] is not None:
            p = prob_intensity_at_least(fan, revenue_part["paths"]["central"], params["intensity_target_pct"])
            out["p_int"].loc[p.index] = p.to_numpy()
            out["p_int_by_year"] = {int(y): float(v) for y, v in p.items()}
            notes.append(bi("研发强度达标概率把收入中情景当作已知路径，未计入收入本身的不确定性",
                            "P(intensity ≥ target) treats the central revenue path as known; revenue "
                            "uncertainty is not included"))
        stats = history["stats"]
        if stats.n_growths < 5:
            notes.append(bi(f"只有 {stats.n_growths} 个年增长率：均值增长的不确定性很大（t 分布，自由度 {stats.df}），"
                            "区间很宽",
                            f"only {stats.n_growths} yearly growth rates: the mean growth is very uncertain "
                            f"(Student-t with {stats.df} df), so the bands are wide"))
    elif horizon >= 1:
        notes.append(bi(f"只有 {n_obs} 个观测值，少于 {MIN_OBS_SIMULATION} 个：只给出确定性结果（计划路径、"
                        "增长率、所需增速、情景），不做随机模拟，概率与分位数为空",
                        f"only {n_obs} observation(s), fewer than {MIN_OBS_SIMULATION}: deterministic results "
                        "only (plan path, growth, required growth, scenarios); no simulation, so the "
                        "quantiles and probabilities are empty"))
    return out


def _required(obs, rev_obs, plan, revenue_part, params, notes) -> dict:
    """Required growth to the plan path's end and to the intensity target; intensity in the target year."""
    latest, end_year, target = int(obs.index[-1]), params["end_year"], params["intensity_target_pct"]
    req_level = (required_growth(float(obs.iloc[-1]), latest, float(plan.loc[end_year]), end_year)
                 if end_year - latest >= 1 else None)
    target_year = params["intensity_target_year"]
    req_year = target_year if target_year > latest else (end_year if end_year > latest else None)
    req_int = None
    central = revenue_part["paths"]["central"]
    if req_year is not None and np.isfinite(central.get(req_year, np.nan)):
        req_int = required_growth_for_intensity(obs, central, target, req_year)
    if req_year is not None and req_year != target_year:
        notes.append(bi(f"强度目标年 {target_year} 已有数据或已过去，所需增速按 {req_year} 年达到 {target:g}% 计算",
                        f"the intensity target year {target_year} is not ahead of the data; the required growth "
                        f"is to reach {target:g} % by {req_year}"))
    actual_intensity = intensity_path(obs, rev_obs)
    in_target = actual_intensity.get(target_year, np.nan)
    return {"level": req_level, "intensity": req_int, "year": req_year,
            "in_target": float(in_target) if np.isfinite(in_target) else None,
            "latest_intensity": actual_intensity.dropna()}


def _summary(obs, gaps, plan, missed, history, revenue_part, fan, required, params, notes) -> dict:
    """The JSON-ready summary (keys documented in :func:`build_projection`)."""
    stats, rates, end_year = history["stats"], revenue_part["rates"], params["end_year"]
    in_target, latest_intensity, target = required["in_target"], required["latest_intensity"], params["intensity_target_pct"]
    simulated = fan["simulated"]
    return {
        "n_obs": len(obs),
        "first_year": int(obs.index[0]),
        "latest_year": int(obs.index[-1]),
        "latest_value": float(obs.iloc[-1]),
        "gap_years": gaps,
        "cagr_pct": _json_number(history["cagr_pct"]),
        "trend_growth_pct": _json_number(history["trend_pct"]),
        "trend_growth_se_pct": _json_number(history["trend_se"]),
        "log_growth_mean": _json_number(stats.mean_log_growth if stats else None),
        "log_growth_sd": _json_number(stats.sd_log_growth if stats else None),
        "log_growth_se": _json_number(stats.se_mean if stats else None),
        "t_df": stats.df if stats and stats.df >= 1 else None,
        "base_year": params["base_year"],
        "base_value": float(obs.loc[params["base_year"]]),
        "plan_start": params["plan_start"],
        "end_year": end_year,
        "growth_target_pct": params["growth_pct"],
        "plan_path_end": float(plan.loc[end_year]),
        "plan_path_years_missed": missed,
        "required_growth_level_pct": _json_number(required["level"]),
        "intensity_target_pct": target,
        "intensity_target_year": params["intensity_target_year"],
        "intensity_actual_in_target_year": in_target,
        "intensity_target_met": None if in_target is None else bool(in_target >= target),
        "latest_intensity": ({"year": int(latest_intensity.index[-1]), "value": float(latest_intensity.iloc[-1])}
                             if len(latest_intensity) else None),
        "required_growth_intensity_pct": _json_number(required["intensity"]),
        "required_growth_intensity_year": required["year"] if required["intensity"] is not None else None,
        "revenue_growth_pct": None if rates is None else {s: float(rates[s]) for s in SCENARIOS},
        "revenue_scenario_method": revenue_part["method"],
        "rd_central": params["rd_central"],
        "crossing_years": {s: c.year for s, c in revenue_part["crossings"].items()},
        "crossing_horizon": end_year,
        "crossing_text": {s: {lang: describe_crossing(c, lang) for lang in ("zh", "en")}
                          for s, c in revenue_part["crossings"].items()},
        "simulated": simulated,
        "n_sims": params["n_sims"] if simulated else None,
        "seed": params["seed"] if simulated else None,
        "annual_growth_pct": {int(y): float(v) for y, v in (100.0 * (obs / obs.shift(1) - 1)).items()
                              if y >= params["plan_start"] and y - 1 in obs.index},
        "p_growth_ge_target_by_year": fan["p_growth_by_year"],
        "p_growth_ge_target_all_years": fan["p_growth_all"],
        "p_on_plan_path_all_years": fan["p_all"],
        "p_on_plan_path_by_year": fan["p_plan_by_year"],
        "p_intensity_ge_target_by_year": fan["p_int_by_year"],
        "notes": notes,
    }


def check_projection_output(table, summary) -> pd.DataFrame:
    """The table of :func:`build_projection` indexed by year, after checking table and summary are its output.

    Raises
    ------
    ParameterError
        If ``table`` is not a DataFrame with :data:`TABLE_COLUMNS` or ``summary`` is not a mapping.
    """
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(bi(f"table 必须是 build_projection 返回的 DataFrame，收到 {type(table).__name__}",
                                f"table must be the DataFrame returned by build_projection, got {type(table).__name__}"))
    lacking = [c for c in TABLE_COLUMNS if c not in table.columns]
    if lacking:
        raise ParameterError(bi(f"table 缺少列 {lacking}", f"table lacks the columns {lacking}"))
    if not isinstance(summary, Mapping):
        raise ParameterError(bi(f"summary 必须是 build_projection 返回的字典，收到 {type(summary).__name__}",
                                f"summary must be the dict returned by build_projection, got {type(summary).__name__}"))
    return table.set_index("year")


def intensity_scenarios(table: pd.DataFrame, revenue: pd.Series, summary: Mapping, *,
                        allow_gaps: bool = False) -> pd.DataFrame:
    """R&D intensity per revenue scenario, on the years of the projection table (percent of revenue).

    R&D is the table's path (actuals, then the ``rd_central`` projection, recovered as
    ``intensity_central × revenue_central / 100``); revenue follows each scenario of
    ``summary["revenue_growth_pct"]`` through :func:`revenue_scenarios`.

    Parameters
    ----------
    table, summary
        From :func:`build_projection`.
    revenue : pandas.Series
        ``industrial_revenue`` actuals (万元) indexed by year, as given to ``build_projection``.
    allow_gaps : bool, default False
        As given to ``build_projection``.

    Returns
    -------
    pandas.DataFrame
        Index ``year`` (the table's years), columns ``low``, ``central``, ``high`` (percent). Without
        scenario rates (too little revenue history) every column is the table's ``intensity_central``.

    Raises
    ------
    ParameterError
        If ``table`` or ``summary`` is not from ``build_projection``.
    """
    t = check_projection_output(table, summary)
    if "revenue_growth_pct" not in summary or "end_year" not in summary:
        raise ParameterError(bi("summary 缺少 revenue_growth_pct 或 end_year",
                                "summary lacks revenue_growth_pct or end_year"))
    rates = summary["revenue_growth_pct"]
    if rates is None:
        central = t["intensity_central"].to_numpy(dtype=float)
        return pd.DataFrame({s: central for s in SCENARIOS}, index=t.index)
    rd = t["intensity_central"] * t["revenue_central"] / 100.0
    paths = revenue_scenarios(revenue, int(summary["end_year"]), growth_pct=rates, allow_gaps=allow_gaps)
    return pd.DataFrame({s: intensity_path(rd, paths[s]).reindex(t.index).to_numpy() for s in SCENARIOS},
                        index=t.index)
