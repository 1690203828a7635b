"""Jobs' upkeep: jobs left running by a worker that died are found and requeued; a failed job is
retried on request.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select, update

from eventsys.extensions import db
from eventsys.jobs.queue import (
    dispatch,
    log,
    result_file,
)
from eventsys.models.jobs import JOB_DONE, JOB_FAILED, JOB_QUEUED, JOB_RUNNING, Job

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
