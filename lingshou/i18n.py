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
