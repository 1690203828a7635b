"""Request-wide behaviour: error pages, security headers, template helpers, login loading."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    has_request_context,
    jsonify,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_babel import get_locale, refresh
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.routing import IntegerConverter

from eventsys import i18n
from eventsys.extensions import babel, db, login_manager
from eventsys.i18n import LANGUAGE_NAMES, event_default_language, event_languages, language_code
from eventsys.kept import kept
from eventsys.security import user_for_session
from eventsys.services.links import external_url
from eventsys.services.programme import find_event
from eventsys.viewer import format_local, format_local_date, viewer_locale

login_manager.login_message = _l("Veuillez vous connecter pour accéder à cette page.")


@sa_event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite enforces foreign keys only when asked, per connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@login_manager.user_loader
def _load_user(user_id: str):
    return user_for_session(user_id)


# Ids and counts are PostgreSQL `integer` columns (SQLite takes up to 2**63 - 1): a bigger
# number from a URL cannot name anything, and passed on it overflows the driver (a 500).
MAX_INT = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` everywhere: 0 to MAX_INT unless the rule says otherwise; beyond is a 404."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_INT)
        super().__init__(url_map, *args, **kwargs)


def int_arg(name: str, default: int | None = None, *, minimum: int = 1, maximum: int = MAX_INT) -> int | None:
    """An integer of the query string (or form): absent or empty gives `default`; anything but
    a number within [minimum, maximum] is a 400, never passed on to the database."""
    value = (request.values.get(name) or "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(maximum)):
        abort(400)
    number = int(value)
    if not minimum <= number <= maximum:
        abort(400)
    return number


def wants_json() -> bool:
    """API clients get JSON errors."""
    return request.path.startswith("/api/")


ERROR_MESSAGES = {
    400: _l("La demande n'a pas pu être comprise."),
    403: _l("Vous n'avez pas accès à cette page."),
    404: _l("Cette page n'existe pas, ou plus."),
    405: _l("Cette action n'est pas possible ici."),
    413: _l("Le fichier envoyé est trop volumineux."),
    429: _l("Trop de demandes en peu de temps. Réessayez dans une minute."),
    500: _l("Une erreur inattendue s'est produite. Réessayez ; si elle persiste, prévenez l'organisateur."),
}
ERROR_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    422: "validation_error", 429: "rate_limited", 500: "server_error",
}  # fmt: skip


def error_response(status: int, code: str | None = None, message: str | None = None, **extra):
    """An error in the form the client understands: JSON for the API, a page otherwise."""
    text = message or str(ERROR_MESSAGES.get(status, ERROR_MESSAGES[400]))
    if wants_json():
        body = {"error": {"code": code or ERROR_CODES.get(status, "error"), "message": text, **extra}}
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=text), status


def prefer_language(code: str | None, event: Any = None) -> None:
    """On an attendee's own pages: their registration language, unless they chose one on the site.

    With the event, its language restriction (Event.restrict_languages) applies to the page too.
    """
    g.preferred_locale = code
    if event is not None:
        g.locale_event = event
        g.pop("locale_offered", None)
    refresh()


# ------------------------------------------------------------------ the page's language


def offered_languages() -> list[str]:
    """The interface languages of this page: the configured ones, or only those its event
    offers when the event restricts them (Event.restrict_languages)."""
    if "locale_offered" not in g:
        g.locale_offered = event_languages(page_event(), current_app.config["LANGUAGES"])
    return g.locale_offered


def page_event():
    """The event a page is about, if any: set by the view (g.locale_event, e.g. on an attendee's
    private pages) or found from the <code> in the URL."""
    if "locale_event" in g:
        return g.locale_event
    code = (request.view_args or {}).get("code")
    if not isinstance(code, str):
        return None
    g.locale_event = find_event(code)
    return g.locale_event


_DOWNLOADS = (".pdf", ".ics")


def select_locale() -> str:
    """Explicit choice (?lang=, then the remembered one) > the attendee's preferred language on
    their own pages (g.preferred_locale) > Accept-Language > the event's main language > French.

    Unknown or malformed values anywhere are skipped, never an error.
    """
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    configured = current_app.config["LANGUAGES"]
    offered = offered_languages()
    asked = language_code(request.args.get("lang"), configured)
    # Remembered in the session cookie; not from the API, nor from a download link such as
    # "PDF in Deutsch" (choosing a document's language is not choosing the site's).
    if asked and not request.path.startswith("/api/") and not request.path.endswith(_DOWNLOADS):
        session["lang"] = asked
    if asked in offered:
        return asked
    for candidate in (session.get("lang"), g.get("preferred_locale")):
        code = language_code(candidate, offered)
        if code:
            return code
    browser = _browser_language(offered)
    if browser:
        return browser
    return event_default_language(page_event(), offered)


def _browser_language(offered: list[str]) -> str | None:
    """The best offered match for Accept-Language ("de-CH" counts as "de"); None when none fits."""
    try:
        accepted = request.accept_languages
        best = accepted.best_match(offered)
        if best:
            return best
        for value, quality in accepted:
            code = language_code(value, offered)
            if code and quality > 0:
                return code
    except (ValueError, TypeError):  # a header werkzeug could not read is no choice at all
        return None
    return None


class KeptSerializerSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer built once per key instead of
    on every request (a tenth of a millisecond on each API call, which has no cookie at all)."""

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        build = super().get_signing_serializer
        return kept(app, "eventsys.session_serializer", key, lambda: build(app))


