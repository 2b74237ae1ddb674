"""The collection's report: problems per department, and the text of ``collect`` and ``collect --status``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lingshou.collect.returns import Collection
from lingshou.collect.status import STATES, department_status
from lingshou.config import STATUS_LABELS
from lingshou.data.safe import neutralise_frame


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
        kind = ("suspicious" if p.rule in ("suspicious_jump", "implausible_magnitude") else "invalid") \
            if p.severity == "error" else "warning"
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
    tasks_only = [d for d in dict.fromkeys(list(probs["department"]) + list(coll.task_rows["department"]))
                  if d not in deps.index and d != "—"]
    for dept in list(deps.index) + tasks_only + (["—"] if (probs["department"] == "—").any() else []):
        if dept in tasks_only:
            head = f"{dept}：任务进展 task progress"
        elif dept in deps.index:
            d = deps.loc[dept]
            head = (f"{dept}：已返回 returned，{int(d['reported'] + d['held'])}/{int(d['n'])} 项有值 with a value"
                    if d["returned"] else f"{dept}：未返回 late（{int(d['n'])} 项 figures）")
        else:
            head = "其他（报送单位不明的文件、数据文件夹）/ other (files of unknown department, the data folder)"
        lines.append(head)
        for p in probs[(probs["department"] == dept) & (probs["kind"] != "late")].itertuples(index=False):
            lines.append(f"  [{kinds[p.kind]}] {p.detail}")
    return "\n".join(lines + task_lines(coll))


def task_lines(coll: Collection) -> list[str]:
    """What ``collect`` says about the task returns: new rows per department and every conflict, both versions."""
    if coll.period is None:
        return []
    p = coll.period
    lines = ["", f"任务进展（{p.text()}）/ task progress ({p.text('en')})："]
    counts = coll.task_rows.groupby("department").size()
    lines += [f"  {d}：{n} 项措施的新报送 / new returns on {n} item(s)" for d, n in counts.items()] or ["  无新报送 / nothing new"]
    for c in coll.task_conflicts.itertuples(index=False):
        lines.append(f"  [冲突 conflict] {c.department} 措施 item {c.task}.{c.item}，{c.column}：已存 stored {c.stored!r}"
                     f"（{c.stored_file}，{c.stored_received}）≠ 本次 returned {c.returned!r}（{c.file}，行 row {c.row}）；"
                     "同一报送期不覆盖：请核实，更正请用 --amend 另存新版本 / a period is never overwritten: check it; "
                     "to store a correction as a new version use --amend")
    return lines


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
