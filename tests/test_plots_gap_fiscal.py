"""Tests of the gap and fiscal figures, and of both notebooks run through papermill."""
from __future__ import annotations

import io
import json
import re
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from lingshou.analysis import fiscal as F  # noqa: E402
from lingshou.analysis import gap as G  # noqa: E402
from lingshou.config import NOTEBOOK_DIR  # noqa: E402
from lingshou.data.catalogue import load_catalogue  # noqa: E402
from lingshou.plots import STATUS_COLOURS, mark_status  # noqa: E402
from lingshou.plots.fiscal import plot_fiscal  # noqa: E402
from lingshou.plots.gap import ACHIEVEMENT_CAP, plot_achievement, plot_units, wrap_label  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


def gap_table() -> pd.DataFrame:
    """Four targets: met (250 %, beyond the cap), close, behind, no data."""
    return pd.DataFrame({
        "id": ["a", "b", "c", "d"],
        "name_zh": ["高新技术企业数", "规上工业企业R&D经费支出占主营业务收入的比重", "科技型中小企业数", "县域科技创新能力评价等级"],
        "name_en": ["High-tech enterprises", "R&D intensity of above-scale industrial enterprises", "Technology-based SMEs",
                    "County S&T evaluation grade"],
        "achievement_pct": [250.0, 95.0, 60.0, float("nan")],
        "status": ["met", "close", "behind", "no_data"],
        "actual_text_zh": ["75 家", "0.95%", "120 家", "—"], "actual_text_en": ["75", "0.95%", "120", "—"],
        "target_text_zh": ["≥ 30 家（2022年）", "≥ 1%（2022年）", "≥ 200 家（2022年）", "B类及以上（2022年数据）"],
        "target_text_en": ["≥ 30 (2022)", "≥ 1% (2022)", "≥ 200 (2022)", "grade B or better (2022 data)"],
        "lead_unit": ["县发展和改革局", "县发展和改革局", "县发展和改革局", ""],
        "responsible_units": ["县财政局", "县财政局、县税务局", "各乡(镇)政府", ""],
        "lead_unit_en": ["County Development and Reform Bureau"] * 3 + [""],
        "responsible_units_en": ["County Finance Bureau", "County Finance Bureau; County Taxation Bureau",
                                 "Township governments", ""],
    })


