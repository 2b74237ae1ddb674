"""Normalising and validating statistics: every problem found in one pass.

Rules (each problem names file, row, column, value and what is wrong, in Chinese and English):

errors
    unmapped or ambiguous indicator and county names (naming the alias table to edit); a missing county
    or year; non-numeric values; workbook formulas without a calculated value; unknown units, units that
    cannot be converted to the catalogue's, a unit that contradicts a ``%`` written in the cell or a unit
    column that contradicts the unit in the name; negative money, counts, populations or rates; shares
    outside 0–100; implausible years; an unknown status; the same (county, year, indicator) twice with
    different values, within a file or across files; a reported ratio that disagrees with its numerator
    and denominator beyond rounding; (from the reader) unreadable files, layouts and cells outside the
    table's columns.
warnings
    year-on-year change beyond a factor of 5; no unit anywhere for a money or population value (the
    canonical unit is assumed); the same value given twice (kept once); aggregate rows, columns not read
    and non-data files skipped.
info
    missing values (``—``, ``…``, blank): kept as NaN, never zero; group heading rows skipped.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from lingshou.config import MIN_YEAR, STATUSES, DataFolder, data_folder
from lingshou.data.catalogue import Catalogue, load_catalogue, normalise_text, split_unit
from lingshou.data.numbers import parse_numbers, parse_year, scale
from lingshou.data.problems import Problem, errors, invisible_problem, problem, without_invisible
from lingshou.data.read import list_data_files, read_records
from lingshou.errors import DataError, ParameterError
from lingshou.i18n import bi

TIDY_COLUMNS = ["county", "year", "indicator", "value", "unit", "status", "source", "file", "row"]
NONNEGATIVE_DIMENSIONS = ("money", "count", "population", "per_1000_firms", "per_10k_residents", "share", "score")
#: Year-on-year ratio beyond which a change is flagged (warning).
JUMP_FACTOR = 5.0
#: Where a unit was found (``read_records``' ``unit_from``), for the Chinese half of messages.
UNIT_ORIGINS_ZH = {"unit column": "单位列", "indicator name": "指标名称", "column header": "列标题",
                   "table title": "表头的单位行"}
#: Relative tolerance of the ratio check on top of the reported rounding (operands are rounded too).
RATIO_REL_TOL = 0.005


def tidy_schema(cat: Catalogue | None = None) :
    """The pandera schema of the tidy statistics table (used by ``build`` and the loaders)."""
    import pandera.pandas as pa  # imported here: notebooks reading a fresh processed table never need it

    checks_ind = [pa.Check.isin(cat.codes)] if cat is not None else []
    this_year = _dt.date.today().year
    return pa.DataFrameSchema(
        {
            "county": pa.Column(str, nullable=False),
            "year": pa.Column(int, pa.Check.in_range(MIN_YEAR, this_year), nullable=False),
            "indicator": pa.Column(str, checks_ind, nullable=False),
            "value": pa.Column(float, nullable=True),
            "unit": pa.Column(str, nullable=False),
            "status": pa.Column(str, pa.Check.isin(STATUSES), nullable=False),
            "source": pa.Column(str, nullable=False),
            "file": pa.Column(str, nullable=False),
            "row": pa.Column(int, nullable=True),
        },
        unique=["county", "year", "indicator"],
        strict=True,
        coerce=False,
    )


def _county_problem(rec, cat: Catalogue, at: dict, county_table: str) -> Problem:
    """Why a record's county name maps to no county: ambiguous, an invisible character in it, or unknown."""
    key = normalise_text(rec.county_raw)
    if key in cat.ambiguous_county_aliases:
        options = cat.county_options(rec.county_raw)
        return problem("error", "ambiguous_county", f"县名有歧义（可能是 {options}），请写全称、在数据卡片中写明 "
                       f"prefecture（所属地级市），或在 {county_table} 中添加别名",
                       f"ambiguous county name ({options}); write the full name, give the prefecture in the "
                       f"data card (prefecture: …), or add an alias to {county_table}",
                       **at, column=rec.county_col, value=rec.county_raw)
    clean = without_invisible(rec.county_raw)
    seen = cat.county_name(clean, prefecture=getattr(rec, "prefecture_hint", "") or None) if clean != rec.county_raw else None
    if seen:
        return invisible_problem(rec.county_raw, seen, ("县名", "county name"), **at, column=rec.county_col,
                                 value=rec.county_raw)
    near = cat.county_suggestions(rec.county_raw)
    hint_zh, hint_en = (f"（最接近的：{'、'.join(near)}）", f" (closest: {', '.join(near)})") if near else ("", "")
    return problem("error", "unmapped_county", f"未知县名{hint_zh}，请在 {county_table} 中添加别名（或在 counties.csv 中添加该县）",
                   f"unknown county name{hint_en}: add an alias to {county_table} (or the county to counties.csv)",
                   **at, column=rec.county_col, value=rec.county_raw)


