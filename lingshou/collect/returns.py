"""``lingshou collect``: the departments' returns in, one validated statistics file out.

Flow (:func:`read_returns`, then :func:`write_collection`):

1. every data file of the returns folder is read by the general loader and validated with the rules of
   ``lingshou validate`` (:func:`lingshou.data.validate.validate_records`) — a template return and a reshaped
   one (columns moved, rows shuffled, another layout, a CSV) go through the same code;
2. the department of a file comes from the template's hidden ``_meta`` sheet, else from the file name
   (``县财政局_2024.xlsx``, ``财政局.xlsx``); county and year from ``_meta`` or the options;
3. collection checks on top: a figure assigned to another unit, a formula without a stored result, two
   returns from one department, a unit other than the template's (converted, with a warning), and a
   *suspicious jump*: more than :data:`COLLECT_JUMP_FACTOR` times or less than its inverse of the prior
   year's held value — an error unless the department explains it in 备注;
4. each value is compared with what the data folder already holds for the same county, year and
   indicator: a different value (or a held blank) is a *conflict*, listed with both values;
5. only when there is no error and no conflict, :func:`write_collection` writes (atomically) one file
   ``raw/statistics/collected_<county>_<year>.csv`` with its data card, ``status`` provisional (published
   with ``final``) and the department as ``source``.  A later run adds to that file: values already in it
   are kept (promoted to published with ``final``, never demoted), a changed value is a conflict.

Every text cell taken from a return (remarks, sources, file names) is neutralised against formula injection
(:func:`lingshou.collect.units.neutralise_text`) before it is written to CSV.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from lingshou.atomic import write_text_atomic
from lingshou.collect.template import DATA_SHEET, INSTRUCTIONS_SHEET, META_SHEET, TEMPLATE_FORMAT, check_template_year
from lingshou.collect.units import (
    check_reporting_units,
    load_held,
    load_reporting_units,
    neutralise_frame,
    neutralise_text,
    problem_department,
    reporting_units,
    safe_filename,
    unit_from_filename,
)
from lingshou.config import STATUS_LABELS, DataFolder, data_folder
from lingshou.data.catalogue import Catalogue, load_catalogue, normalise_text
from lingshou.data.numbers import parse_year
from lingshou.data.problems import Problem, errors, problem
from lingshou.data.read import ROLE_NAMES, list_data_files, read_sheets
from lingshou.errors import DataError, ParameterError
from lingshou.i18n import bi

#: A value beyond this factor of the prior year's (either way) is suspicious.
COLLECT_JUMP_FACTOR = 3.0
#: Relative tolerance under which a returned value equals a held one (as the validator's duplicate rule).
SAME_RTOL = 1e-9
COLLECTED_PREFIX = "collected"
#: Columns of the collected statistics file; the general loader reads them by these headers.
COLLECTED_COLUMNS = ["县(市、区)", "年份", "指标代码", "指标名称", "数值", "计量单位", "数据状态", "数据来源",
                     "部门数据来源", "备注", "报送文件"]
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
CONFLICT_COLUMNS = ["indicator", "name_zh", "department", "file", "value", "held_value", "held_status",
                    "held_source", "held_file"]
VALUE_COLUMNS = ["department", "file", "row", "indicator", "value", "unit", "remark", "source_text"]


# ------------------------------------------------------------------------------------------ reading
def read_template_meta(path: Path) -> dict:
    """The ``_meta`` entries of a template return (``{}`` for other files or an unreadable workbook).

    An unreadable workbook is reported by the loader itself, so nothing is raised here.
    """
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # reported as 'unreadable' by lingshou.data.read
        return {}
    try:
        if META_SHEET not in wb.sheetnames:
            return {}
        meta = {str(k): v for k, v, *_ in wb[META_SHEET].iter_rows(max_col=2, values_only=True) if k is not None}
    finally:
        wb.close()
    if meta.get("format") != TEMPLATE_FORMAT:
        return {}
    return meta


def _cell_text(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return ""
    return unicodedata.normalize("NFKC", str(cell)).strip()


def _header_roles(row: list) -> dict[str, int]:
    roles: dict[str, int] = {}
    for j, cell in enumerate(row):
        key = normalise_text(_cell_text(cell)).lower()
        for role, names in ROLE_NAMES.items():
            if key and key in names:
                roles.setdefault(role, j)
    return roles


def read_row_texts(path: Path, cat: Catalogue) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Text cells of every data row of a return, as written (formulas as their text, not their result).

    The loader reads values with the results Excel stored; remarks and sources are read here as typed, so
    that a formula in a remark cell is kept as inert text, and a value cell holding a formula without a
    stored result can be reported.

    Returns
    -------
    rows : DataFrame
        ``file`` (``path#sheet`` as the loader names it), ``row`` (1-based), ``indicator`` (code or None),
        ``source_text``, ``remark``, ``unit_text``.
    formulas : DataFrame
        ``file, row, column`` (header text), ``formula`` — every cell of a data row that holds a formula.
    """
    grids: list[tuple[str, list[list]]] = []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, data_only=False)
        except Exception:  # reported as 'unreadable' by lingshou.data.read
            wb = None
        for ws in (wb.worksheets if wb is not None else []):
            if ws.sheet_state == "visible":
                grids.append((f"{path}#{ws.title}", [list(r) for r in ws.iter_rows(values_only=True)]))
    else:
        sheets, _ = read_sheets(path)
        grids = [(f"{s.file}#{s.name}" if s.name else s.file, s.rows) for s in sheets]
    rows, formulas = [], []
    for where, grid in grids:
        header_idx = None
        for i, r in enumerate(grid[:30]):
            if len(_header_roles(r)) + sum(parse_year(_cell_text(c)) is not None for c in r) >= 2:
                header_idx = i
                break
        if header_idx is None:
            continue
        header = [_cell_text(c) for c in grid[header_idx]]
        roles = _header_roles(grid[header_idx])
        for i in range(header_idx + 1, len(grid)):
            row = grid[i]

            def get(role: str) -> str:
                j = roles.get(role)
                return _cell_text(row[j]) if j is not None and j < len(row) else ""

            name = get("code") or get("indicator")
            rows.append({"file": where, "row": i + 1, "indicator": cat.indicator_code(name) if name else None,
                         "source_text": get("source"), "remark": get("note"), "unit_text": get("unit")})
            for j, cell in enumerate(row):
                if isinstance(cell, str) and cell.startswith("=") and j < len(header):
                    formulas.append({"file": where, "row": i + 1, "column": header[j], "formula": cell})
    return (pd.DataFrame(rows, columns=["file", "row", "indicator", "source_text", "remark", "unit_text"]),
            pd.DataFrame(formulas, columns=["file", "row", "column", "formula"]))


