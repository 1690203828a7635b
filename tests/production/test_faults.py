"""Faults on the real PostgreSQL: the database goes away in the middle of a registration burst
(a TCP proxy between the app and the server is cut, then restored — the shared server itself is
never restarted). People get a clear "try again"; once it is back, nothing is lost or doubled."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from eventsys import create_app
from eventsys.extensions import db
from tests.production.tcp_proxy import TcpProxy
from tests.registration.helpers import person

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.serial,
]

ADMIN_URL = os.environ.get(
    "EVENTSYS_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PEOPLE = 36
THREADS = 4


@pytest.fixture
def scratch_url():
    try:
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"PostgreSQL is not reachable at {ADMIN_URL}: {error}")
    name = f"test_faults_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(ADMIN_URL).set(database=name)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _registration_app(tmp_path, url: str, pool_size: int = THREADS):
    """The app on `url` with the production engine options, and a published event's code."""
    from eventsys.security import create_user
    from eventsys.services import programme

    app = create_app({
        "TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_FAST": True, "MAIL_BACKEND": "memory", "SQLALCHEMY_DATABASE_URI": url,
        "STORAGE_DIR": str(tmp_path / "storage"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": pool_size, "pool_recycle": 300, "connect_args": {
            "connect_timeout": 3,
            # a backend whose client vanished mid-transaction must not hold its row locks for
            # the kernel's TCP timeout: the server ends such sessions (recommended in production)
            "options": "-c idle_in_transaction_session_timeout=5000",
        }},
    })  # fmt: skip
    day = datetime.now(UTC).date() + timedelta(days=30)
    with app.app_context():
        db.create_all()
        owner = create_user("organisatrice@example.org", "a long password")
        event = programme.create_event(owner, {"title": "Ouverture des inscriptions", "kind": "training_day",
                                               "start_date": day, "end_date": day, "timezone": "Europe/Paris",
                                               "languages": "fr", "code": "Z26IN 077"}, "{kind}{yy}EV {seq:03d}")  # fmt: skip
        programme.publish_event(event)
        db.session.commit()
        code = event.code
        db.session.remove()
    return app, code


def _assert_try_again(response) -> None:
    """What a person sees while the database is away: a clear "try again", never a 500."""
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "réessayez dans un instant" in html.unescape(response.get_data(as_text=True))


def _registered_emails(app) -> list[str]:
    from eventsys.models.registration import Registration

    with app.app_context():
        emails = db.session.scalars(select(Registration.email)).all()
        db.session.remove()
        db.engine.dispose()
    return emails


def test_database_restart_during_a_registration_burst(tmp_path, scratch_url):
    proxy = TcpProxy(scratch_url.host, scratch_url.port or 5432).start()
    via_proxy = scratch_url.set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False
    )
    app, code = _registration_app(tmp_path, via_proxy)

    outcomes: dict[int, list[int]] = {n: [] for n in range(PEOPLE)}
    bodies: dict[int, str] = {}
    cut, restored = threading.Event(), threading.Event()
    done = {"n": 0}
    lock = threading.Lock()

    crashes: list[BaseException] = []

    def attendee_thread(numbers: list[int]) -> None:
        client = app.test_client()
        for n in numbers:
            try:
                response = client.post(f"/e/{code}/register", data=person(n))
            except BaseException as error:  # an exception escaping the app is a 500 to a person
                crashes.append(error)
                raise
            outcomes[n].append(response.status_code)
            if response.status_code != 302:
                bodies[n] = html.unescape(response.get_data(as_text=True))
            with lock:
                done["n"] += 1
                if done["n"] == PEOPLE // 3:
                    cut.set()
            if cut.is_set() and not restored.is_set():
                restored.wait(timeout=10)  # people wait a little before trying the next one

    workers = [
        threading.Thread(target=attendee_thread, args=(list(range(i, PEOPLE, THREADS)),))
        for i in range(THREADS)
    ]
    for worker in workers:
        worker.start()
    assert cut.wait(timeout=60)
    proxy.stop()  # the database "restarts": every connection is reset, new ones are refused
    with app.test_client() as probe:
        during = [probe.post(f"/e/{code}/register", data=person(1000 + k)) for k in range(3)]
    proxy.start()  # back, on the same address
    restored.set()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers), "a request never finished"
    assert not crashes, crashes

    # While it was down: a clear "try again" (503 with Retry-After), never a 500.
    for response in during:
        _assert_try_again(response)
    statuses = [status for history in outcomes.values() for status in history]
    assert set(statuses) <= {302, 503}, bodies
    # The people whose request failed try again; the already-saved ones are told so, not doubled.
    client = app.test_client()
    for n, history in outcomes.items():
        if history[-1] != 302:
            assert client.post(f"/e/{code}/register", data=person(n)).status_code == 302
    for k in range(3):
        assert client.post(f"/e/{code}/register", data=person(1000 + k)).status_code == 302

    emails = _registered_emails(app)
    proxy.close()
    expected = {person(n)["email"] for n in [*range(PEOPLE), 1000, 1001, 1002]}
    assert sorted(emails) == sorted(expected)  # everyone once: nothing lost, nothing doubled
    assert len(emails) == len(set(emails))


