"""The calibration in the benchmarking notebook and the report: calibrate on the data folder in memory, and
read the calibrated points beside the assumed ones and the county's grade under each."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from lingshou.evaluation.calibration.inputs import GRADES_FILE, SUMMARY_FILE, NoResults, observations
from lingshou.evaluation.calibration.result import Calibration, describe
from lingshou.evaluation.calibration.run import calibrate_observations

if TYPE_CHECKING:
    from lingshou.evaluation.uncertainty import MonteCarlo

#: The table the notebook writes (under ``tables/``).
TABLE_FILE = "calibration_points.csv"
TABLE_COLUMNS = ["name", "assumed", "fitted", "lo", "hi", "pinned"]


def calibrate_folder(data: pd.DataFrame, model: dict, folder, catalogue=None, n_samples: int = 2_000,
                     seed: int = 0) -> Calibration | None:
    """Calibrate ``model`` on the data folder's statistics and published results, in memory.

    Published rows of counties or years the data lack are skipped (listed in ``obs.skipped``), so a folder that
    holds a few counties still calibrates on what it has; None when nothing published concerns the data.

    Raises
    ------
    DataError
        A bad published row (grade outside the model's, two grades for one county and round …).
    """
    summary = folder.reference(SUMMARY_FILE)
    try:
        obs = observations(data, model, folder.reference(GRADES_FILE), summary if summary.is_file() else None,
                           catalogue, skip_absent=True)
    except NoResults:
        return None
    return calibrate_observations(obs, model, n_samples=n_samples, seed=seed)


def points_report(cal: Calibration, catalogue=None, lang: str = "zh") -> pd.DataFrame:
    """The points beside the assumed ones: ``indicator, name, assumed, fitted, lo, hi, pinned`` (是/否, yes/no).

    ``name`` is the catalogue's indicator name in ``lang`` (the code where the catalogue has none); the
    qualitative value is named 创新管理（定性，未给出的县）/ qualitative (counties without points).
    """
    table = cal.points_table()
    names = {}
    if catalogue is not None:
        info = catalogue.indicators.set_index("code") if "code" in catalogue.indicators.columns else catalogue.indicators
        column = "name_zh" if lang == "zh" else "name_en"
        if column in info.columns:
            names = info[column].to_dict()
    q_label = {"zh": "创新管理（定性，未给出的县）", "en": "qualitative (counties without points)"}[lang]
    yes_no = {"zh": ("是", "否"), "en": ("yes", "no")}[lang]
    return pd.DataFrame({
        "indicator": table["name"],
        "name": [q_label if n.startswith("qualitative") else names.get(n, n) for n in table["name"]],
        "assumed": table["assumed"], "fitted": table["fitted"], "lo": table["lo"], "hi": table["hi"],
        "pinned": [yes_no[0] if ok else yes_no[1] for ok in table["identified"]],
    })


def report_table() -> dict:
    """The table entry of the benchmarking summary (see :func:`lingshou.report.summary.write_summary`)."""
    return {"file": f"tables/{TABLE_FILE}", "columns": TABLE_COLUMNS, "max_rows": 20,
            "caption": {"zh": "按已公布等级校准的评价分值：原假设、校准值与已公布结果一致的区间",
                        "en": "Evaluation points calibrated on the published grades: assumed, calibrated, and the "
                              "interval consistent with the published results"},
            "labels": {"zh": ["指标", "原假设", "校准值", "区间下限", "区间上限", "可确定"],
                       "en": ["Indicator", "Assumed", "Calibrated", "Interval low", "Interval high", "Pinned down"]}}


def _grade_part(row: Mapping, lang: str) -> str:
    grade = row["grade"]
    p = float(row.get(f"p_grade_{grade}", float("nan")))
    if lang == "zh":
        return f"{float(row['score']):.1f}分、{grade}类（{grade}类概率{p:.0%}）"
    return f"{float(row['score']):.1f} points, class {grade} (P({grade}) {p:.0%})"


def paragraph(sentences: Mapping | None, county: str, year: int, assumed: Mapping | None, calibrated: Mapping | None,
              lang: str = "zh") -> str:
    """One paragraph: what the calibration found and the county's grade under the assumed and calibrated points.

    ``sentences`` is :func:`~lingshou.evaluation.calibration.result.describe` of the calibration (None: no
    published result concerned the data); ``assumed`` / ``calibrated`` are the county's rows of the
    uncertainty table (``score, grade, p_grade_*``) under each model.
    """
    if sentences is None:
        return {"zh": "已公布的评价结果不涉及数据中的县和年份，未做校准。",
                "en": "No published evaluation result concerns the counties and years of the data: no calibration."}[lang]
    if lang == "zh":
        tail = (f"按校准后的分值，{county}{year}年数据得{_grade_part(calibrated, lang)}；"
                f"按原假设分值为{_grade_part(assumed, lang)}。校准后的模拟只改变校准样本允许的分值，评分规则不变。")
        return "按已公布等级校准评价分值：" + "".join(sentences[lang]) + tail
    tail = (f" Under the calibrated points, {county}'s {year} data score {_grade_part(calibrated, lang)}; under "
            f"the assumed points {_grade_part(assumed, lang)}. The calibrated simulation varies the points only "
            "within the calibration sample and keeps the scoring rule.")
    return "Points calibrated on the published grades: " + " ".join(sentences[lang]) + tail


def province_part(data: pd.DataFrame, model: dict, folder, catalogue, wide: pd.DataFrame, n_sims: int, seed: int,
                  qualitative=None, n_samples: int = 1_000) -> dict:
    """What the calibration section shares across the counties of a batch (JSON values and tables).

    Calibrates ``model`` in memory (:func:`calibrate_folder`) and runs the uncertainty analysis of ``wide``
    under the calibrated model (same ``n_sims``, ``seed``, ``qualitative`` as the assumed model's).

    Returns
    -------
    dict
        ``calibrated`` (bool); when True also ``summary`` (:meth:`Calibration.summary`), ``sentences``
        (:func:`describe`), ``table_zh`` / ``table_en`` (:func:`points_report`) and ``after`` (the
        calibrated uncertainty table of every peer).
    """
    from lingshou.evaluation.calibration.output import in_memory_model
    from lingshou.evaluation.uncertainty import analyse_uncertainty

    cal = calibrate_folder(data, model, folder, catalogue, n_samples=n_samples, seed=seed)
    if cal is None:
        return {"calibrated": False}
    after = analyse_uncertainty(wide, in_memory_model(cal), n_sims=n_sims, seed=seed, qualitative=qualitative).table
    return {"calibrated": True, "summary": _json_safe(cal.summary()), "sentences": describe(cal),
            "table_zh": points_report(cal, catalogue, "zh"), "table_en": points_report(cal, catalogue, "en"),
            "after": after}


def _json_safe(summary: dict) -> dict:
    """Numbers as plain floats, ints and bools (numpy scalars would not be stored)."""
    import numpy as np

    def plain(v):
        if isinstance(v, np.generic):
            return v.item()
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        return v

    return {k: plain(v) for k, v in summary.items()}


def compare(data: pd.DataFrame, model: dict, folder, catalogue, wide: pd.DataFrame, county: str, year: int,
            uncertainty: MonteCarlo, n_sims: int, seed: int, qualitative=None, n_samples: int = 1_000,
            shared_dir=None) -> dict:
    """The notebook's calibration section in one call: :func:`province_part` (read from ``shared_dir`` when a
    county of the batch has computed it with the same inputs) read for ``county``.

    Returns
    -------
    dict
        ``table`` ({"zh", "en"} → :func:`points_report`, or None), ``paragraph`` ({"zh", "en"}), ``numbers``
        (JSON-safe: share reproduced under each model, the county's score, grade and grade probability under
        each, or ``{"calibrated": False}``).
    """
    from lingshou.data.build import file_hash
    from lingshou.data.store import remember

    published = [folder.reference(name) for name in (GRADES_FILE, SUMMARY_FILE)]
    key = (data, model, [file_hash(p) if p.is_file() else None for p in published], catalogue.indicators,
           catalogue.counties, wide, n_sims, seed, qualitative, n_samples)
    part = remember(shared_dir, "calibration", key, lambda: province_part(
        data, model, folder, catalogue, wide, n_sims, seed, qualitative=qualitative, n_samples=n_samples))
    if not part["calibrated"]:
        return {"table": None, "numbers": {"calibrated": False},
                "paragraph": {lang: paragraph(None, county, year, None, None, lang) for lang in ("zh", "en")}}
    after, before, s = part["after"].loc[county], uncertainty.table.loc[county], part["summary"]
    numbers = {"calibrated": True, "share_reproduced": s["share_reproduced"],
               "share_reproduced_assumed": s["share_reproduced_assumed"], "results": s["n_results"],
               "total_slack": s["total_slack"], "illustrative": s["illustrative"], "consistent": s["consistent"],
               "unidentified": s["unidentified"],
               **{f"{k}_{which}": (float(row[k]) if k != "grade" else str(row[k]))
                  for which, row in (("assumed", before), ("calibrated", after)) for k in ("score", "grade")},
               "p_grade_assumed": float(before[f"p_grade_{before['grade']}"]),
               "p_grade_calibrated": float(after[f"p_grade_{after['grade']}"])}
    return {"numbers": numbers, "table": {"zh": part["table_zh"], "en": part["table_en"]},
            "paragraph": {lang: paragraph(part["sentences"], county, year, before, after, lang) for lang in ("zh", "en")}}
