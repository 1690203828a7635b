"""Organiser pages: the sessions of an event (speakers, rooms, clashes) and the programme grid.

Same blueprint and rules as views.py: a login and the organiser role on the event.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from eventsys.blueprints.manage import grid as grid_layout
from eventsys.blueprints.manage.forms import (
    LANGUAGE_CHOICES,
    SessionForm,
)
from eventsys.blueprints.manage.views import (
    EMPTY_SPEAKER_ROWS,
    bp,
    describe_clashes,
    event_view,
    owned,
    refuse_on_form,
)
from eventsys.extensions import db
from eventsys.forms import (
    fill_translations,
    label_main_language,
    options,
    submitted_translations,
    with_translations,
)
from eventsys.models import Event, ProgrammeSession
from eventsys.services import programme
from eventsys.services.errors import (
    DomainError,
    InvalidDates,
    SessionOutsideEvent,
)
from eventsys.web import format_local_date

# ---------------------------------------------------------------- sessions


def _session_form(event: Event, session: ProgrammeSession | None) -> SessionForm:
    # On POST only what was sent counts: an object would fill fields the browser left out.
    form_class = with_translations(SessionForm, event.other_languages)
    form = form_class(obj=session) if request.method == "GET" else form_class()
    if request.method == "GET":
        fill_translations(form, session, event.other_languages)
    label_main_language(form, event.main_language, event.other_languages)
    days = programme.event_days(event)
    if session is not None and request.method == "GET":
        local_start = session.starts_at.astimezone(event.tz)
        form.day.data = local_start.date().isoformat()
        form.start_time.data = local_start.time()
        form.end_time.data = session.ends_at.astimezone(event.tz).time()
        form.room.data = str(session.room_id or "")
        form.track.data = str(session.track_id or "")
        form.languages.data = session.language_list
        form.recording_allowed.data = not session.do_not_record
        while len(form.speakers):
            form.speakers.pop_entry()
        for link in session.speakers:
            form.speakers.append_entry({"speaker": str(link.speaker_id), "role": link.role})
    elif session is None and request.method == "GET":
        form.languages.data = event.language_list[:1]
        asked = request.args.get("day", "")
        form.day.data = asked if asked in {d.isoformat() for d in days} else days[0].isoformat()
    day_choices = [(d.isoformat(), format_local_date(d, "full")) for d in days]
    if form.day.data and form.day.data not in {value for value, _d in day_choices}:
        day_choices.append(
            (form.day.data, form.day.data)
        )  # keep what was there, the service will say why
    form.day.choices = options(day_choices)
    form.room.choices = options(
        [("", _("— sans salle —"))]
        + [
            (
                str(r.id),
                r.name
                + (" (" + ngettext("%(num)d place", "%(num)d places", r.capacity) + ")" if r.capacity is not None else ""),
            )
            for r in event.rooms
        ]
    )
    form.track.choices = options(
        [("", _("— aucun —"))] + [(str(t.id), t.name) for t in event.tracks]
    )
    return form


def _fill_speaker_rows(form: SessionForm, event: Event, extra: int = 0) -> None:
    blanks = sum(1 for row in form.speakers if not row.speaker.data)
    wanted = max(EMPTY_SPEAKER_ROWS - blanks, 0) + extra
    for _i in range(wanted):
        if len(form.speakers) >= form.speakers.max_entries:
            break
        form.speakers.append_entry()
    choices = options([("", _("— choisir —"))] + [(str(s.id), s.name) for s in event.speakers])
    for row in form.speakers:
        row.speaker.choices = choices


def _parse_id(raw: str | None) -> int | None | bool:
    """'' → None, digits → int, anything else → False (refused)."""
    if not raw:
        return None
    return int(raw) if raw.isdigit() else False


SESSION_ERROR_FIELDS: dict[Any, str] = {
    "room_id": "room",
    "track_id": "track",
    "capacity": "capacity",
    "speakers": "speakers",
    InvalidDates: "end_time",
    SessionOutsideEvent: "day",
}


def _save_session_form(event: Event, form: SessionForm, session: ProgrammeSession) -> bool:
    try:
        day = date.fromisoformat(form.day.data)
    except (TypeError, ValueError):
        form.day.errors = [_("Choisissez un jour de l'événement.")]
        return False
    room_id, track_id = _parse_id(form.room.data), _parse_id(form.track.data)
    speakers = []
    for row in form.speakers:
        speaker_id = _parse_id(row.speaker.data)
        if speaker_id is False:
            speaker_id = (
                -1
            )  # an id that belongs to no event: the service refuses it with its message
        if speaker_id:
            speakers.append((speaker_id, row.role.data))
    data = {
        "title": form.title.data,
        "type": form.type.data,
        "track_id": -1 if track_id is False else track_id,
        "room_id": -1 if room_id is False else room_id,
        "capacity": form.capacity.data,
        "description": form.description.data or "",
        "translations": submitted_translations(form, event.other_languages),
        "languages": ",".join(
            c for c, _label in LANGUAGE_CHOICES if c in (form.languages.data or [])
        ),
        "requires_registration": bool(form.requires_registration.data),
        "type_label": form.type_label.data or "",
        "links": programme.keep_link_kinds(session, form.links.data or []),
        "do_not_record": not form.recording_allowed.data,
        "status": form.status.data,
    }
    try:
        programme.save_session(
            event,
            session,
            data,
            programme.local_to_utc(event, day, form.start_time.data),
            programme.local_to_utc(event, day, form.end_time.data),
            speakers=speakers,
        )
    except DomainError as error:
        refuse_on_form(form, error, SESSION_ERROR_FIELDS, "title")
        return False
    return True


@bp.route("/events/<int:event_id>/sessions")
@event_view
def sessions(event: Event):
    by_day: dict[date, list[ProgrammeSession]] = {}
    for s in event.sessions:
        by_day.setdefault(s.starts_at.astimezone(event.tz).date(), []).append(s)
    _items, labels = describe_clashes(event, programme.event_clashes(event))
    return render_template(
        "manage/sessions.html", event=event, by_day=sorted(by_day.items()), labels=labels
    )


@bp.route("/events/<int:event_id>/sessions/new", methods=["GET", "POST"])
@bp.route("/events/<int:event_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@event_view
def session_edit(event: Event, session_id: int | None = None):
    session = owned(ProgrammeSession, session_id, event) if session_id else None
    form = _session_form(event, session)
    if request.method == "POST" and form.add_rows.data:
        _fill_speaker_rows(form, event, extra=EMPTY_SPEAKER_ROWS)
    elif form.validate_on_submit():
        target = session or ProgrammeSession()
        if _save_session_form(event, form, target):
            db.session.commit()
            flash(_("Session « %(title)s » enregistrée.", title=target.title), "success")
            day = target.starts_at.astimezone(event.tz).date().isoformat()
            return redirect(url_for("manage.grid", event_id=event.id, day=day))
    _fill_speaker_rows(form, event)
    clash_labels = {}
    if session is not None:
        _items, labels = describe_clashes(event, programme.event_clashes(event))
        clash_labels = labels.get(session.id, [])
    return render_template(
        "manage/session_form.html",
        event=event,
        form=form,
        session=session,
        clash_labels=clash_labels,
    )


@bp.route("/events/<int:event_id>/sessions/<int:session_id>/duplicate", methods=["POST"])
@event_view
def session_duplicate(event: Event, session_id: int):
    session = owned(ProgrammeSession, session_id, event)
    copy = programme.duplicate_session(session)
    db.session.commit()
    flash(_("Copie créée : changez son horaire ou sa salle."), "success")
    return redirect(url_for("manage.session_edit", event_id=event.id, session_id=copy.id))


@bp.route("/events/<int:event_id>/sessions/<int:session_id>/delete", methods=["GET", "POST"])
@event_view
def session_delete(event: Event, session_id: int):
    session = owned(ProgrammeSession, session_id, event)
    if request.method == "POST":
        title = session.title
        programme.delete_session(session)
        db.session.commit()
        flash(_("Session « %(title)s » supprimée.", title=title), "success")
        return redirect(url_for("manage.sessions", event_id=event.id))
    return render_template(
        "manage/confirm_delete.html",
        event=event,
        name=session.title,
        kind="session",
        back=url_for("manage.sessions", event_id=event.id),
    )


# ---------------------------------------------------------------- programme grid


@bp.route("/events/<int:event_id>/grid")
@event_view
def grid(event: Event):
    days = programme.event_days(event)
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = days[0]
    if day not in days:
        day = days[0]
    found = programme.event_clashes(event)
    items, labels = describe_clashes(event, found)
    outside = [s for s in event.sessions if s.starts_at.astimezone(event.tz).date() not in days]
    layout = grid_layout.build_grid(event.sessions, event.rooms, day, event.tz, _("Sans salle"))
    return render_template(
        "manage/grid.html",
        event=event,
        days=days,
        day=day,
        layout=layout,
        clashes=items,
        labels=labels,
        outside=outside,
    )
