"""The gap table: one row per plan target (level, rule and goal targets) and its roll-up by department.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lingshou.analysis.gap.grades import check_grades
from lingshou.analysis.gap.rules import (
    _EDGE_TOL,
    CLOSE_PCT,
    DELIVERY_TEXT,
    GAP_COLUMNS,
    GOAL_NAMES,
    GRADE_THRESHOLDS,
    GRADES,
    MISSING_STATUS,
    MODELLED_STATUS,
    STATUS_ORDER,
    STATUS_TEXT,
    UNIT_COLUMNS,
    UNIT_SEP,
    UNIT_SEP_EN,
    UNSPECIFIED_UNIT,
    UNSPECIFIED_UNIT_EN,
    _decimals,
    _fmt,
    _with_unit,
    achievement_pct,
    cagr_pct,
    check_close_pct,
    classify,
    required_growth_pct,
    weakest_status,
    yoy_pct,
)
from lingshou.data.catalogue import Catalogue
from lingshou.data.derive import DERIVED_ABS_TOL, DERIVED_REL_TOL, with_derived
from lingshou.errors import AnalysisError, DataError, ParameterError
from lingshou.i18n import bi
from lingshou.plan.targets import GRADE_INDICATORS, Plan

# --------------------------------------------------------------------------------------------------
# The gap analysis
# --------------------------------------------------------------------------------------------------

def _series(values: pd.DataFrame, code: str, year: int) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """Values and statuses of one indicator up to ``year`` (indexed by year), and its rows."""
    rows = values[(values["indicator"] == code) & (values["year"] <= year)].sort_values("year")
    idx = pd.Index(rows["year"].astype("int64"), name="year")
    return (pd.Series(rows["value"].to_numpy(dtype=float), index=idx),
            pd.Series(rows["status"].to_numpy(dtype=object), index=idx), rows.set_index("year"))


def _target_in_unit(target, plan_unit, code: str, catalogue: Catalogue, target_id: str) -> float:
    """The plan target in the indicator's canonical unit."""
    if not isinstance(plan_unit, str) or not plan_unit or code not in catalogue.codes \
            or plan_unit == catalogue.canonical_unit(code):
        return float(target)
    factor = catalogue.unit_factor(plan_unit, code)
    if factor is None:
        raise DataError(bi(f"方案目标 {target_id} 的单位 {plan_unit!r} 无法换算为 {code} 的单位 {catalogue.canonical_unit(code)!r}",
                           f"plan target {target_id}: unit {plan_unit!r} cannot be converted to the unit "
                           f"{catalogue.canonical_unit(code)!r} of {code}"))
    return float(target) * factor


def _blank_row() -> dict:
    row = {c: np.nan for c in GAP_COLUMNS}
    row.update({"actual_text_zh": "—", "actual_text_en": "—", "note_zh": "", "note_en": "", "reported_value": np.nan, "ratio_mismatch": False,
                "met_in_target_year": pd.NA, "trend_reaches_target": pd.NA, "required_by_year": pd.NA,
                "trend_from": pd.NA, "trend_to": pd.NA, "status": "no_data", "data_status": MISSING_STATUS})
    return row


def _notes(row: dict, zh: str, en: str) -> None:
    row["note_zh"] = (row["note_zh"] + "；" if row["note_zh"] else "") + zh
    row["note_en"] = (row["note_en"] + "; " if row["note_en"] else "") + en


def _trend(row: dict, s: pd.Series, year: int) -> None:
    obs = s.dropna()
    row["cagr_pct"] = cagr_pct(obs)
    if len(obs) >= 2:
        row["trend_from"], row["trend_to"] = int(obs.index[0]), int(obs.index[-1])
    yoy = yoy_pct(obs)
    row["last_yoy_pct"] = float(yoy.loc[year]) if year in yoy.index else math.nan


