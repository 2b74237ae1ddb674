"""A calibration's outcome: the fitted points, their intervals and sample, the published results it does and
does not reproduce, and what can honestly be said about them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lingshou.evaluation.calibration.fit import Fit, Programme
from lingshou.evaluation.calibration.inputs import Observations
from lingshou.evaluation.calibration.problem import result_functions, score_functions
from lingshou.evaluation.model import grade_from_score
from lingshou.i18n import bi

#: An indicator whose interval spans more than this share of its possible range is "not pinned down".
UNIDENTIFIED_SHARE = 0.5
#: Below this share of published results reproduced by the best fit, the scoring rule is probably wrong.
CONSISTENT_SHARE = 0.9
#: A result counts as reproduced when its misfit is below this (points): LP solutions are exact to ~1e-9.
SLACK_ZERO = 1e-6


@dataclass(frozen=True)
class Calibration:
    """Everything :func:`lingshou.evaluation.calibration.run.calibrate` found.

    Attributes
    ----------
    model : dict
        The model calibrated (its rule, benchmarks and grades were kept).
    obs : Observations
    prog : Programme
    fit : Fit
    budget : float
        Total misfit allowed in the consistent set (best fit + ``tolerance``).
    lo, hi : numpy.ndarray
        Interval of every unknown over the consistent set.
    sample : numpy.ndarray, shape (n_samples, n_unknowns)
        Uniform draws from the consistent set (hit-and-run).
    qualitative : str
        ``common`` or ``per_county``.
    tolerance : float
    seed : int
    """

    model: dict
    obs: Observations
    prog: Programme
    fit: Fit
    budget: float
    lo: np.ndarray
    hi: np.ndarray
    sample: np.ndarray
    qualitative: str
    tolerance: float
    seed: int

    def assumed_x(self) -> np.ndarray:
        """The model's own (assumed) points and, for every qualitative unknown, its default."""
        points = [float(self.model["indicators"][c]["points"]) for c in self.obs.codes]
        q = float(self.model["qualitative"]["default"])
        return np.array(points + [q] * (self.prog.n - len(points)))

    def points_table(self) -> pd.DataFrame:
        """One row per unknown: ``name, assumed, fitted, lo, hi, sample_mean, p05, p95, width_share, identified``.

        ``width_share`` = (hi − lo) / the unknown's possible range (its bounds); ``identified`` = width_share ≤
        :data:`UNIDENTIFIED_SHARE`.
        """
        span = np.where(self.prog.upper > self.prog.lower, self.prog.upper - self.prog.lower, 1.0)
        width = (self.hi - self.lo) / span
        return pd.DataFrame({
            "name": self.prog.names, "assumed": self.assumed_x(), "fitted": self.fit.x, "lo": self.lo, "hi": self.hi,
            "sample_mean": self.sample.mean(axis=0), "p05": np.quantile(self.sample, 0.05, axis=0),
            "p95": np.quantile(self.sample, 0.95, axis=0), "width_share": width,
            "identified": width <= UNIDENTIFIED_SHARE,
        })

    def results_table(self) -> pd.DataFrame:
        """One row per published result: what was published, the fitted and the assumed model's value, the misfit.

        Columns: ``kind, round, data_year, county, published, lo, hi, fitted, assumed, slack, reproduced_fit,
        reproduced_assumed, file, line``.  A grade is reproduced when the value's grade is the published one; a
        score or average when it lies within its rounding interval.
        """
        columns = [name for name in self.prog.names if name.startswith("qualitative")]
        F, const = result_functions(self.obs, *score_functions(self.obs, columns))
        out = self.obs.results.copy()
        out["fitted"] = F @ self.fit.x + const
        out["assumed"] = F @ self.assumed_x() + const
        slack = np.zeros(len(out))
        np.add.at(slack, self.prog.owner, self.fit.slack)
        out["slack"] = slack
        for which in ("fitted", "assumed"):
            hit = (out[which] >= out["lo"] - SLACK_ZERO) & (out[which] <= out["hi"] + SLACK_ZERO)
            grades = out["kind"] == "grade"
            if grades.any():
                hit[grades] = grade_from_score(out.loc[grades, which], self.model).to_numpy() == out.loc[grades, "published"].to_numpy()
            out[f"reproduced_{'fit' if which == 'fitted' else which}"] = hit.to_numpy()
        order = ["kind", "round", "data_year", "county", "published", "lo", "hi", "fitted", "assumed", "slack",
                 "reproduced_fit", "reproduced_assumed", "file", "line"]
        return out[order]

    def count_check(self) -> pd.DataFrame:
        """Published counts per grade by round beside the counts the fitted and the assumed points give.

        The modelled counts are over the units of the data; a published count is over the province's units of
        that round.
        """
        columns = [name for name in self.prog.names if name.startswith("qualitative")]
        F, const = score_functions(self.obs, columns)
        scored = self.obs.scored.assign(fitted=F @ self.fit.x + const, assumed=F @ self.assumed_x() + const)
        rows = []
        for rec in self.obs.counts.itertuples(index=False):
            in_round = scored[scored["round"] == rec.round]
            rows.append({"round": rec.round, "grade": rec.grade, "published": rec.n,
                         "fitted": int((grade_from_score(in_round["fitted"], self.model) == rec.grade).sum()),
                         "assumed": int((grade_from_score(in_round["assumed"], self.model) == rec.grade).sum()),
                         "units_in_data": len(in_round)})
        return pd.DataFrame(rows, columns=["round", "grade", "published", "fitted", "assumed", "units_in_data"])

    def summary(self) -> dict:
        """Key numbers: results, share reproduced (fit and assumed), total slack, unidentified unknowns, verdict."""
        results, points = self.results_table(), self.points_table()
        share_fit = float(results["reproduced_fit"].mean())
        return {
            "n_results": len(results), "n_counties": int(results.loc[results["county"] != "", "county"].nunique()),
            "rounds": list(self.obs.rounds), "share_reproduced": share_fit,
            "share_reproduced_assumed": float(results["reproduced_assumed"].mean()),
            "total_slack": self.fit.total_slack, "n_misfit": int((results["slack"] > SLACK_ZERO).sum()),
            "unidentified": [n for n, ok in zip(points["name"], points["identified"]) if not ok],
            "consistent": share_fit >= CONSISTENT_SHARE, "illustrative": self.obs.illustrative,
            "qualitative": self.qualitative, "tolerance": self.tolerance, "budget": self.budget,
        }


