"""Events, rooms, speakers and sessions: the organiser's rules. Flushes, never commits."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import get_locale, lazy_ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from eventsys import i18n, richtext
from eventsys.extensions import db
from eventsys.models import (
    Event,
    EventRole,
    ProgrammeSession,
    Room,
    SessionSpeaker,
    Speaker,
    Track,
    User,
)
from eventsys.models.events import STATUS_PUBLISHED
from eventsys.models.people import ROLE_ORGANISER
from eventsys.models.registration import CHOICE_WAITLISTED, Registration, RegistrationChoice
from eventsys.models.translatable import CONTENT_LANGUAGES, Translatable, check_translations
from eventsys.services import clashes as clash_rules
from eventsys.services import registration as registration_rules
from eventsys.services.codes import canonical_code, display_code, generate_code
from eventsys.services.errors import (
    DuplicateSessionCode,
    InvalidDates,
    InvalidSessionCode,
    InvalidValue,
    RoomConflict,
    RoomInUse,
    SessionOutsideEvent,
)

EVENT_FIELDS = (
    "title", "subtitle", "kind", "start_date", "end_date", "timezone", "venue_name",
    "venue_address", "access_notes", "audience", "context", "contacts", "languages",
    "restrict_languages",
)  # fmt: skip
ROOM_FIELDS = ("name", "capacity", "location_notes", "step_free", "position", "shared")
SPEAKER_FIELDS = ("name", "function", "organisation", "bio", "email", "or_representative")
SESSION_FIELDS = (
    "title", "type", "track_id", "room_id", "capacity", "description", "languages",
    "requires_registration", "status", "type_label", "do_not_record", "links",
)  # fmt: skip


def valid_timezone(name: str) -> bool:
    """True for a full IANA name such as Europe/Paris or America/Martinique."""
    if not name or "/" not in name and name != "UTC":
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in _known_timezones()


@functools.cache
def _known_timezones() -> frozenset[str]:
    """The zones of the system's database, listed once per process (listing walks the whole
    zoneinfo tree: 16 ms, paid on every event saved before this)."""
    return frozenset(available_timezones())


def find_event(raw_code: str) -> Event | None:
    """The event whose code matches, typed in any case, with or without spaces."""
    code = canonical_code(raw_code)
    if code is None:
        return None
    return db.session.scalar(select(Event).where(Event.code == code))


def _code_taken(code: str, exclude_id: int | None) -> bool:
    query = select(func.count()).select_from(Event).where(Event.code == code)
    if exclude_id is not None:
        query = query.where(Event.id != exclude_id)
    return bool(db.session.scalar(query))


def _apply(obj: Any, fields: Iterable[str], data: dict[str, Any]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
    if data.get("translations") is not None and isinstance(obj, Translatable):
        # Each language given replaces that language's entry; an empty entry removes it.
        translations = data["translations"]
        problem = check_translations(translations, type(obj))
        if problem:
            raise InvalidValue(problem, field="translations")
        obj.set_translations(translations)


def _switch_main_language(event: Event, new: str) -> None:
    """The event's main language changes: every text of the event moves to its language's entry."""
    if new not in CONTENT_LANGUAGES:
        raise InvalidValue(_l("Langue inconnue : %(code)s.", code=new), field="default_language")
    old = event.main_language
    if event.id is not None and new != old:
        from eventsys.models.registration import CustomQuestion, RegistrationSettings

        questions = db.session.scalars(select(CustomQuestion).where(CustomQuestion.event_id == event.id))
        settings = db.session.scalars(
            select(RegistrationSettings).where(RegistrationSettings.event_id == event.id)
        )
        for obj in [event, *event.rooms, *event.sessions, *questions, *settings]:
            obj.switch_main_language(old, new)
    event.default_language = new


def save_event(event: Event, data: dict[str, Any], pattern: str) -> Event:
    """Validate and store an event's fields; generate its code when left empty."""
    start = data.get("start_date", event.start_date)
    end = data.get("end_date", event.end_date)
    if start is None or end is None or end < start:
        raise InvalidDates(_l("La date de fin doit être le même jour ou après la date de début."))
    timezone = data.get("timezone", event.timezone) or "Europe/Paris"
    if not valid_timezone(timezone):
        raise InvalidValue(_l("Fuseau horaire inconnu : utilisez un nom IANA complet, par exemple Europe/Paris."), field="timezone")
    if "code" in data:
        raw = (data.get("code") or "").strip()
        if raw:
            code = canonical_code(raw)
            if code is None:
                raise InvalidSessionCode(
                    _l("Code de session invalide : 3 à 20 lettres ou chiffres, par exemple Z26IN 001.")
                )
            if _code_taken(code, event.id):
                raise DuplicateSessionCode(_l("Ce code de session est déjà utilisé par un autre événement."))
            event.code, event.code_display = code, display_code(raw)
    if not event.code:
        kind = data.get("kind", event.kind) or "training_day"
        shown = generate_code(pattern, kind, start, lambda code: _code_taken(code, event.id))
        event.code, event.code_display = canonical_code(shown), shown
    if data.get("default_language"):
        _switch_main_language(event, data["default_language"])
    _apply(event, EVENT_FIELDS, {**data, "timezone": timezone})
    if event.id is None:
        db.session.add(event)
    db.session.flush()
    return event