def _indicator_problem(rec, cat: Catalogue, at: dict, ind_table: str, units_table: str) -> Problem:
    """Why a record's indicator name maps to no indicator: an invisible character in it, an unknown unit
    in its brackets, or an unknown name."""
    where = dict(**at, column=rec.indicator_col, value=rec.indicator_raw)
    clean = without_invisible(rec.indicator_raw)
    seen = cat.indicator_code(clean) if clean != rec.indicator_raw else None
    if seen is not None:
        return invisible_problem(rec.indicator_raw, cat.name(seen), ("指标名称", "indicator name"), **where)
    base, unit = split_unit(rec.indicator_raw)
    if unit is not None and cat.indicator_code(base) is not None:
        return problem("error", "unknown_unit", f"指标名称中的单位 {unit} 未知，请在 {units_table} 中添加",
                       f"unknown unit {unit} in the indicator name; add it to {units_table}", **where)
    return problem("error", "unmapped_indicator", f"未知指标名称，请在 {ind_table} 中添加别名",
                   f"unknown indicator name: add an alias to {ind_table}", **where)


def _map_names(records: pd.DataFrame, cat: Catalogue, probs: list[Problem]) -> pd.DataFrame:
    """County, year and indicator codes for every record; unmapped names become errors."""
    county_table = str(cat.sources.get("county_aliases"))
    ind_table = str(cat.sources.get("indicator_aliases"))
    # Plain lists: Series.map turns None into NaN (and ints into floats) as soon as one name is unmapped,
    # and an ``is None`` test would then let the unmapped name through unreported.
    # Names repeat thousands of times in a province-sized table: look each distinct one up once.
    hints = records["prefecture_hint"] if "prefecture_hint" in records else pd.Series("", index=records.index)
    county_of = {(x, h): (cat.county_name(x, prefecture=h or None) if x else None)
                 for x, h in set(zip(records["county_raw"], hints))}
    code_of = {x: (cat.indicator_code(x) if x else None) for x in set(records["indicator_raw"])}
    year_of = {x: parse_year(x) for x in set(records["year_raw"])}
    counties = [county_of[k] for k in zip(records["county_raw"], hints)]
    codes = [code_of[x] for x in records["indicator_raw"]]
    years = [year_of[x] for x in records["year_raw"]]
    this_year = _dt.date.today().year

    units_table = str(cat.sources.get("units"))
    flawed = [k for k, (county, code, year) in enumerate(zip(counties, codes, years))
              if county is None or code is None or year is None or not MIN_YEAR <= year <= this_year]
    rows = records.iloc[flawed].astype(object).itertuples(index=False)
    for rec, county, code, year in zip(rows, (counties[k] for k in flawed), (codes[k] for k in flawed),
                                       (years[k] for k in flawed)):
        # each name problem points at the cell holding the name (the county, indicator or year column)
        at = dict(file=rec.file, row=rec.row)
        if not rec.county_raw:
            probs.append(problem("error", "missing_county", "没有县名：表中无“县/地区”列，标题中也没有县名；请加县名列或调用时指定 county=",
                                 "no county: the table has no county column and its title names none; add one or pass county=",
                                 **at, column="—", value=rec.indicator_raw))
        elif county is None:
            probs.append(_county_problem(rec, cat, at, county_table))
        if not rec.indicator_raw:
            probs.append(problem("error", "missing_indicator", "没有指标名称", "no indicator name", **at,
                                 column=rec.indicator_col, value=rec.cell))
        elif code is None:
            probs.append(_indicator_problem(rec, cat, at, ind_table, units_table))
        if year is None:
            if rec.year_raw == "":
                probs.append(problem("error", "missing_year", "没有年份：表中无年份列或年份表头，标题中也没有年份",
                                     "no year: the table has no year column or year headers, and its title names none",
                                     **at, column="—", value=rec.indicator_raw))
            else:
                probs.append(problem("error", "bad_year", "年份无法识别（应为如 2022 或 2022年）",
                                     "cannot read the year (expected e.g. 2022 or 2022年)", **at, column=rec.year_col,
                                     value=rec.year_raw))
        elif year < MIN_YEAR or year > this_year:
            probs.append(problem("error", "implausible_year", f"年份不合理（应在 {MIN_YEAR}–{this_year} 之间）",
                                 f"implausible year (expected {MIN_YEAR}–{this_year})", **at, column=rec.year_col,
                                 value=rec.year_raw))
    out = records.copy()
    out["county"] = pd.Series(counties, index=out.index, dtype=object)
    out["indicator"] = pd.Series(codes, index=out.index, dtype=object)
    out["year"] = pd.Series([y if y is not None and MIN_YEAR <= y <= this_year else None for y in years],
                            index=out.index, dtype=object)
    return out


