"""How the public programme is laid out: days, then time slots of parallel sessions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from eventsys.models import Event, ProgrammeSession


@dataclass
class Slot:
    """Sessions starting at the same moment, shown side by side."""

    starts_at: datetime
    sessions: list[ProgrammeSession]
    # Sessions that started earlier and still run: the slot takes place "in parallel" with them.
    alongside: list[ProgrammeSession] = field(default_factory=list)


@dataclass
class Day:
    """One day of the programme."""

    day: date
    slots: list[Slot]

    @property
    def anchor(self) -> str:
        return "jour-" + self.day.isoformat()


def _room_order(session: ProgrammeSession) -> tuple[int, int, str]:
    room = session.room
    return (room.position if room else 1_000_000, room.id if room else 0, session.title)


def programme_days(event: Event, sessions: list[ProgrammeSession] | None = None) -> list[Day]:
    """The sessions (default: all the event's) grouped by local day, then by start time."""
    tz = event.tz
    ordered = sorted(event.sessions if sessions is None else sessions, key=lambda s: (s.starts_at, _room_order(s)))
    days: list[Day] = []
    for day, day_sessions in groupby(ordered, key=lambda s: s.starts_at.astimezone(tz).date()):
        sessions = list(day_sessions)
        slots = []
        for starts_at, group in groupby(sessions, key=lambda s: s.starts_at):
            alongside = [
                s for s in sessions
                if s.starts_at < starts_at < s.ends_at and not s.is_cancelled
            ]  # fmt: skip
            slots.append(Slot(starts_at=starts_at, sessions=list(group), alongside=alongside))
        days.append(Day(day=day, slots=slots))
    return days


_BULLET = re.compile(r"^\s*[-•*]\s+")


def text_blocks(value: str | None) -> list[tuple[str, str | list[str]]]:
    """Free text typed by an organiser as paragraphs and bullet lists.

    Blank lines separate paragraphs; lines starting with "- " or "• " become list items.
    Returns ("p", text) and ("ul", [items]) pairs so the template escapes every piece.
    """
    blocks: list[tuple[str, str | list[str]]] = []
    for para in re.split(r"\n\s*\n", (value or "").replace("\r\n", "\n")):
        lines: list[str] = []
        items: list[str] = []
        for line in para.split("\n"):
            if _BULLET.match(line):
                if lines:
                    blocks.append(("p", "\n".join(lines)))
                    lines = []
                items.append(_BULLET.sub("", line).strip())
            elif line.strip():
                if items:
                    blocks.append(("ul", items))
                    items = []
                lines.append(line.strip())
        if lines:
            blocks.append(("p", "\n".join(lines)))
        if items:
            blocks.append(("ul", items))
    return blocks
