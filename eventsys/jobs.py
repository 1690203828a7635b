"""Background jobs: RQ on Redis when `EVENTSYS_REDIS_URL` is set, in-process otherwise.

Why RQ rather than Celery: the jobs here are a handful of plain functions (bulk PDFs, draining the
e-mail outbox) on one Redis that the site already uses for rate limits. RQ needs no broker
configuration, no beat process and no result backend; its `Retry`, job timeouts and the
`--with-scheduler` worker cover what we need, and `SimpleWorker(...).work(burst=True)` runs a
queue inside a test. Celery's routing, canvases and multi-broker support would be unused weight.

The state a person sees (status, items done, the result file) is the `Job` row, not the RQ job:
any app server can show it, it survives a Redis flush, and the same function runs in-process on a
laptop with no Redis (`JOBS_INPROCESS`: a thread, or synchronously at enqueue time in tests).

Idempotence: a job is found again by its idempotency key (a double submission is one job), and
running a job whose result file exists does nothing. The result is written to a temporary file and
renamed, then the row is marked done, so a worker killed mid-job leaves no half file behind and
the retry (RQ `Retry`, or the abandoned-job cleanup of RQ) starts the work again from zero.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event as sa_event
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from eventsys.extensions import db
from eventsys.models import Event, User
from eventsys.models.jobs import JOB_DONE, JOB_FAILED, JOB_QUEUED, JOB_RUNNING, Job
from eventsys.models.registration import MAIL_PENDING, OutboxMessage
from eventsys.services import delivery, mail
from eventsys.services.job_files import job_file_name

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


def _queue(app: Flask):
    """The RQ queue, or None when Redis is not configured or failed a moment ago."""
    client = redis_client(app)
    if client is None or time.monotonic() < _REDIS.down_until:
        return None
    from rq import Queue

    return Queue(app.config["JOBS_QUEUE"], connection=client)


def _redis_failed(error: Exception) -> None:
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
    queue = _queue(app)
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
            _redis_failed(error)
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


def _job_app() -> Flask:
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
    return execute(uuid, app=_job_app(), retries_left=retries_left)


@contextlib.contextmanager
def _fresh_context(app: Flask) -> Iterator[None]:
    """A new app context, hence a database session of its own (not the request's)."""
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()


def execute(uuid: str, *, app: Flask, retries_left: int = 0) -> str:
    """Run one job to the end. Raises on failure (so that RQ retries) after recording it."""
    with _fresh_context(app):
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


# ------------------------------------------------------------------ stale jobs

# `Job.error` of a job whose worker stopped giving news (killed, machine lost): the page says so.
STALE_ERROR = "stale: the worker stopped reporting progress"


def is_stale_error(job: Job) -> bool:
    return job.error.startswith("stale:")


def _stale_limit(app: Flask, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(seconds=int(app.config["JOB_STALE_SECONDS"]))


def recover_stale(
    app: Flask | None = None, *, job: Job | None = None, now: datetime | None = None
) -> list[Job]:
    """Running jobs without a progress heartbeat for JOB_STALE_SECONDS: their worker died.

    Each is queued again while it has retries left (JOB_RETRIES), else marked failed; in both cases
    `error` says it was stale, for the page. The change is a conditional UPDATE, so two app servers
    seeing the same stale job at once re-queue it once. Called when someone views a job (`job=`)
    and when a worker starts (every job). Commits; returns the jobs that changed.
    """
    app = app or current_app._get_current_object()
    limit = _stale_limit(app, now)
    query = select(Job.id, Job.attempts).where(Job.status == JOB_RUNNING, Job.updated_at < limit)
    if job is not None:
        query = query.where(Job.id == job.id)
    changed = []
    for job_id, attempts in db.session.execute(query).all():
        retry = attempts < 1 + int(app.config["JOB_RETRIES"])
        values: dict[str, Any] = {
            "status": JOB_QUEUED if retry else JOB_FAILED,
            "error": STALE_ERROR,
        }
        values["updated_at"] = datetime.now(UTC)
        if not retry:
            values["finished_at"] = datetime.now(UTC)
        won = db.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JOB_RUNNING, Job.updated_at < limit)
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        if won:
            stale = db.session.get(Job, job_id)
            db.session.refresh(stale)
            log.warning("job %s stale (worker gone): %s", stale.uuid, stale.status)
            changed.append(stale)
    for stale in changed:
        if stale.status == JOB_QUEUED:
            dispatch(stale, app)
    if job is not None and changed:
        db.session.refresh(job)
    return changed


def retry_job(job: Job, app: Flask | None = None) -> bool:
    """A person asks again for a failed job (or one whose file is gone): it starts from zero."""
    if job.status != JOB_FAILED and not (job.status == JOB_DONE and result_file(job, app) is None):
        return False
    if job.status == JOB_DONE and job.kind == "programme_import":
        return False  # done is done: importing the file again is a new upload
    won = db.session.execute(
        update(Job)
        .where(Job.id == job.id, Job.status == job.status)
        .values(
            status=JOB_QUEUED,
            attempts=0,
            done_items=0,
            error="",
            finished_at=None,
            updated_at=datetime.now(UTC),
        )  # fmt: skip
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    db.session.refresh(job)
    if won:
        dispatch(job, app)
        db.session.refresh(job)
    return bool(won)


# ------------------------------------------------------------------ the outbox


def enqueue_outbox_drain(app: Flask) -> bool:
    """Ask a worker to send the outbox now; False when Redis is not usable (send another way)."""
    queue = _queue(app)
    if queue is None:
        return False
    from redis.exceptions import RedisError
    from rq import Retry
    from rq.exceptions import DuplicateJobError

    try:
        queue.enqueue(
            drain_outbox,
            job_id=f"{queue.name}-outbox-drain",  # one waiting drain per site at most
            unique=True,
            result_ttl=0,
            failure_ttl=86400,
            retry=Retry(max=3, interval=[5, 30, 120]),
            job_timeout=600,
        )
    except DuplicateJobError:
        pass  # a drain is already waiting: it will take this message too
    except (RedisError, OSError) as error:
        _redis_failed(error)
        return False
    return True


def drain_outbox() -> str:
    """Send every due e-mail; when some wait for a retry, come back when the first one is due."""
    app = _job_app()
    with _fresh_context(app):
        report = delivery.deliver_due()
        next_due = db.session.scalar(
            select(OutboxMessage.next_attempt_at)
            .where(OutboxMessage.status == MAIL_PENDING)
            .order_by(OutboxMessage.next_attempt_at)
            .limit(1)
        )
        db.session.commit()
    if next_due is not None:
        queue = _queue(app)
        if queue is not None:
            from rq.exceptions import DuplicateJobError

            with contextlib.suppress(DuplicateJobError):
                when = max(next_due, datetime.now(UTC) + timedelta(seconds=1))
                queue.enqueue_at(
                    when,
                    drain_outbox,
                    job_id=f"{queue.name}-outbox-retry",
                    unique=True,
                    result_ttl=0,
                )
    return str(report)


def init_app(app: Flask) -> None:
    """The outbox's settings and this process's sender thread: a commit that queued mail wakes
    an RQ worker, or that thread (below)."""
    delivery.init_app(app)


@sa_event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    """A commit that queued mail asks for it to be sent: by an RQ worker when Redis answers,
    else by this process's sender thread."""
    if not session.info.pop(mail.QUEUED_FLAG, False):
        return
    try:
        app = current_app._get_current_object()
    except RuntimeError:
        return
    if app.config.get("MAIL_SEND_AFTER_REQUEST"):
        if app.config.get("REDIS_URL") and enqueue_outbox_drain(app):
            return
        dispatcher = app.extensions.get(delivery.DISPATCHER_KEY)
        if dispatcher is not None:
            dispatcher.kick()


# ------------------------------------------------------------------ job kinds


def _event_of(job: Job) -> Event:
    event = db.session.get(Event, job.event_id) if job.event_id else None
    if event is None:
        raise LookupError("the event of this job no longer exists")
    return event


def _chunked(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@job_kind("badges")
def badges_job(job: Job, progress: Progress) -> JobOutput:
    """Every confirmed person's badge, rendered a few pages at a time (each step is progress)."""
    from eventsys.render.badges import LAYOUTS, layout_slots, render_badges
    from eventsys.services import checkin as svc

    event = _event_of(job)
    layout = job.params.get("layout", "a4-8")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    bilingual = job.params.get("bilingual") or None
    registrations = svc.badge_registrations(event, job.params.get("ids"))
    if not registrations:
        raise LookupError("no confirmed registration")
    data = svc.badge_data(event, registrations, with_programme=layout == "a6-folded")
    options = svc.badge_options(event, bilingual)
    filename = job_file_name(job.kind, event.code, job.params)
    db.session.commit()  # badge nonces drawn for the first print
    _page_size, boxes = layout_slots(layout)
    per_page = 1 if layout == "a6-folded" else len(boxes)
    total = len(data)
    progress(0, total)
    parts = []
    for chunk in _chunked(data, per_page * 5):  # whole pages, so the merged PDF equals one render
        parts.append(render_badges(chunk, layout, options))
        progress(min(total, job.done_items + len(chunk)), total)
    return JobOutput(svc.merge_pdfs(parts), filename)


@job_kind("signin_sheets")
def signin_sheets_job(job: Job, progress: Progress) -> JobOutput:
    """Every sign-in sheet of the event (per half-day or per session), one sheet per step."""
    from eventsys.render.attendance_pdf import render_signin_sheet
    from eventsys.services import checkin as svc

    event = _event_of(job)
    per = job.params.get("per", "half_day")
    per = per if per in ("half_day", "session") else "half_day"
    sheets = svc.all_signin_sheets(event, per, job.params.get("language") or None)
    if not sheets:
        raise LookupError("the programme has no session")
    progress(0, len(sheets))
    parts = []
    for number, sheet in enumerate(sheets, start=1):
        parts.append(render_signin_sheet(sheet))
        progress(number, len(sheets))
    return JobOutput(svc.merge_pdfs(parts), job_file_name(job.kind, event.code, job.params))


@job_kind("certificates")
def certificates_job(job: Job, progress: Progress) -> JobOutput:
    """The attendance certificate of everyone checked in, twenty at a time."""
    from eventsys.render.attendance_pdf import render_certificates
    from eventsys.services import checkin as svc

    event = _event_of(job)
    certificates = svc.certificates(event)
    if not certificates:
        raise LookupError("nobody was checked in")
    total = len(certificates)
    progress(0, total)
    parts = []
    for chunk in _chunked(certificates, 20):
        parts.append(render_certificates(chunk))
        progress(min(total, job.done_items + len(chunk)), total)
    return JobOutput(svc.merge_pdfs(parts), job_file_name(job.kind, event.code, job.params))


@job_kind("programme_import")
def programme_import_job(job: Job, progress: Progress) -> JobOutput:
    """Apply a big previewed programme file (params: the upload's token, accept_partial, the
    rooms the organiser marked as shared spaces).

    The import is one transaction (all or nothing), so its progress cannot be committed on the
    same session: it is written on a connection of its own, except on SQLite (one writer at a
    time), where the bar moves at the start and the end only. The result "file" is the summary
    (JSON), shown on the job page. A retry re-plans the file: rows already imported match their
    sessions and become updates, so nothing is duplicated. The upload is kept until it expires.
    """
    import json

    from eventsys.services import importer, programme_import

    event = _event_of(job)
    stored = programme_import.load_upload(
        str(job.params.get("token", "")), event_id=event.id, user_id=job.user_id or 0
    )
    if stored is None:
        raise LookupError("the uploaded file is no longer available")
    data, filename = stored
    max_bytes = int(current_app.config.get("IMPORT_MAX_BYTES") or importer.MAX_BYTES)
    plan = programme_import.plan_import(
        event, importer.parse_programme(data, filename, max_bytes=max_bytes, window=(event.start_date, event.end_date)),
        shared_rooms=set(job.params.get("shared_rooms") or ()),
    )
    total = len(plan.accepted)
    progress(0, total)
    job_id = job.id

    def side_progress(done: int, total: int) -> None:
        engine = db.engine
        if not done or not isinstance(engine, Engine) or engine.dialect.name == "sqlite":
            return  # (tests may bind the session to one connection: no second one then)
        try:
            with engine.begin() as connection:
                connection.execute(
                    update(Job)
                    .where(Job.id == job_id)
                    .values(done_items=done, total_items=total, updated_at=datetime.now(UTC))
                )
        except SQLAlchemyError as error:  # the bar only; never fail the import for it
            log.warning("import progress not recorded: %s", error)

    summary = programme_import.apply_import(
        event, plan, accept_partial=bool(job.params.get("accept_partial")), progress=side_progress
    )
    db.session.commit()
    body = json.dumps(summary.__dict__, sort_keys=True).encode()
    return JobOutput(body, f"import-{event.code.lower()}.json")


@job_kind("registration_import")
def registration_import_job(job: Job, progress: Progress) -> JobOutput:
    """Register the people of a big previewed CSV (params: the upload's token, notify), batch by
    batch (see services/registration_import.py); the result is the per-row report as CSV. A retry
    finds the people already registered and reports them as such."""
    from eventsys.services import programme_import as uploads
    from eventsys.services import registration_import as imports

    event = _event_of(job)
    token = str(job.params.get("token", ""))
    stored = uploads.load_upload(token, event_id=event.id, user_id=job.user_id or 0)
    if stored is None:
        raise LookupError("the uploaded file is no longer available")
    parsed = imports.read_import(stored[0])
    if parsed.error:
        raise ValueError(parsed.error)
    report = imports.apply_import(event, parsed, notify=bool(job.params.get("notify")), progress=progress)
    uploads.discard_upload(token)
    return JobOutput(imports.report_csv(report), f"import-inscriptions-{event.code.lower()}.csv")


def import_summary(job: Job, app: Flask | None = None) -> dict[str, int] | None:
    """The counts of a finished programme import (None when it has none)."""
    import json

    path = result_file(job, app) if job.kind == "programme_import" else None
    if path is None:
        return None
    try:
        return {key: int(value) for key, value in json.loads(path.read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return None


def form_key(*parts: Any) -> str:
    """A short stable idempotency key from parts (e.g. the event and a form's one-time token)."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:40]


__all__ = [
    "JOB_DONE",
    "JOB_FAILED",
    "JOB_QUEUED",
    "JOB_RUNNING",
    "KINDS",
    "Job",
    "JobOutput",
    "dispatch",
    "drain_outbox",
    "enqueue_outbox_drain",
    "execute",
    "form_key",
    "job_kind",
    "purge_old_results",
    "recover_stale",
    "redis_client",
    "redis_status",
    "result_file",
    "retry_job",
    "run_job",
    "set_worker_app",
    "start_job",
]
