"""``lingshou collect``: the departments' returns in, one validated statistics file out.

Flow (:func:`read_returns`, then :func:`write_collection`):

1. every data file of the returns folder is read by the general loader and validated with the rules of
   ``lingshou validate`` (:func:`lingshou.data.validate.validate_records`) — a template return and a reshaped
   one (columns moved, rows shuffled, another layout, a CSV) go through the same code;
2. the department of a file comes from the template's hidden ``_meta`` sheet, else from the file name
   (``县财政局_2024.xlsx``, ``财政局.xlsx``); county and year from ``_meta`` or the options;
3. collection checks on top: a figure assigned to another unit, a formula without a stored result, two
   returns from one department, a unit other than the template's (converted, with a warning), and a
   *suspicious jump*: more than :data:`~lingshou.collect.jumps.COLLECT_JUMP_FACTOR` times or less than its inverse of the prior
   year's held value — an error unless the department explains it in 备注, and always when the change is a
   unit slip's (元 typed for 万元) or the remark states a unit (:mod:`lingshou.collect.jumps`);
4. each value is compared with what the data folder already holds for the same county, year and
   indicator: a different value (or a held blank) is a *conflict*, listed with both values;
5. only when there is no error and no conflict, :func:`write_collection` writes (atomically) one file
   ``raw/statistics/collected_<county>_<year>.csv`` with its data card, ``status`` provisional (published
   with ``final``) and the department as ``source``.  A later run adds to that file: values already in it
   are kept (promoted to published with ``final``, never demoted), a changed value is a conflict.

Every text cell taken from a return (remarks, sources, file names) is neutralised against formula injection
(:func:`lingshou.collect.units.neutralise_text`) before it is written to CSV.

Beside it: :mod:`~lingshou.collect.status` (who has returned what), :mod:`~lingshou.collect.store` (writing the
collected file) and :mod:`~lingshou.collect.messages` (the per-department report).
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

from lingshou.collect.jumps import jump_problems
from lingshou.collect.status import collection_status, compare_values
from lingshou.collect.task_returns import CONFLICT_COLUMNS as TASK_CONFLICT_COLUMNS, merge_history, read_task_returns
from lingshou.collect.template import (
    DATA_SHEET,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    TEMPLATE_FORMAT,
    check_template_year,
    form_units,
    plan_years,
)
from lingshou.collect.units import (
    checked_reporting_units,
    load_held,
    problem_department,
    reporting_units,
    safe_filename,
    unit_from_filename,
)
from lingshou.config import DataFolder, data_folder
from lingshou.data.catalogue import Catalogue, load_catalogue, normalise_text
from lingshou.data.numbers import parse_year
from lingshou.data.problems import Problem, errors, problem
from lingshou.data.read import list_data_files, read_sheets
from lingshou.data.safe import neutralise_text
from lingshou.data.sheet import ROLE_NAMES
from lingshou.errors import ParameterError
from lingshou.i18n import bi
from lingshou.plan.progress import HISTORY_COLUMNS, Period, check_period, history_path, load_history, parse_period

COLLECTED_PREFIX = "collected"
#: Columns of the collected statistics file; the general loader reads them by these headers.
COLLECTED_COLUMNS = ["县(市、区)", "年份", "指标代码", "指标名称", "数值", "计量单位", "数据状态", "数据来源",
                     "部门数据来源", "备注", "报送文件"]
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
    period : Period or None
        The reporting period of the task returns (None when no file has a task sheet).
    task_rows : DataFrame
        The task progress rows this collection appends to the history (:data:`~lingshou.plan.progress.HISTORY_COLUMNS`).
    task_conflicts : DataFrame
        Task returns that differ from what the history holds for the same period
        (:data:`~lingshou.collect.task_returns.CONFLICT_COLUMNS`, both versions).
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
    period: Period | None = None
    task_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=HISTORY_COLUMNS))
    task_conflicts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TASK_CONFLICT_COLUMNS))

    @property
    def ok(self) -> bool:
        """No error and no conflict (of figures or of task returns): the collection may be written."""
        return not errors(self.problems) and self.conflicts.empty and self.task_conflicts.empty

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


# long: the numpydoc docstring is a third of it; the code (~60 lines) is the collection's steps in order, each a call.
def read_returns(returns_dir: str | Path, county: str | None = None, year: int | None = None,
                 data_dir=None, period: str | None = None, amend: bool = False) -> Collection:
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
    period : str, optional
        The reporting period of the task progress (default: the period of the template returns).
    amend : bool
        Store a changed task return of a period already stored as a new version, instead of a conflict.

    Raises
    ------
    ParameterError
        Folder missing or inside ``raw/statistics``; county, year or (with task returns) period not given
        and not found in the returns (or ambiguous); an invalid county, year or period.
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
    reporting = checked_reporting_units(folder, cat, plan)
    known = cat.departments or reporting_units(reporting)
    units = form_units(reporting, plan, known)
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
    tasks, task_probs, task_sheets = read_task_returns(dict(zip(files_df["file"], files_df["department"])), plan, known)
    probs = [p for p in probs if not (p.rule == "layout" and p.file in task_sheets)] + task_probs
    the_period, history, task_conflicts = (None, pd.DataFrame(columns=HISTORY_COLUMNS),
                                           pd.DataFrame(columns=TASK_CONFLICT_COLUMNS))
    if len(tasks) or task_sheets:
        found = {str(m["period"]) for m in metas.values() if m and m.get("period")}
        the_period = check_period(parse_period(_resolve_one(period, found, "报送期", "reporting period", "--period",
                                                            "reporting periods")), plan_years(plan))
        history = load_history(history_path(folder.raw, county))
        history, task_conflicts = merge_history(history, tasks, county, the_period.label, _dt.date.today().isoformat(), amend)
    values = pd.concat(value_frames, ignore_index=True) if value_frames else pd.DataFrame(columns=VALUE_COLUMNS)
    values = values[values["department"].notna()].reset_index(drop=True)
    values["value"] = values["value"].astype(float)
    probs += jump_problems(values, held, county, year, cat=cat)
    held_back = {(p.file, p.column) for p in probs if p.rule == "suspicious_jump" and p.severity == "error"}
    invalid += [(v.department, v.indicator) for v in values.itertuples(index=False) if (v.file, v.indicator) in held_back]

    collected = _collected(reporting, files_df, values, set(invalid))
    target = folder.statistics / safe_filename(COLLECTED_PREFIX, county, year, suffix=".csv")
    return Collection(county=county, year=year, reporting=reporting, files=files_df, values=values,
                      collected=collected, held=held, conflicts=find_conflicts(values, held, county, year, cat),
                      problems=probs, target=target, folder=folder, period=the_period, task_rows=history,
                      task_conflicts=task_conflicts)


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
