"""Exports and imports of a programme, on the database side.

Turns Event/ProgrammeSession models into the plain data the pure renderers take (render/ical,
render/programme_pdf, schedule_xml, programme_csv), and applies an import plan through
services/programme.py. Flushes, never commits.

A registration's personal agenda is `registration_agenda(registration)` (built on `agenda_ics`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from flask_babel import force_locale, get_locale, get_translations, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from eventsys.extensions import db
from eventsys.i18n import SOURCE_LANGUAGE, language_code
from eventsys.models import Event, ProgrammeSession, Room, Speaker, Track
from eventsys.models.events import STATUS_CANCELLED
from eventsys.models.registration import CHOICE_CONFIRMED, Registration
from eventsys.render.export_data import (
    EventData,
    ExportLabels,
    LinkData,
    RoomData,
    SessionData,
    SpeakerPart,
    TrackData,
    no_cycle_collection,
)
from eventsys.render.ical import build_calendar, calendar_name
from eventsys.render.programme_pdf import render_programme_pdf
from eventsys.render.schedule_xml import render_schedule_json, render_schedule_xml
from eventsys.services import technical_visits as visits
from eventsys.services.links import site_root
from eventsys.services.programme_csv import render_programme_csv
from eventsys.services.programme_page import sessions_query

TYPE_LABELS = {
    "welcome": lazy_pgettext("type de session", "Accueil"),
    "opening": _l("Ouverture"),
    "talk": _l("Exposé"),
    "plenary": _l("Plénière"),
    "workshop": _l("Atelier"),
    "interaction": _l("Interaction"),
    "sharing": _l("Mise en partage"),
    "speed_networking": _l("Speed-networking"),
    "meal": _l("Repas"),
    "break": _l("Pause"),
    "closing": _l("Clôture"),
    "technical_visit": _l("Visite technique"),
    "other": _l("Autre"),
}
ROLE_LABELS = {
    "speaker": _l("intervenant·e"),
    "moderator": _l("modérateur·rice"),
    "facilitator": _l("animateur·rice"),
    "chair": _l("président·e de séance"),
}
KIND_LABELS = {
    "training_day": _l("Journée d'actualité"),
    "conference": _l("Rencontres nationales / conférence"),
    "network_meeting": _l("Rencontre de réseau"),
}


def export_labels() -> ExportLabels:
    """Every word of the exports in the current language."""
    # "and N others" is chosen by the renderer, once it has counted, possibly after force_locale
    # has ended (programme_pdf): it keeps this language's catalogue for the plural choice.
    translations = get_translations()
    return ExportLabels(
        type_labels={code: str(label) for code, label in TYPE_LABELS.items()},
        role_labels={code: str(label) for code, label in ROLE_LABELS.items()},
        kind_labels={code: str(label) for code, label in KIND_LABELS.items()},
        or_representative=_("ou son représentant"),
        cancelled=_("Annulée"),
        programme=_("Programme"),
        overview=_("Programme jour par jour"),
        detailed=_("Programme détaillé"),
        speakers_index=_("Index des intervenants"),
        rooms_access=_("Salles et accès"),
        venue=_("Lieu"),
        access=_("Accès"),
        contacts=_("Contacts"),
        session_code=_("Code de session"),
        page_of=_("Page %(page)s sur %(total)s"),
        date_range=_("du %(start)s au %(end)s"),
        and_more=lambda n: (
            translations.ngettext("et %(num)d autre", "et %(num)d autres", n) % {"num": n}
        ),
        capacity=_("Capacité : %(count)s places"),
        step_free=_("Accès de plain-pied"),
        not_step_free=_("Accès non de plain-pied"),
        no_room=_("Salle à préciser"),
        track=_("Thème"),
        type=_("Type"),
        speakers=_("Intervenants"),
        room=_("Salle"),
        rooms=_("Salles"),
        more_info=_("Informations et inscription"),
        edition=_("Version du %(date)s"),
        no_session=_("Le programme n'est pas encore publié."),
        lang=language_code(str(get_locale() or "")) or SOURCE_LANGUAGE,
    )


# ------------------------------------------------------------- models → data


def event_url(event: Event, root: str | None = None) -> str:
    """The event's public address on `root` (a value `links.site_root` gave), else the site's."""
    return f"{root or site_root()}/e/{event.code}"


def session_url(event: Event, session_id: int) -> str:
    """The session's own public page (it exists whether the programme is one page or one per day)."""
    return f"{event_url(event)}/sessions/{session_id}"


