"""Speed-networking pages: activity settings, stations, participants, the plan (round × station
matrix, quality figures, re-planning, print-outs), the projector page and the attendee's itinerary.

Organiser pages need a login and the organiser role on the event (403 otherwise); the projector
also opens for the event's staff. The itinerary page is reached from the attendee's private
registration link (same signed token, checked by services.registration.registration_from_link).
A refused setting or plan re-renders the page with what the organiser typed and the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, time
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, ngettext, pgettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventsys.blueprints.networking.forms import (
    MODE_SHORT,
    PARTICIPANT_ACTIONS,
    ActionForm,
    ActivityForm,
    ParticipantsForm,
    ReplanForm,
    StationForm,
    WalkInForm,
)
from eventsys.extensions import db
from eventsys.i18n import download_name
from eventsys.models import Event, ProgrammeSession
from eventsys.models.networking import NetworkingActivity, Station
from eventsys.render.networking_pdf import (
    Roster,
    RosterRound,
    Slip,
    SlipStop,
    render_rosters,
    render_slips,
)
from eventsys.security import can_manage, can_staff, require_organiser
from eventsys.services import networking as svc
from eventsys.services import registration as reg
from eventsys.services.errors import DomainError, InvalidLink
from eventsys.services.programme import local_to_utc
from eventsys.web import format_local, format_local_date

bp = Blueprint("networking", __name__, template_folder="templates")

MANAGE = "/manage/events/<int:event_id>/networking"
ACTIVITY = MANAGE + "/<int:activity_id>"


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"mode_labels": MODE_SHORT}


# ------------------------------------------------------------------ access


def organiser_view(func: Callable[..., Any]) -> Callable[..., Any]:
    """Login (anonymous → login page), then the organiser role on the event (→ 403)."""

    @wraps(func)
    @login_required
    def wrapper(event_id: int, **kwargs: Any):
        event = db.get_or_404(Event, event_id)
        require_organiser(event)
        activity_id = kwargs.pop("activity_id", None)
        if activity_id is not None:
            kwargs["activity"] = _activity(event, activity_id)
        return func(event, **kwargs)

    return wrapper


def _activity(event: Event, activity_id: int) -> NetworkingActivity:
    activity = db.session.get(NetworkingActivity, activity_id)
    if activity is None or activity.event_id != event.id:
        abort(404)
    return activity


def _station(activity: NetworkingActivity, station_id: int) -> Station:
    station = db.session.get(Station, station_id)
    if station is None or station.activity_id != activity.id:
        abort(404)
    return station


def _private(response: Any) -> Response:
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


def _field_error(
    form: Any, error: DomainError, fields: dict[str, str], default: str | None = None
) -> None:
    """Undo the service's changes and show its message on the matching field (or the form)."""
    db.session.rollback()
    name = fields.get(error.params.get("field", ""), default)
    if name and name in form:
        form[name].errors = [*(form[name].errors or []), str(error)]
    else:
        form.form_errors.append(str(error))


def _local(activity_or_event: Any, value: datetime | None) -> str:
    event = activity_or_event if isinstance(activity_or_event, Event) else activity_or_event.event
    return format_local(value, event.timezone)


def _round_choices(
    activity: NetworkingActivity, first: int = 1, blank: str | None = None
) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    for number in range(first, activity.round_count + 1):
        choices.append(
            (str(number), _("Tour %(number)d (%(time)s)", number=number,
                            time=_local(activity, activity.round_start(number))))
        )  # fmt: skip
    return choices


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 6 else None


# ------------------------------------------------------------------ activities


@bp.route(MANAGE)
@organiser_view
def index(event: Event):
    activities = svc.event_activities(event)
    taken = {a.session_id for a in activities}
    free = [s for s in svc.networking_sessions(event) if s.id not in taken]
    return render_template(
        "networking/index.html", event=event, activities=activities, free_sessions=free
    )


def _activity_data(
    event: Event, day_session: ProgrammeSession, form: ActivityForm
) -> dict[str, Any]:
    day = day_session.starts_at.astimezone(event.tz).date()
    start: time = form.start.data
    end: time | None = form.end.data
    return {
        "starts_at": local_to_utc(event, day, start),
        "ends_at": local_to_utc(event, day, end) if end is not None else None,
        "rounds": form.rounds.data,
        "round_minutes": form.round_minutes.data,
        "changeover_minutes": form.changeover_minutes.data,
        "group_size": form.group_size.data,
        "mode": form.mode.data,
        "avoid_same_organisation": bool(form.avoid_same_organisation.data),
    }


ACTIVITY_FIELDS = {
    "session_id": "session_id", "starts_at": "start", "ends_at": "end", "rounds": "rounds",
    "round_minutes": "round_minutes", "changeover_minutes": "changeover_minutes",
    "group_size": "group_size", "mode": "mode",
}  # fmt: skip


