"""The programme as a spreadsheet-friendly CSV, in the very columns the importer reads.

Pure: plain data in, bytes out. UTF-8 with a byte-order mark and semicolons, so that a
double-click opens it correctly in a French spreadsheet; an export can be edited and imported back.
"""

from __future__ import annotations

import csv
import io

from eventsys.render.export_data import EventData, local
from eventsys.richtext import to_plain

COLUMNS = ("day", "start", "end", "room", "title", "type", "track", "speakers", "description", "status")
# Characters that make a spreadsheet treat a cell as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def speakers_cell(parts) -> str:
    """'Camille Durand (moderator); Jean Martin': roles by their stable code."""
    cells = []
    for part in parts:
        text = part.name if part.role == "speaker" else f"{part.name} ({part.role})"
        if part.or_representative:
            text += " ou son représentant"
        cells.append(text)
    return "; ".join(cells)


def render_programme_csv(event: EventData) -> bytes:
    """Every session of the event, one per row, in time order."""
    tz = event.tz
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for session in sorted(event.sessions, key=lambda s: (s.starts_at, s.id)):
        start, end = local(session.starts_at, tz), local(session.ends_at, tz)
        writer.writerow(
            safe_cell(value)
            for value in (
                start.date().isoformat(),
                start.strftime("%H:%M"),
                end.strftime("%H:%M"),
                session.room.name if session.room else "",
                session.title,
                session.type,
                session.track.name if session.track else "",
                speakers_cell(session.speakers),
                to_plain(session.description),
                "cancelled" if session.cancelled else "",
            )
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
