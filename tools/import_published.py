"""Copy the published facts of ../shared/data into data/raw/ with canonical names and data cards.

Run once by a developer (the outputs are committed); kept so that every bundled published number can be
traced to its source row.  Usage: ``python tools/import_published.py /path/to/shared/data``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
# 2020 census names → canonical names of counties.csv (市辖区 carry their prefecture).
DISTRICTS = {"长安区", "桥西区", "新华区", "井陉矿区", "裕华区", "藁城区", "鹿泉区", "栾城区"}


def canonical(name: str) -> str:
    return "石家庄市" + name if name in DISTRICTS else name


def main(shared: Path) -> None:
    act = pd.read_csv(shared / "county_actuals.csv", dtype=str)
    counties = set(pd.read_csv(RAW / "counties.csv", dtype=str)["county"])

    census = act[(act["indicator"] == "常住人口(七普)") & (act["year"] == "2020")].copy()
    census["county"] = census["county"].map(canonical)
    assert set(census["county"]) <= counties, set(census["county"]) - counties
    out = pd.DataFrame({
        "县(市、区)": census["county"], "年份": census["year"], "指标名称": "常住人口",
        "数值": census["value"], "计量单位": census["unit"], "数据状态": "published",
        "数据来源": "第七次全国人口普查 (2020-11-01), " + census["source_url"],
    })
    out.to_csv(RAW / "statistics" / "census_2020_resident_population.csv", index=False, encoding="utf-8")

    gdp = act[(act["county"] == "灵寿县") & (act["indicator"] == "地区生产总值") & (act["year"] == "2020")]
    out = pd.DataFrame({
        "县(市、区)": gdp["county"], "年份": gdp["year"], "指标名称": "地区生产总值", "数值": gdp["value"],
        "计量单位": gdp["unit"], "数据状态": "published",
        "数据来源": "灵寿县2020年国民经济和社会发展统计公报 (third-party mirror), " + gdp["source_url"],
    })
    out.to_csv(RAW / "statistics" / "lingshou_bulletin_2020.csv", index=False, encoding="utf-8")

    # Evaluation grades and province-wide summaries: canonical names for the 石家庄 units, the rest as given.
    grades = pd.read_csv(shared / "evaluation_grades.csv", dtype=str, keep_default_na=False)
    short = {c.replace("石家庄市", ""): c for c in counties if c.startswith("石家庄市")}
    grades["county"] = grades["county"].map(lambda c: short.get(c, c))
    grades["data_year_inferred"] = grades["data_year"].str.contains("inferred")
    grades["data_year"] = grades["data_year"].str.extract(r"(\d{4})", expand=False)
    grades["grade_inferred"] = grades["grade"].str.contains("inferred")
    grades["grade"] = grades["grade"].str.extract(r"([ABC])", expand=False)
    grades.to_csv(RAW / "evaluation" / "grades.csv", index=False, encoding="utf-8")
    summary = pd.read_csv(shared / "evaluation_summary.csv", dtype=str, keep_default_na=False)
    summary.to_csv(RAW / "evaluation" / "summary.csv", index=False, encoding="utf-8")

    anchors = pd.read_csv(shared / "anchors_hebei_national.csv", dtype=str, keep_default_na=False)
    anchors.to_csv(RAW / "anchors" / "anchors_hebei_national.csv", index=False, encoding="utf-8")
    targets = pd.read_csv(shared / "plan_targets.csv", dtype=str, keep_default_na=False)
    targets.to_csv(RAW / "plans" / "other_plan_targets.csv", index=False, encoding="utf-8")
    actuals = act.copy()
    actuals.to_csv(RAW / "anchors" / "county_actuals_published.csv", index=False, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
