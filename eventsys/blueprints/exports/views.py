"""Exports of a programme (iCal feeds, PDF booklet, schedule XML/JSON, CSV) and the organiser's import.

Public exports follow the public pages' rule: a draft exists only for the people who build it.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventsys.blueprints.exports.forms import ImportConfirmForm, ImportUploadForm
from eventsys.extensions import db
from eventsys.i18n import download_name, language_code
from eventsys.models import Event, Room, Speaker, Track
from eventsys.models.events import STATUS_DRAFT
from eventsys.security import can_manage
from eventsys.services import exports, importer, programme_import, uploads
from eventsys.services import registration as reg
from eventsys.services.errors import DomainError, InvalidLink
from eventsys.services.programme import find_event
from eventsys.web import prefer_language

bp = Blueprint("exports", __name__, template_folder="templates")


def _visible_event(code: str) -> Event:
    event = find_event(code)
    if event is None or (event.status == STATUS_DRAFT and not can_manage(current_user, event)):
        abort(404)
    return event


def _send(
    event: Event, body: bytes, mimetype: str, filename: str, disposition: str = "inline"
) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Drafts are seen by their organisers only: never kept by a shared cache.
    response.headers["Cache-Control"] = (
        "private, no-store" if event.status == STATUS_DRAFT else "public, max-age=300"
    )
    response.add_etag()
    return response.make_conditional(request)


def _ics(event: Event, body: bytes, filename: str) -> Response:
    response = _send(event, body, "text/calendar", filename, "attachment")
    response.vary.update(("Accept-Language", "Cookie"))  # titles in the reader's language (?lang=)
    return response


@bp.route("/e/<code>/programme.ics")
def programme_ics(code: str):
    event = _visible_event(code)
    return _ics(event, exports.programme_calendar(event), f"programme-{event.code}.ics")


@bp.route("/e/<code>/rooms/<int:room_id>.ics")
def room_ics(code: str, room_id: int):
    event = _visible_event(code)
    room = db.session.get(Room, room_id)
    if room is None or room.event_id != event.id:
        abort(404)
    return _ics(
        event,
        exports.programme_calendar(event, room=room),
        download_name(pgettext("nom de fichier", "programme salle"), event.code, room.id, ext="ics"),
    )


@bp.route("/e/<code>/tracks/<int:track_id>.ics")
def track_ics(code: str, track_id: int):
    event = _visible_event(code)
    track = db.session.get(Track, track_id)
    if track is None or track.event_id != event.id:
        abort(404)
    return _ics(
        event,
        exports.programme_calendar(event, track=track),
        download_name(pgettext("nom de fichier", "programme thème"), event.code, track.id, ext="ics"),
    )


@bp.route("/e/<code>/speakers/<int:speaker_id>.ics")
def speaker_ics(code: str, speaker_id: int):
    event = _visible_event(code)
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None or speaker.event_id != event.id:
        abort(404)
    return _ics(
        event,
        exports.programme_calendar(event, speaker=speaker),
        download_name(pgettext("nom de fichier", "programme intervenant"), event.code, speaker.id, ext="ics"),
    )


@bp.route("/e/<code>/programme.pdf")
def programme_pdf(code: str):
    """The booklet in the page's language (?lang=en chooses it); ?bilingual=de adds the titles in
    a second language the event offers, beneath. Unknown or not offered values are ignored."""
    event = _visible_event(code)
    lang = str(get_locale() or event.main_language)
    second = language_code(request.args.get("bilingual"), event.language_list)
    second = second if second != lang else None
    body = exports.programme_pdf(event, locale=lang, second=second)
    suffix = "" if lang == event.main_language and not second else f"-{lang}"
    suffix += f"-{second}" if second else ""
    response = _send(event, body, "application/pdf", f"programme-{event.code}{suffix}.pdf")
    response.vary.update(("Accept-Language", "Cookie"))  # the language may come from either
    return response


@bp.route("/e/<code>/schedule.xml")
def schedule_xml(code: str):
    event = _visible_event(code)
    return _send(
        event, exports.schedule_xml(event), "application/xml", f"schedule-{event.code}.xml"
    )


@bp.route("/e/<code>/schedule.json")
def schedule_json(code: str):
    event = _visible_event(code)
    return _send(
        event, exports.schedule_json(event), "application/json", f"schedule-{event.code}.json"
    )


@bp.route("/e/<code>/programme.csv")
def programme_csv(code: str):
    event = _visible_event(code)
    return _send(
        event, exports.programme_csv(event), "text/csv", f"programme-{event.code}.csv", "attachment"
    )


# ------------------------------------------------------------------ personal agenda


def _private_error(message: str, reason: str, status: int) -> Response:
    response = make_response(
        render_template("registration/link_error.html", message=message, reason=reason), status
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/r/<token>/agenda.ics")
def personal_ics(token: str):
    """One person's agenda behind their private link: their sessions, the common ones, their
    speed-networking rounds. The address carries the signed token only, no personal data."""
    try:
        registration = reg.registration_from_link(token)
    except InvalidLink as error:
        reason = error.params.get("reason", "")
        return _private_error(str(error), reason, 410 if reason == "expired" else 404)
    prefer_language(registration.language, registration.event)
    if not registration.is_active:
        return _private_error(
            _(
                "Cette inscription a été annulée ou n'a pas été retenue : son agenda n'est plus disponible."
            ),
            "inactive",
            410,
        )
    body = exports.registration_agenda(registration)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="agenda-{registration.event.code}.ics"'
    )
    # Personal: never kept by a shared cache; calendar apps revalidate with the ETag.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    response.add_etag()
    return response.make_conditional(request)


# ------------------------------------------------------------------ import


def _managed_event(event_id: int) -> Event:
    event = db.get_or_404(Event, event_id)
    if not can_manage(current_user, event):
        abort(403)
    return event


def _limit() -> int:
    return int(current_app.config.get("IMPORT_MAX_BYTES") or importer.MAX_BYTES)


def _window(event: Event) -> tuple:
    """The event's days: recurring calendar entries are expanded within them."""
    return (event.start_date, event.end_date)


