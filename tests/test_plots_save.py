"""Saving figures: one layout pass and one draw, the same pixels as matplotlib's own ``savefig``, RGB for an
opaque figure, RGBA kept where a figure is transparent, the layout engine given back."""
from __future__ import annotations

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402

from lingshou.plots import DPI, new_axes, save_figure  # noqa: E402


def _figure():
    fig, ax = new_axes(figsize=(4, 2.5))
    ax.bar(["高新技术企业", "科技型中小企业"], [30, 200])
    ax.set_title("灵寿县 2024 年")
    return fig


def test_saved_pixels_equal_savefig_and_are_rgb(tmp_path):
    fig = _figure()
    fig.savefig(tmp_path / "reference.png", dpi=DPI, format="png")
    path = save_figure(fig, tmp_path / "sub" / "figure.png")
    plt.close(fig)
    ours, reference = Image.open(path), Image.open(tmp_path / "reference.png")
    assert ours.mode == "RGB" and reference.mode == "RGBA"
    assert ours.size == reference.size == (4 * DPI, int(2.5 * DPI))
    assert np.array_equal(np.asarray(ours), np.asarray(reference.convert("RGB")))
    assert ours.info["dpi"] == pytest.approx((DPI, DPI), abs=0.01)


def test_transparent_figure_keeps_its_alpha(tmp_path):
    fig = _figure()
    fig.patch.set_alpha(0.0)
    path = save_figure(fig, tmp_path / "clear.png")
    plt.close(fig)
    image = Image.open(path)
    assert image.mode == "RGBA" and image.getchannel("A").getextrema()[0] == 0


def test_layout_engine_and_resolution_are_given_back(tmp_path):
    fig = _figure()
    engine = fig.get_layout_engine()
    save_figure(fig, tmp_path / "a.png")
    assert fig.get_layout_engine() is engine and fig.get_dpi() == 100
    plt.close(fig)


def test_figure_without_layout_engine(tmp_path):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [1, 0])
    path = save_figure(fig, tmp_path / "plain.png")
    assert fig.get_layout_engine() is None
    plt.close(fig)
    assert Image.open(path).size == (3 * DPI, 2 * DPI)
