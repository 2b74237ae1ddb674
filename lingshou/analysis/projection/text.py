"""Texts for the notebook and the report, in Chinese and English, read from the summary's numbers; the sentences
are data in ``text.yaml`` beside this module.
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
from lingshou.i18n import Text, bi
from lingshou.yamlfile import load_phrases

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


#: The sentences, ``key -> Text`` (text.yaml).
PHRASES = load_phrases(__file__)


def _say(key: str, **values) -> Text:
    return PHRASES[key].format(**values)


def _years(years) -> Text:
    """``2019、2020`` / ``2019, 2020``."""
    return Text("、".join(str(int(y)) for y in years), _years_text(years))


def _money(value: float) -> Text:
    # 万元 as in the yearbooks; English writes it as everywhere (lingshou.i18n.UNIT_EN: "×10k yuan").
    return _say("money", value=f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}")


def _money_range(low: float, high: float) -> Text:
    return _say("money_range", low=low, high=high)


def _prob(p: float) -> Text:
    """A probability as plain words: "约为79%", "不到1%", "超过99%"."""
    if p < 0.01:
        return _say("prob.below")
    if p > 0.99:
        return _say("prob.above")
    return _say("prob.about", pct=math.floor(100.0 * p + 0.5))


def _growth(pct: float) -> Text:
    """"增长15.6%" / "下降3.2%"; "growth of 15.6 %" / "a fall of 3.2 %"."""
    return _say("growth.up", pct=pct) if pct >= 0 else _say("growth.down", pct=-pct)


def _need(pct: float) -> Text:
    """What R&D must do each year to reach a target, given the required growth (percent per year)."""
    return _say("need.grow", pct=pct) if pct > 0 else _say("need.fall", pct=-pct)


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


def _versus_plan(actual: float, plan: float) -> Text:
    diff = 100.0 * (actual / plan - 1.0)
    return _say("versus.above" if diff >= 0 else "versus.below", plan=_money(plan), diff=abs(diff))


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


def _history_text(s: Mapping, t: pd.DataFrame, county: str) -> Text:
    n, first, latest = int(s["n_obs"]), int(s["first_year"]), int(s["latest_year"])
    if n == 1:
        return _say("history.single", county=county, first=first, value=_money(s["latest_value"]))
    v0, v1 = _cell(t, first, "actual"), float(s["latest_value"])
    gaps = s["gap_years"] or []
    text = _say("history.change", county=county, first=first, start=_money(v0),
                verb=_say("history.rose" if v1 >= v0 else "history.fell"), latest=latest, end=_money(v1),
                gaps=_say("history.gaps", years=_years(gaps)) if gaps else "", growth=_growth(float(s["cagr_pct"])))
    if n == 2:
        text += _say("history.two")
    elif s["trend_growth_pct"] is not None:
        se = s["trend_growth_se_pct"]
        text += _say("history.trend", n=n, growth=_growth(s["trend_growth_pct"]),
                     se=_say("history.se", se=se) if se is not None else "")
    return text


def _annual_text(s: Mapping) -> Text:
    """The plan's "年增长达到15%以上" read year by year — the primary reading: each year's growth, and the
    probability that the end year's growth (and every projected year's) reaches the rate."""
    g, end, latest, base = float(s["growth_target_pct"]), int(s["end_year"]), int(s["latest_year"]), int(s["base_year"])
    growth = sorted((int(y), float(v)) for y, v in (s["annual_growth_pct"] or {}).items())
    text = _say("annual.head", g=g)
    if growth:
        text += PHRASES["annual.sep"].join(
            _say("annual.year", year=y, growth=_growth(v), pct=v,
                 verdict=_say("annual.met" if v >= g - 1e-9 else "annual.missed")) for y, v in growth)
        text += _say("full_stop")
    else:
        text += _say("annual.none", start=int(s["plan_start"]))
    p_end = _by_year(s["p_growth_ge_target_by_year"], end)
    if s["simulated"] and p_end is not None:
        text += _say("annual.p_end", end=end, g=g, p=_prob(p_end))
        if end > latest + 1 and s["p_growth_ge_target_all_years"] is not None:
            text += _say("annual.p_all", first=latest + 1, end=end, g=g, p=_prob(float(s["p_growth_ge_target_all_years"])))
        text += _say("full_stop")
    return text + _say("annual.second", g=g, base=base)


def _plan_text(s: Mapping, t: pd.DataFrame) -> Text:
    base, g, end = int(s["base_year"]), float(s["growth_target_pct"]), int(s["end_year"])
    latest = int(s["latest_year"])
    text = _say("plan.head", g=g, base=base, base_value=_money(s["base_value"]), end=end,
                end_value=_money(s["plan_path_end"]))
    cmp = _plan_comparison(s, t)
    if cmp is not None:
        year, actual, plan = cmp
        text += _say("plan.actual", year=year, actual=_money(actual), versus=_versus_plan(actual, plan))
    elif latest == base:
        text += _say("plan.base_only")
    missed = s["plan_path_years_missed"] or []
    if missed:
        text += _say("plan.missed", years=_years(missed))
    req = s["required_growth_level_pct"]
    if req is not None:
        text += _say("plan.required", end=end, latest=latest, need=_need(req))
        if s["cagr_pct"] is not None and req > 0:
            text += _say("plan.higher" if req > float(s["cagr_pct"]) else "plan.lower", cagr=float(s["cagr_pct"]))
        text += _say("full_stop")
    return text


def _projection_text(s: Mapping, t: pd.DataFrame) -> Text:
    n, first, latest, end = int(s["n_obs"]), int(s["first_year"]), int(s["latest_year"]), int(s["end_year"])
    g = float(s["growth_target_pct"])
    if end <= latest:
        return _say("projection.none", latest=latest, end=end)
    if s["simulated"]:
        p05, p25, p50, p75, p95 = (_cell(t, end, c) for c in ("p05", "p25", "p50", "p75", "p95"))
        p_all, p_end = float(s["p_on_plan_path_all_years"]), _by_year(s["p_on_plan_path_by_year"], end)
        text = _say("projection.simulated", first=first, latest=latest, n_sims=int(s["n_sims"]), end=end,
                    median=_money(p50), half=_money_range(p25, p75), ninety=_money_range(p05, p95))
        if end == latest + 1:
            return text + _say("projection.next_year", end=end, g=g, path_end=_money(s["plan_path_end"]), p=_prob(p_all))
        return text + _say("projection.every_year", first=latest + 1, end=end, g=g, p=_prob(p_all), p_end=_prob(p_end))
    why = _say("projection.why", values=_say("values.one") if n == 1 else _say("values.n", n=n), min=MIN_OBS_SIMULATION)
    if s["cagr_pct"] is None:
        return why + _say("projection.see_above")
    projected = float(compound_path(float(s["latest_value"]), latest, float(s["cagr_pct"]), end).iloc[-1])
    side = "projection.above" if projected >= float(s["plan_path_end"]) else "projection.below"
    return why + _say("projection.extrapolated", growth=_growth(float(s["cagr_pct"])), end=end,
                      projected=_money(projected), side=_say(side), path_end=_money(s["plan_path_end"]))


def _crossing_phrase(year, target: float, horizon: int) -> Text:
    if year is not None:
        return _say("crossing.year", year=int(year), target=target)
    return _say("crossing.never", horizon=horizon, target=target)


def _named(key: str, name) -> Text:
    """The phrase ``<key>.<name>``, or the name itself in both languages when it has none."""
    return PHRASES.get(f"{key}.{name}", Text(str(name), str(name)))


def _scenario_text(s: Mapping) -> Text:
    rates, target, end = s["revenue_growth_pct"], float(s["intensity_target_pct"]), int(s["end_year"])
    if rates is None:
        return _say("scenario.none")
    low, central, high = (float(rates[k]) for k in SCENARIOS)
    text = _say("scenario.head", how=_named("scenario.how", s["revenue_scenario_method"]), low=low, central=central,
                high=high, rd=_named("scenario.rd", s["rd_central"]))
    if high - low < SCENARIO_SAME_PP:
        text += _say("scenario.same")
    years = s["crossing_years"]
    if len({years[k] for k in SCENARIOS}) == 1:
        return text + _say("scenario.all_three", crossing=_crossing_phrase(years["central"], target, end))
    return text + _say("scenario.each", **{k: _crossing_phrase(years[k], target, end) for k in ("low", "central", "high")})


def _intensity_status(s: Mapping) -> Text:
    """The latest intensity and whether the plan's target year met the target."""
    target, ty = float(s["intensity_target_pct"]), int(s["intensity_target_year"])
    li = s["latest_intensity"]
    text = _say("intensity.latest", year=int(li["year"]), value=float(li["value"])) if li is not None else Text("", "")
    actual = s["intensity_actual_in_target_year"]
    if actual is not None:
        verdict = _say("intensity.met" if bool(s["intensity_target_met"]) else "intensity.missed")
        return text + _say("intensity.due", year=ty, target=target, actual=float(actual), verdict=verdict)
    return text + _say("intensity.future" if ty > int(s["latest_year"]) else "intensity.unknown", year=ty, target=target)


