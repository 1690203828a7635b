"""Many people register at the same second: a seat is never given twice, waiting lists stay in order.

These tests need real concurrent connections, so they do not use the `app` fixture (which runs
PostgreSQL tests inside one outer transaction on a single connection). Each builds its own app
on its own database: a fresh schema on EVENTSYS_TEST_DATABASE_URL, or a fresh SQLite file.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import create_engine, select, text

from eventsys import create_app
from eventsys.extensions import db
from eventsys.models import ProgrammeSession
from eventsys.models.registration import OutboxMessage, Registration, RegistrationChoice
from tests.conftest import PG_URL

CAPACITY = 10
PEOPLE = 60
DOUBLE_SUBMITTERS = 5  # these people press the button twice, at the same time


def _config(url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "concurrency",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_BACKEND": "memory",
        "SQLALCHEMY_DATABASE_URI": url,
        **extra,
    }


def _seed(app) -> tuple[str, int, str]:
    """A published event with one workshop of CAPACITY seats; (code, session id, API token)."""
    from eventsys.security import create_user, issue_api_token
    from eventsys.services import programme

    with app.app_context():
        db.create_all()
        owner = create_user("organiser@example.org", "correct horse battery staple")
        day = datetime.now(UTC).date() + timedelta(days=30)
        event = programme.create_event(
            owner, {"title": "Journée", "code": "Z26IN 001", "start_date": day, "end_date": day}, "{kind}{yy}EV {seq:03d}"
        )
        workshop = programme.save_session(
            event, ProgrammeSession(), {"title": "Atelier", "type": "workshop", "requires_registration": True,
                                        "capacity": CAPACITY},
            programme.local_to_utc(event, day, time(14)), programme.local_to_utc(event, day, time(16)),
        )  # fmt: skip
        programme.publish_event(event)
        _token, raw = issue_api_token(owner)
        db.session.commit()
        return event.code, workshop.id, raw


def _fire(requests: list) -> list:
    """Run every request in its own thread, all released at once; returns (status, json-or-None)."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index: int, call) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _emails() -> list[str]:
    people = [f"agent{n}@collectivite.fr" for n in range(PEOPLE)]
    return people + people[:DOUBLE_SUBMITTERS]


def _check_end_state(app, session_id: int) -> list[Registration]:
    """Exactly CAPACITY seats; everyone else waits in strict arrival order 1..N; no duplicates."""
    from eventsys.services import registration as reg

    with app.app_context():
        registrations = list(db.session.scalars(select(Registration).order_by(Registration.id)))
        assert len(registrations) == PEOPLE
        keys = Counter(r.email_key for r in registrations)
        assert max(keys.values()) == 1
        choices = list(
            db.session.scalars(select(RegistrationChoice).where(RegistrationChoice.session_id == session_id))
        )
        assert len(choices) == PEOPLE
        statuses = Counter(c.status for c in choices)
        assert statuses == {"confirmed": CAPACITY, "waitlisted": PEOPLE - CAPACITY}
        waiting = sorted((c for c in choices if c.status == "waitlisted"), key=reg.choice_position)
        assert [reg.choice_position(c) for c in waiting] == list(range(1, PEOPLE - CAPACITY + 1))
        # Arrival order: tickets (drawn under the lock) and ids (inserted under it) agree.
        assert [c.ticket for c in waiting] == sorted(c.ticket for c in waiting)
        assert [c.registration_id for c in waiting] == sorted(c.registration_id for c in waiting)
        confirmed_tickets = [c.ticket for c in choices if c.status == "confirmed"]
        assert max(confirmed_tickets) < min(c.ticket for c in waiting)
        assert len({r.ticket for r in registrations}) == PEOPLE
        return registrations


@pytest.fixture
def pg_app():
    """An app on a fresh PostgreSQL schema, dropped afterwards."""
    if not PG_URL:
        pytest.skip("EVENTSYS_TEST_DATABASE_URL is not set: the PostgreSQL concurrency test needs a server")
    schema = f"test_reg_conc_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    options = {"connect_args": {"options": f"-csearch_path={schema}"}, "pool_size": PEOPLE, "max_overflow": 20}
    app = create_app(_config(PG_URL, SQLALCHEMY_ENGINE_OPTIONS=options))
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.postgres
def test_concurrent_api_registrations_on_postgresql(pg_app):
    code, session_id, token = _seed(pg_app)
    headers = {"Authorization": f"Bearer {token}"}

    def call(email: str):
        def post():
            response = pg_app.test_client().post(
                f"/api/v1/events/{code}/registrations",
                json={"first_name": "Agent", "last_name": "Territorial", "email": email, "organisation": "Ville",
                      "consent": True, "sessions": [session_id]},
                headers=headers,
            )  # fmt: skip
            return response.status_code, response.get_json()

        return post

    results = _fire([call(email) for email in _emails()])
    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = Counter(status for status, _ in results)
    assert statuses == {201: PEOPLE, 200: DOUBLE_SUBMITTERS}, results
    created = [body for status, body in results if status == 201]
    assert Counter(b["status"] for b in created) == {"confirmed": CAPACITY, "waitlisted": PEOPLE - CAPACITY}
    # Each person was told their true position at the moment they registered.
    assert sorted(b["waitlist_position"] for b in created if b["status"] == "waitlisted") == list(
        range(1, PEOPLE - CAPACITY + 1)
    )
    _check_end_state(pg_app, session_id)


def _fire_form(app) -> None:
    """Everyone submits the public form at once (no API token: nothing else serialises them)."""
    code, session_id, _token = _seed(app)

    def call(email: str):
        def post():
            response = app.test_client().post(
                f"/e/{code}/register",
                data={"first_name": "Agent", "last_name": "Territorial", "email": email, "organisation": "Ville",
                      "consent": "y", "slot_1": str(session_id)},
            )  # fmt: skip
            return response.status_code, response.headers.get("Location", "")

        return post

    results = _fire([call(email) for email in _emails()])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert all(status == 302 for status, _ in results), results
    # Everyone gets the same answer ("check your mailbox"), first submission or second.
    assert {location for _, location in results} == {f"/e/{code}/register/sent"}
    _check_end_state(app, session_id)
    with app.app_context():  # each second press was recognised: the link went again, by e-mail
        duplicates = db.session.scalars(select(OutboxMessage.to_addr).where(OutboxMessage.kind == "duplicate"))
        assert sorted(duplicates) == sorted(_emails()[PEOPLE:])


@pytest.mark.postgres
def test_concurrent_form_registrations_on_postgresql(pg_app):
    _fire_form(pg_app)


def test_concurrent_form_registrations_on_sqlite(tmp_path):
    app = create_app(_config("sqlite:///" + str(tmp_path / "concurrent.sqlite3")))
    try:
        _fire_form(app)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
