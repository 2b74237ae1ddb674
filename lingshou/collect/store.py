"""Writing a clean collection: the collected statistics file with its data card, merged with what an earlier
run wrote (values kept, promoted with ``final``, never demoted).
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from lingshou.atomic import write_text_atomic
from lingshou.collect.returns import COLLECTED_COLUMNS, Collection, read_returns
from lingshou.collect.status import compare_values
from lingshou.data.catalogue import Catalogue, load_catalogue
from lingshou.data.problems import errors
from lingshou.data.safe import neutralise_frame, neutralise_text
from lingshou.errors import DataError, ParameterError
from lingshou.i18n import bi
from lingshou.plan.progress import HISTORY_COLUMNS, history_path


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

    Nothing is written when nothing is new (and nothing to promote).  Task progress rows are appended to the
    county's history (:func:`append_history`).

    Returns
    -------
    list of Path
        The files written (CSV and card), or ``[]``.

    Raises
    ------
    DataError
        If the collection has errors or conflicts (nothing is written then).
    ParameterError
        If the data folder is the read-only bundled data of an installed package.
    """
    from lingshou.data.read import CARD_SUFFIX, read_card

    if coll.folder.bundled_read_only:
        raise ParameterError(bi(f"已安装的包中的内置数据是只读的（{coll.folder.root}），请用 --data 指定要写入的数据文件夹",
                                f"the bundled data of an installed package is read-only ({coll.folder.root}); name "
                                "the data folder to write into with --data"))
    if not coll.ok:
        n_conf = len(coll.conflicts) + len(coll.task_conflicts)
        raise DataError(bi(f"有 {len(errors(coll.problems))} 个错误、{n_conf} 个冲突，未写入任何文件",
                           f"{len(errors(coll.problems))} error(s) and {n_conf} conflict(s); nothing was written"),
                        coll.problems)
    written = append_history(coll)
    cat = load_catalogue(coll.folder)
    previous = load_collected_file(coll.target)
    rows, n_new, n_promoted = merge_collected(previous, coll, cat, final)
    if n_new == 0 and n_promoted == 0:
        coll.written = written
        return written
    card_path = coll.target.with_name(coll.target.stem + CARD_SUFFIX)
    card = collected_card(coll, rows, read_card(coll.target) if coll.target.exists() else {})
    coll.target.parent.mkdir(parents=True, exist_ok=True)
    # Card first: a crash between the two replaces leaves the old data with a card that lists more, never data without a card.
    write_text_atomic(card_path, yaml.safe_dump(card, allow_unicode=True, sort_keys=False))
    write_text_atomic(coll.target, rows.to_csv(index=False, lineterminator="\n"))
    coll.written = [coll.target, card_path] + written
    return coll.written


def append_history(coll: Collection) -> list[Path]:
    """Append the collection's task progress rows to the county's history (atomically); ``[]`` when none.

    The rows already stored are kept byte for byte: the new rows are added after them.
    """
    if coll.task_rows.empty:
        return []
    path = history_path(coll.folder.raw, coll.county)
    new = coll.task_rows[HISTORY_COLUMNS].to_csv(index=False, lineterminator="\n")
    if path.exists():
        old = path.read_text(encoding="utf-8-sig")
        text = "\ufeff" + old + ("" if old.endswith("\n") else "\n") + new.split("\n", 1)[1]
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "\ufeff" + new
    write_text_atomic(path, text)
    return [path]


def collect(returns_dir: str | Path, county: str | None = None, year: int | None = None, data_dir=None,
            final: bool = False, period: str | None = None, amend: bool = False) -> Collection:
    """Read, check and — when clean — write a collection (``lingshou collect``).

    Returns
    -------
    Collection
        ``written`` lists the files written (empty when there were errors or conflicts, or nothing new).
    """
    coll = read_returns(returns_dir, county=county, year=year, data_dir=data_dir, period=period, amend=amend)
    if coll.ok:
        write_collection(coll, final=final)
    return coll
