"""What the public programme page shows: one day (or the whole of a small event), filtered.

A conference of 1,000 sessions on one page weighed 2.3 MB and took seconds to render. So a
programme of more than SINGLE_PAGE_SESSIONS sessions over several days shows one day per page
(`/e/<code>/programme/<date>`); a smaller one keeps everything on one page. Filters (theme, room,
words) are plain GET parameters: they work without JavaScript, and with them a search may span
all days (`day=all`). Sessions load in one query with their rooms, themes and speakers (no
query per session). DB-aware, no flask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession, Room, SessionSpeaker, Track
from eventsys.render.export_data import fold
from eventsys.richtext import html_to_text, is_html, to_plain

SINGLE_PAGE_SESSIONS = 80
QUERY_MAX = 100  # characters of a search kept
ALL_DAYS = "all"
EXCERPT_CHARS = 220
_MARKS = re.compile(r"(?m)^\s*(?:[-*•]|\d+\.)\s+|[*_`]+|^#+\s*")


@dataclass
class Filters:
    """What the visitor asked for; unknown or malformed values are simply ignored."""

    theme: int | None = None
    room: int | None = None
    words: str = ""
    all_days: bool = False

    @property
    def active(self) -> bool:
        return bool(self.theme or self.room or self.words)


@dataclass
class DayCount:
    day: date
    sessions: int


@dataclass
class ProgrammePage:
    days: list[DayCount]  # every day of the programme with its number of sessions
    day: date | None  # the day shown; None: every day (small event, or a search over all days)
    sessions: list[ProgrammeSession]  # in order, with room, track and speakers loaded
    per_day: bool  # the programme is split into one page per day
    rooms: list[Room] = field(default_factory=list)
    tracks: list[Track] = field(default_factory=list)


def parse_filters(args) -> Filters:
    """Filters from query arguments (a dict-like): ids as positive integers, words trimmed."""

    def positive(name: str) -> int | None:
        value = (args.get(name) or "").strip()
        return int(value) if value.isdigit() and 0 < int(value) < 2**31 else None

    words = " ".join((args.get("q") or "").split())[:QUERY_MAX]
    return Filters(theme=positive("theme"), room=positive("room"), words=words,
                   all_days=(args.get("day") or "") == ALL_DAYS)  # fmt: skip


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def _day_counts(event: Event) -> list[DayCount]:
    """Sessions per local day, from their start times only (one light query)."""
    starts = db.session.scalars(select(ProgrammeSession.starts_at).where(ProgrammeSession.event_id == event.id))
    counts: dict[date, int] = {}
    tz = event.tz
    for moment in starts:
        day = moment.astimezone(tz).date()
        counts[day] = counts.get(day, 0) + 1
    return [DayCount(day, counts[day]) for day in sorted(counts)]


def default_day(days: list[DayCount], today: date) -> date | None:
    """Today when the event is on, else its first day."""
    if not days:
        return None
    return today if any(d.day == today for d in days) else days[0].day


def _matches(session: ProgrammeSession, words: list[str]) -> bool:
    haystack = fold(" ".join([
        session.title, to_plain(session.description), session.room.name if session.room else "",
        session.track.name if session.track else "", *(link.speaker.name for link in session.speakers),
        *(str(value) for entry in (session.translations or {}).values() if isinstance(entry, dict)
          for value in entry.values()),
    ]))  # fmt: skip
    return all(word in haystack for word in words)


def sessions_query(event_id: int) -> Select:
    """The event's sessions in programme order, with rooms, themes and speakers (a few queries)."""
    return (
        select(ProgrammeSession)
        .where(ProgrammeSession.event_id == event_id)
        .options(
            selectinload(ProgrammeSession.room),
            selectinload(ProgrammeSession.track),
            selectinload(ProgrammeSession.speakers).selectinload(SessionSpeaker.speaker),
        )
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    )


def programme_page(event: Event, day: date | None, filters: Filters, today: date) -> ProgrammePage:
    """The sessions the public programme page shows for `day` (None: the default one) and `filters`."""
    days = _day_counts(event)
    total = sum(d.sessions for d in days)
    per_day = len(days) > 1 and total > SINGLE_PAGE_SESSIONS
    if filters.all_days or (not per_day and day is None):
        shown = None
    else:
        shown = day if day is not None and any(d.day == day for d in days) else default_day(days, today)
    query = sessions_query(event.id)
    if shown is not None:
        tz = event.tz
        start = datetime.combine(shown, time.min, tz)
        query = query.where(ProgrammeSession.starts_at >= start,
                            ProgrammeSession.starts_at < start + timedelta(days=1))  # fmt: skip
    if filters.theme:
        query = query.where(ProgrammeSession.track_id == filters.theme)
    if filters.room:
        query = query.where(ProgrammeSession.room_id == filters.room)
    sessions = list(db.session.scalars(query))
    if filters.words:
        words = fold(filters.words).split()
        sessions = [s for s in sessions if _matches(s, words)]
    rooms = list(db.session.scalars(select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id)))
    tracks = list(db.session.scalars(
        select(Track).where(Track.event_id == event.id).order_by(func.lower(Track.name), Track.id)
    ))  # fmt: skip
    return ProgrammePage(days=days, day=shown, sessions=sessions, per_day=per_day, rooms=rooms, tracks=tracks)


def session_day(event: Event, session: ProgrammeSession) -> date:
    return session.starts_at.astimezone(event.tz).date()


def public_session(event: Event, session_id: int) -> ProgrammeSession | None:
    """One session of the event with its room, theme and speakers; None if it is not the event's."""
    query = (
        select(ProgrammeSession)
        .where(ProgrammeSession.id == session_id, ProgrammeSession.event_id == event.id)
        .options(selectinload(ProgrammeSession.speakers).selectinload(SessionSpeaker.speaker))
    )
    return db.session.scalars(query).first()


def excerpt(value: str | None, limit: int = EXCERPT_CHARS) -> str:
    """The start of a description as plain text, cut after a word, for the day pages.

    Only the head of the text is read: tags dropped, entities decoded, Markdown marks removed
    (a day page shows two hundred of these; parsing each whole description cost half its time).
    """
    head = (value or "")[: limit * 6]
    text = html_to_text(re.sub(r"<[^>]*$", "", head)) if is_html(head) else _MARKS.sub("", head)
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.!?—-")
    return cut + "…"