def _level_row(row: dict, t, s: pd.Series, st: pd.Series, rows: pd.DataFrame, year: int, catch_up_year: int,
               catalogue: Catalogue) -> None:
    # The status is set for every level row at once, vectorised, in analyse_gaps.
    code = t["indicator"]
    target = _target_in_unit(t["target"], t["unit"], code, catalogue, t["id"])
    unit = catalogue.canonical_unit(code)
    d = _decimals(catalogue, code, target)
    row.update(target=target, unit=unit, target_year=int(t["target_year"]),
               target_text_zh=f"≥ {_with_unit(format(target, ',g'), unit)}（{int(t['target_year'])}年）",
               target_text_en=f"≥ {_with_unit(format(target, ',g'), unit, 'en')} ({int(t['target_year'])})")
    _trend(row, s, year)
    if year in s.index:
        actual = float(s.loc[year])
        text = _fmt(actual, _decimals(catalogue, code, actual))
        row.update(actual=actual, actual_text_zh=_with_unit(text, unit), actual_text_en=_with_unit(text, unit, "en"),
                   data_status=str(st.loc[year]))
        if "ratio_mismatch" in rows.columns and bool(rows.loc[year, "ratio_mismatch"]):
            rep = float(rows.loc[year, "reported"])
            row.update(reported_value=rep, ratio_mismatch=True)
            _notes(row, f"报告值 {rep:g} 与由分子、分母计算的 {actual:.4g} 不符（超出舍入误差），采用计算值",
                   f"reported value {rep:g} disagrees with {actual:.4g} computed from its operands (beyond rounding); "
                   "the computed value is used")
    elif len(s):
        last = _fmt(float(s.iloc[-1]), d)
        _notes(row, f"{year}年无数据；最近一年为{int(s.index[-1])}年（{_with_unit(last, unit)}）",
               f"no value for {year}; latest is {int(s.index[-1])} ({_with_unit(last, unit, 'en')})")
    else:
        _notes(row, f"截至{year}年没有该指标的数据", f"no value of this indicator up to {year}")
    ty = int(t["target_year"])
    if ty <= year and ty in s.index:
        row["met_in_target_year"] = bool(s.loc[ty] >= target * (1 - _EDGE_TOL))
    if ty > year:
        _notes(row, f"目标年份{ty}年尚未到", f"the target year {ty} is still ahead")
    if not len(s):
        return
    latest, latest_year = float(s.iloc[-1]), int(s.index[-1])
    if latest >= target * (1 - _EDGE_TOL):
        return
    by = ty if ty > latest_year else max(catch_up_year, latest_year + 1)
    row["required_by_year"] = by
    if ty <= latest_year:
        _notes(row, f"目标年份已过，按{by}年追上计算所需增速", f"the target year has passed: required growth to catch up by {by}")
    if latest <= 0:
        _notes(row, "最新值为零，无法按增长率计算", "the latest value is zero: no growth rate can take it to the target")
        return
    req = float(required_growth_pct(latest, target, by - latest_year))
    row["required_annual_growth_pct"] = req
    if row["unit"] == "%":
        # a share rises by percentage points: 24.7 % → 32 % in 1 year is +7.3 points (relative growth in brackets)
        pp = (target - latest) / (by - latest_year)
        row["required_annual_change_pp"] = pp
        shown = f"{pp:.2f}" if abs(pp) < 1 else f"{pp:.1f}"
        row["required_text_zh"] = f"每年提高 {shown} 个百分点（相对增长 {req:.1f}%/年）"
        row["required_text_en"] = f"+{shown} percentage points a year (relative growth {req:.1f} %/yr)"
    else:
        row["required_text_zh"] = f"年均增长 {req:.1f}%"
        row["required_text_en"] = f"{req:.1f} %/yr"
    if not math.isnan(row["cagr_pct"]):
        row["trend_reaches_target"] = bool(row["cagr_pct"] >= req - _EDGE_TOL)