def _intensity_text(s: Mapping) -> Text:
    target, end = float(s["intensity_target_pct"]), int(s["end_year"])
    text = _intensity_status(s) + _scenario_text(s)
    p_end = _by_year(s["p_intensity_ge_target_by_year"], end)
    if p_end is not None:
        text += _say("intensity.p_end", end=end, target=target, p=_prob(p_end))
    req, ry = s["required_growth_intensity_pct"], s["required_growth_intensity_year"]
    if req is not None and ry is not None:
        text += _say("intensity.required", year=int(ry), target=target, need=_need(float(req)))
        rates = s["revenue_growth_pct"]
        if rates and rates.get("central") is not None:
            c = float(rates["central"])
            # the same target by two routes: the gap analysis asks how fast the intensity itself must rise
            text += _say("intensity.relative", revenue=c, ratio=100.0 * ((1 + float(req) / 100.0) / (1 + c / 100.0) - 1))
        text += _say("full_stop")
    return Text(text.zh, text.en.strip())


def _headline(s: Mapping, t: pd.DataFrame, county: str) -> Text:
    n, first, latest, end = int(s["n_obs"]), int(s["first_year"]), int(s["latest_year"]), int(s["end_year"])
    g = float(s["growth_target_pct"])
    if end > latest and s["simulated"]:
        return _say("headline.simulated", first=first, latest=latest, county=county, end=end,
                    median=_money(_cell(t, end, "p50")), g=g, p_year=_prob(_by_year(s["p_growth_ge_target_by_year"], end)),
                    base=int(s["base_year"]), p_all=_prob(float(s["p_on_plan_path_all_years"])))
    if end > latest:
        return _say("headline.few", county=county, years=_say("years.one") if n == 1 else _say("years.n", n=n), end=end,
                    g=g, path_end=_money(s["plan_path_end"]), latest=latest,
                    need=_need(float(s["required_growth_level_pct"])))
    cmp = _plan_comparison(s, t)
    if cmp is None:
        return _say("headline.latest", county=county, latest=latest, value=_money(s["latest_value"]))
    year, actual, plan = cmp
    return _say("headline.versus", county=county, year=year, actual=_money(actual), versus=_versus_plan(actual, plan))


