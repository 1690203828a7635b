"""Speed-networking stations (tables, themes, facilitators) and participants (registered, walk-ins).

Organiser pages: a login and the organiser role on the event (403 otherwise).
"""

from __future__ import annotations

from typing import Any

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from eventsys.blueprints.networking.forms import (
    PARTICIPANT_ACTIONS,
    ActionForm,
    ParticipantsForm,
    StationForm,
    WalkInForm,
)
from eventsys.blueprints.networking.views import (
    ACTIVITY,
    bp,
    field_error,
    find_station,
    int_or_none,
    name_key,
    organiser_view,
    round_choices,
)
from eventsys.extensions import db
from eventsys.models import Event
from eventsys.models.networking import NetworkingActivity, Station
from eventsys.services import networking as svc
from eventsys.services import registration as reg
from eventsys.services.errors import DomainError

# ------------------------------------------------------------------ stations


def _station_form(event: Event, form: StationForm | None = None) -> StationForm:
    form = form or StationForm()
    form.facilitator_id.choices = [("", _("— personne —"))] + [
        (str(s.id), s.name) for s in event.speakers
    ]
    return form


STATION_FIELDS = {
    "name": "name",
    "theme": "theme",
    "capacity": "capacity",
    "facilitator_id": "facilitator_id",
}


def _station_data(form: StationForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "theme": form.theme.data or "",
        "capacity": form.capacity.data,
        "facilitator_id": int_or_none(form.facilitator_id.data),
    }


def _theme_suggestions(event: Event, activity: NetworkingActivity) -> list[str]:
    settings = reg.load_settings(event)
    themes = list(settings.networking_themes or [])
    return list(dict.fromkeys([*themes, *(s.theme for s in activity.stations if s.theme)]))


@bp.route(ACTIVITY + "/stations", methods=["GET", "POST"])
@organiser_view
def stations(event: Event, activity: NetworkingActivity):
    form = _station_form(event)
    if request.method == "GET":
        form.name.data = _("Table %(number)d", number=len(activity.stations) + 1)
    elif form.validate_on_submit():
        try:
            svc.save_station(activity, Station(), _station_data(form))
        except DomainError as error:
            field_error(form, error, STATION_FIELDS)
        else:
            db.session.commit()
            flash(_("Table ajoutée."), "success")
            return redirect(url_for(".stations", event_id=event.id, activity_id=activity.id))
    status = 422 if request.method == "POST" else 200
    return render_template("networking/stations.html", event=event, activity=activity, form=form,
                           action_form=ActionForm(), themes=_theme_suggestions(event, activity)), status  # fmt: skip


@bp.route(ACTIVITY + "/stations/<int:station_id>", methods=["GET", "POST"])
@organiser_view
def station_edit(event: Event, activity: NetworkingActivity, station_id: int):
    station = find_station(activity, station_id)
    form = _station_form(event)
    if request.method == "GET":
        form.name.data, form.theme.data, form.capacity.data = (
            station.name,
            station.theme,
            station.capacity,
        )
        form.facilitator_id.data = str(station.facilitator_id or "")
    elif form.validate_on_submit():
        try:
            svc.save_station(activity, station, _station_data(form))
        except DomainError as error:
            field_error(form, error, STATION_FIELDS)
        else:
            db.session.commit()
            flash(_("Table enregistrée."), "success")
            return redirect(url_for(".stations", event_id=event.id, activity_id=activity.id))
    status = 422 if request.method == "POST" else 200
    return render_template("networking/station_form.html", event=event, activity=activity, station=station,
                           form=form, themes=_theme_suggestions(event, activity)), status  # fmt: skip


@bp.route(ACTIVITY + "/stations/<int:station_id>/delete", methods=["POST"])
@organiser_view
def station_delete(event: Event, activity: NetworkingActivity, station_id: int):
    station = find_station(activity, station_id)
    if ActionForm().validate_on_submit():
        name = station.name
        svc.delete_station(station)
        db.session.commit()
        flash(_("La table « %(name)s » est supprimée.", name=name), "success")
    return redirect(url_for(".stations", event_id=event.id, activity_id=activity.id))


@bp.route(ACTIVITY + "/stations/facilitators", methods=["POST"])
@organiser_view
def stations_from_facilitators(event: Event, activity: NetworkingActivity):
    if ActionForm().validate_on_submit():
        added = svc.add_facilitator_stations(activity)
        db.session.commit()
        flash(ngettext("%(num)d table ajoutée.", "%(num)d tables ajoutées.", len(added)), "success")
    return redirect(url_for(".stations", event_id=event.id, activity_id=activity.id))