# ------------------------------------------------------------------------------------------ comparison
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


def find_conflicts(values: pd.DataFrame, held: pd.DataFrame, county: str, year: int,
                   cat: Catalogue) -> pd.DataFrame:
    """Returned numbers that differ from what the data folder holds for the same county, year and indicator.

    Parameters
    ----------
    values : DataFrame
        :data:`VALUE_COLUMNS`; blank values (NaN) are not compared (a blank return changes nothing).
    held : DataFrame
        Tidy statistics of the data folder.

    Returns
    -------
    DataFrame
        :data:`CONFLICT_COLUMNS`, one row per conflicting figure.
    """
    h = held[(held["county"] == county) & (held["year"] == year)].drop_duplicates("indicator").set_index("indicator")
    rows = []
    for v in values.dropna(subset=["value"]).itertuples(index=False):
        exists = v.indicator in h.index
        hv = float(h.at[v.indicator, "value"]) if exists else np.nan
        if compare_values(v.value, hv, exists) == "conflict":
            rows.append({"indicator": v.indicator, "name_zh": cat.name(v.indicator), "department": v.department,
                         "file": v.file, "value": v.value, "held_value": hv, "held_status": h.at[v.indicator, "status"],
                         "held_source": h.at[v.indicator, "source"], "held_file": h.at[v.indicator, "file"]})
    return pd.DataFrame(rows, columns=CONFLICT_COLUMNS)


def jump_problems(values: pd.DataFrame, held: pd.DataFrame, county: str, year: int,
                  factor: float = COLLECT_JUMP_FACTOR) -> list[Problem]:
    """Values beyond ``factor`` times (or below ``1/factor`` of) the prior year's held value.

    An error (the value is held back) unless the department wrote a remark, then a warning.  Both years
    must be positive: a change from or to zero has no factor.

    Examples
    --------
    prior 1000, returned 3500: 3500 / 1000 = 3.5 > 3 → suspicious; returned 3000: exactly 3 → fine.
    """
    prev = held[(held["county"] == county) & (held["year"] == year - 1)].drop_duplicates("indicator")
    prev = prev.set_index("indicator")["value"]
    v = values.dropna(subset=["value"])
    p = v["indicator"].map(prev).astype(float)
    ratio = v["value"] / p
    jump = p.gt(0) & v["value"].gt(0) & ((ratio > factor) | (ratio < 1 / factor))
    out = []
    for rec, pv in zip(v[jump].itertuples(index=False), p[jump]):
        explained = bool(str(rec.remark).strip())
        zh = (f"较上年变化超过 {factor:g} 倍（{year - 1}年 {pv:g}，{year}年 {rec.value:g} {rec.unit}）"
              + ("，备注已说明" if explained else "，存疑：请核实单位和数值，或在“备注”中说明原因"))
        en = (f"changes by more than a factor of {factor:g} on the prior year ({pv:g} → {rec.value:g} {rec.unit})"
              + ("; explained in the remark" if explained else "; suspicious: check the unit and the value, or explain it in 备注"))
        out.append(problem("warning" if explained else "error", "suspicious_jump", zh, en,
                           file=rec.file, row=rec.row, column=rec.indicator, value=rec.value))
    return out


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
    reporting = check_reporting_units(load_reporting_units(folder), cat, find_plan(county, data_dir=folder))
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


