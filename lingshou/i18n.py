"""Bilingual text helpers: Chinese first, English available through ``lang``.

One text in both languages is a :class:`Text`; a module's long prose lives as data beside it, a YAML file of
``key: {zh: …, en: …}`` read by :func:`lingshou.yamlfile.load_phrases`, which checks that both languages have
every key and the same placeholders.
"""
from __future__ import annotations

from typing import NamedTuple

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


class Text(NamedTuple):
    """One text in both languages, Chinese first.

    A tuple ``(zh, en)``, so it unpacks and indexes as the pairs it replaces; ``str()`` gives the house style of
    every message, ``"中文 / English"``.
    """

    zh: str
    en: str

    @classmethod
    def of(cls, text, *args) -> "Text":
        """``text(*args, lang)`` for both languages: ``Text.of(pct, 0.35)`` → ``Text("35%", "35 %")``."""
        return cls(text(*args, "zh"), text(*args, "en"))

    def pick(self, lang: str) -> str:
        """The text in ``lang`` (``'zh'`` or ``'en'``)."""
        return self.zh if check_lang(lang) == "zh" else self.en

    def format(self, **values) -> "Text":
        """Both languages with their ``{placeholders}`` filled from ``values`` (as :meth:`str.format`); a value
        that is itself a :class:`Text` fills each language with its own half."""
        def filled(lang: str, template: str) -> str:
            return template.format(**{k: v.pick(lang) if isinstance(v, Text) else v for k, v in values.items()})
        return Text(filled("zh", self.zh), filled("en", self.en))

    def join(self, items) -> "Text":
        """The texts ``items`` joined, each language by its own half of this separator: ``Text("、", ", ")``."""
        items = list(items)
        return Text(self.zh.join(t.zh for t in items), self.en.join(t.en for t in items))

    def both(self) -> dict:
        """``{"zh": …, "en": …}``, the shape of a summary's texts."""
        return {"zh": self.zh, "en": self.en}

    def __add__(self, other):
        """Texts concatenate language by language (not as tuples): ``Text("甲", "A") + Text("。", ".")``."""
        if isinstance(other, Text):
            return Text(self.zh + other.zh, self.en + other.en)
        return NotImplemented

    def __str__(self) -> str:
        return bi(self.zh, self.en)


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
