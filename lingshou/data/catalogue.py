"""The indicator catalogue and the mapping tables (indicator aliases, county names, unit factors,
department names in English).

Names, aliases and unit factors live in tables under ``data/raw/`` (never in ``if`` chains).  A lookup that
meets an unmapped value raises :class:`~lingshou.errors.MappingError` listing the values and the table
to edit.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lingshou.config import DataFolder, data_folder
from lingshou.errors import DataError, MappingError
from lingshou.i18n import bi, check_lang

CATALOGUE_FILE = "indicators.csv"
UNITS_FILE = "units.csv"
#: Unit slips worth naming: a value typed in a unit this many times (or this fraction of) the canonical one.
UNIT_SLIP_LEAST = 100.0
#: A share typed as a fraction (0.0053 for 0.53 %), named like a unit in :meth:`Catalogue.unit_slips`.
FRACTION = "小数"
INDICATOR_ALIASES_FILE = "aliases/indicator_aliases.csv"
COUNTY_ALIASES_FILE = "aliases/county_aliases.csv"
COUNTIES_FILE = "counties.csv"
DEPARTMENTS_FILE = "departments.csv"
#: Plausible range of each indicator for one county-level unit (a value outside is a unit or typing mistake).
RANGES_FILE = "plausible_ranges.csv"

CATALOGUE_COLUMNS = [
    "code", "name_zh", "name_en", "unit", "kind", "formula", "pillar", "plan_task", "target_2022",
    "target_rule", "lead_unit", "responsible_units",
]
KINDS = ("evaluated", "tracked", "base", "qualitative", "context")

# A formula of the catalogue: "<factor>*<numerator>/<denominator>" or "<numerator>/<denominator>".
_FORMULA = re.compile(r"^\s*(?:(?P<factor>[0-9.]+)\s*\*\s*)?(?P<num>[a-z0-9_]+)\s*/\s*(?P<den>[a-z0-9_]+)\s*$")
# Unit given inside a name: 高新技术企业数(家), 科学技术支出（亿元）, 比重(%)
_UNIT_IN_NAME = re.compile(r"[\(（\[【]\s*(?:单位[:：]\s*)?(?P<unit>[^()（）\[\]【】]{1,8})\s*[\)）\]】]\s*$")
_SPACES = re.compile(r"\s+")
# "其中：科学技术支出", "#科学技术支出", "△…": a sub-item of the row above; "高新技术企业数*": a footnote
_SUB_ITEM = re.compile(r"^(?:其中[:：]?|内[:：]|#|△|▲)+")
_FOOTNOTE = re.compile(r"[*※#]+$")


def normalise_text(text: object) -> str:
    """Canonical form of a name for matching: NFKC (full-width → half-width), no spaces, unified brackets.

    >>> normalise_text("规上工业企业R＆D经费支出（万元）")
    '规上工业企业R&D经费支出(万元)'
    """
    s = unicodedata.normalize("NFKC", str(text))
    s = _SPACES.sub("", s)
    return s.replace("〔", "(").replace("〕", ")").replace("[", "(").replace("]", ")").replace("【", "(").replace("】", ")")


def split_unit(name: object) -> tuple[str, str | None]:
    """Split a trailing unit in brackets off a name: ``'科学技术支出(亿元)'`` → ``('科学技术支出', '亿元')``.

    A footnote mark after the bracket (``科学技术支出(亿元)*``) is dropped first.  Only a bracketed suffix
    that is a known unit is split (so ``省级以上创新园区(基地)`` keeps its bracket);
    the caller checks that with :meth:`Catalogue.unit_dimension`.
    """
    s = _FOOTNOTE.sub("", normalise_text(name))
    m = _UNIT_IN_NAME.search(s)
    if not m:
        return s, None
    return s[: m.start()], m.group("unit")


@dataclass(frozen=True)
class Formula:
    """A derived indicator: ``factor * numerator / denominator``."""

    numerator: str
    denominator: str
    factor: float = 1.0


@dataclass
class Catalogue:
    """The catalogue with its mapping tables, as read from a data folder.

    Attributes
    ----------
    indicators : DataFrame
        One row per indicator code (index ``code``), the columns of ``indicators.csv`` plus
        ``dimension`` (from the unit table), ``lead_unit_en`` and ``responsible_units_en`` (from
        ``departments.csv``; a unit without an English entry kept as written).
    units : DataFrame
        Index ``unit``; columns ``dimension``, ``factor`` (multiply to reach the dimension's canonical unit).
    counties : DataFrame
        Index ``county`` (canonical name); columns ``short_name``, ``prefecture``, ``province``, ``type``.
    departments_en : dict
        Department (plan unit) name → English name, from ``departments.csv``.
    department_groups : frozenset
        Names of that table marked ``group: yes`` — groups of units (named in English, sent no form).
    """

    indicators: pd.DataFrame
    units: pd.DataFrame
    counties: pd.DataFrame
    indicator_alias_map: dict[str, str] = field(default_factory=dict)
    county_alias_map: dict[str, str] = field(default_factory=dict)
    ambiguous_county_aliases: dict[str, list[str]] = field(default_factory=dict)
    #: Historical name (normalised) → (today's canonical unit, year of the change), from county_aliases.csv.
    county_history: dict[str, tuple[str, int]] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)
    departments_en: dict[str, str] = field(default_factory=dict)
    department_groups: frozenset = frozenset()
    #: code → (min, max) plausible for one county-level unit, from plausible_ranges.csv (known codes only).
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Plain dictionaries for the per-value lookups of the loader (DataFrame.at costs ~20 µs a call,
        # which dominated validating a province-sized table).
        ind = self.indicators
        self._prefecture = {c: str(p) for c, p in zip(self.counties.index, self.counties["prefecture"])}
        names = {p for pref in self._prefecture.values() if pref for p in (pref, re.sub(r"市$", "", pref))}
        #: Prefecture names as tables write them (张家口市, 张家口), longest first (for titles).
        self.prefectures = sorted((p for p in names if len(p) >= 2), key=len, reverse=True)
        self._unit = {c: str(u) for c, u in zip(ind.index, ind["unit"])}
        self._dimension = {c: str(d) for c, d in zip(ind.index, ind["dimension"])} if "dimension" in ind else {}
        self._names = {"zh": dict(zip(ind.index, ind["name_zh"].astype(str))),
                       "en": dict(zip(ind.index, ind["name_en"].astype(str)))}
        self._unit_dim = {u: str(d) for u, d in zip(self.units.index, self.units["dimension"])}
        self._unit_fac = {u: float(f) for u, f in zip(self.units.index, self.units["factor"])}

    # -- departments ------------------------------------------------------------------------------
    @property
    def departments(self) -> list[str]:
        """The departments of ``departments.csv`` that are single units (the groups left out): those a form
        can be sent to."""
        return [name for name in self.departments_en if name not in self.department_groups]

    def department_name(self, name: str, lang: str = "zh") -> str:
        """A department (plan unit) in the requested language; a name without an English entry in
        ``departments.csv`` is kept as written."""
        return name if check_lang(lang) == "zh" else self.departments_en.get(name, name)

    # -- indicators -------------------------------------------------------------------------------
    @property
    def codes(self) -> list[str]:
        return list(self.indicators.index)

    def indicator_code(self, name: object) -> str | None:
        """The catalogue code of an indicator name, alias or code (``None`` when unmapped).

        The name may carry its unit in brackets (``科学技术支出(亿元)``), a sub-item prefix as budget tables
        write it (``其中：科学技术支出``, ``#科学技术支出``) or a footnote mark (``高新技术企业数*``); these are
        ignored here.
        """
        s = normalise_text(name)
        stripped = _SUB_ITEM.sub("", _FOOTNOTE.sub("", s))
        if stripped != s and stripped:
            return self.indicator_code(stripped)
        for key in (s, s.lower()):
            if key in self.indicator_alias_map:
                return self.indicator_alias_map[key]
        base, unit = split_unit(s)
        if unit is not None and self.unit_dimension(unit) is not None:
            return self.indicator_alias_map.get(base) or self.indicator_alias_map.get(base.lower())
        return None

    def formula(self, code: str) -> Formula | None:
        """The formula of a derived indicator, or ``None``."""
        text = self.indicators.at[code, "formula"]
        if not isinstance(text, str) or not text.strip():
            return None
        m = _FORMULA.match(text)
        if not m:
            raise DataError(bi(f"指标目录中 {code} 的公式无法解析：{text!r}（{self.sources.get('indicators')}）",
                               f"cannot parse the formula of {code} in the catalogue: {text!r}"))
        return Formula(m.group("num"), m.group("den"), float(m.group("factor") or 1.0))

    def derived(self) -> dict[str, Formula]:
        """Every derived indicator with its formula."""
        out = {}
        for code in self.codes:
            f = self.formula(code)
            if f is not None:
                out[code] = f
        return out

    def canonical_unit(self, code: str) -> str:
        return self._unit[code]

    def dimension(self, code: str) -> str:
        return self._dimension[code]

    def name(self, code: str, lang: str = "zh") -> str:
        return self._names["zh" if lang == "zh" else "en"][code]

    # -- units ------------------------------------------------------------------------------------
    def unit_dimension(self, unit: object) -> str | None:
        return self._unit_dim.get(normalise_text(unit))

    def unit_factor(self, unit: object, code: str) -> float | None:
        """Factor turning a value in ``unit`` into the canonical unit of indicator ``code``.

        ``None`` when the unit is unknown or of another dimension (e.g. 亿元 for a count).
        """
        u = normalise_text(unit)
        if u not in self._unit_fac or self._unit_dim[u] != self.dimension(code):
            return None
        return self._unit_fac[u] / self._unit_fac[self.canonical_unit(code)]

    def unit_slips(self, code: str, least: float = UNIT_SLIP_LEAST) -> dict[str, float]:
        """What a value of ``code`` is multiplied by when it is typed in another unit of its dimension and read
        in the canonical one: ``{unit: factor}`` for the factors of at least ``least`` (or at most its inverse).

        For 万元: 元 ×10,000, 亿元 ×0.0001, 百万元 ×0.01 (千元, ×10, is below the default).  A share adds
        :data:`FRACTION` (0.0053 typed for 0.53 %: ×0.01).  Counts have none.
        """
        dim = self.dimension(code)
        slips = {}
        for unit in self.units.index:
            factor = self.unit_factor(unit, code)   # None for a unit of another dimension
            if factor and (1 / factor >= least or 1 / factor <= 1 / least):
                slips[str(unit)] = 1 / factor
        if dim == "share":
            slips.setdefault(FRACTION, 0.01)
        return slips

    # -- counties ---------------------------------------------------------------------------------
    def county_name(self, name: object, prefecture: str | None = None) -> str | None:
        """Canonical county name of a name variant (灵寿 / 灵寿县 / 石家庄市灵寿县), or ``None``.

        An ambiguous bare name (桥西区) resolves when ``prefecture`` (张家口市 or 张家口, as a file's data card
        or title says it) leaves one candidate.
        """
        key = normalise_text(name)
        found = self.county_alias_map.get(key)
        if found is None and prefecture and key in self.ambiguous_county_aliases:
            pref = normalise_text(prefecture)
            within = [c for c in self.ambiguous_county_aliases[key]
                      if self._prefecture.get(c) in (pref, pref + "市")]
            if len(within) == 1:
                return within[0]
        return found

    def evaluated_counties(self) -> list[str]:
        """The units of the provincial evaluation (column ``evaluated`` of the register; all units without it)."""
        counties = self.counties
        if "evaluated" not in counties:
            return list(counties.index)
        return list(counties.index[counties["evaluated"].astype(str).str.lower().isin(["true", "1", "yes"])])

    def county_options(self, name: object) -> str:
        """The candidates of an ambiguous name, each historical one with its change (for messages)."""
        key = normalise_text(name)
        parts = []
        for county in self.ambiguous_county_aliases.get(key, []):
            old = [(a, y) for a, (c, y) in self.county_history.items() if c == county and a.endswith(key)]
            parts.append(f"{county}（{old[0][1]}年前为{old[0][0]}）" if old else county)
        return "、".join(parts)

    def county_suggestions(self, name: object, n: int = 3) -> list[str]:
        """The canonical names closest to an unknown name (``difflib``), for messages."""
        import difflib

        key = normalise_text(name)
        close = difflib.get_close_matches(key, list(self.county_alias_map), n=12, cutoff=0.5)
        return list(dict.fromkeys(self.county_alias_map[a] for a in close))[:n]

    def resolve_county(self, name: object, table: str | None = None) -> str:
        """Canonical county name, raising a :class:`MappingError` that names the table to edit."""
        county = self.county_name(name)
        if county is not None:
            return county
        key = normalise_text(name)
        where = table or str(self.sources.get("county_aliases", COUNTY_ALIASES_FILE))
        if key in self.ambiguous_county_aliases:
            options = self.county_options(name)
            raise MappingError(bi(f"县名 {name!r} 有歧义（可能是 {options}），请写全称或在 {where} 中添加别名",
                                  f"county name {name!r} is ambiguous ({options}); use the full name or add an alias to {where}"))
        near = self.county_suggestions(name)
        hint_zh = f"（最接近的：{'、'.join(near)}）" if near else ""
        hint_en = f" (closest: {', '.join(near)})" if near else ""
        raise MappingError(bi(f"未知县名 {name!r}{hint_zh}，请在 {where} 中添加别名，或在 counties.csv 中添加该县",
                              f"unknown county name {name!r}{hint_en}: add an alias to {where} or the county to counties.csv"))


def _read_csv(path: Path, required: list[str]) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise DataError(bi(f"缺少参考表 {path}", f"reference table {path} is missing")) from exc
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(bi(f"参考表 {path} 缺少列 {missing}", f"reference table {path} lacks columns {missing}"))
    return df


def _county_aliases(counties: pd.DataFrame, explicit: pd.DataFrame) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Alias map from the county table (name, short name, prefecture+name, name without 县/市/区).

    A generated alias that two counties share is ambiguous and left out (reported when met); explicit
    aliases of ``county_aliases.csv`` always win.  A historical name with its prefecture (邢台市桥西区, until
    2020) also makes its bare form (桥西区) a candidate, so that the bare name stays ambiguous where today's
    units elsewhere carry it.
    """
    candidates: dict[str, set[str]] = {}

    def add(alias: str, county: str) -> None:
        if alias:
            candidates.setdefault(normalise_text(alias), set()).add(county)

    for county, row in counties.iterrows():
        short, pref, prov = row["short_name"], row["prefecture"], row["province"]
        # Tables write the prefecture and province with or without 市/省 (石家庄灵寿县, 河北石家庄市灵寿县).
        prefs = {pref, re.sub(r"市$", "", pref)}
        provs = {"", prov, re.sub(r"省$", "", prov)}
        for alias in {county, short, prov + county} | {pv + pf + short for pv in provs for pf in prefs}:
            add(alias, county)
        stem = re.sub(r"(自治县|县|市|区)$", "", short)
        if len(stem) >= 2 and stem != short:
            add(stem, county)
    prefectures = sorted({p for pref in counties["prefecture"] for p in (pref, re.sub(r"市$", "", pref))},
                         key=len, reverse=True)
    for _, row in explicit.iterrows():
        if str(row.get("year", "") or "").strip():
            alias = normalise_text(row["alias"])
            for pref in prefectures:
                if alias.startswith(pref) and len(alias) > len(pref) + 1:
                    add(alias[len(pref):], row["county"])
                    break
    mapping = {a: next(iter(c)) for a, c in candidates.items() if len(c) == 1}
    ambiguous = {a: sorted(c) for a, c in candidates.items() if len(c) > 1}
    for _, row in explicit.iterrows():
        if row["county"] not in counties.index:
            raise DataError(bi(f"county_aliases.csv 中的别名 {row['alias']!r} 指向未知县 {row['county']!r}",
                               f"alias {row['alias']!r} in county_aliases.csv points to unknown county {row['county']!r}"))
        mapping[normalise_text(row["alias"])] = row["county"]
        ambiguous.pop(normalise_text(row["alias"]), None)
    return mapping, ambiguous


def load_catalogue(data_dir: str | Path | DataFolder | None = None) -> Catalogue:
    """Read the catalogue and its mapping tables from a data folder (bundled tables as fallback).

    Raises
    ------
    DataError
        If a table is missing, lacks a column, or is inconsistent (an alias pointing to an unknown code,
        a catalogue unit missing from ``units.csv``).
    """
    folder = data_dir if isinstance(data_dir, DataFolder) else data_folder(data_dir)
    return _load_catalogue_cached(folder)


@lru_cache(maxsize=8)
def _load_catalogue_cached(folder: DataFolder) -> Catalogue:
    paths = {
        "indicators": folder.reference(CATALOGUE_FILE),
        "units": folder.reference(UNITS_FILE),
        "indicator_aliases": folder.reference(INDICATOR_ALIASES_FILE),
        "county_aliases": folder.reference(COUNTY_ALIASES_FILE),
        "counties": folder.reference(COUNTIES_FILE),
        "departments": folder.reference(DEPARTMENTS_FILE),
        "ranges": folder.reference(RANGES_FILE),
    }
    ind = _read_csv(paths["indicators"], CATALOGUE_COLUMNS)
    units = _read_csv(paths["units"], ["unit", "dimension", "factor"])
    units["unit"] = units["unit"].map(normalise_text)
    units = units.set_index("unit")
    units["factor"] = units["factor"].astype(float)

    problems = []
    dup = ind["code"][ind["code"].duplicated()].tolist()
    if dup:
        problems.append(bi(f"指标代码重复：{dup}", f"duplicate indicator codes: {dup}"))
    bad_units = sorted(set(ind["unit"].map(normalise_text)) - set(units.index))
    if bad_units:
        problems.append(bi(f"指标目录中的单位 {bad_units} 不在 {paths['units']} 中",
                           f"catalogue units {bad_units} are missing from {paths['units']}"))
    bad_kinds = sorted(set(ind["kind"]) - set(KINDS))
    if bad_kinds:
        problems.append(bi(f"未知指标类型 {bad_kinds}（可选 {KINDS}）", f"unknown indicator kinds {bad_kinds} (choose from {KINDS})"))
    if problems:
        raise DataError(bi(f"指标目录 {paths['indicators']} 有误", f"catalogue {paths['indicators']} is invalid") + "\n" + "\n".join(problems))
    ind = ind.set_index("code")
    ind["dimension"] = ind["unit"].map(lambda u: units.at[normalise_text(u), "dimension"])

    alias_map: dict[str, str] = {}
    for code, row in ind.iterrows():
        for alias in (code, row["name_zh"], row["name_en"], split_unit(row["name_zh"])[0]):
            alias_map[normalise_text(alias)] = code
            alias_map[normalise_text(alias).lower()] = code
    aliases = _read_csv(paths["indicator_aliases"], ["alias", "code"])
    unknown = sorted(set(aliases["code"]) - set(ind.index))
    if unknown:
        raise DataError(bi(f"{paths['indicator_aliases']} 中的别名指向未知指标代码 {unknown}",
                           f"aliases in {paths['indicator_aliases']} point to unknown codes {unknown}"))
    for _, row in aliases.iterrows():
        alias_map[normalise_text(row["alias"])] = row["code"]

    counties = _read_csv(paths["counties"], ["county", "short_name", "prefecture", "province", "type"])
    repeated = sorted(set(counties.loc[counties["county"].duplicated(), "county"]))
    if repeated:
        raise DataError(bi(f"{paths['counties']} 中的县重复：{repeated}", f"counties listed twice in {paths['counties']}: {repeated}"))
    counties = counties.set_index("county")
    county_aliases = _read_csv(paths["county_aliases"], ["alias", "county"])
    cmap, ambiguous = _county_aliases(counties, county_aliases)
    history = {normalise_text(r["alias"]): (r["county"], int(r["year"]))
               for _, r in county_aliases.iterrows() if str(r.get("year", "") or "").strip().isdigit()}
    departments, groups = _departments(paths["departments"])
    ind["lead_unit_en"] = ind["lead_unit"].map(lambda u: departments.get(u, u))
    ind["responsible_units_en"] = ind["responsible_units"].fillna("").astype(str).map(
        lambda text: "; ".join(departments.get(u, u) for u in text.split("、") if u))
    return Catalogue(indicators=ind, units=units, counties=counties, indicator_alias_map=alias_map,
                     county_alias_map=cmap, ambiguous_county_aliases=ambiguous, county_history=history, sources=paths,
                     departments_en=departments, department_groups=frozenset(groups),
                     ranges=_ranges(paths["ranges"], set(ind.index)))


def _ranges(path: Path, codes: set[str]) -> dict[str, tuple[float, float]]:
    """``plausible_ranges.csv`` as code → (min, max) for the catalogue's codes; bad rows all reported at once."""
    if not path.exists():
        return {}
    df = _read_csv(path, ["code", "min", "max"])
    lo, hi = pd.to_numeric(df["min"], errors="coerce"), pd.to_numeric(df["max"], errors="coerce")
    bad = df.index[lo.isna() | hi.isna() | (lo > hi)]
    if len(bad):
        rows = ", ".join(f"{i + 2} ({df.at[i, 'code']}: {df.at[i, 'min']}–{df.at[i, 'max']})" for i in bad)
        raise DataError(bi(f"合理范围表 {path} 中这些行的 min/max 不是数字或 min 大于 max：{rows}",
                           f"in the range table {path}, min/max of these rows are not numbers or min exceeds max: {rows}"))
    return {c: (float(a), float(b)) for c, a, b in zip(df["code"], lo, hi) if c in codes}


def _departments(path: Path) -> tuple[dict[str, str], set[str]]:
    """``departments.csv`` as name → English name, and the names its ``group`` column marks ``yes`` (a group of
    units such as 科技创新工作领导小组成员单位: named in English, never sent a form); every empty or repeated name
    is reported at once."""
    df = _read_csv(path, ["name", "name_en"])
    problems = [bi(f"第 {i + 2} 行：name 为空", f"row {i + 2}: empty name") for i in df.index[df["name"].str.strip() == ""]]
    problems += [bi(f"第 {i + 2} 行：{df.at[i, 'name']} 的 name_en 为空", f"row {i + 2}: empty name_en for {df.at[i, 'name']}")
                 for i in df.index[(df["name_en"].str.strip() == "") & (df["name"].str.strip() != "")]]
    problems += [bi(f"第 {i + 2} 行：部门 {df.at[i, 'name']} 重复", f"row {i + 2}: department {df.at[i, 'name']} repeated")
                 for i in df.index[df["name"].duplicated()]]
    if problems:
        raise DataError(bi(f"部门表 {path} 有误", f"department table {path} is invalid") + "\n" + "\n".join(problems))
    names = dict(zip(df["name"].str.strip(), df["name_en"].str.strip()))
    groups = set(df.loc[df["group"].str.strip().str.lower() == "yes", "name"].str.strip()) if "group" in df.columns else set()
    return names, groups
