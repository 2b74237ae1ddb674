"""Reading statistics as bureaux really deliver them.

:func:`read_records` turns one CSV or XLSX file into *records* (each sheet through
:func:`lingshou.data.sheet.sheet_records`): one row per value cell with its position
(file, sheet, row, column) and the raw county, year, indicator, unit, status and source texts found for
it.  It copes with

- CSV in UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16 (Excel's "Unicode text"); XLSX and old XLS with
  several sheets and merged cells (:mod:`lingshou.data.workbook`), whatever their name says they are;
- long tables (one value per row), wide tables with years as columns (``2021`` / ``2021年``; the corner
  cell may be empty or split by a diagonal, ``指标＼年份``), yearbook tables with indicators as columns
  (one row per county) and county-by-year tables of one indicator named in the title;
- title, unit and note rows above or below the header, a units row under the header;
- units in the indicator name (``(万元)``), in a unit column (with or without a header), in a units row
  or in the title (``单位：亿元``); percentage-formatted workbook cells;
- aggregate rows (合计, 全市), group headings and notes under the table (skipped and reported).

Nothing is dropped silently: a column that is not read, a cell outside the table's columns, a workbook
formula without a calculated value are all reported as problems.

:func:`load_statistics` reads files or folders, normalises the records (names, numbers, units) and
validates them (both in :mod:`lingshou.data.validate`), returning one tidy table.
"""
from __future__ import annotations

import codecs
import csv
import io as _io
from pathlib import Path

import pandas as pd
import yaml

from lingshou.data.catalogue import Catalogue
from lingshou.data.numbers import parse_year
from lingshou.data.problems import Problem, problem
from lingshou.data.headers import SIMPLIFIED_WORDS, TRADITIONAL
from lingshou.data.sheet import RECORD_COLUMNS, FileContext, Sheet, sheet_records
from lingshou.data.workbook import read_xls, read_xlsx, sniff
from lingshou.errors import DataError
from lingshou.i18n import bi
from lingshou.yamlfile import read_yaml

DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")
IGNORED_SUFFIXES = (".md", ".yaml", ".yml", ".json")  # data cards and notes beside the data
CARD_SUFFIX = ".card.yaml"


