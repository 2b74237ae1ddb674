"""``lingshou template``: pre-filled Excel return forms, one per unit of record.

Each workbook has three sheets:

``填表说明`` (first, visible)
    instructions in Chinese with English;
``填报`` (visible)
    one row per figure the unit reports (see :mod:`lingshou.collect.units`): 序号, 指标代码, 指标名称, 计量单位,
    定义/口径, the two prior years' values from the data folder for reference, their status, the input
    column ``<year>年`` and the input columns 数据来源 and 备注.  Only the three input columns are unlocked; the
    value cells carry Excel data validation (decimal ≥ 0; shares 0–100);
``_meta`` (very hidden)
    county, year, unit and the codes in order, so that a return identifies itself.

The sheet is a wide table the general loader (:mod:`lingshou.data.read`) reads: ``指标代码`` names the figure, the
single year column ``<year>年`` holds the value, ``计量单位`` its unit; the reference columns are headed
``<year>年参考值``, which the loader does not take for data.  So a return is validated by exactly the rules
of ``lingshou validate``, and a reshaped return goes through the same loader.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

import numpy as np
import pandas as pd

from lingshou.atomic import write_atomic
from lingshou.collect.task_form import TASK_SHEET, add_task_sheet, task_instructions
from lingshou.collect.units import (
    checked_reporting_units,
    load_held,
    reporting_units,
    resolve_unit,
    safe_filename,
)
from lingshou.config import MIN_YEAR, STATUS_LABELS, DataFolder, data_folder, report_dir
from lingshou.data.catalogue import Catalogue, load_catalogue
from lingshou.data.safe import neutralise_text
from lingshou.errors import ParameterError
from lingshou.i18n import bi
from lingshou.plan.progress import Period, check_period, current_quarter, parse_period
from lingshou.plan.tasks import department_items, task_roles
from lingshou.printing import fit_row_heights, set_print

INSTRUCTIONS_SHEET = "填表说明"
DATA_SHEET = "填报"
META_SHEET = "_meta"
TEMPLATE_FORMAT = "lingshou-collect-template"
TEMPLATE_VERSION = "1"
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
#: Header of the data sheet (``{y}`` is the collection year); column letters A…K in this order.
HEADERS = ["序号", "指标代码", "指标名称", "计量单位", "定义/口径", "{y2}年参考值", "{y1}年参考值", "参考值状态",
           "{y}年", "数据来源", "备注"]
HEADERS_EN = ["No.", "indicator code", "indicator name", "unit", "definition", "{y2} reference value",
              "{y1} reference value", "status of the reference values", "{y} value (fill in)",
              "source of the figure (fill in)", "remark (fill in; explain a change beyond a factor of 3)"]
INPUT_COLUMNS = ("I", "J", "K")
VALUE_COLUMN = "I"
#: Column widths (characters; a CJK character takes two): fitted to one landscape A4 page wide the form
#: prints at about 70 %; long codes, names, definitions and remarks wrap (see :mod:`lingshou.printing`).
WIDTHS = {"A": 5, "B": 20, "C": 24, "D": 9, "E": 44, "F": 12, "G": 12, "H": 10, "I": 14, "J": 20, "K": 26}
#: Columns whose cells wrap.
WRAPPED = "BCDEHJK"
#: Fill of the cells a department fills in (light yellow).
INPUT_FILL = "FFF2CC"
#: Collector named in the instructions when the plan names no lead unit.
DEFAULT_COLLECTOR = "县发展和改革局"


def check_template_year(year: object) -> int:
    """The collection year as int.

    Raises
    ------
    ParameterError
        If it is not an integer within MIN_YEAR … the current year (a year's figures exist only once it began).
    """
    this_year = _dt.date.today().year
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)) or not MIN_YEAR <= int(year) <= this_year:
        raise ParameterError(bi(f"年份 {year!r} 无效（应为 {MIN_YEAR}–{this_year} 的整数）",
                                f"year {year!r} is invalid (expected an integer within {MIN_YEAR}–{this_year})"))
    return int(year)


def definition(code: str, cat: Catalogue) -> str:
    """Definition of a collected figure: its names, and every ratio it is the numerator or denominator of.

    For ``general_budget_expenditure``: ``一般公共预算支出(公共财政支出)（General public budget expenditure）；
    分母 denominator of fiscal_st_share = 100*fiscal_st_expenditure/general_budget_expenditure（地方财政科技支出占公共财政支出的比重）``.
    """
    parts = [f"{cat.name(code)}（{cat.name(code, 'en')}）"]
    for derived, f in cat.derived().items():
        for role_zh, role_en, operand in (("分子", "numerator", f.numerator), ("分母", "denominator", f.denominator)):
            if operand == code:
                factor = f"{f.factor:g}*" if f.factor != 1 else ""
                parts.append(f"{role_zh} {role_en} of {derived} = {factor}{f.numerator}/{f.denominator}（{cat.name(derived)}）")
    return "；".join(parts)


def template_table(reporting: pd.DataFrame, unit: str, held: pd.DataFrame, county: str, year: int,
                   cat: Catalogue) -> pd.DataFrame:
    """Rows of one unit's return form.

    Parameters
    ----------
    reporting : DataFrame
        Checked reporting-unit table (:func:`lingshou.collect.units.check_reporting_units`).
    unit : str
        A unit of record of ``reporting``.
    held : DataFrame
        Tidy statistics of the data folder (columns ``county, year, indicator, value, status``).
    county : str
        Canonical county name.
    year : int
        The collection year; the reference values are those of ``year - 2`` and ``year - 1``.
    cat : Catalogue

    Returns
    -------
    DataFrame
        One row per figure, in catalogue order: ``code, name_zh, unit, definition, ref_2, ref_1`` (float,
        canonical unit; NaN = not held), ``ref_status`` (labels of the reference values' statuses),
        ``dimension``, ``lo``, ``hi`` (the range the value cell accepts; ``hi`` NaN = unbounded).
    """
    rows = reporting[reporting["unit"] == unit]
    sub = held[(held["county"] == county) & held["year"].isin([year - 2, year - 1])]
    values = sub.pivot_table(index="indicator", columns="year", values="value", aggfunc="first", dropna=False)
    statuses = sub.dropna(subset=["value"]).groupby("indicator")["status"].agg(lambda s: sorted(set(s)))
    out = pd.DataFrame({
        "code": rows["indicator"].to_numpy(),
        "name_zh": rows["name_zh"].to_numpy(),
        "unit": rows["canonical_unit"].to_numpy(),
        "definition": [definition(c, cat) for c in rows["indicator"]],
        "dimension": rows["dimension"].to_numpy(),
    })
    for lag in (2, 1):
        col = values[year - lag] if year - lag in values.columns else pd.Series(dtype=float)
        out[f"ref_{lag}"] = out["code"].map(col).astype(float)
    labels = STATUS_LABELS["zh"]
    out["ref_status"] = out["code"].map(lambda c: "；".join(f"{labels[s]} {s}" for s in statuses.get(c, []))).fillna("")
    out["lo"] = 0.0
    out["hi"] = np.where(out["dimension"] == "share", 100.0, np.nan)
    return out[["code", "name_zh", "unit", "definition", "ref_2", "ref_1", "ref_status", "dimension", "lo", "hi"]]


def instructions(county: str, year: int, unit: str, n: int, collector: str, period: Period | None = None) -> list[str]:
    """Lines of the instructions sheet (Chinese, each followed by its English); with ``period``, the task sheet's too."""
    if n == 0:
        return [f"{county}县域科技创新跃升计划重点任务进展填报表 — {unit}", f"Task progress form of {county} — {unit}", "",
                f"1. 本表由 lingshou 生成；{unit}无需报送指标数值，请填写“{TASK_SHEET}”表并报送{collector}。",
                f"   This workbook was written by lingshou; {unit} reports no figures: fill in sheet {TASK_SHEET} and return it to {collector}.",
                "2. 只在黄色单元格中填写；请勿增删、移动行，请勿撤销工作表保护。填好后保存为 .xlsx。",
                "   Fill only the yellow cells; do not add, delete or move rows, do not unprotect the sheet. Save as .xlsx.",
                *(task_instructions(period)[:4] if period is not None else []), "",
                f"县 County: {county}", f"报送单位 Reporting unit: {unit}",
                *([f"报送期 Reporting period: {period.label}"] if period is not None else [])]
    return [
        f"{county}{year}年县域科技创新跃升计划指标填报表 — {unit}",
        f"Return form of {county} for {year} — {unit}",
        "",
        f"1. 本表由 lingshou 生成，请{unit}填写本单位负责报送的 {n} 项指标的 {year} 年数值，报送{collector}。",
        f"   This workbook lists the {n} figures {unit} reports for {year}; fill it in and return it to {collector}.",
        f"2. 只在“{DATA_SHEET}”表的黄色单元格中填写：{year}年数值、数据来源、备注。其他单元格已锁定；请勿增删、移动行，请勿修改指标代码和计量单位，请勿撤销工作表保护。",
        f"   Fill only the yellow cells of sheet {DATA_SHEET}: the {year} value, its source and a remark. Other cells are locked; "
        "do not add, delete or move rows, do not change codes or units, do not unprotect the sheet.",
        "3. 数值按“计量单位”列的单位填写（金额为万元，比重为百分数：0.52 表示 0.52%）；只填数字，不要填写单位、文字或公式。",
        "   Enter numbers in the unit of column 计量单位 (money in 万元, shares as percent: 0.52 means 0.52 %); numbers only — "
        "no unit, no text, no formula.",
        "4. 数值不得为负数；比重应在 0–100 之间。",
        "   Values cannot be negative; shares lie within 0–100.",
        "5. 暂无数据请留空（不要填 0），并在“备注”中说明原因和预计报送时间。",
        "   Leave the value blank when the figure is not available (never 0) and say why in 备注 (remark).",
        "6. 与上年相比变化超过 3 倍（增至 3 倍以上或降至三分之一以下）的数值，须在“备注”中说明原因，否则视为存疑、暂不入库；"
        "单位错误（如按元或亿元填写）不能用备注说明，请换算后填写。",
        "   A value more than 3 times or less than a third of the prior year's must be explained in 备注; otherwise it is held "
        "back as suspicious. A unit mistake (a figure in 元 or 亿元) cannot be explained by a remark: convert the figure.",
        "7. 参考值为数据文件夹中已有的前两年数值；标注“示例数据”的不是官方统计，仅供对照格式和量级。",
        "   Reference values are the two prior years held in the data folder; values marked 示例数据 (illustrative) are not "
        "official statistics, only a guide to format and magnitude.",
        "8. 填好后保存为 .xlsx（可保留文件名），不要另存为 .xls 或 .csv。",
        "   Save as .xlsx (the file name may stay); do not save as .xls or .csv.",
        "",
        f"县 County: {county}",
        f"数据年度 Data year: {year}",
        f"报送单位 Reporting unit: {unit}",
        f"指标数 Number of figures: {n}",
        *([f"报送期 Reporting period: {period.label}", ""] + task_instructions(period) if period is not None else []),
    ]


def _put(ws, ref: str, value: object):
    """Write a cell; text is neutralised so that no string becomes a formula."""
    cell = ws[ref]
    if isinstance(value, float) and np.isnan(value):
        value = None
    if isinstance(value, str):
        value = neutralise_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def build_workbook(table: pd.DataFrame, county: str, year: int, unit: str, collector: str = DEFAULT_COLLECTOR,
                   items: pd.DataFrame | None = None, period: Period | None = None):
    """The openpyxl workbook of one return form (see the module docstring).

    Parameters
    ----------
    table : DataFrame
        :func:`template_table` of the unit.
    county, year, unit : str, int, str
    collector : str
        The unit the form is returned to (the plan's lead unit).
    items : DataFrame, optional
        :func:`lingshou.plan.tasks.department_items` of the unit: the form then has the task sheet
        (:mod:`lingshou.collect.task_form`) for ``period``.  A unit without figures gets no figure sheet.

    Returns
    -------
    openpyxl.Workbook
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.workbook.protection import WorkbookProtection

    wb = Workbook()
    ins = wb.active
    ins.title = INSTRUCTIONS_SHEET
    with_tasks = items is not None and len(items) > 0 and period is not None
    for i, line in enumerate(instructions(county, year, unit, len(table), collector, period if with_tasks else None), start=1):
        _put(ins, f"A{i}", line)
        ins[f"A{i}"].alignment = Alignment(wrap_text=True, vertical="top")
    ins["A1"].font = Font(bold=True, size=14)
    ins.column_dimensions["A"].width = 110
    fit_row_heights(ins)
    set_print(ins, gridlines=False)
    ins.protection.sheet = True

    entries = [("format", TEMPLATE_FORMAT), ("version", TEMPLATE_VERSION), ("county", county), ("year", year),
               ("unit", unit)]
    if len(table):
        entries += _figure_sheet(wb, table, county, year, unit)
    if with_tasks:
        last = add_task_sheet(wb, items, county, unit, period, _put)
        entries += [("task_sheet", TASK_SHEET), ("period", period.label), ("task_last_row", last),
                    ("task_items", ",".join(f"{int(t)}.{int(i)}" for t, i in zip(items["task"], items["item"])))]
    meta = wb.create_sheet(META_SHEET)
    for i, (key, value) in enumerate(entries, start=1):
        _put(meta, f"A{i}", key)
        _put(meta, f"B{i}", value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    return wb


def _figure_sheet(wb, table: pd.DataFrame, county: str, year: int, unit: str) -> list[tuple]:
    """Add the figure sheet (``填报``) to a form workbook; returns its ``_meta`` entries."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(DATA_SHEET)
    labels = {"y": year, "y1": year - 1, "y2": year - 2}
    _put(ws, "A1", f"{county}{year}年县域科技创新跃升计划指标填报表（{unit}）")
    ws["A1"].font = Font(bold=True, size=13)
    _put(ws, "A2", f"请在黄色单元格中填写{year}年数值（按计量单位列的单位）、数据来源和备注 / "
                   f"fill in the yellow cells: the {year} value (in the unit shown), its source and a remark")
    for k, (head, head_en) in enumerate(zip(HEADERS, HEADERS_EN)):
        letter = chr(ord("A") + k)
        cell = _put(ws, f"{letter}{HEADER_ROW}", head.format(**labels))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.comment = Comment(head_en.format(**labels), "lingshou")
        ws.column_dimensions[letter].width = WIDTHS[letter]
    fill = PatternFill("solid", fgColor=INPUT_FILL)
    for i, r in enumerate(table.itertuples(index=False)):
        row = FIRST_ROW + i
        for letter, value in zip("ABCDEFGH", (i + 1, r.code, r.name_zh, r.unit, r.definition, r.ref_2, r.ref_1, r.ref_status)):
            _put(ws, f"{letter}{row}", value)
        for letter in "ABCDEFGHIJK":
            ws[f"{letter}{row}"].alignment = Alignment(wrap_text=letter in WRAPPED, vertical="top")
        for letter in INPUT_COLUMNS:
            ws[f"{letter}{row}"].protection = Protection(locked=False)
            ws[f"{letter}{row}"].fill = fill
    last = FIRST_ROW + len(table) - 1
    for is_share, (title, text) in ((False, ("数值无效 invalid value", "请填写不小于 0 的数字 / enter a number ≥ 0")),
                                    (True, ("比重无效 invalid share", "请填写 0–100 之间的数字（百分数）/ enter a percentage within 0–100"))):
        rows = [FIRST_ROW + i for i, d in enumerate(table["dimension"]) if (d == "share") == is_share]
        if not rows:
            continue
        dv = DataValidation(type="decimal", operator="between" if is_share else "greaterThanOrEqual",
                            formula1="0", formula2="100" if is_share else None, allow_blank=True,
                            showErrorMessage=True, errorStyle="stop", errorTitle=title, error=text,
                            showInputMessage=True, promptTitle="填写 fill in", prompt=text)
        for row in rows:
            dv.add(f"{VALUE_COLUMN}{row}")
        ws.add_data_validation(dv)
    ws.freeze_panes = f"C{FIRST_ROW}"
    fit_row_heights(ws, first_row=HEADER_ROW)
    set_print(ws, title_rows=HEADER_ROW, footer=f"{county} {unit}")
    ws.protection.sheet = True
    # Resizing columns and rows is harmless; inserting, deleting and sorting rows would break the form.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False
    return [("sheet", DATA_SHEET), ("header_row", HEADER_ROW), ("first_row", FIRST_ROW), ("last_row", last),
            ("codes", ",".join(table["code"])), ("units", ",".join(table["unit"]))]


def collector_of(plan) -> str:
    """The unit returns go to: the plan's most frequent lead unit (灵寿县: 县发展和改革局)."""
    leads = plan.targets["lead_unit"].dropna() if plan is not None else pd.Series(dtype=str)
    leads = leads[leads.map(lambda s: isinstance(s, str) and s.strip() != "")]
    return str(leads.value_counts().index[0]) if not leads.empty else DEFAULT_COLLECTOR


def default_template_dir(county: str, year: int) -> Path:
    """``reports/collection/<county>_<year>/templates`` (outside the data folder)."""
    return report_dir() / "collection" / safe_filename(county, year, suffix="") / "templates"


def form_units(reporting: pd.DataFrame, plan, known) -> list[str]:
    """Units that get a form: the units of record of the figures, then every department of ``known`` that
    leads or shares a task of the plan (a name the department table lacks, such as 科技创新工作领导小组成员单位,
    is a group of units, not one that returns a form)."""
    units = reporting_units(reporting)
    if plan is not None and len(plan.tasks):
        units += [d for d in task_roles(plan.tasks, known)["department"] if d in known and d not in units]
    return list(dict.fromkeys(units))


def write_templates(county: str, year: int, unit: str | None = None, out: str | Path | None = None,
                    data_dir=None, force: bool = False, period: str | None = None) -> list[Path]:
    """Write the return forms: one XLSX per unit (or only ``unit``) — its figures and, when the plan has tasks,
    the progress of the tasks it leads or shares (:func:`form_units`).

    Files are named ``<county>_<year>_<unit>.xlsx`` and written atomically.

    Parameters
    ----------
    county : str
        Any name variant of the county.
    year : int
        The collection year.
    unit : str, optional
        One unit of record (also without its leading 县: ``财政局``).
    out : path-like, optional
        Output folder (default :func:`default_template_dir`); must lie outside ``raw/statistics`` of the
        data folder, where a blank form would be read as data.
    data_dir : path-like, optional
        Data folder (reference values, tables).
    force : bool
        Overwrite existing forms (default: refuse).
    period : str, optional
        The reporting period of the task progress (``2024Q3``, ``2024H1``, ``2024-09``, ``2024``; default:
        the current quarter, or the plan's last once it has ended); it must lie within the plan's years and have begun.

    Returns
    -------
    list of Path

    Raises
    ------
    ParameterError
        Invalid county, year, unit or period; an output folder inside ``raw/statistics``; existing files without
        ``force``.
    """
    from lingshou.data.params import RULES
    from lingshou.plan.targets import find_plan

    RULES["county"]("county", county)
    year = check_template_year(year)
    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    cat = load_catalogue(folder)
    county = cat.resolve_county(county)
    plan = find_plan(county, data_dir=folder)
    reporting = checked_reporting_units(folder, cat, plan)
    known = cat.departments or reporting_units(reporting)
    everyone = form_units(reporting, plan, known)
    units = [resolve_unit(unit, pd.DataFrame({"unit": everyone}))] if unit is not None else everyone
    the_period = check_period(parse_period(period) if period is not None else current_quarter(plan_years(plan)),
                              plan_years(plan))
    target = Path(out).expanduser().resolve() if out is not None else default_template_dir(county, year)
    if target == folder.statistics.resolve() or folder.statistics.resolve() in target.parents:
        raise ParameterError(bi(f"输出文件夹 {target} 位于数据文件夹的 raw/statistics 中，空白表会被当作数据读取；请换一个文件夹",
                                f"output folder {target} lies inside raw/statistics of the data folder, where blank forms "
                                "would be read as data; choose another folder"))
    # safe_filename rejects path characters, so every form lands directly in `target`.
    paths = [target / safe_filename(county, year, u, suffix=".xlsx") for u in units]
    existing = [str(p) for p in paths if p.exists()]
    if existing and not force:
        raise ParameterError(bi(f"文件已存在，未覆盖（加 --force 覆盖）：{existing}",
                                f"files exist and were not overwritten (add --force to overwrite): {existing}"))
    held, _ = load_held(folder)
    collector = collector_of(plan)
    for u, p in zip(units, paths):
        table = template_table(reporting, u, held, county, year, cat)
        items = department_items(plan.tasks, plan.items, u, known) if len(plan.tasks) else None
        write_atomic(p, build_workbook(table, county, year, u, collector, items, the_period).save)
    return paths


def plan_years(plan) -> tuple[int, int]:
    """The plan's first and last year (``period: [2022, 2025]`` of the plan file; else its targets' years)."""
    period = plan.meta.get("period") if plan is not None else None
    if isinstance(period, (list, tuple)) and len(period) == 2:
        return int(period[0]), int(period[1])
    years = pd.to_numeric(plan.targets.get("target_year"), errors="coerce").dropna() if plan is not None else []
    return (int(min(years)), int(max(years))) if len(years) else (MIN_YEAR, _dt.date.today().year)