#: Per-population dimensions whose count unit is accepted when the indicator's name carries the denominator:
#: 万人有效发明专利拥有量(件) is 件 per 万人, 千家…企业数(家) is 家 per 1,000 firms.
DENOMINATOR_IN_NAME = {"per_10k_residents": "万人", "per_1000_firms": "千家"}


def _names_denominator(cat: Catalogue, code, indicator_raw) -> bool:
    word = DENOMINATOR_IN_NAME.get(cat.dimension(code)) if isinstance(code, str) else None
    return bool(word) and word in normalise_text(indicator_raw or "")


def _resolve_unit(cat: Catalogue, code: str, unit_raw, unit_other, suffix: str, unit_from, units_table: str,
                  denominator_named: bool = False, other_from: str = ""):
    """The factor to the canonical unit for one combination of indicator, unit texts and cell sign.

    Returns ``(factor or None, issues)``; each issue is ``(severity, rule, zh, en, value_from)`` where
    ``value_from`` says whether the problem shows the cell or the unit text.
    """
    canonical = cat.canonical_unit(code)
    unit = normalise_text(unit_raw).strip("()") if unit_raw else ""
    other = normalise_text(unit_other) if unit_other else ""
    if other and cat.unit_dimension(unit) is not None and cat.unit_factor(unit, code) != cat.unit_factor(other, code):
        if other_from == "table title":
            where = UNIT_ORIGINS_ZH.get(unit_from, "单元格")
            return None, [("error", "unit_conflict", f"{where}中的 {unit} 与表标题的单位 {other} 矛盾（无法判断哪个正确，数值未读取）",
                           f"the {unit_from or 'cell'} says {unit} but the table's title says {other} (which is right "
                           "cannot be told; the value was not read)", "cell")]
        return None, [("error", "unit_conflict", f"单位列的 {unit} 与指标名称或列标题中的 {other} 矛盾",
                       f"the unit column says {unit} but the indicator name or column header says {other}", "cell")]
    issues = []
    if suffix:
        if unit and cat.unit_dimension(unit) != cat.unit_dimension(suffix):
            return None, [("error", "unit_conflict", f"单元格中的 {suffix} 与单位 {unit} 矛盾",
                           f"the {suffix} in the cell contradicts the unit {unit}", "cell")]
        # The cell's own sign is the most specific statement: "5‰" in a column headed (%) is 0.5 %.
        unit = suffix
    if not unit:
        unit = canonical
        if cat.dimension(code) in ("money", "population"):
            issues.append(("warning", "unit_assumed", f"未给出单位，按 {canonical} 处理", f"no unit given; assumed {canonical}", "cell"))
    if cat.unit_dimension(unit) is None:
        origin = UNIT_ORIGINS_ZH.get(unit_from, "单元格")
        return None, issues + [("error", "unknown_unit", f"未知单位 {unit}（来自{origin}），请在 {units_table} 中添加",
                                f"unknown unit {unit} (from the {unit_from or 'cell'}); add it to {units_table}", "unit")]
    factor = cat.unit_factor(unit, code)
    if factor is None and denominator_named and cat.unit_dimension(unit) == "count":
        factor = 1.0  # the name says "per 万人" / "per 千家"; the unit counts what is per that
    if factor is None:
        return None, issues + [("error", "unit_incompatible", f"单位 {unit} 无法换算为指标 {code}（{cat.name(code)}）的单位 {canonical}",
                                f"unit {unit} cannot be converted to {canonical}, the unit of {code}", "unit")]
    return factor, issues


