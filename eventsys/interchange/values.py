"""Values found in programme files: times, days, session types, people.

Shared by the spreadsheet and schedule readers. Pure: no flask, no database.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from eventsys.interchange.rows import LABEL_MAX, NAME_MAX, DaySpec, ImportRow, SpeakerRef
from eventsys.render.export_data import SESSION_TYPES, fold

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
    ("technical_visit", ("visite technique", "technical visit", "site visit", "visite de site")),
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
    ("chair", ("presid", "chair", "host", "hote")),
    ("speaker", ("interv", "orat", "speaker", "conferenc")),
)
REPRESENTATIVE = re.compile(r",?\s*(ou (son|sa) represent\w*|or (a |their |his |her )?representative)\s*$")
_TIME = re.compile(r"(\d{1,2})\s*(?:[hH:.]\s*(\d{2})?\s*(?::\s*(\d{2}))?)?\s*(am|pm)?", re.IGNORECASE)
_RANGE = re.compile(r"\s*(?:-|–|—|à|a|to)\s*")


def cell_text(value: Any) -> str:
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
    text = cell_text(value)
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
    text = fold(cell_text(value))
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
    text = fold(cell_text(value))
    if not text:
        return None
    match = re.fullmatch(r"(?:j|jour|day|d)?\s*(\d{1,2})", text)
    if match:
        return DaySpec(index=int(match[1])) if int(match[1]) >= 1 else None
    return parse_day_text(text)


def parse_day_text(text: str) -> DaySpec | None:
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
    for chunk in re.split(r"[;\n|]+", cell_text(value)):
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


def is_cancelled(value: Any) -> bool:
    return fold(cell_text(value)).startswith(("annul", "cancel"))


def set_type(row: ImportRow, given: str) -> None:
    """Our kind for the rules, and the source's own label kept for attendees (unknown labels too)."""
    row.type_given = " ".join(given.split())[:LABEL_MAX]
    row.type, understood = session_type(given, row.title)
    if not understood:
        row.warn("unknown_type", value=given[:60])


def role_of(label: str) -> str:
    """Our role for a person's role in another tool (moderator, host, chair…); speaker otherwise."""
    folded = fold(label)
    return next((role for role, prefixes in ROLE_PREFIXES if folded.startswith(prefixes)), "speaker")


def duration_minutes(text: str) -> int | None:
    match = re.fullmatch(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?::(\d{2}))?", text.strip())
    if match:
        days, hours, minutes = int(match[1] or 0), int(match[2]), int(match[3])
        if match[1] is not None and match[4] is None:
            # "HH:MM:SS" was read as D:HH:MM; take it as hours, minutes, seconds
            days, hours, minutes = 0, int(match[1]), int(match[2])
        return days * 24 * 60 + hours * 60 + minutes
    match = re.fullmatch(r"(\d+)\s*(?:min|mn|m)?", fold(text))
    return int(match[1]) if match else None

