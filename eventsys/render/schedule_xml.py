"""Schedule XML and schedule JSON ("frab"/c3voc formats) read by Giggity, EventFahrplan, ConfClerk.

Pure: plain data in, bytes out. The XML validates against shared/formats/schedule.xml.xsd and the
JSON against shared/formats/schema.json (tests check both). Cancelled sessions are left out:
these formats have no way to say "cancelled", and apps would show them as happening.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from eventsys.render.export_data import (
    EventData,
    ExportLabels,
    SessionData,
    SpeakerPart,
    live_sessions,
    local,
    slugify,
)

GENERATOR = "eventsys"
GENERATOR_VERSION = "0.1"
SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
TIMESLOT = "00:05"


def acronym(event: EventData) -> str:
    """Lower-case code, at least four characters of [a-z0-9_] as both schemas ask."""
    code = "".join(c for c in event.code.lower() if c.isascii() and (c.isalnum() or c == "_"))
    return code.ljust(4, "_")


def stable_uuid(event: EventData, kind: str, key: object) -> str:
    """A UUID that stays the same across exports for the same room or person of the event."""
    return _uuid5(f"eventsys:{event.code}:{kind}:{key}")


@lru_cache(maxsize=4096)
def _uuid5(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def schedule_version(event: EventData) -> str:
    """Changes whenever a session changes: apps use it to know they must reload."""
    stamps = [s.updated_at for s in event.sessions if s.updated_at]
    if not stamps:
        return "1.0"
    latest = max(stamps).astimezone(UTC)
    return f"{latest:%Y-%m-%d %H:%M:%S}+{sum(s.sequence for s in event.sessions)}"


def _duration(session: SessionData) -> str:
    minutes = max(0, int((session.ends_at - session.starts_at).total_seconds() // 60))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _slug(event: EventData, session: SessionData) -> str:
    return f"{acronym(event)}-{session.id}-{slugify(session.title, 50) or 'session'}"


def _day_bounds(day: date, event: EventData) -> tuple[datetime, datetime]:
    tz = event.tz
    return datetime.combine(day, time(0, 0), tzinfo=tz), datetime.combine(day, time(23, 59, 59), tzinfo=tz)


def _grouped(event: EventData, labels: ExportLabels) -> list[tuple[int, date, list[tuple[str, str, list[SessionData]]]]]:
    """Days (index, date), each with its rooms (name, guid) and their sessions in time order."""
    tz = event.tz
    by_day: dict[date, dict[object, list[SessionData]]] = defaultdict(lambda: defaultdict(list))
    for session in live_sessions(event.sessions):
        by_day[local(session.starts_at, tz).date()][session.room.id if session.room else None].append(session)
    days = sorted(set(event.days) | set(by_day))
    room_order = {room.id: index for index, room in enumerate(event.rooms)}
    names = {room.id: room.name for room in event.rooms}
    for session in event.sessions:
        if session.room:
            names.setdefault(session.room.id, session.room.name)
    result = []
    for index, day in enumerate(days, start=1):
        rooms = []
        for room_id in sorted(by_day.get(day, {}), key=lambda r: (r is None, room_order.get(r, 10**6), str(r))):
            name = names[room_id] if room_id is not None else labels.no_room
            rooms.append((name, stable_uuid(event, "room", room_id or "none"), by_day[day][room_id]))
        result.append((index, day, rooms))
    return result


_NUMBER = re.compile(r"[1-9][0-9]{0,9}")
_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def event_ids(event: EventData) -> dict[int, int]:
    """The id each session carries in the file: the id it had in the tool it was imported from
    when that is a number (so a programme round-trips with its ids), else our own. Ids stay
    unique: a session of ours whose id another session took as its source id is numbered apart."""
    taken: dict[int, int] = {}
    for session in event.sessions:
        if _NUMBER.fullmatch(session.source_id or "") and int(session.source_id) not in taken:
            taken[int(session.source_id)] = session.id
    ids = {owner: number for number, owner in taken.items()}
    for session in event.sessions:
        if session.id not in ids:
            number = session.id
            while number in taken:
                number += 1_000_000
            taken[number] = session.id
            ids[session.id] = number
    return ids


def person_id(part: SpeakerPart) -> int:
    """A person's id in the file: their id in the source tool when a number, else ours."""
    return int(part.source_id) if _NUMBER.fullmatch(part.source_id or "") else part.speaker_id


