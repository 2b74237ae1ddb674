"""Regenerate the illustrative statistics of the bundled data (``make illustrative``).

Reads the written assumptions (``data/raw/statistics/illustrative_assumptions.yaml``), the unit table, the
published 2020 census population and the assumed scoring model; writes
``data/raw/statistics/illustrative_shijiazhuang_2018-2024.csv`` (石家庄's 22 units, hand-written score paths) and
``data/raw/statistics/illustrative_hebei_2018-2024.csv`` (the province's other evaluated units, score paths
calibrated to the published results by :mod:`lingshou.illustrative.province`).  Values that a published file already gives
(population 2020, 灵寿县 GDP 2020) are left out, so published figures are never overwritten.  Deterministic:
same assumptions and seed, same bytes (tests/test_synthetic.py checks the committed file against it).
"""
from __future__ import annotations

from pathlib import Path

from lingshou.illustrative.generate import BUNDLED_FILE, PROVINCE_FILE, bundled_illustrative, bundled_province

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def main() -> None:
    for make, name in ((bundled_illustrative, BUNDLED_FILE), (bundled_province, PROVINCE_FILE)):
        table, worst = make(RAW)
        print(f"largest |modelled score - score path| = {worst:.2f} points")
        table.to_csv(RAW / name, index=False, encoding="utf-8", lineterminator="\n")
        print(f"wrote {len(table)} illustrative values to data/raw/{name}")


if __name__ == "__main__":
    main()
