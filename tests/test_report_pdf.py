"""Composing the PDF's document from summaries, tables, data and cards (lingshou.report.pdf)."""
from pathlib import Path

import pandas as pd
import pytest

from lingshou.data.catalogue import load_catalogue
from lingshou.errors import AnalysisError
from lingshou.report.pdf import (
    compile_pdf,
    compose_document,
    display_table,
    figure_width_mm,
    labels,
    provenance,
    run_appendix,
    section,
    status_words,
    year_ranges,
)
from lingshou.report.summary import bilingual
from lingshou.report.tables import column_widths, wrap_headers

DATA = Path(__file__).parent / "data" / "report"


def summary(**over):
    s = {"notebook": "10-x", "county": "灵寿县", "year": 2024, "title": bilingual("差距", "Gap"),
         "headline": bilingual("有 2 项落后。", "2 targets behind."),
         "paragraphs": {"zh": ["第一段。"], "en": ["First."]},
         "figures": [{"file": "figures/a.png", "caption": bilingual("图甲", "Fig A")}],
         "tables": [{"file": "tables/t.csv", "caption": bilingual("表甲", "Table A"), "columns": ["name", "v"],
                     "labels": {"zh": ["名称", "值"], "en": ["Name", "Value"]}, "max_rows": 2}],
         "statuses": ["illustrative"], "notes": {"zh": ["注一"], "en": ["Note one"]}, "numbers": {"n": 2}}
    s.update(over)
    return s


TABLE = pd.DataFrame({"name": ["甲", "乙", "丙"], "v": [1.5, 22.25, 3.0], "status": ["met", "behind", "close"]})


def test_year_ranges_and_status_words():
    assert year_ranges([2018, 2019, 2020, 2022, 2024, 2023]) == "2018–2020, 2022–2024"
    assert year_ranges([2021]) == "2021"
    assert year_ranges([]) == "—"
    assert status_words({"published", "illustrative"}, "zh") == "示例数据、公开发布"   # weakest first
    assert status_words({"published", "projected"}, "en") == "projected, published"


def test_labels_fill_only_given_fields():
    lab = labels("zh", county="灵寿县", year=2024)
    assert lab["running"] == "灵寿县科技创新跃升计划年度监测报告 · 2024 年数据"
    assert "{shown}" in lab["table_more"]           # left for later
    assert labels("en")["acc_cols"][0] == "Lead unit"


def test_display_table():
    t = display_table(TABLE, summary()["tables"][0], "zh", "tables/t.csv")
    assert t["header"] == ["名称", "值"]
    # max_rows 2 of 3; the column's largest value 22.25 (< 100) → 2 decimals.
    assert t["rows"] == [["甲", "1.50"], ["乙", "22.25"]]
    assert t["align"] == ["left", "right"]
    assert t["more"] == "仅列出前 2 行，共 3 行；完整表格见 tables/t.csv。"
    whole = display_table(TABLE, {"file": "tables/t.csv", "caption": bilingual("c", "c")}, "en", "tables/t.csv")
    assert whole["header"] == ["name", "v", "status"] and whole["more"] is None
    assert whole["rows"][1] == ["乙", "22.25", "behind"] and whole["tones"][1] == [None, None, "behind"]
    with pytest.raises(AnalysisError, match=r"列 \['w'\] 不在表 tables/t.csv 中.*column\(s\) \['w'\]"):
        display_table(TABLE, {"file": "tables/t.csv", "caption": bilingual("c", "c"), "columns": ["w"]}, "zh", "tables/t.csv")


def test_figure_width():
    assert figure_width_mm((1600, 900)) == 166.0            # wide: the text width
    assert figure_width_mm((1000, 2000)) == 95.0            # tall: 190 mm high → 190 × 1000 / 2000
    assert figure_width_mm(None) == 166.0


def test_section_maps_summary():
    s = section(summary(), {"tables/t.csv": TABLE}, "en", {"figures/a.png", "tables/t.csv"}, {"figures/a.png": (1600, 900)})
    assert s["title"] == "Gap" and s["headline"] == "2 targets behind." and s["paragraphs"] == ["First."]
    assert s["figures"] == [{"path": "/figures/a.png", "caption": "Fig A", "width_mm": 166.0}]
    assert s["tables"][0]["caption"] == "Table A" and s["notes"] == ["Note one"]
    assert s["illustrative"] is True and s["statuses"] == "illustrative"