def describe(cal: Calibration) -> dict:
    """What a reader must be told, in Chinese and English: the verdict, identifiability, data status.

    Returns
    -------
    dict
        ``{"zh": [sentences], "en": [sentences]}``.
    """
    s = cal.summary()
    zh, en = [], []
    zh.append(f"用 {len(s['rounds'])} 轮（{'、'.join(map(str, s['rounds']))}）{s['n_results']} 项已公布结果（{s['n_counties']} 个县）校准；"
              f"最佳拟合再现 {s['share_reproduced']:.0%}，原假设分值再现 {s['share_reproduced_assumed']:.0%}；总偏差 {s['total_slack']:.2f} 分。")
    en.append(f"Calibrated on {s['n_results']} published results ({s['n_counties']} counties) of {len(s['rounds'])} round(s) "
              f"({', '.join(map(str, s['rounds']))}); the best fit reproduces {s['share_reproduced']:.0%}, the assumed points "
              f"{s['share_reproduced_assumed']:.0%}; total misfit {s['total_slack']:.2f} points.")
    if not s["consistent"]:
        zh.append(f"已公布结果与本模型的评分规则不一致（只再现 {s['share_reproduced']:.0%}）：评分规则或基准很可能不对，"
                  "拟合出的分值不应使用。")
        en.append(f"The published results are inconsistent with the model's scoring rule (only {s['share_reproduced']:.0%} "
                  "reproduced): the rule or its benchmarks are probably wrong, and the fitted points should not be used.")
    if s["unidentified"]:
        names = "、".join(s["unidentified"])
        zh.append(f"已公布结果不能确定以下各项（一致区间超过可能范围的一半）：{names}。")
        en.append(f"The published results cannot pin down (consistent interval over half the possible range): "
                  f"{', '.join(s['unidentified'])}.")
    if s["illustrative"]:
        zh.append("校准所用的指标值是示例数据（非官方统计），结果只演示方法，不代表真实评价分值。")
        en.append("The indicator values calibrated on are illustrative (not official statistics): the result demonstrates "
                  "the method and is not the real evaluation's points.")
    return {"zh": zh, "en": en}



def format_calibration(cal: Calibration, path) -> str:
    """The command line's report: the reading, the points beside the assumed ones, the results not reproduced."""
    lines = list(describe(cal)["zh"]) + list(describe(cal)["en"]) + [""]
    table = cal.points_table()
    lines.append(f"{'指标 indicator':<34}{'假设 assumed':>13}{'校准 fitted':>13}{'一致区间 interval':>22}")
    for row in table.itertuples(index=False):
        mark = "" if row.identified else "  ← 不能确定 not pinned down"
        lines.append(f"{row.name:<34}{row.assumed:>13.2f}{row.fitted:>13.2f}{f'[{row.lo:.2f}, {row.hi:.2f}]':>22}{mark}")
    results = cal.results_table()
    missed = results[results["slack"] > SLACK_ZERO].sort_values("slack", ascending=False)
    if len(missed):
        lines += ["", f"未能再现的已公布结果 published results not reproduced ({len(missed)}):"]
        for r in missed.itertuples(index=False):
            who = r.county or bi("全省平均", "province average")
            lines.append(f"  {r.file}:{r.line} {r.round} {who} {r.published}: {bi('拟合', 'fitted')} {r.fitted:.2f}, "
                         f"{bi('偏差', 'misfit')} {r.slack:.2f}")
    return "\n".join(lines)
