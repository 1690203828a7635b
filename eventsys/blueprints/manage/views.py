"""Organiser pages: events, rooms, speakers, themes, sessions, programme grid and team.

Every route needs a login and the organiser role on the event (administrators pass). Views
validate a form, call one service, commit once; a DomainError becomes a message on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.routing import BuildError

from eventsys.blueprints.manage import grid as grid_layout
from eventsys.blueprints.manage.forms import (
    KIND_LABELS,
    LANGUAGE_CHOICES,
    SESSION_STATUS_LABELS,
    SESSION_TYPE_LABELS,
    SPEAKER_ROLE_LABELS,
    TEAM_ROLE_LABELS,
    DeleteEventForm,
    EventForm,
    RoomForm,
    SessionForm,
    SpeakerForm,
    TeamForm,
    TrackForm,
    step_free_value,
    timezone_names,
)
from eventsys.extensions import db
from eventsys.forms import (
    fill_translations,
    label_main_language,
    options,
    submitted_translations,
    with_translations,
)
from eventsys.models import Event, EventRole, ProgrammeSession, Room, SessionSpeaker, Speaker, Track
from eventsys.models.events import STATUS_CANCELLED, STATUS_DRAFT
from eventsys.models.translatable import DEFAULT_LANGUAGE, DEFAULT_OFFERED
from eventsys.security import managed_events, require_event_creator, require_organiser
from eventsys.services import clashes as clash_rules
from eventsys.services import print_check, programme
from eventsys.services.errors import (
    DomainError,
    DuplicateSessionCode,
    InvalidDates,
    InvalidSessionCode,
    RoomConflict,
    RoomInUse,
    SessionOutsideEvent,
)
from eventsys.web import format_local_date

bp = Blueprint("manage", __name__, url_prefix="/manage", template_folder="templates")

EMPTY_SPEAKER_ROWS = 4
Model = TypeVar("Model")


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    """Translated labels for codes shown in the organiser pages (the event's layout is also the
    frame of other areas' organiser pages, such as registrations)."""
    return {
        "event_public_url": public_url,
        "optional_url": optional_url,
        "L": {
            "kind": KIND_LABELS,
            "session_type": SESSION_TYPE_LABELS,
            "speaker_role": SPEAKER_ROLE_LABELS,
            "session_status": SESSION_STATUS_LABELS,
            "team_role": TEAM_ROLE_LABELS,
            "event_status": {
                "draft": _("Brouillon"),
                "published": _("Publié"),
                "cancelled": _("Annulé"),
            },
            "language": dict(LANGUAGE_CHOICES),
        },
    }


def event_view(func: Callable[..., Any]) -> Callable[..., Any]:
    """Login first (anonymous → login page), then the organiser role on the event (→ 403)."""

    @wraps(func)
    @login_required
    def wrapper(event_id: int, **kwargs: Any):
        event = db.get_or_404(Event, event_id)
        require_organiser(event)
        return func(event, **kwargs)

    return wrapper


def owned(model: type[Model], obj_id: int, event: Event) -> Model:
    """An object of this event, or 404: ids of another event's objects are not accepted."""
    obj = db.session.get(model, obj_id)
    if obj is None or obj.event_id != event.id:
        abort(404)
    return obj


def public_url(event: Event) -> str:
    """The public page of the event, /e/<CODE>."""
    try:
        return url_for("public.event", code=event.code)
    except BuildError:
        return "/e/" + event.code


def optional_url(endpoint: str, **values: Any) -> str | None:
    """A link to another area's page, or None while that area is not installed."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _owner():
    return current_user._get_current_object()


def _fail(
    form: Any, error: DomainError, fields: dict[type[DomainError] | str, str], default: str
) -> None:
    """Undo what the service did and show its message on the matching field."""
    db.session.rollback()
    name = error.params.get("field")
    target = fields.get(name) if name else None
    target = target or next(
        (f for kind, f in fields.items() if isinstance(kind, type) and isinstance(error, kind)),
        default,
    )
    form[target].errors = [*(form[target].errors or []), str(error)]


# ---------------------------------------------------------------- clashes, described for people


def describe_clashes(
    event: Event, found: list[clash_rules.Clash]
) -> tuple[list[dict], dict[int, list[str]]]:
    """Sentences for the clash list, and short labels per session for the grid."""
    sessions = {s.id: s for s in event.sessions}
    rooms = {r.id: r.name for r in event.rooms}
    speakers = {s.id: s.name for s in event.speakers}
    items: list[dict] = []
    labels: dict[int, list[str]] = {}
    for clash in found:
        involved = [sessions[i] for i in clash.session_ids if i in sessions]
        if clash.kind == clash_rules.ROOM_DOUBLE_BOOKED:
            title = _("Salle occupée deux fois")
            text = _(
                "La salle « %(room)s » accueille deux sessions en même temps.",
                room=rooms.get(clash.room_id, "?"),
            )
            short = [_("Salle occupée deux fois")] * len(involved)
        elif clash.kind == clash_rules.SPEAKER_DOUBLE_BOOKED:
            name = speakers.get(clash.speaker_id, "?")
            title = _("Intervenant·e à deux endroits")
            text = _("%(name)s intervient dans deux sessions en même temps.", name=name)
            short = [_("%(name)s à deux endroits", name=name)] * len(involved)
        elif clash.kind == clash_rules.OUTSIDE_EVENT:
            title = _("Hors des dates de l'événement")
            text = _("Cette session n'a pas lieu pendant les jours de l'événement.")
            short = [_("Hors des dates de l'événement")]
        else:
            title = _("Salle trop petite")
            text = _(
                "%(expected)d participants attendus pour %(capacity)d places dans la salle « %(room)s ».",
                expected=clash.capacity or 0,
                capacity=clash.room_capacity or 0,
                room=rooms.get(clash.room_id, "?"),
            )
            short = [
                _(
                    "Salle trop petite (%(expected)d pour %(capacity)d places)",
                    expected=clash.capacity or 0,
                    capacity=clash.room_capacity or 0,
                )
            ]
        items.append({"kind": clash.kind, "title": title, "text": text, "sessions": involved})
        for session, label in zip(involved, short, strict=False):
            if label not in labels.setdefault(session.id, []):
                labels[session.id].append(label)
    return items, labels


# ---------------------------------------------------------------- events


@bp.route("/")
@login_required
def events():
    return render_template("manage/events.html", events=managed_events(_owner()))


def _event_languages(event: Event | None) -> tuple[str, list[str]]:
    """The language of the main fields and the other languages shown beside them."""
    if event is not None:
        return event.main_language, event.other_languages
    return DEFAULT_LANGUAGE, [c for c in DEFAULT_OFFERED if c != DEFAULT_LANGUAGE]


def _event_form(event: Event | None) -> EventForm:
    main, others = _event_languages(event)
    form_class = with_translations(EventForm, others)
    form = form_class(obj=event if event is not None and request.method == "GET" else None)
    if request.method == "GET" and event is not None:
        form.code.data = event.code_display
        form.languages.data = event.language_list
        fill_translations(form, event, others)
    label_main_language(form, main, others)
    return form


def _event_data(form: EventForm, event: Event | None) -> dict[str, Any]:
    old_main, others = _event_languages(event)
    new_main = form.default_language.data or old_main
    chosen = [new_main, *(form.languages.data or [])]
    previous = event.language_list if event else []
    ordered = [c for c in previous if c in chosen] + [
        c for c, _label in LANGUAGE_CHOICES if c in chosen and c not in previous
    ]
    # Texts per language as typed; when the main language changes, the new main language's
    # texts go to the columns (the old main's text stays as the fallback where one is empty).
    texts = submitted_translations(form, others)
    main_texts = {name: form[name].data or "" for name in EventForm.TRANSLATED}
    texts[old_main] = main_texts
    columns = {
        name: (texts.get(new_main) or {}).get(name) or main_texts[name]
        for name in EventForm.TRANSLATED
    }
    translations = {lang: entry for lang, entry in texts.items() if lang != new_main}
    return {
        **columns,
        "default_language": new_main,
        "translations": translations,
        "kind": form.kind.data,
        "code": form.code.data or "",
        "start_date": form.start_date.data,
        "end_date": form.end_date.data,
        "timezone": form.timezone.data,
        "venue_name": form.venue_name.data or "",
        "venue_address": form.venue_address.data or "",
        "contacts": form.contacts.data or "",
        "languages": ",".join(ordered),
        "restrict_languages": bool(form.restrict_languages.data),
    }


EVENT_ERROR_FIELDS: dict[Any, str] = {
    "timezone": "timezone",
    InvalidDates: "end_date",
    InvalidSessionCode: "code",
    DuplicateSessionCode: "code",
}


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def event_new():
    require_event_creator()
    form = _event_form(None)
    if form.validate_on_submit():
        try:
            event = programme.create_event(
                _owner(), _event_data(form, None), current_app.config["SESSION_CODE_PATTERN"]
            )
        except DomainError as error:
            _fail(form, error, EVENT_ERROR_FIELDS, "title")
        else:
            db.session.commit()
            flash(_("Événement créé avec le code %(code)s.", code=event.code_display), "success")
            return redirect(url_for("manage.event", event_id=event.id))
    return render_template(
        "manage/event_form.html",
        form=form,
        event=None,
        timezones=timezone_names(),
        tr_languages=_event_languages(None)[1],
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@event_view
def event_edit(event: Event):
    form = _event_form(event)
    if form.validate_on_submit():
        try:
            programme.save_event(
                event, _event_data(form, event), current_app.config["SESSION_CODE_PATTERN"]
            )
        except DomainError as error:
            _fail(form, error, EVENT_ERROR_FIELDS, "title")
        else:
            db.session.commit()
            flash(_("Événement enregistré."), "success")
            return redirect(url_for("manage.event", event_id=event.id))
    return render_template(
        "manage/event_form.html",
        form=form,
        event=event,
        timezones=timezone_names(),
        tr_languages=event.other_languages,
    )


@bp.route("/events/<int:event_id>")
@event_view
def event(event: Event):
    items, _labels = describe_clashes(event, programme.event_clashes(event))
    return render_template("manage/dashboard.html", event=event, clashes=items,
                           print_problems=print_check.unprintable_entries(event))  # fmt: skip


@bp.route("/events/<int:event_id>/publish", methods=["POST"])
@event_view
def event_publish(event: Event):
    try:
        programme.publish_event(event)
    except RoomConflict as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("L'événement est publié : sa page publique est visible."), "success")
    return redirect(url_for("manage.event", event_id=event.id))


@bp.route("/events/<int:event_id>/draft", methods=["POST"])
@event_view
def event_draft(event: Event):
    programme.unpublish_event(event, STATUS_DRAFT)
    db.session.commit()
    flash(_("L'événement est repassé en brouillon."), "success")
    return redirect(url_for("manage.event", event_id=event.id))


@bp.route("/events/<int:event_id>/cancel", methods=["POST"])
@event_view
def event_cancel(event: Event):
    programme.unpublish_event(event, STATUS_CANCELLED)
    db.session.commit()
    flash(_("L'événement est annulé."), "success")
    return redirect(url_for("manage.event", event_id=event.id))


@bp.route("/events/<int:event_id>/duplicate", methods=["POST"])
@event_view
def event_duplicate(event: Event):
    require_event_creator()  # a copy is a new event
    copy = programme.duplicate_event(event, _owner(), current_app.config["SESSION_CODE_PATTERN"])
    db.session.commit()
    flash(_("Copie créée en brouillon avec le code %(code)s.", code=copy.code_display), "success")
    return redirect(url_for("manage.event", event_id=copy.id))


@bp.route("/events/<int:event_id>/delete", methods=["GET", "POST"])
@event_view
def event_delete(event: Event):
    form = DeleteEventForm()
    if form.validate_on_submit():
        title = event.title
        programme.delete_event(event)
        db.session.commit()
        flash(_("L'événement « %(title)s » est supprimé.", title=title), "success")
        return redirect(url_for("manage.events"))
    return render_template("manage/event_delete.html", event=event, form=form)


# ---------------------------------------------------------------- rooms, speakers, themes


def _room_data(form: RoomForm, event: Event) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "capacity": form.capacity.data,
        "location_notes": form.location_notes.data or "",
        "step_free": step_free_value(form.step_free.data),
        "shared": bool(form.shared.data),
        "position": form.position.data or 0,
        "translations": submitted_translations(form, event.other_languages),
    }


@bp.route("/events/<int:event_id>/rooms")
@event_view
def rooms(event: Event):
    return render_template("manage/rooms.html", event=event)


@bp.route("/events/<int:event_id>/rooms/new", methods=["GET", "POST"])
@bp.route("/events/<int:event_id>/rooms/<int:room_id>/edit", methods=["GET", "POST"])
@event_view
def room_edit(event: Event, room_id: int | None = None):
    room = owned(Room, room_id, event) if room_id else Room()
    form = with_translations(RoomForm, event.other_languages)(
        obj=room if room_id and request.method == "GET" else None
    )
    if request.method == "GET" and room_id:
        fill_translations(form, room, event.other_languages)
    label_main_language(form, event.main_language, event.other_languages)
    if form.validate_on_submit():
        try:
            programme.save_room(event, room, _room_data(form, event))
        except DomainError as error:
            _fail(form, error, {"capacity": "capacity"}, "name")
        else:
            db.session.commit()
            flash(_("Salle « %(name)s » enregistrée.", name=room.name), "success")
            return redirect(url_for("manage.rooms", event_id=event.id))
    return render_template(
        "manage/item_form.html",
        event=event,
        form=form,
        item=room if room_id else None,
        kind="room",
        tr_languages=event.other_languages,
    )


@bp.route("/events/<int:event_id>/rooms/<int:room_id>/delete", methods=["GET", "POST"])
@event_view
def room_delete(event: Event, room_id: int):
    room = owned(Room, room_id, event)
    if request.method == "POST":
        name = room.name
        try:
            programme.delete_room(room)
        except RoomInUse as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Salle « %(name)s » supprimée.", name=name), "success")
        return redirect(url_for("manage.rooms", event_id=event.id))
    return render_template(
        "manage/confirm_delete.html",
        event=event,
        name=room.name,
        kind="room",
        back=url_for("manage.rooms", event_id=event.id),
    )


def _speaker_data(form: SpeakerForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "function": form.function.data or "",
        "organisation": form.organisation.data or "",
        "bio": form.bio.data or "",
        "email": (form.email.data or "").lower(),
        "or_representative": bool(form.or_representative.data),
    }


@bp.route("/events/<int:event_id>/speakers")
@event_view
def speakers(event: Event):
    return render_template("manage/speakers.html", event=event)


@bp.route("/events/<int:event_id>/speakers/new", methods=["GET", "POST"])
@bp.route("/events/<int:event_id>/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
@event_view
def speaker_edit(event: Event, speaker_id: int | None = None):
    speaker = owned(Speaker, speaker_id, event) if speaker_id else Speaker()
    form = SpeakerForm(obj=speaker if speaker_id and request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            programme.save_speaker(event, speaker, _speaker_data(form))
        except DomainError as error:
            _fail(form, error, {}, "name")
        else:
            db.session.commit()
            flash(_("Intervenant·e « %(name)s » enregistré·e.", name=speaker.name), "success")
            return redirect(url_for("manage.speakers", event_id=event.id))
    return render_template(
        "manage/item_form.html",
        event=event,
        form=form,
        item=speaker if speaker_id else None,
        kind="speaker",
    )


@bp.route("/events/<int:event_id>/speakers/<int:speaker_id>/delete", methods=["GET", "POST"])
@event_view
def speaker_delete(event: Event, speaker_id: int):
    speaker = owned(Speaker, speaker_id, event)
    if request.method == "POST":
        name = speaker.name
        programme.delete_speaker(speaker)
        db.session.commit()
        flash(_("Intervenant·e « %(name)s » supprimé·e.", name=name), "success")
        return redirect(url_for("manage.speakers", event_id=event.id))
    used = db.session.scalar(
        select(SessionSpeaker.id).where(SessionSpeaker.speaker_id == speaker.id).limit(1)
    )
    return render_template(
        "manage/confirm_delete.html",
        event=event,
        name=speaker.name,
        kind="speaker",
        used=used is not None,
        back=url_for("manage.speakers", event_id=event.id),
    )


@bp.route("/events/<int:event_id>/tracks")
@event_view
def tracks(event: Event):
    return render_template("manage/tracks.html", event=event)


@bp.route("/events/<int:event_id>/tracks/new", methods=["GET", "POST"])
@bp.route("/events/<int:event_id>/tracks/<int:track_id>/edit", methods=["GET", "POST"])
@event_view
def track_edit(event: Event, track_id: int | None = None):
    track = owned(Track, track_id, event) if track_id else Track()
    form = TrackForm(obj=track if track_id and request.method == "GET" else None)
    if form.validate_on_submit():
        programme.save_track(
            event, track, {"name": form.name.data, "colour": form.colour.data.lower()}
        )
        db.session.commit()
        flash(_("Thème « %(name)s » enregistré.", name=track.name), "success")
        return redirect(url_for("manage.tracks", event_id=event.id))
    return render_template(
        "manage/item_form.html",
        event=event,
        form=form,
        item=track if track_id else None,
        kind="track",
    )


@bp.route("/events/<int:event_id>/tracks/<int:track_id>/delete", methods=["GET", "POST"])
@event_view
def track_delete(event: Event, track_id: int):
    track = owned(Track, track_id, event)
    if request.method == "POST":
        name = track.name
        programme.delete_track(track)
        db.session.commit()
        flash(_("Thème « %(name)s » supprimé.", name=name), "success")
        return redirect(url_for("manage.tracks", event_id=event.id))
    return render_template(
        "manage/confirm_delete.html",
        event=event,
        name=track.name,
        kind="track",
        back=url_for("manage.tracks", event_id=event.id),
    )


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
        _fail(form, error, SESSION_ERROR_FIELDS, "title")
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


# ---------------------------------------------------------------- team


@bp.route("/events/<int:event_id>/team", methods=["GET", "POST"])
@event_view
def team(event: Event):
    form = TeamForm()
    if form.validate_on_submit():
        try:
            member = programme.add_team_member(event, form.email.data, form.role.data)
        except DomainError as error:
            _fail(form, error, {"email": "email", "role": "role"}, "email")
        else:
            db.session.commit()
            flash(_("%(email)s fait partie de l'équipe.", email=member.user.email), "success")
            return redirect(url_for("manage.team", event_id=event.id))
    members = db.session.scalars(
        select(EventRole)
        .where(EventRole.event_id == event.id)
        .order_by(EventRole.role, EventRole.id)
    ).all()
    return render_template("manage/team.html", event=event, form=form, members=members)


@bp.route("/events/<int:event_id>/team/<int:member_id>/remove", methods=["POST"])
@event_view
def team_remove(event: Event, member_id: int):
    member = owned(EventRole, member_id, event)
    leaving_self = member.user_id == current_user.id
    try:
        programme.remove_team_member(event, member)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Membre retiré de l'équipe."), "success")
        if leaving_self and not current_user.is_admin:
            return redirect(url_for("manage.events"))
    return redirect(url_for("manage.team", event_id=event.id))
