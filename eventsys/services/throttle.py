"""Counters of attempts that every app server shares: failed logins per account, password-reset
e-mails, accepted registrations per e-mail address and per client address.

They live in the rate limiter's storage (`EVENTSYS_RATELIMIT_STORAGE_URI`, Redis whenever
`EVENTSYS_REDIS_URL` is set), so two gunicorn workers or two machines count together; a limit
kept in each process lets N workers through N times. When that storage fails (Redis down),
counting goes on in this process, like Flask-Limiter's own fallback: never an error page.
Keys are hashed, so no e-mail address is written to Redis in clear.
"""

from __future__ import annotations

import hashlib
import logging

from flask import current_app
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, RateLimiter

from eventsys.extensions import limiter

_fallback = FixedWindowRateLimiter(MemoryStorage())
_log = logging.getLogger(__name__)


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _strategy() -> RateLimiter:
    try:
        return limiter.limiter
    except AssertionError:  # the limiter was not set up (disabled): count in this process
        return _fallback


def _key(scope: str, value: str) -> tuple[str, str]:
    return "eventsys-" + scope, hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _run(method: str, limit: str, scope: str, value: str) -> bool:
    item = parse(limit)
    try:
        return bool(getattr(_strategy(), method)(item, *_key(scope, value)))
    except Exception:  # noqa: BLE001 - storage down: count in this process rather than fail
        _log.warning("throttle storage unavailable; counting %s in this process", scope)
        return bool(getattr(_fallback, method)(item, *_key(scope, value)))


def allowed(limit: str, scope: str, value: str) -> bool:
    """Whether one more attempt would still be within `limit` ("5 per 15 minutes"); counts nothing."""
    return not _enabled() or _run("test", limit, scope, value)


def hit(limit: str, scope: str, value: str) -> bool:
    """Count one attempt; False when it went over `limit` (it is counted all the same)."""
    return not _enabled() or _run("hit", limit, scope, value)


def clear(limit: str, scope: str, value: str) -> None:
    """Forget the attempts counted under `value` (e.g. after a successful login)."""
    if not _enabled():
        return
    item = parse(limit)
    try:
        _strategy().clear(item, *_key(scope, value))
    except Exception:  # noqa: BLE001 - nothing to forget when the storage is down
        _fallback.clear(item, *_key(scope, value))
