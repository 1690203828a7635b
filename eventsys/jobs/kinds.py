"""The job kinds: badges, sign-in sheets, certificates, programme and registration imports.
Thin wrappers that call services, report progress and return the file to keep.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from eventsys.extensions import db
from eventsys.jobs.queue import (
    JobOutput,
    Progress,
    job_kind,
    log,
    result_file,
)
from eventsys.models import Event
from eventsys.models.jobs import Job
from eventsys.services.job_files import job_file_name

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

    from eventsys.services import importer, programme_import, uploads

    event = _event_of(job)
    stored = uploads.load_upload(
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
    from eventsys.services import registration_import as imports
    from eventsys.services import uploads

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