# ------------------------------------------------------------------------------------------ the collection
@dataclass
class Collection:
    """What a returns folder holds, checked.

    Attributes
    ----------
    county, year : str, int
    reporting : DataFrame
        The checked reporting-unit table.
    files : DataFrame
        ``file, department, identified_by`` (``'template'``, ``'file name'`` or ``''``), ``template`` (bool).
    values : DataFrame
        :data:`VALUE_COLUMNS`: the figures read without error for the county and year (NaN = blank).
    collected : DataFrame
        ``department, indicator, state, value``: every figure of every department that returned a file.
    held : DataFrame
        Tidy statistics the data folder holds (all counties and years).
    conflicts : DataFrame
        :data:`CONFLICT_COLUMNS`.
    problems : list of Problem
    target : Path
        The statistics file a clean collection writes.
    folder : DataFolder
    written : list of Path
        Files written by :func:`write_collection`.
    """

    county: str
    year: int
    reporting: pd.DataFrame
    files: pd.DataFrame
    values: pd.DataFrame
    collected: pd.DataFrame
    held: pd.DataFrame
    conflicts: pd.DataFrame
    problems: list[Problem]
    target: Path
    folder: DataFolder
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No error and no conflict: the collection may be written."""
        return not errors(self.problems) and self.conflicts.empty

    @property
    def status(self) -> pd.DataFrame:
        """:func:`collection_status` of this collection."""
        return collection_status(self.reporting, self.held, self.county, self.year, self.collected)

    def department_of(self, p: Problem) -> str | None:
        return problem_department(p, dict(zip(self.files["file"], self.files["department"].fillna(""))))


def validate_return(path: Path, cat: Catalogue, county: str, year: int) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate one returned file with the rules of ``lingshou validate``, the collection's county and year as context.

    A return often has no year or county column (the department reports the year asked for), so the file is
    validated as a copy beside a data card naming ``county`` and ``year`` — the loader's own way of giving a
    file its context; columns in the file still win.  File names in the result point to ``path``.  A file the
    validator cannot process becomes an error problem, so that the other returns are still checked.

    Returns
    -------
    (DataFrame, list of Problem)
        As :func:`lingshou.data.validate.validate_records`.
    """
    from lingshou.data.read import CARD_SUFFIX
    from lingshou.data.validate import TIDY_COLUMNS, validate_records

    with tempfile.TemporaryDirectory(prefix="lingshou-return-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        card = {"county": county, "year": int(year)}
        (Path(tmp) / (copy.stem + CARD_SUFFIX)).write_text(yaml.safe_dump(card, allow_unicode=True), encoding="utf-8")
        try:
            tidy, probs = validate_records([copy], cat, county=county)
        except Exception as exc:  # one department's odd file must not stop the others from being checked
            return (pd.DataFrame(columns=TIDY_COLUMNS),
                    [problem("error", "validation_failed",
                             f"校验程序无法处理该文件（{type(exc).__name__}: {exc}）；请检查空白或未知的指标名称/代码",
                             f"the validator failed on this file ({type(exc).__name__}: {exc}); check for blank or unknown "
                             "indicator names or codes", file=path)])

    def back(where: str) -> str:
        return str(path) + where[len(str(copy)):] if where.startswith(str(copy)) else where

    tidy["file"] = tidy["file"].map(back)
    probs = [dataclasses.replace(p, file=back(p.file)) for p in probs]
    return tidy, probs


def _meta_year(meta: dict) -> int | None:
    """The year of a template's ``_meta`` (None when it is not a year)."""
    y = meta.get("year")
    return y if isinstance(y, int) and not isinstance(y, bool) else parse_year(_cell_text(y))


def _resolve_one(given, found: set, what_zh: str, what_en: str, option: str, plural_en: str):
    if given is not None:
        return given
    if len(found) == 1:
        return next(iter(found))
    if not found:
        raise ParameterError(bi(f"无法确定{what_zh}：返回的文件中没有模板信息，请用 {option} 指定",
                                f"cannot tell the {what_en}: no returned file carries the template's information; pass {option}"))
    raise ParameterError(bi(f"返回的文件属于不同的{what_zh}：{sorted(map(str, found))}；请用 {option} 指定并分开收集",
                            f"the returned files belong to different {plural_en}: {sorted(map(str, found))}; pass {option} and collect them apart"))


def identify_return(path: Path, meta: dict, units: list[str], county: str, year: int) -> tuple[str | None, str, list[Problem]]:
    """The department of a returned file: the form's ``_meta`` unit, else the unit named in the file name.

    Returns
    -------
    (str or None, str, list of Problem)
        The unit (None when unknown), how it was found (``'template'``, ``'file name'`` or ``''``), and the
        problems: an unknown unit, a form of another county or year, an unidentifiable file.
    """
    probs = []
    if not meta:
        dept = unit_from_filename(path.name, units)
        if dept is None:
            probs.append(problem("error", "unknown_department",
                                 f"无法确定报送单位：请使用模板，或以单位名称命名文件（如 县财政局_{year}.xlsx）",
                                 f"cannot tell the department: use the form, or name the file after the unit (e.g. 县财政局_{year}.xlsx)",
                                 file=path))
        return dept, "file name" if dept else "", probs
    dept = str(meta.get("unit", ""))
    if dept not in units:
        probs.append(problem("error", "unknown_unit", f"模板的报送单位 {dept} 不在报送单位表中",
                             f"the template's unit {dept} is not in the reporting-unit table", file=path, value=dept))
    if meta.get("county") != county:
        probs.append(problem("error", "wrong_county", f"该表是 {meta.get('county')} 的模板，本次收集的是 {county}",
                             f"this is a form of {meta.get('county')}; collecting {county}", file=path, value=meta.get("county")))
    if _meta_year(meta) != year:
        probs.append(problem("error", "wrong_year", f"该表是 {meta.get('year')} 年的模板，本次收集的是 {year} 年",
                             f"this is a form for {meta.get('year')}; collecting {year}", file=path, value=meta.get("year")))
    return (dept if dept in units else None), "template", probs


def _read_return(f: Path, meta: dict, dept: str | None, cat: Catalogue, county: str, year: int,
                 assigned: dict[str, str]) -> tuple[pd.DataFrame, list[Problem], list[tuple]]:
    """The figures of one return (:data:`VALUE_COLUMNS`), its problems, and the (department, indicator) rejected."""
    tidy, p = validate_return(f, cat, county, year)
    probs = [x for x in p if not (x.rule == "layout" and x.file == f"{f}#{INSTRUCTIONS_SHEET}")]
    texts, formulas = read_row_texts(f, cat)
    row_code = {(r.file, r.row): r.indicator for r in texts.itertuples(index=False)}
    invalid = [(dept, row_code.get((x.file, int(x.row)))) for x in p
               if x.severity == "error" and x.row.isdigit() and row_code.get((x.file, int(x.row)))]

    other = tidy[(tidy["county"] != county) | (tidy["year"] != year)]
    if not other.empty:
        probs.append(problem("warning", "other_values", f"{len(other)} 个其他县或其他年度的值未收集（只收集 {county} {year} 年）",
                             f"{len(other)} value(s) of other counties or years were not collected (only {county} {year})", file=f))
    tidy = tidy.drop(index=other.index)
    derived = tidy["indicator"].map(lambda c: cat.formula(c) is not None).astype(bool)
    for r in tidy[derived].itertuples(index=False):
        probs.append(problem("info", "ratio_not_stored", f"{r.indicator} 是比值，由分子分母计算，不单独入库（已核对一致）",
                             f"{r.indicator} is a ratio computed from its operands; not stored (checked for consistency)",
                             file=r.file, row=r.row, column=r.indicator, value=r.value))
    tidy = tidy[~derived]
    if dept is not None:
        foreign = (tidy["indicator"].map(assigned) != dept).astype(bool)
        for r in tidy[foreign].itertuples(index=False):
            probs.append(problem("error", "not_assigned",
                                 f"{r.indicator}（{cat.name(r.indicator)}）由 {assigned.get(r.indicator, '—')} 报送（见报送单位表），不由 {dept} 报送",
                                 f"{r.indicator} is reported by {assigned.get(r.indicator, '—')} (reporting-unit table), not by {dept}",
                                 file=r.file, row=r.row, column=r.indicator, value=r.value))
            invalid.append((dept, r.indicator))
        tidy = tidy[~foreign]
    merged = tidy.merge(texts, on=["file", "row"], how="left", suffixes=("", "_text"))
    for r in merged.itertuples(index=False):
        unit_text = normalise_text(r.unit_text) if isinstance(r.unit_text, str) and r.unit_text else ""
        if unit_text and unit_text != normalise_text(r.unit):
            probs.append(problem("warning", "unit_converted", f"数值按 {unit_text} 填写，已换算为 {r.unit}",
                                 f"value given in {unit_text}; converted to {r.unit}", file=r.file, row=r.row,
                                 column=r.indicator, value=unit_text))
    # The loader reads the result Excel stored; a formula never calculated reads as blank, which is not what was meant.
    hit = formulas.merge(merged[merged["value"].isna()][["file", "row"]], on=["file", "row"])
    for r in hit.itertuples(index=False):
        probs.append(problem("error", "formula_without_result",
                             "单元格是公式但没有计算结果：请在 Excel 中打开并保存，或直接填写数字",
                             "the cell holds a formula without a stored result: open and save it in Excel, or type the number",
                             file=r.file, row=r.row, column=r.column, value=neutralise_text(r.formula)))
        invalid.append((dept, row_code.get((r.file, r.row))))
    if not hit.empty:
        merged = merged[~merged.set_index(["file", "row"]).index.isin(hit.set_index(["file", "row"]).index)]
    if meta and meta.get("codes"):
        got = [c for c in texts.loc[texts["file"] == f"{f}#{DATA_SHEET}", "indicator"] if c]
        if got != str(meta["codes"]).split(","):
            probs.append(problem("warning", "structure_changed", "表格结构被改动（行被移动、删除或增加），已按指标代码读取",
                                 "the form's structure was changed (rows moved, deleted or added); read by indicator code",
                                 file=f))
    values = pd.DataFrame({
        "department": dept, "file": str(f), "row": merged["row"].astype(int), "indicator": merged["indicator"],
        "value": merged["value"].astype(float), "unit": merged["unit"],
        "remark": merged["remark"].fillna("").astype(str), "source_text": merged["source_text"].fillna("").astype(str),
    }, columns=VALUE_COLUMNS)
    return values, probs, invalid


def read_returns(returns_dir: str | Path, county: str | None = None, year: int | None = None,
                 data_dir=None) -> Collection:
    """Read and check every return in a folder (nothing is written).

    Parameters
    ----------
    returns_dir : path-like
        Folder of returned workbooks (searched recursively); it must lie outside ``raw/statistics``.
    county : str, optional
        Default: the county of the template returns.
    year : int, optional
        Default: the year of the template returns.
    data_dir : path-like, optional
        The data folder compared with and written to.

    Raises
    ------
    ParameterError
        Folder missing or inside ``raw/statistics``; county or year not given and not found in the
        returns (or ambiguous); an invalid county or year.
    DataError
        Invalid reporting-unit table.
    """
    from lingshou.data.params import RULES
    from lingshou.plan.targets import find_plan

    d = Path(returns_dir).expanduser().resolve()
    if not d.is_dir():
        raise ParameterError(bi(f"返回文件夹不存在：{d}", f"returns folder does not exist: {d}"))
    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    stats = folder.statistics.resolve()
    if d == stats or stats in d.parents:
        raise ParameterError(bi(f"返回文件夹 {d} 位于数据文件夹的 raw/statistics 中，会被当作数据读取；请放在数据文件夹之外",
                                f"returns folder {d} lies inside raw/statistics of the data folder, where it would be read "
                                "as data; keep returns outside the data folder"))
    cat = load_catalogue(folder)
    files, probs = list_data_files(d)
    metas = {f: read_template_meta(f) for f in files}
    if county is not None:
        RULES["county"]("county", county)
        county = cat.resolve_county(county)
    county = _resolve_one(county, {m["county"] for m in metas.values() if m}, "县", "county", "--county", "counties")
    county = cat.resolve_county(county)
    year = _resolve_one(year, {_meta_year(m) for m in metas.values() if m}, "数据年度", "year", "--year", "years")
    year = check_template_year(year)
    plan = find_plan(county, data_dir=folder)
    reporting = check_reporting_units(load_reporting_units(folder), cat, plan)
    units = reporting_units(reporting)
    assigned = dict(zip(reporting["indicator"], reporting["unit"]))
    held, held_probs = load_held(folder)
    if errors(held_probs):
        probs.append(problem("warning", "data_folder_errors",
                             f"数据文件夹已有 {len(errors(held_probs))} 个错误，有误的值未参与比较；请运行 lingshou validate",
                             f"the data folder has {len(errors(held_probs))} error(s); their values were not compared; run lingshou validate",
                             file=folder.statistics))

    file_rows, value_frames, invalid = [], [], []
    for f in files:
        dept, how, p = identify_return(f, metas[f], units, county, year)
        probs += p
        file_rows.append({"file": str(f), "department": dept, "identified_by": how, "template": bool(metas[f])})
        vals, p, bad = _read_return(f, metas[f], dept, cat, county, year, assigned)
        probs += p
        invalid += bad
        value_frames.append(vals)

    files_df = pd.DataFrame(file_rows, columns=["file", "department", "identified_by", "template"])
    for dept, grp in files_df.dropna(subset=["department"]).groupby("department"):
        if len(grp) > 1:
            for f in grp["file"]:
                probs.append(problem("error", "several_returns", f"{dept} 有多个返回文件：{list(grp['file'])}；请只保留一个",
                                     f"{dept} returned several files: {list(grp['file'])}; keep one", file=f))
    values = pd.concat(value_frames, ignore_index=True) if value_frames else pd.DataFrame(columns=VALUE_COLUMNS)
    values = values[values["department"].notna()].reset_index(drop=True)
    values["value"] = values["value"].astype(float)
    probs += jump_problems(values, held, county, year)
    held_back = {(p.file, p.column) for p in probs if p.rule == "suspicious_jump" and p.severity == "error"}
    invalid += [(v.department, v.indicator) for v in values.itertuples(index=False) if (v.file, v.indicator) in held_back]

    collected = _collected(reporting, files_df, values, set(invalid))
    target = folder.statistics / safe_filename(COLLECTED_PREFIX, county, year, suffix=".csv")
    return Collection(county=county, year=year, reporting=reporting, files=files_df, values=values,
                      collected=collected, held=held, conflicts=find_conflicts(values, held, county, year, cat),
                      problems=probs, target=target, folder=folder)


def _collected(reporting: pd.DataFrame, files: pd.DataFrame, values: pd.DataFrame, invalid: set) -> pd.DataFrame:
    """One row per figure of every department that returned a file: its state in the return."""
    returned = set(files["department"].dropna())
    by_key = values.drop_duplicates(["department", "indicator"]).set_index(["department", "indicator"])["value"]
    rows = []
    for r in reporting[reporting["unit"].isin(returned)].itertuples(index=False):
        key = (r.unit, r.indicator)
        if key in invalid:
            state, value = "invalid", np.nan
        elif key in by_key.index:
            value = float(by_key[key])
            state = "blank" if np.isnan(value) else "value"
        else:
            state, value = "absent", np.nan
        rows.append({"department": r.unit, "indicator": r.indicator, "state": state, "value": value})
    return pd.DataFrame(rows, columns=["department", "indicator", "state", "value"])


# ------------------------------------------------------------------------------------------ writing
def load_collected_file(path: Path) -> pd.DataFrame:
    """The rows of an earlier collected statistics file, as text (an empty table when there is none).

    Raises
    ------
    DataError
        If the file lacks a column of :data:`COLLECTED_COLUMNS` (it was edited into another layout).
    """
    if not path.exists():
        return pd.DataFrame(columns=COLLECTED_COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in COLLECTED_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(bi(f"已收集文件 {path} 缺少列 {missing}；请恢复原格式或改名后再收集",
                           f"the collected file {path} lacks columns {missing}; restore its layout or rename it before collecting"))
    return df[COLLECTED_COLUMNS]


def merge_collected(previous: pd.DataFrame, coll: Collection, cat: Catalogue, final: bool) -> tuple[pd.DataFrame, int, int]:
    """The rows of the collected file after this collection.

    New figures (numbers not held anywhere) are added with status provisional (published when ``final``)
    and the department as source; figures already in ``previous`` with the same value are kept and, when
    ``final``, promoted to published (never demoted); figures held equal in another file are not repeated.
    Text cells are neutralised.

    Returns
    -------
    (DataFrame, int, int)
        The rows (:data:`COLLECTED_COLUMNS`, sorted by indicator), the number of new rows, the number of
        promoted rows.
    """
    status = "published" if final else "provisional"
    h = coll.held[(coll.held["county"] == coll.county) & (coll.held["year"] == coll.year)]
    held_idx = h.drop_duplicates("indicator").set_index("indicator")
    mine = {row["指标代码"] for _, row in previous.iterrows()}
    new_rows, promote = [], set()
    for v in coll.values.dropna(subset=["value"]).itertuples(index=False):
        exists = v.indicator in held_idx.index
        if compare_values(v.value, float(held_idx.at[v.indicator, "value"]) if exists else np.nan, exists) == "new":
            new_rows.append({"县(市、区)": coll.county, "年份": str(coll.year), "指标代码": v.indicator,
                             "指标名称": cat.name(v.indicator), "数值": repr(float(v.value)), "计量单位": v.unit,
                             "数据状态": status, "数据来源": v.department, "部门数据来源": v.source_text,
                             "备注": v.remark, "报送文件": Path(v.file).name})
        elif final and v.indicator in mine:
            promote.add(v.indicator)
    prev = previous.copy()
    promoted = prev["指标代码"].isin(promote) & (prev["数据状态"] != "published")
    prev.loc[promoted, "数据状态"] = "published"
    out = pd.concat([prev, pd.DataFrame(new_rows, columns=COLLECTED_COLUMNS)], ignore_index=True)
    out = out.sort_values(["年份", "指标代码"], kind="stable").reset_index(drop=True)
    out = out.astype(str)
    text = [c for c in COLLECTED_COLUMNS if c not in ("年份", "数值")]
    out[text] = neutralise_frame(out[text])
    return out, len(new_rows), int(promoted.sum())


def collected_card(coll: Collection, rows: pd.DataFrame, previous_card: dict) -> dict:
    """The data card of the collected file (merging the departments of an earlier card)."""
    departments = dict(previous_card.get("departments") or {})
    for r in coll.files.dropna(subset=["department"]).itertuples(index=False):
        mine = coll.values[coll.values["file"] == r.file].dropna(subset=["value"])
        if not mine.empty:
            departments[r.department] = {"file": neutralise_text(Path(r.file).name),
                                         "indicators": sorted(mine["indicator"].tolist())}
    statuses = sorted(set(rows["数据状态"]))
    return {
        "title": f"{coll.county}{coll.year}年部门报送数据（县域科技创新跃升计划指标）",
        "title_en": f"Figures collected from the county departments, {coll.county} {coll.year}",
        "status": statuses[0] if len(statuses) == 1 else "provisional",
        "publisher": "各报送单位（见 departments；由 lingshou collect 收集）/ the reporting units (see departments), collected by lingshou collect",
        "source": "部门填报表 / the departments' returned forms",
        "county": coll.county,
        "year": coll.year,
        "collected": _dt.date.today().isoformat(),
        "units": "catalogue canonical units (万元, %, 家, 件, 万人)",
        "indicators": sorted(rows["指标代码"].tolist()),
        "departments": dict(sorted(departments.items())),
        "caveats": ["Each row's 数据状态 column gives its status (provisional until confirmed; `lingshou collect --final` publishes).",
                    "Written by `lingshou collect`; do not edit values by hand — a corrected return is a conflict to resolve."],
    }


def write_collection(coll: Collection, final: bool = False) -> list[Path]:
    """Write the collected statistics file and its card into ``raw/statistics`` (atomically).

    Nothing is written when nothing is new (and nothing to promote).

    Returns
    -------
    list of Path
        The files written (CSV and card), or ``[]``.

    Raises
    ------
    DataError
        If the collection has errors or conflicts (nothing is written then).
    """
    from lingshou.data.read import CARD_SUFFIX, read_card

    if not coll.ok:
        raise DataError(bi(f"有 {len(errors(coll.problems))} 个错误、{len(coll.conflicts)} 个冲突，未写入任何文件",
                           f"{len(errors(coll.problems))} error(s) and {len(coll.conflicts)} conflict(s); nothing was written"),
                        coll.problems)
    cat = load_catalogue(coll.folder)
    previous = load_collected_file(coll.target)
    rows, n_new, n_promoted = merge_collected(previous, coll, cat, final)
    if n_new == 0 and n_promoted == 0:
        return []
    card_path = coll.target.with_name(coll.target.stem + CARD_SUFFIX)
    card = collected_card(coll, rows, read_card(coll.target) if coll.target.exists() else {})
    coll.target.parent.mkdir(parents=True, exist_ok=True)
    # Card first: a crash between the two replaces leaves the old data with a card that lists more, never data without a card.
    write_text_atomic(card_path, yaml.safe_dump(card, allow_unicode=True, sort_keys=False))
    write_text_atomic(coll.target, rows.to_csv(index=False, lineterminator="\n"))
    coll.written = [coll.target, card_path]
    return coll.written


def collect(returns_dir: str | Path, county: str | None = None, year: int | None = None, data_dir=None,
            final: bool = False) -> Collection:
    """Read, check and — when clean — write a collection (``lingshou collect``).

    Returns
    -------
    Collection
        ``written`` lists the files written (empty when there were errors or conflicts, or nothing new).
    """
    coll = read_returns(returns_dir, county=county, year=year, data_dir=data_dir)
    if coll.ok:
        write_collection(coll, final=final)
    return coll


# ------------------------------------------------------------------------------------------ reports
def department_problems(coll: Collection) -> pd.DataFrame:
    """What each department must look at: missing, invalid and suspicious figures, conflicts, warnings.

    Returns
    -------
    DataFrame
        ``department`` (``'—'`` when a file's department is unknown), ``kind`` (``missing``, ``late``,
        ``invalid``, ``suspicious``, ``conflict``, ``warning``), ``indicator``, ``detail`` — text neutralised.
    """
    rows = []
    names = dict(zip(coll.reporting["indicator"], coll.reporting["name_zh"]))
    for r in coll.status.itertuples(index=False):
        if r.state in ("blank", "absent"):
            rows.append((r.department, "missing", r.indicator, f"{names[r.indicator]}：{STATES[r.state][0]} / {STATES[r.state][1]}"))
    for dept in coll.reporting["unit"].unique():
        if dept not in set(coll.files["department"].dropna()):
            rows.append((dept, "late", "", "未返回填报表 / no return"))
    for p in coll.problems:
        if p.severity == "info":
            continue
        kind = ("suspicious" if p.rule == "suspicious_jump" else "invalid") if p.severity == "error" else "warning"
        if p.rule == "suspicious_jump" and p.severity == "warning":
            kind = "suspicious"
        rows.append((coll.department_of(p) or "—", kind, p.column if p.column in names else "", str(p)))
    for c in coll.conflicts.itertuples(index=False):
        held = "缺失 missing" if np.isnan(c.held_value) else f"{c.held_value:g}"
        hint = ("；示例数据不是官方统计：删除该文件中本县本年的示例行后再收集 / illustrative values are no statistics: "
                "remove this county's rows of that year from the illustrative file, then collect again"
                if c.held_status == "illustrative" else
                "；请核实后删除或更正其中一个值 / check both, then delete or correct one of them")
        rows.append((c.department, "conflict", c.indicator,
                     f"{c.name_zh}：报送 returned {c.value:g}，数据文件夹已有 held {held}（{STATUS_LABELS['zh'].get(c.held_status, c.held_status)} "
                     f"{c.held_status}，{Path(c.held_file).name}）{hint}"))
    return neutralise_frame(pd.DataFrame(rows, columns=["department", "kind", "indicator", "detail"]))


def format_report(coll: Collection) -> str:
    """The text ``lingshou collect`` prints: per department, then conflicts and the outcome."""
    lines = [f"{coll.county} {coll.year} 年部门报送检查 / collection check of {coll.county} {coll.year}", ""]
    deps = department_status(coll.status).set_index("department")
    probs = department_problems(coll)
    kinds = {"missing": "缺报 missing", "invalid": "错误 invalid", "suspicious": "存疑 suspicious",
             "conflict": "冲突 conflict", "warning": "警告 warning", "late": "未报送 late"}
    for dept in list(deps.index) + (["—"] if (probs["department"] == "—").any() else []):
        if dept in deps.index:
            d = deps.loc[dept]
            head = (f"{dept}：已返回 returned，{int(d['reported'] + d['held'])}/{int(d['n'])} 项有值 with a value"
                    if d["returned"] else f"{dept}：未返回 late（{int(d['n'])} 项 figures）")
        else:
            head = "其他（报送单位不明的文件、数据文件夹）/ other (files of unknown department, the data folder)"
        lines.append(head)
        for p in probs[(probs["department"] == dept) & (probs["kind"] != "late")].itertuples(index=False):
            lines.append(f"  [{kinds[p.kind]}] {p.detail}")
    return "\n".join(lines)


def format_status(coll: Collection) -> str:
    """The text of ``lingshou collect --status``: departments returned and late, completeness by indicator."""
    deps = department_status(coll.status)
    lines = [f"{coll.county} {coll.year} 年报送情况 / return status of {coll.county} {coll.year}", "",
             "报送单位 department | 返回 returned | 完整度 complete"]
    for d in deps.itertuples(index=False):
        lines.append(f"{d.department} | {'是 yes' if d.returned else '否 no（未报送 late）'} | {d.complete_pct:.0f}%")
    lines += ["", "指标 indicator | 报送单位 department | 状态 state | 数值 value | 已有 held"]
    for s in coll.status.itertuples(index=False):
        value = "" if np.isnan(s.value) else f"{s.value:g} {s.unit}"
        held = "" if np.isnan(s.held_value) else f"{s.held_value:g} ({s.held_status})"
        lines.append(f"{s.indicator}（{s.name_zh}）| {s.department} | {STATES[s.state][0]} {STATES[s.state][1]} | {value} | {held}")
    late = deps.loc[~deps["returned"].astype(bool), "department"].tolist()
    lines += ["", f"未报送 late: {'、'.join(late) if late else '无 none'}"]
    return "\n".join(lines)
