"""The benchmarking's results for the prose: the model's assumptions and the numbers :func:`describe_benchmark`
reads.
"""
from __future__ import annotations

import pandas as pd

from lingshou.errors import ParameterError
from lingshou.evaluation.benchmarking.tables import _indicator_info
from lingshou.evaluation.model import (
    check_model,
    evaluation_round,
    qualitative_pillar,
)
from lingshou.evaluation.peers import PeerPosition
from lingshou.evaluation.grade_plan import GradePlan, RobustGradePlans
from lingshou.evaluation.uncertainty import MonteCarlo
from lingshou.i18n import bi

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
        ``weights_calibrated`` (points drawn from a calibration sample) and ``calibration_rounds``;
        ``grades`` (name, min) and ``data_lag_years`` (published in the Hebei model).
    """
    model = check_model(model)
    indicators = model["indicators"]
    q = model["qualitative"]
    unc = model["uncertainty"]
    return {
        "model_id": model["id"], "title_zh": model["title_zh"], "title_en": model["title_en"],
        "rule": model["scoring"]["rule"], "rule_assumed": bool(model["scoring"].get("assumption", False)),
        "alternatives": list(unc["rules"]), "sensitivity_rules": list(unc.get("sensitivity_rules") or []),
        "qualitative_indicator": str(q["indicator"]),
        "qualitative_items": [{"name_zh": str(i["name_zh"]), "name_en": str(i["name_en"]), "points": float(i["points"])}
                              for i in q.get("items", [])],
        "pillars_assumed": [p for p, e in model["pillars"].items() if e.get("assumption", False)],
        "pillars_assumed_en": [str(e.get("name_en", p)) for p, e in model["pillars"].items() if e.get("assumption", False)],
        "n_indicators": len(indicators),
        "indicators_published": [c for c, e in indicators.items() if e.get("published", False)],
        "indicators_assumed": [c for c, e in indicators.items() if e.get("assumption", False)],
        "qualitative_points": float(q["points"]), "qualitative_default": float(q["default"]),
        "qualitative_range": [float(v) for v in q["range"]], "qualitative_assumed": bool(q.get("assumption", False)),
        "weight_noise": float(unc["weight_noise"]), "imputation": list(unc["imputation"]),
        "weights_calibrated": unc.get("weights") == "calibrated",
        "calibration_rounds": list((model.get("calibration") or {}).get("rounds", [])),
        "grades": [{"grade": g["grade"], "min": float(g["min"])} for g in model["grades"]],
        "data_lag_years": int(model["data_lag_years"]),
    }


def _rule_row(rule, r, names) -> dict:
    """One row of :func:`rule_comparison` as JSON (``p_grade`` None where the rule was not simulated alone)."""
    p = {g: float(r[f"p_grade_{g}"]) for g in names if f"p_grade_{g}" in r.index and pd.notna(r[f"p_grade_{g}"])}
    return {"rule": str(rule), "score": float(r["score"]), "grade": str(r["grade"]), "rank": int(r["rank"]),
            "n_published": int(r["n_published"]), "n_agree": int(r["n_agree"]), "drawn": bool(r.get("drawn", True)),
            "p_grade": p if len(p) == len(names) else None}


def _lever_fields(row, indicators: pd.DataFrame) -> dict:
    """The lever that moves a plan row (its names in both languages) and the lever's increase; a table written
    before plans had levers: the indicator is its own lever."""
    lever = str(row.get("lever", row["indicator"]))
    known = lever in indicators.index
    return {"lever": lever, "lever_zh": str(indicators.at[lever, "name_zh"]) if known else lever,
            "lever_en": str(indicators.at[lever, "name_en"]) if known else lever,
            "lever_increase_pct": float(row.get("lever_increase_pct", row["increase_pct"])),
            "responsible_units": str(row.get("responsible_units", ""))}


def _plan_summary(plan: GradePlan, indicators: pd.DataFrame) -> dict:
    table, attrs = plan.table, plan.numbers()
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
            **_lever_fields(row, indicators),
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


def _lens(row) -> dict:
    """Among whom the ranks are (:func:`lingshou.evaluation.benchmarking.lens.lens_columns`): the peers' label
    and the rank within the county's prefecture; a table without those columns says only "peers"."""
    if "peers_zh" not in row.index:
        return {"peers_label": {"zh": "同组县（市、区）", "en": "the peer counties"}, "prefecture": None}
    return {"peers_label": {"zh": str(row["peers_zh"]), "en": str(row["peers_en"])},
            "prefecture": str(row["prefecture"]) or None, "prefecture_rank": int(row["prefecture_rank"]),
            "prefecture_n": int(row["prefecture_n"]),
            "prefecture_label": {"zh": f"{row['prefecture']}{int(row['prefecture_n'])}个县（市、区）",
                                 "en": f"the {int(row['prefecture_n'])} counties of {row['prefecture']}"}}