def test_section_refuses_outside_files_and_bad_texts():
    bad = summary(figures=[{"file": "../../etc/passwd", "caption": bilingual("x", "x")}])
    with pytest.raises(AnalysisError, match=r"引用的文件 '\.\./\.\./etc/passwd' 不在输出文件夹中"):
        section(bad, {"tables/t.csv": TABLE}, "zh", None)
    missing = summary(figures=[{"file": "figures/b.png", "caption": bilingual("x", "x")}])
    with pytest.raises(AnalysisError, match="names file 'figures/b.png', which is not in the output folder"):
        section(missing, {"tables/t.csv": TABLE}, "zh", {"figures/a.png", "tables/t.csv"})
    with pytest.raises(AnalysisError, match="摘要 10-x 缺少 'en'.*summary 10-x lacks 'en'"):
        section(summary(title={"zh": "差距"}), {"tables/t.csv": TABLE}, "en", None)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def tidy():
    return pd.DataFrame({
        "county": ["灵寿县"] * 4 + ["平山县"],
        "year": [2022, 2023, 2024, 2020, 2024],
        "indicator": ["fiscal_st_expenditure"] * 3 + ["resident_population", "fiscal_st_expenditure"],
        "value": [1.0, 2.0, 3.0, 30.9, 9.0],
        "unit": ["万元"] * 3 + ["万人", "万元"],
        "status": ["illustrative"] * 3 + ["published", "illustrative"],
        "source": ["made up"] * 3 + ["census", "made up"],
        "file": ["statistics/ill.csv"] * 3 + ["statistics/census.csv", "statistics/ill.csv"],
        "row": [2, 3, 4, 2, 5],
    })


CARDS = {
    "statistics/ill.csv": {"title": "示例", "title_en": "Illustrative", "status": "illustrative", "publisher": "lingshou",
                           "date": "generated", "url": "none", "caveats": ["Invented."]},
    "statistics/census.csv": {},
    "plans/p.yaml": {"title": "计划", "status": "published", "publisher": "县政府"},
    "units.csv": {},
}


def test_provenance(catalogue):
    p = provenance(tidy(), "灵寿县", 2024, catalogue, CARDS, "en")
    src = p["sources"]["rows"]
    assert [r["cells"][:3] for r in src] == [["1", "Illustrative", "illustrative"], ["2", "census", "published"]]
    assert src[0]["cells"][5] == "3" and src[0]["caveats"] == ["Invented."] and src[0]["tone"] == "illustrative"
    series = {r["cells"][0]: r["cells"] for r in p["series"]["rows"]}
    assert series["Local fiscal S&T expenditure"][2:] == ["2022–2024", "illustrative", "1"]
    assert series["Resident population"][2:] == ["2020", "published", "2"]
    assert series[catalogue.name("high_tech_enterprises", "en")][2:] == ["—", "—", "—"]    # no value: still listed
    assert len(p["series"]["rows"]) == len(catalogue.codes)          # every catalogue indicator listed
    assert [r["cells"][0] for r in p["references"]["rows"]] == ["plans/p.yaml"]
    assert p["counts_text"] == "灵寿县 has 1 indicator values for 2024: 1 illustrative."
    assert p["series"]["caption"] == "灵寿县: data by indicator (2020, 2022–2024)"


def test_run_appendix():
    run = {"parameters": {"county": "灵寿县", "params": {"seed": 1}}, "versions": {"typst": "0.15.2", "x": None},
           "data_files": [{"path": "a.csv", "origin": "bundled", "sha256": "0123456789abcdef" * 4}],
           "timings": {"validate": 1.234}}
    a = run_appendix(run, "zh")
    assert a["params"]["rows"] == [["county", "灵寿县"], ["params", '{"seed": 1}']]
    assert a["versions"]["rows"] == [["typst", "0.15.2"], ["x", "—"]]
    assert a["files"]["rows"] == [["a.csv", "内置数据", "0123456789abcdef"]]
    assert a["timings"]["rows"] == [["validate", "1.2"]]


def compose(catalogue, summaries, gap=None, by_unit=None, lang="zh"):
    return compose_document(county="灵寿县", year=2024, lang=lang, generated="2025-04-01", summaries=summaries,
                            tables={"tables/t.csv": TABLE}, files=None, sizes=None, gap=gap, by_unit=by_unit,
                            catalogue=catalogue, tidy=tidy(), cards=CARDS, run={}, workbook="督导台账.xlsx",
                            notebooks=["10-x"])


def test_compose_document(catalogue):
    gap = pd.read_csv(DATA / "gap_analysis.csv", encoding="utf-8")
    by_unit = pd.read_csv(DATA / "gap_by_unit.csv", encoding="utf-8")
    doc = compose(catalogue, [summary()], gap, by_unit)
    assert doc["meta"]["illustrative"] is True and doc["meta"]["statuses"] == "示例数据"
    assert doc["summary"] == [{"title": "差距", "headline": "有 2 项落后。", "illustrative": True}]
    acc = doc["accountability"]
    # The fixture: 县发展和改革局 leads 4 targets (behind, close, no data, met), @县审计局 one (behind).
    assert acc["counts"] == {"met": 1, "close": 1, "behind": 2, "no_data": 1}
    assert [g["unit"] for g in acc["groups"]] == ["县发展和改革局", "@县审计局"]
    first = acc["groups"][0]["rows"][0]["cells"]
    assert first == ["地方财政科技支出（万元）", "1320", "1500（2025）", "落后", "13.6", "县财政局"]
    assert acc["rollup"]["rows"][0] == ["县发展和改革局", "1", "1", "1", "1", "4"]
    assert acc["illustrative"] is True
    assert "10-x" in doc["method"]["paragraphs"][0]
    assert compose(catalogue, [summary()])["accountability"] is None


