"""The architecture as a contract: the layers of ``src/orbitview`` and what may import what.

    util < data < orbit < access < studies < products < api < cli

A module imports from its own layer and the layers below it, never above; the package's
``__init__`` (the front door, lazy) and ``__main__`` sit on top.  Imports made inside
functions count (they hide cycles from a top-level check, and run all the same), and
``if TYPE_CHECKING:`` imports do not (they never run).  No import cycle between modules,
and no module takes another module's underscore names.  Read from the source with
:mod:`ast`, so the check needs nothing installed and imports nothing.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
LAYERS = ["util", "data", "orbit", "access", "studies", "products", "api", "cli"]
"""Lowest first."""
TOP = {"orbitview": len(LAYERS), "orbitview.__main__": len(LAYERS) + 1}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted((SRC / "orbitview").rglob("*.py"))}


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(name: str) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import in module ``name``
    that runs (at the top or inside a function), relative imports resolved."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking_only(node):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names = [a.name for a in node.names]
            # 'from orbitview.x import y' where y is a module: an import of that module.
            submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in MODULES]
            out += [(m, [], node.lineno) for m in submodules]
            rest = [n for n in names if f"{base}.{n}" not in MODULES]
            if rest:
                out.append((base, rest, node.lineno))
    return [(m, names, line) for m, names, line in out
            if m == "orbitview" or m.startswith("orbitview.")]


def owner(module: str) -> str:
    """The module of ``MODULES`` that ``module`` names (a package or a module in it)."""
    while module not in MODULES:
        module = module.rpartition(".")[0]
    return module


def layer(module: str) -> int:
    if module in TOP:
        return TOP[module]
    return LAYERS.index(module.split(".")[1])


GRAPH = {name: {owner(m) for m, _, _ in imports(name)} - {name} for name in MODULES}


def test_every_module_sits_in_a_layer():
    loose = [m for m in MODULES if m not in TOP and m.split(".")[1] not in LAYERS]
    assert not loose, f"modules outside the layers {LAYERS}: {loose}"


def test_no_module_imports_from_a_layer_above_its_own():
    wrong = [f"{name} ({LAYERS[layer(name)] if layer(name) < len(LAYERS) else 'top'}) "
             f"imports {m} at line {line}"
             for name in MODULES for m, _, line in imports(name)
             if m != "orbitview" and layer(owner(m)) > layer(name)]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles_counting_imports_inside_functions():
    # Tarjan's strongly connected components over the module graph.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w == "orbitview":
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in MODULES:
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_no_module_takes_another_modules_underscore_names():
    taken = [f"{name}:{line} takes {n} from {m}"
             for name in MODULES for m, names, line in imports(name)
             for n in names if n.startswith("_") and not n.startswith("__") and m != name]
    assert not taken, "\n".join(taken)


@pytest.mark.parametrize("source, wanted", [
    ("def f():\n    from orbitview.cli import main\n", ("orbitview.cli", ["main"])),
    ("from . import common\n", ("orbitview.api.common", [])),
    ("if TYPE_CHECKING:\n    from orbitview.cli import main\n", None),
])
def test_the_reader_sees_function_level_and_relative_imports(tmp_path, monkeypatch, source,
                                                             wanted):
    # The check can fail: a function-level import of the CLI from the api is seen, a
    # relative import is resolved, a TYPE_CHECKING import is not counted.
    path = SRC / "orbitview" / "api" / "probe_for_the_layer_test.py"
    monkeypatch.setitem(MODULES, "orbitview.api.probe_for_the_layer_test", path)
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    found = [(m, names) for m, names, _ in imports("orbitview.api.probe_for_the_layer_test")]
    if wanted is None:
        assert found == []
    else:
        assert wanted in found
