"""Organiser pages of delegations: the overview (arrivals, languages), registering a group on its
head's behalf, one delegation's members. Every route needs a login and the organiser role."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from flask_login import login_required

from eventsys.blueprints.delegations.forms import (
    ActionForm,
    DelegationForm,
    TripDayForm,
    VisitForm,
    arrangements_form,
    aware,
    delegation_input,
    show_errors,
)
from eventsys.blueprints.delegations.views import bp, page_labels, prepare
from eventsys.blueprints.registration.views import json_attachment
from eventsys.extensions import db
from eventsys.i18n import download_name
from eventsys.models import Event
from eventsys.models.delegation import Delegation
from eventsys.render.badges import LAYOUTS
from eventsys.security import require_organiser
from eventsys.services import delegations as dl
from eventsys.services import study_trips as trips
from eventsys.services import technical_visits as visits
from eventsys.services.delegations import interpreting, overview, personal, printing
from eventsys.services.errors import DomainError
from eventsys.services.links import external_url
from eventsys.services.registration import session_counts as reg_counts

PREFIX = "/manage/events/<int:event_id>/delegations"
TRIP_FIELDS = (
    "site",
    "address",
    "timezone",
    "meeting_point",
    "meeting_time",
    "transport",
    "host",
    "notes",
)


def _event(event_id: int) -> Event:
    event = db.get_or_404(Event, event_id)
    require_organiser(event)
    return event


def _delegation(event: Event, delegation_id: int) -> Delegation:
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or delegation.event_id != event.id:
        abort(404)
    return delegation


@bp.route(PREFIX)
@login_required
def organiser_list(event_id: int):
    event = _event(event_id)
    language = str(get_locale() or "fr")
    summary = overview.event_overview(event, language)
    return render_template(
        "delegations/organiser/list.html", event=event, summary=summary, section="delegations",
        public_url=external_url("delegations.register", code=event.code),
        language_name=lambda code: dl.language_name(code, language),
        status_labels={row.status: dl.status_label(row.status) for row in summary.rows},
    )  # fmt: skip


@bp.route(PREFIX + "/new", methods=["GET", "POST"])
@login_required
def organiser_new(event_id: int):
    event = _event(event_id)
    form = DelegationForm()
    prepare(form, event)
    status = 200
    if form.validate_on_submit():
        data, rows, pair_rows = delegation_input(form, event.timezone)
        try:
            delegation = dl.register_delegation(event, data, source="organiser")
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            show_errors(form, error, rows, pair_rows)
        else:
            flash(_("Délégation « %(name)s » enregistrée.", name=delegation.name), "success")
            return redirect(
                url_for(".organiser_detail", event_id=event.id, delegation_id=delegation.id)
            )
    if form.is_submitted():
        status = 422
    return render_template(
        "delegations/form.html", event=event, form=form, organiser=True, section="delegations"
    ), status


@bp.route(PREFIX + "/<int:delegation_id>")
@login_required
def organiser_detail(event_id: int, delegation_id: int):
    event = _event(event_id)
    delegation = _delegation(event, delegation_id)
    return render_template(
        "delegations/organiser/detail.html", event=event, delegation=delegation, seats=dl.member_seats(delegation),
        status=dl.status_label(dl.delegation_status(delegation)), deadline=dl.changes_deadline(delegation),
        head_url=external_url("delegations.head_link", token=dl.link_token(delegation)), action_form=ActionForm(),
        arrangements=arrangements_form(delegation, event.timezone),
        section="delegations", **page_labels(delegation),
    )  # fmt: skip


@bp.route(PREFIX + "/<int:delegation_id>/arrangements", methods=["POST"])
@login_required
def organiser_arrangements(event_id: int, delegation_id: int):
    """The organiser sets the head's deadline for changes, arrival and departure."""
    event = _event(event_id)
    delegation = _delegation(event, delegation_id)
    form = arrangements_form(delegation, event.timezone)
    if form.validate_on_submit():
        try:
            dl.update_arrangements(
                delegation,
                changes_until=aware(form.changes_until.data, event.timezone),
                arrival_at=aware(form.arrival_at.data, event.timezone),
                departure_at=aware(form.departure_at.data, event.timezone),
                travel_notes=form.travel_notes.data or "",
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(_("Délégation « %(name)s » enregistrée.", name=delegation.name), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for(".organiser_detail", event_id=event.id, delegation_id=delegation.id))


@bp.route(PREFIX + "/<int:delegation_id>/members/<int:member_id>/remove", methods=["POST"])
@login_required
def organiser_remove(event_id: int, delegation_id: int, member_id: int):
    event = _event(event_id)
    delegation = _delegation(event, delegation_id)
    member = next((m for m in delegation.members if m.id == member_id), None)
    if member is None:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            dl.remove_member(delegation, member, by_organiser=True)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(
                _("%(name)s a été retiré·e de la délégation.", name=member.registration.full_name),
                "success",
            )
    return redirect(url_for(".organiser_detail", event_id=event.id, delegation_id=delegation.id))


@bp.route(PREFIX + "/<int:delegation_id>/head-data")
@login_required
def organiser_head_data(event_id: int, delegation_id: int):
    """The head's personal data, for the organiser to hand over (RGPD)."""
    event = _event(event_id)
    delegation = _delegation(event, delegation_id)
    name = download_name(
        pgettext("nom de fichier", "données personnelles"), event.code, delegation.id, ext="json"
    )
    return json_attachment(personal.head_data(delegation), name)


@bp.route(PREFIX + "/<int:delegation_id>/erase-head", methods=["POST"])
@login_required
def organiser_erase_head(event_id: int, delegation_id: int):
    """The head's name and address are erased; the delegation and its members stay."""
    event = _event(event_id)
    delegation = _delegation(event, delegation_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if request.form.get("confirm") != "yes":
        flash(_("Cochez la case pour confirmer l'effacement."), "error")
    else:
        personal.erase_head(delegation)
        db.session.commit()
        flash(_("Les données du chef de délégation sont effacées."), "success")
    return redirect(url_for(".organiser_detail", event_id=event.id, delegation_id=delegation.id))


@bp.route(PREFIX + "/interpreting")
@login_required
def interpreting_plan(event_id: int):
    event = _event(event_id)
    needs, clashes = interpreting.interpreting_plan(event)
    language = str(get_locale() or "fr")
    return render_template(
        "delegations/organiser/interpreting.html", event=event, needs=needs, clashes=clashes,
        people=interpreting.interpreters(event), action_form=ActionForm(), section="delegations",
        language_name=lambda code: dl.language_name(code, language),
    )  # fmt: skip


@bp.route(PREFIX + "/interpreting/assign", methods=["POST"])
@login_required
def interpreting_assign(event_id: int):
    event = _event(event_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            interpreting.choose_interpreter(
                event,
                request.form.get("session_id", type=int),
                request.form.get("source", ""),
                request.form.get("target", ""),
                request.form.get("interpreter", ""),
                request.form.get("name", ""),
                invite=request.form.get("invite") == "yes",
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(_("Interprète enregistré."), "success")
    return redirect(url_for(".interpreting_plan", event_id=event.id))


@bp.route(PREFIX + "/visits")
@login_required
def visits_list(event_id: int):
    event = _event(event_id)
    rows = []
    for session, visit in visits.technical_visits(event):
        form = VisitForm(prefix=f"v{session.id}", obj=visit)
        if visit is not None and visit.meeting_at is not None:
            form.meeting_time.data = visit.meeting_at.astimezone(event.tz).strftime("%H:%M")
        rows.append((session, visit, form))
    return _visits_page(event, rows)


def _visits_page(event: Event, rows: list, status: int = 200):
    counts = {c.session.id: c for c in reg_counts(event)}
    return render_template("delegations/organiser/visits.html", event=event, rows=rows, counts=counts,
                           section="delegations"), status  # fmt: skip


@bp.route(PREFIX + "/visits/<int:session_id>", methods=["POST"])
@login_required
def visit_save(event_id: int, session_id: int):
    event = _event(event_id)
    session = next((s for s, _visit in visits.technical_visits(event) if s.id == session_id), None)
    if session is None:
        abort(404)
    form = VisitForm(prefix=f"v{session.id}")
    if form.validate_on_submit():
        data = visits.VisitInput(
            **{
                name: form[name].data or ""
                for name in ("meeting_point", "meeting_time", "transport", "host", "site")
            }
        )
        try:
            visits.save_visit(session, data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            show_errors(form, error)
            rows = [(s, v, form if s.id == session.id else VisitForm(prefix=f"v{s.id}", obj=v))
                    for s, v in visits.technical_visits(event)]  # fmt: skip
            return _visits_page(event, rows, 422)
        flash(_("Détails de la visite « %(title)s » enregistrés.", title=session.title), "success")
    return redirect(url_for(".visits_list", event_id=event.id))


@bp.route(PREFIX + "/<int:delegation_id>/badges.pdf")
@login_required
def organiser_badges(event_id: int, delegation_id: int):
    """The group's badges (?layout=a6-folded by default: the programme on the back)."""
    event = _event(event_id)
    delegation = _delegation(event, delegation_id)
    layout = request.args.get("layout", "a6-folded")
    if layout not in LAYOUTS:
        abort(404)
    body = printing.delegation_badges(delegation, layout)
    if body is None:
        flash(_("Aucun membre n'a encore de place confirmée : pas de badge à imprimer."), "error")
        return redirect(
            url_for(".organiser_detail", event_id=event.id, delegation_id=delegation.id)
        )
    db.session.commit()  # badge nonces drawn for the first print
    response = Response(body, mimetype="application/pdf")
    name = download_name(_("badges"), event.code, delegation.id, ext="pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route(PREFIX + "/trip", methods=["GET", "POST"])
@login_required
def trip_days(event_id: int):
    """A study trip's days: each its site, time zone, meeting point, transport and host."""
    event = _event(event_id)
    form = TripDayForm()
    status = 200
    if form.validate_on_submit():
        data = trips.DayInput(
            day=form.day.data, **{name: form[name].data or "" for name in TRIP_FIELDS}
        )
        try:
            trips.save_day(event, data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            flash(_("Journée du voyage enregistrée."), "success")
            return redirect(url_for(".trip_days", event_id=event.id))
    if form.is_submitted():
        status = 422
    if request.method == "GET" and not form.timezone.data:
        form.timezone.data = event.timezone
    return render_template("delegations/organiser/trip.html", event=event, form=form, days=trips.trip_days(event),
                           action_form=ActionForm(), section="delegations"), status  # fmt: skip


@bp.route(PREFIX + "/trip/<int:day_id>/delete", methods=["POST"])
@login_required
def trip_day_delete(event_id: int, day_id: int):
    event = _event(event_id)
    day = next((d for d in trips.trip_days(event) if d.id == day_id), None)
    if day is None:
        abort(404)
    if ActionForm().validate_on_submit():
        trips.delete_day(day)
        db.session.commit()
        flash(_("Journée supprimée."), "success")
    return redirect(url_for(".trip_days", event_id=event.id))
