"""Among whom: the peer set of the benchmarking (the province, the county's prefecture, or a list) and its ranks.

The plan's 2025 goal ("在全省位居中上游位次") is a rank among the province's evaluated units, and the grades are
the province's; a prefecture's 科技局 also wants the rank within its own 市.  :func:`choose_peers` picks the
peers by name — ``"province"`` (default: every unit of the data; said to be the province only when the data
hold every evaluated unit of the register), ``"prefecture"`` (the units of the county's prefecture) or a CSV
file listing counties — and :func:`lens_columns` adds the rank within the county's prefecture to every row of
the benchmarking table, so that every rank in tables, prose and figures says among whom.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lingshou.errors import ParameterError
from lingshou.i18n import bi

PEER_CHOICES = ("province", "prefecture")


@dataclass(frozen=True)
class PeerSet:
    """The peers of one benchmarking run.

    Attributes
    ----------
    kind : str
        ``"province"``, ``"prefecture"`` or ``"file"``.
    counties : tuple of str
        Canonical names, in the order of the data.
    label : dict
        ``{"zh": "全省167个县（市、区）", "en": "the province's 167 counties"}`` — the words every rank uses.
    whole_province : bool
        True when the peers are every evaluated unit of the province's register.
    """

    kind: str
    counties: tuple
    label: dict
    whole_province: bool

    @property
    def n(self) -> int:
        return len(self.counties)


def prefecture_of(county: str, catalogue) -> str:
    """The county's prefecture from the register ('' when the register has none)."""
    counties = catalogue.counties
    return str(counties.at[county, "prefecture"]) if county in counties.index else ""


def prefecture_label(prefecture: str, n: int) -> dict:
    return {"zh": f"{prefecture}{n}个县（市、区）", "en": f"the {n} counties of {prefecture}"}


def choose_peers(available, county: str, catalogue, peers: str = "province") -> PeerSet:
    """The peer set of ``county`` among the ``available`` counties (those the data can score).

    Parameters
    ----------
    available : iterable of str
        Canonical names of the counties with data (e.g. the index of the wide table).
    county : str
        Canonical name; always one of the peers.
    catalogue : lingshou.data.catalogue.Catalogue
    peers : {"province", "prefecture"} or path
        A path names a CSV file with a ``county`` (or 县) column listing the peers (any name variant).

    Raises
    ------
    ParameterError
        An unknown choice, a missing or unreadable file, names the register does not know, or a peer set
        without the county.
    """
    available = list(dict.fromkeys(available))
    if county not in available:
        raise ParameterError(bi(f"{county} 不在可比较的县中", f"{county} is not among the counties that can be scored"))
    if peers == "province":
        evaluated = set(catalogue.evaluated_counties())
        whole = evaluated <= set(available)
        chosen = [c for c in available if c in evaluated] if whole else available
        n = len(chosen)
        label = ({"zh": f"全省{n}个县（市、区）", "en": f"the province's {n} counties"} if whole else
                 {"zh": f"数据中的{n}个县（市、区）（不是全省）", "en": f"the {n} counties in the data (not the whole province)"})
        return PeerSet("province", tuple(chosen), label, whole)
    if peers == "prefecture":
        pref = prefecture_of(county, catalogue)
        chosen = [c for c in available if prefecture_of(c, catalogue) == pref] if pref else [county]
        return PeerSet("prefecture", tuple(chosen), prefecture_label(pref, len(chosen)), False)
    if not isinstance(peers, (str, Path)) or not Path(peers).is_file():
        raise ParameterError(bi(f"peers 应为 {' 或 '.join(PEER_CHOICES)} 或一个县名列表文件，实际为 {peers!r}",
                                f"peers must be {' or '.join(PEER_CHOICES)} or a file listing counties, got {peers!r}"))
    return _peers_from_file(Path(peers), available, county, catalogue)


def _peers_from_file(path: Path, available: list, county: str, catalogue) -> PeerSet:
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    column = next((c for c in ("county", "县", "县(市、区)", "县（市、区）") if c in table.columns), None)
    if column is None:
        raise ParameterError(bi(f"{path}：没有 county（县）列", f"{path}: no county column"))
    names = [n.strip() for n in table[column] if n.strip()]
    resolved = {n: catalogue.county_name(n) for n in names}
    unknown = [n for n, c in resolved.items() if c is None]
    if unknown:
        raise ParameterError(bi(f"{path}：未知县名 {unknown}", f"{path}: unknown county names {unknown}"))
    without_data = sorted({c for c in resolved.values()} - set(available))
    if without_data:
        raise ParameterError(bi(f"{path}：这些县在该年没有可评分的数据 {without_data}",
                                f"{path}: these counties have no data to score in that year {without_data}"))
    chosen = [c for c in available if c in set(resolved.values())]
    if county not in chosen:
        raise ParameterError(bi(f"{path} 没有列出 {county}", f"{path} does not list {county}"))
    label = {"zh": f"{path.stem}中的{len(chosen)}个县（市、区）", "en": f"the {len(chosen)} counties of {path.stem}"}
    return PeerSet("file", tuple(chosen), label, False)


def lens_columns(table: pd.DataFrame, catalogue, peer_set: PeerSet) -> pd.DataFrame:
    """The benchmarking table with the columns that say among whom each rank is.

    Adds ``n_counties`` and ``peers_zh`` / ``peers_en`` (the peer set), ``prefecture``, ``prefecture_rank``
    (rank by score among the peers of the same prefecture; ties share the lower number) and
    ``prefecture_n``.
    """
    out = table.copy()
    out["n_counties"] = peer_set.n
    out["peers_zh"], out["peers_en"] = peer_set.label["zh"], peer_set.label["en"]
    out["prefecture"] = [prefecture_of(c, catalogue) for c in out["county"]]
    out["prefecture_rank"] = (out.groupby("prefecture")["score"].rank(ascending=False, method="min")
                              .astype(int))
    out["prefecture_n"] = out.groupby("prefecture")["county"].transform("size").astype(int)
    return out


def rank_phrase(rank, label: dict, lang: str) -> str:
    """"全省167个县（市、区）中第19位" / "19th of the province's 167 counties"."""
    r = f"{float(rank):g}"
    return f"{label['zh']}中第{r}位" if lang == "zh" else f"rank {r} of {label['en']}"


def prefecture_table(table: pd.DataFrame, county: str) -> pd.DataFrame:
    """The rows of ``table`` (with :func:`lens_columns`) of the county's prefecture, by rank within it."""
    mine = table.loc[table["county"] == county, "prefecture"]
    if mine.empty:
        raise ParameterError(bi(f"{county} 不在对标表中", f"{county} is not in the benchmarking table"))
    rows = table[table["prefecture"] == mine.iloc[0]]
    return rows.sort_values(["prefecture_rank", "county"], kind="stable").reset_index(drop=True)
