"""Flask extensions, created unbound and attached in create_app."""

import time
from typing import Any

from flask import Flask
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
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    limiter.init_app(app)