def draw_without_glyph_warnings(fig):
    """Render the figure and return the messages of any missing-glyph warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png", dpi=50)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def texts_of(fig) -> list[str]:
    out = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    return [t for t in out if t]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_wrap_label_balances_chinese_lines():
    # 22 characters at width 16 → 2 lines of 11, never a 6-character orphan
    assert wrap_label("规上工业企业R&D经费支出占主营业务收入的比重", "zh", 16).split("\n") == [
        "规上工业企业R&D经费支", "出占主营业务收入的比重"]
    assert wrap_label("High-tech enterprises", "en", 34) == "High-tech enterprises"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_achievement_plot(lang):
    t = gap_table()
    fig = plot_achievement(t, "灵寿县", 2024, lang, plan_note="按测试方案衡量。")
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 4
    markers = [ln for ln in ax.lines if ln.get_marker() in ("o", ">", "x")]
    # top row (a) is drawn at the cap with an arrow head in the 'met' colour; its value is written out
    capped = [ln for ln in markers if ln.get_marker() == ">"]
    assert len(capped) == 1 and capped[0].get_xdata()[0] == ACHIEVEMENT_CAP
    assert to_hex(capped[0].get_color()) == STATUS_COLOURS["met"].lower()
    assert "250%" in texts_of(fig)
    assert to_hex([ln for ln in markers if ln.get_marker() == "x"][0].get_color()) == STATUS_COLOURS["no_data"].lower()
    assert not draw_without_glyph_warnings(fig)
    if lang == "en":
        assert not CJK.search(ax.get_xlabel()) and "achievement" in ax.get_xlabel()
        assert "no data" in texts_of(fig)
    else:
        assert "完成度" in ax.get_xlabel() and "无数据" in texts_of(fig)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_units_plot(lang):
    t = gap_table()
    u = G.gap_by_unit(t)
    fig = plot_units(u, "灵寿县", 2024, lang)
    ax = fig.axes[0]
    assert len(ax.patches) == 4 * len(u)
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert legend == ([G.STATUS_TEXT[lang][s] for s in G.STATUS_ORDER])
    labels = [x.get_text() for x in ax.get_yticklabels()]
    if lang == "en":
        assert any(lbl.startswith("County Development and Reform") for lbl in labels)
        assert any("unspecified" in lbl for lbl in labels)
    else:
        assert labels[0] == "县发展和改革局（牵头3项）"
    assert not draw_without_glyph_warnings(fig)


def fiscal_result():
    rows = [(y, F.EXPENDITURE, v, "illustrative") for y, v in {2021: 1400.0, 2022: 1500.0, 2023: 1500.0}.items()]
    rows += [(y, F.BUDGET, v, "illustrative") for y, v in {2021: 280000.0, 2022: 288461.5, 2023: 300000.0}.items()]
    data = pd.DataFrame([{"county": "灵寿县", "year": y, "indicator": i, "value": v, "status": s} for y, i, v, s in rows])
    targets = F.FiscalTargets(0.52, 2022, 1500.0, 2022, 2022, 2025)
    table = F.fiscal_share_table(data, load_catalogue(), "灵寿县", 2023, targets)
    needs = F.needed_spending(table, 0.52, "flat", 1500.0)
    return table, needs


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fiscal_plot_targets_needs_and_flat_year(lang):
    table, needs = fiscal_result()
    fig = plot_fiscal(table, "灵寿县", lang, needs, None, "按测试方案衡量。")
    ax1, ax2 = fig.axes
    assert any(list(ln.get_ydata()) == [1500.0, 1500.0] for ln in ax1.lines)     # spending target
    assert any(list(ln.get_ydata()) == [0.52, 0.52] for ln in ax2.lines)         # share target
    bars = [p for p in ax1.patches if p.get_hatch() is None]
    # 2023 did not rise (1500 = 1500): drawn in the 'behind' colour; 2021 and 2022 in the neutral colour
    assert to_hex(bars[2].get_facecolor()) == STATUS_COLOURS["behind"].lower()
    assert to_hex(bars[1].get_facecolor()) != STATUS_COLOURS["behind"].lower()
    hatched = [p for p in ax1.patches if p.get_hatch() == "///"]
    # flat budget 300000 × 0.52 % = 1560 > 1500: required 1560 in 2024
    assert len(hatched) == 1 and hatched[0].get_height() == pytest.approx(1560.0)
    assert not draw_without_glyph_warnings(fig)
    if lang == "en":
        assert not CJK.search(ax1.get_ylabel() + ax2.get_ylabel() + ax2.get_xlabel())


def test_fiscal_plot_anchor_lines_are_labelled_with_scope_and_year():
    table, needs = fiscal_result()
    anchors = F.share_anchors(F.load_anchors())
    fig = plot_fiscal(table, "灵寿县", "zh", needs, anchors)
    ax2 = fig.axes[1]
    labels = [x.get_text() for x in ax2.get_legend().get_texts()]
    assert any("2003年" in lbl and "全国口径" in lbl for lbl in labels)
    assert any(list(ln.get_ydata()) == [1.9, 1.9] for ln in ax2.lines)
    fig2 = plot_fiscal(table, "灵寿县", "zh", needs, None)
    assert not any(list(ln.get_ydata()) == [1.9, 1.9] for ln in fig2.axes[1].lines)


def test_illustrative_mark_on_the_figures():
    fig = plot_units(G.gap_by_unit(gap_table()), "灵寿县", 2024, "zh")
    mark_status(fig, {"illustrative"}, "zh")
    assert any("示例数据" in t for t in texts_of(fig))


# ---------------------------------------------------------------- the notebooks through papermill

def run(notebook: str, tmp_path: Path, **parameters):
    from lingshou.report.notebooks import execute

    out = tmp_path / notebook
    execute(NOTEBOOK_DIR / notebook, out, parameters={"output_dir": str(tmp_path / "out"), **parameters})
    return tmp_path / "out"


def test_gap_notebook_other_county_in_english(tmp_path):
    out = run("10-gap-analysis.ipynb", tmp_path, county="平山县", lang="en")
    summary = json.loads((out / "summaries" / "10-gap-analysis.json").read_text(encoding="utf-8"))
    assert summary["county"] == "平山县" and summary["numbers"]["n_targets"] == 19
    assert any("has no plan file of its own" in n for n in summary["notes"]["en"])
    table = pd.read_csv(out / "tables" / "gap_analysis.csv")
    assert table["plan_is_default"].all()
    for f in ("tables/gap_by_unit.csv", "figures/gap_achievement.png", "figures/gap_by_unit.png"):
        assert (out / f).is_file()


def test_gap_notebook_reads_the_benchmarking_table(tmp_path):
    (tmp_path / "out" / "tables").mkdir(parents=True)
    pd.DataFrame({"county": ["灵寿县", "平山县"], "grade": ["B", "B"], "score": [64.0, 66.0], "rank": [2, 1]}).to_csv(
        tmp_path / "out" / "tables" / "benchmark.csv", index=False)
    out = run("10-gap-analysis.ipynb", tmp_path, year=2024)
    table = pd.read_csv(out / "tables" / "gap_analysis.csv").set_index("id")
    # score 64 >= 60 → met; rank 2 of 2 → 100 % vs top 50 %: behind
    assert table.loc["evaluation_grade_2022", "status"] == "met"
    assert table.loc["evaluation_rank_2025", "status"] == "behind"


def test_gap_notebook_year_without_data_gives_a_clear_message(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError, match=r"has no data for 2010"):
        run("10-gap-analysis.ipynb", tmp_path, year=2010)


def test_fiscal_notebook_given_budget_and_bad_parameter(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    out = run("20-fiscal-st-share.ipynb", tmp_path, budget_projection=320000.0, show_anchors=True, lang="en")
    needs = pd.read_csv(out / "tables" / "fiscal_needed.csv")
    assert needs["scenario"].tolist() == ["flat", "trend", "given"] and needs["chosen"].tolist() == [False, False, True]
    summary = json.loads((out / "summaries" / "20-fiscal-st-share.json").read_text(encoding="utf-8"))
    assert any("Comparison lines in the figure" in n for n in summary["notes"]["en"])
    with pytest.raises(PapermillExecutionError, match="budget_projection must be 'flat', 'trend' or a positive amount"):
        run("20-fiscal-st-share.ipynb", tmp_path, budget_projection="rising")
