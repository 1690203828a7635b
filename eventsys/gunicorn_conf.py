"""gunicorn settings for eventsys: `gunicorn -c python:eventsys.gunicorn_conf eventsys.wsgi:app`
(in a checkout, `gunicorn -c gunicorn.conf.py wsgi:app` reads the same settings).

Only EVENTSYS_* variables are read (see the settings table in README.md):
EVENTSYS_BIND (default 0.0.0.0:8000), EVENTSYS_WORKERS (default 2 × CPU + 1),
EVENTSYS_THREADS (default 1), EVENTSYS_TIMEOUT (default 60 s), EVENTSYS_FORWARDED_ALLOW_IPS
(proxies whose X-Forwarded-* headers gunicorn trusts, default 127.0.0.1).
"""

from __future__ import annotations

import gc
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else default


bind = os.environ.get("EVENTSYS_BIND", "0.0.0.0:8000")
workers = _int("EVENTSYS_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("EVENTSYS_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# Load the app once in the master: workers fork with the code already imported (faster start,
# shared memory). create_app opens no connection, so no socket is shared across the fork.
preload_app = True

# Long work (bulk PDFs, e-mail) runs in background jobs, so a request taking a minute is a bug.
timeout = _int("EVENTSYS_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# A worker is replaced after this many requests (jitter avoids all restarting together), which
# bounds the damage of any slow leak.
max_requests = 5000
max_requests_jitter = 500

forwarded_allow_ips = os.environ.get("EVENTSYS_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs on stderr/stdout for systemd/journald or a container runtime. The access log is one JSON
# object per line, with the X-Request-ID the app sends back, so an access line and the app's log
# lines of the same request share their request_id.
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"ts": "%(t)s", "logger": "access", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"query": "%(q)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s", "referer": "%(f)s", "agent": "%(a)s"}'
)


def pre_fork(server, worker) -> None:
    """Move the preloaded app's objects out of the garbage collector's reach before forking:
    workers then neither rescan them (5–7 % of a registration's CPU went to the collector) nor
    copy their memory pages by touching them."""
    gc.freeze()


def post_fork(server, worker) -> None:
    """Each worker opens its own database connections (none may be inherited from the master)."""
    try:
        from eventsys.extensions import db
        from eventsys.wsgi import app

        with app.app_context():
            db.engine.dispose(close=False)
    except Exception:  # noqa: BLE001 - nothing to dispose when the app was not preloaded
        server.log.debug("no engine to dispose after fork")