def create_event(owner: User, data: dict[str, Any], pattern: str) -> Event:
    """A new draft event whose creator becomes its organiser."""
    event = Event(status="draft")
    save_event(event, data, pattern)
    db.session.add(EventRole(event=event, user=owner, role=ROLE_ORGANISER))
    db.session.flush()
    return event


def delete_event(event: Event) -> None:
    """Remove an event and everything that belongs to it."""
    db.session.delete(event)
    db.session.flush()


def duplicate_event(event: Event, owner: User, pattern: str) -> Event:
    """A draft copy (rooms, speakers, tracks, sessions) with a fresh code, for next year's edition."""
    data = {name: getattr(event, name) for name in EVENT_FIELDS}
    data["default_language"], data["translations"] = event.default_language, event.translations
    data["title"] = str(_l("%(title)s (copie)", title=event.title))[:200]
    copy = create_event(owner, data, pattern)
    # Lazy loads of the original must not autoflush half-built copies (SQLAlchemy warns).
    with db.session.no_autoflush:
        rooms = {
            room.id: Room(event=copy, translations=dict(room.translations or {}), **{f: getattr(room, f) for f in ROOM_FIELDS})
            for room in event.rooms
        }
        speakers = {
            sp.id: Speaker(event=copy, **{f: getattr(sp, f) for f in SPEAKER_FIELDS}) for sp in event.speakers
        }
        tracks = {tr.id: Track(event=copy, name=tr.name, colour=tr.colour) for tr in event.tracks}
        db.session.add_all([*rooms.values(), *speakers.values(), *tracks.values()])
        db.session.flush()
        for original in event.sessions:
            fields = {f: getattr(original, f) for f in SESSION_FIELDS}
            fields["room_id"] = rooms[original.room_id].id if original.room_id else None
            fields["track_id"] = tracks[original.track_id].id if original.track_id else None
            clone = ProgrammeSession(event=copy, starts_at=original.starts_at, ends_at=original.ends_at, **fields)
            clone.translations = dict(original.translations or {})
            clone.speakers = [
                SessionSpeaker(speaker=speakers[link.speaker_id], role=link.role, position=link.position)
                for link in original.speakers
            ]
            db.session.add(clone)
    db.session.flush()
    return copy


