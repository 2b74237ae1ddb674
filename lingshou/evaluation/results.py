"""From the tidy statistics to the peer-benchmarking tables, and the published grades.

The scoring engine (:mod:`lingshou.evaluation.model`), the peer position and plans
(:mod:`lingshou.evaluation.peers`) and the Monte Carlo (:mod:`lingshou.evaluation.uncertainty`) work on a *wide*
table: one row per county, one column per model indicator, one data year.  This module builds that
table from the tidy data every notebook reads, reads the published grades of
``data/raw/evaluation/grades.csv`` under canonical county names, and assembles what the notebook
writes: ``benchmark.csv``, ``what_it_takes.csv``, ``what_it_takes_robust.csv`` and
``modelled_grades.csv``, plus :func:`benchmark_results`, the JSON-safe dictionary that
:mod:`lingshou.evaluation.text` reads.

Peers are every county of the data with at least one value of the model's *quantitative* indicators in
the data year (a county with, say, only its population would be scored from imputation alone).
"""
from __future__ import annotations

import math
from numbers import Real
from pathlib import Path

import numpy as np
import pandas as pd

from lingshou.config import DEFAULT_DATA_DIR, STATUS_RANK
from lingshou.errors import DataError, ParameterError
from lingshou.evaluation.model import (
    SCORE_DECIMALS,
    check_model,
    evaluation_round,
    load_model,
    qualitative_pillar,
    score_counties,
)
from lingshou.evaluation.peers import PLAN_COLUMNS, PeerPosition, apply_plan, compare_published
from lingshou.i18n import bi, check_lang

#: Reference tables, relative to a data folder's ``raw/`` (a user folder falls back to the bundled ones).
MODEL_FILE = "models/hebei_county_st_evaluation.yaml"
GRADES_FILE = "evaluation/grades.csv"
TIDY_COLUMNS = ("county", "year", "indicator", "value", "status")
GRADES_COLUMNS = ("county", "evaluation_year", "data_year", "grade", "data_year_inferred", "grade_inferred")
#: Columns of the plan tables (what_it_takes.csv, what_it_takes_robust.csv adds ``goal, target_grade``).
PLAN_TABLE_COLUMNS = ["indicator", "name", "pillar", "unit", "current", "needed", "increase_abs", "increase_pct",
                      "points_gained", "lead_unit", "rounded_up", "rounded_down"]
#: Catalogue dimension whose needed values are whole numbers (家, 个, 件 …).
COUNT_DIMENSION = "count"
GOALS = ("next_grade", "keep_grade")
#: Files the notebook writes, by role (tables under ``tables/``, figures under ``figures/``).
TABLE_FILES = {"benchmark": "benchmark.csv", "plan": "what_it_takes.csv", "robust": "what_it_takes_robust.csv",
               "grades": "modelled_grades.csv"}
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


def peer_counties(data: pd.DataFrame, year: int, model: dict) -> list[str]:
    """Counties with at least one value of the model's quantitative indicators in ``year``, sorted."""
    rows = _used_rows(data, year, model)
    return sorted(set(rows.loc[rows["indicator"].isin(list(model["indicators"])), "county"]))


