"""The tables the benchmarking notebook writes: scores, grades and ranks of all peers with their uncertainty,
what it takes (and its robust version), modelled versus published grades, and the comparison of scoring
rules.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lingshou.errors import DataError, ParameterError
from lingshou.evaluation.benchmarking.inputs import (
    COUNT_DIMENSION,
    GOALS,
    PLAN_TABLE_COLUMNS,
    _check_tidy,
    data_status,
    wide_table,
)
from lingshou.evaluation.model import (
    SCORE_DECIMALS,
    check_model,
    evaluation_round,
    qualitative_pillar,
    score_counties,
)
from lingshou.evaluation.peers import PLAN_COLUMNS, apply_plan, compare_published
from lingshou.evaluation.grade_plan import GradePlan, RobustGradePlans
from lingshou.evaluation.uncertainty import MonteCarlo
from lingshou.i18n import bi, check_lang

# ---------------------------------------------------------------------------------------------------
# Tables


def benchmark_table(scores: pd.DataFrame, uncertainty: MonteCarlo, status: pd.Series, model: dict,
                    published: pd.DataFrame | None = None) -> pd.DataFrame:
    """The peers' table: deterministic scores, Monte Carlo ranks and grade probabilities, published grades.

    Parameters
    ----------
    scores : pandas.DataFrame
        :func:`lingshou.evaluation.model.score_counties` of the peers (pillar points, imputation).
    uncertainty : lingshou.evaluation.uncertainty.MonteCarlo
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
        (nullable bool), ``agrees`` (nullable bool: modelled grade = published grade).

    Raises
    ------
    DataError
        If the three inputs do not hold the same counties.
    """
    model = check_model(model)
    counties = list(scores.index)
    for name, other in (("uncertainty", uncertainty.table.index), ("status", status.index)):
        if sorted(map(str, other)) != sorted(map(str, counties)):
            raise DataError(bi(f"{name} 的县与得分表的县不一致", f"the counties of {name} differ from those of the scores"))
    grades = [g["grade"] for g in model["grades"]]
    unc = uncertainty.table.reindex(counties)
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
    return out.sort_values(["rank", "county"], kind="stable").reset_index(drop=True)


def key_columns(table: pd.DataFrame) -> list[str]:
    """The columns of :func:`benchmark_table` worth printing: score, rank, grade, probabilities, rank interval,
    published grade and agreement (whatever grades the model has)."""
    grades = [c for c in table.columns if c.startswith("p_grade_")]
    lens = ["prefecture_rank"] if "prefecture_rank" in table.columns else []
    return ["county", "score", "rank", *lens, "grade", *grades, "rank_p05", "rank_median", "rank_p95",
            "grade_published", "agrees"]


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


def plan_table(plan: GradePlan, wide: pd.DataFrame, model: dict, indicators: pd.DataFrame, lang: str = "zh",
               qualitative=None, impute: str = "peer_median", max_increase: float = 1.0,
               status: dict | None = None, data_year: int | None = None) -> GradePlan:
    """A plan of :func:`~lingshou.evaluation.peers.what_it_takes` (or ``what_it_takes_robust``) as a table.

    Counts (catalogue dimension ``count``: 家, 个, 件 …) cannot be raised by a fraction: their needed value
    is rounded UP to a whole number (``rounded_up``).  Where that would break the plan's largest increase
    (``current × (1 + max_increase)``) it is rounded DOWN instead (``rounded_down``), and a count that
    cannot gain one whole unit within that limit is dropped from the plan (its ``dropped``).  The
    increase and points are then recomputed: ``points_gained`` is the county's points on that indicator
    after minus before, from re-scoring the plan with :func:`~lingshou.evaluation.model.score_counties` under the
    plan's rule (a count rounded up gains a little more than the plan asked for, one rounded down less).

    Parameters
    ----------
    plan : GradePlan
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
    status : mapping, optional
        Code → status of the county's current value (:func:`value_status`): adds the ``data_status`` column
        (``missing`` for a code not given), so the written table says which current values are illustrative.
    data_year : int, optional
        The data year the plan was made on: ``needed_in_data_year`` is the next one (the values the next
        evaluation round but one reads); empty without.

    A plan on levers (:func:`lingshou.evaluation.levers.lever_groups`) keeps the rows one lever moves in
    proportion through the rounding, and ``total_increase_pct`` sums each lever once.

    Returns
    -------
    GradePlan
        Its ``table``: columns :data:`PLAN_TABLE_COLUMNS` (values in the indicator's unit, ``increase_pct`` in
        %, ``points_gained`` in points), then ``data_status`` with ``status``.  Its fields: the plan's, with
        ``score_after`` the score of the rounded plan (``score_after_unrounded`` keeps the plan's),
        ``total_increase_pct`` of the rounded plan, ``n_rounded`` (rounded up), ``n_rounded_down`` and
        ``dropped`` (codes).

    Raises
    ------
    DataError
        A catalogue lacking a column or an indicator of the plan.
    """
    check_lang(lang)
    rows = plan.table
    info = _indicator_info(indicators, rows["indicator"])
    table = pd.DataFrame({column: rows[column].to_numpy() for column in PLAN_COLUMNS}, columns=PLAN_COLUMNS)
    keep = _round_counts(table, (info["dimension"] == COUNT_DIMENSION).to_numpy(), max_increase)
    keep = _follow_levers(table, rows, keep)
    table["name"] = pd.Series(info["name_zh" if lang == "zh" else "name_en"].to_numpy(), dtype="str")
    table["lead_unit"] = pd.Series(info["lead_unit" if lang == "zh" else "lead_unit_en"].fillna("").astype(str).to_numpy(),
                                   dtype="str")
    dropped = table.loc[~keep, "indicator"].tolist()
    table = table[keep].reset_index(drop=True)
    score_after, unrounded = plan.score_after, None
    if not table.empty:
        score_after, unrounded = _rescore(table, plan, wide, model, qualitative, impute), plan.score_after
    total = float(table.groupby("lever", sort=False)["lever_increase_pct"].first().sum())
    table = _lever_names(table, indicators, lang, data_year)[PLAN_TABLE_COLUMNS]
    if status is not None:
        table = table.assign(data_status=[status.get(c, "missing") for c in table["indicator"]])
    return dataclasses.replace(plan, table=table, dropped=dropped, score_after=score_after,
                               score_after_unrounded=unrounded, n_rounded=int(table["rounded_up"].sum()),
                               n_rounded_down=int(table["rounded_down"].sum()), total_increase_pct=total)


def _rescore(table: pd.DataFrame, plan: GradePlan, wide: pd.DataFrame, model: dict, qualitative, impute) -> float:
    """The rounded plan re-scored: each row's points gained (in place); returns the plan's score after."""
    county, rule = plan.county, plan.rule
    before = score_counties(wide, model, rule=rule, qualitative=qualitative, impute=impute).loc[county]
    after = score_counties(apply_plan(wide, county, table), model, rule=rule, qualitative=qualitative,
                           impute=impute).loc[county]
    column = {model["qualitative"]["indicator"]: qualitative_pillar(model)}   # the qualitative points' column
    table["points_gained"] = [float(after[column.get(c, f"points_{c}")] - before[column.get(c, f"points_{c}")])
                              for c in table["indicator"]]
    return float(after["score"])


def _follow_levers(table: pd.DataFrame, plan: pd.DataFrame, keep: np.ndarray) -> np.ndarray:
    """Rows moved by one lever stay in proportion after rounding: a count lever rounded to whole units (high-tech
    firms 30.4 → 31) moves its ratios by the same factor (firms per 1,000 × 31/30); a lever whose own row is
    dropped drops its rows.  Fills ``lever`` and ``lever_increase_pct`` (a plan without levers: each indicator
    is its own lever).  Returns the rows to keep."""
    if "lever" not in plan.columns:
        table["lever"] = table["indicator"].astype(str)
        table["lever_increase_pct"] = table["increase_pct"]
        return keep
    table["lever"] = plan["lever"].astype(str).to_numpy()
    table["lever_increase_pct"] = plan["lever_increase_pct"].to_numpy(dtype=float)
    keep = keep.copy()
    for lever, rows in table.groupby("lever", sort=False).groups.items():
        own = [i for i in rows if table.at[i, "indicator"] == lever]
        if not own:
            continue
        i = own[0]
        factor = table.at[i, "needed"] / table.at[i, "current"]
        for k in rows:
            if k != i:
                table.at[k, "needed"] = table.at[k, "current"] * factor
                table.at[k, "increase_abs"] = table.at[k, "needed"] - table.at[k, "current"]
                table.at[k, "increase_pct"] = 100.0 * (factor - 1.0)
            table.at[k, "lever_increase_pct"] = 100.0 * (factor - 1.0)
            keep[table.index.get_loc(k)] = bool(keep[table.index.get_loc(i)])
    return keep


def _lever_names(table: pd.DataFrame, indicators: pd.DataFrame, lang: str, data_year: int | None) -> pd.DataFrame:
    """The lever's name, the indicator's name with the lever that moves it (``name_shown``: "…占比（随财政科技支出
    提高）"), the indicator's responsible units and the data year the value is needed in."""
    names = indicators["name_zh" if lang == "zh" else "name_en"]
    lever_name = [str(names.get(lever, name)) for lever, name in zip(table["lever"], table["name"])]
    if "responsible_units" in indicators.columns:
        units = indicators["responsible_units"].reindex(table["indicator"]).fillna("").astype(str).to_numpy()
    else:
        units = [""] * len(table)
    if lang == "en" and "responsible_units_en" in indicators.columns:
        units = indicators["responsible_units_en"].reindex(table["indicator"]).fillna("").astype(str).to_numpy()
    needed_in = pd.array([data_year + 1 if data_year is not None else pd.NA] * len(table), dtype="Int64")
    moved = "（随{}提高）" if lang == "zh" else " (moves with {})"
    shown = [name if lever == code else name + moved.format(lname)
             for code, lever, name, lname in zip(table["indicator"], table["lever"], table["name"], lever_name)]
    return table.assign(name_shown=pd.Series(shown, dtype="str", index=table.index),
                        lever_name=pd.Series(lever_name, dtype="str", index=table.index),
                        responsible_units=pd.Series(list(units), dtype="str", index=table.index),
                        needed_in_data_year=pd.Series(needed_in, index=table.index))


def _round_counts(table: pd.DataFrame, counts: np.ndarray, max_increase: float) -> np.ndarray:
    """Round the needed counts of a plan table in place (see :func:`plan_table`); the rows to keep."""
    unrounded = table["needed"].to_numpy(dtype=float)
    current = table["current"].to_numpy(dtype=float)
    # 9 decimals first, so a need of 7.0000000001 (float noise) stays 7
    exact = np.round(unrounded, SCORE_DECIMALS)
    up, down = np.ceil(exact), np.floor(exact)
    fits = up <= np.round(current * (1.0 + float(max_increase)), SCORE_DECIMALS)
    needed = np.where(counts, np.where(fits, up, down), unrounded)
    table["needed"] = needed
    table["increase_abs"] = needed - current
    table["increase_pct"] = 100.0 * (needed - current) / current
    table["rounded_up"] = needed > unrounded
    table["rounded_down"] = needed < unrounded
    return ~counts | (needed > current)


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
                      qualitative=None, impute: str = "peer_median", max_increase: float = 1.0,
                      status: dict | None = None, data_year: int | None = None) -> RobustGradePlans:
    """The robust plans (goal → :func:`~lingshou.evaluation.uncertainty.what_it_takes_robust`) in one table (each
    through :func:`plan_table`).

    Returns
    -------
    RobustGradePlans
        ``table``: ``goal, target_grade`` then :data:`PLAN_TABLE_COLUMNS`, one block per goal in the order
        given; ``goals``: goal → its plan table (:func:`plan_table`).

    Raises
    ------
    ParameterError
        An unknown goal.
    """
    unknown = [g for g in plans if g not in GOALS]
    if unknown or not plans:
        raise ParameterError(bi(f"目标 {list(plans)} 须为 {list(GOALS)} 中的非空选择",
                                f"goals {list(plans)} must be a non-empty choice from {list(GOALS)}"))
    parts, goals = [], {}
    for goal, plan in plans.items():
        goals[goal] = plan_table(plan, wide, model, indicators, lang, qualitative, impute, max_increase, status,
                                 data_year)
        part = goals[goal].table.assign(goal=goal, target_grade=plan.target_grade)
        parts.append(part[["goal", "target_grade"] + PLAN_TABLE_COLUMNS + (["data_status"] if status is not None else [])])
    nonempty = [part for part in parts if not part.empty]
    return RobustGradePlans(table=pd.concat(nonempty, ignore_index=True) if nonempty else parts[0], goals=goals)


def earlier_years(data: pd.DataFrame, model: dict, year: int, impute: str = "peer_median") -> dict:
    """Every county's deterministic score, grade and rank in each data year before ``year`` (default rule),
    and the data status of its values: ``{"y<year>": table, "status<year>": table, "skipped": {year: reason}}``
    — the same for every county of a batch (see :func:`modelled_grades_table`)."""
    out, skipped = {}, {}
    for y in sorted(int(v) for v in data["year"].unique() if int(v) < int(year)):
        try:
            scores = score_counties(wide_table(data, y, model), model, rule=None, impute=impute)
            status = data_status(data, y, model)
        except DataError as exc:
            skipped[str(y)] = str(exc)
            continue
        out[f"y{y}"] = scores[["score", "grade", "rank"]].copy()
        out[f"status{y}"] = pd.DataFrame({"data_status": status.astype(str)})
    out["skipped"] = skipped
    return out


@dataclass(frozen=True)
class ModelledGrades:
    """:func:`modelled_grades_table`: ``table`` (one row per data year) and ``skipped`` (earlier year → why it
    could not be scored)."""

    table: pd.DataFrame
    skipped: dict


def modelled_grades_table(data: pd.DataFrame, model: dict, county: str, year: int, uncertainty: MonteCarlo,
                          impute: str = "peer_median", shared_dir=None) -> ModelledGrades:
    """The county's modelled grade per data year, for the gap analysis's grade goal.

    The data year ``year`` comes from ``uncertainty`` (with grade probabilities); every earlier year in
    which the county has data is scored deterministically (default rule, the data's qualitative points or
    the default; probabilities <NA>) against the counties with data in that year.  An earlier year that
    cannot be scored (e.g. an indicator without any value that year) is left out and named in ``skipped``
    (year → reason).

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy statistics.
    model : dict
    county : str
    year : int
        The analysed data year.
    uncertainty : lingshou.evaluation.uncertainty.MonteCarlo
        :func:`lingshou.evaluation.uncertainty.analyse_uncertainty` for ``year``.
    impute : str
        Imputation of the earlier years' scores.
    shared_dir : path-like, optional
        A batch's store (:mod:`lingshou.data.store`): the earlier years' scores of every county
        (:func:`earlier_years`) are read from it when a county of the batch has computed them.

    Returns
    -------
    ModelledGrades
        ``table``: ``county, data_year, evaluation_round, score, grade, p_grade_<G>…, rank, n, data_status``,
        one row per year, oldest first; ``skipped``: year → reason.

    Raises
    ------
    ParameterError
        If ``county`` is not in ``uncertainty``.
    """
    from lingshou.data.store import remember

    model = check_model(model)
    mc = uncertainty.table
    if county not in mc.index:
        raise ParameterError(bi(f"县 {county!r} 不在不确定性分析结果中", f"county {county!r} is not in the uncertainty results"))
    grades = [g["grade"] for g in model["grades"]]
    _check_tidy(data)
    earlier = remember(shared_dir, "earlier_years", (data, model, int(year), impute),
                       lambda: earlier_years(data, model, year, impute))
    mine = data[(data["county"] == county) & data["indicator"].isin(list(model["indicators"])) & data["value"].notna()]
    years = sorted(int(y) for y in mine["year"].unique() if int(y) < int(year))
    rows, skipped = [], {}
    for y in years:
        if str(y) in earlier["skipped"]:
            skipped[y] = earlier["skipped"][str(y)]
            continue
        scores = earlier[f"y{y}"]
        rows.append({"county": county, "data_year": y, "evaluation_round": evaluation_round(y, model),
                     "score": float(scores.loc[county, "score"]), "grade": str(scores.loc[county, "grade"]),
                     **{f"p_grade_{g}": np.nan for g in grades}, "rank": int(scores.loc[county, "rank"]),
                     "n": len(scores), "data_status": earlier[f"status{y}"].loc[county, "data_status"]})
    this = mc.loc[county]
    rows.append({"county": county, "data_year": int(year), "evaluation_round": evaluation_round(year, model),
                 "score": float(this["score"]), "grade": str(this["grade"]),
                 **{f"p_grade_{g}": float(this[f"p_grade_{g}"]) for g in grades}, "rank": int(this["rank"]),
                 "n": len(mc), "data_status": str(data_status(data, int(year), model)[county])})
    out = pd.DataFrame(rows)
    for column in ("county", "grade", "data_status"):
        out[column] = out[column].astype("str")
    return ModelledGrades(out, skipped)


def rule_comparison(wide: pd.DataFrame, model: dict, county: str, published: pd.DataFrame | None = None, rules=None,
                    qualitative=None, impute: str = "peer_median", probabilities=None) -> pd.DataFrame:
    """The county's score and grade under each scoring rule, and each rule's agreement with published grades.

    The Monte Carlo draws the rules of ``uncertainty.rules``; ``uncertainty.sensitivity_rules`` are shown beside
    them but not drawn.  This table says what each rule gives; where published grades exist for the round, the
    number of peers whose modelled grade matches the published one under each rule shows which rules the
    record supports.

    Parameters
    ----------
    wide, model, qualitative, impute
        As for :func:`lingshou.evaluation.model.score_counties`.
    county : str
    published : pandas.DataFrame, optional
        :func:`published_for_round` (columns ``county, grade``).
    rules : list of str, optional
        Default: the model's ``uncertainty.rules`` then its ``uncertainty.sensitivity_rules``.
    probabilities : mapping, optional
        Rule → :class:`~lingshou.evaluation.uncertainty.MonteCarlo` under that rule alone
        (:func:`sensitivity_uncertainty`, or the main uncertainty when exactly one rule is drawn): adds the county's ``p_grade_<g>`` columns (NaN for a
        rule without one).

    Returns
    -------
    pandas.DataFrame
        Index ``rule`` (default rule first, then the others in model order); columns ``score, grade, rank``
        (the county's), ``n_published`` (peers with a published grade), ``n_agree`` (of those, how many
        the rule grades as published; both 0 without published grades), ``drawn`` (the rule is one the
        Monte Carlo draws) and, with ``probabilities``, ``p_grade_<g>`` for every grade.

    Raises
    ------
    ParameterError
        If ``county`` is not in ``wide``.
    """
    model = check_model(model)
    if county not in wide.index:
        raise ParameterError(bi(f"县 {county!r} 不在数据中", f"county {county!r} is not in the data"))
    default = model["scoring"]["rule"]
    drawn = list(model["uncertainty"]["rules"])
    chosen = list(drawn + list(model["uncertainty"].get("sensitivity_rules") or []) if rules is None else rules)
    ordered = [default] + [r for r in chosen if r != default]
    known = published[published["county"].isin(wide.index)] if published is not None else None
    names = [g["grade"] for g in model["grades"]]
    rows = []
    for rule in ordered:
        scores = score_counties(wide, model, rule=rule, qualitative=qualitative, impute=impute)
        n_published = 0 if known is None else len(known)
        n_agree = 0 if known is None else int((scores.loc[known["county"], "grade"].to_numpy() == known["grade"].to_numpy()).sum())
        row = {"rule": rule, "score": float(scores.loc[county, "score"]), "grade": str(scores.loc[county, "grade"]),
               "rank": int(scores.loc[county, "rank"]), "n_published": n_published, "n_agree": n_agree,
               "drawn": rule in drawn}
        if probabilities is not None:
            sims = probabilities.get(rule)
            row.update({f"p_grade_{g}": float(sims.table.loc[county, f"p_grade_{g}"]) if sims is not None else float("nan")
                        for g in names})
        rows.append(row)
    return pd.DataFrame(rows).set_index("rule")
