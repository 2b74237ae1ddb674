"""What it takes, as results: a plan's rows and what the plan achieves, one object each.

:func:`lingshou.evaluation.peers.what_it_takes` and :func:`lingshou.evaluation.uncertainty.what_it_takes_robust`
return a :class:`GradePlan`; :func:`lingshou.evaluation.benchmarking.plan_table` returns the plan as the report
prints it (counts rounded, re-scored) as a :class:`GradePlan` too, and
:func:`lingshou.evaluation.benchmarking.robust_plan_table` the robust plans of several goals as
:class:`RobustGradePlans`.  The rows are a DataFrame (``table``); every number about the plan is a field (a changed copy:
:func:`dataclasses.replace`).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd

@dataclass(frozen=True, eq=False)
class GradePlan:
    """A plan to lift ``county`` to ``target_grade``: the increases (``table``, one row per indicator) and
    what they achieve.

    Attributes
    ----------
    table : pandas.DataFrame
        The rows (columns: see :func:`~lingshou.evaluation.peers.what_it_takes`); empty when the threshold
        is already reached.
    county, rule : str
        The county and the scoring rule the plan was made under.
    score, grade : float, str
        The county's score and grade before the plan.
    target_grade, target_score : str, float
        The grade aimed at and the score to reach (its minimum plus the margin).
    points_needed, points_planned : float
        Points missing (0 when reached) and points the rows gain.
    max_score : float
        The score with every feasible increase.
    score_after : float
        The plan re-scored (for a rounded plan table: the rounded plan).
    reachable : bool
    total_increase_pct : float
        The increases summed, each lever once.
    excluded : dict
        Indicator code → why it cannot be raised.
    levers : bool
        Made on levers (:func:`lingshou.evaluation.levers.lever_groups`), not indicator by indicator.
    probability_target, probability, probability_plan, margin_used, robust, n_sims
        A robust plan only (:func:`~lingshou.evaluation.uncertainty.what_it_takes_robust`): the probability
        asked for, the probability this plan reaches, the one the plain plan reaches, the margin used, whether
        the probability was reached, the replications.
    score_after_unrounded, n_rounded, n_rounded_down, dropped
        A plan table only (:func:`~lingshou.evaluation.benchmarking.plan_table`): the score before rounding,
        the counts rounded up and down, the codes dropped.
    """

    table: pd.DataFrame
    county: str
    rule: str
    score: float
    grade: str
    target_grade: str
    target_score: float
    points_needed: float
    points_planned: float
    max_score: float
    score_after: float
    reachable: bool
    total_increase_pct: float
    excluded: dict = field(default_factory=dict)
    levers: bool = False
    probability_target: float | None = None
    probability: float | None = None
    probability_plan: float | None = None
    margin_used: float | None = None
    robust: bool | None = None
    n_sims: int | None = None
    score_after_unrounded: float | None = None
    n_rounded: int | None = None
    n_rounded_down: int | None = None
    dropped: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """No increase needed (or none possible)."""
        return self.table.empty

    def numbers(self) -> dict:
        """Every field but the table; those only some plans have (default None) only when set."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if f.name != "table" and not (f.default is None and getattr(self, f.name) is None)}


@dataclass(frozen=True, eq=False)
class RobustGradePlans:
    """The robust plans of several goals: one table (``goal, target_grade`` and the plan-table columns, one
    block per goal in order) and each goal's :class:`GradePlan` (its own rows as its ``table``)."""

    table: pd.DataFrame
    goals: dict
