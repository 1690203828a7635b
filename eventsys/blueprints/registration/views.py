"""Online registration: the public form by session code and the private link pages.

The organiser pages of this blueprint live in organiser.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext, pgettext
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from eventsys.blueprints.registration.forms import (
    ActionForm,
    EraseForm,
    choices_form,
    registration_form,
)
from eventsys.extensions import db, limiter
from eventsys.i18n import download_name
from eventsys.models import Event, ProgrammeSession
from eventsys.models.events import STATUS_PUBLISHED
from eventsys.models.registration import Registration, RegistrationSettings
from eventsys.security import can_manage
from eventsys.services import personal_data, throttle
from eventsys.services import registration as reg
from eventsys.services.directory import notices as directory_notices
from eventsys.services.errors import DomainError, InvalidLink, RegistrationInvalid
from eventsys.services.programme import find_event
from eventsys.web import format_local, format_local_date, prefer_language

bp = Blueprint("registration", __name__, template_folder="templates")

# Pages other areas provide behind the same private link (token=…); each link appears only once
# one of its endpoints exists, so the page never shows a dead link.
BADGE_ENDPOINTS = ("checkin.registration_badge", "badges.registration_badge")
CALENDAR_ENDPOINTS = ("exports.personal_ics",)
NETWORKING_ENDPOINTS = ("networking.itinerary",)


def _post_limit() -> str:
    """Every submission per client address, accepted or not: a flood guard."""
    return current_app.config["REGISTRATION_POST_LIMIT"]


def _registration_limits(email: str) -> list[tuple[str, str, str]]:
    """Accepted registrations are counted per client address and, lower, per e-mail address:
    a whole town hall behind one NAT address gets through, one address cannot be flooded."""
    config = current_app.config
    return [
        (config["REGISTRATION_RATE_LIMIT"], "registration-client", get_remote_address() or "unknown"),
        (config["REGISTRATION_EMAIL_LIMIT"], "registration-email", email),
    ]


@bp.errorhandler(429)
def _too_many_requests(error: Exception):
    return render_template("registration/rate_limited.html"), 429


def _public_event(code: str) -> Event | None:
    """The event behind a session code, if the visitor may see it (drafts only for organisers)."""
    event = find_event(code)
    if event is None:
        return None
    if event.status != STATUS_PUBLISHED and not can_manage(current_user, event):
        return None
    return event


def _unknown_code(code: str):
    return render_template("registration/unknown.html", code=code[:40]), 404


def _session_label(session: ProgrammeSession, event: Event, capacity: int | None, taken: int, waitlist: bool) -> str:
    start = format_local(session.starts_at, event.tz)
    end = format_local(session.ends_at, event.tz)
    locale = get_locale()
    room = f" — {session.room.localized('name', locale)}" if session.room is not None else ""
    label = f"{session.localized('title', locale)} ({start}–{end}{room})"
    if capacity is None:
        return label
    if taken >= capacity:
        availability = _("complet : liste d'attente") if waitlist else _("complet")
    else:
        availability = ngettext("%(num)d place restante", "%(num)d places restantes", capacity - taken)
    return f"{label} — {availability}"


def _slots(
    event: Event, settings: RegistrationSettings, registration: Registration | None = None
) -> tuple[list[list[ProgrammeSession]], list[str], dict[int, str]]:
    sessions = reg.registrable_sessions(event)
    taken = reg.seats_taken(s.id for s in sessions)
    slots = reg.group_slots(sessions)
    labels = []
    for slot in slots:
        start = format_local(min(s.starts_at for s in slot), event.tz)
        end = format_local(max(s.ends_at for s in slot), event.tz)
        day = slot[0].starts_at.astimezone(event.tz).date()
        labels.append(_("Créneau du %(day)s, %(start)s–%(end)s", day=format_local_date(day), start=start, end=end))
    session_labels = {
        s.id: _session_label(s, event, reg.session_capacity(s), taken[s.id], settings.waitlist_enabled)
        for s in sessions
    }
    if registration is not None:
        # The person's own sessions say where they stand ("place confirmée"), not "complet".
        for choice in reg.status_view(registration).choices:
            if choice.session.id in session_labels:
                own = _session_label(choice.session, event, None, 0, False)
                session_labels[choice.session.id] = f"{own} — {reg.choice_label(choice)}"
    return slots, labels, session_labels


def _consent_label(settings: RegistrationSettings) -> str:
    return _(
        "J'accepte que mes données soient utilisées pour gérer mon inscription (badge, liste "
        "d'émargement, informations pratiques). Elles sont conservées %(months)d mois après "
        "l'événement, puis supprimées.",
        months=settings.retention_months,
    )


def show_errors(form: Any, error: DomainError) -> None:
    """Put a service error next to the fields it concerns (or at the top of the form)."""
    if isinstance(error, RegistrationInvalid):
        for name, messages in error.params.get("errors", {}).items():
            target = form.field_for(name) if hasattr(form, "field_for") else None
            if target is not None:
                form[target].errors = list(form[target].errors or []) + list(messages)
            else:
                form.form_errors.extend(messages)
        return
    target = form.field_for("sessions") if hasattr(form, "field_for") else None
    if target is None and getattr(form, "slot_names", None):
        target = form.slot_names[0]
    if error.code in ("session_closed", "session_full", "choice_conflict") and target is not None:
        form[target].errors = list(form[target].errors or []) + [str(error)]
    else:
        form.form_errors.append(str(error))


@bp.route("/e/<code>/register", methods=["GET", "POST"])
@limiter.limit(_post_limit, methods=["POST"])
def register(code: str):
    event = _public_event(code)
    if event is None:
        return _unknown_code(code)
    settings = reg.load_settings(event)
    is_open, reason = reg.registration_state(event, settings)
    if not is_open:
        return render_template("registration/closed.html", event=event, reason=reason)
    slots, slot_labels, session_labels = _slots(event, settings)
    full = settings.capacity is not None and reg.places_taken(event) >= settings.capacity
    if full and not settings.waitlist_enabled:
        return render_template("registration/closed.html", event=event, reason=_("Cet événement est complet."))
    form = registration_form(
        settings, slots, slot_labels, session_labels, reg.event_questions(event), reg.languages_offered(),
        _consent_label(settings),
    )  # fmt: skip
    if request.method == "GET" and not form.language.data:
        form.language.data = _current_language()
    status = 200
    if form.validate_on_submit():
        limits = _registration_limits(form.email.data)
        if form.website.data:
            form.form_errors.append(
                _("Votre demande n'a pas pu être enregistrée. Laissez vide le champ « Ne remplissez pas ce champ » et réessayez.")
            )
        elif not all(throttle.allowed(*limit) for limit in limits):
            form.form_errors.append(
                _("Trop d'inscriptions en peu de temps depuis votre connexion ou pour cette adresse e-mail. "
                  "Réessayez un peu plus tard : rien n'a été enregistré, votre saisie est conservée ci-dessous.")
            )
            status = 429
        else:
            try:
                outcome = reg.register_attendee(event, form.to_input(), source="web")
                if form.directory_opt_in.data:
                    directory_notices.registration_opt_in(outcome.registration, outcome.token)
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                show_errors(form, error)
            else:
                for limit in limits:  # accepted submissions only (a form with a mistake costs nothing)
                    throttle.hit(*limit)
                # The same answer whether the address was new or already registered (no way to
                # learn who is registered): the private link goes only to the mailbox.
                return redirect(url_for(".registration_received", code=event.code))
    if form.is_submitted() and status == 200:
        status = 422
    return render_template(
        "registration/form.html", event=event, form=form, settings=settings, full=full,
    ), status  # fmt: skip


def _current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


@bp.route("/e/<code>/register/sent")
def registration_received(code: str):
    """After every accepted submission, new address or known one: "check your mailbox"."""
    event = _public_event(code)
    if event is None:
        return _unknown_code(code)
    return render_template("registration/received.html", event=event)


# ------------------------------------------------------------------ private link


@contextmanager
def _attendee_language(registration: Registration) -> Iterator[None]:
    """The person's language on their own pages, unless they pick one with the language switch."""
    prefer_language(registration.language, registration.event)
    yield


