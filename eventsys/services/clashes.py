"""Clash detection on plain data: pure, no database, no flask."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

ROOM_DOUBLE_BOOKED = "room_double_booked"
SPEAKER_DOUBLE_BOOKED = "speaker_double_booked"
OUTSIDE_EVENT = "outside_event"
OVER_CAPACITY = "over_capacity"
# Rooms shared by design: a meal or break in the same room as another session is not a clash.
SHAREABLE_TYPES = frozenset({"meal", "break"})


@dataclass(frozen=True)
class SlotData:
    """What clash detection needs to know of a session."""

    id: int
    title: str
    type: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None
    capacity: int | None
    speaker_ids: frozenset[int] = field(default_factory=frozenset)
    cancelled: bool = False


@dataclass(frozen=True)
class Clash:
    """One problem in the programme; `session_ids` lists the sessions involved."""

    kind: str
    session_ids: tuple[int, ...]
    room_id: int | None = None
    speaker_id: int | None = None
    capacity: int | None = None
    room_capacity: int | None = None


def _overlap(a: SlotData, b: SlotData) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def find_clashes(
    slots: list[SlotData],
    start_date: date,
    end_date: date,
    tz: ZoneInfo,
    room_capacities: dict[int, int | None],
    shared_rooms: frozenset[int] | set[int] = frozenset(),
) -> list[Clash]:
    """Every clash of a programme: double-booked rooms and speakers, sessions outside the
    event's days, and sessions expecting more people than their room holds.

    A room in `shared_rooms` (a foyer, an exhibition hall) holds several sessions at once by
    design: overlaps there are not double bookings (a speaker still cannot be in two places)."""
    clashes: list[Clash] = []
    live = sorted((s for s in slots if not s.cancelled), key=lambda s: (s.starts_at, s.id))
    for index, first in enumerate(live):
        for second in live[index + 1 :]:
            if second.starts_at >= first.ends_at:
                break
            if not _overlap(first, second):
                continue
            pair = (first.id, second.id)
            if (
                first.room_id is not None
                and first.room_id == second.room_id
                and first.room_id not in shared_rooms
                and not (first.type in SHAREABLE_TYPES and second.type in SHAREABLE_TYPES)
            ):
                clashes.append(Clash(ROOM_DOUBLE_BOOKED, pair, room_id=first.room_id))
            for speaker_id in sorted(first.speaker_ids & second.speaker_ids):
                clashes.append(Clash(SPEAKER_DOUBLE_BOOKED, pair, speaker_id=speaker_id))
    for slot in live:
        local_start = slot.starts_at.astimezone(tz)
        local_end = slot.ends_at.astimezone(tz)
        if local_start.date() < start_date or local_end.date() > end_date:
            clashes.append(Clash(OUTSIDE_EVENT, (slot.id,)))
        room_capacity = room_capacities.get(slot.room_id) if slot.room_id is not None else None
        if slot.capacity and room_capacity is not None and slot.capacity > room_capacity:
            clashes.append(
                Clash(
                    OVER_CAPACITY,
                    (slot.id,),
                    room_id=slot.room_id,
                    capacity=slot.capacity,
                    room_capacity=room_capacity,
                )
            )
    return clashes
