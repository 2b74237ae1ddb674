"""Illustrative (synthetic) statistics, generated reproducibly from written assumptions.

No public source gives the S&T series the suite needs (see ``data/raw/statistics/illustrative_assumptions.yaml``).
:func:`generate_statistics` makes them: for each unit and year it solves a latent capacity ``a`` so that
the unit's modelled evaluation score (the assumed provincial model, default rule) hits a given score
path, derives every catalogue indicator from it (operands first, ratios computed from rounded operands),
and marks every value ``status = illustrative``.  :func:`synthetic_counties` makes a province-sized set of
fictitious units for the scale benchmarks.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from lingshou.errors import ParameterError
from lingshou.i18n import bi

ASSUMPTIONS_FILE = "statistics/illustrative_assumptions.yaml"
MODEL_FILE = "models/hebei_county_st_evaluation.yaml"
BUNDLED_FILE = "statistics/illustrative_shijiazhuang_2018-2024.csv"
PROVINCE_FILE = "statistics/illustrative_hebei_2018-2024.csv"
GRADES_FILE = "evaluation/grades.csv"

# The module was lingshou.synthetic when the bundled file was generated; the name stays in the source text
# so that regenerating the file reproduces it byte for byte (tests/test_illustrative_generate.py).
SOURCE = "lingshou 示例数据 illustrative (lingshou.synthetic, seed {seed}; not official statistics)"
PROVINCE_SOURCE = "lingshou 示例数据 illustrative (lingshou.illustrative.province, seed {seed}; not official statistics)"
QUANTITATIVE_ORDER = [
    "fiscal_st_share", "enterprise_rd_intensity", "high_tech_enterprises", "st_smes", "provincial_platforms",
    "rd_institution_coverage", "provincial_service_institutions", "provincial_innovation_parks",
    "invention_patents_per_10k", "high_tech_value_added_share", "agri_industrialization_rate",
]


def _model_points(values: dict[str, float], model: dict) -> float:
    """Quantitative points under the model's default rule: sum of points * min(value / benchmark, 1).

    The scoring engine (:mod:`lingshou.evaluation.model`) is the reference; this scalar form runs inside the
    bisection (thousands of calls) where a DataFrame per call would be too slow.  The tests check that
    the engine scores the generated data as this function does.
    """
    total = 0.0
    for code, spec in model["indicators"].items():
        total += spec["points"] * min(max(values[code], 0.0) / spec["benchmark"], 1.0)
    return total


def _indicators(rho: dict[str, float], econ: dict[str, float], model: dict) -> dict[str, float]:
    """Every catalogue indicator of one unit-year from achievement ratios and the economy (rounded as a
    bureau would publish them; ratios from rounded operands)."""
    bench = {c: s["benchmark"] for c, s in model["indicators"].items()}
    pop = econ["population"]
    v: dict[str, float] = {"resident_population": round(pop, 4), "gdp": round(econ["gdp"], 1)}
    v["general_budget_expenditure"] = round(econ["budget"], 1)
    v["fiscal_st_expenditure"] = round(rho["fiscal_st_share"] * bench["fiscal_st_share"] * econ["budget"] / 100, 1)
    v["fiscal_st_share"] = round(100 * v["fiscal_st_expenditure"] / v["general_budget_expenditure"], 2)
    v["industrial_revenue"] = round(econ["revenue"], 1)
    v["enterprise_rd_expenditure"] = round(rho["enterprise_rd_intensity"] * bench["enterprise_rd_intensity"] * econ["revenue"] / 100, 1)
    v["enterprise_rd_intensity"] = round(100 * v["enterprise_rd_expenditure"] / v["industrial_revenue"], 2)
    v["registered_enterprises"] = float(round(econ["firms"]))
    v["high_tech_enterprises"] = float(round(rho["high_tech_enterprises"] * bench["high_tech_enterprises"]))
    v["high_tech_per_1000_firms"] = round(1000 * v["high_tech_enterprises"] / v["registered_enterprises"], 2)
    v["st_smes"] = float(round(rho["st_smes"] * bench["st_smes"]))
    v["st_smes_per_1000_firms"] = round(1000 * v["st_smes"] / v["registered_enterprises"], 2)
    v["provincial_platforms"] = float(round(rho["provincial_platforms"] * bench["provincial_platforms"]))
    v["above_scale_industrial_enterprises"] = float(max(round(econ["revenue"] / econ["above_scale_revenue"]), 5))
    v["enterprises_with_rd_institutions"] = float(min(round(
        rho["rd_institution_coverage"] * bench["rd_institution_coverage"] / 100 * v["above_scale_industrial_enterprises"]),
        v["above_scale_industrial_enterprises"]))
    v["rd_institution_coverage"] = round(100 * v["enterprises_with_rd_institutions"] / v["above_scale_industrial_enterprises"], 2)
    v["provincial_service_institutions"] = float(round(rho["provincial_service_institutions"] * bench["provincial_service_institutions"]))
    v["provincial_innovation_parks"] = float(round(rho["provincial_innovation_parks"] * bench["provincial_innovation_parks"]))
    v["effective_invention_patents"] = float(round(rho["invention_patents_per_10k"] * bench["invention_patents_per_10k"] * v["resident_population"]))
    v["invention_patents_per_10k"] = round(v["effective_invention_patents"] / v["resident_population"], 2)
    v["industrial_value_added"] = round(econ["revenue"] * econ["va_ratio"], 1)
    v["high_tech_value_added"] = round(min(rho["high_tech_value_added_share"] * bench["high_tech_value_added_share"], 95) / 100 * v["industrial_value_added"], 1)
    v["high_tech_value_added_share"] = round(100 * v["high_tech_value_added"] / v["industrial_value_added"], 2)
    v["agri_industrialization_rate"] = round(min(rho["agri_industrialization_rate"] * bench["agri_industrialization_rate"], 95), 2)
    return v


def _solve_capacity(target_points: float, effects: dict[str, float], econ: dict, model: dict,
                    min_ratio: float) -> tuple[float, dict[str, float]]:
    """Bisection on the latent capacity so that the quantitative points reach ``target_points``."""
    def values_at(a: float) -> dict[str, float]:
        rho = {c: max(a + effects[c], min_ratio) for c in QUANTITATIVE_ORDER}
        return _indicators(rho, econ, model)

    lo, hi = -0.5, 2.5
    for _ in range(60):
        mid = (lo + hi) / 2
        if _model_points(values_at(mid), model) < target_points:
            lo = mid
        else:
            hi = mid
    return hi, values_at(hi)


def generate_statistics(units: pd.DataFrame, score_paths: pd.DataFrame, assumptions: dict, model: dict,
                        seed: int, source: str = SOURCE) -> pd.DataFrame:
    """Illustrative statistics for every unit and year of ``score_paths``.

    Parameters
    ----------
    units : DataFrame
        Index: county; columns ``type`` (市辖区 / 县 / 县级市) and ``population_2020`` (万人).
    score_paths : DataFrame
        Index: county; columns: data years; values: the modelled score to reach (0–100).
    assumptions : dict
        The ``illustrative_assumptions.yaml`` content (noise, economy, growth, effects).
    model : dict
        The provincial scoring model (its indicators, points and benchmarks).
    seed : int
        Seed of the random effects (same seed, same data).
    source : str
        The ``source`` of every value (``{seed}`` is filled in).

    Returns
    -------
    DataFrame
        Tidy: ``county, year, indicator, value, unit, status, source`` (status ``illustrative``).
    """
    missing = sorted(set(score_paths.index) - set(units.index))
    if missing:
        raise ParameterError(bi(f"得分路径中的县不在单位表中：{missing}", f"score paths name units missing from the unit table: {missing}"))
    rng = np.random.default_rng(seed)
    a_sd, e_sd = float(assumptions["unit_effect_sd"]), float(assumptions["year_noise_sd"])
    min_ratio = float(assumptions.get("min_ratio", 0.03))
    econ_sd = float(assumptions.get("economy_noise_sd", 0.0))
    q = assumptions["qualitative"]
    econ_types, growth = assumptions["economy"], assumptions["growth"]
    industry = assumptions.get("industry_factor", {})
    fixed_effects = assumptions.get("unit_effects", {})
    years = [int(y) for y in score_paths.columns]
    rows = []
    for county in sorted(score_paths.index):
        utype = units.at[county, "type"]
        base = econ_types[utype]
        drawn = rng.normal(0.0, a_sd, size=len(QUANTITATIVE_ORDER))
        effects = dict(zip(QUANTITATIVE_ORDER, drawn))
        effects.update(fixed_effects.get(county, {}))
        noise = rng.normal(0.0, e_sd, size=(len(years), len(QUANTITATIVE_ORDER)))
        # Yearly shocks of the economy (log scale) so that growth rates vary as real series do.
        shocks = rng.normal(0.0, econ_sd, size=(len(years), 3))
        pop2020 = float(units.at[county, "population_2020"])
        for k, year in enumerate(years):
            d = year - 2022
            pop = pop2020 * (1 + growth["population"][utype]) ** (year - 2020)
            econ = {
                "population": pop,
                "budget": base["budget_pc"] * pop * (1 + growth["budget"]) ** d * np.exp(shocks[k, 0]),
                "gdp": base["gdp_pc"] * pop * (1 + growth["gdp"]) ** d * np.exp(shocks[k, 1]),
                "revenue": base["revenue_pc"] * industry.get(county, 1.0) * pop * (1 + growth["revenue"]) ** d
                * np.exp(shocks[k, 2]),
                "firms": base["firms_pc"] * pop * (1 + growth["firms"]) ** d,
                "above_scale_revenue": base["above_scale_revenue"],
                "va_ratio": float(assumptions["industrial_value_added_ratio"]),
            }
            score = float(score_paths.at[county, year])
            qual = float(np.clip(q["base"] + q["slope"] * (score - 40) / 55, *q["clip"]))
            qual = round(qual * 2) / 2
            eff = {c: effects[c] + noise[k, j] for j, c in enumerate(QUANTITATIVE_ORDER)}
            _, values = _solve_capacity(score - qual, eff, econ, model, min_ratio)
            values["innovation_management"] = qual
            values["innovative_towns"] = float(int(score >= 55) + int(score >= 75) + int(score >= 88))
            for code, value in values.items():
                rows.append((county, year, code, float(value)))
    out = pd.DataFrame(rows, columns=["county", "year", "indicator", "value"])
    out["status"] = "illustrative"
    out["source"] = source.format(seed=seed)
    return out


def modelled_points(tidy: pd.DataFrame, model: dict) -> pd.Series:
    """Modelled score per (county, year) of a tidy table under the model's default rule, computed with the
    scoring engine (:func:`lingshou.evaluation.model.score_counties`, one year at a time) — used to check the
    generated data against its score paths and the published grades."""
    from lingshou.evaluation.model import score_counties

    wide = tidy.pivot_table(index=["county", "year"], columns="indicator", values="value", aggfunc="first")
    codes = list(model["indicators"]) + [model["qualitative"]["indicator"]]
    parts = []
    for year, block in wide[codes].groupby(level="year"):
        scores = score_counties(block.droplevel("year"), model, rule=None)["score"]
        parts.append(pd.Series(scores.to_numpy(), index=pd.MultiIndex.from_product([scores.index, [year]],
                                                                                     names=["county", "year"])))
    return pd.concat(parts).sort_index()


def synthetic_counties(n: int = 167, seed: int = 167, years=range(2017, 2025)) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fictitious units for scale tests: ``n`` units (名称 示例县001 …) with populations and score paths.

    Returns the unit table (index county; ``type``, ``population_2020``, ``prefecture``) and the score
    paths (index county; columns years), spread like the province's published distribution (about a
    third of units in each grade by the end).
    """
    if n < 1:
        raise ParameterError(bi(f"单位数须为正数：{n}", f"the number of units must be positive: {n}"))
    rng = np.random.default_rng(seed)
    names = [f"示例县{i:03d}" for i in range(1, n + 1)]
    types = rng.choice(["县", "县级市", "市辖区"], size=n, p=[0.62, 0.12, 0.26])
    pops = np.round(rng.lognormal(np.log(38), 0.45, size=n), 4)
    units = pd.DataFrame({"type": types, "population_2020": pops,
                          "prefecture": [f"示例市{1 + i % 11:02d}" for i in range(n)]}, index=names)
    years = list(years)
    start = rng.uniform(35, 82, size=n)
    slope = rng.uniform(1.0, 4.5, size=n)
    paths = np.clip(start[:, None] + slope[:, None] * np.arange(len(years))[None, :], 20, 97)
    return units, pd.DataFrame(np.round(paths, 1), index=names, columns=years)


