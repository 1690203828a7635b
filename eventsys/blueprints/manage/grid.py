"""Programme grid layout for one day: rooms as columns, 15-minute rows, overlapping sessions in
sub-columns. Pure (no flask): plain objects in, a table description out, so it is testable alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

SLOT_MINUTES = 15


@dataclass
class GridColumn:
    """A room (or no room, room_id None) spanning `lanes` sub-columns."""

    room_id: int | None
    name: str
    capacity: int | None = None
    lanes: int = 1


@dataclass
class GridCell:
    """A table cell: a session spanning `rowspan` rows, or an empty slot."""

    session: Any | None = None
    rowspan: int = 1
    column: GridColumn | None = None


@dataclass
class GridRow:
    starts_at: datetime  # aware, for the label
    cells: list[GridCell] = field(default_factory=list)


@dataclass
class GridLayout:
    columns: list[GridColumn]
    rows: list[GridRow]

    @property
    def lane_count(self) -> int:
        return sum(column.lanes for column in self.columns)


def _minutes(value: datetime, day: date, tz: ZoneInfo) -> int:
    """Wall-clock minutes since midnight of `day` (can pass 24 h for a session ending after midnight)."""
    local = value.astimezone(tz)
    return (local.date() - day).days * 1440 + local.hour * 60 + local.minute


def sessions_of_day(sessions: list[Any], day: date, tz: ZoneInfo) -> list[Any]:
    """Sessions that start on `day`, in the event's zone."""
    return [s for s in sessions if s.starts_at.astimezone(tz).date() == day]


def build_grid(
    sessions: list[Any], rooms: list[Any], day: date, tz: ZoneInfo, no_room_label: str
) -> GridLayout:
    """Lay out the day's sessions; every room of the event gets a column, even an empty one."""
    todays = sessions_of_day(sessions, day, tz)
    if not todays:
        return GridLayout(columns=[], rows=[])
    spans: dict[int, tuple[int, int]] = {}
    for s in todays:
        first = _minutes(s.starts_at, day, tz) // SLOT_MINUTES
        last = -(-_minutes(s.ends_at, day, tz) // SLOT_MINUTES)
        spans[s.id] = (first, max(first + 1, last))
    top = min(a for a, _ in spans.values())
    bottom = max(b for _, b in spans.values())

    columns = [GridColumn(room.id, room.name, room.capacity) for room in rooms]
    known = {room.id for room in rooms}
    if any(s.room_id is None or s.room_id not in known for s in todays):
        columns.append(GridColumn(None, no_room_label))

    # Each room's sessions go to the first sub-column free at their start (interval colouring).
    placements: dict[tuple[int, int], GridCell] = {}  # (lane index, row) -> cell starting there
    covered: set[tuple[int, int]] = set()
    lane_offset = 0
    for column in columns:
        mine = sorted(
            (s for s in todays if (s.room_id if s.room_id in known else None) == column.room_id),
            key=lambda s: (spans[s.id][0], spans[s.id][1], s.id),
        )
        lane_ends: list[int] = []
        for s in mine:
            first, last = spans[s.id]
            lane = next((i for i, end in enumerate(lane_ends) if end <= first), None)
            if lane is None:
                lane = len(lane_ends)
                lane_ends.append(last)
            else:
                lane_ends[lane] = last
            placements[(lane_offset + lane, first - top)] = GridCell(s, last - first, column)
            covered.update((lane_offset + lane, row - top) for row in range(first + 1, last))
        column.lanes = max(1, len(lane_ends))
        lane_offset += column.lanes

    lane_columns = [column for column in columns for _ in range(column.lanes)]
    midnight = datetime.combine(day, time(0), tzinfo=tz)
    rows = []
    for row in range(bottom - top):
        # Wall-clock label: add minutes to the naive midnight, then attach the zone.
        label = (
            midnight.replace(tzinfo=None) + timedelta(minutes=(top + row) * SLOT_MINUTES)
        ).replace(tzinfo=tz)
        cells = []
        for lane, column in enumerate(lane_columns):
            if (lane, row) in placements:
                cells.append(placements[(lane, row)])
            elif (lane, row) not in covered:
                cells.append(GridCell(None, 1, column))
        rows.append(GridRow(label.astimezone(UTC), cells))
    return GridLayout(columns=columns, rows=rows)
