"""Calibration of the evaluation model on published results: the sampler, the LPs, known truth, bad input."""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from conftest import BUNDLED_RAW

from lingshou.errors import DataError, ParameterError
from lingshou.evaluation.calibration.fit import (
    Programme,
    fit_points,
    half_constraints,
    intervals,
)
from lingshou.evaluation.calibration.inputs import (
    grade_bands,
    leading_number,
    observations,
)
from lingshou.evaluation.calibration.run import calibrate, calibrate_observations
from lingshou.evaluation.calibration.sample import hit_and_run, misfit_extent
from lingshou.evaluation.model import load_model

HEBEI = BUNDLED_RAW / "models" / "hebei_county_st_evaluation.yaml"


# ---------------------------------------------------------------------------------------------------
# The sampler


def test_misfit_extent_by_hand():
    # f(t) = max(0, -1 + t) + max(0, -2 + t): 0 until 1, then t-1 until 2, then 2t-3; f = 0.5 at t = 1.5
    assert misfit_extent(np.array([[-1.0, -2.0]]), np.array([[1.0, 1.0]]), 0.5)[0] == pytest.approx(1.5)
    # one row leaving its violation: f = 0.2 - t until 0.2, then 0 until t = 2, then t - 2: 0.5 at t = 2.5
    assert misfit_extent(np.array([[0.2, -2.0]]), np.array([[-1.0, 1.0]]), 0.5)[0] == pytest.approx(2.5)
    # a ray along which nothing is ever violated has no limit
    assert misfit_extent(np.array([[-1.0]]), np.array([[-1.0]]), 0.0)[0] >= 1e11


def test_hit_and_run_is_uniform_on_the_simplex():
    # uniform on {w >= 0, w1 + w2 + w3 = 1}: E[w_i] = 1/3 and P(w_1 > 1/2) = (1/2)^2 = 1/4
    s = hit_and_run(np.zeros((0, 3)), np.zeros(0), 0.0, [0, 0, 0], [1, 1, 1], [True] * 3, [1 / 3] * 3,
                    n_samples=20_000, seed=1)
    assert s.shape == (20_000, 3)
    np.testing.assert_allclose(s.sum(axis=1), 1.0, atol=1e-9)
    np.testing.assert_allclose(s.mean(axis=0), 1 / 3, atol=0.01)
    assert (s[:, 0] > 0.5).mean() == pytest.approx(0.25, abs=0.015)


def test_hit_and_run_respects_the_misfit_budget():
    # x in the unit square with misfit max(0, x1 + x2 - 1) <= 0.5: the square less the corner triangle above
    # x1 + x2 = 1.5 (area 1/8, centroid x1 = 5/6): E[x1] = (1/2 - 1/8 * 5/6) / (7/8) = 0.45238
    A, b = np.array([[1.0, 1.0]]), np.array([1.0])
    s = hit_and_run(A, b, 0.5, [0, 0], [1, 1], [False, False], [0.2, 0.2], n_samples=40_000, seed=3)
    assert (s.sum(axis=1) <= 1.5 + 1e-9).all()
    assert s[:, 0].mean() == pytest.approx((0.5 - 0.125 * 5 / 6) / 0.875, abs=0.01)
    # budget 0: the triangle x1 + x2 <= 1, E[x1] = 1/3
    s = hit_and_run(A, b, 0.0, [0, 0], [1, 1], [False, False], [0.2, 0.2], n_samples=20_000, seed=2)
    assert (s.sum(axis=1) <= 1 + 1e-9).all()
    assert s[:, 0].mean() == pytest.approx(1 / 3, abs=0.01)


def test_hit_and_run_hard_limit_per_row():
    # budget 1 would allow x1 + x2 up to 2, but the row's own misfit is limited to 0.25: x1 + x2 <= 1.25
    s = hit_and_run(np.array([[1.0, 1.0]]), np.array([1.0]), 1.0, [0, 0], [1, 1], [False, False], [0.2, 0.2],
                    n_samples=5_000, seed=4, hard=np.array([0.25]))
    assert s.sum(axis=1).max() <= 1.25 + 1e-9
    assert s.sum(axis=1).max() > 1.2