def _inputs(raw: Path) -> dict:
    """What both bundled illustrative files are made from: assumptions, model, catalogue, published values
    (every statistics file but the illustrative ones), the units with their 2020 census population and the
    hand-written score paths."""
    from lingshou.config import data_folder
    from lingshou.data.catalogue import load_catalogue
    from lingshou.data.validate import load_statistics

    raw = Path(raw)
    folder = data_folder(raw)
    assumptions = yaml.safe_load((raw / ASSUMPTIONS_FILE).read_text(encoding="utf-8"))
    model = yaml.safe_load((raw / MODEL_FILE).read_text(encoding="utf-8"))
    cat = load_catalogue(folder)
    others = [p for p in sorted((raw / "statistics").glob("*.csv")) if not p.name.startswith("illustrative_")]
    published = pd.concat([load_statistics(p, data_dir=folder).table for p in others])
    census = published[(published["indicator"] == "resident_population") & (published["year"] == 2020)]
    counties = cat.counties.loc[cat.evaluated_counties()]
    units = counties[["type"]].join(census.set_index("county")["value"].rename("population_2020"), how="inner")
    y0, y1 = assumptions["years"]
    paths = pd.DataFrame.from_dict(assumptions["score_paths"], orient="index", columns=list(range(y0, y1 + 1)))
    return {"assumptions": assumptions, "model": model, "catalogue": cat, "published": published, "units": units,
            "paths": paths}