def person_guid(event: EventData, part: SpeakerPart) -> str:
    """The source's GUID for the person when it gave one, else one stable for the event."""
    if _UUID.fullmatch(part.guid or ""):
        return part.guid.lower()
    return stable_uuid(event, "person", part.speaker_id)


def type_label(session: SessionData) -> str:
    """The type as the source named it ("Concert"), else our code."""
    return session.type_label or session.type


def _session_url(event: EventData, session: SessionData) -> str:
    return session.url or event.url


def _language(session: SessionData, event: EventData) -> str:
    return (session.languages or event.languages or ("fr",))[0]


# ------------------------------------------------------------------------ XML


def _attrs(attrs: dict[str, str | None]) -> str:
    return "".join(f" {name}={quoteattr(value)}" for name, value in attrs.items() if value is not None)


def _el(out: list[str], depth: int, tag: str, text: str | None = None, **attrs: str | None) -> None:
    """One element on its own line; written as text because ElementTree's serialiser is the slow
    part of a thousand-session schedule."""
    pad = "  " * depth
    if text:
        out.append(f"{pad}<{tag}{_attrs(attrs)}>{escape(_clean(text))}</{tag}>")
    else:
        out.append(f"{pad}<{tag}{_attrs(attrs)} />")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """XML 1.0 cannot carry control characters: drop them."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def render_schedule_xml(event: EventData, *, labels: ExportLabels | None = None, schedule_url: str = "") -> bytes:
    """The programme as schedule XML (UTF-8 bytes)."""
    labels = labels or ExportLabels()
    tz = event.tz
    ids = event_ids(event)
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<schedule>"]
    _el(out, 1, "generator", name=GENERATOR, version=GENERATOR_VERSION)
    if schedule_url.startswith(("http://", "https://")):
        _el(out, 1, "url", schedule_url)
    _el(out, 1, "version", schedule_version(event))
    out.append("  <conference>")
    _el(out, 2, "acronym", acronym(event))
    _el(out, 2, "title", event.title)
    _el(out, 2, "start", event.start_date.isoformat())
    _el(out, 2, "end", event.end_date.isoformat())
    _el(out, 2, "days", str(len(event.days)))
    _el(out, 2, "timeslot_duration", TIMESLOT)
    if event.url.startswith(("http://", "https://")):
        _el(out, 2, "base_url", event.url)
        _el(out, 2, "url", event.url)
    _el(out, 2, "time_zone_name", event.timezone)
    for track in event.tracks:
        colour = track.colour.lower() if re.fullmatch(r"#[0-9a-fA-F]{6}", track.colour or "") else None
        _el(out, 2, "track", track.name, name=track.name, color=colour, slug=_track_slug(track.name, track.id))
    out.append("  </conference>")
    for index, day, rooms in _grouped(event, labels):
        start, end = _day_bounds(day, event)
        out.append(f"  <day{_attrs({'date': day.isoformat(), 'index': str(index), 'start': start.isoformat(), 'end': end.isoformat()})}>")
        for room_name, room_guid, sessions in rooms:
            out.append(f"    <room{_attrs({'name': room_name, 'guid': room_guid})}>")
            for session in sessions:
                starts = local(session.starts_at, tz)
                out.append(f"      <event{_attrs({'id': str(ids[session.id]), 'guid': session.guid})}>")
                _el(out, 4, "room", room_name)
                _el(out, 4, "title", session.title)
                _el(out, 4, "subtitle", "")
                _el(out, 4, "type", type_label(session))
                _el(out, 4, "date", starts.isoformat())
                _el(out, 4, "start", starts.strftime("%H:%M"))
                _el(out, 4, "duration", _duration(session))
                _el(out, 4, "abstract", session.description)
                _el(out, 4, "slug", _slug(event, session))
                _el(out, 4, "track", session.track.name if session.track else "")
                _el(out, 4, "language", _language(session, event))
                if session.speakers:
                    out.append("        <persons>")
                    for part in session.speakers:
                        _el(out, 5, "person", part.name, id=str(person_id(part)), guid=person_guid(event, part))
                    out.append("        </persons>")
                else:
                    _el(out, 4, "persons")
                out.append("        <recording>")
                _el(out, 5, "license", "")
                _el(out, 5, "optout", "true" if session.do_not_record else "false")
                out.append("        </recording>")
                _links_xml(out, session)
                url = _session_url(event, session)
                if url.startswith(("http://", "https://")):
                    _el(out, 4, "url", url)
                out.append("      </event>")
            out.append("    </room>")
        out.append("  </day>")
    out.append("</schedule>\n")
    return "\n".join(out).encode("utf-8")


def _links_xml(out: list[str], session: SessionData) -> None:
    for kind, tag in (("link", "links"), ("attachment", "attachments")):
        chosen = [link for link in session.links if link.kind == kind]
        if not chosen:
            continue
        out.append(f"        <{tag}>")
        for link in chosen:
            _el(out, 5, kind, link.title or link.url, href=link.url)
        out.append(f"        </{tag}>")


def _track_slug(name: str, track_id: int) -> str:
    slug = slugify(name, 40)
    return slug if slug and slug[0].isalpha() and len(slug) >= 2 else f"track-{track_id}"


# ------------------------------------------------------------------------ JSON


def schedule_dict(event: EventData, *, labels: ExportLabels | None = None, schedule_url: str = "") -> dict:
    """The programme as a schedule.json document (a dict ready for json.dumps)."""
    labels = labels or ExportLabels()
    tz = event.tz
    ids = event_ids(event)
    days = []
    for index, day, rooms in _grouped(event, labels):
        start, end = _day_bounds(day, event)
        day_rooms: dict[str, list[dict]] = {}
        for room_name, _guid, sessions in rooms:
            day_rooms[room_name] = [_json_event(event, session, room_name, tz, ids[session.id]) for session in sessions]
        days.append({"index": index, "date": day.isoformat(), "day_start": start.isoformat(),
                     "day_end": end.isoformat(), "rooms": day_rooms})
    room_names = [(room.name, room.id, room.capacity, room.location_notes) for room in event.rooms]
    if any(not s.room for s in event.sessions if not s.cancelled):
        room_names.append((labels.no_room, None, None, ""))
    conference = {
        "acronym": acronym(event),
        "title": event.title,
        "start": event.start_date.isoformat(),
        "end": event.end_date.isoformat(),
        "daysCount": len(event.days),
        "timeslot_duration": TIMESLOT,
        "time_zone_name": event.timezone,
        "rooms": [
            {"name": name, "guid": stable_uuid(event, "room", room_id or "none"),
             "capacity": capacity, "description": notes or None}
            for name, room_id, capacity, notes in room_names
        ],
        "tracks": [
            {"name": t.name, "slug": _track_slug(t.name, t.id), "color": t.colour} for t in event.tracks
        ],
        "days": days,
    }
    if event.url.startswith(("http://", "https://")):
        conference["url"] = event.url
    if event.subtitle:
        conference["description"] = event.subtitle
    schedule: dict = {"version": schedule_version(event), "conference": conference}
    if event.url.startswith(("http://", "https://")):
        schedule["base_url"] = event.url
    document: dict = {"$schema": SCHEMA_URL, "generator": {"name": GENERATOR, "version": GENERATOR_VERSION}}
    if schedule_url.startswith(("http://", "https://")):
        document["generator"]["url"] = schedule_url
    document["schedule"] = schedule
    return document


def _json_event(event: EventData, session: SessionData, room_name: str, tz, number: int) -> dict:
    starts = local(session.starts_at, tz)
    return {
        "guid": session.guid,
        "id": number,
        "date": starts.isoformat(),
        "start": starts.strftime("%H:%M"),
        "end": local(session.ends_at, tz).isoformat(),
        "duration": _duration(session),
        "room": room_name,
        "slug": _slug(event, session),
        "url": _session_url(event, session),
        "title": session.title,
        "subtitle": "",
        "track": session.track.name if session.track else None,
        "type": type_label(session),
        "language": _language(session, event),
        "abstract": session.description,
        "description": "",
        "recording_license": "",
        "do_not_record": session.do_not_record,
        "persons": [
            # name (pretalx style) without a numeric id: the schema's oneOf then matches exactly one
            # person kind; public_name is kept for older readers.
            {"name": p.name, "public_name": p.name, "guid": person_guid(event, p)}
            for p in session.speakers
        ],
        "links": [{"url": link.url, "title": link.title or link.url} for link in session.links if link.kind == "link"],
        "attachments": [
            {"url": link.url, "title": link.title or link.url} for link in session.links if link.kind == "attachment"
        ],
    }


def render_schedule_json(event: EventData, *, labels: ExportLabels | None = None, schedule_url: str = "") -> bytes:
    """The programme as schedule.json (UTF-8 bytes)."""
    document = schedule_dict(event, labels=labels, schedule_url=schedule_url)
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")

