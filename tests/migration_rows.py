"""Rows written at an older revision, for tests of what a migration does with existing data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_migrate import upgrade
from sqlalchemy import Engine, create_engine, text

from eventsys import create_app
from eventsys.extensions import db


@contextmanager
def upgraded_to(path, revision: str) -> Iterator[tuple[Engine, callable]]:
    """A SQLite database upgraded to `revision`: (engine, upgrade(revision) to go further)."""
    url = "sqlite:///" + str(path / "old.sqlite3")
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision=revision)
        engine = create_engine(url)
        try:
            yield engine, upgrade
        finally:
            engine.dispose()
            db.engine.dispose()


def _required_values(connection, table: str, given: dict) -> dict:
    """`given`, completed with a value for every NOT NULL column without a default."""
    values = dict(given)
    for column in db.inspect(connection).get_columns(table):
        if column["name"] in values or column["nullable"] or column.get("default") is not None:
            continue
        if column.get("autoincrement") is True or column["name"] == "id":
            continue
        kind = str(column["type"]).upper()
        if "INT" in kind:
            values[column["name"]] = 0
        elif "BOOL" in kind:
            values[column["name"]] = False
        elif "DATE" in kind or "TIME" in kind:
            values[column["name"]] = "2026-01-01" if kind == "DATE" else "2026-01-01 00:00:00"
        elif "JSON" in kind:
            values[column["name"]] = "{}"
        else:
            values[column["name"]] = "x"
    return values


def insert_row(connection, table: str, **given) -> None:
    """INSERT a row written by an older schema (raw SQL: the models describe the newest)."""
    values = _required_values(connection, table, given)
    columns = ", ".join(values)
    connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + c for c in values)})"),
                       values)  # fmt: skip
