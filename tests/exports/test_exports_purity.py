"""The renderers and the parser are pure: no flask, no database (architecture rule 3)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "eventsys"
PURE = ["programme_csv", "importer", "safe_read"]
RENDER = sorted(path.stem for path in (PACKAGE / "render").glob("*.py"))
INTERCHANGE = sorted(path.stem for path in (PACKAGE / "interchange").glob("*.py"))
ALLOWED_INTERNAL = (
    {f"eventsys.services.{name}" for name in PURE}
    | {f"eventsys.render.{name}" for name in RENDER}
    | {f"eventsys.interchange.{name}" for name in INTERCHANGE}
    | {"eventsys.render", "eventsys.interchange", "eventsys.i18n", "eventsys.richtext", "eventsys.text"}
)  # all pure


def _imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module.replace('.', '/')}.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module in (
            "eventsys", "eventsys.services", "eventsys.render", "eventsys.interchange"
        ):
            names.update(f"{node.module}.{alias.name}" for alias in node.names)  # modules of a package
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "module",
    [f"services.{name}" for name in PURE] + [f"render.{name}" for name in RENDER]
    + [f"interchange.{name}" for name in INTERCHANGE] + ["richtext"],
)
def test_pure_modules_import_neither_flask_nor_the_database(module):
    imported = _imports(module)
    assert not {name for name in imported if name.split(".")[0] in ("flask", "flask_babel", "flask_login",
                                                                      "flask_sqlalchemy", "sqlalchemy")}
    internal = {name for name in imported if name.startswith("eventsys")}
    assert internal <= ALLOWED_INTERNAL, internal - ALLOWED_INTERNAL
