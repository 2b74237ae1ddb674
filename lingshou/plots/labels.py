"""The words of the figures — titles, axis labels, legend entries, notes — are data: ``labels.yaml`` beside
this module holds each in Chinese and English with the same placeholders (checked when read, as every
phrase file is: :func:`lingshou.yamlfile.load_phrases`).
"""
from __future__ import annotations

from lingshou.i18n import check_lang
from lingshou.yamlfile import load_phrases

#: ``key -> Text`` (labels.yaml).
LABELS = load_phrases(__file__)


def label(key: str, lang: str, **values) -> str:
    """The figure label ``key`` in ``lang``, its placeholders filled from ``values``."""
    return LABELS[key].format(**values).pick(check_lang(lang))
