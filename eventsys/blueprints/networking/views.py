"""Speed-networking pages: the activities, their settings and the plan (round × station matrix,
quality figures, re-planning); the access rules and helpers the area's other pages share.

Stations and participants are in participants.py; print-outs, the projector page and the
attendee's itinerary in printouts.py (same blueprint). Organiser pages need a login and the
organiser role on the event (403 otherwise). A refused setting or plan re-renders the page with
what the organiser typed and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
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
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from eventsys.blueprints.networking.forms import (
    MODE_SHORT,
    ActionForm,
    ActivityForm,
    ReplanForm,
)
from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.networking import NetworkingActivity, Station
from eventsys.security import require_organiser
from eventsys.services import networking as svc
from eventsys.services.errors import DomainError
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
            kwargs["activity"] = find_activity(event, activity_id)
        return func(event, **kwargs)

    return wrapper


def find_activity(event: Event, activity_id: int) -> NetworkingActivity:
    activity = db.session.get(NetworkingActivity, activity_id)
    if activity is None or activity.event_id != event.id:
        abort(404)
    return activity


def find_station(activity: NetworkingActivity, station_id: int) -> Station:
    station = db.session.get(Station, station_id)
    if station is None or station.activity_id != activity.id:
        abort(404)
    return station


def private(response: Any) -> Response:
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


def field_error(
    form: Any, error: DomainError, fields: dict[str, str], default: str | None = None
) -> None:
    """Undo the service's changes and show its message on the matching field (or the form)."""
    db.session.rollback()
    name = fields.get(error.params.get("field", ""), default)
    if name and name in form:
        form[name].errors = [*(form[name].errors or []), str(error)]
    else:
        form.form_errors.append(str(error))


def local_time(activity_or_event: Any, value: datetime | None) -> str:
    event = activity_or_event if isinstance(activity_or_event, Event) else activity_or_event.event
    return format_local(value, event.timezone)


def round_choices(
    activity: NetworkingActivity, first: int = 1, blank: str | None = None
) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    for number in range(first, activity.round_count + 1):
        choices.append(
            (str(number), _("Tour %(number)d (%(time)s)", number=number,
                            time=local_time(activity, activity.round_start(number))))
        )  # fmt: skip
    return choices


def name_key(name: str) -> str:
    return " ".join((name or "").casefold().split())


def int_or_none(value: Any) -> int | None:
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
               f"{local_time(event, s.starts_at)}–{local_time(event, s.ends_at)}")
        for s in sessions
    ]  # fmt: skip
    if request.method == "GET":
        wanted = int_or_none(request.args.get("session"))
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
                field_error(form, error, ACTIVITY_FIELDS)
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
            field_error(form, error, ACTIVITY_FIELDS)
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
    replan_form.from_round.choices = round_choices(activity, first=2)
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
    form.from_round.choices = round_choices(activity, first=2)
    if not form.validate_on_submit():
        return _plan_page(event, activity, replan_form=form, status=422)
    first = int_or_none(form.from_round.data)
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


# Endpoint names other areas may link to.
ITINERARY_ENDPOINT = "networking.itinerary"
__all__ = ["ITINERARY_ENDPOINT", "bp"]
