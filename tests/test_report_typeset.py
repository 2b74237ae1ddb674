"""Typesetting in a child process (typst-py's cache would otherwise grow with every report)."""
from __future__ import annotations

import subprocess

import pytest

from lingshou.errors import AnalysisError
from lingshou.fonts import font_path
from lingshou.report import typeset as T


def test_typesets_chinese_and_returns_warnings(tmp_path):
    src = tmp_path / "a.typ"
    src.write_text('#set text(font: "Noto Sans CJK SC", lang: "zh")\n= 灵寿县\n年度报告\n', encoding="utf-8")
    warnings = T.typeset(src, tmp_path / "a.pdf", tmp_path, font_path().parent)
    assert warnings == []
    assert (tmp_path / "a.pdf").read_bytes()[:5] == b"%PDF-"


def test_typst_error_is_an_analysis_error_with_the_diagnostic(tmp_path):
    src = tmp_path / "b.typ"
    src.write_text("#let x = (\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"PDF 排版失败.*/ typesetting the PDF failed: "):
        T.typeset(src, tmp_path / "b.pdf", tmp_path, font_path().parent)
    assert not (tmp_path / "b.pdf").exists()


def test_a_crashed_child_is_an_analysis_error(tmp_path, monkeypatch):
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 139, stdout="", stderr="Segmentation fault"))
    with pytest.raises(AnalysisError, match=r"the typesetting process failed \(exit code 139\): Segmentation fault"):
        T.typeset(tmp_path / "c.typ", tmp_path / "c.pdf", tmp_path, tmp_path)
