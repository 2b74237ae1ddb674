"""What the calibration is fitted on: the statistics of every round used, and the published results.

Published results, each an interval on a linear function of the unknown points:

* a county's **grade** in a round (``raw/evaluation/grades.csv``): its score lies in the grade's band
  (A ≥ 80, B 60–80, C < 60 in the Hebei model);
* a county's **score** where published (optional ``score`` column of the same file): ±0.005 (two decimals);
* a round's **average score** (``raw/evaluation/summary.csv``), used when the data hold every unit the
  average was taken over (its ``n_counties``): ±0.005, ±0.01 when the file marks it derived (a difference of
  two published numbers).  The counts per grade are kept as a check of the fit, not fitted (they are not
  linear in the points).

Every problem of the inputs is collected and reported at once, naming file, row and value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lingshou.errors import DataError
from lingshou.evaluation.benchmarking.inputs import (
    clean_published,
    data_status,
    derived_values,
    wide_table,
)
from lingshou.evaluation.model import data_year_of_round, impute_ratios
from lingshou.evaluation.rules import rule_ratios
from lingshou.i18n import bi

GRADES_FILE = "evaluation/grades.csv"
SUMMARY_FILE = "evaluation/summary.csv"
#: Half-width of a published number given to two decimals.
ROUNDING = 0.005
RESULT_COLUMNS = ["kind", "round", "data_year", "county", "published", "lo", "hi", "file", "line"]
_LEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)")


class NoResults(DataError):
    """The published results hold nothing to fit (none for the counties and years of the data)."""


@dataclass(frozen=True)
class Observations:
    """The scored county-rounds and the published results.

    Attributes
    ----------
    codes : list of str
        Quantitative indicator codes (model order).
    rounds : list of int
    scored : pandas.DataFrame
        One row per (round, county) of the data: ``round, data_year, county, qualitative`` (the data's
        ``innovation_management`` points, NaN where none), ``status`` (weakest data status).
    ratios : numpy.ndarray, shape (len(scored), len(codes))
        Achievement ratios under the model's rule (missing values imputed as the peer median).
    results : pandas.DataFrame
        Columns :data:`RESULT_COLUMNS`; ``county`` is ``""`` for a round average.
    skipped : pandas.DataFrame
        Published rows not fitted and why: ``file, line, county, round, reason``.
    counts : pandas.DataFrame
        Published counts per grade by round (``round, grade, n``), for checking the fit.
    files : dict
        Role → path of every input file.
    """

    codes: list
    rounds: list
    scored: pd.DataFrame
    ratios: np.ndarray
    results: pd.DataFrame
    skipped: pd.DataFrame
    counts: pd.DataFrame
    files: dict = field(default_factory=dict)

    @property
    def illustrative(self) -> bool:
        """True when any value fitted on is illustrative."""
        return bool((self.scored["status"] == "illustrative").any())


def grade_bands(model: dict) -> dict:
    """Grade → (lowest score, highest score) of the model (the top grade ends at ``total_points``)."""
    bands, upper = {}, float(model["total_points"])
    for entry in model["grades"]:  # sorted from the best grade down by check_model
        bands[entry["grade"]] = (float(entry["min"]), upper)
        upper = float(entry["min"])
    return bands


def read_csv_text(path: Path, what: dict) -> pd.DataFrame:
    """A CSV file as strings (empty cells → ""), or a DataError naming the file."""
    if not path.is_file():
        raise DataError(bi(f"{what['zh']}不存在：{path}", f"{what['en']} does not exist: {path}"))
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def leading_number(text: str):
    """The number a cell starts with (``"45.87 (derived)"`` → 45.87), or None."""
    match = _LEADING_NUMBER.match(str(text))
    return float(match.group(1)) if match else None


def _message(path: Path, line: int, column: str, value, zh: str, en: str) -> str:
    return bi(f"{path.name} 第 {line} 行 {column} 列 {value!r}：{zh}", f"{path.name} row {line}, column {column}, value {value!r}: {en}")


def _round_tables(values: pd.DataFrame, rounds: list, model: dict) -> tuple[pd.DataFrame, np.ndarray]:
    """The scored (round, county) rows and their ratios, round by round."""
    codes, rule = list(model["indicators"]), model["scoring"]["rule"]
    q_code = model["qualitative"]["indicator"]
    frames, ratios = [], []
    for round_year in rounds:
        year = data_year_of_round(round_year, model)
        wide = wide_table(values, year, model)
        status = data_status(values, year, model)
        r = impute_ratios(rule_ratios(wide[codes], model, rule), wide[codes], model, rule, "peer_median")
        frames.append(pd.DataFrame({"round": round_year, "data_year": year, "county": wide.index.astype(str),
                                    "qualitative": wide[q_code].to_numpy(), "status": status.reindex(wide.index).to_numpy()}))
        ratios.append(r.to_numpy(dtype=float))
    scored = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["round", "data_year", "county", "qualitative", "status"])
    return scored, (np.vstack(ratios) if ratios else np.empty((0, len(codes))))


def _grade_rows(raw: pd.DataFrame, path: Path, model: dict, catalogue, present: dict, wanted, skip_absent: bool = False):
    """Published grades (and scores) as results; skipped rows; problems (messages).

    ``present`` maps each data year of the statistics to the set of counties they hold that year; with
    ``skip_absent`` a county or year the statistics lack is skipped (and listed) instead of an error.
    """
    bands, rows, skipped, problems = grade_bands(model), [], [], []
    clean = clean_published(raw, catalogue)
    has_score = "score" in raw.columns
    seen: dict = {}
    for i, row in clean.iterrows():
        line = int(i) + 2
        if pd.isna(row["evaluation_round"]):
            skipped.append({"file": path.name, "line": line, "county": row["county"], "round": raw.at[i, "evaluation_year"],
                            "reason": bi("不是编号的评价轮次", "not a numbered evaluation round")})
            continue
        round_year = int(row["evaluation_round"])
        if wanted is not None and round_year not in wanted:
            skipped.append({"file": path.name, "line": line, "county": row["county"], "round": round_year,
                            "reason": bi("未选用的轮次", "round not selected")})
            continue
        year = data_year_of_round(round_year, model)
        if row["grade"] not in bands:
            problems.append(_message(path, line, "grade", row["grade"], f"等级应为 {list(bands)} 之一",
                                     f"the grade must be one of {list(bands)}"))
            continue
        if not pd.isna(row["data_year"]) and int(row["data_year"]) != year:
            problems.append(_message(path, line, "data_year", int(row["data_year"]),
                                     f"第 {round_year} 轮评价用 {year} 年数据", f"round {round_year} uses data of {year}"))
            continue
        if skip_absent and (year not in present or row["county"] not in present[year]):
            skipped.append({"file": path.name, "line": line, "county": row["county"], "round": round_year,
                            "reason": bi(f"{year} 年的统计数中没有这个县（市、区）", f"the statistics of {year} lack this county")})
            continue
        if year not in present:
            problems.append(_message(path, line, "evaluation_year", round_year, f"数据中没有 {year} 年的统计数",
                                     f"the data have no statistics for {year}, the data year of this round"))
            continue
        if row["county"] not in present[year]:
            problems.append(_message(path, line, "county", row["county_published"], f"{year} 年的统计数中没有这个县（市、区）",
                                     f"the statistics of {year} have no such county"))
            continue
        key = (row["county"], round_year)
        if key in seen:
            if seen[key] != row["grade"]:
                problems.append(_message(path, line, "grade", row["grade"], f"同一轮已有等级 {seen[key]}",
                                         f"the same round already gives grade {seen[key]}"))
            else:
                skipped.append({"file": path.name, "line": line, "county": row["county"], "round": round_year,
                                "reason": bi("重复行", "duplicate row")})
            continue
        seen[key] = row["grade"]
        lo, hi = bands[row["grade"]]
        if hi < float(model["total_points"]):  # below the next grade's minimum: at most x.995 at two decimals
            hi -= ROUNDING
        rows.append({"kind": "grade", "round": round_year, "data_year": year, "county": row["county"],
                     "published": row["grade"], "lo": lo, "hi": hi, "file": path.name, "line": line})
        score_text = str(raw.at[i, "score"]).strip() if has_score else ""
        if score_text:
            score = leading_number(score_text)
            if score is None or score != float(score_text) or not lo <= score <= hi:
                problems.append(_message(path, line, "score", score_text, f"得分应为 {lo:g}–{hi:g} 之间的数（等级 {row['grade']}）",
                                         f"the score must be a number in {lo:g}–{hi:g} (grade {row['grade']})"))
                continue
            rows.append({"kind": "score", "round": round_year, "data_year": year, "county": row["county"],
                         "published": score, "lo": score - ROUNDING, "hi": score + ROUNDING, "file": path.name,
                         "line": line})
    return rows, skipped, problems


def _summary_rows(raw: pd.DataFrame, path: Path, model: dict, scored: pd.DataFrame, wanted):
    """Round averages as results (where the data hold every unit); published counts; skipped rows; problems."""
    rows, counts, skipped, problems = [], [], [], []
    grades = [g["grade"] for g in model["grades"]]
    for i, row in raw.iterrows():
        line = int(i) + 2
        round_year = leading_number(row.get("evaluation_year", ""))
        if round_year is None or round_year != int(round_year):
            skipped.append({"file": path.name, "line": line, "county": "", "round": row.get("evaluation_year", ""),
                            "reason": bi("不是编号的评价轮次", "not a numbered evaluation round")})
            continue
        round_year = int(round_year)
        if wanted is not None and round_year not in wanted:
            continue
        for grade in grades:
            n = leading_number(row.get(f"n_{grade}", ""))
            if n is not None:
                counts.append({"round": round_year, "grade": grade, "n": int(n)})
        avg_text = str(row.get("avg_score", "")).strip()
        if not avg_text:
            continue
        avg, n_units = leading_number(avg_text), leading_number(row.get("n_counties", ""))
        if avg is None or not 0 <= avg <= float(model["total_points"]):
            problems.append(_message(path, line, "avg_score", avg_text, f"平均分应为 0–{model['total_points']} 之间的数",
                                     f"the average score must be a number in 0–{model['total_points']}"))
            continue
        in_data = int((scored["round"] == round_year).sum())
        if n_units is None or in_data != int(n_units):
            skipped.append({"file": path.name, "line": line, "county": "", "round": round_year,
                            "reason": bi(f"平均分按 {row.get('n_counties', '')} 个单位计算，数据中有 {in_data} 个：仅作核对",
                                         f"the average is over {row.get('n_counties', '')} units, the data hold {in_data}: "
                                         "used as a check only")})
            continue
        half = 2 * ROUNDING if "derived" in avg_text.lower() else ROUNDING
        rows.append({"kind": "average", "round": round_year, "data_year": data_year_of_round(round_year, model),
                     "county": "", "published": avg, "lo": avg - half, "hi": avg + half, "file": path.name, "line": line})
    return rows, counts, skipped, problems


def result_rounds(raw: pd.DataFrame, model: dict) -> list[int]:
    """The numbered rounds a grades table holds (the default rounds of the calibration)."""
    rounds = pd.to_numeric(raw["evaluation_year"], errors="coerce").dropna()
    return sorted({int(r) for r in rounds if r == int(r)})


def observations(data: pd.DataFrame, model: dict, grades: Path, summary: Path | None = None, catalogue=None,
                 rounds=None, skip_absent: bool = False) -> Observations:
    """Everything the calibration fits, from the tidy statistics and the published results.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy statistics of a data folder (ratios are derived from their operands, as in every analysis).
    model : dict
        The scoring model (its rule, benchmarks, grades and round lag are kept fixed).
    grades : path-like
        ``grades.csv`` (columns of :data:`lingshou.evaluation.benchmarking.inputs.GRADES_COLUMNS`, optional
        ``score``).
    summary : path-like, optional
        ``summary.csv`` (``evaluation_year, n_counties, n_A, n_B, n_C, avg_score``); None = none.
    catalogue : lingshou.data.catalogue.Catalogue, optional
        Canonical county names for the published rows.
    rounds : list of int, optional
        Rounds to fit (default: every numbered round of ``grades``).
    skip_absent : bool
        Skip (and list in ``skipped``) the published rows of counties or years the statistics lack, instead
        of refusing them — for a notebook on a data folder that holds only some counties.

    Raises
    ------
    DataError
        Listing every problem at once: a grade outside the model's, a county or data year the statistics
        lack, a data year that does not match the round, two grades for one county and round, a score out of
        its grade's band, an unreadable average; or no published result to fit.
    """
    grades = Path(grades)
    raw = read_csv_text(grades, {"zh": "已公布等级表", "en": "the published grades file"})
    if "evaluation_year" not in raw.columns:
        raise DataError(bi(f"{grades.name} 缺少列 evaluation_year", f"{grades.name} lacks the column evaluation_year"))
    wanted = None if rounds is None else sorted({int(r) for r in rounds})
    values = derived_values(data, catalogue) if catalogue is not None else data
    years = {int(y) for y in values.loc[values["value"].notna(), "year"].unique()}
    round_list = [r for r in (wanted or result_rounds(raw, model)) if data_year_of_round(r, model) in years]
    scored, ratios = _round_tables(values, round_list, model)
    present = {int(y): set(scored.loc[scored["data_year"] == y, "county"]) for y in scored["data_year"].unique()}
    rows, skipped, problems = _grade_rows(raw, grades, model, catalogue, present, wanted, skip_absent)
    for r in sorted(set(wanted or ()) - set(round_list) if not skip_absent else ()):
        problems.append(bi(f"第 {r} 轮评价用 {data_year_of_round(r, model)} 年数据，数据中没有该年的统计数",
                           f"round {r} uses data of {data_year_of_round(r, model)}; the data have no statistics for that year"))
    counts = []
    files = {"grades": grades}
    if summary is not None:
        summary = Path(summary)
        s_rows, counts, s_skipped, s_problems = _summary_rows(
            read_csv_text(summary, {"zh": "全省结果汇总表", "en": "the province-wide summary file"}), summary, model,
            scored, wanted or round_list)
        rows, skipped, problems = rows + s_rows, skipped + s_skipped, problems + s_problems
        files["summary"] = summary
    if problems:
        raise DataError(bi(f"评价结果有 {len(problems)} 个问题，未校准", f"{len(problems)} problem(s) in the published results; "
                           "nothing calibrated"), problems)
    if not rows:
        raise NoResults(bi(f"{grades.name} 中没有可用于校准的已公布结果", f"{grades.name} holds no published result to calibrate on"))
    results = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    used = sorted(set(results["round"]))
    keep = scored["round"].isin(used).to_numpy()
    return Observations(codes=list(model["indicators"]), rounds=used, scored=scored[keep].reset_index(drop=True),
                        ratios=ratios[keep], results=results,
                        skipped=pd.DataFrame(skipped, columns=["file", "line", "county", "round", "reason"]),
                        counts=pd.DataFrame(counts, columns=["round", "grade", "n"]), files=files)
