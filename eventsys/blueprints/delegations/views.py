"""Delegations, public side: the head's registration form and the head's private link.

The organiser's pages live in organiser.py.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from flask_login import current_user

from eventsys.blueprints.delegations.forms import (
    ActionForm,
    DelegationForm,
    MembersForm,
    ReplaceForm,
    delegation_input,
    fill_choices,
    member_input,
    member_inputs,
    role_labels,
    show_errors,
)
from eventsys.blueprints.registration.views import json_attachment
from eventsys.extensions import db, limiter
from eventsys.i18n import LANGUAGE_NAMES, download_name
from eventsys.models import Event
from eventsys.models.delegation import Delegation, DelegationMember
from eventsys.models.events import STATUS_PUBLISHED
from eventsys.models.types import utcnow
from eventsys.security import can_manage
from eventsys.services import delegations as dl
from eventsys.services import registration as reg
from eventsys.services import study_trips as trips
from eventsys.services.delegations import member_page, personal
from eventsys.services.errors import DomainError, InvalidLink
from eventsys.services.programme import find_event
from eventsys.web import format_local, prefer_language

bp = Blueprint("delegations", __name__, template_folder="templates")


def _post_limit() -> str:
    return current_app.config["REGISTRATION_POST_LIMIT"]


def _public_event(code: str) -> Event | None:
    event = find_event(code)
    if event is None or (event.status != STATUS_PUBLISHED and not can_manage(current_user, event)):
        return None
    return event


def session_choices(event: Event) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(every session, sessions taking registrations) as (id, label) in the page's language."""
    locale = get_locale()

    def label(session: Any) -> str:
        start, end = (
            format_local(session.starts_at, event.tz),
            format_local(session.ends_at, event.tz),
        )
        return f"{session.localized('title', locale)} ({start}–{end})"

    every = [(s.id, label(s)) for s in event.sessions if s.status != "cancelled"]
    registrable = [(s.id, label(s)) for s in reg.registrable_sessions(event)]
    return every, registrable


def prepare(form: Any, event: Event) -> None:
    every, registrable = session_choices(event)
    fill_choices(form, reg.languages_offered(), every, registrable)


def _private(response: Any) -> Any:
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.app_context_processor
def _member_page() -> dict[str, Any]:
    """For a person's private-link page (registration/link.html): their delegation, visits, trip."""

    def delegation_panel(registration: Any) -> member_page.MemberPanel:
        return member_page.member_panel(registration, str(get_locale() or "fr"))

    return {"delegation_panel": delegation_panel}


@bp.route("/e/<code>/delegations/new", methods=["GET", "POST"])
@limiter.limit(_post_limit, methods=["POST"])
def register(code: str):
    """A head of delegation registers the group."""
    event = _public_event(code)
    if event is None:
        return render_template("registration/unknown.html", code=code[:40]), 404
    settings = reg.load_settings(event)
    is_open, reason = reg.registration_state(event, settings)
    if not is_open:
        return render_template("registration/closed.html", event=event, reason=reason)
    form = DelegationForm()
    prepare(form, event)
    if request.method == "GET":
        form.head_language.data = str(get_locale() or "fr")
    status = 200
    if form.validate_on_submit():
        data, rows, pair_rows = delegation_input(form, event.timezone)
        if form.website.data:
            form.form_errors.append(
                _(
                    "Votre demande n'a pas pu être enregistrée : laissez vide le champ « Ne remplissez pas ce champ »."
                )
            )
        else:
            try:
                delegation = dl.register_delegation(event, data, source="web")
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                show_errors(form, error, rows, pair_rows)
            else:
                return redirect(url_for(".head_link", token=dl.link_token(delegation)))
    if form.is_submitted():
        status = 422
    return render_template("delegations/form.html", event=event, form=form, organiser=False), status


def _from_link(token: str) -> Delegation | Any:
    try:
        delegation = dl.delegation_from_link(token)
    except InvalidLink as error:
        return _private((render_template("delegations/link_error.html", message=str(error)), 404))
    prefer_language(delegation.head_language, delegation.event)
    return delegation


def _head_page(
    delegation: Delegation, token: str, add_form: Any = None, status: int = 200, error: str = ""
):
    event = delegation.event
    if add_form is None:
        add_form = MembersForm()
        prepare(add_form, event)
    deadline = dl.changes_deadline(delegation)
    return _private((render_template(
        "delegations/head.html", delegation=delegation, event=event, token=token,
        seats=dl.member_seats(delegation), status=dl.status_label(dl.delegation_status(delegation)),
        deadline=deadline, can_change=utcnow() < deadline, add_form=add_form, action_form=ActionForm(),
        links={m.id: reg.link_token(m.registration) for m in delegation.members}, error=error,
        has_trip=bool(trips.trip_days(event)),
        **page_labels(delegation),
    ), status))  # fmt: skip


