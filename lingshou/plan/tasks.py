"""The plan's tasks as data: every numbered task of 五、重点工作, its measures, its units and its deadline.

A plan text numbers its tasks ``N.标题。措施……（牵头单位：X；责任单位：A、B）``.  :func:`parse_tasks` reads them
from the text (sections ``（一）…``, the measures split into checkable items — ``一是…二是…`` and sentences —,
lead and responsible units exactly as written); the plan file holds the result under ``tasks:`` (written by
``tools/import_plan_tasks.py``, checked against the text by the tests) and :func:`check_tasks` reads it back.

Deadlines: an item whose text names its year (``2022年度``, ``年内``) is due at the end of that year (``due_basis:
text``); the others take the plan's stages — an INTERPRETATION, said as such: the organisational tasks of the
first section belong to 第一阶段 挖潜增量 and the plan's first year, every other undated item to 第三阶段
巩固提高, due at the end of the plan period.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lingshou.errors import DataError
from lingshou.i18n import bi

TASK_COLUMNS = ["task", "section", "title", "title_en", "lead_unit", "responsible_units", "n_items"]
ITEM_COLUMNS = ["task", "item", "title", "text", "stage", "due", "due_basis"]
#: The plan's stages (四、阶段性任务), in order.
STAGES = ("第一阶段 挖潜增量", "第二阶段 攻坚克难", "第三阶段 巩固提高")
STAGES_EN = {"第一阶段 挖潜增量": "Stage 1: tapping potential", "第二阶段 攻坚克难": "Stage 2: tackling the hard parts",
             "第三阶段 巩固提高": "Stage 3: consolidating"}
#: Units that the text separates with 、 inside one 责任单位 list.
UNIT_SEP = "、"
_SECTION = re.compile(r"^[(（](?P<num>[一二三四五六七八九十]+)[)）](?P<title>[^，,。]+)")
_TASK = re.compile(r"^(?P<num>\d+)[.．](?P<title>[^。]+)。(?P<body>.*?)[(（〔]\s*牵头单位[:：](?P<lead>[^;；]+)[;；]"
                   r"\s*责任单位[:：](?P<resp>.+)[)）〕]\s*$")
_ORDINAL = re.compile(r"[一二三四五六七八九十]是")
_YEAR = re.compile(r"(?P<year>20\d{2})年度|(?P<within>年内)")


def _items(body: str) -> list[str]:
    """The measures of a task body: the ``一是/二是`` parts and, inside them, each sentence."""
    parts = [p for p in _ORDINAL.split(body) if p.strip()]
    items = []
    for part in parts:
        items += [s.strip(" ，,；;") for s in part.split("。") if s.strip(" ，,；;")]
    return items


def _short(text: str, limit: int = 30) -> str:
    """The item's first clause (after a leading ``2022年度``), cut at ``limit`` characters."""
    clauses = [c for c in re.split(r"[，,；;：:]", text) if c.strip()]
    first = clauses[0] if clauses else text
    if len(clauses) > 1 and re.fullmatch(r"\d{4}年度|年内|力争年内", first.strip()):
        first = clauses[1]
    return first if len(first) <= limit else first[:limit] + "…"


def _due(text: str, first_section: bool, period: tuple[int, int]) -> tuple[str, str, str]:
    m = _YEAR.search(text)
    if m:
        year = int(m.group("year")) if m.group("year") else period[0]
        return (STAGES[1] if year <= period[0] else STAGES[2]), f"{year}-12-31", "text"
    if first_section:
        return STAGES[0], f"{period[0]}-12-31", "stage (interpretation)"
    return STAGES[2], f"{period[1]}-12-31", "stage (interpretation)"


def parse_tasks(text: str, period: tuple[int, int]) -> list[dict]:
    """The numbered tasks of a plan text (see the module docstring), in order.

    Raises
    ------
    DataError
        When the text has no numbered task, or the numbers are not 1, 2, 3 … in order.
    """
    start = text.find("五、重点工作")
    end = text.find("六、", start + 1) if start >= 0 else -1
    body = text[start:end if end > 0 else None] if start >= 0 else text
    tasks, section, first_section = [], "", None
    for line in (raw.strip() for raw in body.splitlines()):
        s = _SECTION.match(line)
        if s:
            section = f"（{s.group('num')}）{s.group('title')}"
            first_section = first_section or section
            continue
        m = _TASK.match(line)
        if not m:
            continue
        items = _items(m.group("body"))
        tasks.append({
            "task": int(m.group("num")), "section": section, "title": m.group("title").strip(),
            "lead_unit": m.group("lead").strip(),
            "responsible_units": [u.strip() for u in m.group("resp").split(UNIT_SEP) if u.strip()],
            "items": [{"item": k, "title": _short(t), "text": t,
                       **dict(zip(("stage", "due", "due_basis"), _due(t, section == first_section, period)))}
                      for k, t in enumerate(items, start=1)],
        })
    numbers = [t["task"] for t in tasks]
    if not tasks or numbers != list(range(1, len(tasks) + 1)):
        raise DataError(bi(f"方案文本中的任务编号不是 1、2、3……：{numbers}",
                           f"the tasks of the plan text are not numbered 1, 2, 3 …: {numbers}"))
    return tasks


