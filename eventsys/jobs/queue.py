"""Background jobs' machinery: the registry of kinds, Redis, creating, dispatching and running a job,
and its result file (written to a temporary file, then renamed).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from eventsys.extensions import db
from eventsys.models import Event, User
from eventsys.models.jobs import JOB_DONE, JOB_FAILED, JOB_QUEUED, JOB_RUNNING, Job

log = logging.getLogger("eventsys.jobs")


@dataclass
class JobOutput:
    """What a job function produces: the file's bytes and the name it is downloaded under."""

    body: bytes
    filename: str


Progress = Callable[[int, int], None]
JobFunction = Callable[[Job, Progress], JobOutput]
KINDS: dict[str, JobFunction] = {}


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register a job function under a kind name."""

    def register(function: JobFunction) -> JobFunction:
        KINDS[name] = function
        return function

    return register


# ------------------------------------------------------------------ Redis


class _RedisState:
    """One connection pool per process and URL; after a failure, Redis is skipped for a moment."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clients: dict[tuple[int, str], Any] = {}
        self.down_until = 0.0


_REDIS = _RedisState()
REDIS_BACKOFF_SECONDS = 15.0


def redis_client(app: Flask | None = None):
    """A Redis client for EVENTSYS_REDIS_URL, or None when Redis is not configured."""
    app = app or current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis

    key = (os.getpid(), url)  # a pool must not cross a fork (gunicorn, RQ work horses)
    with _REDIS.lock:
        client = _REDIS.clients.get(key)
        if client is None:
            timeout = float(app.config.get("REDIS_TIMEOUT", 2.0))
            client = Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout * 5)
            _REDIS.clients[key] = client
    return client


def redis_status(app: Flask | None = None) -> str | None:
    """ "ok" or "error" for the configured Redis; None when there is none."""
    client = redis_client(app)
    if client is None:
        return None
    from redis.exceptions import RedisError

    try:
        client.ping()
    except (RedisError, OSError):
        return "error"
    return "ok"


def rq_queue(app: Flask):
    """The RQ queue, or None when Redis is not configured or failed a moment ago."""
    client = redis_client(app)
    if client is None or time.monotonic() < _REDIS.down_until:
        return None
    from rq import Queue

    return Queue(app.config["JOBS_QUEUE"], connection=client)


def redis_failed(error: Exception) -> None:
    _REDIS.down_until = time.monotonic() + REDIS_BACKOFF_SECONDS
    log.warning(
        "Redis unavailable, running jobs in-process for %ss: %s", REDIS_BACKOFF_SECONDS, error
    )


# ------------------------------------------------------------------ creating and dispatching


def storage_root(app: Flask | None = None) -> Path:
    """The configured storage directory (shared by every app server and worker)."""
    app = app or current_app._get_current_object()
    return Path(app.config.get("STORAGE_DIR") or Path(app.instance_path) / "storage")


def result_file(job: Job, app: Flask | None = None) -> Path | None:
    """The finished file of a job, when it exists."""
    if not job.result_path:
        return None
    path = storage_root(app) / job.result_path
    return path if path.is_file() else None