def test_hit_and_run_refuses_a_start_outside_and_bad_counts():
    with pytest.raises(ParameterError, match=r"the sampler's start point is outside the set \(misfit 0.4, budget 0\)"):
        hit_and_run(np.array([[1.0, 1.0]]), np.array([1.0]), 0.0, [0, 0], [1, 1], [False, False], [0.7, 0.7])
    with pytest.raises(ParameterError, match="chains must be an integer >= 1, got 0"):
        hit_and_run(np.zeros((0, 2)), np.zeros(0), 0.0, [0, 0], [1, 1], [False, False], [0.5, 0.5], chains=0)


# ---------------------------------------------------------------------------------------------------
# The linear programmes, by hand


def _two_points(results: list[tuple[float, float]]) -> Programme:
    """Points w1 + w2 = 10; one county with ratios (1, 0.5): score = w1 + 0.5 w2 = 5 + 0.5 w1; each result a
    (lo, hi) interval on that score."""
    F = np.array([[1.0, 0.5]] * len(results))
    lo, hi = np.array([r[0] for r in results]), np.array([r[1] for r in results])
    A, b, owner = half_constraints(F, np.zeros(len(results)), lo, hi, 0.0, 100.0)
    return Programme(A=A, b=b, owner=owner, lower=np.zeros(2), upper=np.full(2, 10.0), eq=np.ones(2, dtype=bool),
                     total=10.0, names=["w1", "w2"])


def test_half_constraints_leave_out_bounds_that_cannot_bind():
    A, b, owner = half_constraints(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0.0, 2.0]), np.array([0.0, 60.0]),
                                   np.array([60.0, 100.0]), 0.0, 100.0)
    # row 0 (lo 0) keeps only its upper bound x1 <= 60; row 1 (hi 100) only its lower: -(x2 + 2) <= -60
    np.testing.assert_array_equal(A, [[0.0, -1.0], [1.0, 0.0]])
    np.testing.assert_array_equal(b, [-58.0, 60.0])
    np.testing.assert_array_equal(owner, [1, 0])


def test_consistent_results_give_hand_computed_intervals():
    prog = _two_points([(8.0, 100.0)])          # 5 + 0.5 w1 >= 8  ⇔  w1 >= 6
    fit = fit_points(prog)
    assert fit.total_slack == pytest.approx(0.0, abs=1e-9)
    lo, hi, centre = intervals(prog, 0.0)
    np.testing.assert_allclose(lo, [6.0, 0.0], atol=1e-7)
    np.testing.assert_allclose(hi, [10.0, 4.0], atol=1e-7)
    assert 6.0 <= centre[0] <= 10.0 and centre.sum() == pytest.approx(10.0)


def test_inconsistent_results_are_absorbed_by_slack():
    prog = _two_points([(8.0, 100.0), (0.0, 6.0)])   # score >= 8 and score <= 6: at least 2 points of misfit
    fit = fit_points(prog)
    assert fit.total_slack == pytest.approx(2.0)
    lo, hi, _ = intervals(prog, 2.0)                 # any score in [6, 8] costs exactly 2: w1 in [2, 6]
    np.testing.assert_allclose(lo, [2.0, 4.0], atol=1e-7)
    np.testing.assert_allclose(hi, [6.0, 8.0], atol=1e-7)


def test_slack_limit_can_make_it_infeasible():
    prog = _two_points([(8.0, 100.0), (0.0, 6.0)])
    limited = Programme(**{**prog.__dict__, "max_slack": 0.5})
    assert fit_points(limited) is None


def test_grade_bands_and_leading_numbers():
    assert grade_bands(load_model(HEBEI)) == {"A": (80.0, 100.0), "B": (60.0, 80.0), "C": (0.0, 60.0)}
    assert leading_number("45.87 (derived)") == 45.87
    assert leading_number("2018 (inferred)") == 2018.0
    assert leading_number("not found") is None


# ---------------------------------------------------------------------------------------------------
# Known truth: a synthetic province graded by points we choose