def _as_file(tidy: pd.DataFrame, paths: pd.DataFrame, inputs: dict) -> tuple[pd.DataFrame, float]:
    """The generated values in the committed layout, without those a published file gives; and the largest
    deviation (points) of the modelled score from the score paths."""
    check = modelled_points(tidy, inputs["model"])
    worst = float((check - paths.stack().reindex(check.index)).abs().max())
    key = ["county", "year", "indicator"]
    tidy = tidy.merge(inputs["published"][key].assign(_pub=True), on=key, how="left")
    tidy = tidy[tidy["_pub"].isna()].drop(columns="_pub")
    cat = inputs["catalogue"]
    table = pd.DataFrame({
        "县(市、区)": tidy["county"], "年份": tidy["year"], "指标代码": tidy["indicator"],
        "数值": tidy["value"], "计量单位": tidy["indicator"].map(cat.canonical_unit),
        "数据状态": tidy["status"], "数据来源": tidy["source"],
    }).sort_values(["县(市、区)", "指标代码", "年份"]).reset_index(drop=True)
    return table, worst


def bundled_illustrative(raw: Path) -> tuple[pd.DataFrame, float]:
    """The illustrative statistics of 石家庄's 22 units, regenerated from ``<raw>``'s written assumptions.

    Uses ``<raw>/statistics/illustrative_assumptions.yaml`` (its hand-written score paths), ``<raw>/counties.csv``,
    the assumed model and the published 2020 census population in ``<raw>/statistics``; values that a published
    file already gives are left out.  Returns the table in the layout of the committed file (Chinese headers,
    catalogue codes) and the largest deviation (points) of the modelled score from the score paths.
    """
    inputs = _inputs(raw)
    tidy = generate_statistics(inputs["units"], inputs["paths"], inputs["assumptions"], inputs["model"],
                               seed=int(inputs["assumptions"]["seed"]))
    return _as_file(tidy, inputs["paths"], inputs)