def save_room(event: Event, room: Room, data: dict[str, Any]) -> Room:
    """Store a room of the event."""
    capacity = data.get("capacity")
    if capacity is not None and capacity < 0:
        raise InvalidValue(_l("La capacité ne peut pas être négative."), field="capacity")
    existing = room.id is not None
    with db.session.no_autoflush:  # a new room is not in the session yet
        room.event = event  # before the fields: translations need the event's main language
        _apply(room, ROOM_FIELDS, data)
    db.session.add(room)
    db.session.flush()
    if existing:
        # Sessions without a capacity of their own take the room's: a bigger room frees seats.
        fill_new_seats(
            event,
            db.session.scalars(
                select(ProgrammeSession).where(ProgrammeSession.room_id == room.id, ProgrammeSession.capacity.is_(None))
            ),
        )
    return room


def delete_room(room: Room) -> None:
    """Delete a room no session uses; otherwise say which sessions hold it."""
    used = db.session.scalars(
        select(ProgrammeSession.title).where(ProgrammeSession.room_id == room.id).order_by(ProgrammeSession.starts_at)
    ).all()
    if used:
        raise RoomInUse(
            lazy_ngettext(
                "La salle « %(room)s » est utilisée par %(num)d session : %(titles)s. "
                "Déplacez cette session avant de supprimer la salle.",
                "La salle « %(room)s » est utilisée par %(num)d sessions : %(titles)s. "
                "Déplacez ces sessions avant de supprimer la salle.",
                len(used),
                room=room.name,
                titles=", ".join(used[:5]),
            )
        )
    db.session.delete(room)
    db.session.flush()


def save_speaker(event: Event, speaker: Speaker, data: dict[str, Any]) -> Speaker:
    """Store a speaker of the event."""
    _apply(speaker, SPEAKER_FIELDS, data)
    speaker.event = event
    db.session.add(speaker)
    db.session.flush()
    return speaker


def delete_speaker(speaker: Speaker) -> None:
    """Delete a speaker and their parts in sessions."""
    db.session.delete(speaker)
    db.session.flush()