def page_labels(delegation: Delegation) -> dict[str, Any]:
    """Names shown on delegation pages, in the page's language."""
    return {
        "country": dl.country_name(delegation.country, str(get_locale() or "fr")),
        "roles": role_labels(),
        "language_names": LANGUAGE_NAMES,
        "status_names": reg.status_names(),
    }


@bp.route("/d/<token>")
def head_link(token: str):
    delegation = _from_link(token)
    if not isinstance(delegation, Delegation):
        return delegation
    return _head_page(delegation, token)


@bp.route("/d/<token>/data.json")
def head_data(token: str):
    """The head downloads what the delegation stores about them (RGPD)."""
    delegation = _from_link(token)
    if not isinstance(delegation, Delegation):
        return delegation
    name = download_name(
        pgettext("nom de fichier", "données personnelles"), delegation.event.code, ext="json"
    )
    return _private(json_attachment(personal.head_data(delegation), name))


@bp.route("/d/<token>/members", methods=["POST"])
def head_add(token: str):
    delegation = _from_link(token)
    if not isinstance(delegation, Delegation):
        return delegation
    form = MembersForm()
    prepare(form, delegation.event)
    if form.validate_on_submit():
        members, rows = member_inputs(form.members)
        if not members:
            form.form_errors.append(_("Remplissez au moins une ligne."))
        else:
            try:
                dl.add_members(delegation, members)
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                start = len(delegation.members)
                show_errors(form, _shifted(error, start), rows)
            else:
                return redirect(url_for(".head_link", token=token))
    return _head_page(delegation, token, form, 422)


def _shifted(error: DomainError, start: int) -> DomainError:
    """Errors of new members are numbered after the current ones: renumber them from 0."""
    errors = error.params.get("errors")
    if not errors:
        return error
    renamed = {}
    for name, messages in errors.items():
        parts = name.split(".")
        if parts[0] == "members" and len(parts) > 1 and parts[1].isdigit():
            parts[1] = str(int(parts[1]) - start)
        renamed[".".join(parts)] = messages
    error.params["errors"] = renamed
    return error


def _member(delegation: Delegation, member_id: int) -> DelegationMember | None:
    return next((m for m in delegation.members if m.id == member_id), None)


@bp.route("/d/<token>/members/<int:member_id>/replace", methods=["GET", "POST"])
def head_replace(token: str, member_id: int):
    delegation = _from_link(token)
    if not isinstance(delegation, Delegation):
        return delegation
    member = _member(delegation, member_id)
    if member is None:
        return _private(
            (
                render_template(
                    "delegations/link_error.html",
                    message=_("Ce membre ne fait plus partie de la délégation."),
                ),
                404,
            )
        )
    form = ReplaceForm()
    prepare(form, delegation.event)
    status = 200
    if form.validate_on_submit():
        try:
            dl.replace_member(delegation, member, member_input(form.member))
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            show_errors(form, error)
            status = 422
        else:
            return redirect(url_for(".head_link", token=token))
    return _private((render_template("delegations/replace.html", delegation=delegation, event=delegation.event,
                                     member=member, form=form, token=token), status))  # fmt: skip


@bp.route("/d/<token>/members/<int:member_id>/remove", methods=["POST"])
def head_remove(token: str, member_id: int):
    delegation = _from_link(token)
    if not isinstance(delegation, Delegation):
        return delegation
    member = _member(delegation, member_id)
    form = ActionForm()
    if member is not None and form.validate_on_submit():
        try:
            dl.remove_member(delegation, member)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            return _head_page(delegation, token, status=error.status, error=str(error))
    return redirect(url_for(".head_link", token=token))


def _pdf(body: bytes, name: str) -> Any:
    response = _private(Response(body, mimetype="application/pdf"))
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/r/<token>/itinerary.pdf")
def itinerary(token: str):
    """A study trip's itinerary behind a person's private link, in their language."""
    try:
        registration = reg.registration_from_link(token)
    except InvalidLink as error:
        return _private((render_template("delegations/link_error.html", message=str(error)), 404))
    if not registration.is_active or not trips.trip_days(registration.event):
        return _private(
            (
                render_template(
                    "delegations/link_error.html",
                    message=_("Aucun itinéraire pour cette inscription."),
                ),
                404,
            )
        )
    body = trips.itinerary_pdf(registration)
    return _pdf(body, download_name(_("itinéraire"), registration.event.code, ext="pdf"))


@bp.route("/d/<token>/members/<int:member_id>/itinerary.pdf")
def head_itinerary(token: str, member_id: int):
    """The head prints a member's itinerary (a member without an address has no other way)."""
    delegation = _from_link(token)
    if not isinstance(delegation, Delegation):
        return delegation
    member = _member(delegation, member_id)
    if member is None or not trips.trip_days(delegation.event):
        return _private(
            (
                render_template(
                    "delegations/link_error.html",
                    message=_("Aucun itinéraire pour cette inscription."),
                ),
                404,
            )
        )
    body = trips.itinerary_pdf(member.registration)
    return _pdf(body, download_name(_("itinéraire"), delegation.event.code, member.id, ext="pdf"))
