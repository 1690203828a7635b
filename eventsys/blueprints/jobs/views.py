"""Job pages under /manage/jobs/<uuid>: only the organisers of the job's event see them.

The page works without JavaScript (reload it); static/js/job-progress.js polls the JSON status
and updates the progress bar and the spoken status in place.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.jobs import import_summary, is_stale_error, recover_stale, result_file, retry_job
from eventsys.models import Event
from eventsys.models.jobs import JOB_DONE, JOB_FAILED, JOB_QUEUED, JOB_RUNNING, Job
from eventsys.security import can_manage
from eventsys.services.job_files import job_file_name
from eventsys.services.programme_import import ImportSummary

bp = Blueprint("jobs", __name__, url_prefix="/manage/jobs", template_folder="templates")

KIND_NAMES = {
    "badges": _l("Badges de l'événement"),
    "signin_sheets": _l("Feuilles d'émargement"),
    "certificates": _l("Attestations de présence"),
    "programme_import": _l("Import du programme"),
}
STATUS_NAMES = {
    JOB_QUEUED: _l("En attente"),
    JOB_RUNNING: _l("En cours"),
    JOB_DONE: _l("Terminé"),
    JOB_FAILED: _l("Échec"),
}

BACK_PAGES = {  # where "back to the event" goes, per kind
    "badges": "checkin.badges",
    "signin_sheets": "checkin.attendance",
    "certificates": "checkin.attendance",
    "programme_import": "exports.import_programme",
}


def _allowed(job: Job) -> bool:
    if not current_user.is_authenticated:
        return False
    if job.event_id is not None:
        event = db.session.get(Event, job.event_id)
        return event is not None and can_manage(current_user, event)
    return bool(current_user.is_admin or job.user_id == current_user.id)


def _job_or_error(uuid: str) -> Job:
    """The job, or 404 (unknown) / 403 (someone else's): the same answers as the event pages."""
    job = db.session.scalar(select(Job).where(Job.uuid == uuid)) if len(uuid) <= 32 else None
    if job is None:
        abort(404)
    if not _allowed(job):
        abort(403)
    return job


def job_status(job: Job) -> dict[str, Any]:
    """What the page shows, as JSON for the polling script."""
    ready = job.status == JOB_DONE and result_file(job) is not None
    stale = is_stale_error(job)
    summary = import_summary(job) if ready else None
    downloadable = job.kind != "programme_import"  # an import's result is its summary, shown here
    if summary is not None:
        message = ImportSummary(**summary).message()
    elif job.status == JOB_DONE and job.kind == "programme_import":
        message = _("Import terminé.")
    elif job.status == JOB_DONE and not ready:
        message = _("Le fichier n'est plus disponible : relancez la production.")
    elif job.status == JOB_DONE:
        message = _(
            "Terminé : %(done)s sur %(total)s. Le fichier est prêt.",
            done=job.done_items,
            total=job.total_items,
        )
    elif job.status == JOB_FAILED and stale:
        message = _(
            "La production s'est interrompue sans se terminer : le serveur qui s'en chargeait ne "
            "donne plus de nouvelles, et les nouveaux essais automatiques sont épuisés. Relancez-la."
        )
    elif job.status == JOB_FAILED:
        message = _(
            "La production a échoué. Réessayez ; si l'échec persiste, prévenez l'administrateur du site."
        )
    elif job.status == JOB_RUNNING and job.total_items:
        message = _("En cours : %(done)s sur %(total)s (%(percent)s %%).", done=job.done_items,
                    total=job.total_items, percent=job.percent)  # fmt: skip
    elif job.status == JOB_QUEUED and stale:
        message = _(
            "La production s'était interrompue (le serveur qui s'en chargeait ne donnait plus de "
            "nouvelles) ; elle a été relancée automatiquement depuis le début."
        )
    elif job.status == JOB_QUEUED and job.error:
        message = _("Un essai a échoué ; nouvel essai dans un moment.")
    else:
        message = _("En attente de démarrage…")
    return {
        "status": job.status,
        "status_name": str(STATUS_NAMES.get(job.status, job.status)),
        "done": job.done_items,
        "total": job.total_items,
        "percent": job.percent,
        "finished": job.finished,
        "message": message,
        "download_url": url_for(".download", uuid=job.uuid) if ready and downloadable else None,
        "can_retry": job.status == JOB_FAILED
        or (job.status == JOB_DONE and not ready and downloadable),
        "stale": stale,
    }


@bp.route("/<uuid>")
@login_required
def show(uuid: str):
    job = _job_or_error(uuid)
    recover_stale(job=job)
    event = db.session.get(Event, job.event_id) if job.event_id else None
    back = None
    if event is not None:
        back = url_for(BACK_PAGES.get(job.kind, "manage.event"), event_id=event.id)
    return render_template(
        "jobs/show.html",
        job=job,
        event=event,
        back_url=back,
        state=job_status(job),
        kind_name=str(KIND_NAMES.get(job.kind, job.kind)),
    )


@bp.route("/<uuid>.json")
def status(uuid: str):
    if not current_user.is_authenticated:
        return _json_error(
            401, "unauthorized", _("Veuillez vous connecter pour accéder à cette page.")
        )
    job = db.session.scalar(select(Job).where(Job.uuid == uuid)) if len(uuid) <= 32 else None
    if job is None:
        return _json_error(404, "not_found", _("Cette page n'existe pas, ou plus."))
    if not _allowed(job):
        return _json_error(403, "forbidden", _("Vous n'avez pas accès à cette page."))
    recover_stale(job=job)
    response = jsonify(job_status(job))
    response.headers["Cache-Control"] = "no-store"
    return response


def _json_error(status_code: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.headers["Cache-Control"] = "no-store"
    return response, status_code


def _file_name(job: Job) -> str:
    """The file's name in the language of the person downloading it (the organiser who asked)."""
    event = db.session.get(Event, job.event_id) if job.event_id is not None else None
    named = job_file_name(job.kind, event.code, job.params or {}) if event is not None else None
    return named or job.result_name or "document.pdf"


@bp.route("/<uuid>/download")
@login_required
def download(uuid: str):
    job = _job_or_error(uuid)
    path = result_file(job) if job.status == JOB_DONE and job.kind != "programme_import" else None
    if path is None:
        abort(404)
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=_file_name(job),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<uuid>/retry", methods=["POST"])
@login_required
def retry(uuid: str):
    """Start a failed job again (CSRF-checked like every form); the same page then shows it."""
    job = _job_or_error(uuid)
    if not retry_job(job):
        flash(_("Cette production n'a pas besoin d'être relancée."), "info")
    return redirect(url_for(".show", uuid=job.uuid))