def published_grades(raw: Path, counties) -> pd.DataFrame:
    """``county, data_year, grade`` of the published grades of ``<raw>/evaluation/grades.csv`` (a data year and
    an A/B/C grade; counties of ``counties`` only)."""
    grades = pd.read_csv(Path(raw) / GRADES_FILE, dtype=str, keep_default_na=False)
    grades = grades[grades["data_year"].str.fullmatch(r"\d{4}") & grades["grade"].isin(["A", "B", "C"])]
    grades = grades[grades["county"].isin(set(counties))]
    return pd.DataFrame({"county": grades["county"], "data_year": grades["data_year"].astype(int),
                         "grade": grades["grade"]}).drop_duplicates().reset_index(drop=True)


def province_paths(raw: Path, inputs: dict | None = None) -> pd.DataFrame:
    """The score paths of every evaluated unit without a hand-written one (:mod:`lingshou.illustrative.province`)."""
    from lingshou.illustrative.province import province_score_paths

    inputs = inputs or _inputs(raw)
    spec = inputs["assumptions"]["province"]
    minimum = {g["grade"]: float(g["min"]) for g in inputs["model"]["grades"]}
    grades = published_grades(raw, inputs["units"].index)
    return province_score_paths(inputs["units"], inputs["paths"], grades, spec, seed=int(spec["seed"]),
                                minimum=minimum)


