"""Entries that no installed font can print: the organiser is told before printing.

The PDFs (programme, badges, sign-in sheets, certificates, networking slips) set every character
in DejaVu or a fallback font (render/fonts.py); a character none of them has prints as a visible
replacement mark. This lists where such characters are, so the organiser can fix the text (or
install the font) instead of discovering a mark on a printed badge. DB-aware, no flask.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models import Event
from eventsys.models.registration import Registration
from eventsys.render.fonts import unprintable

SHOWN = 50  # entries listed at most; the count says how many there are


@dataclass(frozen=True)
class PrintProblem:
    kind: str  # "event", "session", "speaker", "room", "registration"
    name: str  # what the organiser recognises the entry by
    chars: tuple[str, ...]  # the characters that will print as the replacement mark
    id: int | None = None

    @property
    def codes(self) -> str:
        return ", ".join(f"U+{ord(char):04X}" for char in self.chars)


def _translations(obj) -> list[str]:
    return [str(value) for entry in (getattr(obj, "translations", None) or {}).values() if isinstance(entry, dict)
            for value in entry.values() if value]  # fmt: skip


def _check(found: list[PrintProblem], kind: str, name: str, texts: Iterable[str | None], id: int | None = None) -> None:
    chars: set[str] = set()
    for text in texts:
        if text:
            chars |= unprintable(text)
    if chars:
        found.append(PrintProblem(kind, name, tuple(sorted(chars)), id))


def unprintable_entries(event: Event) -> list[PrintProblem]:
    """Every entry of the event with characters the PDFs cannot print, in the order of the pages."""
    found: list[PrintProblem] = []
    _check(found, "event", event.title, [event.title, event.subtitle, event.venue_name, event.venue_address,
                                         event.access_notes, *_translations(event)])  # fmt: skip
    for session in sorted(event.sessions, key=lambda s: (s.starts_at, s.id)):
        _check(found, "session", session.title, [session.title, session.description, *_translations(session)],
               session.id)  # fmt: skip
    for speaker in event.speakers:
        _check(found, "speaker", speaker.name, [speaker.name, speaker.function, speaker.organisation], speaker.id)
    for room in event.rooms:
        _check(found, "room", room.name, [room.name, room.location_notes, *_translations(room)], room.id)
    people = db.session.execute(
        select(Registration.id, Registration.first_name, Registration.last_name, Registration.organisation)
        .where(Registration.event_id == event.id)
        .order_by(Registration.last_name, Registration.id)
    )
    for reg_id, first, last, organisation in people:
        _check(found, "registration", f"{first} {last}", [first, last, organisation], reg_id)
    return found
