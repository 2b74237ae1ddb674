"""Regenerate the illustrative statistics of the bundled data (``make illustrative``).

Reads the written assumptions (``data/raw/statistics/illustrative_assumptions.yaml``), the unit table, the
published 2020 census population and the assumed scoring model; writes
``data/raw/statistics/illustrative_shijiazhuang_2018-2024.csv``.  Values that a published file already
gives (population 2020, 灵寿县 GDP 2020) are left out, so published figures are never overwritten.
The output is deterministic: same assumptions and seed, same bytes.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from lingshou.catalogue import load_catalogue
from lingshou.io import load_statistics
from lingshou.synthetic import generate_statistics, modelled_points

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
OUT = RAW / "statistics" / "illustrative_shijiazhuang_2018-2024.csv"


def main() -> None:
    assumptions = yaml.safe_load((RAW / "statistics" / "illustrative_assumptions.yaml").read_text(encoding="utf-8"))
    model = yaml.safe_load((RAW / "models" / "hebei_county_st_evaluation.yaml").read_text(encoding="utf-8"))
    cat = load_catalogue()
    published = pd.concat([load_statistics(p) for p in sorted((RAW / "statistics").glob("*.csv")) if p != OUT])
    census = published[(published["indicator"] == "resident_population") & (published["year"] == 2020)]
    units = cat.counties[["type"]].join(census.set_index("county")["value"].rename("population_2020"))
    y0, y1 = assumptions["years"]
    paths = pd.DataFrame.from_dict(assumptions["score_paths"], orient="index", columns=list(range(y0, y1 + 1)))
    tidy = generate_statistics(units, paths, assumptions, model, seed=int(assumptions["seed"]))
    check = modelled_points(tidy, model)
    target = paths.stack()
    worst = (check - target.reindex(check.index)).abs().max()
    print(f"largest |modelled score - score path| = {worst:.2f} points")
    key = ["county", "year", "indicator"]
    tidy = tidy.merge(published[key].assign(_pub=True), on=key, how="left")
    tidy = tidy[tidy["_pub"].isna()].drop(columns="_pub")
    out = pd.DataFrame({
        "县(市、区)": tidy["county"], "年份": tidy["year"], "指标代码": tidy["indicator"],
        "数值": tidy["value"], "计量单位": tidy["indicator"].map(cat.canonical_unit),
        "数据状态": tidy["status"], "数据来源": tidy["source"],
    }).sort_values(["县(市、区)", "指标代码", "年份"])
    out.to_csv(OUT, index=False, encoding="utf-8", lineterminator="\n")
    print(f"wrote {len(out)} illustrative values to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