def test_accountability_with_rule_targets(catalogue, tmp_path):
    # A grade goal (target 'B', actual 'C', no target year) makes actual and target text columns.
    text = (DATA / "gap_analysis.csv").read_text(encoding="utf-8")
    text += "grade,省级评价等级,,2024,C,B,,,,behind,,县发展和改革局,科技创新工作领导小组成员单位,modelled\n"
    (tmp_path / "gap.csv").write_text(text, encoding="utf-8")
    gap = pd.read_csv(tmp_path / "gap.csv", encoding="utf-8")
    assert not pd.api.types.is_numeric_dtype(gap["target"])
    doc = compose(catalogue, [summary()], gap)
    rows = [r["cells"] for r in doc["accountability"]["groups"][0]["rows"]]
    assert ["省级评价等级", "C", "B", "落后", "—", "科技创新工作领导小组成员单位"] in rows
    assert ["地方财政科技支出（万元）", "1320", "1500（2025）", "落后", "13.6", "县财政局"] in rows
    assert ["科技型中小企业数（家）", "—", "60（2025）", "无数据", "—"] == rows[-2][:5]     # NaN actual; met last


def test_compose_refuses_other_county(catalogue):
    with pytest.raises(AnalysisError, match="摘要 10-x 属于 平山县 2024 年，不是 灵寿县 2024 年"):
        compose(catalogue, [summary(county="平山县")])


def test_compile_errors(tmp_path, catalogue, monkeypatch):
    doc = compose(catalogue, [summary(figures=[], tables=[])])
    broken = tmp_path / "broken.typ"
    broken.write_text('#let doc = json("report.json")\n#doc.nothing.here\n', encoding="utf-8")
    with pytest.raises(AnalysisError, match="PDF 排版失败.*typesetting the PDF failed"):
        compile_pdf(doc, tmp_path / "out", template=broken)
    import lingshou.fonts

    monkeypatch.setattr(lingshou.fonts, "font_path", lambda: None)
    with pytest.raises(AnalysisError, match=r"缺少字体包 noto-cjk\[sans\]"):
        compile_pdf(doc, tmp_path / "out")


def test_compile_minimal_document(tmp_path, catalogue):
    from pypdf import PdfReader

    doc = compose(catalogue, [summary(figures=[], tables=[], statuses=["published"])], lang="en")
    pdf, warnings = compile_pdf(doc, tmp_path)
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "2 targets behind." in text and "Methods and data sources" in text
    assert "ILLUSTRATIVE DATA" in text          # the 2024 data of the tidy fixture are illustrative
    assert (tmp_path / "pdf" / "report.json").is_file() and warnings == []


def test_text_columns_keep_labels_that_look_like_numbers(tmp_path):
    # item 1.10 of a task is not the number 1.1; the table is read back from CSV as the report does
    (tmp_path / "tables").mkdir()
    pd.DataFrame({"item_id": ["1.1", "1.10", "10.1"], "n": [1, 2, 3]}).to_csv(tmp_path / "tables" / "t.csv", index=False)
    from lingshou.data.safe import read_table

    df = read_table(tmp_path / "tables" / "t.csv", dtype={"item_id": str})
    spec = {"file": "tables/t.csv", "caption": bilingual("表", "table"), "text": ["item_id"]}
    t = display_table(df, spec, "zh", "t.csv")
    assert [r[0] for r in t["rows"]] == ["1.1", "1.10", "10.1"] and t["align"] == ["left", "right"]


def test_column_widths_share_the_width_among_long_text_columns():
    text = pd.DataFrame({"no": ["1", "2"], "measure": ["很长的措施文字" * 3, "短"], "n": ["3", "4"]})
    # the measure column is 42 wide (CJK counts two): a share of 40 (the cap); the others take their natural width
    assert column_widths(text, ["No.", "Measure", "Items"], {"n"}) == [0, 40, 0]
    two = text.assign(units=["短", "甲局、乙局、丙局、丁局、戊局、己局"])
    assert column_widths(two, ["No.", "Measure", "Items", "Units"], {"n"}) == [0, 40, 0, 34]
    # a numeric column keeps the width of its numbers; its long header is broken instead
    assert column_widths(text, ["No.", "Measure", "Not started yet"], {"n"}) == [0, 40, 0]
    assert wrap_headers(["No.", "Measure", "Not started yet", "Points gained", "增加得分"], ["no", "measure", "n", "p", "q"],
                        {"n", "p", "q"}) == ["No.", "Measure", "Not started\nyet", "Points\ngained", "增加得分"]
    short = pd.DataFrame({"a": ["x"], "b": ["1"]})
    assert column_widths(short, ["A", "B"], {"b"}) is None


def test_a_share_needs_points_in_the_accountability_table():
    from types import SimpleNamespace

    from lingshou.report.pdf import _required_cell

    share = SimpleNamespace(required_annual_change_pp=0.052, required_annual_growth_pct=11.8)
    count = SimpleNamespace(required_annual_change_pp=float("nan"), required_annual_growth_pct=5.409)
    assert _required_cell(share, "zh") == "+0.05个百分点" and _required_cell(share, "en") == "+0.05 pp"
    assert _required_cell(count, "zh") == "5.4"
