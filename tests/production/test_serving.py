"""Production serving: /healthz per component, Redis down (pages and registrations keep working),
request ids in headers and JSON logs, HSTS and secure cookies under HTTPS."""

from __future__ import annotations

import json
import logging

import pytest

from eventsys import create_app
from eventsys.logging import JsonFormatter
from tests.production.conftest import REDIS_URL, closed_port, redis_available
from tests.registration.conftest import open_event  # noqa: F401 - shared fixture
from tests.registration.helpers import outbox, person


def test_healthz_reports_redis_when_configured(app, client):
    if not redis_available():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    app.config["REDIS_URL"] = REDIS_URL
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


@pytest.fixture
def app_config():
    # Redis is configured but nothing listens there: a Redis outage in production.
    return {"REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0", "RATELIMIT_ENABLED": True}


def test_redis_down_healthz_says_so_and_the_site_keeps_serving(app, client, open_event):  # noqa: F811
    event = open_event()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "degraded", "database": "ok", "redis": "error"}

    assert client.get(f"/e/{event.code}/programme").status_code == 200
    # Registration is rate-limited through Redis: the limiter falls back, the person is registered.
    response = client.post(f"/e/{event.code}/register", data=person())
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert len(outbox()) == 1  # the confirmation e-mail waits in the outbox (sent by this process)


def test_database_down_healthz_says_so(tmp_path):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "x",
        "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://nobody@127.0.0.1:{closed_port()}/none",
    })  # fmt: skip
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "error"


def test_request_id_is_kept_or_made_and_returned(client):
    given = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c21-0001"})
    assert given.headers["X-Request-ID"] == "lb-7f3a9c21-0001"
    made = client.get("/healthz", headers={"X-Request-ID": 'bad id "quoted" <x>'})
    assert made.headers["X-Request-ID"] != 'bad id "quoted" <x>'
    assert len(made.headers["X-Request-ID"]) == 32
    assert client.get("/healthz").headers["X-Request-ID"] != made.headers["X-Request-ID"]


def test_log_lines_are_json_with_the_request_id(app):
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    app.logger.addHandler(handler)
    app.add_url_rule("/boom-for-test", "boom", lambda: 1 / 0)
    try:
        response = app.test_client().get(
            "/boom-for-test", headers={"X-Request-ID": "trace-1234567890"}
        )
    finally:
        app.logger.removeHandler(handler)
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "trace-1234567890"
    failed = [r for r in records if r.levelno >= logging.ERROR]
    assert failed
    line = json.loads(JsonFormatter().format(failed[0]))
    assert line["request_id"] == "trace-1234567890"
    assert line["path"] == "/boom-for-test"
    assert line["level"] == "ERROR"
    assert "ZeroDivisionError" in line["exception"]


def test_json_logs_go_to_stderr_in_production(tmp_path, capsys):
    app = create_app({"SECRET_KEY": "prod-like", "LOG_JSON": True, "BASE_URL": "https://evenements.example.org",
                      "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "p.sqlite3")})  # fmt: skip
    logger = logging.getLogger("eventsys")
    try:
        with app.test_request_context("/somewhere", headers={"X-Request-ID": "abcdef123456"}):
            app.preprocess_request()
            app.logger.warning("disk almost full", extra={"free_mb": 12})
        line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    finally:
        for handler in [h for h in logger.handlers if getattr(h, "_eventsys_json", False)]:
            logger.removeHandler(handler)
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    assert line["message"] == "disk almost full"
    assert line["request_id"] == "abcdef123456"
    assert line["free_mb"] == 12


def test_plain_http_without_the_setting_sends_no_hsts(client):
    response = client.get("/healthz")
    assert "Strict-Transport-Security" not in response.headers
    assert "Content-Security-Policy" in client.get("/").headers
