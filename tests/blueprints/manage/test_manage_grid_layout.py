"""The grid layout alone: plain objects in, table description out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from eventsys.blueprints.manage.grid import build_grid

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2026, 6, 25)


@dataclass
class Room:
    id: int
    name: str
    capacity: int | None = None


@dataclass
class Slot:
    id: int
    start: str
    end: str
    room_id: int | None

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(DAY, time.fromisoformat(self.start), tzinfo=PARIS).astimezone(UTC)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(DAY, time.fromisoformat(self.end), tzinfo=PARIS).astimezone(UTC)


def layout(slots, rooms):
    grid = build_grid(slots, rooms, DAY, PARIS, "Sans salle")
    placed = {
        cell.session.id: (row_index, cell.rowspan)
        for row_index, row in enumerate(grid.rows)
        for cell in row.cells
        if cell.session
    }
    return grid, placed


def test_rows_are_quarter_hours_from_first_start_to_last_end():
    grid, placed = layout(
        [Slot(1, "09:30", "10:00", 1), Slot(2, "10:10", "11:05", 1)], [Room(1, "A")]
    )
    labels = [row.starts_at.astimezone(PARIS).strftime("%H:%M") for row in grid.rows]
    assert labels == ["09:30", "09:45", "10:00", "10:15", "10:30", "10:45", "11:00"]
    assert placed == {
        1: (0, 2),
        2: (2, 5),
    }  # 10:10 starts in the 10:00 row; 11:05 ends in the 11:00 row


def test_overlaps_get_sub_columns_and_every_row_has_one_cell_per_free_column():
    rooms = [Room(1, "A"), Room(2, "B")]
    slots = [
        Slot(1, "10:00", "11:00", 1),
        Slot(2, "10:30", "11:30", 1),
        Slot(3, "11:00", "11:30", 1),
        Slot(4, "10:00", "10:15", None),
    ]
    grid, placed = layout(slots, rooms)
    assert [(c.name, c.lanes) for c in grid.columns] == [("A", 2), ("B", 1), ("Sans salle", 1)]
    # Session 3 starts when session 1 ends: it reuses the first sub-column.
    lanes = {
        cell.session.id: row.cells.index(cell)
        for row in grid.rows
        for cell in row.cells
        if cell.session
    }
    assert placed[3] == (4, 2)
    # Each row holds exactly the cells not covered by a rowspan from above.
    covered = dict.fromkeys(range(len(grid.rows)), 0)
    for row_index, row in enumerate(grid.rows):
        for cell in row.cells:
            for r in range(row_index, row_index + cell.rowspan):
                covered[r] += 1
    assert set(covered.values()) == {grid.lane_count}
    assert lanes[1] == 0
    assert lanes[4] == 3


def test_an_empty_day_has_no_table():
    grid, placed = layout([], [Room(1, "A")])
    assert grid.rows == []
    assert placed == {}
