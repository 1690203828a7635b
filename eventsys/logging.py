"""Production request glue: a request id on every request and log line, JSON logs, proxy headers.

* `X-Request-ID`: taken from the load balancer when it sends a sane one, made up otherwise, sent
  back on the response and written in every log line of the request (gunicorn's access log
  prints it too, see gunicorn.conf.py), so one failing request can be followed across servers.
* JSON logs (`EVENTSYS_LOG_JSON`, on by default outside debug/testing): one object per line on
  stderr, for journald, Loki or any log shipper.
* `EVENTSYS_PROXIES=N`: trust N proxies' X-Forwarded-For/-Proto/-Host (client address for rate
  limits, https for HSTS and redirects). `EVENTSYS_HTTPS=true` also sends HSTS on every answer.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, jsonify, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
HSTS = "max-age=31536000; includeSubDomains"
_OUTAGE_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>eventsys</title><link rel="stylesheet" href="{css}"></head>
<body><main id="content" class="container"><h1>503</h1><p class="notice" role="alert">{message}</p></main></body></html>
"""
DATABASE_DOWN = _l(
    "Le service est momentanément indisponible. Rien n'a été enregistré : réessayez dans un instant."
)


def current_request_id() -> str | None:
    """The id of the request being served, if any."""
    if not has_request_context():
        return None
    return g.get("request_id")


class RequestIdFilter(logging.Filter):
    """Adds request_id (and method, path) to every record logged during a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        if has_request_context() and not hasattr(record, "path"):
            record.method = request.method
            record.path = request.path
        return True


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):
    """Writes to the current sys.stderr (not the one at creation), so redirection keeps working."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(app: Flask) -> None:
    """JSON lines on stderr for the app, job and RQ loggers (once per process and logger)."""
    json_logs = app.config.get("LOG_JSON")
    if json_logs is None:
        json_logs = not (app.debug or app.testing)
    request_filter = RequestIdFilter()
    level = str(app.config.get("LOG_LEVEL", "INFO")).upper()
    for name in (app.logger.name, "eventsys", "rq.worker"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RequestIdFilter) for f in logger.filters):
            logger.addFilter(request_filter)
        if not json_logs:
            continue
        logger.setLevel(level)
        if not any(getattr(h, "_eventsys_json", False) for h in logger.handlers):
            from flask.logging import default_handler

            logger.removeHandler(default_handler)
            handler = _StderrHandler()
            handler.setFormatter(JsonFormatter())
            handler.addFilter(request_filter)
            handler._eventsys_json = True  # type: ignore[attr-defined]
            logger.addHandler(handler)
            logger.propagate = False


def init_app(app: Flask) -> None:
    """Request ids, JSON logs, proxy headers and HSTS."""
    proxies = int(app.config.get("PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    configure_logging(app)

    @app.errorhandler(DBAPIError)
    def _database_unavailable(error: DBAPIError):
        """A lost database connection (restart, failover): a clear "try again", not a 500.

        The transaction was rolled back, so nothing of the request was saved; the pool drops the
        dead connection, and the others opened before it, so the next request starts afresh.
        The answer touches no database (no user, no event lookup), since there is none.
        """
        from eventsys.extensions import db
        from eventsys.web import error_response, wants_json

        try:
            db.session.rollback()
        except DBAPIError:
            db.session.close()
        if not isinstance(error, OperationalError):
            app.logger.exception("database error on %s %s", request.method, request.path)
            return error_response(500)
        app.logger.warning(
            "database unavailable on %s %s: %s", request.method, request.path, error.orig
        )
        try:
            lang, message = str(get_locale() or "fr"), str(DATABASE_DOWN)
        except DBAPIError:  # the language choice may need the event, from the database
            lang = app.config["BABEL_DEFAULT_LOCALE"]
            with force_locale(lang):
                message = str(DATABASE_DOWN)
        if wants_json():
            response = jsonify({"error": {"code": "service_unavailable", "message": message}})
        else:
            response = app.make_response(_OUTAGE_PAGE.format(
                lang=escape(lang), message=escape(message),
                css=escape(url_for("static", filename="css/app.css")),
            ))  # fmt: skip
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.before_request
    def _request_id() -> None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _tag_response(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        if request.is_secure or app.config.get("HTTPS"):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        started = g.get("request_started")
        if started is not None and response.status_code >= 500 and response.status_code != 503:
            app.logger.error(
                "request failed",
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response
