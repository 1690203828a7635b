"""Plain data the pure renderers (iCal, PDF, schedule XML/JSON, CSV) take. No flask, no database.

services/exports.py turns models into these; benchmarks and tests build them directly.
Datetimes are aware (UTC in practice); the event's IANA zone decides the wall-clock times shown.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

SESSION_TYPES = (
    "welcome", "opening", "talk", "plenary", "workshop", "interaction", "sharing",
    "speed_networking", "meal", "break", "closing", "technical_visit", "other",
)  # fmt: skip
SPEAKER_ROLES = ("speaker", "moderator", "facilitator", "chair")
# Sessions every attendee goes to: they belong in a personal agenda whatever the registration.
COMMON_TYPES = frozenset({"welcome", "opening", "plenary", "meal", "closing"})


@dataclass(frozen=True)
class RoomData:
    id: int
    name: str
    capacity: int | None = None
    location_notes: str = ""
    step_free: bool | None = None  # None: not known (then not shown)


@dataclass(frozen=True)
class TrackData:
    id: int
    name: str
    colour: str = "#1f5f99"


@dataclass(frozen=True)
class SpeakerPart:
    """A speaker's part in one session."""

    speaker_id: int
    name: str
    role: str = "speaker"
    function: str = ""
    organisation: str = ""
    or_representative: bool = False
    source_id: str = ""  # the person's id in the tool the programme came from
    guid: str = ""  # and their GUID there


@dataclass(frozen=True)
class LinkData:
    url: str
    title: str = ""
    kind: str = "link"  # or "attachment"


@dataclass(frozen=True)
class SessionData:
    id: int
    guid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    type: str = "talk"
    room: RoomData | None = None
    track: TrackData | None = None
    description: str = ""
    languages: tuple[str, ...] = ("fr",)
    cancelled: bool = False
    sequence: int = 0
    speakers: tuple[SpeakerPart, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    url: str = ""  # absolute URL of the session on the public programme
    source_id: str = ""  # the session's id in the tool it was imported from
    type_label: str = ""  # the source's own name for the type ("Concert"), shown instead of ours
    do_not_record: bool = True
    links: tuple[LinkData, ...] = ()


@dataclass(frozen=True)
class EventData:
    code: str  # canonical, e.g. Z26IN001
    code_display: str  # as printed, e.g. Z26IN 001
    title: str
    start_date: date
    end_date: date
    timezone: str = "Europe/Paris"
    subtitle: str = ""
    kind: str = "training_day"
    venue_name: str = ""
    venue_address: str = ""
    access_notes: str = ""
    contacts: str = ""
    languages: tuple[str, ...] = ("fr",)
    url: str = ""  # absolute URL of the public event page
    rooms: tuple[RoomData, ...] = ()
    tracks: tuple[TrackData, ...] = ()
    sessions: tuple[SessionData, ...] = ()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def days(self) -> list[date]:
        return [self.start_date + timedelta(days=i) for i in range((self.end_date - self.start_date).days + 1)]

    @property
    def venue_line(self) -> str:
        """Venue name and address on one line."""
        parts = [self.venue_name.strip(), *one_line(self.venue_address).split(", ")]
        return ", ".join(dict.fromkeys(p for p in parts if p))


def _and_more_fr(count: int) -> str:
    """The French default of ExportLabels.and_more: "et 1 autre", "et 3 autres"."""
    return f"et {count} autre" if count <= 1 else f"et {count} autres"


@dataclass(frozen=True)
class ExportLabels:
    """Words a person reads in an export, already translated by the caller (French by default)."""

    type_labels: dict[str, str] = field(
        default_factory=lambda: {
            "welcome": "Accueil", "opening": "Ouverture", "talk": "Exposé", "plenary": "Plénière",
            "workshop": "Atelier", "interaction": "Interaction", "sharing": "Mise en partage",
            "speed_networking": "Speed-networking", "meal": "Repas", "break": "Pause",
            "closing": "Clôture", "technical_visit": "Visite technique", "other": "Autre",
        }  # fmt: skip
    )
    role_labels: dict[str, str] = field(
        default_factory=lambda: {
            "speaker": "intervenant·e", "moderator": "modérateur·rice",
            "facilitator": "animateur·rice", "chair": "président·e de séance",
        }  # fmt: skip
    )
    kind_labels: dict[str, str] = field(
        default_factory=lambda: {
            "training_day": "Journée d'actualité",
            "conference": "Rencontres nationales / conférence",
            "network_meeting": "Rencontre de réseau",
        }
    )
    or_representative: str = "ou son représentant"
    cancelled: str = "Annulée"
    programme: str = "Programme"
    overview: str = "Programme jour par jour"
    detailed: str = "Programme détaillé"
    speakers_index: str = "Index des intervenants"
    rooms_access: str = "Salles et accès"
    venue: str = "Lieu"
    access: str = "Accès"
    contacts: str = "Contacts"
    session_code: str = "Code de session"
    page_of: str = "Page %(page)s sur %(total)s"
    date_range: str = "du %(start)s au %(end)s"
    and_more: Callable[[int], str] = _and_more_fr  # "and N others": the words depend on N
    capacity: str = "Capacité : %(count)s places"
    step_free: str = "Accès de plain-pied"
    not_step_free: str = "Accès non de plain-pied"
    no_room: str = "Salle à préciser"
    track: str = "Thème"
    type: str = "Type"
    speakers: str = "Intervenants"
    room: str = "Salle"
    rooms: str = "Salles"
    more_info: str = "Informations et inscription"
    edition: str = "Version du %(date)s"
    no_session: str = "Le programme n'est pas encore publié."
    lang: str = "fr"  # the language these labels are written in (its punctuation goes with them)


# ------------------------------------------------------------------ small helpers


def one_line(text: str) -> str:
    """Line breaks of an address or note as ', '."""
    return ", ".join(part.strip() for part in re.split(r"[\r\n]+", text or "") if part.strip())


def fold(text: str) -> str:
    """A key to match names typed differently: no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("’", "'").split())


def slugify(text: str, limit: int = 60) -> str:
    """ASCII, lower case, hyphens: 'Ouverture & accueil' -> 'ouverture-accueil'."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return slug[:limit].strip("-")


def local(value: datetime, tz: ZoneInfo) -> datetime:
    """An aware datetime as a wall-clock time of the zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(tz)


def speaker_line(part: SpeakerPart, labels: ExportLabels, with_role: bool = True) -> str:
    """'Camille Durand, directrice, CNFPT (modératrice), ou son représentant'."""
    text = ", ".join(p for p in (part.name, part.function, part.organisation) if p)
    if with_role and part.role != "speaker":
        text += f" ({labels.role_labels.get(part.role, part.role)})"
    if part.or_representative:
        text += f", {labels.or_representative}"
    return text


def live_sessions(sessions: tuple[SessionData, ...] | list[SessionData]) -> list[SessionData]:
    """Sessions that take place, in time order."""
    return sorted((s for s in sessions if not s.cancelled), key=lambda s: (s.starts_at, s.id))


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a long export is made (a calendar, a booklet): its
    objects all live until the end, and the collector would walk them and the whole process's heap
    again and again for nothing (a sixth of a 600-page booklet's time, up to half of a
    1,000-session calendar's). It runs again afterwards; if it was already paused, it stays so."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
