"""Data overview: what the data folder holds, by county, year, indicator and status."""
from __future__ import annotations

import pandas as pd

from lingshou.data.catalogue import Catalogue
from lingshou.errors import AnalysisError
from lingshou.i18n import bi, check_lang, count_list


def status_counts(data: pd.DataFrame) -> pd.DataFrame:
    """Number of values (non-missing) and missing cells by status.

    Returns
    -------
    DataFrame
        Index: status; columns ``values``, ``missing``, ``share_pct`` (of all values).
    """
    have = data["value"].notna()
    out = pd.DataFrame({
        "values": data[have].groupby("status").size(),
        "missing": data[~have].groupby("status").size(),
    }).fillna(0).astype(int)
    out["share_pct"] = (100 * out["values"] / out["values"].sum()).round(1)
    return out.sort_index()


def coverage_by_year(data: pd.DataFrame, catalogue: Catalogue, lang: str = "zh") -> pd.DataFrame:
    """Number of counties with a value, per indicator (rows, catalogue order) and year (columns)."""
    check_lang(lang)
    have = data[data["value"].notna()]
    table = have.groupby(["indicator", "year"])["county"].nunique().unstack("year")
    order = [c for c in catalogue.codes if c in table.index]
    table = table.reindex(order).fillna(0).astype(int)
    table.index = pd.Index([catalogue.name(c, lang) for c in table.index], name="indicator")
    return table


def county_status_matrix(data: pd.DataFrame, county: str, catalogue: Catalogue) -> pd.DataFrame:
    """Status of each (indicator, year) cell of one county: a status name, ``'missing'`` or NaN (absent).

    Rows follow the catalogue order (codes); columns are the years present in the data.
    """
    d = data[data["county"] == county].copy()
    d["cell"] = d["status"].where(d["value"].notna(), "missing")
    years = sorted(data["year"].unique())
    mat = d.pivot_table(index="indicator", columns="year", values="cell", aggfunc="first")
    return mat.reindex(index=[c for c in catalogue.codes], columns=years)


def county_summary(data: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Per county: years covered, indicators with a value, values by status."""
    have = data[data["value"].notna()]
    g = have.groupby("county")
    out = pd.DataFrame({
        "first_year": g["year"].min(),
        "last_year": g["year"].max(),
        "indicators": g["indicator"].nunique(),
        "values": g.size(),
    })
    by_status = have.groupby(["county", "status"]).size().unstack("status").fillna(0).astype(int)
    out = out.join(by_status)
    out["catalogue_indicators"] = len(catalogue.codes)
    return out


def describe_data(data: pd.DataFrame, county: str, year: int, catalogue: Catalogue) -> dict:
    """Texts that read the coverage numbers in plain language, in both languages.

    Returns
    -------
    dict
        ``headline``, ``paragraphs`` and ``notes`` in the shape of :func:`lingshou.report.summary.write_summary`.

    Raises
    ------
    AnalysisError
        When the county has no value at all.
    """
    d = data[(data["county"] == county) & data["value"].notna()]
    if d.empty:
        raise AnalysisError(bi(f"{county} 在数据中没有任何数值", f"{county} has no value in the data"))
    n_ind = d["indicator"].nunique()
    y0, y1 = int(d["year"].min()), int(d["year"].max())
    this = d[d["year"] == year]
    counts = this["status"].value_counts()
    n_year = int(counts.sum())
    missing_codes = [c for c in catalogue.codes if c not in set(this["indicator"])]
    n_counties = data["county"].nunique()
    pub, ill, prov = (int(counts.get(s, 0)) for s in ("published", "illustrative", "provisional"))
    kinds = [("公开发布", "published", pub), ("初步数据", "provisional", prov), ("示例数据", "illustrative", ill),
             ("推算", "derived", int(counts.get("derived", 0)))]
    present = [k for k in kinds if k[2]]
    single = len(present) == 1
    of_zh = f"全部为{present[0][0]}" if single else "其中" + count_list(kinds, "个", "zh", spaced=True)
    of_en = f"all {present[0][1]}" if single else count_list(kinds, "", "en")
    zh = [f"数据文件夹共有 {n_counties} 个县（市、区）的数据。{county}有 {y0}–{y1} 年共 {n_ind} 个指标的数值；"
          f"{year} 年有 {n_year} 个数值，{of_zh}。"]
    en = [f"The data folder holds {n_counties} counties. {county} has values for {n_ind} indicators over {y0}–{y1}; "
          f"{year} has {n_year} values: {of_en}."]
    if missing_codes:
        zh.append(f"{year} 年缺少 {len(missing_codes)} 个目录指标：" + "、".join(catalogue.name(c) for c in missing_codes) + "。")
        en.append(f"{len(missing_codes)} catalogue indicators lack a {year} value: "
                  + ", ".join(catalogue.name(c, "en") for c in missing_codes) + ".")
    notes = {"zh": [], "en": []}
    if ill:
        notes["zh"].append("示例数据不是官方统计，仅用于演示分析方法；替换 data/raw/statistics/ 中的文件即可使用真实数据。")
        notes["en"].append("Illustrative values are not official statistics; they only demonstrate the methods. "
                           "Replace the files in data/raw/statistics/ to use real data.")
    share = 100 * ill / n_year if n_year else 0.0
    headline = {"zh": f"{year} 年{county}共有 {n_year} 个指标数值，其中示例数据占 {share:.0f}%。",
                "en": f"{county} has {n_year} values for {year}; {share:.0f}% of them are illustrative."}
    return {"headline": headline, "paragraphs": {"zh": zh, "en": en}, "notes": notes}
