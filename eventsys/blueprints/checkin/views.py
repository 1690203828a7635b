"""Badges and attendance documents: badge printing, the attendee's own badge, desk tokens,
sign-in sheets and attendance certificates. The staff scan page and its JSON calls are in desk.py
(same blueprint).

Organiser pages need the organiser role (403 otherwise). The scan page and its calls accept a
logged-in organiser or staff member, or a desk token (opened once from its link, then kept in the
signed session cookie, checked again on every request: a revoked or expired token stops at once).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventsys import jobs
from eventsys.blueprints.checkin.forms import ActionForm, BadgeForm, StaffTokenForm
from eventsys.extensions import db
from eventsys.i18n import LANGUAGE_NAMES
from eventsys.models import Event
from eventsys.models.checkin import StaffToken
from eventsys.models.registration import HOLDING_PLACE, Registration
from eventsys.render.attendance_pdf import render_certificates, render_signin_sheet
from eventsys.render.badges import LAYOUTS, render_badges
from eventsys.security import require_organiser
from eventsys.services import checkin as svc
from eventsys.services import registration as reg
from eventsys.services.errors import DomainError, InvalidLink
from eventsys.services.job_files import pdf_name, per_label
from eventsys.services.links import external_url

bp = Blueprint("checkin", __name__, template_folder="templates")

MANAGE = "/manage/events/<int:event_id>"
STAFF = "/staff/<code>"
SESSION_KEY = "staff_tokens"  # {event id: staff token id} in the signed session cookie


def _pdf(body: bytes, filename: str, private: bool = True) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store" if private else "private, max-age=60"
    return response


def _event(event_id: int) -> Event:
    event = db.get_or_404(Event, event_id)
    require_organiser(event)
    return event


def int_query_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


# ------------------------------------------------------------------ badges (organiser)


@bp.route(MANAGE + "/badges", methods=["GET", "POST"])
@login_required
def badges(event_id: int):
    event = _event(event_id)
    form = BadgeForm()
    people, _total = reg.search_registrations(event)
    people = [p for p in people if p.status in HOLDING_PLACE]
    if form.validate_on_submit():
        ids = None
        if form.scope.data == "selection":
            ids = [
                int(v) for v in request.form.getlist("registration") if v.isdigit() and len(v) < 10
            ]
            if not ids:
                flash(
                    _(
                        "Cochez au moins une personne, ou choisissez « Toutes les inscriptions confirmées »."
                    ),
                    "error",
                )
                return render_template("checkin/badges.html", event=event, form=form, people=people,
                                       status_names=reg.status_names(), job_key=_job_key()), 422  # fmt: skip
        if ids is None:  # the whole event can be thousands of badges: a background job
            return _start_badges_job(event, form.layout.data, form.bilingual.data or None)
        body = _render_badges(event, ids, form.layout.data, form.bilingual.data or None)
        if body is None:
            flash(_("Aucune inscription confirmée : il n'y a pas de badge à imprimer."), "error")
            return redirect(url_for(".badges", event_id=event.id))
        db.session.commit()  # badge nonces drawn for the first print
        return _pdf(body, f"badges-{event.code.lower()}-{form.layout.data}.pdf")
    status = 422 if form.errors else 200
    return render_template("checkin/badges.html", event=event, form=form, people=people,
                           status_names=reg.status_names(), job_key=_job_key()), status  # fmt: skip


def _job_key() -> str:
    """A one-time token in the form: submitting the same form twice starts one job, not two."""
    return secrets.token_urlsafe(16)


def _start_badges_job(event: Event, layout: str, bilingual: str | None):
    if not svc.badge_registrations(event, None):
        flash(_("Aucune inscription confirmée : il n'y a pas de badge à imprimer."), "error")
        return redirect(url_for(".badges", event_id=event.id))
    token = request.form.get("job_key", "")[:64] or secrets.token_urlsafe(16)
    job, created = jobs.start_job(
        "badges",
        event=event,
        user=current_user,
        params={"layout": layout, "bilingual": bilingual},
        idempotency_key=jobs.form_key(event.id, current_user.id, token),
    )
    db.session.commit()
    if created:
        jobs.dispatch(job)
    return redirect(url_for("jobs.show", uuid=job.uuid))


def _render_badges(
    event: Event, ids: list[int] | None, layout: str, bilingual: str | None
) -> bytes | None:
    registrations = svc.badge_registrations(event, ids)
    if not registrations:
        return None
    data = svc.badge_data(event, registrations, with_programme=layout == "a6-folded")
    return render_badges(data, layout, svc.badge_options(event, bilingual))


@bp.route(MANAGE + "/badges.pdf")
@login_required
def badges_pdf(event_id: int):
    """Every confirmed person's badge in one PDF (?layout=a4-8|a6|id1|a6-folded, ?bilingual=en)."""
    event = _event(event_id)
    layout = request.args.get("layout", "a4-8")
    if layout not in LAYOUTS:
        abort(404)
    bilingual = request.args.get("bilingual") or None
    body = _render_badges(
        event, None, layout, bilingual if bilingual in ("fr", "en", "de", "es", "it") else None
    )
    if body is None:
        flash(_("Aucune inscription confirmée : il n'y a pas de badge à imprimer."), "error")
        return redirect(url_for(".badges", event_id=event.id))
    db.session.commit()
    return _pdf(body, f"badges-{event.code.lower()}-{layout}.pdf")


