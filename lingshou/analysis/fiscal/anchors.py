"""Published anchors of the fiscal S&T share (national and provincial), for comparison only.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lingshou.analysis.fiscal.share import ANCHOR_FILE, COMPARABLE_ANCHORS
from lingshou.config import DataFolder, data_folder
from lingshou.errors import DataError
from lingshou.i18n import bi

# --------------------------------------------------------------------------------------------------
# Anchors
# --------------------------------------------------------------------------------------------------

def load_anchors(data_dir=None) -> pd.DataFrame:
    """The anchor table (published province, city and national figures) of a data folder.

    Raises
    ------
    DataError
        If the file lacks a required column.
    """
    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    path = folder.reference(ANCHOR_FILE)
    df = pd.read_csv(path, encoding="utf-8-sig", dtype={"county": "str", "indicator": "str", "unit": "str"})
    missing = [c for c in ("county", "year", "indicator", "value", "unit") if c not in df.columns]
    if missing:
        raise DataError(bi(f"锚点表 {path} 缺少列 {missing}", f"anchor table {path} lacks columns {missing}"))
    return df


_SCOPES = {"national": ("全国口径", "national"), "province": ("省级口径", "provincial"),
           "city": ("市级口径", "city"), "other": ("其他口径", "other scope")}


def share_anchors(anchors: pd.DataFrame) -> pd.DataFrame:
    """The anchors comparable with a county's fiscal S&T share, with labels.

    Parameters
    ----------
    anchors : DataFrame
        From :func:`load_anchors`.

    Returns
    -------
    DataFrame
        ``region, indicator, year, value`` (percent), ``scope`` (national / province / city / other),
        ``label_zh``, ``label_en``, ``source_url``, ``note``; sorted by year.
    """
    sel = anchors[anchors["indicator"].isin(COMPARABLE_ANCHORS) & (anchors["unit"] == "%") & anchors["year"].notna()]
    region = sel["county"].astype(str)
    scope = np.select([region == "全国", region.str.endswith("省"), region.str.endswith("市")],
                      ["national", "province", "city"], default="other")
    out = pd.DataFrame({
        "region": region.to_numpy(), "indicator": sel["indicator"].to_numpy(), "year": sel["year"].astype("int64").to_numpy(),
        "value": sel["value"].astype(float).to_numpy(), "scope": scope,
        "source_url": sel["source_url"].to_numpy() if "source_url" in sel.columns else "",
        "note": sel["note"].fillna("").to_numpy() if "note" in sel.columns else "",
    })
    out["label_zh"] = [f"{r}{i} {v:g}%（{y}年，{_SCOPES[s][0]}，非县级）"
                       for r, i, v, y, s in zip(out["region"], out["indicator"], out["value"], out["year"], out["scope"])]
    out["label_en"] = [f"{'National' if s == 'national' else r} local fiscal S&T share {v:g}% ({y}, {_SCOPES[s][1]}, not county)"
                       for r, v, y, s in zip(out["region"], out["value"], out["year"], out["scope"])]
    return out.sort_values("year", ignore_index=True)
