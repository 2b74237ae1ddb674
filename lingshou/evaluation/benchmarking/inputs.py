"""The benchmarking's inputs: the evaluation model of a data folder, the wide county × indicator table of one
round, the data status of each county, the qualitative points, and the published grades.
"""
from __future__ import annotations

import math
from numbers import Real
from pathlib import Path

import pandas as pd

from lingshou.config import DEFAULT_DATA_DIR, STATUS_RANK
from lingshou.errors import DataError, NotEnoughData, ParameterError
from lingshou.evaluation.model import (
    load_model,
)
from lingshou.i18n import bi

#: Reference tables, relative to a data folder's ``raw/`` (a user folder falls back to the bundled ones).
MODEL_FILE = "models/hebei_county_st_evaluation.yaml"
GRADES_FILE = "evaluation/grades.csv"
TIDY_COLUMNS = ("county", "year", "indicator", "value", "status")
GRADES_COLUMNS = ("county", "evaluation_year", "data_year", "grade", "data_year_inferred", "grade_inferred")
#: Columns of the plan tables (what_it_takes.csv, what_it_takes_robust.csv adds ``goal, target_grade``).
PLAN_TABLE_COLUMNS = ["indicator", "name", "pillar", "unit", "current", "needed", "increase_abs", "increase_pct",
                      "points_gained", "lead_unit", "rounded_up", "rounded_down", "lever", "lever_name",
                      "lever_increase_pct", "name_shown", "responsible_units", "needed_in_data_year"]
#: Catalogue dimension whose needed values are whole numbers (家, 个, 件 …).
COUNT_DIMENSION = "count"
GOALS = ("next_grade", "keep_grade")
#: Files the notebook writes, by role (tables under ``tables/``, figures under ``figures/``).
TABLE_FILES = {"benchmark": "benchmark.csv", "prefecture": "benchmark_prefecture.csv", "plan": "what_it_takes.csv",
               "robust": "what_it_takes_robust.csv", "grades": "modelled_grades.csv"}
FIGURE_FILES = {"scores": "benchmark_scores.png", "ranks": "benchmark_ranks.png", "pillars": "benchmark_pillars.png"}


# ---------------------------------------------------------------------------------------------------
# Model and wide table


def load_benchmark_model(model=None, folder=None) -> dict:
    """The scoring model: the file ``model``, else the data folder's (or the bundled) Hebei model.

    Parameters
    ----------
    model : path-like, optional
        A model YAML file (see :func:`lingshou.evaluation.model.load_model`).
    folder : lingshou.config.DataFolder, optional
        Where to look for ``raw/models/hebei_county_st_evaluation.yaml`` (the bundled file when the
        folder has none, or when no folder is given).

    Raises
    ------
    ParameterError
        See :func:`lingshou.evaluation.model.load_model`.
    """
    if model is not None:
        return load_model(Path(model))
    path = folder.reference(MODEL_FILE) if folder is not None else DEFAULT_DATA_DIR / "raw" / MODEL_FILE
    return load_model(path)


def model_codes(model: dict) -> list[str]:
    """The model's quantitative indicator codes, then its qualitative indicator (``innovation_management``)."""
    return list(model["indicators"]) + [model["qualitative"]["indicator"]]


def _check_tidy(data: pd.DataFrame) -> None:
    absent = [c for c in TIDY_COLUMNS if c not in getattr(data, "columns", ())]
    if absent:
        raise DataError(bi(f"整洁数据表缺少列 {absent}", f"the tidy data lacks column(s) {absent}"))


def _used_rows(data: pd.DataFrame, year: int, model: dict) -> pd.DataFrame:
    """Observed rows of the model's indicators in ``year``; duplicates refused."""
    _check_tidy(data)
    rows = data[(data["year"] == year) & data["indicator"].isin(model_codes(model)) & data["value"].notna()]
    twice = rows[rows.duplicated(["county", "indicator"], keep=False)]
    if not twice.empty:
        cells = sorted(set(zip(twice["county"], twice["indicator"])))
        raise DataError(bi(f"{year} 年有重复数值（县, 指标）：{cells}", f"duplicated values in {year} (county, indicator): {cells}"))
    return rows


#: Fewer peers with a value than this, or an indicator no peer has: the year cannot be benchmarked.
MIN_PEERS = 3


