"""Texts for the notebook and the report, in Chinese and English, read from the summary's numbers.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from lingshou.analysis.projection.build import check_projection_output
from lingshou.analysis.projection.checks import MIN_OBS_SIMULATION, SCENARIOS
from lingshou.analysis.projection.growth import _years_text
from lingshou.analysis.projection.scenarios import compound_path
from lingshou.errors import ParameterError
from lingshou.i18n import bi, pick

# --------------------------------------------------------------------------------------------------
# Texts for the notebook and the report (both languages, from the summary's numbers)
# --------------------------------------------------------------------------------------------------

#: Summary keys that :func:`describe_projection` reads (all written by :func:`build_projection`).
TEXT_SUMMARY_KEYS = (
    "n_obs", "first_year", "latest_year", "latest_value", "gap_years", "cagr_pct", "trend_growth_pct",
    "trend_growth_se_pct", "base_year", "base_value", "end_year", "growth_target_pct", "plan_path_end",
    "plan_path_years_missed", "required_growth_level_pct", "intensity_target_pct", "intensity_target_year",
    "intensity_actual_in_target_year", "intensity_target_met", "latest_intensity",
    "required_growth_intensity_pct", "required_growth_intensity_year", "revenue_growth_pct",
    "revenue_scenario_method", "rd_central", "crossing_years", "simulated", "n_sims", "seed",
    "p_on_plan_path_all_years", "p_on_plan_path_by_year", "p_intensity_ge_target_by_year", "notes",
    "plan_start", "annual_growth_pct", "p_growth_ge_target_by_year", "p_growth_ge_target_all_years")
#: Scenario growth rates closer than this (percentage points) are told as "practically the same".
SCENARIO_SAME_PP = 0.05
#: Columns of the projection table printed in the report (a subset of :data:`TABLE_COLUMNS`).
REPORT_COLUMNS = ("year", "actual", "plan_path", "p05", "p50", "p95", "intensity_central", "data_status")


def split_note(note: str) -> dict:
    """Split a bilingual note ``"中文 / English"`` (as made by :func:`lingshou.i18n.bi`) into its languages.

    Parameters
    ----------
    note : str
        A note of ``summary["notes"]``.

    Returns
    -------
    dict
        ``{"zh": …, "en": …}``, split at the first ``" / "``; a note without the separator is used for
        both languages (it is shown rather than lost).

    Raises
    ------
    ParameterError
        If ``note`` is not a string.
    """
    if not isinstance(note, str):
        raise ParameterError(bi(f"注释必须是字符串，收到 {type(note).__name__}",
                                f"a note must be a string, got {type(note).__name__}"))
    zh, sep, en = note.partition(" / ")
    return {"zh": zh, "en": en} if sep else {"zh": note, "en": note}


def _years_zh(years) -> str:
    return "、".join(str(int(y)) for y in years)


def _money(value: float, lang: str) -> str:
    # 万元 as in the yearbooks; English writes it as everywhere (lingshou.i18n.UNIT_EN: "×10k yuan").
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    return pick(lang, f"{text}万元", f"{text} ×10k yuan")


def _money_range(low: float, high: float, lang: str) -> str:
    return pick(lang, f"{low:,.0f}–{high:,.0f}万元", f"{low:,.0f}–{high:,.0f} ×10k yuan")


def _prob(p: float, lang: str) -> str:
    """A probability as plain words: "约为79%", "不到1%", "超过99%"."""
    if p < 0.01:
        return pick(lang, "不到1%", "below 1 %")
    if p > 0.99:
        return pick(lang, "超过99%", "above 99 %")
    pct = math.floor(100.0 * p + 0.5)
    return pick(lang, f"约为{pct}%", f"about {pct} %")


def _growth(pct: float, lang: str) -> str:
    """"增长15.6%" / "下降3.2%"; "growth of 15.6 %" / "a fall of 3.2 %"."""
    if pct >= 0:
        return pick(lang, f"增长{pct:.1f}%", f"growth of {pct:.1f} %")
    return pick(lang, f"下降{-pct:.1f}%", f"a fall of {-pct:.1f} %")


def _need(pct: float, lang: str) -> str:
    """What R&D must do each year to reach a target, given the required growth (percent per year)."""
    if pct > 0:
        return pick(lang, f"每年需增长{pct:.1f}%", f"must grow {pct:.1f} % a year")
    return pick(lang, f"即使每年下降{-pct:.1f}%也能达到", f"could even fall {-pct:.1f} % a year and still get there")


def _by_year(mapping, year: int):
    # Keys are int in the summary and str after a JSON round trip (rd_summary.json).
    if not mapping:
        return None
    value = mapping.get(year, mapping.get(str(year)))
    return None if value is None else float(value)


def _cell(table: pd.DataFrame, year: int, column: str):
    if year not in table.index:
        return None
    value = table.at[year, column]
    return float(value) if pd.notna(value) and math.isfinite(float(value)) else None


def _plan_comparison(s: Mapping, table: pd.DataFrame):
    """``(year, actual, plan)`` for the latest year inside the plan path with an actual, else None."""
    year = min(int(s["latest_year"]), int(s["end_year"]))
    actual, plan = _cell(table, year, "actual"), _cell(table, year, "plan_path")
    if year <= int(s["base_year"]) or actual is None or plan is None:
        return None
    return year, actual, plan


def _versus_plan(actual: float, plan: float, lang: str) -> str:
    diff = 100.0 * (actual / plan - 1.0)
    if diff >= 0:
        return pick(lang, f"比计划路径值{_money(plan, 'zh')}高{diff:.1f}%",
                    f"{diff:.1f} % above the plan path's {_money(plan, 'en')}")
    return pick(lang, f"比计划路径值{_money(plan, 'zh')}低{-diff:.1f}%",
                f"{-diff:.1f} % below the plan path's {_money(plan, 'en')}")


def _check_text_inputs(summary, table, county) -> pd.DataFrame:
    t = check_projection_output(table, summary)
    missing = [k for k in TEXT_SUMMARY_KEYS if k not in summary]
    if missing:
        raise ParameterError(bi(f"summary 缺少键 {missing}（应由 build_projection 生成）",
                                f"summary lacks the keys {missing} (it should come from build_projection)"))
    if not isinstance(county, str) or not county.strip():
        raise ParameterError(bi(f"county 必须是非空县名，收到 {county!r}",
                                f"county must be a non-empty county name, got {county!r}"))
    needed = [int(summary["first_year"]), int(summary["latest_year"])]
    if summary["simulated"]:
        needed.append(int(summary["end_year"]))
    absent = [y for y in needed if y not in t.index]
    if absent:
        raise ParameterError(bi(f"table 缺少年份 {_years_text(absent)}（与 summary 不一致）",
                                f"table lacks the years {_years_text(absent)} (it does not match the summary)"))
    return t


def _history_text(s: Mapping, t: pd.DataFrame, county: str, lang: str) -> str:
    n, first, latest = int(s["n_obs"]), int(s["first_year"]), int(s["latest_year"])
    if n == 1:
        return pick(lang, f"{county}规上工业企业R&D经费只有{first}年一个数据（{_money(s['latest_value'], 'zh')}），无法计算增长率。",
                    f"{county} has a single value of enterprise R&D expenditure, {_money(s['latest_value'], 'en')} "
                    f"in {first}, so no growth rate can be computed.")
    v0, v1 = _cell(t, first, "actual"), float(s["latest_value"])
    gaps = s["gap_years"] or []
    gap_zh = f"（缺{_years_zh(gaps)}年数据）" if gaps else ""
    gap_en = f" ({_years_text(gaps)} missing)" if gaps else ""
    cagr_pct = float(s["cagr_pct"])
    zh = (f"{county}规上工业企业R&D经费从{first}年的{_money(v0, 'zh')}{'增至' if v1 >= v0 else '降至'}{latest}年的"
          f"{_money(v1, 'zh')}{gap_zh}，年均{_growth(cagr_pct, 'zh')}（按首末两年计算）。")
    en = (f"Enterprise R&D expenditure in {county} went from {_money(v0, 'en')} in {first} to {_money(v1, 'en')} "
          f"in {latest}{gap_en}: an average {_growth(cagr_pct, 'en')} a year (first and last year).")
    if n == 2:
        zh += "只有两个数据，趋势增长就等于这一增速，无法估计其误差。"
        en += " With two values the trend growth equals this rate and its error cannot be estimated."
    elif s["trend_growth_pct"] is not None:
        se = s["trend_growth_se_pct"]
        se_zh = f"（标准误{se:.1f}个百分点）" if se is not None else ""
        se_en = f" (standard error {se:.1f} percentage points)" if se is not None else ""
        zh += f"用全部{n}个数据拟合的对数线性趋势为每年{_growth(s['trend_growth_pct'], 'zh')}{se_zh}。"
        en += (f" The log-linear trend fitted to all {n} values gives {_growth(s['trend_growth_pct'], 'en')} "
               f"a year{se_en}.")
    return pick(lang, zh, en)


def _annual_text(s: Mapping, lang: str) -> str:
    """The plan's "年增长达到15%以上" read year by year — the primary reading: each year's growth, and the
    probability that the end year's growth (and every projected year's) reaches the rate."""
    g, end, latest, base = float(s["growth_target_pct"]), int(s["end_year"]), int(s["latest_year"]), int(s["base_year"])
    growth = sorted((int(y), float(v)) for y, v in (s["annual_growth_pct"] or {}).items())
    zh = f"方案要求研发经费“年增长达到{g:g}%以上”，本报告按逐年读（主要读法）："
    en = f"The plan asks R&D to grow by {g:g} % or more a year; this report reads that year by year (the primary reading): "
    if growth:
        zh += "，".join(f"{y}年{_growth(v, 'zh')}（{'达到' if v >= g - 1e-9 else '未达到'}）" for y, v in growth) + "。"
        en += "; ".join(f"{y} {v:+.1f} % ({'met' if v >= g - 1e-9 else 'missed'})" for y, v in growth) + "."
    else:
        zh += f"{int(s['plan_start'])}年以来还没有可以计算的年增长。"
        en += f"there is no yearly growth to check since {int(s['plan_start'])} yet."
    p_end = _by_year(s["p_growth_ge_target_by_year"], end)
    if s["simulated"] and p_end is not None:
        zh += f"按趋势模拟，{end}年当年增长不低于{g:g}%的概率{_prob(p_end, 'zh')}"
        en += f" On the simulated trend, the probability that growth in {end} itself is at least {g:g} % is {_prob(p_end, 'en')}"
        if end > latest + 1 and s["p_growth_ge_target_all_years"] is not None:
            p_all = float(s["p_growth_ge_target_all_years"])
            zh += f"，{latest + 1}–{end}年每年都不低于{g:g}%的概率{_prob(p_all, 'zh')}"
            en += f", and that every year {latest + 1}–{end} reaches it {_prob(p_all, 'en')}"
        zh += "。"
        en += "."
    zh += (f"下文的“累计{g:g}%路径”是第二种读法：以{base}年为基数、每年复合{g:g}%的路径，一年增长不足可以由其他年份补回，"
           "因此两种读法的结论可能不同。")
    en += (f" The 'cumulative {g:g} % path' below is a second reading: {g:g} % a year compounded from {base}, on which "
           "a weak year can be made up by others — so the two readings can disagree.")
    return pick(lang, zh, en)


def _plan_text(s: Mapping, t: pd.DataFrame, lang: str) -> str:
    base, g, end = int(s["base_year"]), float(s["growth_target_pct"]), int(s["end_year"])
    latest = int(s["latest_year"])
    zh = (f"第二种读法（累计路径）：累计{g:g}%路径以{base}年的{_money(s['base_value'], 'zh')}为基数，每年增长{g:g}%，"
          f"{end}年应达到{_money(s['plan_path_end'], 'zh')}。")
    en = (f"Second reading (cumulative path): the cumulative {g:g} % path starts from {_money(s['base_value'], 'en')} "
          f"in {base} and grows {g:g} % a year, reaching {_money(s['plan_path_end'], 'en')} in {end}.")
    cmp = _plan_comparison(s, t)
    if cmp is not None:
        year, actual, plan = cmp
        zh += f"{year}年实际为{_money(actual, 'zh')}，{_versus_plan(actual, plan, 'zh')}。"
        en += f" The {year} actual, {_money(actual, 'en')}, is {_versus_plan(actual, plan, 'en')}."
    elif latest == base:
        zh += "最新数据就是基年的，计划期内还没有实际值。"
        en += " The latest value is the base year's: there is no actual within the plan period yet."
    missed = s["plan_path_years_missed"] or []
    if missed:
        zh += f"{_years_zh(missed)}年的实际值低于计划路径。"
        en += f" Actuals in {_years_text(missed)} were below the path."
    req = s["required_growth_level_pct"]
    if req is not None:
        zh += f"要在{end}年达到计划路径终点，{latest}年之后研发经费{_need(req, 'zh')}"
        en += f" To reach the path's end value in {end}, R&D after {latest} {_need(req, 'en')}"
        if s["cagr_pct"] is not None and req > 0:
            higher = req > float(s["cagr_pct"])
            zh += f"，{'高于' if higher else '低于'}历史年均增速{float(s['cagr_pct']):.1f}%"
            en += f", {'more' if higher else 'less'} than its historical {float(s['cagr_pct']):.1f} % a year"
        zh += "。"
        en += "."
    return pick(lang, zh, en)


def _projection_text(s: Mapping, t: pd.DataFrame, lang: str) -> str:
    n, first, latest, end = int(s["n_obs"]), int(s["first_year"]), int(s["latest_year"]), int(s["end_year"])
    g = float(s["growth_target_pct"])
    if end <= latest:
        return pick(lang, f"数据已到{latest}年，不早于预测终点{end}年，没有需要预测的年份。",
                    f"The data reach {latest}, not before the end year {end}: there is nothing to project.")
    if s["simulated"]:
        p05, p25, p50, p75, p95 = (_cell(t, end, c) for c in ("p05", "p25", "p50", "p75", "p95"))
        p_all, p_end = float(s["p_on_plan_path_all_years"]), _by_year(s["p_on_plan_path_by_year"], end)
        zh = (f"按{first}–{latest}年的增长趋势做随机模拟（{int(s['n_sims']):,}条路径），{end}年研发经费的中位数约为"
              f"{_money(p50, 'zh')}；一半的模拟落在{_money_range(p25, p75, 'zh')}之间，90%落在"
              f"{_money_range(p05, p95, 'zh')}之间。")
        en = (f"Simulating the {first}–{latest} growth ({int(s['n_sims']):,} paths), the median R&D expenditure in "
              f"{end} is about {_money(p50, 'en')}; half of the paths end within {_money_range(p25, p75, 'en')} "
              f"and 90 % within {_money_range(p05, p95, 'en')}.")
        if end == latest + 1:
            zh += f"{end}年不低于累计{g:g}%路径（{_money(s['plan_path_end'], 'zh')}）的概率{_prob(p_all, 'zh')}。"
            en += (f" The probability of being at or above the cumulative {g:g} % path in {end}, "
                   f"{_money(s['plan_path_end'], 'en')}, is {_prob(p_all, 'en')}.")
        else:
            zh += (f"{latest + 1}–{end}年每年都不低于累计{g:g}%路径的概率{_prob(p_all, 'zh')}"
                   f"（只看{end}年一年，概率{_prob(p_end, 'zh')}）。")
            en += (f" The probability of staying at or above the cumulative {g:g} % path in every year {latest + 1}–{end} is "
                   f"{_prob(p_all, 'en')} ({_prob(p_end, 'en')} for {end} alone).")
        return pick(lang, zh, en)
    why_zh = (f"只有{n}个年度数据（少于{MIN_OBS_SIMULATION}个），至多一个增长率，无法估计增长的年际波动，"
              "任何区间或概率都会是虚假的精确，因此不做随机模拟，只给确定性结果")
    values_en = "a single yearly value" if n == 1 else f"only {n} yearly values"
    why_en = (f"With {values_en} (fewer than {MIN_OBS_SIMULATION}) there is at most one growth rate, so its "
              "year-to-year variability cannot be estimated and any band or probability would be false precision: "
              "there is no simulation, only the deterministic results")
    if s["cagr_pct"] is None:
        return pick(lang, why_zh + "（上面的计划路径和所需增速）。", why_en + " (the plan path and required growth above).")
    projected = float(compound_path(float(s["latest_value"]), latest, float(s["cagr_pct"]), end).iloc[-1])
    cmp_zh = "高于" if projected >= float(s["plan_path_end"]) else "低于"
    cmp_en = "above" if projected >= float(s["plan_path_end"]) else "below"
    return pick(lang,
                why_zh + f"。按年均{_growth(float(s['cagr_pct']), 'zh')}外推，{end}年约为{_money(projected, 'zh')}，"
                f"{cmp_zh}计划路径终点{_money(s['plan_path_end'], 'zh')}。",
                why_en + f". Extrapolating the average {_growth(float(s['cagr_pct']), 'en')} a year gives about "
                f"{_money(projected, 'en')} in {end}, {cmp_en} the path's {_money(s['plan_path_end'], 'en')}.")


def _crossing_phrase(year, target: float, horizon: int, lang: str) -> str:
    if year is not None:
        return pick(lang, f"在{int(year)}年首次达到{target:g}%", f"first reaches {target:g} % in {int(year)}")
    return pick(lang, f"到{horizon}年仍未达到{target:g}%", f"does not reach {target:g} % by {horizon}")


def _scenario_text(s: Mapping, lang: str) -> str:
    rates, target, end = s["revenue_growth_pct"], float(s["intensity_target_pct"]), int(s["end_year"])
    if rates is None:
        return pick(lang, "收入数据太少，无法设定收入情景，也就无法推算今后的研发强度。",
                    "Revenue has too few values for scenarios, so future intensity cannot be projected.")
    method = s["revenue_scenario_method"]
    how_zh = {"range": "按历史增速最低的一年、趋势增速和最高的一年", "trend_se": "按收入趋势增速及其标准误区间",
              "given": "按给定增速"}.get(method, method)
    how_en = {"range": "from its slowest year, its trend and its fastest year",
              "trend_se": "from its trend growth and its standard-error band",
              "given": "from the given rates"}.get(method, method)
    rd = s["rd_central"]
    rd_zh = {"cagr": "历史年均增速", "trend": "趋势增速", "plan_rate": "计划增速"}.get(rd, rd)
    rd_en = {"cagr": "its historical average growth", "trend": "its trend growth",
             "plan_rate": "the plan's growth rate"}.get(rd, rd)
    low, central, high = (float(rates[k]) for k in SCENARIOS)
    zh = (f"收入{how_zh}设低、中、高三种情景（年增长{low:.1f}%、{central:.1f}%、{high:.1f}%），研发经费按{rd_zh}外推")
    en = (f"Revenue scenarios are set {how_en} (low {low:.1f} %, central {central:.1f} %, high {high:.1f} % a year) "
          f"and R&D is extrapolated at {rd_en}")
    if high - low < SCENARIO_SAME_PP:
        zh += "；历史上收入每年的增速几乎相同，三种情景基本重合"
        en += "; revenue grew at practically the same rate every year, so the three scenarios coincide"
    years = s["crossing_years"]
    if len({years[k] for k in SCENARIOS}) == 1:
        zh += f"。三种情景下，研发强度均{_crossing_phrase(years['central'], target, end, 'zh')}。"
        en += f". Under all three, intensity {_crossing_phrase(years['central'], target, end, 'en')}."
    else:
        zh += ("。研发强度在收入低增长情景下" + _crossing_phrase(years["low"], target, end, "zh")
               + "，中情景下" + _crossing_phrase(years["central"], target, end, "zh")
               + "，高增长情景下" + _crossing_phrase(years["high"], target, end, "zh") + "。")
        en += (". Intensity " + _crossing_phrase(years["low"], target, end, "en") + " with low revenue growth, "
               + _crossing_phrase(years["central"], target, end, "en")
               + " with central growth and " + _crossing_phrase(years["high"], target, end, "en")
               + " with high growth.")
    return pick(lang, zh, en)


def _intensity_text(s: Mapping, lang: str) -> str:
    target, ty, end = float(s["intensity_target_pct"]), int(s["intensity_target_year"]), int(s["end_year"])
    zh, en = "", ""
    li = s["latest_intensity"]
    if li is not None:
        zh += f"{int(li['year'])}年研发强度（R&D经费占规上工业企业主营业务收入的比重）为{float(li['value']):.2f}%。"
        en += (f"In {int(li['year'])} R&D intensity (R&D over the main business revenue of above-scale "
               f"industrial enterprises) was {float(li['value']):.2f} %. ")
    actual = s["intensity_actual_in_target_year"]
    if actual is not None:
        met = bool(s["intensity_target_met"])
        zh += f"计划要求{ty}年达到{target:g}%，当年实际为{float(actual):.2f}%，{'已达到' if met else '未达到'}。"
        en += (f"The plan asked for {target:g} % in {ty}; the actual was {float(actual):.2f} %, "
               f"{'so the target was met' if met else 'so the target was missed'}. ")
    elif ty > int(s["latest_year"]):
        zh += f"计划要求{ty}年达到{target:g}%，该年还没有数据。"
        en += f"The plan asks for {target:g} % in {ty}, a year not yet in the data. "
    else:
        zh += f"计划要求{ty}年达到{target:g}%，该年没有数据，无法判断是否达标。"
        en += f"The plan asked for {target:g} % in {ty}; that year has no data, so whether it was met is unknown. "
    zh += _scenario_text(s, "zh")
    en += _scenario_text(s, "en")
    p_end = _by_year(s["p_intensity_ge_target_by_year"], end)
    if p_end is not None:
        zh += f"按收入中情景，{end}年强度不低于{target:g}%的概率{_prob(p_end, 'zh')}。"
        en += f" With central revenue, the probability that intensity is at least {target:g} % in {end} is {_prob(p_end, 'en')}."
    req, ry = s["required_growth_intensity_pct"], s["required_growth_intensity_year"]
    if req is not None and ry is not None:
        zh += f"要在{int(ry)}年达到{target:g}%（收入按中情景），研发经费{_need(float(req), 'zh')}"
        en += f" To reach {target:g} % in {int(ry)} (central revenue), R&D {_need(float(req), 'en')}"
        rates = s["revenue_growth_pct"]
        if rates and rates.get("central") is not None:
            c = float(rates["central"])
            ratio = 100.0 * ((1 + float(req) / 100.0) / (1 + c / 100.0) - 1)
            # the same target by two routes: the gap analysis asks how fast the intensity itself must rise
            zh += (f"；因为收入同时每年增长{c:.1f}%，强度本身每年只需相对提高约{ratio:.1f}%——差距分析按强度本身计算，"
                   "所以两个数字不同")
            en += (f"; as revenue grows {c:.1f} % a year at the same time, the intensity itself needs to rise only about "
                   f"{ratio:.1f} % a year (relative) — the gap analysis counts the intensity itself, hence the two numbers")
        zh += "。"
        en += "."
    return pick(lang, zh, en.strip())


def _headline(s: Mapping, t: pd.DataFrame, county: str, lang: str) -> str:
    n, first, latest, end = int(s["n_obs"]), int(s["first_year"]), int(s["latest_year"]), int(s["end_year"])
    g = float(s["growth_target_pct"])
    if end > latest and s["simulated"]:
        p50, p_all = _cell(t, end, "p50"), float(s["p_on_plan_path_all_years"])
        p_year = _by_year(s["p_growth_ge_target_by_year"], end)
        base = int(s["base_year"])
        return pick(lang, f"按{first}–{latest}年的增长趋势，{county}{end}年规上工业企业R&D经费约为{_money(p50, 'zh')}；"
                          f"{end}年当年增长达到{g:g}%（方案“年增长{g:g}%以上”的逐年读法）的概率{_prob(p_year, 'zh')}，"
                          f"按自{base}年累计{g:g}%路径的读法，概率{_prob(p_all, 'zh')}。",
                    f"On the {first}–{latest} trend, enterprise R&D expenditure in {county} will be about "
                    f"{_money(p50, 'en')} in {end}; the probability that growth in {end} reaches {g:g} % (the plan's "
                    f"yearly rule) is {_prob(p_year, 'en')}, and {_prob(p_all, 'en')} on the cumulative reading "
                    f"({g:g} % a year compounded from {base}).")
    if end > latest:
        req = float(s["required_growth_level_pct"])
        years_en = "a single year" if n == 1 else f"only {n} years"
        return pick(lang, f"{county}规上工业企业R&D经费只有{n}年数据，不足以做概率预测；要在{end}年达到累计{g:g}%路径的"
                          f"{_money(s['plan_path_end'], 'zh')}，{latest}年之后{_need(req, 'zh')}。",
                    f"{county} has {years_en} of enterprise R&D data, too few for a probabilistic projection; "
                    f"to reach the {g:g} % path's {_money(s['plan_path_end'], 'en')} in {end}, R&D after {latest} "
                    f"{_need(req, 'en')}.")
    cmp = _plan_comparison(s, t)
    if cmp is None:
        return pick(lang, f"{county}{latest}年规上工业企业R&D经费为{_money(s['latest_value'], 'zh')}。",
                    f"Enterprise R&D expenditure in {county} was {_money(s['latest_value'], 'en')} in {latest}.")
    year, actual, plan = cmp
    return pick(lang, f"{county}{year}年规上工业企业R&D经费为{_money(actual, 'zh')}，{_versus_plan(actual, plan, 'zh')}。",
                f"Enterprise R&D expenditure in {county} was {_money(actual, 'en')} in {year}, "
                f"{_versus_plan(actual, plan, 'en')}.")


def _method_note(s: Mapping) -> dict | None:
    if not s["simulated"]:
        return None
    first, latest = int(s["first_year"]), int(s["latest_year"])
    return {"zh": (f"预测假设今后的增长与{first}–{latest}年相似：对数尺度上的随机游走加漂移；均值增长和年际波动都是从少数几年估计的，"
                   f"两者的不确定性都计入（每条路径先按缩放逆χ²分布抽取波动，再抽取均值增长，即正态模型的完整预测分布），"
                   f"区间在对数尺度上计算（不对称）；图中的趋势线只描述已有年份，预测只看模拟的中位数和区间；没有考虑政策或经济环境的变化。随机种子 {int(s['seed'])}，"
                   f"{int(s['n_sims']):,} 条模拟路径。年均增长率只用首末两年，对这两年的波动敏感；趋势增长使用全部数据。"),
            "en": (f"The projection assumes growth continues as in {first}–{latest}: a random walk with drift on the "
                   "log scale. Both the mean growth and the year-to-year volatility are estimated from a few years, and "
                   "both uncertainties are drawn (each path draws its volatility from a scaled inverse chi-square, then "
                   "its mean growth: the full predictive of the normal model); bands are taken on the log scale "
                   "(asymmetric). The trend line of the figure describes the observed years only; the projection is "
                   "the simulation's median and bands. Policy or economic changes are not modelled. Seed "
                   f"{int(s['seed'])}, {int(s['n_sims']):,} simulated paths. The average growth uses the first and "
                   "last year only and is sensitive to them; the trend growth uses every value.")}


def describe_projection(summary: Mapping, table: pd.DataFrame, county: str) -> dict:
    """Texts that read the projection in plain language, in both languages.

    Parameters
    ----------
    summary : mapping
        The summary of :func:`build_projection` (or its JSON round trip, rd_summary.json).
    table : pandas.DataFrame
        The table of :func:`build_projection` (columns :data:`TABLE_COLUMNS`; money in 万元).
    county : str
        County name used in the sentences.

    Returns
    -------
    dict
        In the shape of :func:`lingshou.report.summary.write_summary`, each text ``{"zh": …, "en": …}``:

        - ``headline``: one sentence, e.g. "按2018–2024年的增长趋势，灵寿县2025年规上工业企业R&D经费约为
          6,575万元；2025年当年增长达到15%（……逐年读法）的概率约为40%，按自2021年累计15%路径的读法，概率约为79%。" With fewer than 3 observations it says why there is no
          probability and gives the required growth instead.
        - ``paragraphs``: ``{"zh": [...], "en": [...]}``, five paragraphs: history; the 15 % rule read year
          by year (the primary reading); the cumulative path and required growth (the second reading, named
          so); projection (or why there is none); intensity and scenarios.
        - ``notes``: the summary's notes split by language, plus the method's assumptions.
        - ``title``; ``captions`` (``fan``, ``intensity``, ``table``); ``table`` (``columns`` =
          :data:`REPORT_COLUMNS` and their ``labels`` in both languages) for the report.

    Raises
    ------
    ParameterError
        If ``summary`` lacks a key of :data:`TEXT_SUMMARY_KEYS`, ``table`` lacks a column of
        :data:`TABLE_COLUMNS` or a year the summary refers to, or ``county`` is empty.
    """
    t = _check_text_inputs(summary, table, county)
    s = summary
    paragraphs = {lang: [_history_text(s, t, county, lang), _annual_text(s, lang), _plan_text(s, t, lang),
                         _projection_text(s, t, lang), _intensity_text(s, lang)] for lang in ("zh", "en")}
    split = [split_note(n) for n in s["notes"]]
    method = _method_note(s)
    if method is not None:
        split.append(method)
    notes = {lang: [n[lang] for n in split] for lang in ("zh", "en")}
    g, target, base = float(s["growth_target_pct"]), float(s["intensity_target_pct"]), int(s["base_year"])
    no_sim_zh = "" if s["simulated"] else "（数据不足，未做随机模拟）"
    no_sim_en = "" if s["simulated"] else " (too few values: no simulation)"
    return {
        "title": {"zh": "规上工业企业研发经费增长预测", "en": "Enterprise R&D growth projection"},
        "headline": {lang: _headline(s, t, county, lang) for lang in ("zh", "en")},
        "paragraphs": paragraphs,
        "notes": notes,
        "captions": {
            "fan": {"zh": f"{county}规上工业企业R&D经费：实际值、累计{g:g}%路径（{base}年基数）、趋势与预测区间{no_sim_zh}",
                    "en": f"{county}: enterprise R&D expenditure — actuals, the cumulative {g:g} % path (base {base}), trend "
                          f"and projection bands{no_sim_en}"},
            "intensity": {"zh": f"{county}研发强度：实际值与三种收入情景下的推算，对照{target:g}%目标",
                          "en": f"{county}: R&D intensity, actual and under three revenue scenarios, against the "
                                f"{target:g} % target"},
            "table": {"zh": "研发经费预测（万元）与研发强度（%）", "en": "R&D projection (×10k yuan) and intensity (%)"},
        },
        "table": {
            "columns": list(REPORT_COLUMNS),
            "labels": {
                "zh": ["年份", "实际值", f"累计{g:g}%路径", "5%分位", "中位数", "95%分位", "研发强度（%）", "数据状态"],
                "en": ["Year", "Actual", f"cumulative {g:g} % path", "5th pct", "Median", "95th pct", "Intensity (%)", "Status"],
            },
        },
    }
