"""The Alembic history upgrades an empty database to head, with no drift from the models."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from eventsys import create_app
from eventsys.extensions import db

PG_URL = os.environ.get("EVENTSYS_TEST_DATABASE_URL")


def _check(url: str) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
            tables = set(db.inspect(connection).get_table_names())
        assert diff == [], f"models and migrations differ: {diff}"
        assert {"events", "rooms", "speakers", "programme_sessions", "users"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(db.inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_sqlite_upgrades_to_head_without_drift(tmp_path):
    _check("sqlite:///" + str(tmp_path / "migrated.sqlite3"))


@pytest.mark.skipif(not PG_URL, reason="EVENTSYS_TEST_DATABASE_URL is not set (PostgreSQL run only)")
def test_postgresql_upgrades_to_head_without_drift():
    schema = "migr_" + uuid.uuid4().hex[:8]
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in PG_URL else "?"
        _check(f"{PG_URL}{separator}options=-csearch_path%3D{schema}")
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
