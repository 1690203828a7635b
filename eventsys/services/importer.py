"""Reading a programme from a spreadsheet (CSV, XLSX) or another tool (schedule XML/JSON).

Pure parsing: bytes in, plain rows out, each with its own list of issues (a stable code and
parameters; services/exports.py turns codes into translated sentences). No flask, no database.
Documented spreadsheet columns: day, start, end, room, title, type, track, speakers, description
(French headers such as jour, début, fin, salle, titre, thème, intervenants are understood too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from xml.etree.ElementTree import Element, ParseError  # noqa: S405 - types only; parsing uses defusedxml
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from eventsys.services import safe_read
from eventsys.services.export_data import SESSION_TYPES, fold

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_XLSX_UNPACKED = 60 * 1024 * 1024  # a 5 MB zip that unpacks to more is a zip bomb, not a programme
ERROR, WARNING = "error", "warning"
TITLE_MAX = 300
NAME_MAX = 200
ROOM_MAX = 120


class ImportFileError(Exception):
    """The whole file cannot be read; `code` names the reason, `params` fill the message."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass
class Issue:
    code: str
    level: str = ERROR
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class SpeakerRef:
    name: str
    role: str = "speaker"
    function: str = ""
    organisation: str = ""
    or_representative: bool = False
    bio: str = ""


@dataclass
class DaySpec:
    """What the day cell said: a full date, a day and month, or the n-th day of the event."""

    date: date | None = None
    day_month: tuple[int, int] | None = None
    index: int | None = None


@dataclass
class ImportRow:
    line: int  # spreadsheet row number, or position of the item in a schedule file
    ref: str = ""  # the item's id in the other tool, when it has one
    title: str = ""
    day: DaySpec | None = None
    start: time | None = None
    end: time | None = None
    starts_at: datetime | None = None  # aware, when the source gives an instant (schedule files)
    ends_at: datetime | None = None
    room: str = ""
    type: str = "talk"
    type_given: str = ""
    track: str = ""
    speakers: list[SpeakerRef] = field(default_factory=list)
    description: str = ""
    cancelled: bool = False
    guid: str | None = None
    language: str | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(issue.level == ERROR for issue in self.issues)

    def error(self, code: str, **params: Any) -> None:
        self.issues.append(Issue(code, ERROR, params))

    def warn(self, code: str, **params: Any) -> None:
        self.issues.append(Issue(code, WARNING, params))


@dataclass
class ParsedFile:
    kind: str  # csv, xlsx, xml, json
    rows: list[ImportRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    timezone: str | None = None
    title: str | None = None


# ----------------------------------------------------------------------- values

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
}
_HEADER_LOOKUP = {name: column for column, names in COLUMN_NAMES.items() for name in names}

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "janv": 1, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
}  # fmt: skip