def _convert(recs: pd.DataFrame, cat: Catalogue, probs: list[Problem]) -> pd.DataFrame:
    """Parse numbers and convert units to the catalogue's canonical unit."""
    parsed = parse_numbers(recs["cell"])
    units_table = str(cat.sources.get("units"))
    values = np.full(len(recs), np.nan)
    units = [""] * len(recs)
    ok = np.zeros(len(recs), dtype=bool)
    # A value's unit depends only on its indicator, the unit texts around it and the sign in the cell:
    # resolve each distinct combination once (problems are still reported for every cell).
    resolved: dict[tuple, tuple] = {}
    for k, (rec, p) in enumerate(zip(recs.astype(object).itertuples(index=False), parsed.itertuples(index=False))):
        loc = dict(file=rec.file, row=rec.row, column=rec.column)
        code = rec.indicator
        if p.invalid:
            if isinstance(rec.cell, str) and rec.cell.startswith("="):
                probs.append(problem("error", "formula_uncached", "公式没有计算结果（文件不是由 Excel 保存的），请在 Excel 中打开并保存",
                                     "a formula without a calculated result (the workbook was not saved by Excel); open and "
                                     "save it in Excel", **loc, value=rec.cell))
            else:
                probs.append(problem("error", "non_numeric", "不是数值（应为数字、百分数或缺失标记如 —、…、/）",
                                     "not a number (write a number, a percentage or a missing marker such as —, …, /)",
                                     **loc, value=rec.cell))
            continue
        if not isinstance(code, str):  # unmapped (reported already); pandas may hold it as NaN
            continue
        canonical = cat.canonical_unit(code)
        units[k] = canonical
        if p.missing:
            probs.append(problem("info", "missing_value", "缺失值（保留为空，不按0处理）", "missing value (kept as NaN, never 0)",
                                 **loc, value=rec.cell if rec.cell is not None else ""))
            ok[k] = True
            continue
        if p.note:
            probs.append(problem("info", "footnote_mark", f"数值后的脚注符号 {p.note} 不是数字，数值按 {p.value:g} 读取，符号作为备注",
                                 f"the footnote mark {p.note} after the number is not a digit: read as {p.value:g}, the "
                                 "mark kept as a note", **loc, value=rec.cell))
        key = (code, rec.unit_raw, rec.unit_other, p.suffix, rec.unit_from,
               _names_denominator(cat, code, rec.indicator_raw), rec.unit_other_from)
        if key not in resolved:
            resolved[key] = _resolve_unit(cat, *key[:5], units_table, denominator_named=key[5], other_from=key[6])
        factor, issues = resolved[key]
        for severity, rule, zh, en, value_from in issues:
            probs.append(problem(severity, rule, zh, en, **loc, value=rec.cell if value_from == "cell" else (rec.unit_raw or rec.cell)))
        if factor is None:
            continue
        values[k] = scale(p.value, factor)
        ok[k] = True
    out = recs.copy()
    out["value"] = values
    out["raw_value"] = parsed["value"].to_numpy(dtype=float)  # before unit conversion: its sign is known anyway
    out["unit"] = units
    out["decimals"] = parsed["decimals"].to_numpy()
    out["_ok"] = ok
    return out


