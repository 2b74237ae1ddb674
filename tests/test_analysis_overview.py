"""Tests of lingshou.analysis.overview on a tiny hand-made table (the counts are worked out in the comments)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from lingshou.analysis import overview as O
from lingshou.errors import AnalysisError, ParameterError

NAN = math.nan
DATA = pd.DataFrame(
    [
        ("灵寿县", 2021, "fiscal_st_expenditure", 1180.0, "published"),
        ("灵寿县", 2022, "fiscal_st_expenditure", 1520.0, "published"),
        ("灵寿县", 2021, "high_tech_enterprises", 18.0, "illustrative"),
        ("灵寿县", 2022, "high_tech_enterprises", 24.0, "illustrative"),
        ("灵寿县", 2022, "st_smes", NAN, "published"),
        ("平山县", 2022, "fiscal_st_expenditure", 2380.5, "provisional"),
        ("平山县", 2021, "high_tech_enterprises", NAN, "illustrative"),
    ],
    columns=["county", "year", "indicator", "value", "status"],
)


def test_status_counts():
    out = O.status_counts(DATA)
    # values: published 2, illustrative 2, provisional 1 (5 in all) → 40 %, 40 %, 20 %
    # missing: published 1 (st_smes), illustrative 1 (平山 2021), provisional 0
    assert list(out.index) == ["illustrative", "provisional", "published"]
    assert out["values"].tolist() == [2, 1, 2]
    assert out["missing"].tolist() == [1, 0, 1]
    assert out["share_pct"].tolist() == [40.0, 20.0, 40.0]


def test_coverage_by_year(cat):
    out = O.coverage_by_year(DATA, cat)
    # counties with a value: fiscal 2021 灵寿 (1), 2022 灵寿+平山 (2); high-tech 2021 灵寿 (平山 missing), 2022 灵寿
    assert out.index.tolist() == ["地方财政科技支出", "高新技术企业数"]   # catalogue order; st_smes has no value
    assert out.columns.tolist() == [2021, 2022]
    assert out.values.tolist() == [[1, 2], [1, 1]]
    assert O.coverage_by_year(DATA, cat, "en").index.tolist() == ["Local fiscal S&T expenditure", "High-tech enterprises"]
    with pytest.raises(ParameterError, match="unsupported lang='fr'"):
        O.coverage_by_year(DATA, cat, "fr")


def test_county_status_matrix(cat):
    m = O.county_status_matrix(DATA, "灵寿县", cat)
    assert m.index.tolist() == cat.codes and m.columns.tolist() == [2021, 2022]
    assert m.loc["fiscal_st_expenditure"].tolist() == ["published", "published"]
    assert m.loc["high_tech_enterprises"].tolist() == ["illustrative", "illustrative"]
    assert pd.isna(m.loc["st_smes", 2021]) and m.loc["st_smes", 2022] == "missing"
    assert m.drop(index=["fiscal_st_expenditure", "high_tech_enterprises", "st_smes"]).isna().all().all()


def test_county_summary(cat):
    s = O.county_summary(DATA, cat)
    assert s.loc["灵寿县", ["first_year", "last_year", "indicators", "values"]].tolist() == [2021, 2022, 2, 4]
    assert s.loc["灵寿县", ["illustrative", "published", "provisional"]].tolist() == [2, 2, 0]
    assert s.loc["平山县", ["first_year", "last_year", "indicators", "values"]].tolist() == [2022, 2022, 1, 1]
    assert s.loc["平山县", ["illustrative", "published", "provisional"]].tolist() == [0, 0, 1]
    assert (s["catalogue_indicators"] == len(cat.codes)).all()


def test_describe_data(cat):
    d = O.describe_data(DATA, "灵寿县", 2022, cat)
    # 2022: fiscal (published) and high-tech (illustrative) → 2 values, 1 illustrative = 50 %
    assert d["headline"] == {"zh": "2022 年灵寿县共有 2 个指标数值，其中示例数据占 50%。",
                             "en": "灵寿县 has 2 values for 2022; 50% of them are illustrative."}
    assert d["paragraphs"]["zh"][0] == ("数据文件夹共有 2 个县（市、区）的数据。灵寿县有 2021–2022 年共 2 个指标的数值；"
                                        "2022 年有 2 个数值，其中公开发布 1 个、示例数据 1 个。")
    assert d["paragraphs"]["en"][0] == ("The data folder holds 2 counties. 灵寿县 has values for 2 indicators over 2021–2022; "
                                        "2022 has 2 values: 1 published, 1 illustrative.")
    n_missing = len(cat.codes) - 2
    assert d["paragraphs"]["zh"][1].startswith(f"2022 年缺少 {n_missing} 个目录指标：一般公共预算支出(公共财政支出)、")
    assert d["paragraphs"]["en"][1].startswith(f"{n_missing} catalogue indicators lack a 2022 value: General public budget")
    assert d["notes"]["zh"][0].startswith("示例数据不是官方统计")
    assert len(d["notes"]["en"]) == 1


def test_describe_data_without_illustrative_values(cat):
    d = O.describe_data(DATA, "平山县", 2022, cat)
    assert d["notes"] == {"zh": [], "en": []}
    assert d["headline"]["en"] == "平山县 has 1 values for 2022; 0% of them are illustrative."


def test_describe_data_county_without_values(cat):
    with pytest.raises(AnalysisError, match=r"行唐县 在数据中没有任何数值 / 行唐县 has no value in the data"):
        O.describe_data(DATA, "行唐县", 2022, cat)
