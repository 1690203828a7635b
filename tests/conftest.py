"""Shared fixtures: an app per test with its own database, a client, and factories.

Set EVENTSYS_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run
the same suite on PostgreSQL; each test then runs inside an outer transaction rolled back at the end.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import create_engine

from eventsys import create_app
from eventsys.extensions import db as _db

PG_URL = os.environ.get("EVENTSYS_TEST_DATABASE_URL")


def _worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets its own PostgreSQL database (test_gw0, test_gw1 …)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).first()
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


PG_URL = _worker_database(PG_URL)
# Left out of the quick subset (`python3 dev.py test --quick`, i.e. -m "not slow" without the
# browser and production directories): each of these costs seconds of CPU. Node-id prefixes.
SLOW_TESTS = (
    "tests/api/test_schemathesis.py",
    "tests/services/test_badges.py::test_text_stays_inside_the_badge_and_clear_of_the_qr_code",
    "tests/services/test_badges.py::test_every_layout_prints_exact_names_and_codes_that_decode",
    "tests/networking/test_service.py::test_replan_after_three_leave_and_two_arrive_keeps_played_rounds",
    "tests/networking/test_service.py::test_plan_of_the_demo_shape_is_sound_and_reaches_zero_repeats",
    "tests/registration/test_concurrency.py",
    "tests/test_migrations.py",
    "tests/test_dev_script.py::test_ctrl_c_stops_a_parallel_run_at_once_and_leaves_nothing_behind",
    "tests/exports/test_import_ical.py::test_a_calendar_of_twenty_thousand_events_is_refused_with_the_limit",
    "tests/api/test_openapi.py::test_schemathesis_accepts_the_document",
    "tests/security/test_url_integers.py",
    "tests/services/test_rotation.py::test_random_instances_give_valid_plans",
    "tests/exports/test_exports_service.py::test_demo_events_export_and_validate",
)
TEST_PASSWORD = "correct horse battery staple"  # noqa: S105 - test fixture


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if item.nodeid.startswith(SLOW_TESTS):
            item.add_marker(pytest.mark.slow)


def _leaves_slow_tests_out(markexpr: str) -> bool:
    """Whether `-m markexpr` deselects a slow test whatever its other marks."""
    try:
        from _pytest.mark.expression import Expression
    except ImportError:  # pragma: no cover - pytest moved it: collect as usual
        return False
    expression = Expression.compile(markexpr)
    return not any(
        expression.evaluate(lambda name, /, others=others, **_: name == "slow" or others)
        for others in (False, True)
    )


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    """A file whose tests are all slow is not even imported when the run leaves slow tests out:
    importing and collecting the schemathesis one costs seconds in every worker of the quick run."""
    markexpr = config.getoption("markexpr", "")
    try:
        relative = collection_path.relative_to(config.rootpath).as_posix()
    except ValueError:
        return None
    if markexpr and relative in SLOW_TESTS and _leaves_slow_tests_out(markexpr):
        return True
    return None


def pytest_report_header(config) -> str:
    return f"eventsys database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite (temporary file)'}"


@pytest.fixture(scope="session")
def pg_engine():
    """One engine and one schema for the whole PostgreSQL run."""
    if not PG_URL:
        yield None
        return
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": PG_URL})
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        _db.engine.dispose()
    engine = create_engine(PG_URL)
    yield engine
    engine.dispose()


def _base_config(tmp_path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "test.sqlite3"),
        "STORAGE_DIR": str(tmp_path / "storage"),
        "MAIL_BACKEND": "memory",
        "PASSWORD_HASH_FAST": True,
    }


class SharedTemplateCode(BytecodeCache):
    """Compiled templates shared by the apps of one test process.

    Each test makes an app of its own, whose Jinja environment would compile again every template
    the test renders; compiling them once per process takes that much off every test that renders a
    page. A template whose source changed (its checksum) is compiled again.
    """

    def __init__(self) -> None:
        self.code: dict[str, tuple[str, Any]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self.code.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = (bucket.checksum, bucket.code)


TEMPLATE_CODE = SharedTemplateCode()


def _test_app(config: dict[str, Any]) -> Flask:
    application = create_app(config)
    application.test_client_class = IsolatedClient
    application.jinja_env.bytecode_cache = TEMPLATE_CODE
    return application


class IsolatedClient(FlaskClient):
    """A test client whose requests don't inherit state cached in the test's long-lived app context.

    The `app` fixture keeps one app context open and Flask reuses it for every request, so
    Flask-Login's cached user and Flask-Babel's cached locale would leak from one request
    (or one client) to the next.
    """

    def open(self, *args: Any, **kwargs: Any):
        import flask_babel
        from flask import g, has_app_context

        if has_app_context():
            g.pop("_login_user", None)
            flask_babel.refresh()
        return super().open(*args, **kwargs)


@pytest.fixture
def app_config(tmp_path) -> dict[str, Any]:
    """Override in a test module to change the configuration."""
    return {}


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """An empty SQLite database with the whole schema, copied for each test."""
    path = tmp_path_factory.mktemp("schema") / "template.sqlite3"
    application = create_app({**_base_config(path.parent), "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(path)})
    with application.app_context():
        _db.create_all()
        _db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory) -> Iterator[tuple[Path, Any]]:
    """One engine per worker on one database file, which each test replaces with a fresh copy.

    SQLAlchemy caches compiled statements per engine: with an engine per test, every test
    compiled again each statement it ran (a third of the time of the registration tests)."""
    path = tmp_path_factory.mktemp("database") / "test.sqlite3"
    engine = create_engine("sqlite:///" + str(path), connect_args={"timeout": 30})
    yield path, engine
    engine.dispose()


@pytest.fixture
def app(tmp_path, pg_engine, app_config, request) -> Iterator[Flask]:
    """A fresh app; SQLite gets a new file, PostgreSQL a rolled-back outer transaction."""
    config = {**_base_config(tmp_path), **app_config}
    if pg_engine is not None:
        config["SQLALCHEMY_DATABASE_URI"] = PG_URL
        application = _test_app(config)
        with application.app_context():
            connection = pg_engine.connect()
            outer = connection.begin()
            # Every session of this app uses the one connection; commits become savepoints,
            # and the outer transaction is rolled back at the end of the test.
            engines = _db.engines
            own_engine = engines[None]
            engines[None] = connection
            _db.session.remove()
            _db.session.configure(join_transaction_mode="create_savepoint")
            try:
                yield application
            finally:
                _db.session.remove()
                _db.session.configure(join_transaction_mode="conditional_savepoint")
                engines[None] = own_engine
                own_engine.dispose()
                outer.rollback()
                connection.close()
        return
    # The schema template (made once per worker) is built BEFORE this test's app: building it
    # creates an app of its own, and extensions such as the rate limiter keep the settings of the
    # last app created in the process (a rate-limit test run first on a worker was left unlimited).
    if config["SQLALCHEMY_DATABASE_URI"] != _base_config(tmp_path)["SQLALCHEMY_DATABASE_URI"]:
        application = _test_app(config)  # a database of the test's own choosing
        with application.app_context():
            _db.create_all()
            try:
                yield application
            finally:
                _db.session.remove()
                _db.engine.dispose()
        return
    template = request.getfixturevalue("sqlite_template")
    path, engine = request.getfixturevalue("sqlite_engine")
    # a copy of the schema made once per worker: creating it costs more than many tests
    shutil.copyfile(template, path)
    config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(path)
    application = _test_app(config)
    with application.app_context():
        engines = _db.engines
        own_engine = engines[None]
        engines[None] = engine
        try:
            yield application
        finally:
            _db.session.remove()
            engines[None] = own_engine
            own_engine.dispose()
            engine.dispose()  # no connection left open on the file the next test replaces


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def db(app: Flask):
    return _db


# ---------------------------------------------------------------- factories


@pytest.fixture
def make_user(app) -> Callable[..., Any]:
    from eventsys.security import create_user

    counter = {"n": 0}

    def make(email: str | None = None, password: str = TEST_PASSWORD, **kw: Any):
        counter["n"] += 1
        user = create_user(email or f"user{counter['n']}@example.org", password, **kw)
        _db.session.commit()
        return user

    return make


@pytest.fixture
def make_event(app, make_user) -> Callable[..., Any]:
    from eventsys.services import programme

    counter = {"n": 0}

    def make(owner=None, **data: Any):
        counter["n"] += 1
        owner = owner or make_user()
        fields = {
            "title": f"Journée d'actualité {counter['n']}",
            "kind": "training_day",
            "start_date": date(2026, 6, 25),
            "end_date": date(2026, 6, 25),
            "timezone": "Europe/Paris",
            "languages": "fr,en",
            "code": f"T26EV {counter['n']:03d}",
            **data,
        }
        event = programme.create_event(owner, fields, "{kind}{yy}EV {seq:03d}")
        _db.session.commit()
        return event

    return make


@pytest.fixture
def make_room(app) -> Callable[..., Any]:
    from eventsys.models import Room
    from eventsys.services import programme

    def make(event, name: str = "Salle A", capacity: int | None = 50, **kw: Any):
        room = programme.save_room(event, Room(), {"name": name, "capacity": capacity, **kw})
        _db.session.commit()
        return room

    return make


@pytest.fixture
def make_speaker(app) -> Callable[..., Any]:
    from eventsys.models import Speaker
    from eventsys.services import programme

    def make(event, name: str = "Camille Durand", **kw: Any):
        speaker = programme.save_speaker(event, Speaker(), {"name": name, **kw})
        _db.session.commit()
        return speaker

    return make


@pytest.fixture
def make_session(app) -> Callable[..., Any]:
    from eventsys.models import ProgrammeSession
    from eventsys.services import programme

    def make(event, title: str = "Exposé", start: str = "10:00", end: str = "11:00", day: date | None = None,
             room=None, speakers=(), **kw: Any):
        day = day or event.start_date
        starts = programme.local_to_utc(event, day, time.fromisoformat(start))
        ends = programme.local_to_utc(event, day, time.fromisoformat(end))
        data = {"title": title, "type": kw.pop("type", "talk"), "room_id": room.id if room else None, **kw}
        session = programme.save_session(
            event, ProgrammeSession(), data, starts, ends,
            speakers=[(s.id, role) for s, role in speakers],
        )
        _db.session.commit()
        return session

    return make


def login(client: FlaskClient, user, password: str = TEST_PASSWORD):
    """Log a user in through the real form."""
    return client.post("/auth/login", data={"email": user.email, "password": password}, follow_redirects=False)


@pytest.fixture
def logged_in(client, make_user):
    """A client logged in as a fresh organiser account; returns (client, user)."""

    def make(user=None):
        user = user or make_user()
        response = login(client, user)
        assert response.status_code == 302, response.data
        return user

    return make


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


