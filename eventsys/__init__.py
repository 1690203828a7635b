"""eventsys: event and training management for local-government engineers."""

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from eventsys.config import DEV_SECRET_KEY, MIGRATIONS_DIR
from eventsys.routing import LazyBuildRule
from eventsys.services.links import check_link_settings


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then EVENTSYS_* variables, then the test dict."""
    from eventsys import blueprints, cli, extensions, jobs, web
    from eventsys import logging as request_logging

    app = Flask(__name__, instance_relative_config=True)
    app.url_rule_class = LazyBuildRule
    app.config.from_object("eventsys.config.Config")
    app.config.from_prefixed_env("EVENTSYS")
    if test_config is not None:
        app.config.update(test_config)
    _finish_config(app)
    extensions.init_app(app)
    web.init_app(app)
    jobs.init_app(app)
    request_logging.init_app(app)
    blueprints.register_blueprints(app)
    cli.init_app(app)
    return app


def _finish_config(app: Flask) -> None:
    """Derive settings that depend on others and refuse unsafe production settings."""
    if not (app.debug or app.testing) and app.config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise RuntimeError(
            "EVENTSYS_SECRET_KEY is not set: refusing to start outside debug or testing "
            "with the development key."
        )
    check_link_settings(app)
    app.config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=float(app.config["REMEMBER_DAYS"])))
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = app.config.get("DATABASE_URL")
        if not url:
            Path(app.instance_path).mkdir(parents=True, exist_ok=True)
            url = "sqlite:///" + str(Path(app.instance_path) / "eventsys.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
            "connect_args": {"timeout": 30},
        }
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        timeout = float(app.config.get("REDIS_TIMEOUT", 2.0))
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": timeout, "socket_timeout": timeout})
    if app.config.get("HTTPS"):  # served over HTTPS (behind a proxy): cookies never travel in clear
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
    app.config.setdefault("MIGRATIONS_DIR", MIGRATIONS_DIR)
