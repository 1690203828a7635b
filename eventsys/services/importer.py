"""Reading a programme from a spreadsheet (CSV, XLSX) or another tool (schedule XML/JSON).

Pure parsing: bytes in, plain rows out, each with its own list of issues (a stable code and
parameters; services/exports.py turns codes into translated sentences). No flask, no database.
Documented spreadsheet columns: day, start, end, room, title, type, track, speakers, description
(French headers such as jour, début, fin, salle, titre, thème, intervenants are understood too).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from eventsys.interchange.ical import parse_ics
from eventsys.interchange.rows import (
    ERROR,
    ROOM_MAX,
    TITLE_MAX,
    WARNING,
    DaySpec,
    ImportFileError,
    ImportRow,
    Issue,
    ParsedFile,
    SpeakerRef,
    source_id,
    web_link,
)
from eventsys.interchange.schedule import parse_schedule_json, parse_schedule_xml, rich_description
from eventsys.interchange.values import (
    cell_text,
    duration_minutes,
    is_cancelled,
    parse_day,
    parse_speakers,
    parse_time,
    set_type,
    split_range,
)
from eventsys.render.export_data import fold
from eventsys.services import safe_read
from eventsys.text import one_line

__all__ = [
    "ERROR", "WARNING", "DaySpec", "ImportFileError", "ImportRow", "Issue", "ParsedFile", "SpeakerRef",
    "parse_schedule_json", "parse_schedule_xml",
]  # fmt: skip

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_XLSX_UNPACKED = 60 * 1024 * 1024  # a 5 MB zip that unpacks to more is a zip bomb, not a programme


# ----------------------------------------------------------------------- columns

COLUMN_NAMES = {
    "day": ("day", "jour", "date", "journee", "jour date"),
    "start": ("start", "debut", "heure de debut", "heure debut", "horaire", "heure", "start time", "begin", "de"),
    "end": ("end", "fin", "heure de fin", "heure fin", "end time", "a", "jusqua"),
    "duration": ("duration", "duree"),
    "room": ("room", "salle", "lieu", "location", "salle lieu"),
    "title": ("title", "titre", "intitule", "sujet", "seance", "session", "titre de la session"),
    "type": ("type", "format", "nature", "type de session", "type de seance"),
    "track": ("track", "theme", "thematique", "parcours", "filiere"),
    "speakers": ("speakers", "speaker", "intervenants", "intervenant", "intervenantes", "intervenantes",
                 "orateurs", "intervenants et intervenantes", "persons"),
    "description": ("description", "resume", "abstract", "presentation", "contenu", "details"),
    "status": ("status", "statut", "etat"),
    "id": ("id", "identifiant", "ref", "reference", "uid", "code"),
    "guid": ("guid", "uuid"),
    "language": ("language", "langue", "lang"),
    "links": ("links", "liens", "lien", "url", "link"),
}
_HEADER_LOOKUP = {name: column for column, names in COLUMN_NAMES.items() for name in names}

# ------------------------------------------------------------------ detection


def parse_programme(data: bytes, filename: str = "", *, max_bytes: int = MAX_BYTES,
                    max_rows: int = MAX_ROWS, window: tuple[date, date] | None = None) -> ParsedFile:
    """Read an uploaded programme; raises ImportFileError when the file as a whole is unusable.

    `window` (the event's first and last day) bounds the expansion of recurring calendar events."""
    if len(data) > max_bytes:
        raise ImportFileError("too_large", limit=max_bytes // (1024 * 1024))
    if not data.strip():
        raise ImportFileError("empty_file")
    kind = detect_kind(data, filename)
    try:
        if kind == "xlsx":
            parsed = _parse_table(_xlsx_rows(data, max_rows), "xlsx", max_rows)
        elif kind == "xml":
            parsed = parse_schedule_xml(data)
        elif kind == "json":
            parsed = parse_schedule_json(data)
        elif kind == "ics":
            text, issues = decode_text(data)
            parsed = parse_ics(text, window=window, max_rows=max_rows)
            parsed.issues[:0] = issues
        else:
            text, issues = decode_text(data)
            parsed = _parse_table(_csv_rows(text, max_rows), "csv", max_rows)
            parsed.issues[:0] = issues
    except safe_read.Refused as refused:  # a hostile or broken file, refused before it was expanded
        raise ImportFileError(refused.code, **refused.params) from refused
    if len(parsed.rows) > max_rows:
        raise ImportFileError("too_many_rows", limit=max_rows)
    if not parsed.rows:
        raise ImportFileError("no_rows")
    for row in parsed.rows:
        _one_line_fields(row)
    return parsed


def _one_line_fields(row: ImportRow) -> None:
    """A cell's Alt+Enter or a schedule's newline never reaches a title, a room or a name (eventsys/text.py)."""
    row.title, row.room, row.track, row.ref = (one_line(v) for v in (row.title, row.room, row.track, row.ref))
    row.type_given = one_line(row.type_given)
    for person in row.speakers:
        person.name, person.function, person.organisation = (
            one_line(v) for v in (person.name, person.function, person.organisation)
        )
    for link in row.links:
        link.title = one_line(link.title)


def detect_kind(data: bytes, filename: str = "") -> str:
    """xlsx, xml, json, ics or csv, from the content first and the name second."""
    name = filename.lower()
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if head.startswith(b"<"):
        return "xml"
    if head.startswith((b"{", b"[")):
        return "json"
    if _text_head(data).lstrip("\ufeff \t\r\n")[:15].upper() == "BEGIN:VCALENDAR":
        return "ics"  # also in UTF-16, as some calendar programs save it
    if name.endswith((".xls", ".ods", ".pdf", ".doc", ".docx")) or b"\x00" in data[:2048] and not data.startswith(
        (b"\xff\xfe", b"\xfe\xff")
    ):
        raise ImportFileError("unknown_format")
    return "csv"


def _text_head(data: bytes) -> str:
    """The first characters of a text file, UTF-16 (with its BOM) or an ASCII-compatible encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data[:256].decode("utf-16", errors="ignore")
    return data[:128].decode("latin-1")


def decode_text(data: bytes) -> tuple[str, list[Issue]]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 with a warning."""
    text, fallback = safe_read.decode_text(data)
    return text, [Issue("encoding_fallback", WARNING, {"encoding": fallback})] if fallback else []


# ------------------------------------------------------------------ tables


def _csv_rows(text: str, max_rows: int) -> list[list[Any]]:
    # One header line and blank lines around it may come before the rows (see _parse_table).
    return list(safe_read.csv_rows(text, safe_read.sniff_delimiter(text), max_rows=max_rows + 50))


def _xlsx_rows(data: bytes, max_rows: int) -> list[list[Any]]:
    return safe_read.xlsx_rows(data, max_rows=max_rows + 50)


def _header_columns(row: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        key = re.sub(r"[^a-z0-9 ]", "", fold(cell_text(cell).replace("'", " ").replace("/", " ")))
        key = " ".join(key.split())
        column = _HEADER_LOOKUP.get(key)
        if column and column not in found:
            found[column] = index
    return found


def _parse_table(rows: list[list[Any]], kind: str, max_rows: int) -> ParsedFile:
    parsed = ParsedFile(kind)
    header_at, columns = None, {}
    for index, row in enumerate(rows[:15]):
        found = _header_columns(row)
        if len(found) >= 2:
            header_at, columns = index, found
            break
    if header_at is None:
        raise ImportFileError("no_header")
    missing = [name for name in ("start", "title") if name not in columns]
    if missing:
        raise ImportFileError("missing_columns", columns=", ".join(missing))
    header = rows[header_at]
    unknown = [cell_text(cell) for i, cell in enumerate(header) if cell_text(cell) and i not in columns.values()]
    if unknown:
        parsed.issues.append(Issue("unknown_columns", WARNING, {"columns": ", ".join(unknown)}))
    if len(rows) - header_at - 1 > max_rows:
        raise ImportFileError("too_many_rows", limit=max_rows)
    carried_day: Any = None
    for offset, raw in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = {name: (raw[i] if i < len(raw) else None) for name, i in columns.items()}
        if cells.get("day") not in (None, ""):
            carried_day = cells["day"]
        title, start = cell_text(cells.get("title")), cells.get("start")
        if not title and cell_text(start) == "":
            others = [name for name, value in cells.items() if name != "day" and cell_text(value)]
            if others:
                parsed.rows.append(_skipped_row(offset))
            continue
        parsed.rows.append(_table_row(offset, cells, carried_day))
    return parsed


def _skipped_row(line: int) -> ImportRow:
    row = ImportRow(line=line)
    row.error("no_title_no_time")
    return row


def _table_row(line: int, cells: dict[str, Any], day_value: Any) -> ImportRow:
    row = ImportRow(line=line)
    row.title = cell_text(cells.get("title"))
    if not row.title:
        row.error("missing_title")
    elif len(row.title) > TITLE_MAX:
        row.warn("title_truncated", limit=TITLE_MAX)
        row.title = row.title[:TITLE_MAX]
    if day_value not in (None, ""):
        row.day = parse_day(day_value)
        if row.day is None:
            row.error("bad_day", value=cell_text(day_value)[:40])
    start_value, end_value = cells.get("start"), cells.get("end")
    if cell_text(end_value) == "" and (pair := split_range(start_value)):
        start_value, end_value = pair
    row.start = parse_time(start_value) if cell_text(start_value) else None
    if cell_text(start_value) == "":
        row.error("missing_start")
    elif row.start is None:
        row.error("bad_time", value=cell_text(start_value)[:40])
    if cell_text(end_value):
        row.end = parse_time(end_value)
        if row.end is None:
            row.error("bad_time", value=cell_text(end_value)[:40])
    elif cell_text(cells.get("duration")):
        minutes = duration_minutes(cell_text(cells.get("duration")))
        if minutes is None:
            row.error("bad_duration", value=cell_text(cells.get("duration"))[:40])
        elif row.start:
            row.end = (datetime.combine(date(2000, 1, 1), row.start) + timedelta(minutes=minutes)).time()
    else:
        row.error("missing_end")
    if row.start and row.end and row.end <= row.start:
        row.error("end_before_start", start=row.start.strftime("%H:%M"), end=row.end.strftime("%H:%M"))
    row.room = cell_text(cells.get("room"))[:ROOM_MAX]
    if not row.room:
        row.warn("missing_room")
    set_type(row, cell_text(cells.get("type")))
    row.track = cell_text(cells.get("track"))[:120]
    row.speakers = parse_speakers(cells.get("speakers"))
    rich_description(row, [cells.get("description")])
    row.cancelled = is_cancelled(cells.get("status"))
    row.ref = source_id(cells.get("id"))
    guid = cell_text(cells.get("guid")).lower()
    row.guid = guid if re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", guid) else None
    language = cell_text(cells.get("language")).lower()
    row.language = language if re.fullmatch(r"[a-z]{2}", language) else None
    for url in cell_text(cells.get("links")).split():
        link = web_link(url)
        if link is not None:
            row.links.append(link)
    return row
