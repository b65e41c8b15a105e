"""The backend's imports point one way (DESIGN.md: api → rooms → runs → engine, api → store,
everything → shared_schemas), and no two modules need each other, however the import is written.

Read from the source with `ast`, without importing anything. Every import counts: at the top level,
inside a function (deferred on purpose, e.g. torch on first use) and under `if TYPE_CHECKING:`, since
a deferred or type-only import still makes each module depend on the other. `from pkg import sub` of
a submodule needs only that submodule, as Python runs it, not the rest of the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"glassnet": ROOT / "backend" / "glassnet", "shared_schemas": ROOT / "shared_schemas"}
# Cycles that stay until the modules named are reworked: the modules → why the cycle is there.
KNOWN_CYCLES: dict[frozenset[str], str] = {}
# a package's modules → what they must never import
BANNED = {
    "glassnet.engine": ("glassnet.runs", "glassnet.api", "glassnet.store", "glassnet.rooms"),
    "glassnet.data": ("glassnet.runs", "glassnet.api", "glassnet.store", "glassnet.rooms"),
    "glassnet.runs": ("glassnet.api", "glassnet.rooms"),
    "glassnet.rooms": ("glassnet.api",),
    "glassnet.store": ("glassnet.api", "glassnet.runs", "glassnet.rooms", "glassnet.engine"),
    "shared_schemas": ("glassnet",),
}


def _modules() -> dict[str, Path]:
    found = {}
    for package, base in PACKAGES.items():
        for path in base.rglob("*.py"):
            parts = [package, *path.relative_to(base).with_suffix("").parts]
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules `name` imports anywhere in its source."""
    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            subs = [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in MODULES]
            out.update(subs)
            if len(subs) < len(node.names):
                out.add(module)
    return {m for m in out if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_graph_is_read() -> None:
    assert "glassnet.engine.trainer" in GRAPH["glassnet.engine"]
    assert "glassnet.runs.manager" in GRAPH


def test_no_module_imports_upward() -> None:
    upward = [
        f"{module} → {target}"
        for module, targets in GRAPH.items()
        for package, banned in BANNED.items()
        if _within(module, package)
        for target in targets
        if any(_within(target, b) for b in banned)
    ]
    assert upward == []


def _cycles() -> list[frozenset[str]]:
    """Each set of modules that import one another in a circle (Tarjan's strongly connected
    components of more than one module)."""
    cycles: list[frozenset[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(frozenset(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    return cycles


def test_a_deferred_or_type_only_import_is_an_edge() -> None:
    # runs/worker.py imports Trainer under `if TYPE_CHECKING:` only
    assert "glassnet.engine.trainer" in GRAPH["glassnet.runs.worker"]


def test_no_import_cycle() -> None:
    found = [sorted(cycle) for cycle in _cycles() if cycle not in KNOWN_CYCLES]
    assert found == []


def test_every_known_cycle_is_still_there() -> None:
    """A cycle that has been broken leaves KNOWN_CYCLES, so it cannot come back unnoticed."""
    cycles = _cycles()
    assert [sorted(known) for known in KNOWN_CYCLES if known not in cycles] == []
