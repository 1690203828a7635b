"""The planner package stays small, pure and acyclic (house rules: rooms stay small, renderers pure)."""

from __future__ import annotations

import ast
from pathlib import Path

PLANNER = Path(__file__).resolve().parents[2] / "eventsys" / "planner"
FORBIDDEN_ROOTS = {
    "flask",
    "flask_babel",
    "flask_sqlalchemy",
    "flask_login",
    "sqlalchemy",
    "werkzeug",
}
FORBIDDEN_INSIDE = ("eventsys.extensions", "eventsys.models", "eventsys.blueprints", "eventsys.web")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at top level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            if node.module == "eventsys.planner":
                out |= {f"eventsys.planner.{alias.name}" for alias in node.names}
    return out


def _modules() -> dict[str, Path]:
    return {p.stem: p for p in sorted(PLANNER.glob("*.py"))}


def test_the_planner_is_a_package_split_by_concern() -> None:
    names = set(_modules())
    assert {"instance", "bounds", "constructions", "search", "assembly"} <= names
    assert not (PLANNER.parent / "services" / "rotation.py").exists()


def test_each_module_stays_under_600_lines() -> None:
    for name, path in _modules().items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 600, f"planner/{name}.py has {lines} lines"


def test_no_flask_and_no_database_in_the_planner() -> None:
    for name, path in _modules().items():
        imported = _imports(path)
        assert not {m.split(".")[0] for m in imported} & FORBIDDEN_ROOTS, name
        assert not [m for m in imported if m.startswith(FORBIDDEN_INSIDE)], name


def test_no_import_cycles_inside_the_planner() -> None:
    modules = _modules()
    graph = {
        name: {
            m.removeprefix("eventsys.planner.")
            for m in _imports(path)
            if m.startswith("eventsys.planner.") and m.removeprefix("eventsys.planner.") in modules
        }
        for name, path in modules.items()
        if name != "__init__"
    }
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        assert node not in trail, "import cycle: " + " -> ".join([*trail, node])
        if node in done:
            return
        for nxt in graph.get(node, ()):
            visit(nxt, [*trail, node])
        done.add(node)

    for name in graph:
        visit(name, [])