def load_sessions(event: Event) -> list[ProgrammeSession]:
    """The event's sessions with rooms, tracks and speakers, in a few queries; each knows its
    event without loading it again (their texts ask it for the main language)."""
    sessions = list(db.session.scalars(sessions_query(event.id)))
    for session in sessions:
        if "event" not in session.__dict__:
            set_committed_value(session, "event", event)
    return sessions


def _room(room: Room) -> RoomData:
    return RoomData(room.id, room.name, room.capacity, room.location_notes or "", room.step_free)


def session_data(
    event: Event, session: ProgrammeSession, root: str | None = None, locale: str | None = None,
    *, rooms: dict[int, RoomData] | None = None,
) -> SessionData:
    """What the renderers need of one session; texts in `locale` where translated (else the main language).
    `rooms`: the rooms already made for earlier sessions of the same call (filled as it goes)."""
    base = f"{root or site_root()}/e/{event.code}/sessions"
    room = session.room
    room_data = None
    if room is not None:
        room_data = rooms.get(room.id) if rooms is not None else None
        if room_data is None:
            room_data = RoomData(room.id, room.localized("name", locale), room.capacity,
                                 room.localized("location_notes", locale) or "", room.step_free)
            if rooms is not None:
                rooms[room.id] = room_data
    return SessionData(
        id=session.id,
        guid=session.guid,
        title=session.localized("title", locale),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        type=session.type,
        room=room_data,
        track=TrackData(session.track.id, session.track.name, session.track.colour) if session.track else None,
        description=session.localized("description", locale) or "",
        languages=tuple(session.language_list) or tuple(event.language_list),
        cancelled=session.is_cancelled or event.status == STATUS_CANCELLED,
        sequence=session.sequence or 0,
        speakers=tuple(
            SpeakerPart(
                link.speaker_id,
                link.speaker.name,
                link.role,
                link.speaker.function or "",
                link.speaker.organisation or "",
                bool(link.speaker.or_representative),
                link.speaker.source_id or "",
                link.speaker.guid or "",
            )
            for link in session.speakers
        ),
        created_at=session.created_at,
        updated_at=session.updated_at,
        url=f"{base}/{session.id}",
        source_id=session.source_id or "",
        type_label=session.type_label or "",
        do_not_record=bool(session.do_not_record),
        links=tuple(
            LinkData(str(link.get("url", "")), str(link.get("title", "")), str(link.get("kind", "link")))
            for link in session.links or () if isinstance(link, dict)
        ),
    )


def event_data(
    event: Event,
    sessions: Iterable[ProgrammeSession] | None = None,
    locale: str | None = None,
    root: str | None = None,
) -> EventData:
    """The event and its programme as plain data; texts in `locale` where translated (else the
    main language); links on `root` (a value `links.site_root` gave), else on the site's address."""
    root = root or site_root()
    chosen = load_sessions(event) if sessions is None else list(sessions)
    rooms: dict[int, RoomData] = {}  # each room's texts looked up once, not once per session
    return EventData(
        code=event.code,
        code_display=event.code_display,
        title=event.localized("title", locale),
        subtitle=event.localized("subtitle", locale) or "",
        kind=event.kind,
        start_date=event.start_date,
        end_date=event.end_date,
        timezone=event.timezone,
        venue_name=event.venue_name or "",
        venue_address=event.venue_address or "",
        access_notes=event.localized("access_notes", locale) or "",
        contacts=event.contacts or "",
        languages=tuple(event.language_list) or ("fr",),
        url=f"{root}/e/{event.code}",
        rooms=tuple(
            RoomData(r.id, r.localized("name", locale), r.capacity, r.localized("location_notes", locale) or "",
                     r.step_free)
            for r in event.rooms
        ),  # fmt: skip
        tracks=tuple(TrackData(t.id, t.name, t.colour) for t in event.tracks),
        sessions=tuple(session_data(event, s, root, locale, rooms=rooms) for s in chosen),
    )