# --------------------------------------------------------------------------------------------- files
def read_card(path: Path) -> dict:
    """The data card of a data file (``<stem>.card.yaml`` beside it), or ``{}``."""
    card = path.with_name(path.stem + CARD_SUFFIX)
    if not card.exists():
        return {}
    data = read_yaml(card, "数据卡片", "data card", invalid=DataError) or {}
    if not isinstance(data, dict):
        raise DataError(bi(f"数据卡片 {card} 不是键值表", f"data card {card} is not a mapping"))
    return data


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-16 with its BOM (Excel's "Unicode text" export), UTF-8 (with or without BOM),
    Big5 where the bytes read as traditional Chinese and not as a simplified table, else GB18030 (a superset
    of GBK and GB2312).

    Returns the text and the encoding used.  Raises ``UnicodeDecodeError`` if none fits.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Big5 (traditional Chinese, Taiwan/Hong Kong exports) also decodes as GB18030, into nonsense: where the
    # Big5 reading holds traditional characters and the GB18030 one none of the simplified words a table has,
    # it is Big5 (the sheet then says its headers are traditional, see lingshou.data.sheet).
    try:
        big5 = raw.decode("big5")
    except UnicodeDecodeError:
        big5 = None
    gb = raw.decode("gb18030")
    if big5 is not None and TRADITIONAL.search(big5) and not SIMPLIFIED_WORDS.search(gb):
        return big5, "big5"
    return gb, "gb18030"


def _read_csv_grid(path: Path) -> tuple[list[list[object]], str]:
    """The cells of a CSV file and the encoding it was read in."""
    text, encoding = decode_text(path.read_bytes())
    return [list(r) for r in csv.reader(_io.StringIO(text), delimiter=_delimiter(text, path))], encoding


def _delimiter(text: str, path: Path) -> str:
    """The field separator: what :class:`csv.Sniffer` finds, unless another candidate separates more of the
    first 50 lines — a title row without separators above a tab-separated table (Excel's "Unicode text"
    export) makes the sniffer fail or guess wrong."""
    lines = [line for line in text[:8192].splitlines()[:50] if line.strip()]
    counts = {d: sum(d in line for line in lines) for d in (",", "\t", ";")}
    try:
        sniffed = csv.Sniffer().sniff(text[:4096], delimiters=",\t;").delimiter
    except csv.Error:
        sniffed = "\t" if path.suffix.lower() == ".tsv" else ","
    best = max(counts, key=lambda d: (counts[d], d == sniffed))
    return sniffed if counts[sniffed] >= counts[best] else best


#: Formats a file named .csv may really be, by its first bytes (a binary file is never decoded as text).
BINARY_SIGNATURES = {b"\x89PNG": "PNG 图片 / PNG image", b"%PDF": "PDF", b"\xff\xd8\xff": "JPEG 图片 / JPEG image",
                     b"GIF8": "GIF 图片 / GIF image", b"Rar!": "RAR", b"7z\xbc\xaf": "7z"}
_SUFFIX_OF = {"xlsx": ".xlsx", "xls": ".xls"}


def _binary_kind(path: Path) -> str | None:
    """What a file that should be text really is, when its first bytes say it is binary; else ``None``."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    named = next((kind for sig, kind in BINARY_SIGNATURES.items() if head.startswith(sig)), None)
    return named or ("二进制文件 / binary file" if b"\x00" in head else None)


def _grids(path: Path, suffix: str) -> tuple[list[Sheet], list[Problem]]:
    """The sheets of a file by what its bytes are (a workbook saved as .csv or an .xls renamed .xlsx is read
    as what it is, with a note), else by its name."""
    kind = sniff(path)
    notes = []
    if kind is not None and _SUFFIX_OF[kind] != suffix and not (kind == "xlsx" and suffix == ".xlsm"):
        notes.append(problem("info", "real_format", f"文件名为 {suffix}，内容实为 {_SUFFIX_OF[kind]} 工作簿，已按工作簿读取",
                             f"the file is named {suffix} but is an {_SUFFIX_OF[kind]} workbook; it was read as one",
                             file=path))
    if kind == "xlsx" or (kind is None and suffix in (".xlsx", ".xlsm")):
        grids, more = read_xlsx(path)
    elif kind == "xls" or (kind is None and suffix == ".xls"):
        try:
            grids, more = read_xls(path)
        except Exception as exc:  # xlrd's own words name the record, not what to do
            return [], [problem("error", "unreadable", f"无法读取旧版 Excel 文件（.xls）：{exc}；文件可能已损坏，可在 Excel 或 WPS "
                                "中打开后另存为 .xlsx", f"cannot read the old Excel (.xls) file: {exc}; it may be damaged — "
                                "open it in Excel or WPS and save it as .xlsx", file=path)]
    else:
        binary = _binary_kind(path)
        if binary is not None:
            return [], [problem("error", "format", f"文件不是文本表格，而是 {binary}；请提供 CSV 或 Excel 文件",
                                f"the file is not a text table but {binary}; send a CSV or Excel file", file=path)]
        grid, encoding = _read_csv_grid(path)
        said = [problem("warning", "encoding", "文件为 Big5 编码（繁体中文），已按 Big5 读取；请另存为 UTF-8",
                        "the file is Big5-encoded (traditional Chinese) and was read as such; save it as UTF-8",
                        file=path)] if encoding == "big5" else []
        return [Sheet(str(path), "", grid)], said
    return [Sheet(str(path), name, grid) for name, grid in grids], notes + more


def read_sheets(path: Path) -> tuple[list[Sheet], list[Problem]]:
    """Read the cell grids of a data file.  Unreadable files become problems, not exceptions."""
    suffix = path.suffix.lower()
    if suffix not in DATA_SUFFIXES:
        return [], [problem("error", "format", f"不支持的文件类型 {suffix}（支持 {', '.join(DATA_SUFFIXES)}）",
                            f"unsupported file type {suffix} (supported: {', '.join(DATA_SUFFIXES)})", file=path)]
    try:
        return _grids(path, suffix)
    except csv.Error as exc:
        if "new-line character" in str(exc):
            # a bare carriage return (or a terminal control sequence ending in one) inside an unquoted field
            return [], [problem("error", "format", "CSV 的某个单元格中有回车符或控制字符且没有加引号，无法分行；请删去单元格中的"
                                "换行和控制字符，或在 Excel 中另存为“CSV UTF-8”", "a cell of the CSV holds a carriage return or a "
                                "control character without quotes, so its rows cannot be told apart; remove line breaks and "
                                "control characters from the cells, or save it from Excel as \"CSV UTF-8\"", file=path)]
        return [], [problem("error", "format", f"CSV 格式有误：{exc}", f"the CSV is malformed: {exc}", file=path)]
    except UnicodeDecodeError:
        return [], [problem("error", "encoding", "文件编码无法识别（支持 UTF-8、UTF-8 BOM、GB18030/GBK），请另存为 UTF-8",
                            "cannot decode the file (UTF-8, UTF-8 with BOM, GB18030/GBK are supported); save it as UTF-8",
                            file=path)]
    except Exception as exc:  # a corrupt workbook must not stop the other files from being checked
        return [], [problem("error", "unreadable", f"无法读取文件：{exc}", f"cannot read the file: {exc}", file=path)]


def list_data_files(paths) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders into the data files to read (sorted), reporting what is skipped."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    probs: list[Problem] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or f.name.startswith((".", "~$")):
                    continue
                if f.suffix.lower() in DATA_SUFFIXES:
                    files.append(f)
                elif f.suffix.lower() not in IGNORED_SUFFIXES:
                    probs.append(problem("warning", "skipped_file", "非数据文件，已跳过", "not a data file, skipped", file=f))
        elif p.is_file():
            files.append(p)
        else:
            probs.append(problem("error", "missing_file", "文件或文件夹不存在", "file or folder does not exist", file=p))
    return files, probs


def read_records(path: str | Path, cat: Catalogue, county: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Records of every sheet of one data file, with the file's card and ``county=`` applied."""
    path = Path(path)
    card = {}
    probs: list[Problem] = []
    empty = pd.DataFrame(columns=RECORD_COLUMNS + ["default_status", "default_source"])
    try:
        card = read_card(path)
    except (DataError, yaml.YAMLError) as exc:
        # The card may say the file is illustrative: without it the values would pass as published.
        zh, en = getattr(exc, "zh", str(exc)), getattr(exc, "en", str(exc))
        probs.append(problem("error", "card", f"数据卡片无法读取，文件未读取：{zh}", f"cannot read the data card, so the file "
                             f"was not read: {en}", file=path))
        return empty, probs
    ctx = FileContext(county=county or card.get("county"), prefecture=card.get("prefecture"), status=card.get("status"),
                      source=card.get("source") or card.get("publisher"), card=card)
    if card.get("year") is not None:
        ctx.year = parse_year(card["year"])
        if ctx.year is None:
            probs.append(problem("error", "card", "数据卡片中的年份无法识别（应为如 2022），文件未读取",
                                 "cannot read the year of the data card (expected e.g. 2022), so the file was not read",
                                 file=path.with_name(path.stem + CARD_SUFFIX), column="year", value=card["year"]))
            return empty, probs
    sheets, read_probs = read_sheets(path)
    probs += read_probs
    frames = []
    for sheet in sheets:
        recs, sp = sheet_records(sheet, cat, ctx)
        probs += sp
        if not recs.empty:
            frames.append(recs)
    if not frames:
        if not probs and sheets:
            probs.append(problem("warning", "empty", "文件中没有数据", "the file holds no data", file=path))
        return empty, probs
    records = pd.concat(frames, ignore_index=True)
    records["default_status"] = ctx.status or ""
    records["default_source"] = ctx.source or path.name
    return records, probs