# Checked in order: the first word found decides (so "pause déjeuner" is a meal, "long talk" a talk).
TYPE_WORDS = (
    ("speed_networking", ("speed",)),
    ("welcome", ("accueil", "welcome", "registration", "emargement")),
    ("opening", ("ouverture", "opening", "allocution", "mot d'accueil")),
    ("closing", ("cloture", "closing", "conclusion")),
    ("meal", ("dejeuner", "repas", "lunch", "meal", "diner", "dinner", "buffet", "cocktail")),
    ("break", ("pause", "break", "coffee", "cafe")),
    ("workshop", ("atelier", "workshop", "hands-on", "hands on", "tutorial", "tutoriel")),
    ("plenary", ("pleniere", "plenary", "keynote", "grand temoin")),
    ("sharing", ("mise en partage", "partage", "sharing", "retour d'experience", "retours d'experience")),
    ("interaction", ("interaction", "bof", "table ronde", "debat", "discussion", "echange", "meeting",
                     "round table", "panel", "questions")),
    ("talk", ("expose", "talk", "lecture", "conference", "presentation", "intervention", "lightning")),
    ("other", ("autre", "other", "misc")),
)
ROLE_PREFIXES = (
    ("moderator", ("moder",)),
    ("facilitator", ("anim", "facilit")),
    ("chair", ("presid", "chair")),
    ("speaker", ("interv", "orat", "speaker", "conferenc")),
)
REPRESENTATIVE = re.compile(r",?\s*(ou (son|sa) represent\w*|or (a |their |his |her )?representative)\s*$")
_TIME = re.compile(r"(\d{1,2})\s*(?:[hH:.]\s*(\d{2})?\s*(?::\s*(\d{2}))?)?\s*(am|pm)?", re.IGNORECASE)
_RANGE = re.compile(r"\s*(?:-|–|—|à|a|to)\s*")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    # A leading apostrophe protects cells from being run as formulas (see programme_csv).
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def parse_time(value: Any) -> time | None:
    """09:30, 9h30, 9h, 09:30:00, 9.30, a spreadsheet time; None when unreadable."""
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0)
    if isinstance(value, float | int) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)  # a spreadsheet time is a fraction of a day
        return time(minutes // 60 % 24, minutes % 60)
    text = _text(value)
    match = _TIME.fullmatch(text)
    if not match:
        return None
    hour, minute, second = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    if match[4]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[4].lower() == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def split_range(value: Any) -> tuple[str, str] | None:
    """'9h30 - 10h30' or 'de 9h30 à 10h30' as two times, when a cell holds both."""
    text = fold(_text(value))
    text = re.sub(r"^de\s+", "", text)
    parts = _RANGE.split(text)
    if len(parts) == 2 and parse_time(parts[0]) and parse_time(parts[1]):
        return parts[0], parts[1]
    return None


def parse_day(value: Any) -> DaySpec | None:
    """A date (2026-06-25, 25/06/2026, 25 juin 2026, jeudi 25 juin), a day and month (25/06),
    or the n-th day of the event (1, J2, Jour 2, Day 2); None when unreadable."""
    if isinstance(value, datetime):
        return DaySpec(date=value.date())
    if isinstance(value, date):
        return DaySpec(date=value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 31:
            return DaySpec(index=int(value))
        return None
    text = fold(_text(value))
    if not text:
        return None
    match = re.fullmatch(r"(?:j|jour|day|d)?\s*(\d{1,2})", text)
    if match:
        return DaySpec(index=int(match[1])) if int(match[1]) >= 1 else None
    return _parse_day_text(text)


def _parse_day_text(text: str) -> DaySpec | None:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*)?", text)
    if match:
        return _day(int(match[1]), int(match[2]), int(match[3]))
    match = re.fullmatch(r"(?:[a-z]+\.?\s+)?(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?", text)
    if match:
        day, month, year = int(match[1]), int(match[2]), match[3]
        if year is None:
            return DaySpec(day_month=(day, month)) if _valid(2024, month, day) else None
        return _day(int(year) + (2000 if len(year) == 2 else 0), month, day)
    match = re.fullmatch(r"(?:[a-z]+\.?,?\s+)?(\d{1,2})(?:er)?\s+([a-z]+)\.?(?:\s+(\d{4}))?", text)
    if match and match[2] in MONTHS:
        day, month = int(match[1]), MONTHS[match[2]]
        if match[3] is None:
            return DaySpec(day_month=(day, month)) if _valid(2024, month, day) else None
        return _day(int(match[3]), month, day)
    return None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _day(year: int, month: int, day: int) -> DaySpec | None:
    return DaySpec(date=date(year, month, day)) if _valid(year, month, day) else None


def session_type(value: str, title: str = "") -> tuple[str, bool]:
    """Our type code for what the file says, and whether it was understood."""
    given = fold(value)
    if not given:
        guessed = _type_from_words(fold(title))
        return (guessed or "talk"), True
    if given.replace(" ", "_").replace("-", "_") in SESSION_TYPES:
        return given.replace(" ", "_").replace("-", "_"), True
    guessed = _type_from_words(given)
    return (guessed, True) if guessed else ("other", False)


def _type_from_words(text: str) -> str | None:
    for code, words in TYPE_WORDS:
        if any(re.search(r"(^|[^a-z])" + re.escape(word), text) for word in words):
            return code
    return None


def parse_speakers(value: Any) -> list[SpeakerRef]:
    """'Camille Durand (modératrice); Jean Martin, directeur, CNFPT ou son représentant'."""
    people = []
    for chunk in re.split(r"[;\n|]+", _text(value)):
        chunk = chunk.strip(" -•*\t")
        if not chunk:
            continue
        representative = False
        folded = fold(chunk)
        match = REPRESENTATIVE.search(folded)
        if match:
            representative = True
            chunk = chunk[: len(chunk) - (len(folded) - match.start())].rstrip(" ,")
        role, organisation = "speaker", ""
        paren = re.search(r"\(([^()]*)\)\s*$", chunk)
        if paren:
            inside = fold(paren[1])
            known = next((r for r, prefixes in ROLE_PREFIXES if inside.startswith(prefixes)), None)
            if known:
                role = known
            else:
                organisation = paren[1].strip()
            chunk = chunk[: paren.start()].rstrip()
        parts = [p.strip() for p in chunk.split(",") if p.strip()]
        if not parts:
            continue
        name, function = parts[0], ""
        if len(parts) == 2:
            function = parts[1]
        elif len(parts) > 2:
            function, organisation = ", ".join(parts[1:-1]), organisation or parts[-1]
        people.append(SpeakerRef(name[:NAME_MAX], role, function[:300], organisation[:200], representative))
    return people



def _cancelled(value: Any) -> bool:
    return fold(_text(value)).startswith(("annul", "cancel"))


# ------------------------------------------------------------------ detection


def parse_programme(data: bytes, filename: str = "", *, max_bytes: int = MAX_BYTES,
                    max_rows: int = MAX_ROWS) -> ParsedFile:
    """Read an uploaded programme; raises ImportFileError when the file as a whole is unusable."""
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
    return parsed


def detect_kind(data: bytes, filename: str = "") -> str:
    """xlsx, xml, json or csv, from the content first and the name second."""
    name = filename.lower()
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if head.startswith(b"<"):
        return "xml"
    if head.startswith((b"{", b"[")):
        return "json"
    if name.endswith((".xls", ".ods", ".pdf", ".doc", ".docx")) or b"\x00" in data[:2048] and not data.startswith(
        (b"\xff\xfe", b"\xfe\xff")
    ):
        raise ImportFileError("unknown_format")
    return "csv"


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
        key = re.sub(r"[^a-z0-9 ]", "", fold(_text(cell).replace("'", " ").replace("/", " ")))
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
    unknown = [_text(cell) for i, cell in enumerate(header) if _text(cell) and i not in columns.values()]
    if unknown:
        parsed.issues.append(Issue("unknown_columns", WARNING, {"columns": ", ".join(unknown)}))
    if len(rows) - header_at - 1 > max_rows:
        raise ImportFileError("too_many_rows", limit=max_rows)
    carried_day: Any = None
    for offset, raw in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = {name: (raw[i] if i < len(raw) else None) for name, i in columns.items()}
        if cells.get("day") not in (None, ""):
            carried_day = cells["day"]
        title, start = _text(cells.get("title")), cells.get("start")
        if not title and _text(start) == "":
            others = [name for name, value in cells.items() if name != "day" and _text(value)]
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
    row.title = _text(cells.get("title"))
    if not row.title:
        row.error("missing_title")
    elif len(row.title) > TITLE_MAX:
        row.warn("title_truncated", limit=TITLE_MAX)
        row.title = row.title[:TITLE_MAX]
    if day_value not in (None, ""):
        row.day = parse_day(day_value)
        if row.day is None:
            row.error("bad_day", value=_text(day_value)[:40])
    start_value, end_value = cells.get("start"), cells.get("end")
    if _text(end_value) == "" and (pair := split_range(start_value)):
        start_value, end_value = pair
    row.start = parse_time(start_value) if _text(start_value) else None
    if _text(start_value) == "":
        row.error("missing_start")
    elif row.start is None:
        row.error("bad_time", value=_text(start_value)[:40])
    if _text(end_value):
        row.end = parse_time(end_value)
        if row.end is None:
            row.error("bad_time", value=_text(end_value)[:40])
    elif _text(cells.get("duration")):
        minutes = _duration_minutes(_text(cells.get("duration")))
        if minutes is None:
            row.error("bad_duration", value=_text(cells.get("duration"))[:40])
        elif row.start:
            row.end = (datetime.combine(date(2000, 1, 1), row.start) + timedelta(minutes=minutes)).time()
    else:
        row.error("missing_end")
    if row.start and row.end and row.end <= row.start:
        row.error("end_before_start", start=row.start.strftime("%H:%M"), end=row.end.strftime("%H:%M"))
    row.room = _text(cells.get("room"))[:ROOM_MAX]
    if not row.room:
        row.warn("missing_room")
    _set_type(row, _text(cells.get("type")))
    row.track = _text(cells.get("track"))[:120]
    row.speakers = parse_speakers(cells.get("speakers"))
    row.description = _text(cells.get("description"))
    row.cancelled = _cancelled(cells.get("status"))
    return row


def _set_type(row: ImportRow, given: str) -> None:
    row.type_given = given
    row.type, understood = session_type(given, row.title)
    if not understood:
        row.warn("unknown_type", value=given[:60])


def _duration_minutes(text: str) -> int | None:
    match = re.fullmatch(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?::(\d{2}))?", text.strip())
    if match:
        days, hours, minutes = int(match[1] or 0), int(match[2]), int(match[3])
        if match[1] is not None and match[4] is None:
            # "HH:MM:SS" was read as D:HH:MM; take it as hours, minutes, seconds
            days, hours, minutes = 0, int(match[1]), int(match[2])
        return days * 24 * 60 + hours * 60 + minutes
    match = re.fullmatch(r"(\d+)\s*(?:min|mn|m)?", fold(text))
    return int(match[1]) if match else None


# ----------------------------------------------------------- schedule files


def _zone(name: str | None, parsed: ParsedFile) -> ZoneInfo | None:
    if not name:
        return None
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        parsed.issues.append(Issue("timezone_unknown", WARNING, {"value": name[:60]}))
        return None
    parsed.timezone = name
    return zone


def _instant(text: str, zone: ZoneInfo | None) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None and zone is not None:
        value = value.replace(tzinfo=zone)
    return value


def _schedule_row(line: int, item: dict[str, Any], room_name: str, day_date: str, zone: ZoneInfo | None) -> ImportRow:
    """One event of a schedule file (XML or JSON, already turned into a dict)."""
    row = ImportRow(line=line, ref=_text(item.get("id")) or _text(item.get("code")))
    row.title = _text(item.get("title"))
    if not row.title:
        row.error("missing_title")
    elif len(row.title) > TITLE_MAX:
        row.warn("title_truncated", limit=TITLE_MAX)
        row.title = row.title[:TITLE_MAX]
    guid = _text(item.get("guid"))
    row.guid = guid.lower() if re.fullmatch(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", guid) else None
    starts = _instant(_text(item.get("date")), zone)
    if starts is None and _text(item.get("date")):
        row.error("bad_date", value=_text(item.get("date"))[:40])
    if starts is None and day_date and parse_time(item.get("start")):
        day = _parse_day_text(day_date)
        if day and day.date:
            starts = datetime.combine(day.date, parse_time(item.get("start")))
            if zone is not None:
                starts = starts.replace(tzinfo=zone)
    if starts is None and row.ok:
        row.error("missing_start")
    ends = _instant(_text(item.get("end")), zone) if _text(item.get("end")) else None
    if ends is None and starts is not None:
        minutes = _duration_minutes(_text(item.get("duration")))
        if minutes is None:
            row.error("bad_duration", value=_text(item.get("duration"))[:40])
        else:
            ends = starts + timedelta(minutes=minutes)
    if starts is not None and ends is not None and ends <= starts:
        row.error("zero_duration")
    if starts is not None:
        if starts.tzinfo is None:
            row.day, row.start = DaySpec(date=starts.date()), starts.time()
            row.end = ends.time() if ends else None
        else:
            row.starts_at, row.ends_at = starts, ends
    row.room = (_text(item.get("room")) or room_name)[:ROOM_MAX]
    if not row.room:
        row.warn("missing_room")
    _set_type(row, _text(item.get("type")))
    row.track = _text(item.get("track"))[:120]
    parts = []
    for key in ("subtitle", "abstract", "description"):
        text = _text(item.get(key))
        if text and text not in parts:
            parts.append(text)
    row.description = "\n\n".join(parts)
    language = _text(item.get("language")).lower()
    row.language = language if re.fullmatch(r"[a-z]{2}", language) else None
    for person in item.get("persons") or []:
        if isinstance(person, dict):
            name = _text(person.get("name") or person.get("public_name") or person.get("full_public_name"))
            bio = _text(person.get("biography"))
        else:
            name, bio = _text(person), ""
        if name:
            row.speakers.append(SpeakerRef(name[:NAME_MAX], bio=bio))
    for key, code in (("links", "links_ignored"), ("attachments", "attachments_ignored")):
        count = len(item.get(key) or [])
        if count:
            row.warn(code, count=count)
    return row


def parse_schedule_xml(data: bytes) -> ParsedFile:
    """A schedule XML (frab, pretalx, wafer…), read with a parser that refuses entity tricks."""
    parsed = ParsedFile("xml")
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise ImportFileError("xml_entities") from exc
    except ParseError as exc:
        root = _reparse_latin(data, exc, parsed)
    if root.tag != "schedule":
        raise ImportFileError("xml_not_schedule")
    conference = root.find("conference")
    zone = None
    if conference is not None:
        parsed.title = _text(conference.findtext("title")) or None
        zone = _zone(_text(conference.findtext("time_zone_name")), parsed)
    line = 0
    for day in root.findall("day"):
        for room in day.findall("room"):
            for event in room.findall("event"):
                line += 1
                parsed.rows.append(_schedule_row(line, _xml_item(event), room.get("name", ""), day.get("date", ""), zone))
    return parsed


def _reparse_latin(data: bytes, error: ParseError, parsed: ParsedFile) -> Element:
    """Files that say UTF-8 but were saved in Windows-1252: read them as such, with a warning."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        text = re.sub(r"^<\?xml[^>]*\?>", '<?xml version="1.0"?>', text.lstrip("\ufeff"))
        try:
            root = SafeET.fromstring(text.encode("utf-8"))
        except DefusedXmlException as exc:
            raise ImportFileError("xml_entities") from exc
        except ParseError:
            pass
        else:
            parsed.issues.append(Issue("encoding_fallback", WARNING, {"encoding": "Windows-1252"}))
            return root
    line = error.position[0] if getattr(error, "position", None) else 0
    raise ImportFileError("xml_invalid", line=line) from error


def _xml_item(event: Element) -> dict[str, Any]:
    item: dict[str, Any] = {"id": event.get("id") or event.get("code"), "guid": event.get("guid")}
    for key in ("date", "start", "end", "duration", "room", "title", "subtitle", "track", "type",
                "language", "abstract", "description"):
        item[key] = event.findtext(key) or ""
    item["persons"] = [p.text or "" for p in event.findall("persons/person")]
    item["links"] = event.findall("links/link")
    item["attachments"] = event.findall("attachments/attachment")
    return item


def parse_schedule_json(data: bytes) -> ParsedFile:
    """A schedule.json (pretalx, frab)."""
    parsed = ParsedFile("json")
    document = safe_read.load_json(data)
    schedule = document.get("schedule") if isinstance(document, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    days = conference.get("days") if isinstance(conference, dict) else None
    if not isinstance(days, list):
        raise ImportFileError("json_not_schedule")
    parsed.title = _text(conference.get("title")) or None
    zone = _zone(_text(conference.get("time_zone_name")), parsed)
    line = 0
    for day in days:
        rooms = day.get("rooms") if isinstance(day, dict) else None
        if not isinstance(rooms, dict):
            continue
        for room_name, events in rooms.items():
            for item in events if isinstance(events, list) else []:
                line += 1
                if not isinstance(item, dict):
                    row = ImportRow(line=line)
                    row.error("missing_title")
                    parsed.rows.append(row)
                    continue
                parsed.rows.append(_schedule_row(line, item, _text(room_name), _text(day.get("date")), zone))
    return parsed