def _method_note(s: Mapping) -> dict | None:
    if not s["simulated"]:
        return None
    return _say("method", first=int(s["first_year"]), latest=int(s["latest_year"]), seed=int(s["seed"]),
                n_sims=int(s["n_sims"])).both()


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
    texts = [_history_text(s, t, county), _annual_text(s), _plan_text(s, t), _projection_text(s, t), _intensity_text(s)]
    paragraphs = {lang: [text.pick(lang) for text in texts] for lang in ("zh", "en")}
    split = [split_note(n) for n in s["notes"]]
    method = _method_note(s)
    if method is not None:
        split.append(method)
    notes = {lang: [n[lang] for n in split] for lang in ("zh", "en")}
    g, target, base = float(s["growth_target_pct"]), float(s["intensity_target_pct"]), int(s["base_year"])
    return {
        "title": _say("title").both(),
        "headline": _headline(s, t, county).both(),
        "paragraphs": paragraphs,
        "notes": notes,
        "captions": {
            "fan": _say("caption.fan", county=county, g=g, base=base,
                        no_simulation="" if s["simulated"] else _say("caption.no_simulation")).both(),
            "intensity": _say("caption.intensity", county=county, target=target).both(),
            "table": _say("caption.table").both(),
        },
        "table": {
            "columns": list(REPORT_COLUMNS),
            "labels": {
                "zh": ["年份", "实际值", f"累计{g:g}%路径", "5%分位", "中位数", "95%分位", "研发强度（%）", "数据状态"],
                "en": ["Year", "Actual", f"cumulative {g:g} % path", "5th pct", "Median", "95th pct", "Intensity (%)", "Status"],
            },
        },
    }
