"""Absolute links: the one place that decides which address e-mails, calendars, job results and
"copy this link" boxes point to.

A link that leaves the page (an e-mail, an attached or subscribed calendar, a PDF, a link an
organiser hands on) must never take its host from the request: anyone can send a registration
with someone else's e-mail and a forged `Host:` header, and the genuine e-mail would then carry
that person's private token to the forger's site. So:

- `EVENTSYS_BASE_URL` set: every link is built on it, whatever the request says.
- otherwise, in a request: the request's own address, which is safe only because outside
  debug/testing the app refuses to start without `EVENTSYS_BASE_URL` or `EVENTSYS_TRUSTED_HOSTS`
  (`check_link_settings`), and with trusted hosts werkzeug answers 400 to any other `Host:`.
  The development server (debug) and the tests use their own address.
- otherwise, outside a request (the mail sender, background jobs, the CLI): the first trusted
  host, or `http://localhost` in debug/testing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request


class LinkSettingsError(RuntimeError):
    """The settings do not say which address links may point to."""


def _trusted_hosts(config: Mapping[str, Any]) -> list[str]:
    hosts = config.get("TRUSTED_HOSTS")
    if not hosts:
        return []
    if isinstance(hosts, str):  # EVENTSYS_TRUSTED_HOSTS=a.example.org,b.example.org (not JSON)
        hosts = hosts.split(",")
    return [str(host).strip() for host in hosts if str(host).strip()]


def check_link_settings(app: Flask) -> None:
    """Normalise BASE_URL and TRUSTED_HOSTS; refuse to start outside debug/testing without one.

    Called by create_app before anything serves a request."""
    base = app.config.get("BASE_URL")
    if base:
        parts = urlsplit(str(base).strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise LinkSettingsError(
                f"EVENTSYS_BASE_URL must be an absolute http(s) address such as "
                f"https://evenements.example.org, not {base!r}."
            )
        app.config["BASE_URL"] = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    hosts = _trusted_hosts(app.config)
    # Flask (3.1+) hands TRUSTED_HOSTS to werkzeug, which answers 400 to any other Host header.
    app.config["TRUSTED_HOSTS"] = hosts or None
    if app.debug or app.testing:
        return
    if not base and not hosts:
        raise LinkSettingsError(
            "Neither EVENTSYS_BASE_URL nor EVENTSYS_TRUSTED_HOSTS is set: refusing to start outside "
            "debug or testing, since links in e-mails would then follow whatever Host header a "
            "visitor sends. Set EVENTSYS_BASE_URL=https://your.site (or EVENTSYS_TRUSTED_HOSTS)."
        )
    if not base and hosts[0].startswith("."):
        raise LinkSettingsError(
            "EVENTSYS_TRUSTED_HOSTS must start with a plain host name (links built outside a "
            "request, e.g. by the mail sender, use it) when EVENTSYS_BASE_URL is not set."
        )


def site_root() -> str:
    """The site's address without a trailing slash, e.g. `https://evenements.example.org`."""
    config = current_app.config
    base = config.get("BASE_URL")
    if base:
        return str(base).rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    hosts = _trusted_hosts(config)
    if hosts:
        scheme = "https" if config.get("HTTPS") else "http"
        return f"{scheme}://{hosts[0].lstrip('.')}"
    if current_app.debug or current_app.testing:
        return "http://localhost"
    raise LinkSettingsError("set EVENTSYS_BASE_URL to build links outside a request")


def external_url(endpoint: str, *, root: str | None = None, **values: Any) -> str:
    """A full URL of an endpoint on `root` (a value `site_root` gave earlier), else `site_root()`."""
    parts = urlsplit(root or site_root())
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