def _upload_page(event: Event, form: ImportUploadForm, status: int = 200):
    return render_template(
        "exports/import.html",
        event=event,
        form=form,
        limit_mb=_limit() // (1024 * 1024),
        columns=importer.COLUMN_NAMES,
    ), status


def _preview_page(
    event: Event,
    plan,
    confirm: ImportConfirmForm,
    filename: str,
    error: str | None = None,
    status: int = 200,
):
    return render_template(
        "exports/import_preview.html",
        event=event,
        plan=plan,
        form=confirm,
        filename=filename,
        error=error,
        tz=event.tz,
    ), status


@bp.route("/manage/events/<int:event_id>/exports")
@login_required
def organiser_exports(event_id: int):
    """Every export of the event in one place: what attendees and apps can fetch, what the
    organiser prints or downloads."""
    event = _managed_event(event_id)
    return render_template("exports/list.html", event=event)


@bp.route("/manage/events/<int:event_id>/import", methods=["GET", "POST"])
@login_required
def import_programme(event_id: int):
    """Upload a programme file and see, row by row, what importing it would do."""
    event = _managed_event(event_id)
    form = ImportUploadForm()
    if not form.validate_on_submit():
        return _upload_page(event, form, 400 if request.method == "POST" else 200)
    upload = form.file.data
    data = upload.read(_limit() + 1)
    filename = upload.filename or ""
    try:
        parsed = importer.parse_programme(data, filename, max_bytes=_limit(), window=_window(event))
    except importer.ImportFileError as error:
        form.file.errors = [programme_import.file_error_message(error)]
        return _upload_page(event, form, 400)
    plan = programme_import.plan_import(event, parsed)
    token = uploads.store_upload(
        data, filename=filename, event_id=event.id, user_id=current_user.id
    )
    return _preview_page(event, plan, ImportConfirmForm(formdata=None, token=token), filename)


@bp.route("/manage/events/<int:event_id>/import/confirm", methods=["POST"])
@login_required
def import_confirm(event_id: int):
    """Import the previewed file: everything, or only the valid rows if the organiser said so."""
    event = _managed_event(event_id)
    form = ImportConfirmForm()
    stored = (
        uploads.load_upload(form.token.data or "", event_id=event.id, user_id=current_user.id)
        if (form.validate_on_submit())
        else None
    )
    if stored is None:
        flash(_("Le fichier envoyé n'est plus disponible : envoyez-le de nouveau."), "error")
        return redirect(url_for("exports.import_programme", event_id=event.id))
    data, filename = stored
    # Rooms the organiser marks as shared spaces in the preview (a foyer, an exhibition hall).
    shared = {name[:120] for name in request.form.getlist("shared_rooms")[:500] if name.strip()}
    try:
        plan = programme_import.plan_import(
            event, importer.parse_programme(data, filename, max_bytes=_limit(), window=_window(event)), shared_rooms=shared
        )
    except importer.ImportFileError as error:
        uploads.discard_upload(form.token.data)
        flash(programme_import.file_error_message(error), "error")
        return redirect(url_for("exports.import_programme", event_id=event.id))
    if form.refresh.data:  # "update the preview" with the rooms now marked as shared
        return _preview_page(event, plan, form, filename)
    partial = bool(form.accept_partial.data)
    big = len(plan.rows) > int(current_app.config.get("IMPORT_JOB_ROWS") or 200)
    if big and plan.accepted and (partial or not plan.has_errors):
        return _start_import_job(event, form.token.data, partial, sorted(shared))
    try:
        summary = programme_import.apply_import(event, plan, accept_partial=form.accept_partial.data)
    except DomainError as error:
        db.session.rollback()
        event = _managed_event(event_id)
        plan = programme_import.plan_import(
            event, importer.parse_programme(data, filename, max_bytes=_limit(), window=_window(event)), shared_rooms=shared
        )
        return _preview_page(event, plan, form, filename, error=str(error), status=409)
    db.session.commit()
    uploads.discard_upload(form.token.data)
    flash(summary.message(), "success")
    return redirect(url_for("exports.import_programme", event_id=event.id))


def _start_import_job(event: Event, token: str, accept_partial: bool, shared_rooms: list[str]):
    """A big file is applied by a background job, with the progress page (one job per upload)."""
    from eventsys import jobs

    job, created = jobs.start_job(
        "programme_import",
        event=event,
        user=current_user,
        params={"token": token, "accept_partial": accept_partial, "shared_rooms": shared_rooms},
        idempotency_key=jobs.form_key(event.id, current_user.id, token),
    )
    db.session.commit()
    if created:
        jobs.dispatch(job)
    return redirect(url_for("jobs.show", uuid=job.uuid))