def start_job(
    kind: str,
    *,
    event: Event | None,
    user: User | None,
    params: dict[str, Any] | None = None,
    idempotency_key: str,
) -> tuple[Job, bool]:
    """The job for this key, created (queued) if new; the caller commits, then calls dispatch()."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    key = f"{kind}:{idempotency_key}"[:120]
    existing = db.session.scalar(select(Job).where(Job.idempotency_key == key))
    if existing is not None:
        return existing, False
    job = Job(
        kind=kind,
        event_id=event.id if event else None,
        user_id=user.id if user else None,
        params=dict(params or {}),
        idempotency_key=key,
        status=JOB_QUEUED,
    )
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:  # the same key submitted at the same moment by another request
        existing = db.session.scalar(select(Job).where(Job.idempotency_key == key))
        if existing is None:
            raise
        return existing, False
    return job, True


def dispatch(job: Job, app: Flask | None = None) -> str:
    """Hand a committed job to RQ, or run it in-process; returns "rq", "thread" or "sync"."""
    app = app or current_app._get_current_object()
    uuid = job.uuid
    queue = rq_queue(app)
    if queue is not None:
        from redis.exceptions import RedisError
        from rq import Retry

        retries = int(app.config["JOB_RETRIES"])
        intervals = [int(i) for i in app.config["JOB_RETRY_INTERVALS"]] or 0
        try:
            queue.enqueue(
                run_job,
                uuid,
                job_id=f"{queue.name}-job-{uuid}",
                retry=Retry(max=retries, interval=intervals) if retries > 0 else None,
                job_timeout=int(app.config["JOB_TIMEOUT"]),
                result_ttl=3600,
                failure_ttl=7 * 86400,
                description=f"{job.kind} #{job.id}",
            )
            return "rq"
        except (RedisError, OSError) as error:
            redis_failed(error)
    mode = inprocess_mode(app)
    if mode == "sync":
        _run_inprocess(app, uuid)
    else:
        _executor().submit(_run_inprocess, app, uuid)
    return mode


def inprocess_mode(app: Flask) -> str:
    mode = app.config.get("JOBS_INPROCESS") or ("sync" if app.testing else "thread")
    return "sync" if mode == "sync" else "thread"


_EXECUTORS: dict[int, ThreadPoolExecutor] = {}
_EXECUTOR_LOCK = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    with _EXECUTOR_LOCK:
        pid = os.getpid()
        if pid not in _EXECUTORS:  # threads do not survive a fork
            _EXECUTORS[pid] = ThreadPoolExecutor(max_workers=2, thread_name_prefix="eventsys-job")
        return _EXECUTORS[pid]


def _run_inprocess(app: Flask, uuid: str) -> None:
    """Without a queue, retries happen here, one after the other."""
    attempts = 1 + int(app.config["JOB_RETRIES"])
    for attempt in range(attempts):
        try:
            execute(uuid, app=app, retries_left=attempts - attempt - 1)
            return
        except Exception:  # noqa: BLE001 - recorded on the Job row by execute()
            log.exception("job %s failed (attempt %s of %s)", uuid, attempt + 1, attempts)


# ------------------------------------------------------------------ running


_WORKER_APP: Flask | None = None


def set_worker_app(app: Flask) -> None:
    """The app that RQ job functions use outside an app context (set by `flask worker`)."""
    global _WORKER_APP  # noqa: PLW0603 - one app per worker process
    _WORKER_APP = app


def job_app() -> Flask:
    if has_app_context():
        return current_app._get_current_object()
    if _WORKER_APP is None:
        raise RuntimeError("jobs run in `flask --app eventsys worker`, which gives them its app")
    return _WORKER_APP


def run_job(uuid: str) -> str:
    """The RQ entry point: runs the job, telling it how many retries RQ has left."""
    from rq import get_current_job

    rq_job = get_current_job()
    retries_left = int(rq_job.retries_left or 0) if rq_job is not None else 0
    return execute(uuid, app=job_app(), retries_left=retries_left)


@contextlib.contextmanager
def fresh_context(app: Flask) -> Iterator[None]:
    """A new app context, hence a database session of its own (not the request's)."""
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()


def execute(uuid: str, *, app: Flask, retries_left: int = 0) -> str:
    """Run one job to the end. Raises on failure (so that RQ retries) after recording it."""
    with fresh_context(app):
        job = db.session.scalar(select(Job).where(Job.uuid == uuid))
        if job is None:
            return "missing"
        if job.status == JOB_DONE and result_file(job, app) is not None:
            return "done already"  # a duplicate delivery or a retry after success: nothing to do
        function = KINDS[job.kind]
        job.status = JOB_RUNNING
        job.attempts += 1
        job.started_at = datetime.now(UTC)
        job.done_items = 0
        job.error = ""
        job.updated_at = datetime.now(UTC)
        db.session.commit()

        def progress(done: int, total: int) -> None:
            job.done_items, job.total_items = done, total
            job.updated_at = datetime.now(UTC)  # the heartbeat: a silent running job is stale
            db.session.commit()

        try:
            output = function(job, progress)
            job.result_path = _store(app, job, output.body)
            job.result_name = output.filename
            job.done_items = job.total_items
            job.status = JOB_DONE
            job.finished_at = datetime.now(UTC)
            db.session.commit()
        except Exception as error:
            db.session.rollback()
            job = db.session.scalar(select(Job).where(Job.uuid == uuid))
            if job is not None:
                job.error = f"{type(error).__name__}: {error}"[:2000]
                job.status = JOB_QUEUED if retries_left > 0 else JOB_FAILED
                if job.status == JOB_FAILED:
                    job.finished_at = datetime.now(UTC)
                db.session.commit()
            raise
        return "done"


def _store(app: Flask, job: Job, body: bytes) -> str:
    """Write the result atomically (temporary file, then rename); returns its relative path."""
    relative = Path("jobs") / f"{job.uuid}.bin"
    target = storage_root(app) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_bytes(body)
    os.replace(temporary, target)
    return relative.as_posix()


def purge_old_results(
    app: Flask | None = None, now: datetime | None = None, days: int | None = None
) -> int:
    """Delete result files of jobs finished more than `days` (JOB_RESULT_DAYS) ago; returns how many."""
    app = app or current_app._get_current_object()
    days = int(app.config["JOB_RESULT_DAYS"]) if days is None else days
    limit = (now or datetime.now(UTC)) - timedelta(days=days)
    old = db.session.scalars(select(Job).where(Job.finished_at < limit, Job.result_path != ""))
    count = 0
    for job in old:
        path = storage_root(app) / job.result_path
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            count += 1
        job.result_path = ""
    db.session.flush()
    return count
