"""Who has returned what: the state of every figure of every department for one county and year (``collect
--status``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lingshou.collect.units import checked_reporting_units
from lingshou.config import DataFolder, data_folder
from lingshou.data.catalogue import load_catalogue

#: Relative tolerance under which a returned value equals a held one (as the validator's duplicate rule).
SAME_RTOL = 1e-9
#: States of a figure in the status table, with their labels.
STATES = {
    "reported": ("已报送", "reported"),
    "held": ("已入库", "held"),
    "conflict": ("冲突", "conflict"),
    "invalid": ("有误", "invalid"),
    "blank": ("空白", "blank"),
    "absent": ("漏报", "not in return"),
    "late": ("未报送", "late"),
    "missing": ("缺失", "missing"),
}
STATUS_COLUMNS = ["department", "indicator", "name_zh", "unit", "returned", "state", "value", "held_value",
                  "held_status", "held_source"]
def compare_values(value: float, held_value: float, held_exists: bool) -> str:
    """``'new'`` (nothing held), ``'same'`` (held equal within :data:`SAME_RTOL`) or ``'conflict'``.

    A held blank (NaN) against a returned number is a conflict: the validator would see two different
    entries for the same county, year and indicator.
    """
    if not held_exists:
        return "new"
    if np.isnan(value) and np.isnan(held_value):
        return "same"
    if np.isnan(value) or np.isnan(held_value):
        return "conflict"
    return "same" if np.isclose(value, held_value, rtol=SAME_RTOL, atol=0.0) else "conflict"


# ------------------------------------------------------------------------------------------ status
def collection_status(reporting: pd.DataFrame, held: pd.DataFrame, county: str, year: int,
                      collected: pd.DataFrame | None = None) -> pd.DataFrame:
    """Completeness of a year's figures by indicator: who reports it, whether it arrived, what is held.

    Usable without returns (``collected=None``), e.g. by the gap-analysis notebook when the data is
    provisional: the state is then ``held`` or ``missing``.

    Parameters
    ----------
    reporting : DataFrame
        Checked reporting-unit table.
    held : DataFrame
        Tidy statistics (``county, year, indicator, value, status, source``).
    county : str
    year : int
    collected : DataFrame, optional
        One row per (department, indicator) of the departments that returned a file: ``department,
        indicator, state`` (``'value'``, ``'blank'``, ``'absent'``, ``'invalid'``), ``value`` (canonical unit).

    Returns
    -------
    DataFrame
        :data:`STATUS_COLUMNS`, one row per figure of ``reporting``; ``returned`` is a nullable boolean
        (NA without ``collected``); ``state`` one of :data:`STATES`: ``conflict`` (returned ≠ held),
        ``invalid`` (returned but rejected), ``reported`` (returned, not yet held), ``held`` (the data folder
        has it), ``blank`` (returned empty), ``absent`` (the return lacks the row), ``late`` (no return),
        ``missing`` (no return information, nothing held).
    """
    h = held[(held["county"] == county) & (held["year"] == year)].drop_duplicates("indicator").set_index("indicator")
    returned_units = set(collected["department"]) if collected is not None else set()
    c = (collected.set_index(["department", "indicator"]) if collected is not None
         else pd.DataFrame(columns=["state", "value"]))
    rows = []
    for r in reporting.itertuples(index=False):
        exists = r.indicator in h.index
        hv = float(h.at[r.indicator, "value"]) if exists else np.nan
        key = (r.unit, r.indicator)
        got = c.loc[key] if key in c.index else None
        value = float(got["value"]) if got is not None else np.nan
        if collected is None:
            returned, state = pd.NA, "held" if not np.isnan(hv) else "missing"
        else:
            returned = r.unit in returned_units
            if got is not None and got["state"] == "invalid":
                state = "invalid"
            elif got is not None and got["state"] == "value":
                state = {"new": "reported", "same": "held", "conflict": "conflict"}[compare_values(value, hv, exists)]
            elif not np.isnan(hv):
                state = "held"
            elif returned:
                state = got["state"] if got is not None else "absent"
            else:
                state = "late"
        rows.append({"department": r.unit, "indicator": r.indicator, "name_zh": r.name_zh, "unit": r.canonical_unit,
                     "returned": returned, "state": state, "value": value, "held_value": hv,
                     "held_status": h.at[r.indicator, "status"] if exists else "",
                     "held_source": h.at[r.indicator, "source"] if exists else ""})
    out = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    out["returned"] = out["returned"].astype("boolean")
    return out


def load_collection_status(data: pd.DataFrame, county: str, year: int, data_dir=None) -> pd.DataFrame:
    """:func:`collection_status` without returns, for a notebook: reads the data folder's reporting-unit table.

    Parameters
    ----------
    data : DataFrame
        The tidy statistics the notebook analyses (``Context.data``).
    county : str
        Canonical county name.
    year : int
    data_dir : path-like or DataFolder, optional
        Whose reporting-unit table and plan to use (default: the bundled ones).

    Returns
    -------
    DataFrame
        :data:`STATUS_COLUMNS` plus ``state_zh`` and ``state_en`` (labels of :data:`STATES`).
    """
    from lingshou.plan.targets import find_plan

    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    cat = load_catalogue(folder)
    reporting = checked_reporting_units(folder, cat, find_plan(county, data_dir=folder))
    out = collection_status(reporting, data, county, year)
    out["state_zh"] = out["state"].map(lambda s: STATES[s][0])
    out["state_en"] = out["state"].map(lambda s: STATES[s][1])
    return out


def department_status(status: pd.DataFrame) -> pd.DataFrame:
    """Per department: returned or late, and how complete its figures are.

    Returns
    -------
    DataFrame
        ``department, returned, n`` (figures it reports), one count column per state of :data:`STATES`,
        ``complete_pct`` (figures with a usable value — reported or held — over ``n``, in percent).
    """
    counts = pd.crosstab(status["department"], status["state"]).reindex(columns=list(STATES), fill_value=0)
    order = list(dict.fromkeys(status["department"]))
    counts = counts.reindex(order, fill_value=0)
    out = pd.DataFrame({"department": order,
                        "returned": status.groupby("department", sort=False)["returned"].first().reindex(order).to_numpy(),
                        "n": status.groupby("department", sort=False).size().reindex(order).to_numpy()})
    for s in STATES:
        out[s] = counts[s].to_numpy()
    out["complete_pct"] = 100.0 * (out["reported"] + out["held"]) / out["n"]
    out["returned"] = out["returned"].astype("boolean")
    return out