@bp.route(MANAGE + "/new", methods=["GET", "POST"])
@organiser_view
def create(event: Event):
    taken = {a.session_id for a in svc.event_activities(event)}
    sessions = [s for s in svc.networking_sessions(event) if s.id not in taken]
    form = ActivityForm()
    form.session_id.choices = [
        (s.id, f"{s.title} — {format_local_date(s.starts_at, 'day_month', event.timezone)} "
               f"{_local(event, s.starts_at)}–{_local(event, s.ends_at)}")
        for s in sessions
    ]  # fmt: skip
    if request.method == "GET":
        wanted = _int(request.args.get("session"))
        chosen = next((s for s in sessions if s.id == wanted), sessions[0] if sessions else None)
        if chosen is not None:
            form.session_id.data = chosen.id
            form.start.data = chosen.starts_at.astimezone(event.tz).time()
            form.end.data = chosen.ends_at.astimezone(event.tz).time()
        form.round_minutes.data, form.changeover_minutes.data, form.group_size.data = 10, 2, 6
    elif form.validate_on_submit():
        chosen = next((s for s in sessions if s.id == form.session_id.data), None)
        if chosen is None:
            form.session_id.errors = [
                _("Choisissez une session de type speed-networking de cet événement.")
            ]
        else:
            try:
                activity = svc.create_activity(event, chosen, _activity_data(event, chosen, form))
            except DomainError as error:
                _field_error(form, error, ACTIVITY_FIELDS)
            else:
                db.session.commit()
                flash(
                    _(
                        "Le speed-networking est créé, avec une table par animateur·rice de la session."
                    ),
                    "success",
                )
                return redirect(url_for(".activity", event_id=event.id, activity_id=activity.id))
    status = 422 if request.method == "POST" else 200
    return render_template("networking/activity_form.html", event=event, form=form, activity=None,
                           sessions=sessions), status  # fmt: skip


