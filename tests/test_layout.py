"""Tests for the package's layout: one room per stage, and imports that follow the data's flow.

The rooms are `text` <- `extract` <- `rdf` <- `sparql`, with `network` beside `sparql` (it reads
the graph as RDF); `pipeline` and `cli` tie them together on top; the shared modules at the
bottom (`records`, `namespace`, `errors`, `resources`) import no room.  Guards issue 8.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "normgraph"
SHARED = {"records", "namespace", "errors", "resources", "__init__"}
ROOMS = ("text", "extract", "rdf", "sparql", "network")
# what each part of the package may import (besides itself and the shared modules)
ALLOWED = {
    "shared": set(),
    "text": set(),
    "extract": {"text"},
    "rdf": {"text", "extract"},
    "sparql": {"text", "extract", "rdf"},
    "network": {"rdf", "sparql"},
    "pipeline": {"text", "extract", "rdf"},
    "cli": {"text", "extract", "rdf", "sparql", "network", "pipeline"},
    "__main__": {"cli"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str:
    """The room (or top-level tie) a module `normgraph.X[.Y]` belongs to."""
    first = module.split(".")[1] if "." in module else "__init__"
    if first in ROOMS or first in ("pipeline", "cli", "__main__"):
        return first
    if first in SHARED:
        return "shared"
    raise AssertionError(f"{module} is neither in a room nor one of the shared top-level modules")


def imported(path: Path) -> set[str]:
    """The normgraph modules `path` imports, at module level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("normgraph")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("normgraph"):
            if node.module == "normgraph" or node.module.split(".")[-1] in ROOMS:
                found |= {f"{node.module}.{a.name}" for a in node.names if a.name[0].islower()}
            else:
                found.add(node.module)
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def resolve(name: str) -> str:
    """The module a dotted import names: `normgraph.rdf.graph`, or the package itself."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def test_layout_top_level_holds_only_the_ties_and_the_shared_modules():
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == SHARED | {"pipeline", "cli", "__main__"}
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(ROOMS)


@pytest.mark.parametrize("room", ROOMS)
def test_layout_every_room_says_what_it_owns_and_may_import(room):
    doc = ast.get_docstring(ast.parse((PACKAGE / room / "__init__.py").read_text(encoding="utf-8")))
    assert doc and "Owns" in doc and "May import" in doc


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layout_imports_follow_the_flow(module):
    here = part_of(module)
    for target in sorted(resolve(t) for t in imported(MODULES[module])):
        there = part_of(target)
        if there in (here, "shared"):
            continue
        assert there in ALLOWED[here], f"{module} imports {target}: {here} may not import {there}"


def test_layout_the_checker_catches_an_import_against_the_flow(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("from normgraph.sparql.query import run\nfrom normgraph import network\n")
    assert {resolve(t) for t in imported(bad)} == {"normgraph.sparql.query", "normgraph.network"}
    assert "sparql" not in ALLOWED[part_of("normgraph.extract.stances")]


def test_layout_no_import_circle():
    edges = {m: {resolve(t) for t in imported(p)} - {m} for m, p in MODULES.items()}
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(edges.get(m, ())):
            if state.get(n) == 1:
                raise AssertionError("import circle: " + " -> ".join([*path[path.index(n):], n]))
            if n not in state:
                visit(n, [*path, n])
        state[m] = 2

    for m in sorted(MODULES):
        if m not in state:
            visit(m, [m])