def local_to_utc(event: Event, day: date, at: time) -> datetime:
    """A wall-clock time of the event's zone as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=event.tz).astimezone(UTC)


def keep_link_kinds(session: ProgrammeSession, links: list[dict[str, str]]) -> list[dict[str, str]]:
    """Links typed again by hand (address and title only) keep the kind they had: an attachment
    stays an attachment."""
    kinds = {link.get("url"): link.get("kind", "link") for link in session.links or () if isinstance(link, dict)}
    return [{**link, "kind": kinds.get(link["url"], link.get("kind", "link"))} for link in links]


def save_session(
    event: Event,
    session: ProgrammeSession,
    data: dict[str, Any],
    starts_at: datetime,
    ends_at: datetime,
    speakers: list[tuple[int, str]] | None = None,
) -> ProgrammeSession:
    """Store a programme session after checking its times, room and speakers belong to the event."""
    with db.session.no_autoflush:
        changed = stage_session(event, session, data, starts_at, ends_at, speakers)
        db.session.flush()
        if changed:
            fill_new_seats(event, [session])
    return session


def stage_session(
    event: Event,
    session: ProgrammeSession,
    data: dict[str, Any],
    starts_at: datetime,
    ends_at: datetime,
    speakers: list[tuple[int, str]] | None,
    *,
    speaker_ids: set[int] | None = None,
) -> bool:
    """The checks and changes of save_session without the flush (an import writes a thousand
    sessions in one flush; the caller flushes and fills new seats). True when an existing
    session changed. `speaker_ids` spares recomputing the event's speakers for each session."""
    if "description" in data:
        # HTML (an import, the API) is kept to the safe subset; Markdown and plain text as typed.
        data = {**data, "description": richtext.normalise_input(data["description"])}
    if ends_at <= starts_at:
        raise InvalidDates(_l("La session doit finir après son début."))
    local_start, local_end = starts_at.astimezone(event.tz), ends_at.astimezone(event.tz)
    if local_start.date() < event.start_date or local_end.date() > event.end_date:
        raise SessionOutsideEvent(
            _l(
                "La session doit avoir lieu pendant l'événement (du %(start)s au %(end)s).",
                start=i18n.format_day(event.start_date, get_locale(), width="short"),
                end=i18n.format_day(event.end_date, get_locale(), width="short"),
            )
        )
    room_id = data.get("room_id")
    if room_id is not None and room_id not in {room.id for room in event.rooms}:
        raise InvalidValue(_l("Cette salle n'appartient pas à l'événement."), field="room_id")
    track_id = data.get("track_id")
    if track_id is not None and track_id not in {track.id for track in event.tracks}:
        raise InvalidValue(_l("Ce thème n'appartient pas à l'événement."), field="track_id")
    capacity = data.get("capacity")
    if capacity is not None and capacity < 0:
        raise InvalidValue(_l("La capacité ne peut pas être négative."), field="capacity")
    changed = session.id is not None and (
        session.starts_at != starts_at
        or session.ends_at != ends_at
        or any(name in data and getattr(session, name) != data[name] for name in SESSION_FIELDS)
    )
    session.event = event  # before the fields: translations need the event's main language
    _apply(session, SESSION_FIELDS, data)
    session.starts_at, session.ends_at = starts_at, ends_at
    if speakers is not None:
        valid = speaker_ids if speaker_ids is not None else {speaker.id for speaker in event.speakers}
        if any(speaker_id not in valid for speaker_id, _ in speakers):
            raise InvalidValue(_l("Cet intervenant n'appartient pas à l'événement."), field="speakers")
        wanted = list(dict.fromkeys(speakers))
        current = [(link.speaker_id, link.role) for link in session.speakers]
        if current != wanted:
            changed = changed or session.id is not None
            session.speakers = [
                SessionSpeaker(speaker_id=speaker_id, role=role, position=index)
                for index, (speaker_id, role) in enumerate(wanted)
            ]
    if changed:
        session.sequence = (session.sequence or 0) + 1
    db.session.add(session)
    return changed


def fill_new_seats(event: Event, sessions: Iterable[ProgrammeSession]) -> list[Registration]:
    """Seats a programme change added (higher capacity, bigger room) go at once to the people waiting
    for them, first come first served; they are told by e-mail. Returns those promoted."""
    ids = [s.id for s in sessions if s.id is not None and s.requires_registration and not s.is_cancelled]
    if not ids:
        return []
    waiting = db.session.scalar(
        select(RegistrationChoice.id)
        .where(RegistrationChoice.session_id.in_(ids), RegistrationChoice.status == CHOICE_WAITLISTED)
        .limit(1)
    )
    if waiting is None:
        return []
    settings = registration_rules.lock_event(event)
    return registration_rules.fill_vacancies(event, settings)


def delete_session(session: ProgrammeSession) -> None:
    """Remove a session from the programme."""
    db.session.delete(session)
    db.session.flush()


def event_clashes(event: Event) -> list[clash_rules.Clash]:
    """Every clash in the event's programme."""
    slots = [
        clash_rules.SlotData(
            id=s.id,
            title=s.title,
            type=s.type,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            room_id=s.room_id,
            capacity=s.capacity,
            speaker_ids=frozenset(link.speaker_id for link in s.speakers),
            cancelled=s.is_cancelled,
        )
        for s in event.sessions
    ]
    capacities = {room.id: room.capacity for room in event.rooms}
    shared = {room.id for room in event.rooms if room.shared}
    return clash_rules.find_clashes(
        slots, event.start_date, event.end_date, event.tz, capacities, shared
    )