@bp.route(ACTIVITY + "/settings", methods=["GET", "POST"])
@organiser_view
def settings(event: Event, activity: NetworkingActivity):
    form = ActivityForm(obj=None)
    del form.session_id
    if request.method == "GET":
        form.start.data = activity.starts_at.astimezone(event.tz).time()
        form.end.data = activity.ends_at.astimezone(event.tz).time() if activity.ends_at else None
        form.rounds.data = activity.rounds
        form.round_minutes.data = activity.round_minutes
        form.changeover_minutes.data = activity.changeover_minutes
        form.group_size.data = activity.group_size
        form.mode.data = activity.mode
        form.avoid_same_organisation.data = activity.avoid_same_organisation
    elif form.validate_on_submit():
        try:
            svc.save_activity(activity, _activity_data(event, activity.session, form))
        except DomainError as error:
            _field_error(form, error, ACTIVITY_FIELDS)
        else:
            db.session.commit()
            flash(
                _("Réglages enregistrés. Replanifiez pour qu'ils s'appliquent au plan."), "success"
            )
            return redirect(url_for(".activity", event_id=event.id, activity_id=activity.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "networking/activity_form.html", event=event, form=form, activity=activity
    ), status


@bp.route(ACTIVITY + "/delete", methods=["POST"])
@organiser_view
def delete(event: Event, activity: NetworkingActivity):
    if ActionForm().validate_on_submit():
        svc.delete_activity(activity)
        db.session.commit()
        flash(
            _(
                "Le speed-networking est supprimé, avec ses tables, ses participant·es et ses plans."
            ),
            "success",
        )
    return redirect(url_for(".index", event_id=event.id))


# ------------------------------------------------------------------ the plan


def _plan_page(event: Event, activity: NetworkingActivity, *, replan_form: ReplanForm | None = None,
               error: str | None = None, status: int = 200):  # fmt: skip
    view = svc.plan_view(activity)
    replan_form = replan_form or ReplanForm()
    replan_form.from_round.choices = _round_choices(activity, first=2)
    if view is not None and replan_form.from_round.data in (None, "", "None"):
        played = max(view.plan.rounds_played + 2, 2)
        replan_form.from_round.data = str(min(played, max(activity.round_count, 2)))
    present = [
        p
        for p in activity.participants
        if p.takes_part_in(1) or p.takes_part_in(activity.round_count)
    ]
    return render_template(
        "networking/activity.html",
        event=event,
        activity=activity,
        view=view,
        quality=svc.describe_quality(activity, view.plan) if view else [],
        notes=svc.activity_warnings(activity),
        replan_form=replan_form,
        action_form=ActionForm(),
        plan_error=error,
        present_count=len(present),
        pending=len(svc.pending_registrations(activity)),
    ), status


@bp.route(ACTIVITY)
@organiser_view
def activity(event: Event, activity: NetworkingActivity):
    return _plan_page(event, activity)


@bp.route(ACTIVITY + "/plan", methods=["POST"])
@organiser_view
def plan(event: Event, activity: NetworkingActivity):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        svc.sync_participants(activity)
        made = svc.plan_activity(activity)
    except DomainError as error:
        db.session.rollback()
        return _plan_page(event, activity, error=str(error), status=422)
    db.session.commit()
    flash(_plan_done(made), "success")
    return redirect(url_for(".activity", event_id=event.id, activity_id=activity.id) + "#plan")


def _plan_done(made: Any) -> str:
    repeats = int(made.metrics.get("repeat_encounters", 0))
    if repeats == 0:
        return _("Plan calculé : personne ne retrouve quelqu'un déjà rencontré.")
    return ngettext(
        "Plan calculé : %(num)d répétition.", "Plan calculé : %(num)d répétitions.", repeats
    )


@bp.route(ACTIVITY + "/replan", methods=["POST"])
@organiser_view
def replan(event: Event, activity: NetworkingActivity):
    form = ReplanForm()
    form.from_round.choices = _round_choices(activity, first=2)
    if not form.validate_on_submit():
        return _plan_page(event, activity, replan_form=form, status=422)
    first = _int(form.from_round.data)
    if first is None:
        message = _("Choisissez le tour à partir duquel replanifier.")
        form.from_round.errors = [message]
        return _plan_page(event, activity, replan_form=form, error=message, status=422)
    try:
        svc.sync_participants(activity)
        made = svc.plan_activity(activity, from_round=first)
    except DomainError as error:
        db.session.rollback()
        return _plan_page(event, activity, replan_form=form, error=str(error), status=422)
    db.session.commit()
    flash(
        _("Tours %(first)d à %(last)d replanifiés ; les tours précédents restent tels qu'ils ont été joués.",
          first=first, last=activity.round_count) + " " + _plan_done(made),
        "success",
    )  # fmt: skip
    return redirect(url_for(".activity", event_id=event.id, activity_id=activity.id) + "#plan")


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
        "facilitator_id": _int(form.facilitator_id.data),
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
            _field_error(form, error, STATION_FIELDS)
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
    station = _station(activity, station_id)
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
            _field_error(form, error, STATION_FIELDS)
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
    station = _station(activity, station_id)
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
    walk_in.joins_from_round.choices = _round_choices(activity, blank=_("Dès le premier tour"))
    bulk = bulk or ParticipantsForm()
    bulk.round_number.choices = _round_choices(activity, blank=_("— choisissez un tour —"))
    rows = sorted(activity.participants, key=lambda p: (not p.eligible, _name_key(p.name)))
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


def _name_key(name: str) -> str:
    return " ".join((name or "").casefold().split())


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
    form.joins_from_round.choices = _round_choices(activity, blank=_("Dès le premier tour"))
    if form.validate_on_submit():
        try:
            person = svc.add_walk_in(activity, form.name.data, form.organisation.data,
                                     joins_from_round=_int(form.joins_from_round.data))  # fmt: skip
        except DomainError as error:
            _field_error(form, error, {"name": "name", "organisation": "organisation",
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
    form.round_number.choices = _round_choices(activity, blank="")
    ids = {i for i in (_int(v) for v in request.form.getlist("participant")) if i is not None}
    people = [p for p in activity.participants if p.id in ids]
    if not form.validate_on_submit():
        return _participants_page(event, activity, bulk=form, ticked=ids, status=422)
    if not people:
        form.form_errors.append(_("Cochez au moins une personne dans la liste."))
        return _participants_page(event, activity, bulk=form, ticked=ids, status=422)
    action = form.action.data
    number = _int(form.round_number.data)
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
        _field_error(
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


# ------------------------------------------------------------------ print-outs


def _pdf(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _heading(event: Event, activity: NetworkingActivity) -> str:
    day = activity.starts_at.astimezone(event.tz).date()
    return f"{event.code_display} · {event.title} · {activity.session.title} · {format_local_date(day, 'long')}"


def _times(activity: NetworkingActivity, number: int) -> str:
    return f"{_local(activity, activity.round_start(number))}–{_local(activity, activity.round_end(number))}"


def _place_text(place: str, theme: str, facilitator: str) -> str:
    text = f"{place} — {theme}" if theme else place
    return _("%(place)s (avec %(name)s)", place=text, name=facilitator) if facilitator else text


@bp.route(ACTIVITY + "/rosters.pdf")
@organiser_view
def rosters_pdf(event: Event, activity: NetworkingActivity):
    view = svc.plan_view(activity)
    if view is None:
        flash(
            _("Planifiez d'abord la rotation : il n'y a pas encore de feuille à imprimer."), "error"
        )
        return redirect(url_for(".activity", event_id=event.id, activity_id=activity.id))
    rosters = []
    for index, column in enumerate(view.columns):
        title = f"{column.label} — {column.theme}" if column.theme else column.label
        subtitle = _("Animée par %(name)s", name=column.facilitator) if column.facilitator else ""
        rounds = []
        for rnd in view.rounds:
            people = [
                f"{p.name} — {p.organisation}" if p.organisation else p.name
                for p in rnd.cells[index]
            ]
            rounds.append(
                RosterRound(
                    _("Tour %(number)d", number=rnd.number), _times(activity, rnd.number), people
                )
            )
        rosters.append(Roster(title, subtitle, rounds))
    labels = {
        "round": _("Tour"),
        "time": _("Horaires"),
        "people": _("Participant·es"),
        "nobody": _("Personne"),
    }
    body = render_rosters(
        _heading(event, activity), rosters, labels, title=_("Feuilles des animateur·rices")
    )
    return _pdf(body, download_name(pgettext("nom de fichier", "speed-networking animateurs"), event.code, ext="pdf"))


@bp.route(ACTIVITY + "/itineraries.pdf")
@organiser_view
def slips_pdf(event: Event, activity: NetworkingActivity):
    view = svc.plan_view(activity)
    if view is None:
        flash(
            _("Planifiez d'abord la rotation : il n'y a pas encore de parcours à imprimer."),
            "error",
        )
        return redirect(url_for(".activity", event_id=event.id, activity_id=activity.id))
    slips = []
    for person in sorted(activity.participants, key=lambda p: _name_key(p.name)):
        stops = svc.participant_itinerary(view, person.id)
        if all(s.absent for s in stops):
            continue
        lines = []
        for stop in stops:
            label = _(
                "Tour %(number)d · %(time)s", number=stop.number, time=_times(activity, stop.number)
            )
            if stop.absent:
                place = _("Absent·e à ce tour")
            elif stop.sitting_out:
                place = _("Pause : vous attendez ce tour-ci")
            else:
                place = _place_text(stop.place, stop.theme, stop.facilitator)
            lines.append(SlipStop(label, place))
        slips.append(Slip(person.name, person.organisation, lines))
    body = render_slips(_heading(event, activity), slips, title=_("Parcours des participant·es"))
    return _pdf(body, download_name(pgettext("nom de fichier", "speed-networking parcours"), event.code, ext="pdf"))


# ------------------------------------------------------------------ projector


@bp.route(ACTIVITY + "/projector")
@login_required
def projector(event_id: int, activity_id: int):
    event = db.get_or_404(Event, event_id)
    if not can_staff(current_user, event):
        abort(403)
    activity = _activity(event, activity_id)
    view = svc.plan_view(activity)
    count = len(view.rounds) if view else 0
    current = _int(request.args.get("round")) or 1
    current = min(max(current, 1), max(count, 1))
    return _private(render_template(
        "networking/projector.html",
        event=event,
        activity=activity,
        view=view,
        current=current,
        can_manage=can_manage(current_user, event),
    ))  # fmt: skip


# ------------------------------------------------------------------ attendee itinerary


@contextmanager
def _attendee_language(language: str) -> Iterator[None]:
    """The person's language unless they picked one on the site."""
    if "lang" in request.args or "lang" in session:
        yield
        return
    with force_locale(language or "fr"):
        yield


@bp.route("/r/<token>/networking")
def itinerary(token: str):
    try:
        registration = reg.registration_from_link(token)
    except InvalidLink as error:
        status = 410 if error.params.get("reason") == "expired" else 404
        page = render_template(
            "registration/link_error.html", message=str(error), reason=error.params.get("reason")
        )
        response = _private((page, status))
        response.headers["X-Robots-Tag"] = "noindex"
        return response
    with _attendee_language(registration.language):
        event = registration.event
        items = []
        for act, _person, stops in svc.registration_itineraries(registration):
            items.append((act, [s for s in stops if not s.absent]))
        waiting = (
            [a for a in svc.event_activities(event) if a.current_plan is None] if not items else []
        )
        opted_in = bool(registration.networking_opt_in)
        response = _private(render_template(
            "networking/itinerary.html", event=event, registration=registration, items=items,
            waiting=waiting, opted_in=opted_in, token=token,
            back_url=url_for("registration.manage_link", token=token),
        ))  # fmt: skip
        response.headers["X-Robots-Tag"] = "noindex"
        return response


# Endpoint names other areas may link to.
ITINERARY_ENDPOINT = "networking.itinerary"
__all__ = ["ITINERARY_ENDPOINT", "bp"]
