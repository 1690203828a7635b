"""The house rules that a reader of the tree can check (docs/ARCHITECTURE.md).

Read from the source with `ast`, nothing imported: every import counts, those inside functions
too, relative ones resolved. A module that imports `pkg.mod` depends on `pkg.mod` (the package
`pkg` itself only when a name is taken from it).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "eventsys"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _known(name: str) -> str | None:
    """The eventsys module `name` designates: itself, or the module that holds it."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


@cache
def imports_of(module: str) -> frozenset[str]:
    """The eventsys modules `module` imports, anywhere in its body."""
    path = modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            targets = [f"{origin}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in map(_known, targets) if name and name != module)
    return frozenset(found)


@cache
def external_imports_of(module: str) -> frozenset[str]:
    """The top-level names of the libraries `module` imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(modules()[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return frozenset(found - {"eventsys"})


def cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    graph = {module: sorted(imports_of(module)) for module in modules()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            for offset, target in enumerate(graph[node][position:], start=position):
                if target not in index:
                    work.append((node, offset + 1))
                    work.append((target, 0))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return found


def _path_within(component: list[str]) -> str:
    """One circle through the component, for the failure message."""
    members = set(component)
    start = component[0]
    path, seen = [start], {start}
    while True:
        following = sorted(imports_of(path[-1]) & members)
        back = start if start in following else None
        if back and len(path) > 1:
            return " -> ".join([*path, start])
        step = next((name for name in following if name not in seen), back)
        if step is None:
            return " -> ".join(path)
        if step in seen:
            return " -> ".join([*path[path.index(step) :], step])
        path.append(step)
        seen.add(step)


def test_no_import_cycles():
    found = cycles()
    assert not found, "import cycles:\n" + "\n".join(
        f"{len(component)} modules: {_path_within(component)}" for component in found
    )


def test_the_cycle_finder_sees_a_function_level_import(tmp_path, monkeypatch):
    """The check itself: two modules importing each other, one of them inside a function."""
    package = tmp_path / "eventsys"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("def find():\n    from eventsys.high import thing\n")
    (package / "high.py").write_text("from .low import find\nthing = 1\n")
    (package / "alone.py").write_text("import eventsys.low\n")
    with _reading(package, monkeypatch):
        assert cycles() == [["eventsys.high", "eventsys.low"]]
        assert imports_of("eventsys.alone") == {"eventsys.low"}


def _forget() -> None:
    for function in (modules, imports_of, external_imports_of):
        function.cache_clear()


@contextmanager
def _reading(package: Path, monkeypatch) -> Iterator[None]:
    """The checks read the made-up `package` (beside its parent as ROOT) instead of eventsys."""
    monkeypatch.setattr(sys.modules[__name__], "ROOT", package.parent)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    _forget()
    try:
        yield
    finally:
        _forget()


def _blueprint_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 3 and parts[:2] == ["eventsys", "blueprints"]:
        return parts[2]
    return None


def test_a_blueprint_does_not_import_another_blueprints_forms():
    crossing = sorted(
        f"{module} imports {target}"
        for module in modules()
        if _blueprint_of(module)
        for target in imports_of(module)
        if target.endswith(".forms")
        and _blueprint_of(target)
        and _blueprint_of(target) != _blueprint_of(module)
    )
    assert not crossing, "shared form pieces belong in eventsys/forms.py:\n" + "\n".join(crossing)


def test_extensions_import_nothing_of_eventsys():
    """The bottom floor: every other module may use the extensions, they use none of them."""
    assert imports_of("eventsys.extensions") == set()


FORBIDDEN_IN_RENDER = {
    "flask",
    "flask_babel",
    "flask_login",
    "flask_sqlalchemy",
    "flask_wtf",
    "sqlalchemy",
}
DATABASE_MODULES = ("eventsys.extensions", "eventsys.models")


def reached_from(module: str) -> set[str]:
    """`module` and every eventsys module it imports, directly or through others."""
    seen, todo = {module}, [module]
    while todo:
        for target in imports_of(todo.pop()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def render_problems() -> list[str]:
    """What a renderer reaches that it must not: flask, the database, the extensions."""
    problems = []
    for module in modules():
        if not module.startswith("eventsys.render"):
            continue
        for reached in sorted(reached_from(module)):
            names = sorted(external_imports_of(reached) & FORBIDDEN_IN_RENDER)
            if reached.startswith(DATABASE_MODULES):
                names.append(reached)
            if names:
                through = "" if reached == module else f" through {reached}"
                problems.append(f"{module} imports {', '.join(names)}{through}")
    return problems


def test_renderers_import_neither_flask_nor_the_database():
    """Rendering is pure: data in, bytes out; usable from a CLI, a job or a test without an app."""
    problems = render_problems()
    assert not problems, "\n".join(problems)


def test_the_render_check_follows_imports_within_eventsys(tmp_path, monkeypatch):
    package = tmp_path / "eventsys"
    (package / "render").mkdir(parents=True)
    (package / "services").mkdir()
    for init in (package, package / "render", package / "services"):
        (init / "__init__.py").write_text("")
    (package / "render" / "card.py").write_text("def draw():\n    from ..services import labels\n")
    (package / "services" / "labels.py").write_text("from flask_babel import gettext\n")
    (package / "render" / "plain.py").write_text("import io\n")
    with _reading(package, monkeypatch):
        assert render_problems() == [
            "eventsys.render.card imports flask_babel through eventsys.services.labels"
        ]


MAX_MODULE_LINES = 800  # past about 600 a module is split by concern; none may pass this


def test_no_module_passes_the_size_limit():
    sizes = {
        module: len(path.read_text(encoding="utf-8").splitlines())
        for module, path in modules().items()
    }
    too_big = sorted(
        f"{module}: {lines} lines" for module, lines in sizes.items() if lines > MAX_MODULE_LINES
    )
    assert not too_big, "split these by concern:\n" + "\n".join(too_big)


# What a renderer may import of eventsys: other renderers, the file formats and the pure helpers.
# The data a renderer needs is passed in (render/export_data.py, render/badges/data.py …).
RENDER_MAY_REACH = (
    "eventsys.render",
    "eventsys.interchange",
    "eventsys.i18n",
    "eventsys.text",
    "eventsys.richtext",
)


def render_reaching_beyond() -> list[str]:
    """The eventsys modules outside the pure floor a renderer reaches (services above all)."""
    return sorted(
        f"{module} imports {reached}"
        + ("" if reached in imports_of(module) else " (through its imports)")
        for module in modules()
        if module.startswith("eventsys.render")
        for reached in reached_from(module)
        if not any(reached == name or reached.startswith(name + ".") for name in RENDER_MAY_REACH)
    )


def test_renderers_import_nothing_of_the_services():
    """A renderer takes its data; it does not fetch or compute it through services/ (or above)."""
    problems = render_reaching_beyond()
    assert not problems, "pass the data in, or move the pure piece to render/:\n" + "\n".join(
        problems
    )


def test_the_render_floor_check_sees_a_pure_service(tmp_path, monkeypatch):
    """A service module with no flask at all is still out of bounds for a renderer."""
    package = tmp_path / "eventsys"
    for folder in (package, package / "render", package / "services", package / "interchange"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("")
    (package / "services" / "shapes.py").write_text("import re\n")
    (package / "interchange" / "rows.py").write_text("import re\n")
    (package / "render" / "sheet.py").write_text("def draw():\n    from ..services import shapes\n")
    (package / "render" / "rows_pdf.py").write_text("from eventsys.interchange import rows\n")
    with _reading(package, monkeypatch):
        assert render_problems() == []
        assert render_reaching_beyond() == [
            "eventsys.render.sheet imports eventsys.services.shapes"
        ]
