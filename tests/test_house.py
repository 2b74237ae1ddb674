"""The house rules of ``lingshou/`` (README "Layout"): stages import one way, no cycles, small modules.

Imports are read from the source (lazy imports inside functions included), so a cycle hidden in a
function body fails here as well.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lingshou"

#: Stage of each top-level part of the package; a module may import only from its own stage or lower.
FOUNDATION = {"config", "errors", "i18n", "atomic", "yamlfile", "fonts", "printing"}
STAGES = {
    **{name: 0 for name in FOUNDATION},
    "data": 1,
    "plan": 2,
    "analysis": 3,
    "evaluation": 3,
    "collect": 3,
    "plots": 4,
    "illustrative": 4,
    "report": 5,
    "cli": 6,
    "__main__": 6,
    "__init__": 6,
}
#: Parts of the same stage that must not import each other (independent branches of the flow).
INDEPENDENT = [{"analysis", "evaluation", "collect"}, {"plots", "illustrative"}]
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
#: A longer function carries a comment on its ``def`` line or the line above saying why it is not split.
LONG_MARK = "long:"
MAX_TOP_LEVEL_MODULES = 10


def _modules() -> dict[str, Path]:
    mods = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = path
    return mods


def _imports(path: Path, name: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.startswith("lingshou"):
                found.add(module)
                found.update(f"{module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("lingshou"))
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    graph = {}
    for name, path in mods.items():
        graph[name] = {m for m in _imports(path, name) if m in mods and m != name and m != "lingshou"}
    return graph


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_part_has_a_stage():
    parts = {_part(m) for m in _modules()}
    assert parts <= set(STAGES), f"parts without a stage in tests/test_house.py: {sorted(parts - set(STAGES))}"


def test_imports_point_down_the_flow():
    wrong = []
    for module, targets in _graph().items():
        src = _part(module)
        for target in targets:
            dst = _part(target)
            if dst == src:
                continue
            if STAGES[dst] > STAGES[src] or any({src, dst} <= group for group in INDEPENDENT):
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports against the flow:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("module", sorted(_modules()))
def test_module_is_small(module):
    lines = _modules()[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module} has {lines} lines (at most {MAX_MODULE_LINES})"


def test_functions_are_short_or_say_why():
    long = []
    for module, path in _modules().items():
        source = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(source))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                length = node.end_lineno - first + 1
                said = any(LONG_MARK in source[i] for i in (first - 2, first - 1) if 0 <= i < len(source))
                if length > MAX_FUNCTION_LINES and not said:
                    long.append(f"{module}.{node.name}: {length} lines")
    assert not long, "functions over {} lines without a '# {}' reason:\n{}".format(
        MAX_FUNCTION_LINES, LONG_MARK, "\n".join(sorted(long)))


def test_few_top_level_modules():
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_every_subpackage_says_what_it_may_import():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, f"{init.relative_to(PACKAGE.parent)}: docstring lacks 'May import: …'"


#: The one module that may touch ``DataFrame.attrs``: the batch store checks that a table reads back identical,
#: attrs included, so that nothing set there by pandas or a caller is silently lost.
ATTRS_ALLOWED = {"lingshou.data.store"}


def test_results_carry_no_side_channels_on_frames():
    # Results say what they are as fields of a result type (MonteCarlo, ModelledGrades, Statistics …), not as
    # DataFrame.attrs, which pandas calls experimental and which operations may keep or drop.
    found = []
    for module, path in _modules().items():
        if module in ATTRS_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "attrs":
                found.append(f"{module}:{node.lineno}")
    assert not found, "DataFrame.attrs used as a side channel:\n" + "\n".join(found)
