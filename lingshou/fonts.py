"""Where the bundled Chinese font is: Noto Sans CJK from the pip package ``noto-cjk[sans]``.

Kept apart from :mod:`lingshou.plots` so that typesetting the PDF does not import matplotlib (0.5 s).
"""
from __future__ import annotations

from pathlib import Path


def font_path() -> Path | None:
    """Path of the bundled Noto Sans CJK collection, or ``None`` if the package is missing."""
    try:
        from noto_cjk import otc_path
    except ImportError:
        return None
    p = Path(otc_path("sans"))
    return p if p.exists() else None
