"""Importing a programme file into an event: the preview plan, the import itself, the messages.

The readers (services/importer.py, eventsys/interchange/) turn a file into plain rows; this
module decides what each row does to the event (create, update, reject), which sessions and
people it is, and then writes it through services/programme.py. Flushes, never commits.

Identity (issue 15): a row repeats another only when its source id or GUID repeats (without
ids: same title, start and room). Re-import updates the session with the same GUID, else the
same source id, else the same title, start and room. People are matched by the source's person
id when the file gives one, by name only when it does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eventsys import i18n
from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession, Room, Speaker, Track
from eventsys.render.export_data import ExportLabels, fold, local
from eventsys.render.schedule_xml import stable_uuid
from eventsys.services import clashes as clash_rules
from eventsys.services import programme
from eventsys.services.errors import ImportRejected
from eventsys.services.exports import export_labels, load_sessions
from eventsys.services.import_messages import file_error_message, issue_message
from eventsys.services.importer import WARNING, ImportRow, Issue, ParsedFile, SpeakerRef

__all__ = ["file_error_message", "issue_message"]

# --------------------------------------------------------------- import plan

CREATE, UPDATE, REJECT = "create", "update", "reject"


@dataclass
class PlannedRow:
    row: ImportRow
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    action: str = CREATE
    target_id: int | None = None

    @property
    def messages(self) -> list[tuple[str, str]]:
        return [(issue.level, issue_message(issue.code, issue.params)) for issue in self.row.issues]

    def local_span(self, tz) -> str:
        if self.starts_at is None or self.ends_at is None:
            return ""
        lang = get_locale()
        day = i18n.format_day(self.starts_at, lang, tz, "short")
        return f"{day} {i18n.time_range(self.starts_at, self.ends_at, lang, tz)}"


@dataclass
class DoubleBooking:
    """A room with sessions at the same time, as the preview lists it."""

    room: str
    clashes: int
    shared: bool = False  # marked (or already) a shared space: not a clash


@dataclass
class ImportPlan:
    kind: str
    rows: list[PlannedRow] = field(default_factory=list)
    file_issues: list[Issue] = field(default_factory=list)
    new_rooms: list[str] = field(default_factory=list)
    new_tracks: list[str] = field(default_factory=list)
    new_speakers: list[str] = field(default_factory=list)
    track_colours: dict[str, str] = field(default_factory=dict)
    shared_rooms: set[str] = field(default_factory=set)  # folded names the organiser marked shared
    double_booked: list[DoubleBooking] = field(default_factory=list)

    @property
    def file_messages(self) -> list[tuple[str, str]]:
        return [(issue.level, issue_message(issue.code, issue.params)) for issue in self.file_issues]

    @property
    def rejected(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == REJECT]

    @property
    def accepted(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action != REJECT]

    @property
    def has_errors(self) -> bool:
        return bool(self.rejected)

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.rows for i in r.row.issues if i.level == WARNING)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    rejected: int = 0
    rooms: int = 0
    tracks: int = 0
    speakers: int = 0

    def message(self) -> str:
        """What the import did, in the current language: each count agrees with its own noun."""
        return _(
            "Import terminé : %(created)s, %(updated)s, %(rejected)s ; %(rooms)s, %(speakers)s et "
            "%(tracks)s ajoutés.",
            created=ngettext("%(num)d session créée", "%(num)d sessions créées", self.created),
            updated=ngettext("%(num)d mise à jour", "%(num)d mises à jour", self.updated),
            rejected=ngettext(
                "%(num)d ligne laissée de côté", "%(num)d lignes laissées de côté", self.rejected
            ),
            rooms=ngettext("%(num)d salle", "%(num)d salles", self.rooms),
            speakers=ngettext("%(num)d intervenant·e", "%(num)d intervenant·es", self.speakers),
            tracks=ngettext("%(num)d thème", "%(num)d thèmes", self.tracks),
        )


def _fmt(day: date) -> str:
    return i18n.format_day(day, get_locale(), width="short")


def _resolve_day(row: ImportRow, event: Event, days: list[date]) -> date | None:
    spec = row.day
    if spec is None:
        if len(days) == 1:
            return days[0]
        row.error("missing_day")
        return None
    if spec.date is not None:
        return spec.date
    if spec.day_month is not None:
        for day in days:
            if (day.day, day.month) == spec.day_month:
                return day
        row.error("day_not_in_event", value=f"{spec.day_month[0]:02d}/{spec.day_month[1]:02d}",
                  start=_fmt(event.start_date), end=_fmt(event.end_date))
        return None
    if spec.index is not None and 1 <= spec.index <= len(days):
        return days[spec.index - 1]
    row.error("day_not_in_event", value=str(spec.index), start=_fmt(event.start_date), end=_fmt(event.end_date))
    return None


def _room_key(name: str) -> str:
    return fold(name)


def plan_import(event: Event, parsed: ParsedFile, *, shared_rooms: set[str] | frozenset[str] = frozenset()) -> ImportPlan:
    """What importing the parsed file would do to the event: nothing is written.

    `shared_rooms` names rooms the organiser marks as shared spaces in the preview: overlaps in
    them are not double bookings."""
    plan = ImportPlan(parsed.kind, file_issues=list(parsed.issues), track_colours=dict(parsed.track_colours))
    plan.shared_rooms = {fold(name) for name in shared_rooms}
    if parsed.timezone and parsed.timezone != event.timezone and any(r.starts_at for r in parsed.rows):
        plan.file_issues.append(
            Issue("timezone_converted", WARNING, {"source": parsed.timezone, "target": event.timezone})
        )
    days = programme.event_days(event)
    tz = event.tz
    existing = load_sessions(event)
    match = _Matcher(existing)
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple, int] = {}
    # Our own exports name a room "to be confirmed" for sessions without one: not a real room.
    no_room = {fold(ExportLabels().no_room), fold(export_labels().no_room)}
    for row in parsed.rows:
        item = PlannedRow(row)
        plan.rows.append(item)
        if row.room and fold(row.room) in no_room:
            row.room = ""
        if row.ok:
            _plan_times(item, event, days, tz)
        if not row.ok:
            item.action = REJECT
            continue
        ids = [f"guid:{row.guid}"] * bool(row.guid) + [f"ref:{row.ref}"] * bool(row.ref)
        key = (fold(row.title), item.starts_at, fold(row.room))
        repeated = next((seen_ids[i] for i in ids if i in seen_ids), None)
        if repeated is not None:
            row.error("duplicate_id", line=repeated)
        elif not ids and key in seen_keys:
            row.error("duplicate_row", line=seen_keys[key])
        if not row.ok:
            item.action = REJECT
            continue
        for i in ids:
            seen_ids[i] = row.line
        seen_keys.setdefault(key, row.line)
        target = match.session(row, key)
        if target is not None:
            item.action, item.target_id = UPDATE, target.id
    _plan_names(plan, event)
    _plan_clashes(plan, event, existing)
    return plan


class _Matcher:
    """Which existing session a row is: same GUID, else same source id, else same title, start
    and room (unless that session came from elsewhere under another id). Each session once."""

    def __init__(self, existing: list[ProgrammeSession]) -> None:
        self.by_guid = {s.guid: s for s in existing}
        self.by_source = {s.source_id: s for s in existing if s.source_id}
        self.by_key: dict[tuple, ProgrammeSession] = {}
        for s in existing:
            self.by_key.setdefault((fold(s.title), s.starts_at, fold(s.room.name) if s.room else ""), s)
        self.claimed: set[int] = set()

    def session(self, row: ImportRow, key: tuple) -> ProgrammeSession | None:
        found = self.by_guid.get(row.guid) if row.guid else None
        found = found or (self.by_source.get(row.ref) if row.ref else None)
        if found is None:
            candidate = self.by_key.get(key)
            if candidate is not None and not (row.ref and candidate.source_id and candidate.source_id != row.ref):
                found = candidate
        if found is None or found.id in self.claimed:
            return None
        self.claimed.add(found.id)
        return found


def _person_key(person: SpeakerRef) -> tuple[str, str]:
    if person.source_id:
        return ("id", person.source_id)
    return ("guid", person.guid) if person.guid else ("name", fold(person.name))


class _People:
    """Speakers of the event by the source's person id or GUID, and by name for people the file
    gives neither for.

    A person id or GUID from our own export names the speaker it was made from: it finds that
    speaker when the name agrees and the speaker came from no other tool."""

    def __init__(self, event: Event) -> None:
        speakers = list(event.speakers)
        self.by_source = {s.source_id: s for s in speakers if s.source_id}
        self.by_guid = {s.guid: s for s in speakers if s.guid}
        self.by_name: dict[str, Speaker] = {}
        for s in speakers:
            self.by_name.setdefault(fold(s.name), s)
        own = [s for s in speakers if not s.source_id and not s.guid]
        self.by_own_id = {str(s.id): s for s in own}
        self.by_own_guid = {stable_uuid(event, "person", s.id): s for s in own}

    def find(self, person: SpeakerRef) -> Speaker | None:
        if not person.source_id and not person.guid:
            return self.by_name.get(fold(person.name))
        found = (self.by_source.get(person.source_id) if person.source_id else None) or (
            self.by_guid.get(person.guid) if person.guid else None
        )
        if found is None:
            own = self.by_own_id.get(person.source_id or "") or self.by_own_guid.get(person.guid or "")
            if own is not None and fold(own.name) == fold(person.name):
                found = own
        return found

    def add(self, speaker: Speaker) -> None:
        if speaker.source_id:
            self.by_source[speaker.source_id] = speaker
        if speaker.guid:
            self.by_guid[speaker.guid] = speaker
        self.by_name.setdefault(fold(speaker.name), speaker)


def _plan_times(item: PlannedRow, event: Event, days: list[date], tz) -> None:
    row = item.row
    if row.starts_at is not None:
        item.starts_at = row.starts_at.astimezone(UTC)
        item.ends_at = row.ends_at.astimezone(UTC) if row.ends_at else None
    else:
        day = _resolve_day(row, event, days)
        if day is None or row.start is None or row.end is None:
            return
        item.starts_at = programme.local_to_utc(event, day, row.start)
        item.ends_at = programme.local_to_utc(event, day, row.end)
    if item.ends_at is None:
        return
    start_day, end_day = local(item.starts_at, tz).date(), local(item.ends_at, tz).date()
    if start_day < event.start_date or end_day > event.end_date:
        row.error("outside_event", date=_fmt(start_day if start_day < event.start_date else end_day),
                  start=_fmt(event.start_date), end=_fmt(event.end_date))


def _plan_names(plan: ImportPlan, event: Event) -> None:
    rooms = {fold(r.name) for r in event.rooms}
    tracks = {fold(t.name) for t in event.tracks}
    people = _People(event)
    seen: set[tuple[str, str]] = set()
    for item in plan.accepted:
        row = item.row
        if row.room and fold(row.room) not in rooms:
            rooms.add(fold(row.room))
            plan.new_rooms.append(row.room)
        if row.track and fold(row.track) not in tracks:
            tracks.add(fold(row.track))
            plan.new_tracks.append(row.track)
        for person in row.speakers:
            if _person_key(person) not in seen and people.find(person) is None:
                plan.new_speakers.append(person.name)
            seen.add(_person_key(person))


def _plan_clashes(plan: ImportPlan, event: Event, existing: list[ProgrammeSession]) -> None:
    """Warn about rooms and speakers booked twice, between imported rows or with the programme;
    list the rooms double-booked so the organiser may mark shared spaces in the preview."""
    room_ids = {fold(r.name): r.id for r in event.rooms}
    room_names = {r.id: r.name for r in event.rooms}
    shared = {r.id for r in event.rooms if r.shared or fold(r.name) in plan.shared_rooms}
    people = _People(event)
    person_ids: dict[tuple[str, str], int] = {}
    speaker_names = {s.id: s.name for s in event.speakers}

    def room_id(name: str) -> int:
        key = fold(name)
        if key not in room_ids:
            room_ids[key] = -(len(room_ids) + 1)
            room_names[room_ids[key]] = name
            if key in plan.shared_rooms:
                shared.add(room_ids[key])
        return room_ids[key]

    def speaker_id(person: SpeakerRef) -> int:
        found = people.find(person)
        if found is not None:
            return found.id
        key = _person_key(person)
        if key not in person_ids:
            person_ids[key] = -(len(person_ids) + 1)
            speaker_names[person_ids[key]] = person.name
        return person_ids[key]

    updated = {item.target_id for item in plan.accepted if item.target_id}
    slots, titles, planned = [], {}, {}
    for session in existing:
        if session.id in updated:
            continue
        slots.append(clash_rules.SlotData(
            id=session.id, title=session.title, type=session.type, starts_at=session.starts_at,
            ends_at=session.ends_at, room_id=session.room_id, capacity=None,
            speaker_ids=frozenset(link.speaker_id for link in session.speakers), cancelled=session.is_cancelled,
        ))  # fmt: skip
        titles[session.id] = session.title
    for item in plan.accepted:
        row = item.row
        if item.starts_at is None or item.ends_at is None:
            continue
        slot_id = -row.line
        planned[slot_id] = item
        titles[slot_id] = row.title
        slots.append(clash_rules.SlotData(
            id=slot_id, title=row.title, type=row.type, starts_at=item.starts_at, ends_at=item.ends_at,
            room_id=room_id(row.room) if row.room else None, capacity=None,
            speaker_ids=frozenset(speaker_id(p) for p in row.speakers), cancelled=row.cancelled,
        ))  # fmt: skip
    double: dict[int, int] = {}
    for clash in clash_rules.find_clashes(slots, date.min, date.max, event.tz, {}):
        if clash.kind == clash_rules.ROOM_DOUBLE_BOOKED:
            double[clash.room_id] = double.get(clash.room_id, 0) + 1
            if clash.room_id in shared:
                continue
        elif clash.kind != clash_rules.SPEAKER_DOUBLE_BOOKED:
            continue
        for mine, other in (clash.session_ids, clash.session_ids[::-1]):
            if mine not in planned:
                continue
            if clash.kind == clash_rules.ROOM_DOUBLE_BOOKED:
                planned[mine].row.warn("room_clash", room=room_names.get(clash.room_id, "?"), other=titles[other])
            else:
                planned[mine].row.warn("speaker_clash", speaker=speaker_names.get(clash.speaker_id, "?"),
                                       other=titles[other])
    plan.double_booked = [
        DoubleBooking(room_names[rid], count, rid in shared) for rid, count in double.items()
    ]
    plan.double_booked.sort(key=lambda d: fold(d.room))


# -------------------------------------------------------------- apply import


def apply_import(event: Event, plan: ImportPlan, *, accept_partial: bool = False,
                 progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Write the plan: rooms (shared spaces marked as the organiser chose), themes with their
    colours, speakers by person id or name, sessions created or updated with everything the
    source said. All or nothing, unless the organiser accepted leaving the rejected rows out.
    `progress(done, total)` is told every few rows (a background job's progress bar)."""
    if plan.has_errors and not accept_partial:
        raise ImportRejected(
            ngettext(
                "%(num)d ligne en erreur : rien n'a été importé. Corrigez le fichier, ou acceptez "
                "d'importer seulement les lignes valides.",
                "%(num)d lignes en erreur : rien n'a été importé. Corrigez le fichier, ou acceptez "
                "d'importer seulement les lignes valides.",
                len(plan.rejected),
            )
        )
    if not plan.accepted:
        raise ImportRejected(_l("Aucune ligne valide à importer."))
    writer = _Writer(event, plan)
    total = len(plan.accepted)
    with db.session.no_autoflush:
        writer.prepare(plan.accepted)  # rooms, themes and people first: one flush
        for number, item in enumerate(plan.accepted):
            if progress is not None and number % 100 == 0:
                progress(number, total)
            writer.write(item)
    db.session.flush()  # every session at once: one flush for a thousand, not one each
    programme.fill_new_seats(event, writer.changed)
    if progress is not None:
        progress(total, total)
    return writer.summary