def wide_table(data: pd.DataFrame, year: int, model: dict) -> pd.DataFrame:
    """Counties × model indicators of one data year, from the tidy table.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy statistics (columns ``county, year, indicator, value, status``; values in the catalogue's
        canonical units; NaN = missing).
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
        raise DataError(bi(f"{year} 年没有任何县有评价指标的数值", f"no county has a value of the model's indicators in {year}"))
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


# ---------------------------------------------------------------------------------------------------
# Tables


def benchmark_table(scores: pd.DataFrame, uncertainty: pd.DataFrame, status: pd.Series, model: dict,
                    published: pd.DataFrame | None = None) -> pd.DataFrame:
    """The peers' table: deterministic scores, Monte Carlo ranks and grade probabilities, published grades.

    Parameters
    ----------
    scores : pandas.DataFrame
        :func:`lingshou.evaluation.model.score_counties` of the peers (pillar points, imputation).
    uncertainty : pandas.DataFrame
        :func:`lingshou.evaluation.uncertainty.analyse_uncertainty` of the same peers.
    status : pandas.Series
        :func:`data_status` of the same peers.
    model : dict
    published : pandas.DataFrame, optional
        :func:`published_for_round` (columns ``county, grade, grade_inferred``).

    Returns
    -------
    pandas.DataFrame
        One row per county, sorted by rank (then name): ``county, score, rank, grade, p_grade_<G>`` for
        every model grade, ``rank_p05, rank_median, rank_p95, score_p05, score_median, score_p95,
        p_nominal_grade``, one column per pillar (points, named as in the model), ``var_share_weights,
        var_share_rule, var_share_qualitative, var_share_imputation, qualitative_assumed, n_imputed,
        imputed, data_status, grade_published`` (<NA> where none), ``grade_published_inferred``
        (nullable bool), ``agrees`` (nullable bool: modelled grade = published grade).  ``attrs``: those
        of ``uncertainty`` (``n_sims, rules, imputation``).

    Raises
    ------
    DataError
        If the three inputs do not hold the same counties.
    """
    model = check_model(model)
    counties = list(scores.index)
    for name, other in (("uncertainty", uncertainty.index), ("status", status.index)):
        if sorted(map(str, other)) != sorted(map(str, counties)):
            raise DataError(bi(f"{name} 的县与得分表的县不一致", f"the counties of {name} differ from those of the scores"))
    grades = [g["grade"] for g in model["grades"]]
    unc = uncertainty.reindex(counties)
    out = pd.DataFrame({"county": pd.Series(counties, dtype="str")})
    columns = ["score", "rank", "grade"] + [f"p_grade_{g}" for g in grades] + [
        "rank_p05", "rank_median", "rank_p95", "score_p05", "score_median", "score_p95", "p_nominal_grade"]
    for column in columns:
        source = scores if column in ("score", "rank", "grade") else unc
        out[column] = source[column].to_numpy()
    for pillar in model["pillars"]:
        out[pillar] = scores[pillar].to_numpy(dtype=float)
    for column in ("var_share_weights", "var_share_rule", "var_share_qualitative", "var_share_imputation"):
        out[column] = unc[column].to_numpy(dtype=float)
    out["qualitative_assumed"] = scores["qualitative_assumed"].to_numpy(dtype=bool)
    out["n_imputed"] = scores["n_imputed"].to_numpy(dtype=int)
    out["imputed"] = pd.Series(scores["imputed"].to_numpy(), dtype="str")
    out["data_status"] = pd.Series(status.reindex(counties).to_numpy(), dtype="str")
    out["grade_published"] = pd.Series(pd.NA, index=out.index, dtype="str")
    out["grade_published_inferred"] = pd.array([pd.NA] * len(out), dtype="boolean")
    out["agrees"] = pd.array([pd.NA] * len(out), dtype="boolean")
    if published is not None and not published.empty:
        compared = compare_published(scores, published[["county", "grade"]], model).set_index("county")
        inferred = published.set_index("county")["grade_inferred"]
        known = out["county"].isin(compared.index)
        where = out.loc[known, "county"]
        out.loc[known, "grade_published"] = compared.loc[where, "grade_published"].to_numpy()
        out.loc[known, "grade_published_inferred"] = inferred.loc[where].to_numpy(dtype=bool)
        out.loc[known, "agrees"] = compared.loc[where, "agrees"].to_numpy()
    out = out.sort_values(["rank", "county"], kind="stable").reset_index(drop=True)
    out.attrs = dict(uncertainty.attrs)
    return out


def key_columns(table: pd.DataFrame) -> list[str]:
    """The columns of :func:`benchmark_table` worth printing: score, rank, grade, probabilities, rank interval,
    published grade and agreement (whatever grades the model has)."""
    grades = [c for c in table.columns if c.startswith("p_grade_")]
    return ["county", "score", "rank", "grade", *grades, "rank_p05", "rank_median", "rank_p95", "grade_published",
            "agrees"]


def _indicator_info(indicators: pd.DataFrame, codes) -> pd.DataFrame:
    needed = ("name_zh", "name_en", "dimension", "lead_unit")
    absent = [c for c in needed if c not in indicators.columns]
    if absent:
        raise DataError(bi(f"指标目录缺少列 {absent}", f"the catalogue lacks column(s) {absent}"))
    unknown = [c for c in codes if c not in indicators.index]
    if unknown:
        raise DataError(bi(f"指标目录中没有指标 {unknown}", f"the catalogue has no indicator {unknown}"))
    # English lead units when the catalogue gives them (load_catalogue does, from departments.csv)
    english = ["lead_unit_en"] if "lead_unit_en" in indicators.columns else []
    info = indicators.loc[list(codes), list(needed) + english]
    return info if english else info.assign(lead_unit_en=info["lead_unit"])


def plan_table(plan: pd.DataFrame, wide: pd.DataFrame, model: dict, indicators: pd.DataFrame, lang: str = "zh",
               qualitative=None, impute: str = "peer_median", max_increase: float = 1.0) -> pd.DataFrame:
    """A plan of :func:`~lingshou.evaluation.peers.what_it_takes` (or ``what_it_takes_robust``) as a table.

    Counts (catalogue dimension ``count``: 家, 个, 件 …) cannot be raised by a fraction: their needed value
    is rounded UP to a whole number (``rounded_up``).  Where that would break the plan's largest increase
    (``current × (1 + max_increase)``) it is rounded DOWN instead (``rounded_down``), and a count that
    cannot gain one whole unit within that limit is dropped from the plan (``attrs['dropped']``).  The
    increase and points are then recomputed: ``points_gained`` is the county's points on that indicator
    after minus before, from re-scoring the plan with :func:`~lingshou.evaluation.model.score_counties` under the
    plan's rule (a count rounded up gains a little more than the plan asked for, one rounded down less).

    Parameters
    ----------
    plan : pandas.DataFrame
        With the plan's ``attrs`` (``county``, ``rule``).
    wide : pandas.DataFrame
        The data the plan was made on.
    model : dict
    indicators : pandas.DataFrame
        The catalogue's indicators (index ``code``; columns ``name_zh, name_en, dimension, lead_unit``).
    lang : {'zh', 'en'}
        Language of the ``name`` and ``lead_unit`` columns (English lead units from the catalogue's
        ``lead_unit_en``, when it has that column).
    qualitative, impute
        As given to the plan.
    max_increase : float
        The plan's largest relative increase per indicator (fraction: 1.0 = +100 %).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PLAN_TABLE_COLUMNS` (values in the indicator's unit, ``increase_pct`` in %,
        ``points_gained`` in points).  ``attrs``: the plan's, with ``score_after`` replaced by the score of
        the rounded plan (``score_after_unrounded`` keeps the plan's), ``n_rounded`` (rounded up),
        ``n_rounded_down`` and ``dropped`` (codes).

    Raises
    ------
    DataError
        A catalogue lacking a column or an indicator of the plan.
    """
    check_lang(lang)
    attrs = dict(plan.attrs)
    info = _indicator_info(indicators, plan["indicator"])
    table = pd.DataFrame({column: plan[column].to_numpy() for column in PLAN_COLUMNS}, columns=PLAN_COLUMNS)
    unrounded = table["needed"].to_numpy(dtype=float)
    current = table["current"].to_numpy(dtype=float)
    counts = (info["dimension"] == COUNT_DIMENSION).to_numpy()
    # 9 decimals first, so a need of 7.0000000001 (float noise) stays 7
    exact = np.round(unrounded, SCORE_DECIMALS)
    up, down = np.ceil(exact), np.floor(exact)
    fits = up <= np.round(current * (1.0 + float(max_increase)), SCORE_DECIMALS)
    needed = np.where(counts, np.where(fits, up, down), unrounded)
    keep = ~counts | (needed > current)
    table["needed"] = needed
    table["increase_abs"] = needed - current
    table["increase_pct"] = 100.0 * (needed - current) / current
    table["rounded_up"] = needed > unrounded
    table["rounded_down"] = needed < unrounded
    table["name"] = pd.Series(info["name_zh" if lang == "zh" else "name_en"].to_numpy(), dtype="str")
    table["lead_unit"] = pd.Series(info["lead_unit" if lang == "zh" else "lead_unit_en"].fillna("").astype(str).to_numpy(),
                                   dtype="str")
    attrs["dropped"] = table.loc[~keep, "indicator"].tolist()
    table = table[keep].reset_index(drop=True)
    if not table.empty:
        county, rule = attrs["county"], attrs["rule"]
        before = score_counties(wide, model, rule=rule, qualitative=qualitative, impute=impute).loc[county]
        after = score_counties(apply_plan(wide, county, table), model, rule=rule, qualitative=qualitative,
                               impute=impute).loc[county]
        table["points_gained"] = [float(after[f"points_{c}"] - before[f"points_{c}"]) for c in table["indicator"]]
        attrs["score_after_unrounded"] = attrs.get("score_after")
        attrs["score_after"] = float(after["score"])
    attrs["n_rounded"] = int(table["rounded_up"].sum())
    attrs["n_rounded_down"] = int(table["rounded_down"].sum())
    table = table[PLAN_TABLE_COLUMNS]
    table.attrs = attrs
    return table


def robust_goals(table: pd.DataFrame, county: str, model: dict, probability: float = 0.8) -> dict:
    """Which robust plans to make: goal → target grade.

    ``next_grade``: the grade above the county's (at the top grade: the top grade itself, i.e. keep it).
    ``keep_grade`` (also): when the county is neither at the top nor at the bottom and the probability of
    keeping its grade or better is below ``probability``.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`benchmark_table` (columns ``county, grade, p_grade_<G>``).

    Raises
    ------
    ParameterError
        If ``county`` is not in the table.
    """
    model = check_model(model)
    row = table[table["county"] == county]
    if row.empty:
        raise ParameterError(bi(f"县 {county!r} 不在基准表中", f"county {county!r} is not in the benchmark table"))
    names = [g["grade"] for g in model["grades"]]
    index = names.index(str(row["grade"].iloc[0]))
    goals = {"next_grade": names[max(index - 1, 0)]}
    if 0 < index < len(names) - 1:
        p_keep = float(sum(row[f"p_grade_{g}"].iloc[0] for g in names[: index + 1]))
        if p_keep < probability:
            goals["keep_grade"] = names[index]
    return goals


def robust_plan_table(plans: dict, wide: pd.DataFrame, model: dict, indicators: pd.DataFrame, lang: str = "zh",
                      qualitative=None, impute: str = "peer_median", max_increase: float = 1.0) -> pd.DataFrame:
    """The robust plans (goal → :func:`~lingshou.evaluation.uncertainty.what_it_takes_robust`) in one table (each
    through :func:`plan_table`).

    Returns
    -------
    pandas.DataFrame
        ``goal, target_grade`` then :data:`PLAN_TABLE_COLUMNS`, one block per goal in the order given.
        ``attrs['goals']``: goal → the plan table's attrs (see :func:`plan_table`).

    Raises
    ------
    ParameterError
        An unknown goal.
    """
    unknown = [g for g in plans if g not in GOALS]
    if unknown or not plans:
        raise ParameterError(bi(f"目标 {list(plans)} 须为 {list(GOALS)} 中的非空选择",
                                f"goals {list(plans)} must be a non-empty choice from {list(GOALS)}"))
    parts, attrs = [], {}
    for goal, plan in plans.items():
        part = plan_table(plan, wide, model, indicators, lang, qualitative, impute, max_increase)
        attrs[goal] = part.attrs
        part = part.assign(goal=goal, target_grade=plan.attrs["target_grade"])
        parts.append(part[["goal", "target_grade"] + PLAN_TABLE_COLUMNS])
    nonempty = [part for part in parts if not part.empty]
    out = pd.concat(nonempty, ignore_index=True) if nonempty else parts[0]
    out.attrs = {"goals": attrs}
    return out


def modelled_grades_table(data: pd.DataFrame, model: dict, county: str, year: int, uncertainty: pd.DataFrame,
                          impute: str = "peer_median") -> pd.DataFrame:
    """The county's modelled grade per data year, for the gap analysis's grade goal.

    The data year ``year`` comes from ``uncertainty`` (with grade probabilities); every earlier year in
    which the county has data is scored deterministically (default rule, the data's qualitative points or
    the default; probabilities <NA>) against the counties with data in that year.  An earlier year that
    cannot be scored (e.g. an indicator without any value that year) is left out and named in
    ``attrs['skipped']`` (year → reason).

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy statistics.
    model : dict
    county : str
    year : int
        The analysed data year.
    uncertainty : pandas.DataFrame
        :func:`lingshou.evaluation.uncertainty.analyse_uncertainty` for ``year``.
    impute : str
        Imputation of the earlier years' scores.

    Returns
    -------
    pandas.DataFrame
        ``county, data_year, evaluation_round, score, grade, p_grade_<G>…, rank, n, data_status``, one row
        per year, oldest first.

    Raises
    ------
    ParameterError
        If ``county`` is not in ``uncertainty``.
    """
    model = check_model(model)
    if county not in uncertainty.index:
        raise ParameterError(bi(f"县 {county!r} 不在不确定性分析结果中", f"county {county!r} is not in the uncertainty results"))
    grades = [g["grade"] for g in model["grades"]]
    _check_tidy(data)
    mine = data[(data["county"] == county) & data["indicator"].isin(list(model["indicators"])) & data["value"].notna()]
    years = sorted(int(y) for y in mine["year"].unique() if int(y) < int(year))
    rows, skipped = [], {}
    for y in years:
        try:
            scores = score_counties(wide_table(data, y, model), model, rule=None, impute=impute)
            state = data_status(data, y, model)[county]
        except DataError as exc:
            skipped[y] = str(exc)
            continue
        rows.append({"county": county, "data_year": y, "evaluation_round": evaluation_round(y, model),
                     "score": float(scores.loc[county, "score"]), "grade": str(scores.loc[county, "grade"]),
                     **{f"p_grade_{g}": np.nan for g in grades}, "rank": int(scores.loc[county, "rank"]),
                     "n": len(scores), "data_status": state})
    this = uncertainty.loc[county]
    rows.append({"county": county, "data_year": int(year), "evaluation_round": evaluation_round(year, model),
                 "score": float(this["score"]), "grade": str(this["grade"]),
                 **{f"p_grade_{g}": float(this[f"p_grade_{g}"]) for g in grades}, "rank": int(this["rank"]),
                 "n": len(uncertainty), "data_status": str(data_status(data, int(year), model)[county])})
    out = pd.DataFrame(rows)
    for column in ("county", "grade", "data_status"):
        out[column] = out[column].astype("str")
    out.attrs = {"skipped": skipped}
    return out


def rule_comparison(wide: pd.DataFrame, model: dict, county: str, published: pd.DataFrame | None = None, rules=None,
                    qualitative=None, impute: str = "peer_median") -> pd.DataFrame:
    """The county's score and grade under each scoring rule, and each rule's agreement with published grades.

    The Monte Carlo draws the rule at random; when the rule dominates the variance, this table says what
    each rule gives.  Where published grades exist for the round, the number of peers whose modelled grade
    matches the published one under each rule shows which rules the record supports.

    Parameters
    ----------
    wide, model, qualitative, impute
        As for :func:`lingshou.evaluation.model.score_counties`.
    county : str
    published : pandas.DataFrame, optional
        :func:`published_for_round` (columns ``county, grade``).
    rules : list of str, optional
        Default: the model's ``uncertainty.rules``.

    Returns
    -------
    pandas.DataFrame
        Index ``rule`` (default rule first, then the others in model order); columns ``score, grade, rank``
        (the county's), ``n_published`` (peers with a published grade) and ``n_agree`` (of those, how many
        the rule grades as published; both 0 without published grades).

    Raises
    ------
    ParameterError
        If ``county`` is not in ``wide``.
    """
    model = check_model(model)
    if county not in wide.index:
        raise ParameterError(bi(f"县 {county!r} 不在数据中", f"county {county!r} is not in the data"))
    default = model["scoring"]["rule"]
    chosen = list(model["uncertainty"]["rules"] if rules is None else rules)
    ordered = [default] + [r for r in chosen if r != default]
    known = published[published["county"].isin(wide.index)] if published is not None else None
    rows = []
    for rule in ordered:
        scores = score_counties(wide, model, rule=rule, qualitative=qualitative, impute=impute)
        n_published = 0 if known is None else len(known)
        n_agree = 0 if known is None else int((scores.loc[known["county"], "grade"].to_numpy() == known["grade"].to_numpy()).sum())
        rows.append({"rule": rule, "score": float(scores.loc[county, "score"]), "grade": str(scores.loc[county, "grade"]),
                     "rank": int(scores.loc[county, "rank"]), "n_published": n_published, "n_agree": n_agree})
    return pd.DataFrame(rows).set_index("rule")


# ---------------------------------------------------------------------------------------------------
# Results for the prose


def model_assumptions(model: dict) -> dict:
    """What the model assumes (its elements labelled ``assumption: true``), JSON-safe, for the notes.

    Returns
    -------
    dict
        ``model_id, title_zh, title_en``; ``rule`` (default rule), ``rule_assumed``; ``alternatives``
        (rules of the uncertainty analysis); ``pillars_assumed`` (pillar names whose points are assumed) and
        ``pillars_assumed_en`` (their English names);
        ``n_indicators``, ``indicators_published`` (codes named in a published source),
        ``indicators_assumed`` (codes whose points/benchmark are assumed); ``qualitative_points,
        qualitative_default, qualitative_range, qualitative_assumed``; ``weight_noise``, ``imputation``;
        ``grades`` (name, min) and ``data_lag_years`` (published in the Hebei model).
    """
    model = check_model(model)
    indicators = model["indicators"]
    q = model["qualitative"]
    unc = model["uncertainty"]
    return {
        "model_id": model["id"], "title_zh": model["title_zh"], "title_en": model["title_en"],
        "rule": model["scoring"]["rule"], "rule_assumed": bool(model["scoring"].get("assumption", False)),
        "alternatives": list(unc["rules"]),
        "pillars_assumed": [p for p, e in model["pillars"].items() if e.get("assumption", False)],
        "pillars_assumed_en": [str(e.get("name_en", p)) for p, e in model["pillars"].items() if e.get("assumption", False)],
        "n_indicators": len(indicators),
        "indicators_published": [c for c, e in indicators.items() if e.get("published", False)],
        "indicators_assumed": [c for c, e in indicators.items() if e.get("assumption", False)],
        "qualitative_points": float(q["points"]), "qualitative_default": float(q["default"]),
        "qualitative_range": [float(v) for v in q["range"]], "qualitative_assumed": bool(q.get("assumption", False)),
        "weight_noise": float(unc["weight_noise"]), "imputation": list(unc["imputation"]),
        "grades": [{"grade": g["grade"], "min": float(g["min"])} for g in model["grades"]],
        "data_lag_years": int(model["data_lag_years"]),
    }


def _plan_summary(table: pd.DataFrame, indicators: pd.DataFrame) -> dict:
    attrs = table.attrs
    info = _indicator_info(indicators, table["indicator"]) if not table.empty else None
    rows = []
    for i, row in table.reset_index(drop=True).iterrows():
        rows.append({
            "indicator": row["indicator"], "name_zh": str(info["name_zh"].iloc[i]), "name_en": str(info["name_en"].iloc[i]),
            "unit": str(row["unit"]), "current": float(row["current"]), "needed": float(row["needed"]),
            "increase_abs": float(row["increase_abs"]), "increase_pct": float(row["increase_pct"]),
            "points_gained": float(row["points_gained"]), "rounded_up": bool(row["rounded_up"]),
            "rounded_down": bool(row["rounded_down"]),
            "lead_unit": str(row["lead_unit"]),
        })
    keys = ("target_grade", "target_score", "points_needed", "points_planned", "max_score", "score_after",
            "reachable", "total_increase_pct", "probability_target", "probability", "probability_plan",
            "margin_used", "robust", "n_sims", "n_rounded", "n_rounded_down")
    out = {k: attrs[k] for k in keys if k in attrs}
    excluded = dict(attrs.get("excluded", {}))
    names = _indicator_info(indicators, list(excluded)) if excluded else None
    out["excluded"] = [{"code": c, "name_zh": str(names.loc[c, "name_zh"]), "name_en": str(names.loc[c, "name_en"]),
                        "reason": str(why)} for c, why in excluded.items()]
    dropped = list(attrs.get("dropped", []))
    names = _indicator_info(indicators, dropped) if dropped else None
    out["dropped"] = [{"code": c, "name_zh": str(names.loc[c, "name_zh"]), "name_en": str(names.loc[c, "name_en"])}
                      for c in dropped]
    out["rows"] = rows
    return out


def benchmark_results(table: pd.DataFrame, position: PeerPosition, model: dict, data_year: int,
                      indicators: pd.DataFrame, plan: pd.DataFrame, robust: pd.DataFrame,
                      published: pd.DataFrame | None = None, by_rule: pd.DataFrame | None = None) -> dict:
    """Everything the prose reads, as one JSON-safe dictionary (also the summary's ``numbers``).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`benchmark_table`.
    position : lingshou.evaluation.peers.PeerPosition
        Of the county among the same peers.
    model : dict
    data_year : int
    indicators : pandas.DataFrame
        The catalogue's indicators (names in both languages).
    plan : pandas.DataFrame
        :func:`plan_table` of the deterministic plan.
    robust : pandas.DataFrame
        :func:`robust_plan_table`.
    published : pandas.DataFrame, optional
        :func:`published_for_round` for the round (peers only).
    by_rule : pandas.DataFrame, optional
        :func:`rule_comparison`.

    Returns
    -------
    dict
        Keys: ``county, data_year, evaluation_round, n, score, rank, grade, percentile, next_grade,
        next_min, grade_min, to_next_grade, margin, p_grade`` (grade → probability), ``p_nominal_grade,
        p_keep_grade`` (the grade or better), ``rank_p05, rank_median, rank_p95, score_p05, score_median,
        score_p95, var_shares`` (input → share), ``n_sims, rules``; ``pillars`` (list in model order:
        ``pillar, name_en, points, max_points, peer_median, difference, difference_pct, rank, label,
        assumed``); ``qualitative_points, qualitative_assumed, imputed`` (list of ``{code, name_zh,
        name_en}``); ``data_status, statuses`` (of all peers); ``plan`` and ``robust`` (goal → plan):
        each ``{target_grade, target_score, points_needed, reachable, score_after, max_score,
        total_increase_pct, [probability…], excluded, rows: [...]}``; ``published`` (None, or ``{round,
        n, n_agree, n_inferred, data_year_inferred, county_grade, county_inferred, disagreements: [{county,
        grade_modelled, grade_published, inferred}]}``); ``by_rule`` (list of ``{rule, score, grade, rank,
        n_published, n_agree}``, empty without ``by_rule``); ``assumptions`` (:func:`model_assumptions`).

    Raises
    ------
    ParameterError
        If the position's county is not in the table.
    """
    model = check_model(model)
    county = position.county
    rows = table[table["county"] == county]
    if rows.empty:
        raise ParameterError(bi(f"县 {county!r} 不在基准表中", f"county {county!r} is not in the benchmark table"))
    row = rows.iloc[0]
    grades = model["grades"]
    names = [g["grade"] for g in grades]
    index = names.index(position.grade)
    q_pillar = qualitative_pillar(model)
    pillars = position.pillars.set_index("pillar")
    imputed = [c for c in str(row["imputed"]).split(", ") if c]
    info = _indicator_info(indicators, imputed) if imputed else None
    result = {
        "county": county, "data_year": int(data_year), "evaluation_round": evaluation_round(data_year, model),
        "n": int(position.n), "score": float(position.score), "rank": int(position.rank), "grade": position.grade,
        "percentile": float(position.percentile), "next_grade": position.next_grade,
        "next_min": float(grades[index - 1]["min"]) if index > 0 else None,
        "grade_min": float(grades[index]["min"]), "to_next_grade": float(position.to_next_grade),
        "margin": float(position.margin),
        "p_grade": {g: float(row[f"p_grade_{g}"]) for g in names},
        "p_nominal_grade": float(row["p_nominal_grade"]),
        "p_keep_grade": float(sum(row[f"p_grade_{g}"] for g in names[: index + 1])),
        **{k: float(row[k]) for k in ("rank_p05", "rank_median", "rank_p95", "score_p05", "score_median", "score_p95")},
        "var_shares": {k: float(row[f"var_share_{k}"]) for k in ("weights", "rule", "qualitative", "imputation")},
        "n_sims": table.attrs.get("n_sims"), "rules": list(table.attrs.get("rules", [])),
        "pillars": [{"pillar": p, "name_en": str(model["pillars"][p].get("name_en", p)),
                     **{k: float(pillars.loc[p, k]) for k in ("points", "max_points", "peer_median", "difference",
                                                              "difference_pct")},
                     "rank": int(pillars.loc[p, "rank"]), "label": str(pillars.loc[p, "label"]),
                     "assumed": bool(pillars.loc[p, "assumed"])} for p in model["pillars"]],
        "qualitative_points": float(row[q_pillar]), "qualitative_assumed": bool(row["qualitative_assumed"]),
        "imputed": [{"code": c, "name_zh": str(info.loc[c, "name_zh"]), "name_en": str(info.loc[c, "name_en"])}
                    for c in imputed],
        "data_status": str(row["data_status"]), "statuses": sorted(set(table["data_status"].astype(str))),
        "plan": _plan_summary(plan, indicators),
        "robust": {goal: _plan_summary(_goal_table(robust, goal), indicators) for goal in robust.attrs.get("goals", {})},
        "published": None,
        "by_rule": [] if by_rule is None else [
            {"rule": str(rule), "score": float(r["score"]), "grade": str(r["grade"]), "rank": int(r["rank"]),
             "n_published": int(r["n_published"]), "n_agree": int(r["n_agree"])} for rule, r in by_rule.iterrows()],
        "assumptions": model_assumptions(model),
    }
    if published is not None and not published.empty:
        have = table[table["grade_published"].notna()]
        disagree = have[~have["agrees"].astype(bool)]
        mine = have[have["county"] == county]
        result["published"] = {
            "round": result["evaluation_round"], "n": len(have), "n_agree": int(have["agrees"].astype(bool).sum()),
            "n_inferred": int(have["grade_published_inferred"].astype(bool).sum()),
            "data_year_inferred": bool(published["data_year_inferred"].any()),
            "county_grade": None if mine.empty else str(mine["grade_published"].iloc[0]),
            "county_inferred": None if mine.empty else bool(mine["grade_published_inferred"].iloc[0]),
            "disagreements": [{"county": str(r["county"]), "grade_modelled": str(r["grade"]),
                               "grade_published": str(r["grade_published"]),
                               "inferred": bool(r["grade_published_inferred"])} for _, r in disagree.iterrows()],
        }
    return result


def _goal_table(robust: pd.DataFrame, goal: str) -> pd.DataFrame:
    """One goal's rows of :func:`robust_plan_table`, carrying that plan's attrs."""
    table = robust[robust["goal"] == goal].reset_index(drop=True)
    table.attrs = dict(robust.attrs["goals"][goal])
    return table
