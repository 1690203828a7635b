"""Rendered public pages, cached: the programme page of an event is rendered once per version.

On an opening morning most requests read the same public programme; rendering it (the sessions,
rooms, speakers, translations, dates in the visitor's language) costs far more than finding the
event. `cached_page(event, render)` serves the HTML rendered for the same

* page (endpoint) and event id,
* event version: `Event.updated_at`, which every change of the event *or of its programme*
  moves (see `_touch_events` below: any flushed change to a session, room, speaker, track or a
  session's speaker list, to a question of the registration form or to the registration
  settings bar their counters sets its event's `updated_at`, in the same transaction),
* interface language, host (links are absolute in places), extra values the view passes
  (today's date, which decides whether "S'inscrire" shows), the installed templates and
  translations (a deployment never serves pages of the previous release), the database,

so an organiser's edit is visible on the very next request: the event row that the view loads
anyway carries the new version, and a new version is a new key (old entries simply expire).

Where: in Redis when `EVENTSYS_REDIS_URL` is set (shared by every worker and app server), with a
small in-process LRU in front of it (entries never change once written, so a local copy cannot be
stale); in the in-process LRU alone otherwise (the laptop case). Redis failing is not an error:
the page is rendered or served from the process, and Redis is skipped for a few seconds.

Never cached: pages for a logged-in person (their menu, a CSRF token), pages with pending flash
messages, drafts, requests with query arguments other than `lang`, anything but GET/HEAD, and a
page that turns out to contain the request's CSRF token. Responses carry an ETag and
`Cache-Control: private, no-cache`, so browsers revalidate and get 304 when nothing changed.

Settings: `EVENTSYS_PAGE_CACHE_SECONDS` (default 300; 0 turns the cache off),
`EVENTSYS_PAGE_CACHE_ENTRIES` (in-process entries per app, default 256).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event as sa_event
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from eventsys.config import TRANSLATIONS_DIR
from eventsys.models import Event, ProgrammeSession, Room, SessionSpeaker, Speaker, Track
from eventsys.models.events import STATUS_DRAFT
from eventsys.models.registration import CustomQuestion, RegistrationSettings
from eventsys.models.types import utcnow

log = logging.getLogger("eventsys.cache")

DEFAULT_SECONDS = 300
DEFAULT_ENTRIES = 256
REDIS_BACKOFF_SECONDS = 10.0
REDIS_TIMEOUT_SECONDS = 0.5  # a page cache must never make a page slower than rendering it
HEADER = "X-Page-Cache"  # hit, miss or bypass: for operators and the load benchmark
ALLOWED_ARGS = frozenset({"lang"})
PACKAGE = Path(__file__).resolve().parent


# ------------------------------------------------------------------ the version of an event


PROGRAMME_MODELS = (ProgrammeSession, Room, Speaker, Track, SessionSpeaker)
# The registration form's make-up: its questions, and the settings bar the counters, which every
# registration moves (through the database's triggers and the ticket drawn, not the ORM).
FORM_MODELS = (CustomQuestion, RegistrationSettings)
_SETTINGS_COUNTERS = frozenset({"ticket_counter", "held_count", "waiting_count", "updated_at"})


def _moves_version(obj: Any) -> bool:
    """Whether a changed (dirty) object changes the event's version."""
    if isinstance(obj, PROGRAMME_MODELS + (CustomQuestion,)):
        return True
    if isinstance(obj, RegistrationSettings):
        state = inspect(obj)
        return any(
            state.attrs[attr.key].history.has_changes()
            for attr in state.mapper.column_attrs
            if attr.key not in _SETTINGS_COUNTERS
        )
    return False


def _event_of(db_session: Session, obj: Any) -> Event | None:
    """The event a programme object belongs to, without loading what is already there."""
    if isinstance(obj, SessionSpeaker):
        parent = obj.__dict__.get("session")
        if parent is None:
            session_id = getattr(obj, "session_id", None)
            parent = db_session.get(ProgrammeSession, session_id) if session_id else None
        if parent is None:
            return None
        obj = parent
    event = obj.__dict__.get("event")
    if event is not None:
        return event
    event_id = getattr(obj, "event_id", None)  # loads an expired row's columns if need be
    return db_session.get(Event, event_id) if event_id is not None else None


@sa_event.listens_for(Session, "before_flush")
def _touch_events(db_session: Session, flush_context: Any, instances: Any) -> None:
    """A change to an event's programme or registration form moves the event's `updated_at`:
    the cache version (and the key of what a registration reads of the form, see
    services/registration/settings.py)."""
    watched = PROGRAMME_MODELS + FORM_MODELS
    changed = chain(
        (o for o in db_session.new if isinstance(o, watched)),
        (o for o in db_session.deleted if isinstance(o, watched)),
        (o for o in db_session.dirty if _moves_version(o) and db_session.is_modified(o)),
    )
    events: dict[int, Event] = {}
    for obj in list(changed):
        event = _event_of(db_session, obj)
        if event is not None:
            events[id(event)] = event
    if not events:
        return
    now = utcnow()
    for event in events.values():
        if event not in db_session.deleted:
            event.updated_at = now


# ------------------------------------------------------------------ storage


@dataclass
class _Entry:
    etag: str
    body: bytes
    expires: float


@dataclass
class _AppCache:
    """One app's in-process LRU, and what makes its keys its own."""

    entries: int
    scope: str
    lru: OrderedDict[str, _Entry] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: str) -> _Entry | None:
        with self.lock:
            entry = self.lru.get(key)
            if entry is None:
                return None
            if entry.expires <= time.monotonic():
                del self.lru[key]
                return None
            self.lru.move_to_end(key)
            return entry

    def put(self, key: str, entry: _Entry) -> None:
        with self.lock:
            self.lru[key] = entry
            self.lru.move_to_end(key)
            while len(self.lru) > self.entries:
                self.lru.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.lru.clear()


