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
