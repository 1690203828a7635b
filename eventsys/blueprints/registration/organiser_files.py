"""Organiser pages of the registration area: importing registrations from a file, exporting them as CSV.

Every route needs a login and the organiser role on the event (403 otherwise).
"""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user, login_required

from eventsys import jobs
from eventsys.blueprints.registration.forms import (
    ImportConfirmForm,
    ImportForm,
)
from eventsys.blueprints.registration.organiser import (
    PREFIX,
    organised_event,
)
from eventsys.blueprints.registration.views import bp
from eventsys.extensions import db
from eventsys.i18n import download_name
from eventsys.models import Event
from eventsys.services import registration as reg
from eventsys.services import registration_import as imports
from eventsys.services import uploads


@bp.route(PREFIX + "/import", methods=["GET", "POST"])
@login_required
def organiser_import(event_id: int):
    """Upload a CSV of people: imported at once when small and silent, otherwise previewed first
    (rows, and how many confirmation e-mails would go out) and confirmed."""
    event = organised_event(event_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(event, form, status=422 if form.is_submitted() else 200)
    raw = form.file.data.read(int(current_app.config["IMPORT_MAX_BYTES"]) + 1)
    if len(raw) > int(current_app.config["IMPORT_MAX_BYTES"]):
        form.file.errors = [_("Le fichier dépasse la taille maximale de %(limit)s Mo.",
                              limit=int(current_app.config["IMPORT_MAX_BYTES"]) // (1024 * 1024))]
        return _import_page(event, form, status=422)
    parsed = imports.read_import(raw)
    if parsed.error:
        form.file.errors = [parsed.error]
        return _import_page(event, form, status=422)
    plan = imports.mail_plan(event, parsed, bool(form.notify.data))
    if not plan.asked and len(parsed.rows) <= _job_rows():
        report = imports.apply_import(event, parsed, notify=False)  # commits batch by batch
        return _import_page(event, form, report=report)
    token = uploads.store_upload(raw, filename=form.file.data.filename or "", event_id=event.id,
                                 user_id=current_user.id)
    confirm = ImportConfirmForm(formdata=None, token=token, notify="y" if form.notify.data else "")
    return _import_page(event, form, preview=(parsed, plan, confirm))


@bp.route(PREFIX + "/import/confirm", methods=["POST"])
@login_required
def organiser_import_confirm(event_id: int):
    """Apply a previewed import: now, or by a background job for a big file."""
    event = organised_event(event_id)
    form = ImportConfirmForm()
    stored = (uploads.load_upload(form.token.data or "", event_id=event.id, user_id=current_user.id)
              if form.validate_on_submit() else None)
    if stored is None:
        flash(_("Le fichier envoyé n'est plus disponible : envoyez-le de nouveau."), "error")
        return redirect(url_for("registration.organiser_import", event_id=event.id))
    parsed = imports.read_import(stored[0])
    notify = form.notify.data == "y"
    if len(parsed.rows) > _job_rows() and not parsed.error:
        job, created = jobs.start_job(
            "registration_import", event=event, user=current_user,
            params={"token": form.token.data, "notify": notify},
            idempotency_key=jobs.form_key(event.id, current_user.id, form.token.data),
        )  # fmt: skip
        db.session.commit()
        if created:
            jobs.dispatch(job)
        return redirect(url_for("jobs.show", uuid=job.uuid))
    uploads.discard_upload(form.token.data)
    if parsed.error:
        flash(parsed.error, "error")
        return redirect(url_for("registration.organiser_import", event_id=event.id))
    report = imports.apply_import(event, parsed, notify=notify)
    return _import_page(event, ImportForm(formdata=None), report=report)


def _job_rows() -> int:
    return int(current_app.config.get("REGISTRATION_IMPORT_JOB_ROWS") or 200)


def _import_page(event: Event, form: ImportForm, *, status: int = 200, report=None, preview=None):
    return render_template(
        "registration/organiser/import.html", event=event, form=form, report=report, preview=preview,
        status_names=reg.status_names(), mail_cap=int(current_app.config.get("REGISTRATION_IMPORT_MAIL_CAP") or 0),
    ), status  # fmt: skip


@bp.route(PREFIX + "/export.csv")
@login_required
def organiser_export(event_id: int):
    event = organised_event(event_id)
    body = reg.registrations_csv(event)
    filename = download_name(pgettext("nom de fichier", "inscriptions"), event.code, ext="csv")
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Type": "text/csv; charset=utf-8",
            "Cache-Control": "no-store",
        },
    )