def _private(response: Any) -> Response:
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _link_error(error: InvalidLink):
    reason = error.params.get("reason", "")
    status = 410 if reason == "expired" else 404
    return _private((render_template("registration/link_error.html", message=str(error), reason=reason), status))


def _optional_url(endpoints: tuple[str, ...], **values: Any) -> str | None:
    """A link to a feature another area provides, only once it exists (never a dead link)."""
    for endpoint in endpoints:
        if endpoint in current_app.view_functions:
            return url_for(endpoint, **values)
    return None


def _private_link(view: Callable[[Registration, str], Any]) -> Callable[[str], Any]:
    """The view gets the registration behind the link, with the page in the person's language;
    a link that is not (or no longer) valid gets the page saying why, whatever the view."""

    @wraps(view)
    def resolved(token: str):
        try:
            registration = reg.registration_from_link(token)
        except InvalidLink as error:
            return _link_error(error)
        with _attendee_language(registration):
            return view(registration, token)

    return resolved


def _link_page(registration: Registration, token: str, form: Any = None, status: int = 200):
    event = registration.event
    settings = reg.load_settings(event)
    is_open, closed_reason = reg.registration_state(event, settings)
    slots, slot_labels, session_labels = _slots(event, settings, registration)
    if form is None and slots and is_open and registration.is_active:
        current = {c.session_id for c in registration.live_choices}
        form = choices_form(settings, slots, slot_labels, session_labels, current)
    return _private((
        render_template(
            "registration/link.html",
            registration=registration,
            event=event,
            view=reg.status_view(registration),
            token=token,
            form=form,
            can_change=is_open and registration.is_active and bool(slots),
            closed_reason=closed_reason,
            badge_url=_optional_url(BADGE_ENDPOINTS, token=token) if registration.holds_place else None,
            calendar_url=_optional_url(CALENDAR_ENDPOINTS, token=token) if registration.is_active else None,
            networking_url=(
                _optional_url(NETWORKING_ENDPOINTS, token=token)
                if registration.holds_place and registration.networking_opt_in
                else None
            ),
            retention_months=settings.retention_months,
            action_form=ActionForm(),
            directory_join_url=_optional_url(("directory.join",), token=token),
        ),
        status,
    ))