def _rule_row(row: dict, t, s: pd.Series, st: pd.Series, year: int, close_pct: float) -> None:
    start, end = int(t["start_year"]), int(t["end_year"])
    window = list(range(start, min(end, year) + 1)) if year >= start else [year]
    if year < start:
        _notes(row, f"规则自{start}年起适用，此处仅查看{year}年", f"the rule applies from {start}; {year} is shown for information")
    changes = yoy_pct(s).reindex(window)
    known = changes.dropna()
    unknown = [y for y in window if y not in known.index]
    growth = t["type"] == "growth"
    target = float(t["target"]) if growth else 0.0
    row.update(unit="%", target=target, target_year=min(end, max(window)))
    _trend(row, s, year)
    row["target_text_zh"] = (f"每年增长 ≥ {target:g}%（{start}–{end}年）" if growth else f"逐年递增（{start}–{end}年）")
    row["target_text_en"] = (f"growth ≥ {target:g}% every year ({start}–{end})" if growth
                             else f"rising every year ({start}–{end})")
    row["required_annual_growth_pct"] = target
    row["required_text_zh"] = f"每年增长 {target:g}%" if growth else "逐年递增"
    row["required_text_en"] = f"{target:g} % every year" if growth else "rising every year"
    row["required_by_year"] = end
    if not math.isnan(row["cagr_pct"]):
        row["trend_reaches_target"] = bool(row["cagr_pct"] >= target - _EDGE_TOL if growth else row["cagr_pct"] > 0)
    used = [y for y in window if y in s.index] + [y - 1 for y in window if y - 1 in s.index]
    row["data_status"] = weakest_status(st.reindex(sorted(set(used))).tolist())
    if len(known):
        parts_zh = [f"{y}年 {v:+.1f}%" for y, v in known.items()]
        parts_en = [f"{y} {v:+.1f}%" for y, v in known.items()]
        _notes(row, "逐年变化：" + "，".join(parts_zh), "yearly change: " + ", ".join(parts_en))
    if unknown:
        _notes(row, f"{'、'.join(map(str, unknown))}年无法计算（缺少数据）",
               f"{', '.join(map(str, unknown))}: cannot be checked (missing values)")
    if known.empty:
        row["status"] = "no_data"
        return
    weakest = float(known.min())
    worst_year = int(known.idxmin())
    # the year shown beside the target is the year of the growth shown (the weakest), not the data year
    row.update(actual=weakest, actual_text_zh=f"{weakest:+.1f}%（{worst_year}年）",
               actual_text_en=f"{weakest:+.1f}% ({worst_year})", target_year=worst_year)
    row["gap"] = weakest - target
    if growth:
        row["achievement_pct"] = float(achievement_pct(weakest, target))
        status = str(classify(weakest, target, close_pct)[()])
    else:
        status = "met" if weakest > 0 else "behind"
    if status == "met" and unknown:
        status = "no_data"
    row["status"] = status


