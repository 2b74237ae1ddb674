"""The notes on the model's assumptions that every benchmarking text carries; their sentences are data in
``notes.yaml`` beside this module.
"""
from __future__ import annotations

from collections.abc import Mapping

from lingshou.evaluation.benchmarking.wording import IMPUTATION_TEXT, RULE_NAME, RULE_TEXT
from lingshou.i18n import Text
from lingshou.yamlfile import load_phrases

#: The sentences, ``key -> Text`` (notes.yaml).
PHRASES = load_phrases(__file__)


def _say(key: str, **values) -> Text:
    return PHRASES[key].format(**values)


def _named(names, table: Mapping) -> list[Text]:
    """The texts of ``names`` in ``table`` (a name not in it as itself, in both languages)."""
    return [table.get(name, Text(name, name)) for name in names]


def _as_lists(notes: list[Text]) -> dict:
    return {"zh": [t.zh for t in notes], "en": [t.en for t in notes]}


# ---------------------------------------------------------------------------------------------------
# Notes


def _assumed_parts(a: Mapping) -> list[Text]:
    """What the model assumes, one part per unpublished choice."""
    parts = []
    if a["rule_assumed"]:
        parts.append(_say("assumed.rule", name=_named([a["rule"]], RULE_NAME)[0], rule=_named([a["rule"]], RULE_TEXT)[0]))
    if a["pillars_assumed"]:
        names = a.get("pillars_assumed_en") or a["pillars_assumed"]
        parts.append(_say("assumed.pillars", n=len(names),
                          names=Text("、".join(a["pillars_assumed"]), ", ".join(names))))
    if a["indicators_assumed"]:
        parts.append(_say("assumed.indicators", n=int(a["n_indicators"]), named=len(a["indicators_published"])))
    if a["qualitative_assumed"]:
        lo, hi = a["qualitative_range"]
        parts.append(_say("assumed.qualitative", default=a["qualitative_default"], low=lo, high=hi))
    return parts


def _uncertainty_note(a: Mapping) -> Text:
    """How the uncertainty analysis draws the weights, the rule, the qualitative points and the imputation."""
    if a.get("weights_calibrated"):
        rounds = PHRASES["list_sep"].join(Text(str(y), str(y)) for y in a.get("calibration_rounds", []))
        weights = _say("weights.calibrated", rounds=rounds)
    else:
        weights = _say("weights.noise", noise=100 * float(a["weight_noise"]))
    rules = _named(a["alternatives"], RULE_NAME)
    if len(rules) > 1:
        rule = _say("rules.drawn", n=len(rules), names=PHRASES["list_sep"].join(_say("quoted", name=n) for n in rules))
    else:
        rule = _say("rules.fixed", name=rules[0])
    shown = _named(a.get("sensitivity_rules", []), RULE_NAME)
    if shown:
        comparison = _say("rules.comparison", names=PHRASES["list_sep"].join(_say("quoted", name=n) for n in shown))
        rule = Text(rule.zh + comparison.zh, rule.en + comparison.en)
    imputation = PHRASES["or_sep"].join(_named(a["imputation"], IMPUTATION_TEXT))
    return _say("uncertainty", weights=weights, rules=rule, imputation=imputation)


def assumption_notes(assumptions: Mapping) -> dict:
    """Notes naming every unpublished choice of the model, ``{"zh": [...], "en": [...]}``.

    Parameters
    ----------
    assumptions : mapping
        :func:`lingshou.evaluation.benchmarking.model_assumptions`.
    """
    return _as_lists(_assumption_notes(assumptions))


def _assumption_notes(a: Mapping) -> list[Text]:
    notes = []
    parts = _assumed_parts(a)
    if parts:
        notes.append(_say("assumed.all", title=Text(a["title_zh"], a["title_en"]), parts=PHRASES["clause_sep"].join(parts)))
    return notes + [_uncertainty_note(a)]


def _plan_notes(r: Mapping) -> list[Text]:
    """How the plans were rounded and solved."""
    notes = []
    plans = [r["plan"], *r["robust"].values()]
    if any(p.get("n_rounded_down", 0) or p.get("dropped") for p in plans):
        names = Text("、".join(sorted({d["name_zh"] for p in plans for d in p.get("dropped", [])})),
                     ", ".join(sorted({d["name_en"] for p in plans for d in p.get("dropped", [])})))
        notes.append(_say("rounded_down", dropped=_say("rounded_down.dropped", names=names) if names.zh else ""))
    if any(p.get("n_rounded", 0) for p in plans):
        notes.append(_say("rounded_up"))
    by_lever = any("lever" in row and row["lever"] != row["indicator"] for p in plans for row in p.get("rows", []))
    notes.append(_say("plan.levers" if by_lever else "plan.indicators"))
    return notes


def _notes(r: Mapping) -> dict:
    a = r["assumptions"]
    county = r["county"]
    notes = _assumption_notes(a)
    if r["qualitative_assumed"]:
        lo, hi = a["qualitative_range"]
        notes.append(_say("qualitative.assumed", county=county, default=a["qualitative_default"], low=lo, high=hi))
    else:
        notes.append(_say("qualitative.given", county=county, points=r["qualitative_points"]))
    if r["imputed"]:
        notes.append(_say("imputed", county=county,
                          names=PHRASES["list_sep"].join(Text(i["name_zh"], i["name_en"]) for i in r["imputed"])))
    notes.append(_say("peers", n=int(r["n"])))
    notes += _plan_notes(r)
    if "illustrative" in r["statuses"]:
        notes.append(_say("illustrative"))
    return _as_lists(notes)