# ------------------------------------------------------------------ participants


def _participants_page(event: Event, activity: NetworkingActivity, *, walk_in: WalkInForm | None = None,
                       bulk: ParticipantsForm | None = None, ticked: set[int] | None = None, status: int = 200):  # fmt: skip
    walk_in = walk_in or WalkInForm()
    walk_in.joins_from_round.choices = round_choices(activity, blank=_("Dès le premier tour"))
    bulk = bulk or ParticipantsForm()
    bulk.round_number.choices = round_choices(activity, blank=_("— choisissez un tour —"))
    rows = sorted(activity.participants, key=lambda p: (not p.eligible, name_key(p.name)))
    return render_template(
        "networking/participants.html",
        event=event,
        activity=activity,
        rows=rows,
        walk_in=walk_in,
        bulk=bulk,
        ticked=ticked or set(),
        action_form=ActionForm(),
        pending=svc.pending_registrations(activity),
    ), status


@bp.route(ACTIVITY + "/participants")
@organiser_view
def participants(event: Event, activity: NetworkingActivity):
    return _participants_page(event, activity)


@bp.route(ACTIVITY + "/participants/sync", methods=["POST"])
@organiser_view
def participants_sync(event: Event, activity: NetworkingActivity):
    if ActionForm().validate_on_submit():
        added = svc.sync_participants(activity)
        db.session.commit()
        flash(
            ngettext("%(num)d inscrit·e ajouté·e.", "%(num)d inscrit·es ajouté·es.", added),
            "success",
        )
    return redirect(url_for(".participants", event_id=event.id, activity_id=activity.id))


@bp.route(ACTIVITY + "/participants/walk-in", methods=["POST"])
@organiser_view
def walk_in_add(event: Event, activity: NetworkingActivity):
    form = WalkInForm()
    form.joins_from_round.choices = round_choices(activity, blank=_("Dès le premier tour"))
    if form.validate_on_submit():
        try:
            person = svc.add_walk_in(activity, form.name.data, form.organisation.data,
                                     joins_from_round=int_or_none(form.joins_from_round.data))  # fmt: skip
        except DomainError as error:
            field_error(form, error, {"name": "name", "organisation": "organisation",
                                       "joins_from_round": "joins_from_round"})  # fmt: skip
        else:
            db.session.commit()
            flash(_("%(name)s est ajouté·e à la rotation.", name=person.name), "success")
            return redirect(url_for(".participants", event_id=event.id, activity_id=activity.id))
    return _participants_page(event, activity, walk_in=form, status=422)


@bp.route(ACTIVITY + "/participants/update", methods=["POST"])
@organiser_view
def participants_update(event: Event, activity: NetworkingActivity):
    form = ParticipantsForm()
    form.round_number.choices = round_choices(activity, blank="")
    ids = {i for i in (int_or_none(v) for v in request.form.getlist("participant")) if i is not None}
    people = [p for p in activity.participants if p.id in ids]
    if not form.validate_on_submit():
        return _participants_page(event, activity, bulk=form, ticked=ids, status=422)
    if not people:
        form.form_errors.append(_("Cochez au moins une personne dans la liste."))
        return _participants_page(event, activity, bulk=form, ticked=ids, status=422)
    action = form.action.data
    number = int_or_none(form.round_number.data)
    if action in ("absent_from", "joins_from") and number is None:
        form.round_number.errors = [_("Choisissez le tour.")]
        return _participants_page(event, activity, bulk=form, ticked=ids, status=422)
    try:
        removed = 0
        for person in people:
            if action == "remove":
                removed += svc.remove_participant(person)
            elif action == "present":
                svc.set_attendance(person, True, None, None)
            elif action == "absent_from":
                svc.set_attendance(person, person.present, number, person.joins_from_round)
            else:
                svc.set_attendance(person, person.present, person.absent_from_round, number)
    except DomainError as error:
        field_error(
            form, error, {"absent_from_round": "round_number", "joins_from_round": "round_number"}
        )
        return _participants_page(event, activity, bulk=form, ticked=ids, status=422)
    db.session.commit()
    flash(
        ngettext("%(num)d personne mise à jour : %(action)s.", "%(num)d personnes mises à jour : %(action)s.",
                 len(people), action=PARTICIPANT_ACTIONS[action]),
        "success",
    )  # fmt: skip
    return redirect(url_for(".participants", event_id=event.id, activity_id=activity.id))
