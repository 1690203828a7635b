"""Schedule files from other tools: frab/pentabarf/pretalx schedule XML and schedule JSON.

Everything the file says about a session is kept: its id and GUID, the original type label,
track colours, links and attachments, the recording opt-out, its language, and each person's
id and role. Descriptions and abstracts may be HTML: kept to richtext's safe subset.
Pure: no flask, no database. XML is read by a parser that refuses entity tricks.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError  # noqa: S405 - types only; parsing uses defusedxml
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from eventsys import richtext
from eventsys.interchange.rows import (
    LINKS_MAX,
    NAME_MAX,
    ROOM_MAX,
    TITLE_MAX,
    WARNING,
    DaySpec,
    ImportFileError,
    ImportRow,
    Issue,
    ParsedFile,
    SpeakerRef,
    colour,
    flag,
    source_id,
    web_link,
)
from eventsys.interchange.values import (
    cell_text,
    duration_minutes,
    parse_day_text,
    parse_time,
    role_of,
    set_type,
)
from eventsys.services import safe_read

_GUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def _zone(name: str | None, parsed: ParsedFile) -> ZoneInfo | None:
    if not name:
        return None
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        parsed.issues.append(Issue("timezone_unknown", WARNING, {"value": name[:60]}))
        return None
    parsed.timezone = name
    return zone


def _instant(text: str, zone: ZoneInfo | None) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None and zone is not None:
        value = value.replace(tzinfo=zone)
    return value


def rich_description(row: ImportRow, parts: list[str]) -> None:
    """Subtitle, abstract and description joined; HTML kept to the safe subset (with a warning
    when scripts, styles or script links were removed), plain text kept as it is."""
    texts = []
    for part in parts:
        text = cell_text(part)
        if text and text not in texts:
            texts.append(text)
    if any(richtext.has_unsafe_markup(text) for text in texts):
        row.warn("unsafe_html_removed")
    if any(richtext.is_html(text) for text in texts):
        joined = "".join(t if richtext.is_html(t) else richtext.plain_to_html(t) for t in texts)
        row.description = richtext.sanitize(joined)
    else:
        row.description = "\n\n".join(texts)


def _times(row: ImportRow, item: dict[str, Any], day_date: str, zone: ZoneInfo | None) -> None:
    starts = _instant(cell_text(item.get("date")), zone)
    if starts is None and cell_text(item.get("date")):
        row.error("bad_date", value=cell_text(item.get("date"))[:40])
    if starts is None and day_date and parse_time(item.get("start")):
        day = parse_day_text(day_date)
        if day and day.date:
            starts = datetime.combine(day.date, parse_time(item.get("start")))
            if zone is not None:
                starts = starts.replace(tzinfo=zone)
    if starts is None and row.ok:
        row.error("missing_start")
    ends = _instant(cell_text(item.get("end")), zone) if cell_text(item.get("end")) else None
    if ends is None and starts is not None:
        minutes = duration_minutes(cell_text(item.get("duration")))
        if minutes is None:
            row.error("bad_duration", value=cell_text(item.get("duration"))[:40])
        else:
            ends = starts + timedelta(minutes=minutes)
    if starts is not None and ends is not None and ends <= starts:
        row.error("zero_duration")
    if starts is not None:
        if starts.tzinfo is None:
            row.day, row.start = DaySpec(date=starts.date()), starts.time()
            row.end = ends.time() if ends else None
        else:
            row.starts_at, row.ends_at = starts, ends


def _people(row: ImportRow, persons: Any) -> None:
    for person in persons if isinstance(persons, list) else []:
        if isinstance(person, dict):
            name = cell_text(person.get("name") or person.get("public_name") or person.get("full_public_name"))
            bio = cell_text(person.get("biography"))
            ref = source_id(person.get("id") or person.get("code"))
            guid = cell_text(person.get("guid")).lower()
            role = role_of(cell_text(person.get("role")))
        else:
            name, bio, ref, guid, role = cell_text(person), "", "", "", "speaker"
        if name:
            row.speakers.append(SpeakerRef(name[:NAME_MAX], role=role, bio=bio, source_id=ref or None,
                                           guid=guid if _GUID.fullmatch(guid) else None))


def _links(row: ImportRow, item: dict[str, Any], base: str) -> None:
    """Links and attachments with a web address (relative ones resolved against the file's base URL)."""
    dropped = 0
    for key, kind in (("links", "link"), ("attachments", "attachment")):
        for entry in item.get(key) or []:
            if not isinstance(entry, dict):
                dropped += 1
                continue
            url = cell_text(entry.get("url") or entry.get("href"))
            if url.startswith("/") and not url.startswith("//") and base:
                url = urljoin(base, url)
            link = web_link(url, entry.get("title"), kind)
            if link is None or len(row.links) >= LINKS_MAX:
                dropped += 1
            else:
                row.links.append(link)
    if dropped:
        row.warn("links_ignored", count=dropped)


def schedule_row(line: int, item: dict[str, Any], room_name: str, day_date: str, zone: ZoneInfo | None,
                 base: str = "") -> ImportRow:
    """One event of a schedule file (XML or JSON, already turned into a dict)."""
    row = ImportRow(line=line, ref=source_id(item.get("id")) or source_id(item.get("code")))
    row.title = cell_text(item.get("title"))
    if not row.title:
        row.error("missing_title")
    elif len(row.title) > TITLE_MAX:
        row.warn("title_truncated", limit=TITLE_MAX)
        row.title = row.title[:TITLE_MAX]
    guid = cell_text(item.get("guid"))
    row.guid = guid.lower() if _GUID.fullmatch(guid) else None
    _times(row, item, day_date, zone)
    row.room = (cell_text(item.get("room")) or room_name)[:ROOM_MAX]
    if not row.room:
        row.warn("missing_room")
    set_type(row, cell_text(item.get("type")))
    row.track = cell_text(item.get("track"))[:120]
    rich_description(row, [item.get(key) for key in ("subtitle", "abstract", "description")])
    language = cell_text(item.get("language")).lower()
    row.language = language if re.fullmatch(r"[a-z]{2}", language) else None
    _people(row, item.get("persons"))
    _links(row, item, base)
    row.do_not_record = flag(item.get("do_not_record"))
    return row


def _base(value: Any) -> str:
    text = cell_text(value)
    return text if web_link(text) else ""


def parse_schedule_xml(data: bytes) -> ParsedFile:
    """A schedule XML (frab, pentabarf, pretalx, wafer…)."""
    parsed = ParsedFile("xml")
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise ImportFileError("xml_entities") from exc
    except ParseError as exc:
        root = _reparse_latin(data, exc, parsed)
    if root.tag != "schedule":
        raise ImportFileError("xml_not_schedule")
    conference = root.find("conference")
    zone, base = None, ""
    if conference is not None:
        base = _base(conference.findtext("base_url"))
        parsed.title = cell_text(conference.findtext("title")) or None
        zone = _zone(cell_text(conference.findtext("time_zone_name")), parsed)
        for track in conference.findall("track"):
            name, hue = cell_text(track.get("name") or track.text), colour(track.get("color"))
            if name and hue:
                parsed.track_colours[name] = hue
    line = 0
    for day in root.findall("day"):
        for room in day.findall("room"):
            for event in room.findall("event"):
                line += 1
                parsed.rows.append(
                    schedule_row(line, _xml_item(event), room.get("name", ""), day.get("date", ""), zone, base)
                )
    return parsed


def _reparse_latin(data: bytes, error: ParseError, parsed: ParsedFile) -> Element:
    """Files that say UTF-8 but were saved in Windows-1252: read them as such, with a warning."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        text = re.sub(r"^<\?xml[^>]*\?>", '<?xml version="1.0"?>', text.lstrip("\ufeff"))
        try:
            root = SafeET.fromstring(text.encode("utf-8"))
        except DefusedXmlException as exc:
            raise ImportFileError("xml_entities") from exc
        except ParseError:
            pass
        else:
            parsed.issues.append(Issue("encoding_fallback", WARNING, {"encoding": "Windows-1252"}))
            return root
    line = error.position[0] if getattr(error, "position", None) else 0
    raise ImportFileError("xml_invalid", line=line) from error


def _xml_item(event: Element) -> dict[str, Any]:
    item: dict[str, Any] = {"id": event.get("id") or event.get("code"), "guid": event.get("guid")}
    for key in ("date", "start", "end", "duration", "room", "title", "subtitle", "track", "type",
                "language", "abstract", "description"):
        item[key] = event.findtext(key) or ""
    item["persons"] = [
        {"name": p.text or "", "id": p.get("id"), "guid": p.get("guid"), "role": p.get("role") or ""}
        for p in event.findall("persons/person")
    ]
    item["links"] = [{"url": a.get("href"), "title": a.text} for a in event.findall("links/link")]
    item["attachments"] = [{"url": a.get("href"), "title": a.text} for a in event.findall("attachments/attachment")]
    optout = event.find("recording/optout")
    item["do_not_record"] = optout.text if optout is not None else None
    return item


def parse_schedule_json(data: bytes) -> ParsedFile:
    """A schedule.json (pretalx, frab)."""
    parsed = ParsedFile("json")
    document = safe_read.load_json(data)
    schedule = document.get("schedule") if isinstance(document, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    days = conference.get("days") if isinstance(conference, dict) else None
    if not isinstance(days, list):
        raise ImportFileError("json_not_schedule")
    parsed.title = cell_text(conference.get("title")) or None
    zone = _zone(cell_text(conference.get("time_zone_name")), parsed)
    base = _base(schedule.get("base_url") or conference.get("base_url"))
    for track in conference.get("tracks") or []:
        if isinstance(track, dict) and cell_text(track.get("name")) and colour(track.get("color")):
            parsed.track_colours[cell_text(track.get("name"))] = colour(track.get("color"))
    line = 0
    for day in days:
        rooms = day.get("rooms") if isinstance(day, dict) else None
        if not isinstance(rooms, dict):
            continue
        for room_name, events in rooms.items():
            for item in events if isinstance(events, list) else []:
                line += 1
                if not isinstance(item, dict):
                    row = ImportRow(line=line)
                    row.error("missing_title")
                    parsed.rows.append(row)
                    continue
                parsed.rows.append(
                    schedule_row(line, item, cell_text(room_name), cell_text(day.get("date")), zone, base)
                )
    return parsed