def _province(truth: np.ndarray, q: float, rounds: list[int], n: int = 167, seed: int = 7):
    """Tidy statistics and the grades of ``n`` synthetic counties in ``rounds`` under the Hebei model's rule
    (benchmark_ratio) with points ``truth`` and one qualitative value ``q`` — scores computed here by hand."""
    model = load_model(HEBEI)
    codes = list(model["indicators"])
    bench = np.array([model["indicators"][c]["benchmark"] for c in codes])
    rng = np.random.default_rng(seed)
    rows, grades = [], []
    for r in rounds:
        values = bench * rng.uniform(0.0, 1.3, size=(n, len(codes)))
        score = (truth * np.minimum(values / bench, 1.0)).sum(axis=1) + q
        for i in range(n):
            county = f"县{i:03d}"
            rows += [{"county": county, "year": r - 1, "indicator": c, "value": v, "status": "published"}
                     for c, v in zip(codes, values[i])]
            grade = "A" if score[i] >= 80 else "B" if score[i] >= 60 else "C"
            grades.append({"county": county, "evaluation_year": str(r), "data_year": str(r - 1), "grade": grade,
                           "data_year_inferred": "False", "grade_inferred": "False", "score": ""})
    return pd.DataFrame(rows), pd.DataFrame(grades), model


def _truth() -> np.ndarray:
    return np.array([4.0, 9, 12, 5, 3, 6, 7, 8, 4, 2, 3, 10, 7, 5])   # sums to 85


def _calibrated(tmp_path, rounds: list[int], held: int | None = None):
    data, grades, model = _province(_truth(), 11.0, rounds + ([held] if held else []))
    path = tmp_path / "grades.csv"
    grades.to_csv(path, index=False)
    obs = observations(data, model, path, rounds=rounds)
    return calibrate_observations(obs, model, n_samples=2_000, seed=1), data, grades, model


def test_known_truth_lies_inside_the_intervals_and_predicts_a_held_back_round(tmp_path):
    cal, data, grades, model = _calibrated(tmp_path, [2020, 2021, 2022, 2023], held=2024)
    table = cal.points_table().set_index("name")
    truth = dict(zip(cal.obs.codes, _truth()))
    assert cal.fit.total_slack == pytest.approx(0.0, abs=1e-5)
    for code, value in truth.items():
        assert table.at[code, "lo"] - 1e-6 <= value <= table.at[code, "hi"] + 1e-6, code
    assert table.at["qualitative", "lo"] - 1e-6 <= 11.0 <= table.at["qualitative", "hi"] + 1e-6
    # the held-back round, graded with the fitted points (score by hand as in _province)
    held = data[data["year"] == 2023].pivot(index="county", columns="indicator", values="value")[cal.obs.codes]
    bench = np.array([model["indicators"][c]["benchmark"] for c in cal.obs.codes])
    fitted = table.loc[cal.obs.codes, "fitted"].to_numpy()
    score = (fitted * np.minimum(held.to_numpy() / bench, 1.0)).sum(axis=1) + table.at["qualitative", "fitted"]
    predicted = np.where(score >= 80, "A", np.where(score >= 60, "B", "C"))
    published = grades[grades["evaluation_year"] == "2024"].set_index("county").loc[held.index, "grade"].to_numpy()
    assert (predicted == published).mean() >= 0.95


def test_intervals_shrink_with_more_rounds(tmp_path):
    widths = []
    for rounds in ([2020], [2020, 2021], [2020, 2021, 2022, 2023]):
        cal, *_ = _calibrated(tmp_path, rounds)
        widths.append(float((cal.hi - cal.lo)[:14].mean()))
    assert widths[0] > widths[1] > widths[2]


def test_calibrated_sample_lies_in_the_consistent_set(tmp_path):
    cal, *_ = _calibrated(tmp_path, [2020, 2021])
    s = cal.sample
    np.testing.assert_allclose(s[:, :14].sum(axis=1), 85.0, atol=1e-6)
    misfit = np.maximum(s @ cal.prog.A.T - cal.prog.b, 0.0).sum(axis=1)
    assert misfit.max() <= cal.budget + 1e-6
    assert (s >= cal.lo - 1e-6).all() and (s <= cal.hi + 1e-6).all()


# ---------------------------------------------------------------------------------------------------
# Bad input: every problem at once, naming file, row and value