# ------------------------------------------------------------------ exports


def programme_calendar(event: Event, *, room: Room | None = None, track: Track | None = None,
                       speaker: Speaker | None = None, locale: str | None = None) -> bytes:
    """The whole programme as iCalendar, or the sessions of one room, theme or speaker.

    Titles, rooms and descriptions in `locale` (default: the current one) where translated.
    """
    locale = str(locale or get_locale() or "") or None
    title = event.localized("title", locale)
    with no_cycle_collection():
        sessions = load_sessions(event)
        if room is not None:
            sessions = [s for s in sessions if s.room_id == room.id]
            name = calendar_name(title, room.localized("name", locale))
        elif track is not None:
            sessions = [s for s in sessions if s.track_id == track.id]
            name = calendar_name(title, track.name)
        elif speaker is not None:
            sessions = [s for s in sessions if any(link.speaker_id == speaker.id for link in s.speakers)]
            name = calendar_name(title, speaker.name)
        else:
            name = calendar_name(title, _("Programme"))
        data = event_data(event, sessions, locale=locale)
        return build_calendar(data, data.sessions, name=name, labels=export_labels(),
                              generated_at=_stamp(event, sessions))


def common_session(session: ProgrammeSession) -> bool:
    """A session every attendee goes to: no registration asked, not a break, not cancelled.

    The same rule as the badge's printed programme (services/checkin.badge_data).
    """
    return (
        not session.requires_registration and session.type != "break" and not session.is_cancelled
    )


def agenda_ics(
    event: Event,
    sessions: Iterable[ProgrammeSession],
    *,
    name: str | None = None,
    extra: Iterable[SessionData] = (),
    include_common: bool = True,
    exclude: Iterable[int] = (),
    changed_at: datetime | None = None,
    root: str | None = None,
) -> bytes:
    """A personal agenda: the given sessions, the sessions every attendee goes to (see
    `common_session`) and `extra` items such as speed-networking rounds.

    `exclude` leaves out sessions the extra items stand for (a speed-networking session whose
    rounds are listed one by one). Works inside a request or in an app context (e-mails: the
    links then use BASE_URL).
    """
    chosen = {s.id: s for s in sessions}
    if include_common:
        for session in load_sessions(event):
            if common_session(session):
                chosen.setdefault(session.id, session)
    for session_id in exclude:
        chosen.pop(session_id, None)
    # In the reader's language (the attendee's, on their link or in their e-mail) where translated.
    locale = get_locale()
    ordered = sorted(chosen.values(), key=lambda s: (s.starts_at, s.id))
    data = event_data(event, ordered, locale=locale, root=root)
    items = [*data.sessions, *extra]
    title = name or calendar_name(data.title, _("Mon agenda"))
    stamp = _stamp(event, list(chosen.values()))
    if changed_at is not None:
        stamp = max(stamp, changed_at)
    return build_calendar(data, items, name=title, labels=export_labels(), generated_at=stamp)


