"""House rules of the analysis notebooks, checked on every notebook under notebooks/."""
from __future__ import annotations

import ast
import json

import papermill
import pytest

from lingshou.data.params import RULES
from lingshou.report.notebooks import notebook_paths

NOTEBOOKS = notebook_paths()


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _code(path):
    return [("".join(c["source"]), c) for c in _cells(path) if c["cell_type"] == "code"]


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_is_fully_visible_to_papermill_and_checked(path):
    tagged = [src for src, c in _code(path) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assigned = [t.id for node in ast.parse(tagged[0]).body if isinstance(node, ast.Assign) for t in node.targets]
    # papermill's inspection must see every name (a '=' in a comment hides the rest of the line from it)
    assert list(papermill.inspect_notebook(str(path))) == assigned
    assert set(assigned) <= set(RULES), f"parameters without a checking rule: {set(assigned) - set(RULES)}"
    for node in ast.parse(tagged[0]).body:
        assert isinstance(node, ast.Assign) and isinstance(node.value, (ast.Constant, ast.UnaryOp)), "literals only"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_are_thin(path):
    for src, _ in _code(path):
        tree = ast.parse(src)
        assert not any(isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) for n in ast.walk(tree)), src
        assert len(src.splitlines()) <= 15, src


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernel_and_no_missing_glyphs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    text = json.dumps(nb, ensure_ascii=False)
    assert "missing from font" not in text
    assert "Traceback" not in text


def _fresh_python(code: str) -> str:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


needs_rfc3987 = pytest.mark.skipif(__import__("importlib.util").util.find_spec("rfc3987_syntax") is None,
                                   reason="rfc3987-syntax (from jupyter-events) is not installed")


@needs_rfc3987
def test_import_nbformat_skips_the_iri_checker_only_for_its_own_import():
    out = _fresh_python(
        "import sys\n"
        "from lingshou.report.notebooks import import_nbformat\n"
        "nb = import_nbformat()\n"
        "print(nb.__name__, 'rfc3987_syntax' in sys.modules, sys.modules.get('rfc3987_syntax', 0) is None)\n"
        "import importlib.util\n"
        "print(importlib.util.find_spec('rfc3987_syntax') is not None)\n")
    # nbformat works; the optional module was neither imported nor left blocked (still importable)
    assert out.splitlines()[0] == "nbformat False False"
    assert out.splitlines()[1] == "True"


@needs_rfc3987
def test_import_nbformat_leaves_a_loaded_jsonschema_alone():
    out = _fresh_python(
        "import sys\n"
        "import jsonschema\n"
        "from lingshou.report.notebooks import import_nbformat\n"
        "import_nbformat()\n"
        "print('rfc3987_syntax' in sys.modules)\n")
    assert out == "True"     # jsonschema had imported it already; nothing was changed