def test_bad_published_rows_are_all_reported(tmp_path):
    data, grades, model = _province(_truth(), 11.0, [2021])
    grades.loc[0, "grade"] = "D"
    grades.loc[1, "county"] = "不存在县"
    grades.loc[2, "data_year"] = "2019"
    grades.loc[3, "score"] = "95"                # a score of A under a B or C grade, or out of band
    grades.loc[3, "grade"] = "B"
    extra = grades.iloc[[4]].assign(evaluation_year="2030", data_year="2029")
    path = tmp_path / "grades.csv"
    pd.concat([grades, extra]).to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        observations(data, model, path)
    text = str(info.value)
    assert "5 problem(s) in the published results; nothing calibrated" in text
    assert "grades.csv row 2, column grade, value 'D': the grade must be one of ['A', 'B', 'C']" in text
    assert "grades.csv row 3, column county, value '不存在县': the statistics of 2020 have no such county" in text
    assert "grades.csv row 4, column data_year, value 2019: round 2021 uses data of 2020" in text
    assert "grades.csv row 5, column score, value '95': the score must be a number in 60–79.995 (grade B)" in text
    assert "row 169, column evaluation_year, value 2030: the data have no statistics for 2029" in text


def test_two_grades_for_one_county_and_round(tmp_path):
    data, grades, model = _province(_truth(), 11.0, [2021], n=3)
    twice = grades.iloc[[0]].assign(grade="A" if grades.at[0, "grade"] != "A" else "C")
    path = tmp_path / "grades.csv"
    pd.concat([grades, twice]).to_csv(path, index=False)
    with pytest.raises(DataError, match=r"row 5, column grade, value '[AC]': the same round already gives grade"):
        observations(data, model, path)


def test_rounds_without_statistics_and_no_results(tmp_path):
    data, grades, model = _province(_truth(), 11.0, [2021], n=3)
    path = tmp_path / "grades.csv"
    grades.to_csv(path, index=False)
    with pytest.raises(DataError, match="round 2019 uses data of 2018; the data have no statistics for that year"):
        observations(data, model, path, rounds=[2019, 2021])
    grades.assign(evaluation_year="baseline").to_csv(path, index=False)
    with pytest.raises(DataError, match="grades.csv holds no published result to calibrate on"):
        observations(data, model, path)


def test_options_are_checked(tmp_path):
    data, grades, model = _province(_truth(), 11.0, [2021], n=5)
    path = tmp_path / "grades.csv"
    grades.to_csv(path, index=False)
    obs = observations(data, model, path)
    with pytest.raises(ParameterError, match="tolerance must be a non-negative number, got -1"):
        calibrate_observations(obs, model, tolerance=-1)
    with pytest.raises(ParameterError, match=r"qualitative must be one of \['common', 'per_county'\], got 'each'"):
        calibrate_observations(obs, model, qualitative="each")
    with pytest.raises(ParameterError, match=r"max_points must lie in \(0, 85\], got 90"):
        calibrate_observations(obs, model, max_points=90)
    with pytest.raises(ParameterError, match=r"max_slack must lie in \(0, ∞\), got 0"):
        calibrate_observations(obs, model, max_slack=0)


def test_infeasible_even_with_slack_limit(tmp_path):
    data, grades, model = _province(_truth(), 11.0, [2021], n=40)
    grades["grade"] = "A"                       # every county A: impossible for the weak ones
    path = tmp_path / "grades.csv"
    grades.to_csv(path, index=False)
    obs = observations(data, model, path)
    with pytest.raises(DataError, match="cannot reproduce the published results with at most 0.5 points of misfit"):
        calibrate_observations(obs, model, max_slack=0.5)


def test_inconsistent_results_are_called_so(tmp_path):
    data, grades, model = _province(_truth(), 11.0, [2021], n=60)
    grades["grade"] = grades["grade"].map({"A": "C", "B": "A", "C": "A"})   # scrambled grades
    path = tmp_path / "grades.csv"
    grades.to_csv(path, index=False)
    cal = calibrate_observations(observations(data, model, path), model, n_samples=500)
    from lingshou.evaluation.calibration.result import describe

    assert not cal.summary()["consistent"]
    assert any("the rule or its benchmarks are probably wrong" in s for s in describe(cal)["en"])


# ---------------------------------------------------------------------------------------------------
# The bundled data, the files and the calibrated model in the Monte Carlo


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    out = tmp_path_factory.mktemp("cal") / "calibrated.yaml"
    cal, path = calibrate(out=out, n_samples=2_000, seed=3)
    return cal, path


