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
PROVINCE = "河北省"
#: Names that changed, from the register's code_history_note (and the 2014 石家庄 changes kept from before):
#: (old name, today's canonical unit, year of the change, note).
HISTORY = [
    ("鹿泉市", "石家庄市鹿泉区", 2014, "鹿泉市 became 鹿泉区 of 石家庄 in 2014"),
    ("藁城市", "石家庄市藁城区", 2014, "藁城市 became 藁城区 of 石家庄 in 2014"),
    ("栾城县", "石家庄市栾城区", 2014, "栾城县 became 栾城区 of 石家庄 in 2014"),
    ("邢台市桥东区", "邢台市襄都区", 2020, "renamed from 桥东区 (same code 130502) in the 2020 邢台 reorganisation"),
    ("邢台桥东区", "邢台市襄都区", 2020, "renamed from 桥东区 (same code 130502) in the 2020 邢台 reorganisation"),
    ("邢台市桥西区", "邢台市信都区", 2020, "renamed from 桥西区 (same code 130503) in 2020"),
    ("邢台桥西区", "邢台市信都区", 2020, "renamed from 桥西区 (same code 130503) in 2020"),
    ("任县", "邢台市任泽区", 2020, "任县 (130526) became 任泽区 (130505) in 2020"),
    ("南和县", "邢台市南和区", 2020, "南和县 (130527) became 南和区 (130506) in 2020"),
]


def canonical_name(row) -> str:
    """市辖区 carry their prefecture (several prefectures have a 桥西区); counties and cities do not."""
    return row["prefecture"] + row["name"] if row["type"] == "市辖区" else row["name"]


def register(shared: Path) -> pd.DataFrame:
    """counties.csv: every county-level unit of Hebei, the 167 units of the provincial evaluation."""
    reg = pd.read_csv(shared / "hebei_counties.csv", dtype=str, keep_default_na=False)
    assert len(reg) == 167 and reg["code"].is_unique and reg["code"].str.fullmatch(r"13\d{4}").all()
    out = pd.DataFrame({
        "county": reg.apply(canonical_name, axis=1), "short_name": reg["name"], "prefecture": reg["prefecture"],
        "province": PROVINCE, "type": reg["type"], "code": reg["code"],
        "census_2020_population": reg["census_2020_population"], "evaluated": "true",
        "name_in_results": reg["name_in_results_list"], "evaluation_group": reg["evaluation_group_note"],
        "note": reg["code_history_note"],
    })
    assert out["county"].is_unique
    return out.sort_values("code").reset_index(drop=True)


def main(shared: Path) -> None:
    act = pd.read_csv(shared / "county_actuals.csv", dtype=str)
    units = register(shared)
    units.to_csv(RAW / "counties.csv", index=False, encoding="utf-8")
    counties = set(units["county"])
    explicit = pd.DataFrame(HISTORY, columns=["alias", "county", "year", "note"])
    # names used in the published results lists (渤海新区黄骅市) that the generated aliases do not cover
    listed = units.loc[units["name_in_results"] != units["county"], ["name_in_results", "county"]]
    listed = listed[~listed["name_in_results"].isin(units["prefecture"] + units["short_name"])]
    explicit = pd.concat([explicit, pd.DataFrame({"alias": listed["name_in_results"], "county": listed["county"],
                                                  "year": "", "note": "name in the published results list"}),
                          pd.DataFrame([{"alias": "石家庄市辛集市", "county": "辛集市", "year": "", "note": ""}])],
                         ignore_index=True)
    assert set(explicit["county"]) <= counties
    explicit.to_csv(RAW / "aliases" / "county_aliases.csv", index=False, encoding="utf-8")

    reg = pd.read_csv(shared / "hebei_counties.csv", dtype=str, keep_default_na=False)
    assert reg["source"].str.startswith("leiii/census data/census/census_county_2020_v1.xlsx").all()
    census = pd.DataFrame({
        "县(市、区)": reg.apply(canonical_name, axis=1), "年份": "2020", "指标名称": "常住人口",
        "数值": reg["census_2020_population"], "计量单位": "人", "数据状态": "published",
        # every row of the register gives the same census source (its codes were cross-checked elsewhere)
        "数据来源": "第七次全国人口普查 (2020-11-01), github:leiii/census data/census/census_county_2020_v1.xlsx (commit 0ba0f1e)",
    })
    census.to_csv(RAW / "statistics" / "census_2020_resident_population.csv", index=False, encoding="utf-8")

    gdp = act[(act["county"] == "灵寿县") & (act["indicator"] == "地区生产总值") & (act["year"] == "2020")]
    out = pd.DataFrame({
        "县(市、区)": gdp["county"], "年份": gdp["year"], "指标名称": "地区生产总值", "数值": gdp["value"],
        "计量单位": gdp["unit"], "数据状态": "published",
        "数据来源": "灵寿县2020年国民经济和社会发展统计公报 (third-party mirror), " + gdp["source_url"],
    })
    out.to_csv(RAW / "statistics" / "lingshou_bulletin_2020.csv", index=False, encoding="utf-8")

    # Evaluation grades and province-wide summaries, under the register's canonical names.
    grades = pd.read_csv(shared / "evaluation_grades.csv", dtype=str, keep_default_na=False)
    unique_short = units[~units["short_name"].duplicated(keep=False)]
    names = {**dict(zip(unique_short["short_name"], unique_short["county"])),
             **dict(zip(units["name_in_results"], units["county"])), **{c: c for c in counties},
             **dict(zip(units["prefecture"] + units["short_name"], units["county"]))}
    unknown = sorted(set(grades["county"]) - set(names))
    assert not unknown, unknown
    grades["county"] = grades["county"].map(names)
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
