"""Budget tables by functional classification (决算表 / 预算表), as a finance bureau publishes them.

A county's 一般公共预算支出决算表 lists every subject of the functional classification — 201 一般公共服务支出,
205 教育支出, **206 科学技术支出** with its sub-items 20601 …, and the total (支出合计) — under 科目编码 /
科目名称 / 决算数.  Two of its rows are catalogue indicators: 206 is the fiscal S&T expenditure, the total of a
一般公共预算 table the general public budget expenditure.  The other subjects are not data of this suite, and
must not be reported as "unknown indicators" one by one.

:func:`functional_table` recognises such a sheet and rewrites its grid into the plain long layout the sheet
reader knows (the title rows kept, so the county, year and 单位：万元 still come from them): one row for 科学技术
支出, one for 一般公共预算支出, and an info line saying which rows were read and how many subjects were not.
"""
from __future__ import annotations

from lingshou.data.catalogue import split_unit
from lingshou.data.headers import cell_text
from lingshou.data.problems import Problem, problem

#: Header of the subject-code column.
CODE_HEADERS = {"科目编码", "功能分类科目编码", "科目代码", "功能科目编码"}
#: Header of the subject-name column.
NAME_HEADERS = {"科目名称", "功能分类科目名称", "功能科目名称", "预算科目", "科目"}
#: Header of the amount column (a unit in brackets is kept).
VALUE_HEADERS = {"决算数", "本年决算数", "决算", "预算数", "本年预算数", "执行数", "本年执行数", "调整预算数", "金额"}
#: The functional-classification code of 科学技术支出.
ST_CODE = "206"
ST_NAME = "科学技术支出"
#: Names of the total row (in a 一般公共预算 table: the general public budget expenditure).
TOTAL_NAMES = {"合计", "总计", "支出合计", "本年支出合计", "支出总计", "一般公共预算支出合计", "一般公共预算支出", "本年一般公共预算支出合计"}
GENERAL_BUDGET = "一般公共预算"


def _text(cell) -> str:
    """A cell's text without any space (``"  科学技术管理事务"``, ``"指    标"``)."""
    return "".join(cell_text(cell).split())


def _header(rows: list[list]) -> tuple[int, int | None, int | None, int] | None:
    """(row, code column, name column, value column) of a functional-classification header, or None."""
    for i, row in enumerate(rows[:30]):
        texts = [_text(c) for c in row]
        code = next((j for j, t in enumerate(texts) if t in CODE_HEADERS), None)
        name = next((j for j, t in enumerate(texts) if t in NAME_HEADERS), None)
        value = next((j for j, t in enumerate(texts) if split_unit(t)[0] in VALUE_HEADERS), None)
        if (code is not None or name is not None) and value is not None:
            return i, code, name, value
    return None


def _code(text: str) -> str:
    """A subject code as written: ``206``, ``206.0`` (a number cell) → ``206``."""
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text


# long: one pass over the table's rows, classifying each as the S&T row, the total or another subject.
def functional_table(rows: list[list], where: str) -> tuple[list[list], list[Problem]] | None:
    """The grid of a functional-classification budget table rewritten in the long layout, or None.

    Parameters
    ----------
    rows : list of list
        The sheet's cells (rows of equal length).
    where : str
        File (and sheet) for the problems.

    Returns
    -------
    (rows, problems) or None
        ``None`` when the sheet is no such table.  Otherwise the title rows, a header ``指标 | 数值[(unit)]``,
        the 科学技术支出 row (code 206 or that name) and, in a 一般公共预算 table, the total row as
        一般公共预算支出, each where it was (the other rows blank, so rows keep their numbers); ``problems`` says what was read (info) and warns when the 206 row or the total is
        missing or found twice.
    """
    found = _header(rows)
    if found is None:
        return None
    h, c_code, c_name, c_value = found
    title = " ".join(_text(c) for r in rows[:h] for c in r)
    _, unit = split_unit(_text(rows[h][c_value]))
    general = GENERAL_BUDGET in title
    st, total, skipped = [], [], 0
    for i in range(h + 1, len(rows)):
        row = rows[i]
        code = _code(_text(row[c_code])) if c_code is not None else ""
        name = _text(row[c_name]) if c_name is not None else ""
        value = row[c_value]
        if _text(value) == "" and not code and not name:
            continue
        if code == ST_CODE or (name == ST_NAME and not code.startswith(ST_CODE + "0")):
            st.append((i, value))
        elif not code and (name in TOTAL_NAMES or (GENERAL_BUDGET in name and "合计" in name)):
            general = general or GENERAL_BUDGET in name
            total.append((i, value))
        else:
            skipped += 1
    # rewritten in place, every other row blanked: a problem about a value still names its row in the file
    width = max(len(rows[h]), 2)
    out = [list(r) for r in rows[:h]] + [[None] * width for _ in rows[h:]]
    out[h][:2] = ["指标", f"数值({unit})" if unit else "数值"]
    kept = ([(st[0], ST_NAME)] if st else []) + ([(total[0], "一般公共预算支出")] if total and general else [])
    for (i, v), name in kept:
        out[i][:2] = [name, v]
    read = [f"第{st[0][0] + 1}行 科学技术支出（{ST_CODE}）"] if st else []
    read_en = [f"row {st[0][0] + 1} 科学技术支出 ({ST_CODE})"] if st else []
    if total and general:
        read.append(f"第{total[0][0] + 1}行 支出合计（一般公共预算支出）")
        read_en.append(f"row {total[0][0] + 1} the total (general public budget expenditure)")
    probs = [problem("info", "budget_table",
                     f"按功能分类的预决算表读取：{'、'.join(read) or '没有目录指标'}；其余 {skipped + (0 if general else len(total))} "
                     "个科目不是本套件的指标，未读取",
                     f"read as a budget table by functional classification: {'; '.join(read_en) or 'no catalogue indicator'}; "
                     f"the other {skipped + (0 if general else len(total))} subjects are not indicators of the suite "
                     "and were not read", file=where, row=h + 1)]
    if not st:
        probs.append(problem("warning", "budget_table", f"预决算表中没有科学技术支出（科目编码 {ST_CODE}）",
                             f"the budget table has no 科学技术支出 (subject code {ST_CODE})", file=where, row=h + 1))
    for label, rows_found in (("科学技术支出", st), ("支出合计", total if general else [])):
        if len(rows_found) > 1:
            others = "、".join(str(i + 1) for i, _ in rows_found[1:])
            probs.append(problem("warning", "budget_table", f"{label}出现多次，读取第{rows_found[0][0] + 1}行（另见第{others}行）",
                                 f"{label} appears more than once; row {rows_found[0][0] + 1} was read (also rows {others})",
                                 file=where, row=rows_found[1][0] + 1))
    return out, probs