class _Redis:
    """One client per process and URL, with short timeouts; skipped for a moment after a failure."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clients: dict[tuple[int, str], Any] = {}
        self.down_until = 0.0

    def client(self, url: str) -> Any | None:
        if time.monotonic() < self.down_until:
            return None
        key = (os.getpid(), url)  # a connection pool must not cross a fork
        with self.lock:
            client = self.clients.get(key)
            if client is None:
                from redis import Redis

                client = Redis.from_url(
                    url,
                    socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                    socket_timeout=REDIS_TIMEOUT_SECONDS,
                )
                self.clients[key] = client
        return client

    def failed(self, error: Exception) -> None:
        if time.monotonic() >= self.down_until:
            log.warning("page cache: Redis unavailable, pages served without it: %s", error)
        self.down_until = time.monotonic() + REDIS_BACKOFF_SECONDS


_REDIS = _Redis()
_RELEASE: list[str] = []


def _release() -> str:
    """The installed templates and translations: a new release is a new set of keys."""
    if not _RELEASE:
        digest = hashlib.sha256()
        roots = [PACKAGE, Path(TRANSLATIONS_DIR)]
        files = sorted(
            path
            for root in roots
            if root.is_dir()
            for pattern in ("*.html", "*.mo")
            for path in root.rglob(pattern)
        )
        for path in files:
            stat = path.stat()
            digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}\n".encode())
        _RELEASE.append(digest.hexdigest()[:16])
    return _RELEASE[0]


def _app_cache(app: Flask) -> _AppCache:
    state = app.extensions.get("eventsys.page_cache")
    if state is None:
        from sqlalchemy.engine import make_url

        database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(
            hide_password=True
        )
        scope = hashlib.sha256(f"{database}|{_release()}".encode()).hexdigest()[:16]
        entries = int(app.config.get("PAGE_CACHE_ENTRIES", DEFAULT_ENTRIES))
        state = app.extensions.setdefault("eventsys.page_cache", _AppCache(entries, scope))
    return state


def clear(app: Flask | None = None) -> None:
    """Empty this process's copy (Redis entries expire by themselves)."""
    _app_cache(app or current_app._get_current_object()).clear()


def _redis_get(url: str, key: str) -> _Entry | None:
    client = _REDIS.client(url)
    if client is None:
        return None
    from redis.exceptions import RedisError

    try:
        value = client.get(key)
    except (RedisError, OSError) as error:
        _REDIS.failed(error)
        return None
    if not value or b"\n" not in value:
        return None
    etag, body = value.split(b"\n", 1)
    return _Entry(etag.decode("ascii"), body, 0.0)


def _redis_put(url: str, key: str, entry: _Entry, seconds: int) -> None:
    client = _REDIS.client(url)
    if client is None:
        return
    from redis.exceptions import RedisError

    try:
        client.set(key, entry.etag.encode("ascii") + b"\n" + entry.body, ex=seconds)
    except (RedisError, OSError) as error:
        _REDIS.failed(error)


# ------------------------------------------------------------------ the view helper


def _cacheable(event: Event) -> bool:
    if int(current_app.config.get("PAGE_CACHE_SECONDS", DEFAULT_SECONDS)) <= 0:
        return False
    if request.method not in ("GET", "HEAD") or not set(request.args) <= ALLOWED_ARGS:
        return False
    if event.status == STATUS_DRAFT or current_user.is_authenticated:
        return False
    return not session.get("_flashes")


def _key(state: _AppCache, event: Event, vary: Iterable[Any]) -> str:
    parts = (
        request.endpoint,
        event.id,
        event.updated_at.isoformat() if event.updated_at else "",
        str(get_locale()),
        request.scheme,
        request.host,
        *(str(value) for value in vary),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"eventsys:page:{state.scope}:{digest}"


def _respond(entry: _Entry, outcome: str) -> Response:
    response = make_response(entry.body)
    response.content_type = "text/html; charset=utf-8"
    response.set_etag(entry.etag)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Accept-Language", "Cookie"))
    response.headers[HEADER] = outcome
    return response.make_conditional(request)


def cached_page(event: Event, render: Callable[[], str], vary: Iterable[Any] = ()) -> Response:
    """The page `render()` makes for this event, from the cache when the same version was rendered.

    `vary`: other values the page depends on (e.g. today's date). Uncacheable requests (see the
    module's docstring) are rendered every time.
    """
    if not _cacheable(event):
        response = make_response(render())
        response.headers[HEADER] = "bypass"
        return response
    app = current_app._get_current_object()
    state = _app_cache(app)
    key = _key(state, event, vary)
    seconds = int(app.config.get("PAGE_CACHE_SECONDS", DEFAULT_SECONDS))
    redis_url = app.config.get("REDIS_URL")
    entry = state.get(key)
    if entry is None and redis_url:
        entry = _redis_get(redis_url, key)
        if entry is not None:
            entry.expires = time.monotonic() + seconds
            state.put(key, entry)
    if entry is not None:
        return _respond(entry, "hit")
    html = render()
    body = html.encode("utf-8")
    entry = _Entry(hashlib.sha256(body).hexdigest()[:32], body, time.monotonic() + seconds)
    field_name = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = g.get(field_name)
    if (token and token in html) or session.get("_flashes"):
        response = make_response(html)  # personal after all: never stored
        response.headers[HEADER] = "bypass"
        return response
    state.put(key, entry)
    if redis_url:
        _redis_put(redis_url, key, entry, seconds)
    return _respond(entry, "miss")