def bundled_province(raw: Path) -> tuple[pd.DataFrame, float]:
    """The illustrative statistics of the province's other evaluated units (``illustrative_hebei_2018-2024.csv``).

    Their score paths come from :func:`province_paths`; their industrial revenue is spread around their type's
    level by a seeded log-normal factor (``province.industry_factor_sd``); everything else as for
    :func:`bundled_illustrative`, with the province's own seed.
    """
    inputs = _inputs(raw)
    paths = province_paths(raw, inputs)
    spec = inputs["assumptions"]["province"]
    rng = np.random.default_rng(int(spec["seed"]) + 1)
    factors = np.exp(rng.normal(0.0, float(spec.get("industry_factor_sd", 0.0)), size=len(paths)))
    assumptions = {**inputs["assumptions"],
                   "industry_factor": {**inputs["assumptions"].get("industry_factor", {}),
                                       **dict(zip(paths.index, np.round(factors, 3)))}}
    tidy = generate_statistics(inputs["units"].loc[paths.index], paths, assumptions, inputs["model"],
                               seed=int(spec["seed"]), source=PROVINCE_SOURCE)
    return _as_file(tidy, paths, inputs)


def write_scale_folder(path: str | Path, n: int = 167, years=range(2017, 2025), seed: int = 167) -> Path:
    """Write a data folder of ``n`` fictitious counties × every catalogue indicator × ``years`` (illustrative).

    The folder (``<path>/raw/counties.csv`` with the fictitious units, ``<path>/raw/statistics/`` with one long
    CSV and its data card) works with every command's ``--data``; every other reference table falls back to
    the bundled ones.  For scale benchmarks: 167 units × 8 years ≈ 36,000 values.
    """
    from lingshou.config import DEFAULT_DATA_DIR

    path = Path(path)
    raw = path / "raw"
    (raw / "statistics").mkdir(parents=True, exist_ok=True)
    units, paths = synthetic_counties(n=n, seed=seed, years=years)
    bundled = DEFAULT_DATA_DIR / "raw"
    assumptions = yaml.safe_load((bundled / ASSUMPTIONS_FILE).read_text(encoding="utf-8"))
    assumptions["unit_effects"] = {}
    model = yaml.safe_load((bundled / MODEL_FILE).read_text(encoding="utf-8"))
    tidy = generate_statistics(units, paths, assumptions, model, seed=seed)
    counties = pd.DataFrame({"county": units.index, "short_name": units.index, "prefecture": units["prefecture"],
                             "province": "示例省", "type": units["type"], "note": "fictitious (synthetic)"})
    counties.to_csv(raw / "counties.csv", index=False, encoding="utf-8", lineterminator="\n")
    (raw / "aliases").mkdir(exist_ok=True)
    (raw / "aliases" / "county_aliases.csv").write_text("alias,county,note\n", encoding="utf-8")
    units_of = {r["code"]: r["unit"] for r in pd.read_csv(bundled / "indicators.csv", dtype=str).to_dict("records")}
    table = pd.DataFrame({"county": tidy["county"], "year": tidy["year"], "indicator": tidy["indicator"],
                          "value": tidy["value"], "unit": tidy["indicator"].map(units_of),
                          "status": tidy["status"], "source": tidy["source"]})
    name = f"synthetic_{n}_counties"
    table.to_csv(raw / "statistics" / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
    (raw / "statistics" / f"{name}.card.yaml").write_text(
        f"title: 示例数据：{n}个虚构县（规模测试用）\n"
        f"title_en: ILLUSTRATIVE data of {n} fictitious counties (for scale benchmarks)\n"
        "status: illustrative\npublisher: lingshou.illustrative.generate.write_scale_folder (NOT official statistics)\n"
        f"source: seed {seed}\nurl: none\nunits: catalogue canonical units\n"
        "caveats:\n  - Fictitious units and invented values; for performance measurement only.\n",
        encoding="utf-8")
    return path
