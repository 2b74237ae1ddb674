"""Bilingual text helpers: Chinese first, English available through ``lang``."""
from __future__ import annotations

from lingshou.config import LANGS
from lingshou.errors import ParameterError


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported language code, else raise.

    Raises
    ------
    ParameterError
        If ``lang`` is not ``'zh'`` or ``'en'``.
    """
    if lang not in LANGS:
        raise ParameterError(f"不支持的语言 lang={lang!r}，可选 {LANGS} / unsupported lang={lang!r}, choose one of {LANGS}")
    return lang


def bi(zh: str, en: str) -> str:
    """A bilingual message, ``"中文 / English"`` (the house style of every error and warning)."""
    return f"{zh} / {en}"


def pick(lang: str, zh: str, en: str) -> str:
    """The text in the requested language."""
    return zh if check_lang(lang) == "zh" else en


def count_list(counts, unit_zh: str, lang: str, spaced: bool = False) -> str:
    """Counts as words, the zeros left out: ``达标12项、落后6项`` / ``12 met, 6 behind``.

    ``counts`` is a sequence of ``(zh label, en label, n)``; with every count zero the text is ``无`` / ``none``.
    ``spaced`` writes the Chinese with spaces around the number (``公开发布 1 个``).
    """
    check_lang(lang)
    shown = [(zh, en, int(n)) for zh, en, n in counts if int(n)]
    if not shown:
        return pick(lang, "无", "none")
    if lang == "zh":
        return "、".join(f"{zh} {n} {unit_zh}" if spaced else f"{zh}{n}{unit_zh}" for zh, _en, n in shown)
    return ", ".join(f"{n} {en}" for _zh, en, n in shown)


#: Units in English, one way everywhere: as a table's unit cell, and (:func:`unit_in_text`) after a number in prose,
#: where counts (家, 个, 件, 项) need no unit.  A unit not listed is kept as written.
UNIT_EN = {"万元": "×10k yuan", "元": "yuan", "千元": "×1k yuan", "百万元": "million yuan", "亿元": "×100m yuan",
           "家": "count", "个": "count", "件": "count", "项": "count", "人": "people", "万人": "×10k people",
           "件/万人": "per 10k residents", "家/千家": "per 1,000 firms", "个/千家": "per 1,000 firms", "分": "points",
           "%": "%", "万亿元": "trillion yuan", "千人": "×1k people", "‰": "‰", "小数": "a fraction"}
_COUNT_UNITS = ("家", "个", "件", "项")


def unit_label(unit, lang: str) -> str:
    """A unit as a table cell in ``lang``: ``万元`` / ``×10k yuan``, ``家`` / ``count``."""
    if check_lang(lang) == "zh" or not isinstance(unit, str):
        return unit
    return UNIT_EN.get(unit.strip(), unit)


def unit_in_text(unit: str, lang: str) -> str:
    """A unit as written after a number in prose: ``万元`` / ``×10k yuan``; counts without a unit in English."""
    if check_lang(lang) == "zh":
        return unit
    return "" if unit in _COUNT_UNITS else UNIT_EN.get(unit, unit)
