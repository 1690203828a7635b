"""The documented backup and restore (README, "Production"): pg_dump a database with registrations,
pg_restore it into an empty one, and find the registrations there."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from eventsys import create_app
from eventsys.extensions import db

pytestmark = pytest.mark.postgres

ADMIN_URL = os.environ.get(
    "EVENTSYS_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _admin():
    try:
        engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"PostgreSQL is not reachable at {ADMIN_URL}: {error}")
    return engine


@pytest.fixture
def scratch_databases():
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed (apt-get install postgresql-client)")
    engine = _admin()
    names = [f"test_backup_{os.getpid()}_{role}" for role in ("src", "dst")]
    with engine.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    base = make_url(ADMIN_URL)
    yield [base.set(database=name) for name in names]
    with engine.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _libpq(url) -> str:
    """The URL as pg_dump understands it (no SQLAlchemy driver suffix)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def test_a_restored_dump_has_every_registration(tmp_path, scratch_databases):
    from eventsys.security import create_user
    from eventsys.services import programme
    from eventsys.services import registration as reg

    source, target = scratch_databases
    url = source.render_as_string(hide_password=False)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
                      "PASSWORD_HASH_FAST": True, "MAIL_BACKEND": "memory"})  # fmt: skip
    day = datetime.now(UTC).date() + timedelta(days=30)
    with app.app_context():
        db.create_all()
        owner = create_user("organisatrice@example.org", "a long password")
        event = programme.create_event(owner, {"title": "Journée sauvegarde", "kind": "training_day",
                                               "start_date": day, "end_date": day, "timezone": "Europe/Paris",
                                               "languages": "fr", "code": "Z26IN 042"}, "{kind}{yy}EV {seq:03d}")  # fmt: skip
        programme.publish_event(event)
        names = ["Abadie", "Bérard", "Chassagne", "Dufour", "Étienne"]
        for n, name in enumerate(names):
            reg.register_attendee(event, reg.RegistrationInput(
                first_name="Camille", last_name=name, email=f"camille{n}@ville-exemple.fr",
                organisation="Ville d'Exemple", consent=True), source="organiser", by_organiser=True, notify=False)  # fmt: skip
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    dump = tmp_path / "eventsys.dump"
    # The README commands: a custom-format dump, restored without owners into an empty database.
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq(source)], check=True
    )
    assert dump.stat().st_size > 0
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(target)}", str(dump)],
                   check=True)  # fmt: skip

    restored = create_app({"TESTING": True, "SECRET_KEY": "x",
                           "SQLALCHEMY_DATABASE_URI": target.render_as_string(hide_password=False)})  # fmt: skip
    with restored.app_context():
        rows = db.session.execute(text(
            "SELECT r.last_name, r.status FROM registrations r JOIN events e ON e.id = r.event_id "
            "WHERE e.title = 'Journée sauvegarde' ORDER BY r.last_name"
        )).all()  # fmt: skip
        db.session.remove()
        db.engine.dispose()
    assert [row.last_name for row in rows] == sorted(names)
    assert {row.status for row in rows} == {"confirmed"}
