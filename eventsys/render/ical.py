"""iCalendar feeds (RFC 5545) built from plain data. Pure: no flask, no database.

One VTIMEZONE per TZID with the full IANA name, stable UIDs (the session GUID), SEQUENCE
raised on every change, STATUS:CANCELLED, LOCATION with room and venue, DESCRIPTION with
speakers and their roles, URL back to the session.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone

from eventsys.i18n import label_colon, label_value
from eventsys.render.export_data import EventData, ExportLabels, SessionData, speaker_line
from eventsys.richtext import to_plain

PRODID = "-//eventsys//programme//FR"


def _zone(name: str) -> ZoneInfo | None:
    """The event's zone, or None for UTC (written as Z times, no VTIMEZONE needed)."""
    return None if name in ("UTC", "Etc/UTC") else ZoneInfo(name)


def location(session: SessionData, event: EventData) -> str:
    """'Salle A, Hôtel de région, 1 place …': where to go."""
    parts = [session.room.name] if session.room else []
    if event.venue_line:
        parts.append(event.venue_line)
    return ", ".join(parts)


def description(session: SessionData, labels: ExportLabels) -> str:
    """Type and theme, the abstract, then who speaks and in which role."""
    lines = [labels.type_labels.get(session.type, session.type)]
    if session.track:
        lines[0] += f" · {label_value(labels.track, session.track.name, labels.lang)}"
    abstract = to_plain(session.description)
    if abstract:
        lines += ["", abstract]
    if session.speakers:
        lines += ["", label_colon(labels.speakers, labels.lang)]
        lines += [f"- {speaker_line(part, labels)}" for part in session.speakers]
    if session.url:
        lines += ["", session.url]
    return "\n".join(lines)


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 section 3.3.11 asks (chained replaces: str.translate with
    a table of strings is ten times slower on a description)."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n").replace("\r", "")
    )


# The longest piece of at most 75 (then 74) octets that does not end inside a UTF-8 sequence.
_FIRST_PIECE = re.compile(rb"^.{1,75}(?![\x80-\xbf])", re.DOTALL)
_NEXT_PIECES = re.compile(rb".{1,74}(?![\x80-\xbf])", re.DOTALL)


def _fold(line: str) -> bytes:
    """A content line folded at 75 octets, never inside a UTF-8 sequence (RFC 5545 section 3.1);
    continuation lines start with a space, so they hold 74 octets of the value."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return raw
    first = _FIRST_PIECE.match(raw).end()
    return b"\r\n ".join([raw[:first], *_NEXT_PIECES.findall(raw, first)])


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: datetime, zone: ZoneInfo | None) -> str:
    if zone is None:
        return f"{name}:{_utc(value)}"
    return f"{name};TZID={zone.key}:{value.astimezone(zone).strftime('%Y%m%dT%H%M%S')}"


class _Times:
    """DTSTART/DTEND and UTC stamps of one feed, each distinct time formatted once (sessions of
    a programme share their start and end times, imports their creation time)."""

    def __init__(self, zone: ZoneInfo | None) -> None:
        self.zone = zone
        self.known: dict[tuple[str, datetime], str] = {}

    def when(self, name: str, value: datetime) -> str:
        key = (name, value)
        text = self.known.get(key)
        if text is None:
            text = self.known[key] = _when(name, value, self.zone)
        return text

    def utc(self, value: datetime) -> str:
        key = ("", value)
        text = self.known.get(key)
        if text is None:
            text = self.known[key] = _utc(value)
        return text


def _vevent(session: SessionData, event: EventData, labels: ExportLabels, times: _Times,
            stamp: str, cancelled_prefix: str) -> list[str]:
    # Written line by line rather than through icalendar's component model: a thousand-session
    # feed then builds in a fraction of the time; both icalendar and vobject parse it in the tests.
    cancelled = session.cancelled
    summary = f"{cancelled_prefix}{session.title}" if cancelled else session.title
    categories = [labels.type_labels.get(session.type, session.type)]
    if session.track:
        categories.append(session.track.name)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(session.guid)}",
        f"DTSTAMP:{stamp}",
        times.when("DTSTART", session.starts_at),
        times.when("DTEND", session.ends_at),
        f"SUMMARY:{_text(summary)}",
        f"SEQUENCE:{int(session.sequence)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"TRANSP:{'TRANSPARENT' if cancelled else 'OPAQUE'}",
    ]
    where = location(session, event)
    if where:
        lines.append(f"LOCATION:{_text(where)}")
    lines.append(f"DESCRIPTION:{_text(description(session, labels))}")
    lines.append("CATEGORIES:" + ",".join(_text(c) for c in categories))
    if session.url:
        lines.append(f"URL;VALUE=URI:{session.url}")
    if session.created_at:
        lines.append(f"CREATED:{times.utc(session.created_at)}")
    if session.updated_at:
        lines.append(f"LAST-MODIFIED:{times.utc(session.updated_at)}")
    lines.append("END:VEVENT")
    return lines


def build_calendar(
    event: EventData,
    sessions: Iterable[SessionData],
    *,
    name: str,
    labels: ExportLabels | None = None,
    generated_at: datetime | None = None,
    refresh_minutes: int = 60,
) -> bytes:
    """A complete VCALENDAR for the given sessions of one event, as bytes (UTF-8, CRLF)."""
    labels = labels or ExportLabels()
    stamp = _utc(generated_at or datetime.now(UTC))
    zone = _zone(event.timezone)
    chosen = sorted(sessions, key=lambda s: (s.starts_at, s.id))

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", event.timezone)
    calendar.add("refresh-interval", timedelta(minutes=refresh_minutes), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", f"PT{refresh_minutes}M")
    if event.url:
        calendar.add("url", event.url, parameters={"VALUE": "URI"})
    if zone is not None:
        # Transitions one year either side of the event: small, and right for every session.
        first = min([event.start_date, *(s.starts_at.date() for s in chosen)]) - timedelta(days=366)
        last = max([event.end_date, *(s.ends_at.date() for s in chosen)]) + timedelta(days=366)
        calendar.add_component(
            Timezone.from_tzid(event.timezone, first_date=date(first.year, 1, 1), last_date=last)
        )
    head = calendar.to_ical()
    closing = b"END:VCALENDAR\r\n"
    if not head.endswith(closing):  # pragma: no cover - icalendar always ends this way
        raise RuntimeError("unexpected calendar serialisation")
    cancelled_prefix = f"{label_colon(labels.cancelled.upper(), labels.lang)} "
    times = _Times(zone)
    body = [
        _fold(line)
        for session in chosen
        for line in _vevent(session, event, labels, times, stamp, cancelled_prefix)
    ]
    if not body:
        return head
    return head[: -len(closing)] + b"\r\n".join(body) + b"\r\n" + closing


def calendar_name(*parts: str) -> str:
    """'Programme – Journée AICT – Salle A' from the non-empty parts."""
    return " – ".join(p for p in parts if p)