def test_bundled_calibration_writes_a_loadable_model(bundled):
    _, path = bundled
    model = load_model(path)
    assert model["uncertainty"]["weights"] == "calibrated"
    assert model["uncertainty"]["rules"] == ["benchmark_ratio"]
    assert sum(e["points"] for e in model["indicators"].values()) == pytest.approx(85.0, abs=1e-9)
    for entry in model["indicators"].values():
        assert entry["calibration"]["lo"] - 1e-3 <= entry["points"] <= entry["calibration"]["hi"] + 1e-3
    block = model["calibration"]
    assert block["fitted_on_illustrative_data"] is True
    assert block["rounds"] == [2019, 2020, 2021, 2022, 2023, 2024]
    assert any("illustrative" in s for s in block["reading"]["en"])
    assert model["calibration"]["sample"].shape == (2_000, 14)
    assert path.with_name("calibrated.results.csv").is_file()
    assert "FITTED ON ILLUSTRATIVE DATA" in path.read_text(encoding="utf-8")


def test_a_changed_sample_is_refused(bundled, tmp_path):
    _, path = bundled
    for name in (path.name, "calibrated.results.csv"):
        (tmp_path / name).write_bytes(path.with_name(name).read_bytes())
    sample = path.with_name("calibrated.sample.csv").read_text(encoding="utf-8")
    width = len(sample.splitlines()[0].split(","))
    with pytest.raises(ParameterError, match="the calibration sample file does not exist"):
        load_model(tmp_path / path.name)
    (tmp_path / "calibrated.sample.csv").write_text(sample + ",".join(["1"] * width) + "\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="does not match the model's SHA-256"):
        load_model(tmp_path / path.name)


def test_a_sample_with_bad_cells_is_refused(tmp_path):
    from lingshou.evaluation.model import read_sample

    (tmp_path / "s.csv").write_text("a,b\n1,2\n3,-1\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="holds a non-number, an empty cell or a negative number"):
        read_sample(tmp_path / "s.csv", None)


def test_the_model_file_itself_is_never_overwritten(tmp_path):
    with pytest.raises(ParameterError, match="refusing to overwrite the model file"):
        calibrate(out=HEBEI)
    with pytest.raises(ParameterError, match="--out must be a .yaml file"):
        calibrate(out=tmp_path / "x.csv")
    with pytest.raises(ParameterError, match="--rounds must be comma-separated years such as 2021,2023, got 'x'"):
        calibrate(out=tmp_path / "x.yaml", rounds="x")
    assert not (tmp_path / "x.yaml").exists()


def test_monte_carlo_draws_calibrated_points(bundled):
    from lingshou.evaluation.uncertainty import draw_inputs

    _, path = bundled
    model = load_model(path)
    sample = model["calibration"]["sample"]
    wide = pd.DataFrame({c: [1.0, 2.0] for c in model["indicators"]}, index=["甲", "乙"])
    draws = draw_inputs(wide, model, n_sims=50, seed=5)
    rows = {tuple(np.round(r, 9)) for r in sample[list(model["indicators"])].to_numpy()}
    assert all(tuple(np.round(p, 9)) in rows for p in draws.points)
    if "qualitative" in sample.columns:      # the two counties lack qualitative points: the sample's value
        assert set(np.round(draws.qualitative[:, 0], 9)) <= set(np.round(sample["qualitative"], 9))


def test_model_weights_key_is_checked():
    model = load_model(HEBEI)
    bad = copy.deepcopy(model)
    bad["uncertainty"]["weights"] = "random"
    from lingshou.evaluation.model import check_model

    with pytest.raises(ParameterError, match=r"uncertainty.weights must be one of \['noise', 'calibrated'\], got 'random'"):
        check_model(bad)
    bad["uncertainty"]["weights"] = "calibrated"
    with pytest.raises(ParameterError, match="weights is calibrated but no calibration sample was read"):
        check_model(bad)
    bad["calibration"] = {"sample": pd.DataFrame({"x": [1.0, 2.0]})}
    with pytest.raises(ParameterError, match=r"the calibration sample lacks indicator column\(s\) \['fiscal_st_expenditure'"):
        check_model(bad)


def test_command_line(tmp_path, capsys):
    from lingshou.cli import main

    out = tmp_path / "m.yaml"
    assert main(["calibrate", "--out", str(out), "--samples", "300", "--rounds", "2023,2024"]) == 0
    printed = capsys.readouterr().out
    assert "Calibrated on" in printed and "2023, 2024" in printed and f"written: {out}" in printed
    assert "fiscal_st_expenditure" in printed and "illustrative" in printed
    assert load_model(out)["calibration"]["rounds"] == [2023, 2024]
    assert main(["calibrate", "--out", str(tmp_path / "n.yaml"), "--rounds", "2030"]) == 1
    assert "round 2030 uses data of 2029" in capsys.readouterr().err
    assert not (tmp_path / "n.yaml").exists()
    assert main(["calibrate", "--out", str(tmp_path / "n.yaml"), "--tolerance", "-2"]) == 2


# ---------------------------------------------------------------------------------------------------
# The notebook's section


def test_skip_absent_lists_what_the_data_lack(tmp_path):
    data, grades, model = _province(_truth(), 11.0, [2021], n=4)
    extra = grades.iloc[[0]].assign(county="别处县")
    path = tmp_path / "grades.csv"
    pd.concat([grades, extra]).to_csv(path, index=False)
    obs = observations(data, model, path, skip_absent=True)
    assert len(obs.results) == 4
    assert obs.skipped["reason"].str.contains("the statistics of 2020 lack this county").tolist() == [True]
    grades.assign(county="别处县").to_csv(path, index=False)
    from lingshou.evaluation.calibration.inputs import NoResults

    with pytest.raises(NoResults, match="holds no published result to calibrate on"):
        observations(data, model, path, skip_absent=True)


def test_notebook_comparison_on_the_bundled_data():
    from lingshou.config import data_folder
    from lingshou.data.build import load_data
    from lingshou.data.catalogue import load_catalogue
    from lingshou.evaluation.benchmarking.inputs import derived_values, wide_table
    from lingshou.evaluation.calibration import reading
    from lingshou.evaluation.uncertainty import analyse_uncertainty

    folder = data_folder(None)
    data, cat, model = load_data(folder), load_catalogue(folder), load_model(HEBEI)
    wide = wide_table(derived_values(data, cat), 2024, model)
    before = analyse_uncertainty(wide, model, n_sims=200, seed=1)
    out = reading.compare(data, model, folder, cat, wide, "灵寿县", 2024, before, n_sims=200, seed=1, n_samples=200)
    n = out["numbers"]
    assert n["calibrated"] and n["illustrative"] and n["results"] == 106
    assert n["score_assumed"] == pytest.approx(before.table.at["灵寿县", "score"])
    table = out["table"]["zh"]
    assert list(table.columns) == ["indicator", "name", "assumed", "fitted", "lo", "hi", "pinned"]
    assert table.loc[table["indicator"] == "fiscal_st_expenditure", "name"].item() == "地方财政科技支出"
    assert "示例数据" in out["paragraph"]["zh"] and "灵寿县2024年数据得" in out["paragraph"]["zh"]
    assert "illustrative" in out["paragraph"]["en"]


def test_paragraph_without_results():
    from lingshou.evaluation.calibration.reading import paragraph

    assert paragraph(None, "灵寿县", 2024, None, None, "en") == (
        "No published evaluation result concerns the counties and years of the data: no calibration.")


def test_report_table_names_every_column():
    from lingshou.evaluation.calibration.reading import TABLE_COLUMNS, report_table

    entry = report_table()
    assert entry["columns"] == TABLE_COLUMNS
    assert len(entry["labels"]["zh"]) == len(entry["labels"]["en"]) == len(TABLE_COLUMNS)
    assert entry["file"] == "tables/calibration_points.csv"


def test_per_county_qualitative_points(tmp_path):
    from lingshou.evaluation.calibration.output import in_memory_model
    from lingshou.evaluation.model import qualitative_points

    data, grades, model = _province(_truth(), 11.0, [2021, 2022], n=30)
    path = tmp_path / "grades.csv"
    grades.to_csv(path, index=False)
    cal = calibrate_observations(observations(data, model, path), model, qualitative="per_county", n_samples=300)
    q_names = [n for n in cal.prog.names if n.startswith("qualitative:")]
    assert len(q_names) == 30 and (cal.lo[14:] >= 8 - 1e-9).all() and (cal.hi[14:] <= 15 + 1e-9).all()
    calibrated = in_memory_model(cal)
    by_county = calibrated["qualitative"]["by_county"]
    assert set(by_county) == {n.split(":", 1)[1] for n in q_names}
    wide = pd.DataFrame(index=["县000", "别处县"])
    points, assumed = qualitative_points(wide, calibrated)
    assert points["县000"] == by_county["县000"] and points["别处县"] == calibrated["qualitative"]["default"]
    assert assumed.all()            # fitted, not given: the Monte Carlo still varies them
