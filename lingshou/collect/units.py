"""Who reports what: the reporting-unit table of the data collection, and the safety helpers it shares.

Each figure a department returns has exactly one *unit of record* (报送单位), kept in the table
``raw/collection/reporting_units.csv`` (a copy in the user's data folder wins over the bundled one).  The
plan names several responsible units per task — they answer for reaching the target, not for compiling
the county total — so the table records the choice, with its ``basis``:

``plan_responsible``
    the unit is a responsible unit (责任单位) of ``via`` in the plan or the catalogue;
``plan_lead``
    the unit is the lead unit (牵头单位) of ``via``;
``manual``
    a choice the plan does not make (e.g. 县统计局 for the industrial and R&D statistics); ``note`` says why.

``via`` is the plan indicator the figure serves: the figure itself, or the ratio it is an operand of
(县财政局 reports ``general_budget_expenditure`` because it is the denominator of ``fiscal_st_share``, whose
responsible unit it is).  Ratios are never collected: they are computed from their operands.

:func:`plan_units` derives every (unit, figure) pair the plan and the catalogue support; :func:`check_reporting_units`
checks the table against it and against the catalogue, so the table cannot drift from the plan silently.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lingshou.config import DataFolder, data_folder
from lingshou.data.catalogue import Catalogue, normalise_text
from lingshou.data.problems import Problem
from lingshou.errors import DataError, ParameterError
from lingshou.i18n import bi

REPORTING_UNITS_FILE = "collection/reporting_units.csv"
REPORTING_COLUMNS = ["indicator", "unit", "basis", "via", "note"]
BASES = ("plan_responsible", "plan_lead", "manual")
#: Catalogue kinds whose figures departments report (qualitative scores and context series are not collected).
COLLECTED_KINDS = ("evaluated", "tracked", "base")
# A name usable as a file-name component: no path separators, parent references or control characters.
_SAFE_NAME = re.compile(r"^[^/\\\x00-\x1f:*?\"<>|]+$")


# --------------------------------------------------------------------------------------------- safety
def is_safe_name(name: object) -> bool:
    """True when ``name`` can be one component of a file name (no path characters, not only dots)."""
    return isinstance(name, str) and bool(name.strip()) and bool(_SAFE_NAME.match(name)) and name.strip(". ") != ""


def safe_filename(*parts: object, suffix: str) -> str:
    """``part1_part2…<suffix>`` from parts already checked with :func:`is_safe_name`.

    Raises
    ------
    ParameterError
        If a part holds path characters (``/``, ``\\``, ``..`` alone, control characters).
    """
    for part in parts:
        if not is_safe_name(str(part)):
            raise ParameterError(bi(f"文件名部分 {part!r} 含路径符号或控制字符", f"file name part {part!r} holds path or control characters"))
    return "_".join(str(p).strip() for p in parts) + suffix


# --------------------------------------------------------------------------------------------- table
def load_reporting_units(data_dir=None) -> pd.DataFrame:
    """Read the reporting-unit table of a data folder (the bundled one when the folder has none).

    Returns
    -------
    DataFrame
        Columns :data:`REPORTING_COLUMNS` as text.  Check it with :func:`check_reporting_units` before use
        (:func:`checked_reporting_units` does both).

    Raises
    ------
    DataError
        If the file is missing or lacks a column.
    """
    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    path = folder.reference(REPORTING_UNITS_FILE)
    if not path.is_file():
        raise DataError(bi(f"缺少报送单位表 {path}", f"the reporting-unit table {path} is missing"))
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in REPORTING_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(bi(f"报送单位表 {path} 缺少列 {missing}", f"the reporting-unit table {path} lacks columns {missing}"))
    return table[REPORTING_COLUMNS].map(lambda s: s.strip())


def checked_reporting_units(data_dir, cat: Catalogue, plan=None) -> pd.DataFrame:
    """:func:`load_reporting_units` then :func:`check_reporting_units`, whose messages name the file read."""
    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    return check_reporting_units(load_reporting_units(folder), cat, plan,
                                 source=folder.reference(REPORTING_UNITS_FILE))


def load_held(data_dir=None) -> tuple[pd.DataFrame, list[Problem]]:
    """The statistics a data folder already holds: ``raw/statistics`` validated in memory.

    Returns
    -------
    (DataFrame, list of Problem)
        The tidy table of :func:`lingshou.data.validate.validate_records` (``file`` absolute; only rows without
        errors) and the problems found; an empty table when the folder has no ``statistics/``.
    """
    from lingshou.data.catalogue import load_catalogue
    from lingshou.data.validate import validate_records

    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    cat = load_catalogue(folder)
    return validate_records([folder.statistics] if folder.statistics.is_dir() else [], cat)


def _split_units(text: object) -> list[str]:
    if not isinstance(text, str):
        return []
    return [u.strip() for u in re.split(r"[、,，;；]", text) if u.strip()]


def _served(code: str, cat: Catalogue) -> list[str]:
    """The figures a plan indicator needs collected: its operands when derived, else itself."""
    f = cat.formula(code)
    return [f.numerator, f.denominator] if f is not None else [code]


def plan_units(cat: Catalogue, plan=None) -> pd.DataFrame:
    """Every (unit, figure) pair the plan and the catalogue support.

    A unit named as lead or responsible unit of an indicator in the plan's targets or in the catalogue's
    ``lead_unit`` / ``responsible_units`` is a candidate reporter of that indicator — of its operands when
    the indicator is a ratio.

    Parameters
    ----------
    cat : Catalogue
    plan : lingshou.plan.targets.Plan, optional
        Its targets add their lead and responsible units.

    Returns
    -------
    DataFrame
        Columns ``indicator, unit, role ('lead' | 'responsible'), via, origin ('plan' | 'catalogue')``,
        one row per distinct combination, sorted.
    """
    rows = []
    for via, rec in cat.indicators.iterrows():
        if cat.indicators.at[via, "kind"] not in COLLECTED_KINDS:
            continue
        for role, units in (("lead", _split_units(rec["lead_unit"])), ("responsible", _split_units(rec["responsible_units"]))):
            for unit in units:
                rows += [(code, unit, role, via, "catalogue") for code in _served(via, cat)]
    if plan is not None:
        for t in plan.targets.itertuples(index=False):
            if t.indicator not in cat.codes:
                continue  # grade and rank goals are not figures a department reports
            units = [("lead", u) for u in _split_units(t.lead_unit)] + [("responsible", u) for u in t.responsible_units]
            for role, unit in units:
                rows += [(code, unit, role, t.indicator, "plan") for code in _served(t.indicator, cat)]
    out = pd.DataFrame(rows, columns=["indicator", "unit", "role", "via", "origin"]).drop_duplicates()
    return out.sort_values(["indicator", "unit", "role", "via", "origin"]).reset_index(drop=True)


def collectable_codes(cat: Catalogue, plan=None) -> list[str]:
    """The figures departments must report: operands of every evaluated/tracked indicator and plan target.

    Returned in catalogue order.
    """
    needed: set[str] = set()
    for code in cat.codes:
        if cat.indicators.at[code, "kind"] in ("evaluated", "tracked"):
            needed.update(_served(code, cat))
    if plan is not None:
        for code in plan.targets["indicator"]:
            if code in cat.codes:
                needed.update(_served(code, cat))
    return [c for c in cat.codes if c in needed]


def check_reporting_units(table: pd.DataFrame, cat: Catalogue, plan=None, source=REPORTING_UNITS_FILE) -> pd.DataFrame:
    """Check the reporting-unit table; return it in catalogue order with ``name_zh``, ``canonical_unit``, ``dimension``.

    Rules: every indicator is a catalogue code and no ratio; one unit of record per indicator; a known
    ``basis``; a ``plan_*`` basis must be supported by :func:`plan_units` (the unit is that role for ``via``,
    and the indicator is ``via`` or one of its operands); a ``manual`` row needs a ``note``; unit names are
    safe file-name parts; every figure of :func:`collectable_codes` has a row.  ``source`` names the table in
    the messages (the file read).

    Raises
    ------
    DataError
        Listing every problem, naming the table to edit.
    """
    where = str(source)
    support = plan_units(cat, plan)
    supported = {(r.indicator, r.unit, r.role, r.via) for r in support.itertuples(index=False)}
    problems = []
    for i, r in enumerate(table.itertuples(index=False), start=2):
        at = f"{where} 第{i}行 row {i}"
        if r.indicator not in cat.codes:
            problems.append(bi(f"{at}：未知指标代码 {r.indicator!r}", f"{at}: unknown indicator code {r.indicator!r}"))
            continue
        if cat.formula(r.indicator) is not None:
            problems.append(bi(f"{at}：{r.indicator} 是比值，应报送其分子和分母", f"{at}: {r.indicator} is a ratio; collect its operands instead"))
        if not is_safe_name(r.unit):
            problems.append(bi(f"{at}：报送单位名称 {r.unit!r} 为空或含路径符号", f"{at}: unit name {r.unit!r} is empty or holds path characters"))
        if r.basis not in BASES:
            problems.append(bi(f"{at}：未知依据 basis={r.basis!r}（可选 {BASES}）", f"{at}: unknown basis {r.basis!r} (choose from {BASES})"))
        elif r.basis == "manual" and not r.note:
            problems.append(bi(f"{at}：manual 行须在 note 中说明理由", f"{at}: a manual row needs a note saying why"))
        elif r.basis != "manual":
            role = r.basis.removeprefix("plan_")
            if (r.indicator, r.unit, role, r.via) not in supported:
                problems.append(bi(f"{at}：方案和指标目录中 {r.unit} 不是 {r.via} 的{'牵头' if role == 'lead' else '责任'}单位"
                                   f"（或 {r.indicator} 不是 {r.via} 本身或其分子分母）；请改为 manual 并说明理由",
                                   f"{at}: neither the plan nor the catalogue names {r.unit} as {role} unit of {r.via} "
                                   f"(or {r.indicator} is not {r.via} or one of its operands); use basis manual with a note"))
    dup = sorted(set(table["indicator"][table["indicator"].duplicated()]))
    if dup:
        problems.append(bi(f"{where}：指标 {dup} 有多个报送单位（每项只能有一个）",
                           f"{where}: indicators {dup} have more than one reporting unit (one each)"))
    uncovered = [c for c in collectable_codes(cat, plan) if c not in set(table["indicator"])]
    if uncovered:
        problems.append(bi(f"{where}：指标 {uncovered} 没有报送单位，请添加", f"{where}: indicators {uncovered} have no reporting unit; add rows"))
    if problems:
        raise DataError(bi(f"报送单位表 {where} 有误", f"the reporting-unit table {where} is invalid") + "\n" + "\n".join(problems))
    order = {c: k for k, c in enumerate(cat.codes)}
    out = table.assign(_o=table["indicator"].map(order)).sort_values("_o").drop(columns="_o").reset_index(drop=True)
    out["name_zh"] = out["indicator"].map(lambda c: cat.name(c))
    out["canonical_unit"] = out["indicator"].map(cat.canonical_unit)
    out["dimension"] = out["indicator"].map(cat.dimension)
    return out


def reporting_units(table: pd.DataFrame) -> list[str]:
    """The units of record of a checked table, in order of first appearance."""
    return list(dict.fromkeys(table["unit"]))


def resolve_unit(name: object, table: pd.DataFrame) -> str:
    """The unit of record named by ``name`` (exact, after normalisation, or without the leading 县).

    Raises
    ------
    ParameterError
        If ``name`` holds path characters, or names no unit of the table (the message lists them).
    """
    if not is_safe_name(name):
        raise ParameterError(bi(f"报送单位 {name!r} 不是有效名称（不得含路径符号）",
                                f"unit {name!r} is not a valid name (no path characters allowed)"))
    units = reporting_units(table)
    key = normalise_text(name)
    for unit in units:
        if key in (normalise_text(unit), normalise_text(unit).removeprefix("县")):
            return unit
    raise ParameterError(bi(f"报送单位表和方案任务中都没有 {name!r}；可选：{'、'.join(units)}（见 {REPORTING_UNITS_FILE}）",
                            f"{name!r} is not a unit of the reporting-unit table nor of the plan's tasks; choose from: {', '.join(units)}"))


def unit_from_filename(filename: str, units: list[str]) -> str | None:
    """The unit a returned file is named after (``县财政局_2024.xlsx``, ``财政局.xlsx``), or ``None``.

    The longest unit name found in the file name wins (县人力资源和社会保障局 over a shorter name it contains);
    ``None`` also when two different units match equally long.
    """
    stem = normalise_text(Path(filename).stem)
    hits = []
    for unit in units:
        full = normalise_text(unit)
        short = full.removeprefix("县")
        for key in (full, short):
            if len(key) >= 2 and key in stem:
                hits.append((len(key), unit))
                break
    if not hits:
        return None
    best = max(n for n, _ in hits)
    top = {u for n, u in hits if n == best}
    return top.pop() if len(top) == 1 else None


def problem_department(p: Problem, files: dict[str, str]) -> str | None:
    """The department of a problem, from its file (``path`` or ``path#sheet``) and ``files`` (path → unit)."""
    for path, unit in files.items():
        if p.file == path or p.file.startswith(path + "#"):
            return unit
    return None