def publish_event(event: Event) -> Event:
    """Make the event public, unless a room is still double-booked."""
    room_clashes = [c for c in event_clashes(event) if c.kind == clash_rules.ROOM_DOUBLE_BOOKED]
    if room_clashes:
        titles = {s.id: s.title for s in event.sessions}
        rooms = {r.id: r.name for r in event.rooms}
        first = room_clashes[0]
        raise RoomConflict(
            lazy_ngettext(
                "Publication impossible : la salle « %(room)s » est occupée deux fois "
                "(« %(first)s » et « %(second)s »). %(num)d conflit de salle à résoudre.",
                "Publication impossible : la salle « %(room)s » est occupée deux fois "
                "(« %(first)s » et « %(second)s »). %(num)d conflits de salle à résoudre.",
                len(room_clashes),
                room=rooms.get(first.room_id, "?"),
                first=titles[first.session_ids[0]],
                second=titles[first.session_ids[1]],
            )
        )
    event.status = STATUS_PUBLISHED
    db.session.flush()
    return event


def unpublish_event(event: Event, status: str = "draft") -> Event:
    """Back to draft, or cancelled."""
    event.status = status
    db.session.flush()
    return event


def event_days(event: Event) -> list[date]:
    """Every day of the event, in order."""
    from datetime import timedelta

    return [event.start_date + timedelta(days=i) for i in range((event.end_date - event.start_date).days + 1)]


# ---------------------------------------------------------------- organiser area helpers


def save_track(event: Event, track: Track, data: dict[str, Any]) -> Track:
    """Store a theme of the event."""
    _apply(track, ("name", "colour"), data)
    track.event = event
    db.session.add(track)
    db.session.flush()
    return track


def delete_track(track: Track) -> None:
    """Delete a theme; its sessions stay, without a theme."""
    for session in db.session.scalars(select(ProgrammeSession).where(ProgrammeSession.track_id == track.id)):
        session.track_id = None
    db.session.delete(track)
    db.session.flush()


def duplicate_session(session: ProgrammeSession) -> ProgrammeSession:
    """A copy of a session (same slot, room and speakers) to be moved or adapted."""
    fields = {name: getattr(session, name) for name in SESSION_FIELDS}
    fields["title"] = str(_l("%(title)s (copie)", title=session.title))[:300]
    links = [(link.speaker_id, link.role, link.position) for link in session.speakers]
    clone = ProgrammeSession(starts_at=session.starts_at, ends_at=session.ends_at, **fields)
    clone.translations = dict(session.translations or {})
    clone.speakers = [SessionSpeaker(speaker_id=sid, role=role, position=pos) for sid, role, pos in links]
    db.session.add(clone)
    clone.event = session.event
    db.session.flush()
    return clone


def _organiser_count(event: Event) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(EventRole)
        .where(EventRole.event_id == event.id, EventRole.role == ROLE_ORGANISER)
    ) or 0


def add_team_member(event: Event, email: str, role: str) -> EventRole:
    """Give an existing account a role on the event (or change the role it has)."""
    from eventsys.models.people import EVENT_ROLES

    if role not in EVENT_ROLES:
        raise InvalidValue(_l("Rôle inconnu."), field="role")
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise InvalidValue(
            _l("Aucun compte n'existe avec cette adresse e-mail : la personne doit d'abord avoir un compte."),
            field="email",
        )
    member = db.session.scalar(select(EventRole).where(EventRole.event_id == event.id, EventRole.user_id == user.id))
    if member is None:
        member = EventRole(event=event, user=user, role=role)
        db.session.add(member)
    elif member.role != role:
        if member.role == ROLE_ORGANISER and _organiser_count(event) <= 1:
            raise InvalidValue(_l("L'événement doit garder au moins un organisateur."), field="role")
        member.role = role
    db.session.flush()
    return member


def remove_team_member(event: Event, member: EventRole) -> None:
    """Take a role away, unless it is the event's last organiser."""
    if member.role == ROLE_ORGANISER and _organiser_count(event) <= 1:
        raise InvalidValue(_l("L'événement doit garder au moins un organisateur."), field="member")
    db.session.delete(member)
    db.session.flush()