class _Writer:
    """Writes planned rows, creating rooms, themes and speakers the first time they appear."""

    def __init__(self, event: Event, plan: ImportPlan) -> None:
        self.event, self.plan = event, plan
        self.summary = ImportSummary(rejected=len(plan.rejected))
        self.rooms = {fold(r.name): r for r in event.rooms}
        for room in event.rooms:
            if fold(room.name) in plan.shared_rooms:
                room.shared = True
        self.tracks = {fold(t.name): t for t in event.tracks}
        colours = {fold(name): hue for name, hue in plan.track_colours.items()}
        for key, track in self.tracks.items():
            if key in colours:
                track.colour = colours[key]
        self.colours = colours
        self.people = _People(event)
        self.position = max((r.position for r in event.rooms), default=0)
        self.sessions = {s.id: s for s in event.sessions}
        self.sources = {s.source_id for s in event.sessions if s.source_id}
        self.changed: list[ProgrammeSession] = []
        self.speaker_ids: set[int] = set()

    def prepare(self, items: list[PlannedRow]) -> None:
        """Create the rooms, themes and speakers the rows name, then flush once for their ids."""
        for item in items:
            self.room(item.row.room)
            self.track(item.row.track)
            for person in item.row.speakers:
                self.speaker(person)
        db.session.flush()
        self.speaker_ids = {speaker.id for speaker in self.event.speakers}

    def room(self, name: str) -> Room | None:
        if not name:
            return None
        room = self.rooms.get(fold(name))
        if room is None:
            self.position += 1
            room = Room(event=self.event, name=name, capacity=None, position=self.position,
                        shared=fold(name) in self.plan.shared_rooms, location_notes="", step_free=True)
            db.session.add(room)
            self.rooms[fold(name)] = room
            self.summary.rooms += 1
        return room

    def track(self, name: str) -> Track | None:
        if not name:
            return None
        track = self.tracks.get(fold(name))
        if track is None:
            track = Track(event=self.event, name=name)
            if fold(name) in self.colours:
                track.colour = self.colours[fold(name)]
            db.session.add(track)
            self.tracks[fold(name)] = track
            self.summary.tracks += 1
        return track

    def speaker(self, person: SpeakerRef) -> Speaker:
        speaker = self.people.find(person)
        if speaker is None:
            speaker = Speaker(event=self.event, source_id=person.source_id, guid=person.guid, name=person.name,
                              function=person.function, organisation=person.organisation, bio=person.bio,
                              or_representative=person.or_representative, email="")
            db.session.add(speaker)
            self.people.add(speaker)
            self.summary.speakers += 1
        return speaker

    def write(self, item: PlannedRow) -> None:
        row = item.row
        room, track = self.room(row.room), self.track(row.track)
        links = [(self.speaker(person).id, person.role) for person in row.speakers]
        data: dict[str, Any] = {
            "title": row.title,
            "type": row.type,
            "type_label": row.type_given,
            "room_id": room.id if room else None,
            "track_id": track.id if track else None,
            "description": row.description,
            "status": "cancelled" if row.cancelled else "scheduled",
            "links": [link.as_dict() for link in row.links],
        }
        if row.do_not_record is not None:
            data["do_not_record"] = row.do_not_record
        if row.language:
            data["languages"] = row.language
        if item.action == UPDATE and item.target_id in self.sessions:
            session = self.sessions[item.target_id]
            self.summary.updated += 1
        else:
            session = ProgrammeSession()
            if row.guid:
                session.guid = row.guid
            self.summary.created += 1
        if row.ref and not session.source_id and row.ref not in self.sources:
            session.source_id = row.ref
            self.sources.add(row.ref)
        if programme.stage_session(self.event, session, data, item.starts_at, item.ends_at, speakers=links,
                                   speaker_ids=self.speaker_ids):
            self.changed.append(session)
