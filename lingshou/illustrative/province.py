"""Score paths for the whole province: every evaluated unit, calibrated to the published results.

The bundled illustrative series of 石家庄's 22 units follow hand-written score paths
(``illustrative_assumptions.yaml``, section 1).  The province's other units get theirs here, so that under
the suite's model every round of the evaluation comes out as published:

1. each unit has a persistent latent strength: ``N(0, 1)``, or, for a unit with published grades, the normal
   quantile of the middle of its grade's places in the province (averaged over its published rounds) plus
   ``N(0, published_spread)``; an offset by unit type (districts and county-level cities ahead of counties);
   and a small yearly drift ``N(0, drift_sd)``;
2. in each data year, the units whose grade is published are put in that grade; the others fill the
   remaining places of each grade, strongest first, so that the grade counts of the province (the fixed
   石家庄 units included) are the published ones — or, where a round is not published, the written
   assumption for it;
3. within a grade the units are spread over the grade's band (``bands``, 1.6 points inside its thresholds: the
   generated indicator values reproduce a score to within 1.51 points), by rank, as
   ``lo + (hi − lo) · q^γ`` with ``q`` the rank quantile; one ``γ`` per year is solved (bisection) so that
   the province's average score is the published one.

Everything is seeded; nothing here is an official figure.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lingshou.errors import ParameterError
from lingshou.i18n import bi

GRADES = ("A", "B", "C")


def _bands(assumptions: dict) -> dict[str, tuple[float, float]]:
    b = assumptions["bands"]
    return {g: (float(b[g][0]), float(b[g][1])) for g in GRADES}


def _spread(n: int, lo: float, hi: float, gamma: float) -> np.ndarray:
    """``n`` scores in [lo, hi], ascending with rank: ``lo + (hi − lo) · q^γ``, ``q = (k + 0.5) / n``."""
    q = (np.arange(n) + 0.5) / max(n, 1)
    return lo + (hi - lo) * q ** gamma


def _year_scores(order: dict[str, list[str]], bands: dict, target_sum: float, year: int, fixed_sum: float = 0.0,
                 n_total: int | None = None) -> dict[str, float]:
    """Scores of the units in each grade (listed weakest first) whose sum is ``target_sum``; ``fixed_sum`` and
    ``n_total`` (the hand-written units' scores and the province's size) only serve the message."""
    def total(gamma: float) -> float:
        return sum(_spread(len(units), *bands[g], gamma).sum() for g, units in order.items())

    lo_g, hi_g = 0.02, 50.0   # small γ: scores near the top of each band; large γ: near the bottom
    if not total(hi_g) <= target_sum <= total(lo_g):
        n = n_total or sum(len(u) for u in order.values())
        want, low, high = ((x + fixed_sum) / n for x in (target_sum, total(hi_g), total(lo_g)))
        raise ParameterError(bi(
            f"{year}年：在各等级的分数区间内达不到平均分 {want:.2f}（可达 {low:.2f}–{high:.2f}），请检查示例数据假设中的等级数与平均分",
            f"{year}: the average {want:.2f} cannot be reached within the grade bands (possible {low:.2f}–{high:.2f}); "
            "check the counts and averages of the assumptions"))
    for _ in range(80):
        mid = (lo_g * hi_g) ** 0.5
        lo_g, hi_g = (mid, hi_g) if total(mid) > target_sum else (lo_g, mid)
    gamma = (lo_g * hi_g) ** 0.5
    out = {}
    for grade, units in order.items():
        out.update(zip(units, _spread(len(units), *bands[grade], gamma)))
    return out


def _published_position(published: pd.DataFrame, rounds: dict, n: int) -> pd.Series:
    """Per unit: the mean normal quantile of the middle of its published grades' places (best = high)."""
    from statistics import NormalDist

    z = []
    for row in published.itertuples(index=False):
        spec = rounds.get(int(row.data_year))
        if spec is None:
            continue
        counts = [int(spec[f"n_{g}"]) for g in GRADES]
        k = GRADES.index(row.grade)
        from_top = (sum(counts[:k]) + counts[k] / 2) / n
        z.append((row.county, NormalDist().inv_cdf(min(max(1 - from_top, 1e-3), 1 - 1e-3))))
    frame = pd.DataFrame(z, columns=["county", "z"])
    return frame.groupby("county")["z"].mean() if len(frame) else pd.Series(dtype=float)