def check_scorable(wide: pd.DataFrame, county: str, year: int, model: dict, catalogue=None) -> None:
    """Say, before anything is scored, why ``year`` cannot be benchmarked for ``county``, if it cannot.

    A year is scorable when the county is among the peers, at least :data:`MIN_PEERS` counties have values,
    and every quantitative indicator has a value in at least one county (else there is no peer median to
    impute it with).  Typical of a collection year: the county's own returns are in, the other counties'
    statistics are not yet.

    Raises
    ------
    NotEnoughData
        Naming the county, the year, the counties with values and the indicators nobody has (by their
        names in the ``catalogue``, when given), and what to do.
    """
    codes = list(model["indicators"])
    empty = [c for c in codes if c in wide.columns and wide[c].isna().all()]

    def named(lang: str) -> str:
        return ("、" if lang == "zh" else ", ").join(catalogue.name(c, lang) if catalogue is not None else c for c in empty)

    problems_zh, problems_en = [], []
    if county not in wide.index:
        problems_zh.append(f"{county}没有评价指标的数值")
        problems_en.append(f"{county} has no value of the model's indicators")
    if len(wide) < MIN_PEERS:
        problems_zh.append(f"只有 {len(wide)} 个县（市、区）有数值（至少需要 {MIN_PEERS} 个）")
        problems_en.append(f"only {len(wide)} {'county has' if len(wide) == 1 else 'counties have'} values (at least "
                           f"{MIN_PEERS} are needed)")
    if empty:
        problems_zh.append(f"{len(empty)} 项指标没有任何县的数值：{named('zh')}")
        problems_en.append(f"{len(empty)} indicators have no value in any county: {named('en')}")
    if problems_zh:
        raise NotEnoughData(bi(f"{year} 年的数据不足以做同组比较：" + "；".join(problems_zh)
                               + "。待各县数据齐全后再比较，或选一个数据齐全的年份",
                               f"the {year} data are not enough for peer benchmarking: " + "; ".join(problems_en)
                               + ". Compare once the counties' data are in, or choose a year with complete data"))


def peer_counties(data: pd.DataFrame, year: int, model: dict) -> list[str]:
    """Counties with at least one value of the model's quantitative indicators in ``year``, sorted."""
    rows = _used_rows(data, year, model)
    return sorted(set(rows.loc[rows["indicator"].isin(list(model["indicators"])), "county"]))


def derived_values(data: pd.DataFrame, catalogue) -> pd.DataFrame:
    """The tidy values the benchmarking scores: ratios from their operands where both exist (the derivation of
    the gap analysis, :func:`lingshou.data.derive.with_derived`), else as reported.

    A folder holding only operands (what the departments' return forms ask for) is then scored exactly as one
    holding the reported ratios too; without it those ratios would be imputed as peer medians.
    """
    from lingshou.data.derive import with_derived

    return with_derived(data, catalogue)[["county", "year", "indicator", "value", "status"]]


def wide_table(data: pd.DataFrame, year: int, model: dict) -> pd.DataFrame:
    """Counties × model indicators of one data year, from the tidy table.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy statistics (columns ``county, year, indicator, value, status``; values in the catalogue's
        canonical units; NaN = missing) — :func:`derived_values` of them, so that ratios come from their
        operands as in every other analysis.
    year : int
        Data year.
    model : dict
        Scoring model (gives the indicator codes).

    Returns
    -------
    pandas.DataFrame
        Index ``county`` (the peers, see :func:`peer_counties`), columns :func:`model_codes` in model order
        (float; NaN where a county has no value — scored by imputation, or the qualitative default).

    Raises
    ------
    DataError
        Missing tidy columns, a (county, indicator) given twice, or no county with a value that year.
    """
    counties = peer_counties(data, year, model)
    if not counties:
        raise NotEnoughData(bi(f"{year} 年没有任何县有评价指标的数值", f"no county has a value of the model's indicators in {year}"))
    rows = _used_rows(data, year, model)
    wide = rows.pivot(index="county", columns="indicator", values="value")
    wide = wide.reindex(index=pd.Index(counties, name="county"), columns=model_codes(model)).astype(float)
    wide.columns.name = None
    return wide


def data_status(data: pd.DataFrame, year: int, model: dict) -> pd.Series:
    """Per peer county, the weakest status among the values it is scored on in ``year``.

    Order from weakest: illustrative, provisional, derived, published (so a county with one illustrative
    value is ``illustrative``).

    Returns
    -------
    pandas.Series
        Index = :func:`peer_counties`; values status strings.

    Raises
    ------
    DataError
        A status outside the suite's vocabulary.
    """
    rows = _used_rows(data, year, model)
    unknown = sorted(set(rows["status"].dropna()) - set(STATUS_RANK))
    if unknown or rows["status"].isna().any():
        raise DataError(bi(f"未知数据状态 {unknown or ['<缺失>']}（可用 {list(STATUS_RANK)}）",
                           f"unknown status(es) {unknown or ['<missing>']} (known: {list(STATUS_RANK)})"))
    weakest = rows.assign(rank=rows["status"].map(STATUS_RANK)).groupby("county")["rank"].min()
    names = {rank: status for status, rank in STATUS_RANK.items()}
    counties = peer_counties(data, year, model)
    return pd.Series([names[int(weakest[c])] for c in counties], index=pd.Index(counties, name="county"),
                     name="data_status", dtype="str")


