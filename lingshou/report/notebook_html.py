"""The code-free HTML copy of an executed notebook (``notebooks/<name>.html`` of a report).

nbconvert's ``HTMLExporter`` renders the notebook through its JupyterLab template and then runs the whole page
(its 256 KB of CSS, the figures' base64, every table cell) through BeautifulSoup's pure-Python parser to add
two things: an ``alt`` text on images without one, and ``tabindex="0"`` on the cells' input and output areas
(so that a keyboard reaches them); printing the tree again also writes every character as itself.  For the six
notebooks of a report that pass takes 0.36 of the export's 0.40 s (measured 2026-12-06); in a 167-county batch
it is a minute of CPU.

:class:`CodeFreeHTML` renders with the same exporter, template and settings, and makes the same changes to the
text of the rendered page directly (:func:`finish_page`) — the page the template wrote, whose tags it knows.
The result is the same document: ``tests/test_notebook_html.py`` parses both pages and requires BeautifulSoup
to print them identically, on the stored notebooks and on one with every kind of output.
"""
from __future__ import annotations

import re

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

#: nbconvert's words for an image without a description.
ALT_TEXT = "No description has been provided for this image"
#: The classes whose ``div`` nbconvert makes focusable (inside ``.jp-Notebook``, the page's body).
FOCUSABLE = frozenset({"jp-Cell-inputWrapper", "jp-OutputArea-output"})

_RAW = re.compile(r"(<(script|style)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<(img|div)\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")

_REFERENCE = re.compile(r"&#([0-9]+|[xX][0-9a-fA-F]+);")
#: An attribute, or else one character between attributes (so that the matches cover a tag's whole text).
_ATTRIBUTE_OR_GAP = re.compile(_ATTRIBUTE.pattern + r"|[\s\S]")


def _attributes(text: str) -> dict[str, str]:
    """A tag's attributes (lower-case names) from the text between its name and ``>``."""
    return {m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
            for m in _ATTRIBUTE.finditer(text)}


def _mark(match: re.Match) -> str:
    tag, text = match.group(1), match.group(2)
    closing = "/" if text.endswith("/") else ""
    text = text[:-1] if closing else text
    attributes = _attributes(text)
    if tag.lower() == "img":
        added = "" if "alt" in attributes else f' alt="{ALT_TEXT}"'
    elif not FOCUSABLE & set(attributes.get("class", "").split()) or attributes.get("tabindex") == "0":
        added = ""
    elif "tabindex" in attributes:  # another value: set to 0 where it stands, as nbconvert does
        text = "".join(f'{m.group(1)}="0"' if (m.group(1) or "").lower() == "tabindex" else m.group(0)
                       for m in _ATTRIBUTE_OR_GAP.finditer(text))
        return f"<{tag}{text}{closing}>"
    else:
        added = ' tabindex="0"'
    return f"<{tag}{text}{added}{closing}>" if added else match.group(0)


def _literal(match: re.Match) -> str:
    code = int(match.group(1)[1:], 16) if match.group(1)[0] in "xX" else int(match.group(1))
    return chr(code) if code > 0x7F and not 0xD800 <= code <= 0xDFFF and code <= 0x10FFFF else match.group(0)


def _finish(markup: str) -> str:
    return _REFERENCE.sub(_literal, _TAG.sub(_mark, markup))


def finish_page(html: str) -> str:
    """What nbconvert's BeautifulSoup pass does to a rendered page, on its text:

    - every ``img`` without an ``alt`` text gets nbconvert's words, every input or output area
      ``tabindex="0"``;
    - a non-ASCII character written as a numeric reference (the markdown renderer writes ``&#25968;`` for
      数) is written as itself, as BeautifulSoup prints it — the page then reads, and searches, as Chinese.

    The text of ``script`` and ``style`` elements is not markup and stays as it is."""
    parts = _RAW.split(html)
    # split() with the pattern's two groups: text, raw element, its tag name, text, ...
    return "".join(_finish(part) if i % 3 == 0 else part if i % 3 == 1 else "" for i, part in enumerate(parts))


class CodeFreeHTML(HTMLExporter):
    """nbconvert's HTML exporter (the JupyterLab template) with its accessibility pass done on the rendered tags
    (:func:`finish_page`) instead of through BeautifulSoup; made with ``exclude_input=True`` and no
    prompts for a report's notebooks."""

    def from_notebook_node(self, nb, resources=None, **kw):
        # As HTMLExporter.from_notebook_node (nbconvert 7): the code highlighter of the notebook's language and
        # the widget filter, then the template; then what its BeautifulSoup pass changes (finish_page).
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name", None))
        highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                 resources=resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return finish_page(html), resources


def code_free_exporter() -> CodeFreeHTML:
    """The exporter of a report's notebooks: no code, no prompts (building one compiles its templates, ~0.1 s)."""
    return CodeFreeHTML(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
