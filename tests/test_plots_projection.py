"""Tests of the projection figures (lingshou.plots.projection)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from lingshou.analysis import projection as P
from lingshou.analysis.projection import intensity_scenarios
from lingshou.errors import ParameterError
from lingshou.plots import illustrative_label
from lingshou.plots.projection import plot_intensity_paths, plot_rd_fan

RD = pd.Series({2018: 1000.0, 2019: 1150.0, 2020: 1240.0, 2021: 1500.0, 2022: 1580.0, 2023: 1800.0},
               name="enterprise_rd_expenditure")
REVENUE = pd.Series({y: 100000.0 * 1.05 ** (y - 2018) for y in range(2018, 2024)}, name="industrial_revenue")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def simulated():
    return P.build_projection(RD, REVENUE, "illustrative", n_sims=300, seed=5)


@pytest.fixture(scope="module")
def short():
    # 2 points: deterministic only (base year 2021 observed).
    return P.build_projection(pd.Series({2021: 100.0, 2022: 110.0}), pd.Series({2021: 10000.0, 2022: 11000.0}),
                              "published", revenue_growth_pct={"low": 0.0, "central": 10.0, "high": 20.0},
                              end_year=2024)


def texts_of(fig) -> list[str]:
    return [t.get_text() for t in fig.texts]


def legend_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


# ---------------------------------------------------------------- intensity scenarios

def test_intensity_scenarios_hand_computed(short):
    table, summary = short
    got = intensity_scenarios(table, pd.Series({2021: 10000.0, 2022: 11000.0}), summary)
    # R&D: 100, 110, then CAGR 10 %: 121 (2023), 133.1 (2024).
    # Revenue from 11000 (2022): low 0 % -> 11000, 11000; central 10 % -> 12100, 13310; high 20 % -> 13200, 15840.
    # 2021: 100/10000 = 1 %; 2022: 110/11000 = 1 %
    # 2023: 121/11000 = 1.1, 121/12100 = 1.0, 121/13200 = 0.91667
    # 2024: 133.1/11000 = 1.21, 133.1/13310 = 1.0, 133.1/15840 = 0.84028
    expected = pd.DataFrame({"low": [1.0, 1.0, 1.1, 1.21], "central": [1.0, 1.0, 1.0, 1.0],
                             "high": [1.0, 1.0, 121 / 132, 133.1 / 158.4]}, index=[2021, 2022, 2023, 2024])
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-12)
    assert list(got.index) == [2021, 2022, 2023, 2024]
    assert list(got.columns) == ["low", "central", "high"]


def test_intensity_scenarios_without_rates_repeat_the_central_column():
    # One revenue value: no scenario rates, projected intensity is empty.
    table, summary = P.build_projection(pd.Series({2021: 50.0}), pd.Series({2021: 10000.0}), "published")
    got = intensity_scenarios(table, pd.Series({2021: 10000.0}), summary)
    assert summary["revenue_growth_pct"] is None
    assert got.loc[2021].tolist() == [0.5, 0.5, 0.5]  # 50 / 10000 * 100
    assert got.loc[2022:].isna().all().all()


def test_intensity_scenarios_errors(short):
    table, summary = short
    with pytest.raises(ParameterError, match="table must be the DataFrame returned by build_projection, got list"):
        intensity_scenarios([], REVENUE, summary)
    with pytest.raises(ParameterError, match=r"table lacks the columns \['p50'\]"):
        intensity_scenarios(table.drop(columns="p50"), REVENUE, summary)
    with pytest.raises(ParameterError, match="summary must be the dict returned by build_projection, got str"):
        intensity_scenarios(table, REVENUE, "summary")
    with pytest.raises(ParameterError, match="summary lacks revenue_growth_pct or end_year"):
        intensity_scenarios(table, REVENUE, {"end_year": 2024})


# ---------------------------------------------------------------- fan chart

@pytest.mark.parametrize("lang, xlabel, unit, median", [("zh", "年份", "万元", "预测中位数"),
                                                         ("en", "Year", "×10k yuan", "median projection")])
def test_fan_chart_labels_follow_the_language(simulated, lang, xlabel, unit, median):
    table, summary = simulated
    fig = plot_rd_fan(table, summary, county="示例县", statuses={"illustrative"}, lang=lang)
    ax = fig.axes[0]
    assert isinstance(fig, Figure)
    assert ax.get_xlabel() == xlabel
    assert unit in ax.get_ylabel()
    assert "示例县" in ax.get_title()
    labels = legend_labels(ax)
    assert median in labels
    assert any("15" in label and ("路径" in label or "path" in label) for label in labels)
    assert len([label for label in labels if "90" in label or "50" in label]) == 2  # both bands


def test_fan_chart_median_opens_at_the_latest_actual(simulated):
    table, summary = simulated
    fig = plot_rd_fan(table, summary, lang="en")
    line = next(line for line in fig.axes[0].get_lines() if line.get_label() == "median projection")
    # from (2023, 1800) to the table's p50 for 2025
    assert line.get_xdata()[0] == 2023 and line.get_ydata()[0] == 1800.0
    assert line.get_ydata()[-1] == pytest.approx(table.set_index("year").at[2025, "p50"])


def test_fan_chart_marks_illustrative_data_only_when_present(simulated):
    table, summary = simulated
    marked = plot_rd_fan(table, summary, statuses=["illustrative", "published"], lang="zh")
    assert illustrative_label("zh") in " ".join(texts_of(marked))
    plain = plot_rd_fan(table, summary, statuses=["published"], lang="zh")
    assert texts_of(plain) == []
    english = plot_rd_fan(table, summary, statuses={"illustrative"}, lang="en")
    assert illustrative_label("en") in " ".join(texts_of(english))


def test_fan_chart_short_series_says_there_is_no_simulation(short):
    table, summary = short
    fig = plot_rd_fan(table, summary, lang="zh")
    ax = fig.axes[0]
    notes = [t.get_text() for t in ax.texts]
    assert any("少于3个" in n and "未做随机模拟" in n for n in notes)
    assert "预测中位数" not in legend_labels(ax)
    assert len(ax.collections) == 0  # no band drawn
    en = plot_rd_fan(table, summary, lang="en").axes[0]
    assert any("only 2 values, fewer than 3" in t.get_text() for t in en.texts)


def test_fan_chart_rejects_bad_input(simulated):
    table, summary = simulated
    with pytest.raises(ParameterError, match="unsupported lang='fr'"):
        plot_rd_fan(table, summary, lang="fr")
    with pytest.raises(ParameterError, match=r"table lacks the columns \['trend_path'\]"):
        plot_rd_fan(table.drop(columns="trend_path"), summary)


def test_fan_chart_draws_on_a_given_axes(simulated):
    table, summary = simulated
    fig, ax = plt.subplots()
    assert plot_rd_fan(table, summary, ax=ax) is fig


# ---------------------------------------------------------------- intensity chart

@pytest.mark.parametrize("lang, xlabel, ylabel, target", [("zh", "年份", "研发强度（%）", "目标 1%"),
                                                           ("en", "Year", "R&D intensity (%)", "target 1 %")])
def test_intensity_chart_labels_follow_the_language(short, lang, xlabel, ylabel, target):
    table, summary = short
    intensities = intensity_scenarios(table, pd.Series({2021: 10000.0, 2022: 11000.0}), summary)
    fig = plot_intensity_paths(intensities, summary, county="示例县", statuses={"illustrative"}, lang=lang)
    ax = fig.axes[0]
    assert isinstance(fig, Figure)
    assert ax.get_xlabel() == xlabel and ax.get_ylabel() == ylabel
    labels = legend_labels(ax)
    assert target in labels
    # one line per scenario, labelled with its revenue growth
    assert sum(("+20.0" in label) or ("+0.0" in label) or ("+10.0" in label) for label in labels) == 3
    assert illustrative_label(lang) in " ".join(texts_of(fig))
    assert ax.get_xlim()[1] > 2024  # the end year stays on the axis


def test_intensity_chart_without_scenarios_says_so():
    table, summary = P.build_projection(pd.Series({2021: 50.0}), pd.Series({2021: 10000.0}), "published")
    intensities = intensity_scenarios(table, pd.Series({2021: 10000.0}), summary)
    fig = plot_intensity_paths(intensities, summary, statuses={"published"}, lang="en")
    ax = fig.axes[0]
    assert any("no scenarios" in t.get_text() for t in ax.texts)
    assert texts_of(fig) == []  # published data: no illustrative mark
    assert not any("revenue" in label for label in legend_labels(ax))


def test_intensity_chart_annotates_the_crossing():
    # R&D 80 -> 88 (+10 %/yr, then 96.8, 106.48); revenue flat at 10000 in the central scenario:
    # intensity 0.88 (2022), 0.968 (2023), 1.0648 (2024) -> crosses 1 % in 2024.
    revenue = pd.Series({2021: 10000.0, 2022: 10000.0})
    table, summary = P.build_projection(pd.Series({2021: 80.0, 2022: 88.0}), revenue, "published", end_year=2024,
                                        revenue_growth_pct={"low": -5.0, "central": 0.0, "high": 5.0})
    assert summary["crossing_years"]["central"] == 2024
    fig = plot_intensity_paths(intensity_scenarios(table, revenue, summary), summary, lang="zh")
    assert "2024年达到1%" in [t.get_text() for t in fig.axes[0].texts]
    fig = plot_intensity_paths(intensity_scenarios(table, revenue, summary), summary, lang="en")
    assert "1 % in 2024" in [t.get_text() for t in fig.axes[0].texts]


def test_intensity_chart_rejects_bad_input(short):
    table, summary = short
    with pytest.raises(ParameterError, match="intensities must be a DataFrame with the columns"):
        plot_intensity_paths(table, summary)
    intensities = intensity_scenarios(table, pd.Series({2021: 10000.0, 2022: 11000.0}), summary)
    with pytest.raises(ParameterError, match="unsupported lang='de'"):
        plot_intensity_paths(intensities, summary, lang="de")
