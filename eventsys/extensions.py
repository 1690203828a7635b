"""Flask extensions, created unbound and attached in create_app."""

import time
from typing import Any

from flask import Flask, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Engine, MetaData
from sqlalchemy import event as sa_event
from sqlalchemy.exc import DisconnectionError

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def offered_languages() -> list[str]:
    """The interface languages of this page: the configured ones, or only those its event
    offers when the event restricts them (Event.restrict_languages)."""
    from flask import current_app, g

    from eventsys.i18n import event_languages

    if "locale_offered" not in g:
        g.locale_offered = event_languages(page_event(), current_app.config["LANGUAGES"])
    return g.locale_offered


def page_event():
    """The event a page is about, if any: set by the view (g.locale_event, e.g. on an attendee's
    private pages) or found from the <code> in the URL."""
    from flask import g

    if "locale_event" in g:
        return g.locale_event
    code = (request.view_args or {}).get("code")
    if not isinstance(code, str):
        return None
    from eventsys.services.programme import find_event

    g.locale_event = find_event(code)
    return g.locale_event


_DOWNLOADS = (".pdf", ".ics")


def select_locale() -> str:
    """Explicit choice (?lang=, then the remembered one) > the attendee's preferred language on
    their own pages (g.preferred_locale) > Accept-Language > the event's main language > French.

    Unknown or malformed values anywhere are skipped, never an error.
    """
    from flask import current_app, g, has_request_context

    from eventsys.i18n import event_default_language, language_code

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
    from eventsys.i18n import language_code

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


def _ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """pool_pre_ping for connections that sat idle, not on every request.

    A connection idle longer than `idle_seconds` is checked before use, and replaced if the
    server is gone (a restart overnight costs nobody an error page). One just given back by
    the previous request is not: under load that check was a round trip on every request. A
    server that goes away under load fails the requests in flight with a 503 "try again", and
    SQLAlchemy then drops every connection opened before the failure."""

    @sa_event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["eventsys_idle_since"] = time.monotonic()

    @sa_event.listens_for(engine, "checkout")
    def _check_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("eventsys_idle_since")
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - whatever the driver raises, the connection is dead
            raise DisconnectionError from error  # the pool replaces it and checks out again


def init_app(app: Flask) -> None:
    """Bind every extension to the app."""
    db.init_app(app)
    idle = app.config.get("DB_PING_AFTER_IDLE_S")
    if idle is not None:
        with app.app_context():
            for engine in db.engines.values():
                if engine.dialect.name != "sqlite":
                    _ping_when_idle(engine, float(idle))

    @app.teardown_appcontext
    def _end_session_even_if_the_database_left(_exception: BaseException | None) -> None:
        """Runs before Flask-SQLAlchemy's own `session.remove()` (teardowns run in reverse).

        When the database went away mid-request, the closing ROLLBACK fails too; SQLAlchemy has
        then invalidated the dead connection, so a second close succeeds. Without this, the error
        would escape after the response was built (a 500 instead of the 503 already chosen)."""
        from sqlalchemy.exc import DBAPIError

        try:
            db.session.remove()
        except DBAPIError:
            db.session.remove()

    migrate.init_app(app, db, directory=app.config.get("MIGRATIONS_DIR", "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    limiter.init_app(app)