def _status_source(recs: pd.DataFrame, probs: list[Problem]) -> pd.DataFrame:
    out = recs.copy()
    status = out["status_raw"].where(out["status_raw"] != "", out["default_status"])
    status = status.where(status != "", "published").map(lambda s: normalise_text(s).lower())
    bad = ~status.isin(STATUSES)
    for rec, st in zip(out[bad].astype(object).itertuples(index=False), status[bad]):
        if st not in STATUSES:
            # written in the table (that cell) or in the data card (one problem for the file)
            where = (dict(row=rec.row, column=rec.status_col, value=rec.status_raw) if rec.status_raw else
                     dict(row="—", column="status（数据卡片 data card）", value=rec.default_status))
            probs.append(problem("error", "unknown_status", f"未知数据状态（可选 {', '.join(STATUSES)}）",
                                 f"unknown status (choose from {', '.join(STATUSES)})", file=rec.file, **where))
    out["status"] = status
    out["source"] = out["source_raw"].where(out["source_raw"] != "", out["default_source"])
    return out


def _rule_ranges(tidy: pd.DataFrame, cat: Catalogue, probs: list[Problem]) -> pd.Index:
    dims = tidy["indicator"].map(cat.dimension)
    value = tidy["value"].where(tidy["value"].notna(), tidy["raw_value"]) if "raw_value" in tidy else tidy["value"]
    neg = value.lt(0) & dims.isin(NONNEGATIVE_DIMENSIONS)
    for rec in tidy[neg].itertuples(index=False):
        probs.append(problem("error", "negative", f"{cat.name(rec.indicator)}不能为负数", f"{rec.indicator} cannot be negative",
                             file=rec.file, row=rec.row, column=rec.column, value=rec.cell))
    share_bad = dims.eq("share") & tidy["value"].gt(100)
    for rec in tidy[share_bad].itertuples(index=False):
        probs.append(problem("error", "share_range", f"比重应在0–100（%）之间，换算后为 {rec.value:g}",
                             f"a share must lie within 0–100 (%); converted value {rec.value:g}",
                             file=rec.file, row=rec.row, column=rec.column, value=rec.cell))
    return tidy.index[neg | share_bad].union(_rule_magnitudes(tidy[~(neg | share_bad)], cat, probs))


#: A value this many times its range's bound in the direction of a known unit slip names that slip.
_SLIPS = {"money": (10_000, "可能以元填写（应为万元）", "probably given in yuan (the unit is 万元)"),
          "population": (10_000, "可能以人填写（应为万人）", "probably given in persons (the unit is 万人)")}


