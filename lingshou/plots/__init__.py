"""Figures: shared style (Chinese fonts, status colours, the illustrative-data mark) and helpers.

House style: plot functions take data and ``ax=None`` and return the figure; saving is the caller's job
(:func:`save_figure` writes a PNG at 200 dpi).  Chinese text uses Noto Sans CJK from the pip package
``noto-cjk[sans]`` (no system font, no download; identical on Linux, Windows and macOS).

May import: ``lingshou.analysis``, ``lingshou.evaluation``, ``lingshou.data`` and the foundation modules —
never ``lingshou.report`` (the report saves what the notebooks drew).
"""
from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib import font_manager as fm

from lingshou.config import STATUS_LABELS
from lingshou.fonts import font_path
from lingshou.i18n import check_lang
from lingshou.plots.labels import label

#: Font families tried in order; the first two come from the pip package (SC face on matplotlib ≥ 3.11).
FONT_FALLBACK = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Microsoft YaHei", "SimHei", "PingFang SC",
                 "Heiti SC", "WenQuanYi Zen Hei", "DejaVu Sans"]
DPI = 200
#: zlib level of the PNG files: 1 instead of Pillow's 6 saves about a quarter of the time a figure takes to
#: save (0.1 s of 0.4 s for the data-status matrix) for files about 5 % larger.
PNG_COMPRESSION = 1
#: Status colours (达标 met, 接近 close, 落后 behind, 无数据 no data) — colour-blind-safe (Okabe–Ito).
STATUS_COLOURS = {"met": "#009E73", "close": "#E69F00", "behind": "#D55E00", "no_data": "#999999"}
GRADE_COLOURS = {"A": "#009E73", "B": "#56B4E9", "C": "#D55E00"}
HIGHLIGHT = "#CC79A7"
NEUTRAL = "#0072B2"

_font_ready = False


def setup_fonts() -> str:
    """Register Noto Sans CJK with matplotlib and set the house style; returns the family in use.

    Safe to call repeatedly (registration happens once per process).
    """
    global _font_ready
    if not _font_ready:
        path = font_path()
        if path is not None:
            fm.fontManager.addfont(str(path))
        _font_ready = True
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = FONT_FALLBACK
    mpl.rcParams["axes.unicode_minus"] = False  # CJK fonts lack U+2212
    mpl.rcParams["figure.dpi"] = 100
    mpl.rcParams["savefig.dpi"] = DPI
    mpl.rcParams["axes.spines.top"] = False
    mpl.rcParams["axes.spines.right"] = False
    mpl.rcParams["axes.grid"] = True
    mpl.rcParams["grid.alpha"] = 0.3
    mpl.rcParams["axes.titleweight"] = "normal"  # the bundled CJK face has no bold weight
    mpl.rcParams["svg.hashsalt"] = "lingshou"
    return fm.FontProperties(family=FONT_FALLBACK).get_name()


def new_axes(ax=None, figsize=(8, 4.5)):
    """``(fig, ax)``: the given axes and its figure, or a new figure in the house style."""
    setup_fonts()
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def illustrative_label(lang: str = "zh") -> str:
    return label("mark.illustrative", lang)


def mark_status(fig, statuses, lang: str = "zh"):
    """Mark a figure whose data include illustrative (or provisional) values, visibly, in its corner.

    ``statuses`` is any iterable of status strings of the values plotted.  Returns the figure.
    """
    check_lang(lang)
    statuses = set(statuses)
    notes = []
    if "illustrative" in statuses:
        notes.append(illustrative_label(lang))
    if "provisional" in statuses:
        notes.append(label("mark.provisional", lang))
    if notes:
        engine = fig.get_layout_engine()
        if engine is not None and hasattr(engine, "set"):
            engine.set(rect=(0, 0.035, 1, 0.965))  # keep the mark clear of tick labels
        fig.text(0.995, 0.005, label("mark.sep", lang).join(notes), ha="right", va="bottom",
                 fontsize=8, color="#B22222",
                 bbox=dict(boxstyle="round,pad=0.25", facecolor="#FFF3F0", edgecolor="#B22222", linewidth=0.6))
    return fig


def status_label(status: str, lang: str = "zh") -> str:
    return STATUS_LABELS[check_lang(lang)].get(status, status)


def save_figure(fig, path: str | Path) -> Path:
    """Write a figure as PNG at :data:`DPI` (creating the folder) and return the path.

    A figure with a layout engine (constrained layout) is laid out once, at the saving resolution, and
    drawn once: ``savefig`` would otherwise draw it twice, the first time only to let the engine place the
    axes (a third of a figure's time).  The engine is put back afterwards.

    An opaque figure (every figure of the suite: white background) is written as RGB, without the alpha
    channel matplotlib always writes: the same pixels, files about 12 % smaller, and Typst need not encode
    the alpha as a separate mask (typesetting the bundled report: 0.62 → 0.52 s, measured in a fresh
    process each).  A figure on another canvas than Agg's is saved by ``savefig`` as before.
    The figure is written as drawn: ``savefig.*`` settings (``transparent``, ``bbox``, ``facecolor``) do not
    apply — the house style sets none of them.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = fig.get_layout_engine()
    if isinstance(engine, PlaceHolderLayoutEngine):
        engine = None
    screen = fig.get_dpi()
    fig.set_dpi(DPI)
    try:
        if engine is not None:
            engine.execute(fig)
            fig.set_layout_engine("none")
        if isinstance(fig.canvas, FigureCanvasAgg):
            _write_png(*fig.canvas.print_to_buffer(), path)
        else:
            fig.savefig(path, dpi=DPI, format="png", metadata={"Software": None},
                        pil_kwargs={"compress_level": PNG_COMPRESSION})
    finally:
        fig.set_dpi(screen)
        if engine is not None:
            fig.set_layout_engine(engine)
    return path


def _write_png(rgba: bytes, size: tuple[int, int], path: Path) -> None:
    """An Agg buffer as PNG: RGB when every pixel is opaque, else RGBA."""
    from PIL import Image

    image = Image.frombuffer("RGBA", size, rgba, "raw", "RGBA", 0, 1)
    if image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    image.save(path, format="png", dpi=(DPI, DPI), compress_level=PNG_COMPRESSION)


def show_figure(fig, path: str | Path) -> Path:
    """Save a figure (:func:`save_figure`), close it, and show the saved PNG in a notebook.

    The figure is rendered once: the notebook displays the file written for the report instead of
    rendering the figure a second time through the inline backend.  Outside IPython it only saves.
    """
    path = save_figure(fig, path)
    plt.close(fig)
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:  # pragma: no cover - IPython comes with the notebook stack
        return path
    if get_ipython() is not None:
        display(Image(filename=str(path), width=min(900, int(fig.get_figwidth() * 100))))
    return path