def registration_agenda(registration: Registration, root: str | None = None) -> bytes:
    """One person's agenda: the sessions where they have a seat, the sessions every attendee goes
    to, and their speed-networking rounds (table, theme, facilitator) in place of the session.
    Its links are on `root` (the address of the e-mail it is attached to), else the site's."""
    from eventsys.services.networking import registration_itineraries

    event = registration.event
    locale = get_locale()
    chosen = [
        c.session for c in registration.choices
        if c.status == CHOICE_CONFIRMED and c.session is not None and c.session.event_id == event.id
    ]  # fmt: skip
    stamps = [c.updated_at for c in registration.choices if c.updated_at is not None]
    rounds: list[SessionData] = []
    replaced: list[int] = []
    for activity, participant, stops in registration_itineraries(registration):
        session = activity.session
        plan = activity.current_plan
        changed = [
            s
            for s in (activity.updated_at, plan.created_at if plan else None, session.updated_at)
            if s
        ]
        stamps += changed
        replaced.append(session.id)
        cancelled = session.is_cancelled or event.status == STATUS_CANCELLED
        for stop in stops:
            if stop.absent or stop.sitting_out:
                continue
            lines = []
            if stop.theme:
                lines.append(_("Thème : %(theme)s", theme=stop.theme))
            if stop.facilitator:
                lines.append(_("Animation : %(name)s", name=stop.facilitator))
            rounds.append(calendar_item(
                event,
                guid=f"{session.guid}-tour{stop.number}-p{participant.id}",
                title=_("%(activity)s, tour %(number)d : %(place)s",
                        activity=session.localized("title", locale), number=stop.number, place=stop.place),
                starts_at=stop.starts_at,
                ends_at=stop.ends_at,
                room_name=session.room.localized("name", locale) if session.room else "",
                description="\n".join(lines),
                sequence=_revision(changed),
                cancelled=cancelled,
                root=root,
            ))  # fmt: skip
    # A technical visit starts at its meeting point: the entry says where, how and who receives.
    for session, visit in visits.visits_for(chosen).items():
        replaced.append(session.id)
        rounds.append(calendar_item(
            event, guid=session.guid, title=session.localized("title", locale),
            starts_at=visit.meeting_at or session.starts_at, ends_at=session.ends_at,
            room_name=visit.meeting_point or (session.room.localized("name", locale) if session.room else ""),
            description="\n".join(visits.visit_lines(visit, event, str(locale or "fr"))), sequence=session.sequence,
            cancelled=session.is_cancelled or event.status == STATUS_CANCELLED, type="technical_visit",
            root=root,
        ))  # fmt: skip
    return agenda_ics(
        event,
        chosen,
        extra=rounds,
        exclude=replaced,
        changed_at=max(stamps) if stamps else None,
        name=calendar_name(event.localized("title", locale), _("Mon agenda")),
        root=root,
    )


_REVISION_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def _revision(stamps: Iterable[datetime]) -> int:
    """A SEQUENCE for items without a counter of their own: seconds since 2020 of their last
    change, so it only ever grows (RFC 5545 section 3.8.7.4; fits an int32 until 2088)."""
    latest = max(stamps, default=_REVISION_EPOCH)
    return max(0, int((latest - _REVISION_EPOCH).total_seconds()))


def _stamp(event: Event, sessions: Iterable[ProgrammeSession]) -> datetime:
    """The last change: the same feed twice is byte for byte the same, so ETags work."""
    stamps = [event.updated_at, *(s.updated_at for s in sessions)]
    return max((s for s in stamps if s is not None), default=datetime.now(UTC))


def calendar_item(event: Event, *, guid: str, title: str, starts_at: datetime, ends_at: datetime,
                  room_name: str = "", description: str = "", sequence: int = 0,
                  cancelled: bool = False, type: str = "speed_networking",
                  root: str | None = None) -> SessionData:
    """An agenda entry that is not a programme session (a speed-networking round, a table)."""
    return SessionData(
        id=0,
        guid=guid,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        type=type,
        room=RoomData(0, room_name) if room_name else None,
        description=description,
        sequence=sequence,
        cancelled=cancelled,
        url=f"{event_url(event, root)}/programme",
    )


def programme_pdf(event: Event, locale: str = "fr", second: str | None = None) -> bytes:
    """The printable programme booklet in the given language; with `second`, bilingual (the
    titles in `second` printed beneath)."""
    with force_locale(locale):
        labels = export_labels()
    with no_cycle_collection():
        other = event_data(event, locale=second) if second and second != locale else None
        return render_programme_pdf(event_data(event, locale=locale), labels=labels, locale=locale, second=other)


def schedule_xml(event: Event) -> bytes:
    return render_schedule_xml(event_data(event), labels=export_labels(),
                               schedule_url=f"{event_url(event)}/schedule.xml")


def schedule_json(event: Event) -> bytes:
    return render_schedule_json(event_data(event), labels=export_labels(),
                                schedule_url=f"{event_url(event)}/schedule.json")


def programme_csv(event: Event) -> bytes:
    return render_programme_csv(event_data(event))
