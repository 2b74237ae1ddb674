"""Notebook and report parameters: one place that checks them (papermill itself only warns).

Every analysis notebook's second code cell calls :func:`prepare` with its parameters; the report command
calls :func:`check_values` before any notebook runs, so an unknown name or an invalid value is rejected
with a clear bilingual message instead of a traceback halfway through a run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lingshou.config import DataFolder, data_folder, report_dir
from lingshou.data.catalogue import Catalogue, load_catalogue
from lingshou.errors import AnalysisError, ParameterError
from lingshou.i18n import bi, check_lang

#: A safe county or file-name component: no path separators, no parent references, no control chars.
_SAFE_NAME = re.compile(r"^[^/\\\x00-\x1f:*?\"<>|]+$")


def _int_in(lo: int, hi: int | None = None):
    def check(name, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(bi(f"参数 {name} 应为整数，实际为 {value!r}", f"parameter {name} must be an integer, got {value!r}"))
        if value < lo or (hi is not None and value > hi):
            rng = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
            raise ParameterError(bi(f"参数 {name}={value} 超出范围 {rng}", f"parameter {name}={value} is out of range {rng}"))
        return value
    return check


def _number_in(lo: float, hi: float, open_lo: bool = False):
    def check(name, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(bi(f"参数 {name} 应为数值，实际为 {value!r}", f"parameter {name} must be a number, got {value!r}"))
        if value < lo or value > hi or (open_lo and value == lo):
            raise ParameterError(bi(f"参数 {name}={value} 超出范围 ({lo}, {hi}]", f"parameter {name}={value} is out of range ({lo}, {hi}]"))
        return float(value)
    return check


def _optional(check):
    """``check``, with ``None`` allowed (meaning "as the plan or the data say")."""
    return lambda name, value: None if value is None else check(name, value)


def _optional_path(name, value):
    if value in (None, ""):
        return None
    if not isinstance(value, (str, Path)):
        raise ParameterError(bi(f"参数 {name} 应为路径字符串，实际为 {value!r}", f"parameter {name} must be a path string, got {value!r}"))
    return str(value)


def _input_file(name, value):
    """An input file that must exist, as an absolute path (a kernel's working folder is not the caller's)."""
    path = _optional_path(name, value)
    if path is None:
        return None
    resolved = Path(path).expanduser().resolve()
    if not resolved.is_file():
        raise ParameterError(bi(f"参数 {name} 指向的文件不存在：{resolved}", f"parameter {name} names a file that does not "
                                f"exist: {resolved}"))
    return str(resolved)


def _lang(name, value):
    return check_lang(value)


def _county(name, value):
    if not isinstance(value, str) or not value.strip() or not _SAFE_NAME.fullmatch(value) or value.strip(".") == "":
        raise ParameterError(bi(f"参数 {name}={value!r} 不是有效的县名（不得含路径符号）",
                                f"parameter {name}={value!r} is not a valid county name (no path characters allowed)"))
    return value


def _year(name, value):
    if value == "latest":
        return value
    return _int_in(1978, 2100)(name, value)


def _budget_projection(name, value):
    if value in ("flat", "trend"):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise ParameterError(bi(f"参数 {name} 应为 'flat'、'trend' 或正数（万元），实际为 {value!r}",
                            f"parameter {name} must be 'flat', 'trend' or a positive amount (万元), got {value!r}"))


def _peers(name, value):
    if value in ("province", "prefecture"):
        return value
    if isinstance(value, (str, Path)) and str(value).strip():
        return _input_file(name, value)
    raise ParameterError(bi(f"参数 {name} 应为 'province'（全省）、'prefecture'（本市）或县名列表文件，实际为 {value!r}",
                            f"parameter {name} must be 'province', 'prefecture' or a file listing counties, got {value!r}"))


def _bool(name, value):
    if not isinstance(value, bool):
        raise ParameterError(bi(f"参数 {name} 应为 True 或 False，实际为 {value!r}", f"parameter {name} must be True or False, got {value!r}"))
    return value


#: Checks of every parameter name any notebook may take.  A notebook parameter not listed here is a bug.
RULES = {
    "county": _county,
    "year": _year,
    "data_dir": _optional_path,
    "output_dir": _optional_path,
    "plan": _input_file,
    "model": _input_file,
    "lang": _lang,
    "close_pct": _number_in(0.0, 100.0, open_lo=True),
    "base_year": _optional(_int_in(1978, 2100)),
    # None: as the plan says (the projection's targets come from the plan; a value overrides it)
    "growth_target_pct": _optional(_number_in(-99.0, 1000.0)),
    "intensity_target_pct": _optional(_number_in(0.0, 100.0, open_lo=True)),
    "target_share_pct": _number_in(0.0, 100.0, open_lo=True),
    "horizon": _optional(_int_in(2000, 2100)),
    "n_sims": _int_in(100, 1_000_000),
    "calibration_samples": _int_in(100, 1_000_000),
    "seed": _int_in(0),
    "budget_projection": _budget_projection,
    "plan_start": _optional(_int_in(1978, 2100)),
    "intensity_target_year": _optional(_int_in(1978, 2100)),
    "allow_gaps": _bool,
    "catch_up_year": _optional(_int_in(2000, 2100)),
    "grades_file": _input_file,
    "show_anchors": _bool,
    "qualitative_points": _optional(_number_in(0.0, 100.0)),
    "robust_probability": _number_in(0.0, 1.0, open_lo=True),
    "max_increase_pct": _number_in(0.0, 1000.0, open_lo=True),
    "peers": _peers,
    # a batch's folder of results every county shares (lingshou.evaluation.shared); None: compute them
    "shared_dir": _optional_path,
}


def check_values(params: dict, allowed: set[str] | None = None) -> dict:
    """Check every value; names outside ``allowed`` (or :data:`RULES`) are rejected.

    Raises
    ------
    ParameterError
        Listing every unknown name and the first invalid value.
    """
    names = set(params)
    known = set(RULES) if allowed is None else set(allowed)
    unknown = sorted(names - known)
    if unknown:
        raise ParameterError(bi(f"未知参数 {unknown}（可用：{sorted(known)}）", f"unknown parameter(s) {unknown} (known: {sorted(known)})"))
    out = {}
    for name, value in params.items():
        rule = RULES.get(name)
        if rule is None:
            raise ParameterError(bi(f"参数 {name} 没有检查规则", f"parameter {name} has no checking rule"))
        out[name] = rule(name, value)
    return out


@dataclass
class Context:
    """Everything a notebook needs after its parameters were checked.

    Attributes
    ----------
    county : str
        Canonical county name.
    year : int
        The data year (``'latest'`` resolved to the county's latest year with data).
    data : DataFrame
        The tidy statistics of the data folder (all counties).
    catalogue : Catalogue
    folder : DataFolder
    out : Path
        Output folder (``tables/`` and ``figures/`` exist inside).
    lang : str
    params : dict
        Every checked parameter.
    note : str
        Where the data came from when it matters: ``""`` for the processed table, else a request to run
        ``lingshou build`` (:func:`lingshou.data.build.load_tidy`).
    """

    county: str
    year: int
    data: pd.DataFrame
    catalogue: Catalogue
    folder: DataFolder
    out: Path
    lang: str
    params: dict = field(default_factory=dict)
    note: str = ""

    @property
    def tables(self) -> Path:
        return self.out / "tables"

    @property
    def figures(self) -> Path:
        return self.out / "figures"

    def statuses(self, county: str | None = None) -> set[str]:
        """Statuses of the values of a county (default: the context's county)."""
        d = self.data[self.data["county"] == (county or self.county)]
        return set(d["status"].dropna())


def latest_year(data: pd.DataFrame, county: str) -> int:
    """The latest year with at least one value for ``county``.

    Raises
    ------
    AnalysisError
        When the county has no value at all.
    """
    years = data.loc[(data["county"] == county) & data["value"].notna(), "year"]
    if years.empty:
        raise AnalysisError(bi(f"{county} 在数据中没有任何数值", f"{county} has no value in the data"))
    return int(years.max())


def resolve_output_dir(output_dir: str | None, county: str, year: int) -> Path:
    """The output folder: the given one, else ``reports/notebooks/<county>_<year>``."""
    if output_dir:
        return Path(output_dir).expanduser().resolve()
    return (report_dir() / "notebooks" / f"{county}_{year}").resolve()


def prepare(**params) -> Context:
    """Check a notebook's parameters, load the data and create the output folders.

    Raises
    ------
    ParameterError
        Unknown parameter, invalid value, or a county that is not in the data (the message lists the
        counties available).
    AnalysisError
        A year for which the county has no data.
    """
    from lingshou.data.build import load_tidy

    checked = check_values(params)
    folder = data_folder(checked.get("data_dir"))
    cat = load_catalogue(folder)
    data, note = load_tidy(folder)
    county = cat.county_name(checked["county"])
    available = sorted(data["county"].unique())
    if county is None or county not in available:
        raise ParameterError(bi(f"数据中没有县 {checked['county']!r}；可选：{'、'.join(available)}",
                                f"county {checked['county']!r} is not in the data; available: {', '.join(available)}"))
    year = checked.get("year", "latest")
    if year == "latest":
        year = latest_year(data, county)
    else:
        have = sorted(int(y) for y in data.loc[(data["county"] == county) & data["value"].notna(), "year"].unique())
        if year not in have:
            raise AnalysisError(bi(f"{county} 没有 {year} 年的数据（有数据的年份：{have}）",
                                   f"{county} has no data for {year} (years with data: {have})"))
    out = resolve_output_dir(checked.get("output_dir"), county, year)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    checked["county"], checked["year"] = county, year
    return Context(county=county, year=int(year), data=data, catalogue=cat, folder=folder, out=out,
                   lang=checked.get("lang", "zh"), params=checked, note=note)
