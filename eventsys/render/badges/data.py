"""Badge layouts, roles and their colours, labels in five languages, and the plain data a caller passes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

LAYOUTS = ("a6", "a4-8", "id1", "a6-folded")
ROLES = ("participant", "speaker", "facilitator", "organiser", "staff", "press")

# White text on each of these has a contrast ratio of at least 6:1 (WCAG AA asks 4.5:1); the
# role is also printed as text, so nobody depends on telling the colours apart.
ROLE_COLOURS: dict[str, str] = {
    "participant": "#1d4f91",
    "speaker": "#b3261e",
    "facilitator": "#1e6b3a",
    "organiser": "#5b2a86",
    "staff": "#222222",
    "press": "#a14a00",
}

DEFAULT_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "role.participant": "Participant",
        "role.speaker": "Intervenant",
        "role.facilitator": "Animateur",
        "role.organiser": "Organisateur",
        "role.staff": "Équipe",
        "role.press": "Presse",
        "languages": "Langues",
        "programme": "Mon programme",
        "itinerary": "Speed-networking",
        "round": "Tour %(number)s",
        "theme": "Thème",
        "facilitator": "Animation",
        "sitting_out": "Pause pendant ce tour",
        "no_programme": "Aucune session choisie.",
        "continued_inside": "Suite du programme à l'intérieur",
        "continued": "Mon programme (suite)",
        "fold_title": "Pliage",
        "fold_1": "1. Pliez la feuille en deux vers l'arrière le long du pointillé horizontal, "
        "impression à l'extérieur.",
        "fold_2": "2. Pliez-la encore en deux vers l'arrière le long du pointillé vertical : "
        "le badge devant, votre programme derrière.",
    },
    "en": {
        "role.participant": "Participant",
        "role.speaker": "Speaker",
        "role.facilitator": "Facilitator",
        "role.organiser": "Organiser",
        "role.staff": "Staff",
        "role.press": "Press",
        "languages": "Languages",
        "programme": "My programme",
        "itinerary": "Speed networking",
        "round": "Round %(number)s",
        "theme": "Theme",
        "facilitator": "Facilitator",
        "sitting_out": "Break during this round",
        "no_programme": "No session selected.",
        "continued_inside": "Programme continues inside",
        "continued": "My programme (continued)",
        "fold_title": "Folding",
        "fold_1": "1. Fold the sheet in half backwards along the horizontal dotted line, "
        "print outside.",
        "fold_2": "2. Fold it in half again backwards along the vertical dotted line: "
        "badge in front, your programme behind.",
    },
    "de": {
        "role.participant": "Teilnehmer",
        "role.speaker": "Referent",
        "role.facilitator": "Moderator",
        "role.organiser": "Veranstalter",
        "role.staff": "Team",
        "role.press": "Presse",
        "languages": "Sprachen",
        "programme": "Mein Programm",
        "itinerary": "Speed-Networking",
        "round": "Runde %(number)s",
        "theme": "Thema",
        "facilitator": "Moderation",
        "sitting_out": "Pause in dieser Runde",
        "no_programme": "Keine Sitzung gewählt.",
        "continued_inside": "Programm geht innen weiter",
        "continued": "Mein Programm (Fortsetzung)",
        "fold_title": "Falten",
        "fold_1": "1. Das Blatt entlang der waagerechten gestrichelten Linie nach hinten "
        "falten, Druck außen.",
        "fold_2": "2. Noch einmal entlang der senkrechten gestrichelten Linie nach hinten "
        "falten: vorne das Namensschild, hinten Ihr Programm.",
    },
    "es": {
        "role.participant": "Participante",
        "role.speaker": "Ponente",
        "role.facilitator": "Dinamizador",
        "role.organiser": "Organizador",
        "role.staff": "Equipo",
        "role.press": "Prensa",
        "languages": "Idiomas",
        "programme": "Mi programa",
        "itinerary": "Speed networking",
        "round": "Ronda %(number)s",
        "theme": "Tema",
        "facilitator": "Dinamización",
        "sitting_out": "Descanso en esta ronda",
        "no_programme": "Ninguna sesión elegida.",
        "continued_inside": "El programa continúa en el interior",
        "continued": "Mi programa (continuación)",
        "fold_title": "Plegado",
        "fold_1": "1. Doble la hoja por la mitad hacia atrás por la línea de puntos "
        "horizontal, con la impresión hacia fuera.",
        "fold_2": "2. Dóblela otra vez hacia atrás por la línea de puntos vertical: "
        "la acreditación delante, su programa detrás.",
    },
    "it": {
        "role.participant": "Partecipante",
        "role.speaker": "Relatore",
        "role.facilitator": "Facilitatore",
        "role.organiser": "Organizzatore",
        "role.staff": "Staff",
        "role.press": "Stampa",
        "languages": "Lingue",
        "programme": "Il mio programma",
        "itinerary": "Speed networking",
        "round": "Turno %(number)s",
        "theme": "Tema",
        "facilitator": "Facilitazione",
        "sitting_out": "Pausa in questo turno",
        "no_programme": "Nessuna sessione scelta.",
        "continued_inside": "Il programma continua all'interno",
        "continued": "Il mio programma (segue)",
        "fold_title": "Piegatura",
        "fold_1": "1. Piegare il foglio a metà all'indietro lungo la linea tratteggiata "
        "orizzontale, con la stampa all'esterno.",
        "fold_2": "2. Piegarlo di nuovo all'indietro lungo la linea tratteggiata verticale: "
        "il badge davanti, il programma dietro.",
    },
}
FALLBACK_LANGUAGE = "en"  # for badge languages nobody wrote labels for


@dataclass(frozen=True)
class ProgrammeItem:
    """One session of the person's own programme, printed on the back of a folded badge."""

    start: datetime
    end: datetime | None
    title: str
    room: str = ""


@dataclass(frozen=True)
class ItineraryStep:
    """One round of the person's speed-networking itinerary: when, where (place "Table 4"), the
    station's theme and facilitator; `detail` is free text printed when there is no theme nor
    facilitator. Steps of one `activity` (its title) are printed together under its name."""

    start: datetime
    place: str
    detail: str = ""
    end: datetime | None = None
    number: int = 0  # round number, 1-based; 0 when unknown
    theme: str = ""
    facilitator: str = ""
    activity: str = ""
    sitting_out: bool = False  # nobody to meet this round (odd number in pairs, full tables)


@dataclass(frozen=True)
class BadgeData:
    """Everything printed on one person's badge; `qr_payload` is the signed token text."""

    event_name: str
    first_name: str
    last_name: str
    qr_payload: str
    organisation: str = ""
    delegation: str = ""  # "Delegation · Country", already in the badge's language
    role: str = "participant"
    languages: Sequence[str] = ()  # ISO 639-1 codes the person speaks, printed as names
    lang: str = "fr"  # language of the labels
    logo: bytes | None = None  # PNG or JPEG
    event_subtitle: str = ""  # e.g. "25 juin 2026 · Évry-Courcouronnes", already formatted
    programme: Sequence[ProgrammeItem] = ()
    itinerary: Sequence[ItineraryStep] = ()


@dataclass(frozen=True)
class BadgeOptions:
    """Settings shared by every badge of one PDF."""

    bilingual: str | None = (
        None  # second label language, e.g. "de" prints "Participant · Teilnehmer"
    )
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # overrides per language
    tz: str = "Europe/Paris"  # for aware datetimes of the programme
    role_colours: Mapping[str, str] = field(default_factory=dict)
    title: str = "Badges"  # PDF document title