def _published_grade(row: dict, t, published: pd.DataFrame | None, county: str) -> bool:
    """Judge a grade goal on the published grade of its data year, when ``grades.csv`` has one (True then).

    "2022年达到B类" is read as the grade on 2022 data, i.e. of the 2023 round (a round uses the data of the
    year before) — an interpretation, said in the notes together with what the other reading (the 2022 round)
    gives.
    """
    if published is None or published.empty:
        return False
    ty, g = int(t["target_year"]), str(t["target"])
    mine = published[(published["county"] == county) & published["grade"].isin(GRADES)]
    hit = mine[mine["data_year"] == ty]
    if hit.empty:
        return False
    rec = hit.iloc[-1]
    grade, rnd = str(rec["grade"]), int(rec["evaluation_round"]) if pd.notna(rec["evaluation_round"]) else ty + 1
    ok = GRADES.index(grade) <= GRADES.index(g)
    inferred_zh = "，数据年份为推断" if bool(rec.get("data_year_inferred", False)) else ""
    inferred_en = "; the data year is inferred" if bool(rec.get("data_year_inferred", False)) else ""
    row.update(actual_text_zh=f"{grade}类（{rnd}年评价公布）", actual_text_en=f"{grade} (published, {rnd} round)",
               status="met" if ok else "behind", data_status="published", met_in_target_year=ok)
    _notes(row, f"按已公布等级判断：{rnd}年评价（{ty}年数据{inferred_zh}）为{grade}类（来源见附录的公布等级表）",
           f"judged on the published grade: {grade} in the {rnd} round ({ty} data{inferred_en}; source: the published grades in the appendix)")
    other = mine[mine["evaluation_round"] == ty]
    other_zh = f"；若按{ty}年评价轮次（{ty - 1}年数据）读，公布等级为{other.iloc[-1]['grade']}类" if len(other) else ""
    other_en = f"; read as the {ty} round ({ty - 1} data), the published grade is {other.iloc[-1]['grade']}" if len(other) else ""
    _notes(row, f"解读：“{ty}年达到{g}类”按{ty}年数据（{ty + 1}年评价轮次）理解{other_zh}",
           f"interpretation: 'grade {g} in {ty}' is read as the grade on {ty} data (the {ty + 1} round){other_en}")
    return True


def _goal_row(row: dict, t, grades: pd.DataFrame | None, county: str, year: int, close_pct: float,
              thresholds: dict, published: pd.DataFrame | None = None) -> None:
    is_grade = t["type"] == "grade"
    row["target_year"] = int(t["target_year"])
    if is_grade:
        g = str(t["target"])
        row.update(target_text_zh=f"{g}类及以上（{int(t['target_year'])}年数据）",
                   target_text_en=f"grade {g} or better ({int(t['target_year'])} data)")
        if _published_grade(row, t, published, county):
            _model_note(row, grades, county, year, g)
            return
    else:
        share = 100.0 * float(t["target"])
        row.update(target=share, unit="%", target_text_zh=f"全省前 {share:g}%（{int(t['target_year'])}年）",
                   target_text_en=f"top {share:g}% of the province ({int(t['target_year'])})")
    if grades is None:
        _notes(row, "未运行对标分析（benchmarking），无法判断", "benchmarking not run: cannot be assessed")
        return
    mine = grades[(grades["county"] == county) & (grades["year"] == year)]
    if mine.empty:
        _notes(row, f"对标分析结果中没有{county}{year}年的数据", f"the benchmarking table has no row for {county} in {year}")
        return
    rec = mine.iloc[0]
    row["data_status"] = str(rec["data_status"]) if "data_status" in mine.columns and pd.notna(rec["data_status"]) else MODELLED_STATUS
    _notes(row, f"按{year}年数据的模拟评价（对应{year + 1}年评价轮次）",
           f"modelled evaluation on {year} data (the {year + 1} round)")
    if is_grade:
        grade, g = str(rec["grade"]), str(t["target"])
        ok = GRADES.index(grade) <= GRADES.index(g)
        p_cols = [f"p_grade_{x}" for x in GRADES[: GRADES.index(g) + 1]]
        if all(c in mine.columns for c in p_cols):
            p = float(sum(float(rec[c]) for c in p_cols))
            _notes(row, f"达到{g}类及以上的概率 {p:.0%}", f"probability of grade {g} or better {p:.0%}")
        if "score" in mine.columns and pd.notna(rec["score"]):
            score, thr = float(rec["score"]), float(thresholds[g])
            row.update(actual=score, target=thr, unit="分", gap=score - thr,
                       achievement_pct=float(achievement_pct(score, thr)),
                       actual_text_zh=f"{grade}类（{score:.1f}分）", actual_text_en=f"{grade} ({score:.1f} points)")
            row["status"] = str(classify(score, thr, close_pct)[()])
        else:
            row.update(actual_text_zh=f"{grade}类", actual_text_en=grade)
            row["status"] = "met" if ok else "behind"
        return
    if "rank" not in mine.columns or pd.isna(rec["rank"]):
        _notes(row, "对标分析结果没有位次", "the benchmarking table holds no rank")
        row["data_status"] = MISSING_STATUS
        return
    n = (int(rec["n_counties"]) if "n_counties" in mine.columns and pd.notna(rec["n_counties"])
         else int(grades.loc[grades["year"] == year, "county"].nunique()))
    rank = float(rec["rank"])
    if not 1 <= rank <= n:
        # A rank outside 1..n means the table is not the full peer set: no position can be read from it.
        _notes(row, f"位次 {rank:g} 不在 1–{n} 之间（对标结果不完整，可加 n_counties 列）",
               f"rank {rank:g} is not within 1–{n} (incomplete benchmarking table; add an n_counties column)")
        row["data_status"] = MISSING_STATUS
        return
    pos = 100.0 * rank / n
    among_zh, among_en = _among(rec, n)
    text_zh, text_en = f"{among_zh}中第{rank:g}位", f"{rank:g} of {among_en}"
    if {"prefecture", "prefecture_rank", "prefecture_n"} <= set(mine.columns) and str(rec["prefecture"] or "") \
            and not among_zh.startswith(str(rec["prefecture"])):
        pref, prank, pn = str(rec["prefecture"]), float(rec["prefecture_rank"]), int(rec["prefecture_n"])
        text_zh += f"；{pref}{pn}个县（市、区）中第{prank:g}位"
        text_en += f"; {prank:g} of the {pn} counties of {pref}"
    row.update(actual=pos, actual_text_zh=text_zh, actual_text_en=text_en, gap=pos - row["target"],
               achievement_pct=float(achievement_pct(pos, row["target"], higher_is_better=False)))
    row["status"] = str(classify(pos, row["target"], close_pct, higher_is_better=False)[()])
    if among_zh.startswith("全省"):
        _notes(row, f"{among_zh}中排第{rank:g}位，即前{pos:.0f}%（方案目标：前{row['target']:g}%）",
               f"rank {rank:g} of {among_en}, the top {pos:.0f} % (plan: the top {row['target']:g} %)")
    else:
        _notes(row, f"在{among_zh}中排第{rank:g}位；方案指全省位次，此处以对标县为替代",
               f"rank {rank:g} of {among_en}; the plan means the province-wide rank, the peer set is a proxy")


