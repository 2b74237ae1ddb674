"""The plan as data: targets with task number, lead unit and responsible units (``data/raw/plans/*.yaml``).

A county without a plan file of its own is measured against the default plan (灵寿县's; the indicator
set is common to the 石家庄 跃升 plans) and :class:`Plan` says so (``is_default``), so that every output
can state it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lingshou.config import DataFolder, data_folder
from lingshou.data.catalogue import Catalogue, load_catalogue
from lingshou.errors import DataError
from lingshou.i18n import bi
from lingshou.plan.tasks import ITEM_COLUMNS, TASK_COLUMNS, check_tasks, unit_name_problems
from lingshou.yamlfile import read_yaml

PLANS_DIR = "plans"
DEFAULT_PLAN = "灵寿县_2022-2025.yaml"
TARGET_TYPES = ("level", "growth", "increase", "grade", "rank")
#: Pseudo-indicators of the grade goals (not in the catalogue: they come from the benchmarking analysis).
GRADE_INDICATORS = ("evaluation_grade", "evaluation_rank")
_REQUIRED = {
    "level": ("indicator", "target", "target_year"),
    "growth": ("indicator", "target", "start_year", "end_year"),
    "increase": ("indicator", "start_year", "end_year"),
    "grade": ("target", "target_year"),
    "rank": ("target", "target_year"),
}
_TARGET_KEYS = {"id", "indicator", "type", "target", "unit", "target_year", "start_year", "end_year", "task",
                "task_title", "text", "lead_unit", "responsible_units", "interpretation", "comparison"}
TARGET_COLUMNS = ["id", "indicator", "type", "target", "unit", "target_year", "start_year", "end_year", "task",
                  "task_title", "text", "lead_unit", "responsible_units"]


@dataclass(frozen=True)
class Plan:
    """A county plan.

    Attributes
    ----------
    meta : dict
        Title, document number, dates, source, period, base year.
    targets : DataFrame
        One row per target (:data:`TARGET_COLUMNS`); ``responsible_units`` is a tuple of unit names.
    county : str
        The county measured (may differ from ``meta['county']`` when the default plan is used).
    is_default : bool
        True when the county has no plan file of its own.
    path : Path
    """

    meta: dict
    targets: pd.DataFrame
    county: str
    is_default: bool
    path: Path
    #: The plan's numbered tasks and their measures (:mod:`lingshou.plan.tasks`); empty for a plan file without them.
    tasks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TASK_COLUMNS))
    items: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ITEM_COLUMNS))

    @property
    def base_year(self) -> int:
        return int(self.meta.get("base_year", self.meta["period"][0] - 1))

    @property
    def period(self) -> tuple[int, int]:
        return int(self.meta["period"][0]), int(self.meta["period"][1])

    def note(self, lang: str = "zh") -> str:
        """One sentence saying which plan measures the county (for every output)."""
        title = self.meta.get("title", self.path.stem)
        english = self.meta.get("title_en")      # optional: the plan's title in English (a translation)
        title_en = f"the {english} ({title})" if english else title
        if self.is_default:
            return (f"{self.county}没有专门的方案文件，按{title}的指标与目标衡量（石家庄跃升计划通用指标体系）。"
                    if lang == "zh" else
                    f"{self.county} has no plan file of its own; it is measured against the targets of {title_en} "
                    "(the indicator set common to the Shijiazhuang plans).")
        return f"按{title}衡量。" if lang == "zh" else f"Measured against {title_en}."


def _check_targets(raw: list, cat: Catalogue, path: Path) -> pd.DataFrame:
    problems = []
    rows = []
    for i, t in enumerate(raw, start=1):
        where = f"{path} 第{i}个目标 target #{i} ({t.get('id', '?') if isinstance(t, dict) else '?'})"
        if not isinstance(t, dict):
            problems.append(bi(f"{where}：不是键值表", f"{where}: not a mapping"))
            continue
        unknown = sorted(set(t) - _TARGET_KEYS)
        if unknown:
            problems.append(bi(f"{where}：未知字段 {unknown}", f"{where}: unknown keys {unknown}"))
        ttype = t.get("type")
        if ttype not in TARGET_TYPES:
            problems.append(bi(f"{where}：未知目标类型 {ttype!r}（可选 {TARGET_TYPES}）",
                               f"{where}: unknown target type {ttype!r} (choose from {TARGET_TYPES})"))
            continue
        missing = [k for k in _REQUIRED[ttype] if t.get(k) is None]
        if missing:
            problems.append(bi(f"{where}：缺少字段 {missing}", f"{where}: missing keys {missing}"))
        ind = t.get("indicator", "evaluation_grade" if ttype == "grade" else "evaluation_rank" if ttype == "rank" else None)
        if ind not in cat.codes and ind not in GRADE_INDICATORS:
            problems.append(bi(f"{where}：指标代码 {ind!r} 不在指标目录中", f"{where}: indicator code {ind!r} is not in the catalogue"))
        if ttype == "grade" and t.get("target") not in ("A", "B", "C"):
            problems.append(bi(f"{where}：等级目标应为 A、B 或 C", f"{where}: a grade target must be A, B or C"))
        row = {k: t.get(k) for k in TARGET_COLUMNS}
        row["indicator"] = ind
        row["responsible_units"] = tuple(t.get("responsible_units") or ())
        problems += unit_name_problems(where, [u for u in (t.get("lead_unit"), *row["responsible_units"]) if u])
        row["task"] = str(t.get("task", ""))
        rows.append(row)
    if problems:
        raise DataError(bi(f"方案文件 {path} 有误", f"plan file {path} is invalid") + "\n" + "\n".join(problems))
    df = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    for col in ("target_year", "start_year", "end_year"):
        df[col] = df[col].astype("Int64")
    dup = df["id"][df["id"].duplicated()].tolist()
    if dup:
        raise DataError(bi(f"方案文件 {path} 中目标 id 重复：{dup}", f"duplicate target ids in plan file {path}: {dup}"))
    return df


def load_plan(path: str | Path, county: str | None = None, data_dir=None) -> Plan:
    """Read and check a plan file.

    Parameters
    ----------
    path : path-like
        The plan YAML.
    county : str, optional
        The county to measure (default: the plan's own county).  When it differs from the plan's county
        the plan is the *default* plan for it.

    Raises
    ------
    ParameterError
        If the file does not exist.
    DataError
        If the file is not a valid plan (unknown keys or types, missing fields, unknown indicator codes).
    """
    path = Path(path)
    raw = read_yaml(path, "方案文件", "plan file", invalid=DataError)
    if not isinstance(raw, dict) or not isinstance(raw.get("targets"), list):
        raise DataError(bi(f"方案文件 {path} 须含 targets 列表", f"plan file {path} must hold a `targets` list"))
    for key in ("county", "title", "period"):
        if key not in raw:
            raise DataError(bi(f"方案文件 {path} 缺少 {key}", f"plan file {path} lacks `{key}`"))
    cat = load_catalogue(data_dir)
    targets = _check_targets(raw["targets"], cat, path)
    tasks, items = check_tasks(raw.get("tasks"), path, raw.get("task_titles_en"))
    if len(tasks):
        # a numbered target task must be one of the tasks (goals cite sections such as 三、工作目标)
        unknown = sorted({x for x in targets["task"] if str(x).isdigit()} - {str(n) for n in tasks["task"]})
        if unknown:
            raise DataError(bi(f"方案文件 {path} 的目标指向不存在的任务 {unknown}",
                               f"targets of plan file {path} name tasks that do not exist: {unknown}"))
    meta = {k: v for k, v in raw.items() if k not in ("targets", "tasks")}
    # The plan's own county need not be in this data folder's county table (the default plan measures
    # counties of any folder); as written in the plan it still tells whether the plan is the county's own.
    own = cat.county_name(raw["county"]) or str(raw["county"])
    measured = cat.resolve_county(county if county else raw["county"])
    return Plan(meta=meta, targets=targets, county=measured, is_default=measured != own, path=path, tasks=tasks,
                items=items)


def find_plan(county: str, data_dir=None, plan: str | Path | None = None) -> Plan:
    """The plan that measures ``county``: ``plan`` if given, else the county's own plan file
    (``plans/<county>_*.yaml``), else the default plan (flagged ``is_default``)."""
    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    if plan not in (None, "", "auto"):
        return load_plan(plan, county=county, data_dir=folder)
    cat = load_catalogue(folder)
    name = cat.resolve_county(county)
    own_dir = folder.raw / PLANS_DIR
    candidates = sorted(own_dir.glob(f"{name}_*.yaml")) if own_dir.is_dir() else []
    if not candidates and folder.reference(PLANS_DIR) != own_dir:
        candidates = sorted(folder.reference(PLANS_DIR).glob(f"{name}_*.yaml"))
    if candidates:
        return load_plan(candidates[-1], county=name, data_dir=folder)
    return load_plan(folder.reference(f"{PLANS_DIR}/{DEFAULT_PLAN}"), county=name, data_dir=folder)