@bp.route("/r/<token>")
@_private_link
def manage_link(registration: Registration, token: str):
    return _link_page(registration, token)


@bp.route("/r/<token>/choices", methods=["POST"])
@limiter.limit(_post_limit)
@_private_link
def change_link_choices(registration: Registration, token: str):
    event = registration.event
    settings = reg.load_settings(event)
    slots, slot_labels, session_labels = _slots(event, settings, registration)
    current = {c.session_id for c in registration.live_choices}
    form = choices_form(settings, slots, slot_labels, session_labels, current)
    if not form.validate_on_submit():
        return _link_page(registration, token, form, 422)
    try:
        reg.change_choices(registration, form.session_ids())
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        registration = db.session.get(Registration, registration.id)
        show_errors(form, error)
        return _link_page(registration, token, form, 422)
    flash(_("Vos choix de sessions sont enregistrés."), "success")
    return redirect(url_for(".manage_link", token=token))


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
@_private_link
def cancel_link(registration: Registration, token: str):
    form = ActionForm()
    if not registration.is_active:
        flash(_("Cette inscription est déjà annulée."), "info")
        return redirect(url_for(".manage_link", token=token))
    if form.validate_on_submit():
        try:
            reg.cancel_registration(registration)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(_("Votre inscription est annulée. Un e-mail de confirmation vous a été envoyé."), "success")
        return redirect(url_for(".manage_link", token=token))
    return _private(render_template(
        "registration/cancel.html", registration=registration, event=registration.event, token=token, form=form
    ))


def json_attachment(data: dict[str, Any], filename: str) -> Response:
    """A JSON file to save, never kept by a cache (it holds personal data)."""
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/r/<token>/data.json")
@_private_link
def link_data(registration: Registration, token: str):
    data = personal_data.person_data(registration)
    name = download_name(pgettext("nom de fichier", "données personnelles"), registration.event.code, ext="json")
    return _private(json_attachment(data, name))


@bp.route("/r/<token>/erase", methods=["GET", "POST"])
@limiter.limit(_post_limit, methods=["POST"])
@_private_link
def erase_link(registration: Registration, token: str):
    event = registration.event
    form = EraseForm()
    if form.validate_on_submit():
        personal_data.erase_person(registration)
        db.session.commit()
        return _private(render_template("registration/erased.html", event=event))
    return _private((
        render_template("registration/erase.html", registration=registration, event=event, token=token, form=form),
        422 if form.is_submitted() else 200,
    ))


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"status_label": reg.status_label, "choice_label": reg.choice_label}
