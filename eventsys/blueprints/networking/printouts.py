"""Speed-networking print-outs (rosters, itinerary slips), the projector page and the attendee's itinerary.

The projector also opens for the event's staff; the itinerary page is reached from the attendee's
private registration link (same signed token, checked by services.registration.registration_from_link).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, pgettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventsys.blueprints.networking.views import (
    ACTIVITY,
    bp,
    find_activity,
    int_or_none,
    local_time,
    name_key,
    organiser_view,
    private,
)
from eventsys.extensions import db
from eventsys.i18n import download_name
from eventsys.models import Event
from eventsys.models.networking import NetworkingActivity
from eventsys.render.networking_pdf import (
    Roster,
    RosterRound,
    Slip,
    SlipStop,
    render_rosters,
    render_slips,
)
from eventsys.security import can_manage, can_staff
from eventsys.services import networking as svc
from eventsys.services import registration as reg
from eventsys.services.errors import InvalidLink
from eventsys.web import format_local_date

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
    return f"{local_time(activity, activity.round_start(number))}–{local_time(activity, activity.round_end(number))}"


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
    for person in sorted(activity.participants, key=lambda p: name_key(p.name)):
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
    activity = find_activity(event, activity_id)
    view = svc.plan_view(activity)
    count = len(view.rounds) if view else 0
    current = int_or_none(request.args.get("round")) or 1
    current = min(max(current, 1), max(count, 1))
    return private(render_template(
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
        response = private((page, status))
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
        response = private(render_template(
            "networking/itinerary.html", event=event, registration=registration, items=items,
            waiting=waiting, opted_in=opted_in, token=token,
            back_url=url_for("registration.manage_link", token=token),
        ))  # fmt: skip
        response.headers["X-Robots-Tag"] = "noindex"
        return response