def grade_of(score: pd.Series, minimum: dict[str, float]) -> pd.Series:
    """The grade of each score: the first grade (best first) whose minimum it reaches."""
    out = pd.Series("C", index=score.index, dtype=object)
    for grade in sorted(minimum, key=minimum.get):
        out[score >= minimum[grade]] = grade
    return out


def province_score_paths(units: pd.DataFrame, fixed: pd.DataFrame, published: pd.DataFrame, assumptions: dict,
                         seed: int, minimum: dict[str, float] | None = None) -> pd.DataFrame:
    """Score paths of the units of ``units`` not in ``fixed``, calibrated to the province's results.

    Parameters
    ----------
    units : DataFrame
        Every evaluated unit: index county, column ``type``.
    fixed : DataFrame
        Score paths given by hand (index county, columns data years), counted in the province's totals.
    published : DataFrame
        Published grades: ``county, data_year, grade`` (canonical names, ``data_year`` int).
    assumptions : dict
        The ``province`` section of the assumptions: ``rounds`` (data year → ``n_A, n_B, n_C, average``),
        ``bands``, ``type_offset``, ``drift_sd``.
    seed : int
    minimum : dict, optional
        Minimum score of each grade (default A 80, B 60, C 0, as published).

    Returns
    -------
    DataFrame
        Index: the other units (sorted); columns: the data years of ``fixed``; scores rounded to 0.1.

    Raises
    ------
    ParameterError
        A round whose counts do not add up to the number of units, a published grade that leaves no place
        for the others, or an average out of reach (each names the year).
    """
    rng = np.random.default_rng(seed)
    others = sorted(set(units.index) - set(fixed.index))
    years = [int(y) for y in fixed.columns]
    offset = assumptions.get("type_offset", {})
    strength = pd.Series(rng.normal(0.0, 1.0, size=len(others)), index=others)
    # A published grade places a unit in the province's distribution: its latent strength is centred on the
    # normal quantile of the middle of its grade's places in that round (averaged over its published rounds).
    prior = _published_position(published[published["county"].isin(others)], assumptions["rounds"], len(units))
    spread = float(assumptions.get("published_spread", 0.5))
    strength[prior.index] = prior + spread * strength[prior.index]
    strength += units.loc[others, "type"].map(lambda t: float(offset.get(t, 0.0))).to_numpy()
    drift = float(assumptions.get("drift_sd", 0.0))
    bands = _bands(assumptions)
    paths = pd.DataFrame(index=others, columns=years, dtype=float)
    for year in years:
        strength = strength + rng.normal(0.0, drift, size=len(others))
        spec = assumptions["rounds"][year]
        counts = {g: int(spec[f"n_{g}"]) for g in GRADES}
        if sum(counts.values()) != len(units):
            raise ParameterError(bi(f"{year}年：等级数之和 {sum(counts.values())} 不等于单位数 {len(units)}",
                                    f"{year}: the grade counts add up to {sum(counts.values())}, not {len(units)} units"))
        fixed_year = fixed[year]
        fixed_grades = grade_of(fixed_year, minimum or {"A": 80.0, "B": 60.0, "C": 0.0})
        need = {g: counts[g] - int((fixed_grades == g).sum()) for g in GRADES}
        given = published[(published["data_year"] == year) & published["county"].isin(others)]
        given = dict(zip(given["county"], given["grade"]))
        order = {g: [c for c in others if given.get(c) == g] for g in GRADES}
        free = sorted((c for c in others if c not in given), key=lambda c: -strength[c])
        for grade in GRADES:
            places = need[grade] - len(order[grade])
            if places < 0:
                raise ParameterError(bi(f"{year}年：公布的{grade}类单位多于该等级剩余名额 {need[grade]}",
                                        f"{year}: more published {grade} units than the {need[grade]} places left"))
            order[grade] += free[:places]
            free = free[places:]
        order = {g: sorted(units_, key=lambda c: strength[c]) for g, units_ in order.items()}
        target_sum = float(spec["average"]) * len(units) - float(fixed_year.sum())
        scores = _year_scores(order, bands, target_sum, year, fixed_sum=float(fixed_year.sum()), n_total=len(units))
        paths[year] = pd.Series(scores).reindex(others).round(1)
    return paths
