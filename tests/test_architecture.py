"""The layers stay visible from the folders: imports point down and never go round in a circle.

Read from the source with `ast` (lazy imports inside functions count too), so a
new import that breaks the layering fails here before anyone has to find it.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ledger"

# Lower numbers are lower layers; a module may import its own layer or any below.
LAYERS = {
    "core": 0,
    "text": 0,
    "storage": 1,
    "read": 2,
    "write": 2,
    "audit": 2,
    "protect": 2,
    "render": 3,
    "report": 3,
    "web": 3,
    "suggest": 3,
    "cli": 4,
    "api": 4,
    "client": 4,  # ledger.api and ledger.__main__: the library's front door and the program's
}
CLIENT_MODULES = {"ledger.api", "ledger.__main__", "ledger"}


@cache
def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def layer(module: str) -> str:
    if module in CLIENT_MODULES:
        return "client"
    parts = module.split(".")
    if len(parts) > 2 or (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return "core"


def _target(name: str) -> str | None:
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


@cache
def imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("ledger")
            ):
                targets = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names if alias.name.startswith("ledger")]
            for target in filter(None, map(_target, targets)):
                if target != name and target != "ledger":
                    graph[name].add(target)
    return graph


def test_every_package_has_a_layer():
    assert {layer(name) for name in modules()} <= LAYERS.keys()


def test_imports_point_down_the_layers():
    upward = [
        f"{name} ({layer(name)}) imports {target} ({layer(target)})"
        for name, targets in imports().items()
        for target in sorted(targets)
        if LAYERS[layer(target)] > LAYERS[layer(name)]
    ]
    assert upward == []


def test_no_import_cycles():
    graph = imports()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_root_holds_the_core_only():
    root = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(root) <= 12, root