# long: the numpydoc docstring documents every key; the code is one JSON-safe dict literal.
def benchmark_results(table: pd.DataFrame, position: PeerPosition, model: dict, data_year: int,
                      indicators: pd.DataFrame, plan: GradePlan, robust: RobustGradePlans,
                      published: pd.DataFrame | None = None, by_rule: pd.DataFrame | None = None, *,
                      monte_carlo: MonteCarlo) -> dict:
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
    plan : GradePlan
        :func:`plan_table` of the deterministic plan.
    robust : RobustGradePlans
        :func:`robust_plan_table`.
    published : pandas.DataFrame, optional
        :func:`published_for_round` for the round (peers only).
    by_rule : pandas.DataFrame, optional
        :func:`rule_comparison`.
    monte_carlo : lingshou.evaluation.uncertainty.MonteCarlo
        The Monte Carlo behind ``table`` (:func:`peer_uncertainty`): its ``n_sims`` and ``rules``.

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
        n_published, n_agree, drawn, p_grade}``, ``p_grade`` grade → probability under that rule alone or None,
        empty without ``by_rule``); ``assumptions`` (:func:`model_assumptions`);
        ``peers_label`` (``{zh, en}``: among whom ``rank`` is), ``prefecture``, ``prefecture_rank``,
        ``prefecture_n``, ``prefecture_label`` (when the table has the lens columns).

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
        "n_sims": int(monte_carlo.n_sims), "rules": list(monte_carlo.rules),
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
        "robust": {goal: _plan_summary(goal_plan, indicators) for goal, goal_plan in robust.goals.items()},
        "published": None,
        "by_rule": [] if by_rule is None else [_rule_row(rule, r, names) for rule, r in by_rule.iterrows()],
        "assumptions": model_assumptions(model),
        **_lens(row),
    }
    if published is not None and not published.empty:
        result["published"] = _published(table, published, county, result["evaluation_round"])
    return result


def _published(table: pd.DataFrame, published: pd.DataFrame, county: str, rnd: int) -> dict:
    """The published grades of the round beside the modelled ones (the ``published`` key of the results)."""
    have = table[table["grade_published"].notna()]
    disagree = have[~have["agrees"].astype(bool)]
    mine = have[have["county"] == county]
    return {
        "round": rnd, "n": len(have), "n_agree": int(have["agrees"].astype(bool).sum()),
        "n_inferred": int(have["grade_published_inferred"].astype(bool).sum()),
        "data_year_inferred": bool(published["data_year_inferred"].any()),
        "county_grade": None if mine.empty else str(mine["grade_published"].iloc[0]),
        "county_inferred": None if mine.empty else bool(mine["grade_published_inferred"].iloc[0]),
        "disagreements": [{"county": str(r["county"]), "grade_modelled": str(r["grade"]),
                           "grade_published": str(r["grade_published"]),
                           "inferred": bool(r["grade_published_inferred"])} for _, r in disagree.iterrows()],
    }