def _app_with_tables(tmp_path, scratch_url, **config):
    """The app on the scratch database with the default engine options (as in production), and
    its tables; routes added by a test are registered before its first request."""
    app = create_app({
        "TESTING": True, "SECRET_KEY": "x", "MAIL_BACKEND": "memory",
        "SQLALCHEMY_DATABASE_URI": scratch_url.render_as_string(hide_password=False),
        "STORAGE_DIR": str(tmp_path / "storage"), **config,
    })  # fmt: skip
    with app.app_context():
        db.create_all()
        db.session.remove()
    return app


def test_a_connection_lost_after_the_answer_is_not_a_500(tmp_path, scratch_url):
    """The server ends the session while the request still holds its transaction (a restart
    between the last query and the end of the request): the closing ROLLBACK fails, the person
    still gets the page that was built, and the next request works on a fresh connection."""
    app = _app_with_tables(tmp_path, scratch_url)
    admin = create_engine(scratch_url, isolation_level="AUTOCOMMIT")

    @app.get("/_test/lose-connection")
    def lose_connection():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return "built before the loss"

    client = app.test_client()
    response = client.get("/_test/lose-connection")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "built before the loss"
    assert client.get("/healthz").status_code == 200
    with app.app_context():
        db.engine.dispose()
    admin.dispose()


def test_an_idle_connection_is_checked_before_use_and_a_busy_one_is_not(tmp_path, scratch_url):
    """A connection the server dropped while it sat in the pool (a restart during a quiet hour)
    is replaced before a request uses it: no error page. One handed straight from request to
    request is used as it is: no extra round trip per request under load."""
    app = _app_with_tables(tmp_path, scratch_url, DB_PING_AFTER_IDLE_S=0.3)
    admin = create_engine(scratch_url, isolation_level="AUTOCOMMIT")

    @app.get("/_test/backend")
    def backend():
        return str(db.session.execute(text("SELECT pg_backend_pid()")).scalar_one())

    with app.app_context():
        engine = db.engine
    pings = []
    real_ping = engine.dialect.do_ping
    engine.dialect.do_ping = lambda connection: (pings.append(1), real_ping(connection))[1]
    try:
        client = app.test_client()
        first = client.get("/_test/backend").get_data(as_text=True)
        assert {client.get("/_test/backend").get_data(as_text=True) for _ in range(5)} == {first}
        assert pings == []  # handed from request to request: not checked
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": int(first)})
        time.sleep(0.5)
        response = client.get("/_test/backend")
        assert response.status_code == 200  # checked, found dead, replaced
        assert response.get_data(as_text=True) != first
        assert pings == [1]
    finally:
        engine.dialect.do_ping = real_ping
        engine.dispose()
        admin.dispose()


def _restart_command() -> list[str] | None:
    """Debian's way to restart the machine's PostgreSQL cluster, when this machine has one."""
    clusters = (
        sorted(Path("/etc/postgresql").glob("*/main")) if Path("/etc/postgresql").is_dir() else []
    )
    if not clusters or shutil.which("pg_ctlcluster") is None:
        return None
    version = clusters[-1].parent.name
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"]


@pytest.mark.skipif(
    os.environ.get("EVENTSYS_PG_RESTART_TESTS") != "1",
    reason="restarts the machine's PostgreSQL server: CI runs it alone, after the suite "
    "(set EVENTSYS_PG_RESTART_TESTS=1)",
)
def test_a_real_postgresql_restart_during_a_registration_burst(tmp_path, scratch_url):
    """The server itself restarts (fast shutdown: every backend killed, then "the database system
    is starting up") while four threads register people as fast as they can."""
    command = _restart_command()
    if command is None:
        pytest.fail("EVENTSYS_PG_RESTART_TESTS=1 but no pg_ctlcluster cluster on this machine")
    app, code = _registration_app(tmp_path, scratch_url.render_as_string(hide_password=False))
    outcomes: dict[int, list[int]] = {}
    refusals = []
    crashes: list[BaseException] = []
    lock = threading.Lock()
    counter = iter(range(10_000))
    started, restarted = threading.Event(), threading.Event()
    after_restart = {"n": 0}

    def attendee_thread() -> None:
        client = app.test_client()
        while True:
            with lock:
                if after_restart["n"] >= 40:  # enough people registered once it is back
                    return
                n = next(counter)
                outcomes[n] = []
            try:
                response = client.post(f"/e/{code}/register", data=person(n))
            except BaseException as error:  # an exception escaping the app is a 500 to a person
                crashes.append(error)
                raise
            with lock:
                outcomes[n].append(response.status_code)
                if response.status_code != 302:
                    refusals.append(response)
                if n >= 30:
                    started.set()
                if restarted.is_set() and response.status_code == 302:
                    after_restart["n"] += 1

    workers = [threading.Thread(target=attendee_thread) for _ in range(THREADS)]
    for worker in workers:
        worker.start()
    assert started.wait(timeout=60)
    subprocess.run(command, check=True, timeout=120, capture_output=True)
    restarted.set()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers), "a request never finished"
    assert not crashes, crashes

    assert refusals, "no request met the restart: the test proved nothing"
    for response in refusals:
        _assert_try_again(response)
    client = app.test_client()
    for n, history in outcomes.items():
        if history[-1] != 302:  # they try again
            assert client.post(f"/e/{code}/register", data=person(n)).status_code == 302
    emails = _registered_emails(app)
    assert sorted(emails) == sorted(person(n)["email"] for n in outcomes)  # nothing lost
    assert len(emails) == len(set(emails))  # nothing doubled