def check_tasks(raw, path: Path, titles_en: dict | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``tasks:`` of a plan file as two tables (tasks, items); every problem listed at once.

    ``titles_en`` (the plan file's ``task_titles_en``: task number → English title) gives ``title_en``; a
    task without one keeps its Chinese title there.

    Raises
    ------
    DataError
        A task without number, title or lead unit, numbers repeated or out of order, an item without text or
        with a due date that is not ``YYYY-MM-DD``.
    """
    if raw is None:
        return pd.DataFrame(columns=TASK_COLUMNS), pd.DataFrame(columns=ITEM_COLUMNS)
    problems, tasks, items = [], [], []
    if not isinstance(raw, list):
        raise DataError(bi(f"方案文件 {path} 的 tasks 应为列表", f"the tasks of plan file {path} must be a list"))
    for i, t in enumerate(raw, start=1):
        where = f"{path} tasks #{i}"
        if not isinstance(t, dict) or not isinstance(t.get("task"), int) or not t.get("title") or not t.get("lead_unit"):
            problems.append(bi(f"{where}：须有 task（整数）、title 和 lead_unit", f"{where}: needs task (an integer), title and lead_unit"))
            continue
        units = t.get("responsible_units") or []
        problems += unit_name_problems(where, [t["lead_unit"], *units])
        title_en = (titles_en or {}).get(t["task"]) if isinstance(titles_en, dict) else None
        tasks.append({"task": t["task"], "section": str(t.get("section", "")), "title": str(t["title"]),
                      "title_en": str(title_en or t["title"]),
                      "lead_unit": str(t["lead_unit"]), "responsible_units": tuple(str(u) for u in units),
                      "n_items": len(t.get("items") or [])})
        for k, item in enumerate(t.get("items") or [], start=1):
            due = str(item.get("due", "")) if isinstance(item, dict) else ""
            if not isinstance(item, dict) or not item.get("text") or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", due):
                problems.append(bi(f"{where} 第{k}项措施：须有 text 和 due（YYYY-MM-DD）",
                                   f"{where} item {k}: needs text and due (YYYY-MM-DD)"))
                continue
            items.append({"task": t["task"], "item": int(item.get("item", k)), "title": str(item.get("title", "")),
                          "text": str(item["text"]), "stage": str(item.get("stage", "")), "due": due,
                          "due_basis": str(item.get("due_basis", ""))})
    numbers = [t["task"] for t in tasks]
    if numbers != sorted(set(numbers)):
        problems.append(bi(f"{path}：任务编号重复或未按顺序 {numbers}", f"{path}: task numbers repeated or out of order {numbers}"))
    if problems:
        raise DataError(bi(f"方案文件 {path} 的任务有误", f"the tasks of plan file {path} are invalid") + "\n" + "\n".join(problems))
    return pd.DataFrame(tasks, columns=TASK_COLUMNS), pd.DataFrame(items, columns=ITEM_COLUMNS)


def canonical_unit(name: str, known) -> str:
    """The department ``name`` stands for among ``known`` (exact, after normalisation, or with its leading 县
    left out — the plan writes 财政局 beside 县财政局); a name matching none is kept as written."""
    from lingshou.data.catalogue import normalise_text

    key = normalise_text(str(name))
    for k in known:
        if key in (normalise_text(k), normalise_text(k).removeprefix("县")):
            return k
    return str(name)


#: Characters a unit name must not hold: the separators of unit lists (a name with one would read as two
#: units in every table and ledger) and control characters.
UNIT_NAME_FORBIDDEN = re.compile(r"[|;；,，、\x00-\x1f\x7f]")


def unit_name_problems(where: str, units) -> list[str]:
    """A problem for each unit name holding a list separator or a control character (shown escaped)."""
    return [bi(f"{where}：单位名称 {str(u)!r} 含分隔符或控制字符（| ; , 、等），会被当作多个单位；请改正或分行列出",
               f"{where}: the unit name {str(u)!r} holds a separator or control character (| ; , 、 …) and would read as "
               "several units; correct it or list the units one by one")
            for u in units if UNIT_NAME_FORBIDDEN.search(str(u))]


def task_roles(tasks: pd.DataFrame, known) -> pd.DataFrame:
    """Who answers for each task: one row per (task, department) with ``role`` ``lead`` or ``responsible``.

    Names are canonicalised with :func:`canonical_unit`; a unit named twice for one task keeps its first role.
    """
    rows = []
    for t in tasks.itertuples(index=False):
        rows.append((int(t.task), canonical_unit(t.lead_unit, known), "lead"))
        rows += [(int(t.task), canonical_unit(u, known), "responsible") for u in t.responsible_units]
    out = pd.DataFrame(rows, columns=["task", "department", "role"])
    return out.drop_duplicates(["task", "department"]).reset_index(drop=True)


def department_items(tasks: pd.DataFrame, items: pd.DataFrame, department: str, known) -> pd.DataFrame:
    """Every item of the tasks ``department`` leads or shares, with the task's title, units and the unit's role.

    Returns
    -------
    DataFrame
        :data:`ITEM_COLUMNS` plus ``task_title``, ``lead_unit``, ``responsible_units`` (joined with 、) and
        ``role``, in task and item order.
    """
    roles = task_roles(tasks, known)
    mine = roles[roles["department"] == department][["task", "role"]]
    t = tasks.assign(task_title=tasks["title"], responsible_units=tasks["responsible_units"].map(UNIT_SEP.join))
    out = items.merge(mine, on="task").merge(t[["task", "task_title", "lead_unit", "responsible_units"]], on="task")
    return out.sort_values(["task", "item"]).reset_index(drop=True)