def _model_note(row: dict, grades: pd.DataFrame | None, county: str, year: int, g: str) -> None:
    """Beside a goal judged on the published grade: what the model gives on the data year (a note only)."""
    mine = grades[(grades["county"] == county) & (grades["year"] == year)] if grades is not None else pd.DataFrame()
    if mine.empty:
        return
    rec = mine.iloc[0]
    score = f"（{float(rec['score']):.1f}分）" if "score" in mine.columns and pd.notna(rec["score"]) else ""
    score_en = f" ({float(rec['score']):.1f} points)" if score else ""
    p_cols = [f"p_grade_{x}" for x in GRADES[: GRADES.index(g) + 1]]
    p = float(sum(float(rec[c]) for c in p_cols)) if all(c in mine.columns for c in p_cols) else None
    _notes(row, f"按{year}年数据的模拟评价：{rec['grade']}类{score}" + (f"，达到{g}类及以上的概率 {p:.0%}" if p is not None else ""),
           f"the model on {year} data: {rec['grade']}{score_en}" + (f", P(grade {g} or better) {p:.0%}" if p is not None else ""))


def analyse_gaps(data: pd.DataFrame, plan: Plan, catalogue: Catalogue, county: str, year: int, *,
                 close_pct: float = CLOSE_PCT, catch_up_year: int | None = None, grades: pd.DataFrame | None = None,
                 grade_thresholds: dict | None = None, abs_tol: float = DERIVED_ABS_TOL,
                 rel_tol: float = DERIVED_REL_TOL, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per plan target: actual, target, gap, achievement, status, trend, required growth, units.

    Parameters
    ----------
    data : DataFrame
        Tidy statistics (any counties; canonical units).
    plan : Plan
        From :func:`lingshou.plan.targets.find_plan` (the default plan for a county without its own).
    catalogue : Catalogue
    county : str
        Canonical county name.
    year : int
        Data year.
    close_pct : float, default 10
        Width of the 接近 band, percent of the target.
    catch_up_year : int, optional
        Year by which a target whose year has passed unmet should be caught up (default: the plan's end
        year); at least the year after the latest actual is used.
    grades : DataFrame, optional
        The benchmarking table (see :func:`check_grades`); without it the grade and rank goals have no data.
    grade_thresholds : dict, optional
        Minimum score of each grade (default :data:`GRADE_THRESHOLDS`).
    abs_tol, rel_tol : float
        Tolerance of the reported-versus-computed ratio check (see :func:`lingshou.data.derive.derive_indicators`).
    published : DataFrame, optional
        The published grades (``lingshou.evaluation.benchmarking.load_published_grades``: ``county,
        evaluation_round, data_year, grade, data_year_inferred``): a grade goal whose data year has a published
        grade is judged on it (on time or not met), the model's grade for ``year`` only noted; without one the
        model judges it.

    Returns
    -------
    DataFrame
        :data:`GAP_COLUMNS`, in plan order.  ``met_in_target_year`` and ``trend_reaches_target`` are
        nullable booleans, ``required_by_year``, ``trend_from``, ``trend_to`` nullable integers.

    Raises
    ------
    AnalysisError
        If the county has no value at all in ``year``.
    ParameterError
        On an invalid ``close_pct`` or ``catch_up_year``.
    DataError
        On a plan target whose unit cannot be converted, or an invalid ``grades`` table.
    """
    close_pct = check_close_pct(close_pct)
    if catch_up_year is None:
        catch_up_year = plan.period[1]
    if isinstance(catch_up_year, bool) or not isinstance(catch_up_year, (int, np.integer)):
        raise ParameterError(bi(f"catch_up_year 应为整数年份，实际为 {catch_up_year!r}",
                                f"catch_up_year must be an integer year, got {catch_up_year!r}"))
    mine = data[data["county"] == county]
    if not (mine["value"].notna() & (mine["year"] == year)).any():
        have = sorted(int(y) for y in mine.loc[mine["value"].notna(), "year"].unique())
        raise AnalysisError(bi(f"{county} 没有 {year} 年的数据（有数据的年份：{have}）",
                               f"{county} has no data for {year} (years with data: {have})"))
    if grades is not None:
        grades = check_grades(grades)
    thresholds = dict(GRADE_THRESHOLDS if grade_thresholds is None else grade_thresholds)
    values = with_derived(mine, catalogue, abs_tol=abs_tol, rel_tol=rel_tol)
    rows = [_target_row(target._asdict(), plan, values, grades, catalogue, county, int(year), close_pct,
                        thresholds, int(catch_up_year), published)
            for target in plan.targets.itertuples(index=False)]
    return _finish_table(pd.DataFrame(rows, columns=GAP_COLUMNS), close_pct)


def _among(rec, n: int) -> tuple[str, str]:
    """Among whom the benchmarking ranked (its ``peers_zh`` / ``peers_en`` columns), else "the n peers"."""
    if "peers_zh" in rec.index and isinstance(rec["peers_zh"], str) and rec["peers_zh"]:
        return rec["peers_zh"], str(rec["peers_en"])
    return f"对标的{n}个县（市、区）", f"the {n} peer units benchmarked"


def _target_row(t: dict, plan: Plan, values: pd.DataFrame, grades, catalogue: Catalogue, county: str, year: int,
                close_pct: float, thresholds: dict, catch_up_year: int, published=None) -> dict:
    """The gap-table row of one plan target (status and gap of level targets are set by :func:`_finish_table`)."""
    code = t["indicator"]
    row = _blank_row()
    units = tuple(t["responsible_units"])
    lead = t["lead_unit"] if isinstance(t["lead_unit"], str) else ""
    for u in units + ((lead,) if lead else ()):
        if UNIT_SEP in u:
            raise DataError(bi(f"方案目标 {t['id']} 的单位名 {u!r} 含分隔符 {UNIT_SEP!r}",
                               f"plan target {t['id']}: unit name {u!r} contains the separator {UNIT_SEP!r}"))
    zh, en = (GOAL_NAMES[code] if code in GRADE_INDICATORS
              else (catalogue.name(code, "zh"), catalogue.name(code, "en")))
    if t["type"] == "growth":
        zh, en = zh + "年增长", en + ", yearly growth"
    elif t["type"] == "increase":
        zh, en = zh + "逐年递增", en + ", rising every year"
    row.update(id=t["id"], indicator=code, name_zh=zh, name_en=en, type=t["type"], task=t["task"], year=year,
               lead_unit=lead, lead_unit_en=catalogue.department_name(lead, "en") if lead else "",
               responsible_units=UNIT_SEP.join(units),
               responsible_units_en=UNIT_SEP_EN.join(catalogue.department_name(u, "en") for u in units),
               plan_id=str(plan.meta.get("id", plan.path.stem)), plan_is_default=bool(plan.is_default), unit="")
    if t["type"] in ("grade", "rank"):
        _goal_row(row, t, grades, county, year, close_pct, thresholds, published)
    else:
        s, st, rws = _series(values, code, year)
        if t["type"] == "level":
            _level_row(row, t, s, st, rws, year, catch_up_year, catalogue)
        else:
            _rule_row(row, t, s, st, year, close_pct)
    return row


def _finish_table(table: pd.DataFrame, close_pct: float) -> pd.DataFrame:
    """Gap, achievement and status of the level targets (vectorised), status texts and column dtypes."""
    level = table["type"] == "level"
    a, tg = table["actual"].to_numpy(dtype=float), table["target"].to_numpy(dtype=float)
    table.loc[level, "gap"] = (a - tg)[level.to_numpy()]
    table.loc[level, "achievement_pct"] = achievement_pct(a, tg)[level.to_numpy()]
    table.loc[level, "status"] = classify(a, tg, close_pct)[level.to_numpy()]
    table["status_zh"] = table["status"].map(STATUS_TEXT["zh"])
    table["status_en"] = table["status"].map(STATUS_TEXT["en"])
    # On-time delivery of a level target whose year has passed: met in that year, or only later.
    # a grade goal judged on its published grade is delivered on time or not, as a level is
    timed = level | (table["type"].eq("grade") & table["met_in_target_year"].notna())
    met = timed & table["status"].eq("met")
    in_year = table["met_in_target_year"].astype("boolean")
    on_time, late = met & in_year.eq(True).fillna(False), met & in_year.eq(False).fillna(False)
    table["delivery"] = pd.Series(pd.NA, index=table.index, dtype="str")
    table.loc[on_time, "delivery"], table.loc[late, "delivery"] = "on_time", "late"
    table.loc[timed & ~table["status"].eq("met") & in_year.eq(False).fillna(False), "delivery"] = "not_met"
    for lang in ("zh", "en"):
        words = DELIVERY_TEXT[lang]
        table.loc[on_time, f"status_{lang}"] = words["on_time"]
        table.loc[late, f"status_{lang}"] = words["late"]
    for c in ("met_in_target_year", "trend_reaches_target", "ratio_mismatch"):
        table[c] = table[c].astype("boolean")
    for c in ("required_by_year", "trend_from", "trend_to", "target_year"):
        table[c] = table[c].astype("Int64")
    for c in ("actual", "target", "gap", "achievement_pct", "cagr_pct", "last_yoy_pct",
              "required_annual_growth_pct", "required_annual_change_pp", "reported_value"):
        table[c] = table[c].astype("float64")
    return table


def english_unit_names(table: pd.DataFrame) -> dict[str, str]:
    """Department → English name, as the gap table wrote them (``lead_unit_en``, ``responsible_units_en``)."""
    names = {UNSPECIFIED_UNIT: UNSPECIFIED_UNIT_EN}
    blank = pd.Series("", index=table.index)
    for zh, en in zip(table["lead_unit"].fillna(""), table.get("lead_unit_en", blank).fillna("")):
        if zh:
            names[zh] = en or zh
    for zh, en in zip(table["responsible_units"].fillna(""), table.get("responsible_units_en", blank).fillna("")):
        zh_units, en_units = [u for u in zh.split(UNIT_SEP) if u], [u for u in en.split(UNIT_SEP_EN) if u]
        names.update(zip(zh_units, en_units) if len(zh_units) == len(en_units) else ((u, u) for u in zh_units))
    return names


def gap_by_unit(table: pd.DataFrame) -> pd.DataFrame:
    """Statuses of the targets each department leads or shares.

    A target counts once for its lead unit and once for each responsible unit (once per unit even when
    a unit is both); targets without a lead unit count under :data:`UNSPECIFIED_UNIT`.

    Parameters
    ----------
    table : DataFrame
        From :func:`analyse_gaps`.

    Returns
    -------
    DataFrame
        :data:`UNIT_COLUMNS`: ``n_targets`` targets involving the unit, ``n_lead`` of which it leads,
        counts by status, and ``targets_behind`` (target ids, ``;``-separated).  Sorted by number of
        targets (descending), then unit name.
    """
    lead = table["lead_unit"].fillna("").replace("", UNSPECIFIED_UNIT)
    shared = table["responsible_units"].fillna("").str.split(UNIT_SEP)
    links = pd.concat([
        pd.DataFrame({"row": table.index, "unit": lead, "lead": True}),
        pd.DataFrame({"row": table.index, "unit": shared, "lead": False}).explode("unit"),
    ], ignore_index=True)
    links = links[links["unit"].notna() & (links["unit"] != "")]
    links = links.groupby(["row", "unit"], as_index=False)["lead"].max()
    links["status"] = table["status"].reindex(links["row"]).to_numpy()
    links["id"] = table["id"].reindex(links["row"]).to_numpy()
    counts = pd.crosstab(links["unit"], links["status"]).reindex(columns=list(STATUS_ORDER), fill_value=0)
    out = pd.DataFrame({
        "unit": counts.index,
        "n_targets": counts.sum(axis=1).to_numpy(),
        "n_lead": links.groupby("unit")["lead"].sum().reindex(counts.index).to_numpy(),
    })
    for s in STATUS_ORDER:
        out[f"n_{s}"] = counts[s].to_numpy()
    behind = links[links["status"] == "behind"].groupby("unit")["id"].agg(";".join)
    out["targets_behind"] = out["unit"].map(behind).fillna("")
    out["unit_en"] = out["unit"].map(english_unit_names(table))
    out = out.sort_values(["n_targets", "unit"], ascending=[False, True], ignore_index=True)
    for c in ("n_targets", "n_lead", "n_met", "n_close", "n_behind", "n_no_data"):
        out[c] = out[c].astype("int64")
    return out[UNIT_COLUMNS]


def status_counts(table: pd.DataFrame) -> dict:
    """Number of targets by status (every status present, in :data:`STATUS_ORDER`)."""
    vc = table["status"].value_counts()
    return {s: int(vc.get(s, 0)) for s in STATUS_ORDER}