def _rule_magnitudes(tidy: pd.DataFrame, cat: Catalogue, probs: list[Problem]) -> pd.Index:
    """Values outside the indicator's plausible range for one county (``plausible_ranges.csv``), naming the
    likely slip: money in 元, a population in 人, a share typed as a fraction.  Zero is never too small."""
    if not cat.ranges or tidy.empty:
        return tidy.index[:0]
    lo = tidy["indicator"].map({code: low for code, (low, _) in cat.ranges.items()})
    hi = tidy["indicator"].map({code: high for code, (_, high) in cat.ranges.items()})
    value = tidy["value"]
    out = (value > hi) | ((value < lo) & (value != 0))
    table = cat.sources.get("ranges")
    for rec, a, b in zip(tidy[out].itertuples(index=False), lo[out], hi[out]):
        dim, unit = cat.dimension(rec.indicator), cat.canonical_unit(rec.indicator)
        hint_zh, hint_en = "", ""
        if rec.value > b and dim in _SLIPS and a <= rec.value / _SLIPS[dim][0] <= b:
            hint_zh, hint_en = "，" + _SLIPS[dim][1], "; " + _SLIPS[dim][2]
        elif rec.value < a and dim == "share" and a <= rec.value * 100 <= b:
            hint_zh, hint_en = (f"，可能把百分数写成了小数（应写 {rec.value * 100:g}，而不是 {rec.value:g}）",
                                f"; probably a fraction for a percentage (write {rec.value * 100:g}, not {rec.value:g})")
        probs.append(problem("error", "implausible_magnitude",
                             f"{cat.name(rec.indicator)} 为 {rec.value:g} {unit}，超出一个县（市、区）的合理范围 {a:g}–{b:g} {unit}"
                             f"{hint_zh}；数值未读取（范围见 {table}）",
                             f"{rec.indicator} is {rec.value:g} {unit}, outside the plausible range for one county-level "
                             f"unit, {a:g}–{b:g} {unit}{hint_en}; the value was not read (ranges in {table})",
                             file=rec.file, row=rec.row, column=rec.column, value=rec.cell))
    return tidy.index[out]


def _rule_duplicates(tidy: pd.DataFrame, probs: list[Problem]) -> pd.DataFrame:
    """Same (county, year, indicator) twice: different values are errors, equal values are kept once; where real
    (published, provisional, derived) and illustrative values meet, the real one is used and the illustrative
    dropped, with a note (real figures for a county of the bundled data must get a report)."""
    key = ["county", "year", "indicator"]
    dup = tidy[tidy.duplicated(key, keep=False)]
    if dup.empty:
        return tidy
    drop = []  # equal repeats after the first, and every row of a conflict
    for (county, year, ind), grp in dup.groupby(key, sort=True):
        real = grp[grp["status"] != "illustrative"]
        if 0 < len(real) < len(grp):
            # Real figures meet the bundled illustrative series: the real ones are used, the invented ones
            # dropped for this county, year and indicator (and said), so a bureau's file gets a report.
            shown = real.iloc[0]
            dropped = "; ".join(f"{r.file} 行row {r.row} = {r.cell}" for r in grp[grp["status"] == "illustrative"].itertuples())
            probs.append(problem("info", "real_over_illustrative",
                                 f"{county} {year} {ind} 采用实际数据，示例数据不再使用（{dropped}）",
                                 f"{county} {year} {ind}: the real figure is used, the illustrative one dropped ({dropped})",
                                 file=shown.file, row=shown.row, column=shown.column, value=shown.cell))
            drop.extend(grp.index[grp["status"] == "illustrative"])
            if len(real) == 1:
                continue
            grp = real
        vals = grp["value"]
        first = grp.iloc[0]
        others = "; ".join(f"{r.file} 行row {r.row} = {r.cell}" for r in grp.iloc[1:].itertuples(index=False))
        same = vals.isna().all() or (vals.notna().all() and np.allclose(vals, vals.iloc[0], rtol=1e-9, atol=0))
        if same:
            probs.append(problem("warning", "duplicate_same", f"{county} {year} {ind} 重复出现且数值相同，保留一次（另见 {others}）",
                                 f"{county} {year} {ind} appears twice with the same value; kept once (see also {others})",
                                 file=first.file, row=first.row, column=first.column, value=first.cell))
            drop.extend(grp.index[1:])
        else:
            probs.append(problem("error", "duplicate_conflict", f"{county} {year} {ind} 出现多次且数值不同（另见 {others}）",
                                 f"{county} {year} {ind} is given more than once with different values (see also {others})",
                                 file=first.file, row=first.row, column=first.column, value=first.cell))
            drop.extend(grp.index)
    return tidy.drop(index=drop)


