"""Reading the suite's YAML files (plan, model, composite spec, the phrases of a module's prose) with clear
bilingual errors."""
from __future__ import annotations

import functools
import string
from pathlib import Path

import yaml

from lingshou.errors import ParameterError
from lingshou.i18n import Text, bi


#: libyaml's safe loader when PyYAML has it (ten times faster: a plan file took 0.19 s in Python), else PyYAML's own.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Largest YAML file read (the bundled plan is 40 KB, the model 12 KB): a bigger one is not a parameter file.
MAX_YAML_BYTES = 2_000_000
#: Longest part of a parser's message shown (it may quote the file).
MAX_DETAIL = 300


def _refused(invalid: type[Exception], zh: str, en: str) -> Exception:
    """``invalid`` with the bilingual message, its two halves kept as ``zh`` and ``en`` (for problem lists)."""
    exc = invalid(bi(zh, en))
    exc.zh, exc.en = zh, en
    return exc


def _detail(exc: Exception) -> str:
    text = " ".join(str(exc).split())  # one line: where and what, as PyYAML says it
    return text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL] + " …"


def parse_yaml(text: str, path, what_zh: str, what_en: str, invalid: type[Exception] = ParameterError):
    """What a YAML text holds, refusing aliases (``&a`` … ``*a``) and texts over :data:`MAX_YAML_BYTES`.

    No file of the suite needs an alias, and aliases are how a 539-byte "billion laughs" file expands to
    gigabytes; they are refused before anything is built.

    Raises
    ------
    invalid
        Too large, an alias, or not valid YAML (the message says where, in one bounded line).
    """
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise _refused(invalid, f"{what_zh} {path} 超过 {MAX_YAML_BYTES // 1_000_000} MB，不予读取",
                       f"{what_en} {path} is over {MAX_YAML_BYTES // 1_000_000} MB and was not read")
    try:
        for event in yaml.parse(text, Loader=SAFE_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                raise _refused(invalid, f"{what_zh} {path} 第 {mark.line + 1} 行使用了 YAML 锚点或别名（&、*），不予读取；请直接写出数值",
                               f"{what_en} {path} uses a YAML anchor or alias (&, *) at line {mark.line + 1}, which is "
                               "not accepted; write the values out")
        return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader, C or Python
    except yaml.YAMLError as exc:
        raise _refused(invalid, f"{what_zh} {path} 不是有效的 YAML：{_detail(exc)}",
                       f"{what_en} {path} is not valid YAML: {_detail(exc)}") from None


def read_yaml(path, what_zh: str, what_en: str, invalid: type[Exception] = ParameterError):
    """What a YAML file holds (any type).

    Raises
    ------
    ParameterError
        If the file does not exist.
    invalid
        If it is not valid YAML (the message says where, in one line, as PyYAML does), not UTF-8, too
        large, or uses an alias (see :func:`parse_yaml`).
    """
    path = Path(path)
    if not path.is_file():
        raise ParameterError(bi(f"{what_zh}不存在：{path}", f"{what_en} does not exist: {path}"))
    if path.stat().st_size > MAX_YAML_BYTES:
        raise _refused(invalid, f"{what_zh} {path} 超过 {MAX_YAML_BYTES // 1_000_000} MB，不予读取",
                       f"{what_en} {path} is over {MAX_YAML_BYTES // 1_000_000} MB and was not read")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _refused(invalid, f"{what_zh} {path} 不是 UTF-8 文本", f"{what_en} {path} is not UTF-8 text") from None
    return parse_yaml(text, path, what_zh, what_en, invalid)


def read_mapping(path, what_zh: str, what_en: str) -> dict:
    """The mapping a YAML file holds.

    Parameters
    ----------
    path : path-like
    what_zh, what_en : str
        What the file is, for the messages (e.g. ``"评价模型文件"``, ``"model file"``).

    Raises
    ------
    ParameterError
        If the file does not exist, is not valid YAML, or does not hold a mapping.
    """
    content = read_yaml(path, what_zh, what_en)
    if not isinstance(content, dict):
        raise ParameterError(bi(f"{what_zh} {path} 的内容不是映射", f"{what_en} {path} does not hold a mapping"))
    return content


def _placeholders(template: str) -> set[str]:
    """The names a ``str.format`` template fills: ``"{score:.1f}分"`` → ``{"score"}``.

    Raises
    ------
    ValueError
        If the template's braces do not pair (as :meth:`string.Formatter.parse` says).
    """
    names = set()
    for _literal, field, _spec, _conversion in string.Formatter().parse(template):
        if field is not None:
            names.add(field.split(".")[0].split("[")[0])
    return names


def _phrase_problems(key, entry) -> list[str]:
    """What is wrong with one phrase entry, in the words of the messages (empty when nothing is)."""
    if not isinstance(entry, dict):
        return [f"{key!r}: 应为含 zh 与 en 的映射 / must be a mapping with zh and en"]
    if set(entry) - {"omit"} != {"zh", "en"}:
        return [f"{key!r}: 键应为 zh 与 en（可另有 omit），实为 {sorted(map(str, entry))} / keys must be zh and en "
                f"(and omit), got {sorted(map(str, entry))}"]
    if not all(isinstance(entry[lang], str) for lang in ("zh", "en")):
        return [f"{key!r}: zh 与 en 都应为文字 / zh and en must both be text"]
    omit = entry.get("omit", [])
    if not isinstance(omit, list) or not all(isinstance(name, str) for name in omit):
        return [f"{key!r}: omit 应为占位符名称的列表 / omit must be a list of placeholder names"]
    try:
        zh, en = _placeholders(entry["zh"]), _placeholders(entry["en"])
    except ValueError as exc:
        return [f"{key!r}: 花括号不成对（{exc}）/ unpaired braces ({exc})"]
    if (zh ^ en) != set(omit):
        return [f"{key!r}: 两种语言的占位符不同：zh {sorted(zh)}，en {sorted(en)}，omit {sorted(omit)}（只有一种语言用的"
                f"占位符须列在 omit 中）/ the languages' placeholders differ: zh {sorted(zh)}, en {sorted(en)}, omit "
                f"{sorted(omit)} (a placeholder only one language uses must be listed in omit)"]
    return []


def parse_phrases(content, path) -> dict[str, Text]:
    """The phrases a phrase file holds, every problem of the file reported at once.

    Parameters
    ----------
    content
        What the YAML file holds: a mapping of ``key: {zh: …, en: …}``.
    path
        The file, for the messages.

    Raises
    ------
    ParameterError
        If the content is not a mapping, or an entry is not a mapping of exactly ``zh`` and ``en`` texts whose
        ``{placeholders}`` are the same names in both languages (a key missing in one language is caught here);
        a placeholder that one language leaves out (Chinese needs no count where English says "3 pillars") is
        listed in the entry's ``omit``.
    """
    if not isinstance(content, dict) or not content:
        raise ParameterError(bi(f"文字文件 {path} 应为非空映射（键: {{zh: …, en: …}}）",
                                f"phrase file {path} must be a non-empty mapping (key: {{zh: …, en: …}})"))
    problems = [p for key, entry in content.items() for p in _phrase_problems(key, entry)]
    if problems:
        raise ParameterError(f"文字文件 {path} 有 {len(problems)} 处问题 / phrase file {path} has {len(problems)} "
                             "problem(s):\n" + "\n".join(f"  - {p}" for p in problems))
    return {str(key): Text(entry["zh"], entry["en"]) for key, entry in content.items()}


@functools.lru_cache(maxsize=None)
def _phrase_file(path: Path) -> dict[str, Text]:
    return parse_phrases(read_yaml(path, "文字文件", "phrase file"), path)


def load_phrases(module_file) -> dict[str, Text]:
    """The phrases of a module's prose, from the YAML file beside it (``wording.py`` → ``wording.yaml``).

    Read once per process and checked by :func:`parse_phrases`; a copy is returned, so callers cannot change
    what the next caller reads.

    Raises
    ------
    ParameterError
        If the file does not exist or fails :func:`parse_phrases`.
    """
    return dict(_phrase_file(Path(module_file).with_suffix(".yaml").resolve()))