def value_status(data: pd.DataFrame, county: str, year: int, model: dict) -> dict:
    """The status of each of the county's values the model scores in ``year`` (code → status), ``missing``
    for an indicator without a value (scored by imputation): the ``data_status`` column of the plan tables,
    so a file such as ``what_it_takes.csv`` read alone still says which of its current values are illustrative.
    """
    rows = _used_rows(data, year, model)
    mine = rows[rows["county"] == county].set_index("indicator")["status"]
    return {code: str(mine[code]) if code in mine.index else "missing" for code in model_codes(model)}


def qualitative_input(county: str, points) -> dict | None:
    """The analyst's qualitative (创新管理) points as the ``qualitative`` argument of the scoring functions.

    ``None`` (no points given) → ``None``: the data's ``innovation_management`` value, else the model default.

    Raises
    ------
    ParameterError
        If ``points`` is not a finite non-negative number.
    """
    if points is None:
        return None
    if isinstance(points, bool) or not isinstance(points, Real) or not math.isfinite(points) or points < 0:
        raise ParameterError(bi(f"定性得分应为非负数，实为 {points!r}", f"qualitative points must be a non-negative number, got {points!r}"))
    return {county: float(points)}


# ---------------------------------------------------------------------------------------------------
# Published grades


def _flags(column: pd.Series, name: str) -> pd.Series:
    text = column.fillna("").astype(str).str.strip().str.lower()
    values = {"true": True, "false": False, "": False}
    bad = sorted(set(text) - set(values))
    if bad:
        raise DataError(bi(f"已公布等级表的列 {name} 应为 True/False，实为 {bad}",
                           f"column {name} of the published grades must be True/False, got {bad}"))
    return text.map(values).astype(bool)


def clean_published(raw: pd.DataFrame, catalogue=None) -> pd.DataFrame:
    """The published grades with canonical county names, integer rounds and boolean flags.

    Parameters
    ----------
    raw : pandas.DataFrame
        The rows of ``grades.csv`` as strings (columns :data:`GRADES_COLUMNS`, optional ``source_url``,
        ``note``).
    catalogue : lingshou.data.catalogue.Catalogue, optional
        Its ``county_name`` turns a name variant (鹿泉市, 灵寿) into the canonical one (石家庄市鹿泉区, 灵寿县);
        names it does not know (counties outside the data folder) are kept as written.

    Returns
    -------
    pandas.DataFrame
        ``county, county_published, evaluation_round`` (Int64; <NA> for a row that is not a numbered round,
        e.g. the baseline), ``data_year`` (Int64), ``grade, data_year_inferred, grade_inferred,
        source_url, note``.

    Raises
    ------
    DataError
        Missing columns or a flag that is not True/False.
    """
    absent = [c for c in GRADES_COLUMNS if c not in raw.columns]
    if absent:
        raise DataError(bi(f"已公布等级表缺少列 {absent}", f"the published grades lack column(s) {absent}"))
    written = raw["county"].fillna("").astype(str).str.strip()
    canonical = [catalogue.county_name(n) if catalogue is not None else None for n in written]
    out = pd.DataFrame({
        "county": pd.Series([c if c is not None else n for c, n in zip(canonical, written)], dtype="str"),
        "county_published": pd.Series(written.to_numpy(), dtype="str"),
        "evaluation_round": pd.to_numeric(raw["evaluation_year"], errors="coerce").astype("Int64"),
        "data_year": pd.to_numeric(raw["data_year"], errors="coerce").astype("Int64"),
        "grade": pd.Series(raw["grade"].fillna("").astype(str).str.strip().to_numpy(), dtype="str"),
        "data_year_inferred": _flags(raw["data_year_inferred"], "data_year_inferred").to_numpy(),
        "grade_inferred": _flags(raw["grade_inferred"], "grade_inferred").to_numpy(),
    })
    for column in ("source_url", "note"):
        out[column] = pd.Series(raw[column].fillna("").astype(str).to_numpy() if column in raw.columns else "",
                                index=out.index, dtype="str")
    return out


def load_published_grades(path, catalogue=None) -> pd.DataFrame:
    """Read ``grades.csv`` (see :func:`clean_published`).

    Parameters
    ----------
    path : path-like
        E.g. ``ctx.folder.reference("evaluation/grades.csv")``.
    catalogue : lingshou.data.catalogue.Catalogue, optional

    Raises
    ------
    DataError
        Missing file or columns, bad flags.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(bi(f"已公布等级表不存在：{path}", f"the published grades file does not exist: {path}"))
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return clean_published(raw, catalogue)


def published_for_round(published: pd.DataFrame, round_year: int, counties=None) -> pd.DataFrame:
    """The published grades of one evaluation round, optionally only for ``counties`` (the peers).

    Returns
    -------
    pandas.DataFrame
        ``county, grade, grade_inferred, data_year_inferred, note``, in the file's order; empty when the
        round has none.
    """
    rows = published[published["evaluation_round"] == int(round_year)]
    if counties is not None:
        rows = rows[rows["county"].isin(list(counties))]
    return rows[["county", "grade", "grade_inferred", "data_year_inferred", "note"]].reset_index(drop=True)
