"""Calendar files (.ics) from other tools, read into programme rows.

One row per VEVENT: DTSTART with DTEND or DURATION; a TZID with or without its VTIMEZONE block
(a French calendar giving only `TZID=Europe/Paris` lands at the right wall-clock time), UTC, or
floating times (read in the event's zone); LOCATION → room, CATEGORIES → theme, DESCRIPTION,
URL → link, UID → source id, STATUS:CANCELLED. A recurring event is expanded within the event's
days (`window`); without a window, a series longer than MAX_OCCURRENCES is refused with a message.
Pure: no flask, no database.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rrulestr
from icalendar import Calendar

from eventsys.interchange.rows import (
    ROOM_MAX,
    TITLE_MAX,
    WARNING,
    DaySpec,
    ImportFileError,
    ImportRow,
    Issue,
    ParsedFile,
    source_id,
    web_link,
)
from eventsys.interchange.schedule import rich_description
from eventsys.interchange.values import cell_text, set_type

MAX_OCCURRENCES = 366  # a daily series for a year: more is not a conference programme
_GUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def parse_ics(text: str, *, window: tuple[date, date] | None = None, max_rows: int = 5000) -> ParsedFile:
    """Every VEVENT of the calendar as a row; raises ImportFileError when it is not a calendar."""
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise ImportFileError("ics_invalid") from exc
    parsed = ParsedFile("ics")
    parsed.title = cell_text(calendar.get("X-WR-CALNAME")) or None
    events = list(calendar.walk("VEVENT"))
    if len(events) > max_rows:
        raise ImportFileError("too_many_rows", limit=max_rows)
    # RECURRENCE-ID entries replace one occurrence of their series.
    overrides = {
        (cell_text(e.get("UID")), _instant(e, "RECURRENCE-ID")): e for e in events if e.get("RECURRENCE-ID")
    }
    zones: set[str] = set()
    line = 0
    for event in events:
        if event.get("RECURRENCE-ID"):
            continue
        line += 1
        if event.get("RRULE"):
            parsed.rows.extend(_series(line, event, overrides, window, zones))
        else:
            parsed.rows.append(_row(line, event, None, zones))
        if len(parsed.rows) > max_rows:
            raise ImportFileError("too_many_rows", limit=max_rows)
    if len(zones) > 1:
        parsed.issues.append(Issue("timezones_mixed", WARNING, {"zones": ", ".join(sorted(zones))}))
    if zones:
        parsed.timezone = sorted(zones)[0] if len(zones) == 1 else None
    return parsed


def _instant(event: Any, name: str) -> datetime | date | None:
    try:
        return event.decoded(name)
    except (KeyError, ValueError):
        return None


def _row(line: int, event: Any, occurrence: datetime | None, zones: set[str]) -> ImportRow:
    uid = cell_text(event.get("UID"))
    row = ImportRow(line=line)
    row.title = cell_text(event.get("SUMMARY"))
    if not row.title:
        row.error("missing_title")
    elif len(row.title) > TITLE_MAX:
        row.warn("title_truncated", limit=TITLE_MAX)
        row.title = row.title[:TITLE_MAX]
    if occurrence is None:
        row.ref = source_id(uid)
        row.guid = uid.lower() if _GUID.fullmatch(uid) else None
    else:  # each occurrence of a series is a session of its own
        row.ref = source_id(f"{uid}@{occurrence.strftime('%Y%m%dT%H%M')}")
    _times(row, event, occurrence, zones)
    row.room = cell_text(event.get("LOCATION")).split("\n")[0][:ROOM_MAX]
    if not row.room:
        row.warn("missing_room")
    categories = _categories(event)
    row.track = categories[0][:120] if categories else ""
    set_type(row, cell_text(event.get("X-EVENTSYS-TYPE") or ""))
    alternative = event.get("X-ALT-DESC")
    html = cell_text(alternative) if getattr(alternative, "params", {}).get("FMTTYPE") == "text/html" else ""
    rich_description(row, [html or event.get("DESCRIPTION")])
    link = web_link(cell_text(event.get("URL")))
    if link is not None:
        row.links.append(link)
    row.cancelled = cell_text(event.get("STATUS")).upper() == "CANCELLED"
    return row


def _categories(event: Any) -> list[str]:
    value = event.get("CATEGORIES")
    items = value if isinstance(value, list) else [value] if value is not None else []
    names = []
    for item in items:
        names += [cell_text(c) for c in getattr(item, "cats", [item]) if cell_text(c)]
    return names


def _times(row: ImportRow, event: Any, occurrence: datetime | None, zones: set[str]) -> None:
    starts = occurrence or _instant(event, "DTSTART")
    if starts is None:
        row.error("missing_start")
        return
    if not isinstance(starts, datetime):
        row.error("all_day", date=starts.isoformat())
        return
    first = _instant(event, "DTSTART")
    ends = _instant(event, "DTEND")
    if isinstance(ends, datetime) and isinstance(first, datetime):
        length = ends - first
    else:
        length = _instant(event, "DURATION") if event.get("DURATION") else timedelta(0)
    if not isinstance(length, timedelta) or length <= timedelta(0):
        row.error("zero_duration")
        return
    ends = starts + length
    tzid = event["DTSTART"].params.get("TZID") if event.get("DTSTART") is not None else None
    if starts.tzinfo is None:
        if tzid:
            row.warn("timezone_unknown", value=str(tzid)[:60])
        # floating time (or a zone nobody knows): the wall clock, read in the event's zone
        row.day, row.start, row.end = DaySpec(date=starts.date()), starts.time(), ends.time()
        if ends.date() != starts.date() and ends.time() != time(0):
            row.error("spans_midnight")
        return
    zones.add(_zone_name(starts, tzid))
    row.starts_at, row.ends_at = starts, ends


def _zone_name(value: datetime, tzid: Any) -> str:
    """The zone's IANA name, else the TZID the file gave it (a VTIMEZONE of its own), else UTC."""
    key = getattr(value.tzinfo, "key", None)
    if key:
        return str(key)
    if tzid:
        return str(tzid)[:60]
    return "UTC" if value.utcoffset() == timedelta(0) else str(value.tzname())


