"""Reading the suite's YAML files (plan, model, composite spec) with clear bilingual errors."""
from __future__ import annotations

from pathlib import Path

import yaml

from lingshou.errors import ParameterError
from lingshou.i18n import bi


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