def init_app(app: Flask) -> None:
    """Attach error handlers, headers and template helpers, and bound the integers of every route."""
    app.url_map.converters["int"] = BoundedIntegerConverter  # before any blueprint adds its rules
    app.session_interface = KeptSerializerSessions()
    babel.init_app(app, locale_selector=select_locale)

    @app.errorhandler(SecurityError)
    def _untrusted_host(error: SecurityError):
        # A Host header outside EVENTSYS_TRUSTED_HOSTS: no URL can be built for it, so not even
        # the error page's links; a bare answer, the same for pages and the API.
        return Response("400 Bad Request: unknown host\n", status=400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code == 401 and not wants_json():
            return login_manager.unauthorized()
        return error_response(error.code or 500)

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return error_response(
            400, "csrf_failed", str(_l("Le formulaire a expiré. Rechargez la page et réessayez."))
        )

    @app.errorhandler(Exception)
    def _server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500)

    @app.before_request
    def _nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.before_request
    def _fresh_locale() -> None:
        # The locale is chosen per request; an app context reused across requests (tests, CLI
        # calling views) must not carry the previous page's language or event over.
        for key in ("preferred_locale", "locale_event", "locale_offered"):
            g.pop(key, None)
        refresh()

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
            "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    @app.context_processor
    def _template_globals():
        def lang_url(code: str) -> str:
            args = {**request.view_args} if request.view_args else {}
            query = request.args.to_dict()
            query["lang"] = code
            if request.endpoint:
                try:
                    return url_for(request.endpoint, **args, **query)
                except Exception:  # noqa: BLE001 - fall back to the home page for odd endpoints
                    return url_for("public.index", lang=code)
            return url_for("public.index", lang=code)

        return {
            "current_locale": str(get_locale() or "fr"),
            "available_languages": [(c, LANGUAGE_NAMES.get(c, c)) for c in offered_languages()],
            "lang_url": lang_url,
            "csp_nonce": lambda: g.get("csp_nonce", ""),
        }

    def _local_day_time(value: datetime | None, tz: str | None = None) -> str:
        return i18n.format_day_time(value, viewer_locale(), tz or app.config["DEFAULT_TIMEZONE"])

    def _local_range(
        start: datetime, end: datetime | None, tz: str | None = None, width: str = "full"
    ) -> str:
        return i18n.format_range(
            start, end, viewer_locale(), tz or app.config["DEFAULT_TIMEZONE"], width
        )

    def _time_range(start: datetime, end: datetime, tz: str | None = None) -> str:
        return i18n.time_range(start, end, viewer_locale(), tz or app.config["DEFAULT_TIMEZONE"])

    app.jinja_env.globals["external_url"] = external_url
    app.jinja_env.filters["local_time"] = format_local
    app.jinja_env.filters["local_date"] = format_local_date
    app.jinja_env.filters["local_day_time"] = _local_day_time
    app.jinja_env.filters["local_range"] = _local_range
    app.jinja_env.filters["time_range"] = _time_range
    app.jinja_env.filters["number"] = lambda value, decimals=None: i18n.format_number(
        value, viewer_locale(), decimals
    )
    app.jinja_env.filters["join_list"] = lambda items: i18n.format_list(items, viewer_locale())