def _series(line: int, event: Any, overrides: dict, window: tuple[date, date] | None,
            zones: set[str]) -> list[ImportRow]:
    """The occurrences of a recurring event within the event's days (every one without a window,
    up to MAX_OCCURRENCES)."""
    first = _instant(event, "DTSTART")
    uid = cell_text(event.get("UID"))
    if not isinstance(first, datetime):
        row = _row(line, event, None, zones)
        return [row]
    try:
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=first)
    except (ValueError, TypeError):
        row = _row(line, event, None, zones)
        row.error("recurrence_invalid")
        return [row]
    excluded = set()
    for exdate in event.get("EXDATE") if isinstance(event.get("EXDATE"), list) else [event.get("EXDATE")]:
        for value in getattr(exdate, "dts", []):
            excluded.add(_utc(value.dt))
    rows, outside, taken = [], 0, 0
    for occurrence in rule:
        local_day = occurrence.date()
        if window is not None and local_day > window[1]:
            outside += 1  # at least one: the series runs past the event (maybe for years)
            break
        if window is None and taken >= MAX_OCCURRENCES:
            row = _row(line, event, None, zones)
            row.error("recurrence_too_long", limit=MAX_OCCURRENCES)
            return [row]
        if _utc(occurrence) in excluded:
            continue
        if window is not None and local_day < window[0]:
            outside += 1
            continue
        taken += 1
        replaced = overrides.get((uid, occurrence))
        if replaced is not None:
            rows.append(_row(line, replaced, None, zones))
            rows[-1].ref = source_id(f"{uid}@{occurrence.strftime('%Y%m%dT%H%M')}")
            rows[-1].guid = None
        else:
            rows.append(_row(line, event, occurrence, zones))
    if not rows:
        row = _row(line, event, None, zones)
        row.error("recurrence_outside_event")
        return [row]
    if outside:
        rows[0].warn("recurrence_limited", count=len(rows))
    return rows


def _utc(value: datetime | date) -> datetime | date:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value
