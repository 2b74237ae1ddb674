"""Tests of the peer-benchmarking figures (lingshou.plots.benchmark)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from lingshou.errors import ParameterError
from lingshou.plots import HIGHLIGHT, illustrative_label
from lingshou.plots.benchmark import MAX_NAMED, plot_peer_scores, plot_pillar_profile, plot_rank_intervals

GRADES = [{"grade": "A", "min": 80.0}, {"grade": "B", "min": 60.0}, {"grade": "C", "min": 0.0}]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def peers(n: int = 4) -> pd.DataFrame:
    names = ["甲县", "乙县", "丙县", "丁县"] if n == 4 else [f"县{i:03d}" for i in range(n)]
    score = np.linspace(90, 40, n)
    rank = np.arange(1, n + 1)
    return pd.DataFrame({"county": names, "score": score, "grade": ["A" if s >= 80 else "B" if s >= 60 else "C" for s in score],
                         "score_p05": score - 10, "score_p95": score + 2, "rank": rank,
                         "rank_p05": np.maximum(rank - 1, 1), "rank_median": rank, "rank_p95": np.minimum(rank + 1, n)})


PILLARS = [{"pillar": "投入", "name_en": "input", "points": 20.0, "max_points": 25.0, "peer_median": 15.0, "assumed": False},
           {"pillar": "管理", "name_en": "management", "points": 11.0, "max_points": 15.0, "peer_median": 12.0, "assumed": True}]


def all_text(fig) -> str:
    texts = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        texts += [t.get_text() for t in ax.get_yticklabels() + ax.texts]
        if ax.get_legend() is not None:
            texts += [t.get_text() for t in ax.get_legend().get_texts()]
    for legend in fig.legends:
        texts += [t.get_text() for t in legend.get_texts()]
    return " | ".join(texts)


def test_peer_scores_figure_zh_and_en():
    fig = plot_peer_scores(peers(), "丙县", GRADES, statuses={"illustrative"}, lang="zh")
    assert isinstance(fig, Figure)
    text = all_text(fig)
    assert "模型得分（分）" in text and "A类 ≥80" in text and "B类 60–80" in text and "C类 <60" in text
    assert illustrative_label("zh") in text
    ax = fig.axes[0]
    # best first (top), county highlighted in its tick label and its bar
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["甲县", "乙县", "丙县", "丁县"]
    assert ax.get_yticklabels()[2].get_color() == HIGHLIGHT
    bars = ax.containers[0]
    assert matplotlib.colors.to_hex(bars[2].get_facecolor()) == HIGHLIGHT.lower()
    assert matplotlib.colors.to_hex(bars[0].get_facecolor()) != HIGHLIGHT.lower()
    text_en = all_text(plot_peer_scores(peers(), "丙县", GRADES, statuses={"illustrative"}, lang="en"))
    assert "Model score (points)" in text_en and "A ≥ 80" in text_en and illustrative_label("en") in text_en
    assert "模型" not in text_en and "类" not in text_en


def test_peer_scores_published_data_have_no_mark():
    assert illustrative_label("zh") not in all_text(plot_peer_scores(peers(), "甲县", GRADES, statuses={"published"}))


def test_many_peers_name_only_the_county():
    table = peers(MAX_NAMED + 10)
    fig = plot_peer_scores(table, "县007", GRADES, lang="en")
    ax = fig.axes[0]
    assert ax.get_xticks().size == 0 and any(t.get_text().startswith("县007") for t in ax.texts)
    assert "50 counties, by score" in ax.get_xlabel()
    fig = plot_rank_intervals(table, "县007", lang="zh")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["县007"]


def test_rank_intervals_figure():
    fig = plot_rank_intervals(peers(), "乙县", statuses={"illustrative"}, lang="zh")
    text = all_text(fig)
    assert "名次（1 = 最好）" in text and "模拟名次5%–95%区间" in text and illustrative_label("zh") in text
    labels = fig.axes[0].get_yticklabels()
    assert [t.get_text() for t in labels] == ["甲县", "乙县", "丙县", "丁县"] and labels[1].get_color() == HIGHLIGHT
    text_en = all_text(plot_rank_intervals(peers(), "乙县", lang="en"))
    assert "Rank (1 = best)" in text_en and "simulated median" in text_en and "名次" not in text_en


def test_pillar_profile_figure():
    fig = plot_pillar_profile(PILLARS, "甲县", statuses={"illustrative"}, lang="zh")
    text = all_text(fig)
    # 20/25 = 80 %, median 15/25 = 60 %; 11/15 = 73 %, median 12/15 = 80 %
    assert "80%" in text and "60%" in text and "73%" in text
    assert "管理（假设）" in text and "同组中位数" in text and illustrative_label("zh") in text
    text_en = all_text(plot_pillar_profile(pd.DataFrame(PILLARS), "甲县", lang="en"))
    assert "management (assumed)" in text_en and "peer median" in text_en and "投入" not in text_en


@pytest.mark.parametrize("call, match", [
    (lambda: plot_peer_scores(peers().drop(columns="grade"), "甲县", GRADES), r"lacks column\(s\) \['grade'\]"),
    (lambda: plot_peer_scores(peers(), "戊县", GRADES), "county '戊县' is not in the table"),
    (lambda: plot_rank_intervals(peers().drop(columns="rank_p95"), "甲县"), r"lacks column\(s\) \['rank_p95'\]"),
    (lambda: plot_rank_intervals(peers(), "戊县"), "county '戊县' is not in the table"),
    (lambda: plot_pillar_profile([{**PILLARS[0], "max_points": 0.0}], "甲县"), "pillar maxima must be positive"),
    (lambda: plot_pillar_profile([], "甲县"), "pillars lacks column"),
])
def test_errors(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


def test_draws_on_a_given_axes():
    fig, ax = plt.subplots()
    assert plot_pillar_profile(PILLARS, "甲县", ax=ax) is fig and ax.get_legend() is not None


def test_unknown_language():
    with pytest.raises(ParameterError, match="unsupported lang"):
        plot_pillar_profile(PILLARS, "甲县", lang="fr")