def _rule_ratios(tidy: pd.DataFrame, cat: Catalogue, probs: list[Problem]) -> list:
    """A reported ratio must agree with ``factor * numerator / denominator`` within rounding.

    Vectorised over counties and years; only a disagreeing cell is looked up for its message.
    """
    bad = []
    if tidy.empty:
        return bad
    wide = tidy.pivot_table(index=["county", "year"], columns="indicator", values="value", aggfunc="first")
    decimals = tidy.pivot_table(index=["county", "year"], columns="indicator", values="decimals", aggfunc="first")
    where = None
    for code, f in cat.derived().items():
        if not {code, f.numerator, f.denominator} <= set(wide.columns):
            continue
        sub = wide[[code, f.numerator, f.denominator]].dropna()
        sub = sub[sub[f.denominator] > 0]
        if sub.empty:
            continue
        computed = f.factor * sub[f.numerator] / sub[f.denominator]
        dec = decimals[code].reindex(sub.index)
        dec = dec.where(dec >= 0, 2)
        tol = 0.5 * 10.0 ** (-dec) + RATIO_REL_TOL * computed.abs() + 1e-9
        off = (sub[code] - computed).abs() > tol
        if not off.any():
            continue
        if where is None:
            where = tidy.reset_index().set_index(["county", "year", "indicator"])
        for (county, year), reported in sub.loc[off, code].items():
            rec = where.loc[(county, year, code)]
            c = computed[(county, year)]
            probs.append(problem(
                "error", "ratio_mismatch",
                f"{cat.name(code)} 报告值 {reported:g} 与 {f.factor:g}×{f.numerator}/{f.denominator} = {c:.4g} 不符（超出舍入误差）",
                f"reported {code} {reported:g} disagrees with {f.factor:g}*{f.numerator}/{f.denominator} = {c:.4g} beyond rounding",
                file=rec["file"], row=rec["row"], column=rec["column"], value=rec["cell"]))
            bad.append(rec["index"])
    return bad


def _rule_jumps(tidy: pd.DataFrame, probs: list[Problem]) -> None:
    """Year-on-year change beyond :data:`JUMP_FACTOR` (consecutive years only)."""
    s = tidy.dropna(subset=["value"]).sort_values(["county", "indicator", "year"])
    prev_val = s.groupby(["county", "indicator"])["value"].shift()
    prev_year = s.groupby(["county", "indicator"])["year"].shift()
    consecutive = (s["year"] - prev_year).eq(1)
    ratio = s["value"] / prev_val
    jump = consecutive & prev_val.gt(0) & s["value"].gt(0) & ((ratio > JUMP_FACTOR) | (ratio < 1 / JUMP_FACTOR))
    for (idx, rec), pv in zip(s[jump].iterrows(), prev_val[jump]):
        probs.append(problem("warning", "jump", f"较上年变化超过 {JUMP_FACTOR:g} 倍（上年 {pv:g}，本年 {rec['value']:g}），请核实",
                             f"changes by more than a factor of {JUMP_FACTOR:g} on the prior year ({pv:g} → {rec['value']:g}); please check",
                             file=rec["file"], row=rec["row"], column=rec["column"], value=rec["cell"]))


