"""The code-free HTML export: the same document as nbconvert's HTMLExporter, without its BeautifulSoup pass."""
from __future__ import annotations

import base64
import copy
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from lingshou.report.notebook_html import ALT_TEXT, CodeFreeHTML, code_free_exporter, finish_page

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
ALT = f'alt="{ALT_TEXT}"'


def _nbconvert():
    return HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


def _same_document(nb) -> None:
    """nbconvert's page is BeautifulSoup's print of its tree; ours must parse to the same tree."""
    expected, _ = _nbconvert().from_notebook_node(copy.deepcopy(nb))
    ours, _ = code_free_exporter().from_notebook_node(copy.deepcopy(nb))
    assert str(BeautifulSoup(ours, features="html.parser")) == expected


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_bundled_notebooks_export_as_nbconvert_does(path):
    nb = nbformat.read(path, as_version=4)
    assert any(cell.get("outputs") for cell in nb.cells)  # the stored notebooks carry their outputs
    _same_document(nb)


def _every_output_kind():
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40).decode()
    nb = nbformat.v4.new_notebook(metadata={"language_info": {"name": "python"}})
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\n![described](a.png) and <img src='b.png'> inline\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
        nbformat.v4.new_code_cell("print(1)", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="1 < 2 & 3 > 2\n"),
            nbformat.v4.new_output("stream", name="stderr", text="a warning\n"),
            nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"},
                                   metadata={"image/png": {"width": 900}}),
            nbformat.v4.new_output("display_data", data={"text/html": (
                "<div class='jp-OutputArea-output' tabindex='3'>kept</div><div class=jp-OutputArea-output>bare</div>"
                "<script>var s = '<div class=\"jp-OutputArea-output\">';</script><img src='c.png' alt=''/>"
                "<table><tr><td class='data row0 col0'>1</td></tr></table>")}),
            nbformat.v4.new_output("display_data", data={"text/markdown": "**bold**"}),
            nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'/>"}),
            nbformat.v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=1),
            nbformat.v4.new_output("error", ename="ValueError", evalue="bad", traceback=["ValueError: bad"]),
        ]),
        nbformat.v4.new_raw_cell("raw text"),
        nbformat.v4.new_code_cell("x = 1"),
    ]
    return nb


def test_every_output_kind_exports_as_nbconvert_does():
    _same_document(_every_output_kind())


def test_images_without_a_description_get_nbconvert_s_words():
    assert finish_page('<img src="a.png">') == f'<img src="a.png" {ALT}>'
    assert finish_page("<IMG src='a.png'/>") == f"<IMG src='a.png' {ALT}/>"
    assert finish_page('<img src="a.png" alt="">') == '<img src="a.png" alt="">'
    assert finish_page('<img alt="x" src="a.png">') == '<img alt="x" src="a.png">'
    # a value that merely contains the word does not count as the attribute
    assert finish_page('<img src="data:alt=">') == f'<img src="data:alt=" {ALT}>'


def test_input_and_output_areas_become_focusable():
    assert finish_page('<div class="jp-Cell-inputWrapper">') == '<div class="jp-Cell-inputWrapper" tabindex="0">'
    assert (finish_page('<div class="jp-RenderedImage jp-OutputArea-output ">')
            == '<div class="jp-RenderedImage jp-OutputArea-output " tabindex="0">')
    assert finish_page("<div class=jp-OutputArea-output>") == '<div class=jp-OutputArea-output tabindex="0">'
    # nbconvert sets an area's tabindex to 0 whatever it was, in its place
    assert (finish_page('<div tabindex="-1" class="jp-OutputArea-output">')
            == '<div tabindex="0" class="jp-OutputArea-output">')
    assert finish_page('<div class="jp-OutputArea-output" tabindex="0">') == '<div class="jp-OutputArea-output" tabindex="0">'
    for unchanged in ('<div class="jp-OutputArea-output-x">', '<div class="jp-OutputArea">',
                      "<div>", '<span class="jp-OutputArea-output">'):
        assert finish_page(unchanged) == unchanged


def test_characters_written_as_references_are_written_as_themselves():
    assert finish_page("<h1>&#25968;&#x636E; Data &#182;</h1>") == "<h1>数据 Data ¶</h1>"
    # ASCII references (a quote, an ampersand, a bracket) keep their meaning as references
    assert finish_page("<p>&#60;b&#62; &#38; &#39;</p>") == "<p>&#60;b&#62; &#38; &#39;</p>"
    assert finish_page("<p>&#xD800; &#1114112;</p>") == "<p>&#xD800; &#1114112;</p>"  # not characters


def test_script_and_style_text_is_not_markup():
    text = ("<style>div.a > img { x: 1 }</style>"
            "<script>let t = '<img src=x><div class=\"jp-OutputArea-output\">&#25968;';</script>")
    assert finish_page(text) == text
    assert finish_page(text + '<img src="y">') == text + f'<img src="y" {ALT}>'


def test_the_exporter_leaves_out_code_and_prompts():
    exporter = code_free_exporter()
    assert isinstance(exporter, CodeFreeHTML)
    assert exporter.exclude_input and exporter.exclude_input_prompt and exporter.exclude_output_prompt
    nb = _every_output_kind()
    page, _ = exporter.from_notebook_node(nb)
    assert "print(1)" not in page and "a warning" in page


def test_a_report_page_reads_as_chinese():
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    page, _ = code_free_exporter().from_notebook_node(nb)
    assert "数据概览" in page and "&#25968;" not in page