@bp.route(MANAGE + "/badges/<int:registration_id>.pdf")
@login_required
def organiser_registration_badge(event_id: int, registration_id: int):
    event = _event(event_id)
    registration = _registration_of(event, registration_id)
    layout = request.args.get("layout", "a6")
    if layout not in LAYOUTS:
        abort(404)
    body = _render_badges(event, [registration.id], layout, None)
    if body is None:
        abort(404)
    db.session.commit()
    return _pdf(body, f"badge-{event.code.lower()}-{registration.id}.pdf")


@bp.route(MANAGE + "/badges/<int:registration_id>/reissue", methods=["POST"])
@login_required
def reissue_badge(event_id: int, registration_id: int):
    """A lost or stolen badge: a new QR code; every badge printed before is refused at the desk."""
    event = _event(event_id)
    registration = _registration_of(event, registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    svc.reissue_badge(registration)
    db.session.commit()
    flash(
        _("Nouveau badge émis pour %(name)s : les badges imprimés avant sont refusés à l'accueil.",
          name=registration.full_name),
        "success",
    )  # fmt: skip
    return redirect(url_for(".badges", event_id=event.id))


def _registration_of(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


# ------------------------------------------------------------------ the attendee's own badge


@bp.route("/r/<token>/badge.pdf")
def registration_badge(token: str):
    """The badge behind a private registration link (?layout=a6 by default), in the person's language."""
    try:
        registration = reg.registration_from_link(token)
    except InvalidLink as error:
        status = 410 if error.params.get("reason") == "expired" else 404
        response = Response(
            render_template("errors/error.html", status=status, message=str(error)), status
        )
        response.headers["Cache-Control"] = "no-store"
        return response
    if registration.status not in HOLDING_PLACE:
        with force_locale(registration.language or "fr"):
            message = _(
                "Il n'y a pas de badge pour une inscription annulée, refusée ou en liste d'attente."
            )
        response = Response(render_template("errors/error.html", status=409, message=message), 409)
        response.headers["Cache-Control"] = "no-store"
        return response
    layout = request.args.get("layout", "a6")
    if layout not in LAYOUTS:
        layout = "a6"
    event = registration.event
    data = svc.badge_data(event, [registration], with_programme=layout == "a6-folded")
    body = render_badges(data, layout, svc.badge_options(event))
    db.session.commit()
    return _pdf(body, f"badge-{event.code.lower()}.pdf")


# ------------------------------------------------------------------ desk tokens (organiser)


@bp.route(MANAGE + "/staff-tokens", methods=["GET", "POST"])
@login_required
def staff_tokens(event_id: int):
    event = _event(event_id)
    form = StaffTokenForm()
    created = None
    status = 200
    if form.validate_on_submit():
        expires_at = None
        if form.expires_at.data is not None:
            expires_at = form.expires_at.data.replace(tzinfo=event.tz)
        try:
            token, raw = svc.issue_staff_token(
                event, form.label.data, created_by=current_user, expires_at=expires_at
            )
        except DomainError as error:
            db.session.rollback()
            form.expires_at.errors.append(str(error))
            status = 422
        else:
            db.session.commit()
            created = {
                "token": token,
                "raw": raw,
                "link": external_url("checkin.staff_access_link", code=event.code, token=raw),
            }
    elif form.errors:
        status = 422
    return render_template(
        "checkin/staff_tokens.html",
        event=event,
        form=form,
        created=created,
        tokens=svc.staff_tokens(event),
        now=datetime.now(event.tz),
        action_form=ActionForm(),
    ), status


@bp.route(MANAGE + "/staff-tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_staff_token(event_id: int, token_id: int):
    event = _event(event_id)
    token = db.session.get(StaffToken, token_id)
    if token is None or token.event_id != event.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    svc.revoke_staff_token(token)
    db.session.commit()
    flash(
        _("Le lien « %(label)s » est révoqué : il ne permet plus de scanner.", label=token.label),
        "success",
    )
    return redirect(url_for(".staff_tokens", event_id=event.id))


# ------------------------------------------------------------------ attendance documents (organiser)


@bp.route(MANAGE + "/attendance")
@login_required
def attendance(event_id: int):
    event = _event(event_id)
    sessions = [s for s in event.sessions if s.status != "cancelled"]
    return render_template(
        "checkin/attendance.html",
        event=event,
        door=svc.counters(event),
        sessions=[(s, svc.counters(event, s)) for s in sessions],
        half_days=svc.half_days(event),
        certified=len(svc.attended_days(event)),
        sheet_languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in event.language_list],
        job_key=_job_key(),
    )


@bp.route(MANAGE + "/signin-sheets.pdf")
@login_required
def signin_sheets_pdf(event_id: int):
    """?session=<id>: one session; ?day=YYYY-MM-DD&half=am|pm: one half-day; ?per=session|half_day: all.
    ?language=xx: in one of the event's languages (default: its main language)."""
    event = _event(event_id)
    session_id = int_query_arg("session")
    lang = request.args.get("language")
    try:
        if session_id is not None:
            sheets = [svc.session_signin_sheet(event, svc.event_session(event, session_id), lang)]
            name = pdf_name("signin_sheets", event.code, session_id)
        elif request.args.get("day"):
            day = date.fromisoformat(request.args["day"])
            half = request.args.get("half", "am")
            if half not in ("am", "pm"):
                abort(404)
            sheets = [svc.half_day_signin_sheet(event, day, half, lang)]
            name = pdf_name("signin_sheets", event.code, day.isoformat(), half)
        else:
            per = request.args.get("per", "half_day")
            if per not in ("half_day", "session"):
                abort(404)
            sheets = svc.all_signin_sheets(event, per, lang)
            name = pdf_name("signin_sheets", event.code, per_label(per))
    except ValueError:
        abort(404)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for(".attendance", event_id=event.id))
    if not sheets:
        flash(
            _("Le programme n'a aucune session : il n'y a pas de feuille d'émargement à produire."),
            "error",
        )
        return redirect(url_for(".attendance", event_id=event.id))
    return _pdf(svc.merge_pdfs([render_signin_sheet(sheet) for sheet in sheets]), name)


@bp.route(MANAGE + "/certificates.pdf")
@login_required
def certificates_pdf(event_id: int):
    """Attendance certificates of everyone checked in (?registration=<id>: one person), one PDF."""
    event = _event(event_id)
    registration_id = int_query_arg("registration")
    ids = None
    if registration_id is not None:
        ids = [_registration_of(event, registration_id).id]
    certificates = svc.certificates(event, ids)
    if not certificates:
        flash(_("Aucune présence enregistrée : il n'y a pas d'attestation à produire."), "error")
        return redirect(url_for(".attendance", event_id=event.id))
    name = pdf_name("certificates", event.code, registration_id or "")
    return _pdf(render_certificates(certificates), name)


@bp.route(MANAGE + "/signin-sheets/job", methods=["POST"])
@login_required
def signin_sheets_job(event_id: int):
    """Every sheet of the event (form: per=half_day|session, language=xx) as a background job."""
    event = _event(event_id)
    per = request.form.get("per", "half_day")
    if per not in ("half_day", "session"):
        per = "half_day"
    language = request.form.get("language") or None
    if language not in event.language_list:
        language = None
    if not svc.half_days(event):
        flash(
            _("Le programme n'a aucune session : il n'y a pas de feuille d'émargement à produire."),
            "error",
        )
        return redirect(url_for(".attendance", event_id=event.id))
    return _start_attendance_job(event, "signin_sheets", {"per": per, "language": language})


@bp.route(MANAGE + "/certificates/job", methods=["POST"])
@login_required
def certificates_job(event_id: int):
    """Everyone's attendance certificate in one PDF, as a background job."""
    event = _event(event_id)
    if not svc.attended_days(event):
        flash(_("Aucune présence enregistrée : il n'y a pas d'attestation à produire."), "error")
        return redirect(url_for(".attendance", event_id=event.id))
    return _start_attendance_job(event, "certificates", {})


def _start_attendance_job(event: Event, kind: str, params: dict[str, Any]):
    """The form's one-time token with the choices: a double click is one job, two buttons two."""
    token = request.form.get("job_key", "")[:64] or secrets.token_urlsafe(16)
    job, created = jobs.start_job(
        kind,
        event=event,
        user=current_user,
        params=params,
        idempotency_key=jobs.form_key(event.id, current_user.id, token, sorted(params.items())),
    )
    db.session.commit()
    if created:
        jobs.dispatch(job)
    return redirect(url_for("jobs.show", uuid=job.uuid))