def validate_records(paths, cat: Catalogue, county: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read, normalise and validate data files; return the tidy table and every problem.

    The tidy table holds only rows without errors (so that analyses never see a broken value); callers
    must check the problems (``load_statistics`` raises on any error).
    """
    files, probs = list_data_files(paths)
    frames = []
    for f in files:
        recs, p = read_records(f, cat, county=county)
        probs += p
        if not recs.empty:
            frames.append(recs)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                             zip(TIDY_COLUMNS, [str, int, str, float, str, str, str, str, int])}), probs
    recs = pd.concat(frames, ignore_index=True)
    recs = _map_names(recs, cat, probs)
    recs = _convert(recs, cat, probs)
    recs = _status_source(recs, probs)
    # Only records without any error reach the tidy table (each problem was reported above) — but the checks
    # of the value (sign, range, repeats) run on every cell whose indicator is known, also where its county,
    # year, unit or status is wrong, under the names as written: one pass lists every problem.
    keep = recs["_ok"] & recs["county"].notna() & recs["year"].notna() & recs["indicator"].notna()
    keep &= recs["status"].isin(STATUSES)
    checked = recs[recs["indicator"].notna() & (keep | recs["raw_value"].notna())].copy()
    checked["county"] = checked["county"].where(checked["county"].notna(), checked["county_raw"])
    checked["year"] = checked["year"].where(checked["year"].notna(), checked["year_raw"])
    checked["_clean"] = keep[checked.index]
    # clean rows first, so that of two equal repeats the clean one is kept
    checked = checked.sort_values("_clean", ascending=False, kind="stable")
    wrong = set(_rule_ranges(checked, cat, probs))
    # repeats: every clean row, and rows in error whose value could be read and converted
    repeats = checked[checked["_clean"] | checked["value"].notna()]
    survivors = _rule_duplicates(repeats if repeats["_clean"].all() else repeats.astype({"year": str}), probs)
    tidy = recs[keep & recs.index.isin(survivors.index) & ~recs.index.isin(wrong)].copy()
    tidy["year"] = tidy["year"].astype(int)
    tidy["row"] = tidy["row"].astype(int)
    tidy = tidy.drop(index=_rule_ratios(tidy, cat, probs))
    _rule_jumps(tidy, probs)
    tidy = tidy[TIDY_COLUMNS].sort_values(["county", "indicator", "year"]).reset_index(drop=True)
    tidy["value"] = tidy["value"].astype(float)
    # one name problem per cell, not one per value column of its row (a wide row holds several years)
    return tidy, list(dict.fromkeys(probs))


def validate_paths(paths, data_dir=None, county: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """``lingshou validate``: every problem of the given files/folders, with the data folder's tables.

    Raises
    ------
    ParameterError
        If a named file or folder does not exist (a usage error: nothing was checked), listing them all.
    """

    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    absent = [str(p) for p in paths if not Path(p).exists()]
    if absent:
        raise ParameterError(bi(f"文件或文件夹不存在：{'、'.join(absent)}", f"no such file or folder: {', '.join(absent)}"))
    return validate_records(paths, load_catalogue(data_dir), county=county)


def summarise(problems: list[Problem]) -> dict[str, int]:
    """Counts by severity."""
    out = {"error": 0, "warning": 0, "info": 0}
    for p in problems:
        out[p.severity] += 1
    return out


class Statistics(NamedTuple):
    """:func:`load_statistics`: the validated tidy ``table`` and every ``problem`` found (unpacks as a pair)."""

    table: pd.DataFrame
    problems: list[Problem]


def load_statistics(path: str | Path | list, county: str | None = None, *, data_dir=None,
                    strict: bool = True) -> Statistics:
    """Load statistics files into one validated tidy table.

    Parameters
    ----------
    path : path-like or list of path-likes
        Files (CSV/XLSX) or folders (read recursively; data cards and notes are skipped).
    county : str, optional
        The county the values belong to when a file has no county column or title (any name variant).
    data_dir : path-like, optional
        Data folder whose catalogue and mapping tables to use (default: the bundled ones).
    strict : bool
        Raise :class:`~lingshou.errors.DataError` when there is any error (default).  With ``False`` the
        table holds the usable rows and ``problems`` every problem, errors included.

    Returns
    -------
    Statistics
        ``table``: columns ``county, year, indicator, value, unit, status, source, file, row`` —
        ``indicator`` a catalogue code, ``year`` int, ``value`` float in the catalogue's canonical unit
        (money in 万元, shares in percent; NaN = missing, never 0).  ``problems``: the warnings and notes
        (and the errors when not strict), as :class:`~lingshou.data.problems.Problem`.  ``tidy, problems =
        load_statistics(...)``.

    Raises
    ------
    DataError
        With every error found (file, row, column, value, rule; Chinese and English).
    """
    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    cat = load_catalogue(folder)
    tidy, probs = validate_records(path, cat, county=county)
    if strict and errors(probs):
        raise DataError(bi(f"数据有 {len(errors(probs))} 个错误", f"the data has {len(errors(probs))} error(s)"), probs)
    return Statistics(tidy, probs)
