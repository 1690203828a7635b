"""Name badges as PDF: dataclasses in, bytes out.

Pure: no flask, no database. The caller passes already-signed QR payloads, local times (or
aware datetimes plus the event's time zone) and, when it wants, its own translated labels;
DEFAULT_LABELS covers French, English, German, Spanish and Italian so the module stands alone.

Layouts (see LAYOUTS):
* ``a6``        one A6 portrait badge per page (105 x 148 mm), for A6 holders;
* ``a4-8``      eight 90 x 60 mm badges per A4 sheet (2 x 4) with crop marks, for office printers;
* ``id1``       one 85.6 x 54 mm card per page (ISO/IEC 7810 ID-1), for card badge printers;
* ``a6-folded`` one A4 sheet per person, printed on one side and folded twice (top half
  backwards, then right half backwards): the badge shows in front, the person's own programme
  (sessions, speed-networking itinerary) behind; programme overflow continues on the inner panel.

Names are NFC-normalised, drawn with the embedded (subset) DejaVu fonts, shrunk down to a
minimum size, then wrapped on two lines, never clipped; `fit_name` holds that decision.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from eventsys.i18n import format_day
from eventsys.render.fonts import (
    CONDENSED,
    CONDENSED_BOLD,
    SANS,
    SANS_BOLD,
    draw_string,
    register_fonts,
    string_width,
    text_out,
)
from eventsys.render.qr import QUIET_ZONE, draw_qr, qr_matrix

__all__ = [
    "DEFAULT_LABELS",
    "LAYOUTS",
    "ROLE_COLOURS",
    "ROLES",
    "BadgeData",
    "BadgeOptions",
    "ItineraryStep",
    "ProgrammeItem",
    "fit_name",
    "fit_text",
    "layout_slots",
    "render_badges",
]

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


# --------------------------------------------------------------------------- text fitting

_SPACES = re.compile(r"[^\S\u00a0\u202f]+")  # collapse whitespace, keep no-break spaces


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", _SPACES.sub(" ", text or "").strip())


def _floor(size: float) -> float:
    """Round a font size down to 0.1 pt, strictly, so float noise never makes text overflow."""
    return math.floor((size - 1e-6) * 10) / 10


def _break_options(text: str) -> list[tuple[str, str]]:
    """Every way to cut `text` in two lines: at a space (dropped) or after a hyphen (kept)."""
    options = []
    for i, ch in enumerate(text):
        if ch == " ":
            options.append((text[:i], text[i + 1 :]))
        elif ch in "-\u2010" and 0 < i < len(text) - 1 and text[i + 1] != " ":
            options.append((text[: i + 1], text[i + 1 :]))
    return options


@lru_cache(maxsize=4096)
def fit_name(
    name: str, max_width: float, max_size: float, min_size: float, *, font: str = SANS_BOLD
) -> tuple[tuple[str, ...], float]:
    """Lines and font size for a name in `max_width` points: shrink to `min_size`, then two lines.

    The name is NFC-normalised. Results are cached: event names, organisations and labels
    repeat on thousands of badges. Returned lines always fit the width: when even two lines at
    `min_size` are too wide (or the name cannot be cut), the size goes below the minimum rather
    than letting text overflow or be clipped.
    """
    register_fonts()
    text = _nfc(name)
    if not text:
        return (), max_size
    one_line = min(max_size, max_width / string_width(text, font, 1))
    if one_line >= min_size:
        return (text,), max_size if one_line == max_size else _floor(one_line)
    best: tuple[float, tuple[str, str]] | None = None
    for first, second in _break_options(text):
        widest = max(string_width(first, font, 1), string_width(second, font, 1))
        if best is None or widest < best[0]:
            best = (widest, (first, second))
    if best is None:
        return (text,), _floor(one_line)
    two_lines = min(max_size, max_width / best[0])
    if two_lines <= one_line:
        return (text,), _floor(one_line)
    return best[1], max_size if two_lines == max_size else _floor(two_lines)


def _wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Greedy line breaking at spaces and hyphens; a word wider than the line is cut by letters."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if string_width(candidate, font, size) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for piece in _hyphen_pieces(word):
            candidate = line + piece
            if string_width(candidate, font, size) <= max_width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for ch in piece:
                if line and string_width(line + ch, font, size) > max_width:
                    lines.append(line)
                    line = ""
                line += ch
    if line:
        lines.append(line)
    return lines


def _hyphen_pieces(word: str) -> list[str]:
    pieces, start = [], 0
    for i, ch in enumerate(word):
        if ch in "-\u2010/" and 0 < i < len(word) - 1:
            pieces.append(word[start : i + 1])
            start = i + 1
    pieces.append(word[start:])
    return pieces


@lru_cache(maxsize=4096)
def fit_text(
    text: str,
    max_width: float,
    max_size: float,
    min_size: float,
    *,
    font: str = SANS,
    max_lines: int = 2,
) -> tuple[tuple[str, ...], float]:
    """Lines and size for running text: shrink in half-points until it takes `max_lines` lines.

    At `min_size` the text keeps every word and may take more lines; no line is ever wider than
    `max_width`.
    """
    register_fonts()
    text = _nfc(text)
    if not text:
        return (), max_size
    size = max_size
    while True:
        lines = _wrap(text, font, size, max_width)
        if len(lines) <= max_lines or size - 0.5 < min_size:
            return tuple(lines), size
        size -= 0.5


@dataclass
class _Block:
    text: str
    font: str
    max_size: float
    min_size: float
    colour: Color
    max_lines: int = 2
    gap: float = 0.0  # space above, in points, scaled with the text
    is_name: bool = False
    leading: float = 1.22


_Placed = tuple[_Block, tuple[str, ...], float, float]  # block, lines, size, gap above


def _fit_blocks(
    blocks: Sequence[_Block], width: float, height: float
) -> tuple[list[_Placed], float]:
    """Fit stacked text blocks in a box, scaling every size down together until they fit."""
    scale = 1.0
    placed: list[_Placed] = []
    total = 0.0
    for _ in range(16):
        placed, total = [], 0.0
        for block in blocks:
            if not block.text:
                continue
            if block.is_name:
                lines, size = fit_name(
                    block.text,
                    width,
                    block.max_size * scale,
                    block.min_size * scale,
                    font=block.font,
                )
            else:
                lines, size = fit_text(
                    block.text,
                    width,
                    block.max_size * scale,
                    block.min_size * scale,
                    font=block.font,
                    max_lines=block.max_lines,
                )
            gap = block.gap * scale if placed else 0.0
            total += gap + len(lines) * size * block.leading
            placed.append((block, lines, size, gap))
        if total <= height:
            break
        scale *= 0.9
    return placed, total


def _draw_blocks(
    c: Canvas, placed: Sequence[_Placed], x: float, top: float, width: float, *, centred: bool
) -> float:
    """Draw fitted blocks from `top` down; return the y where the last line box ends."""
    y = top
    for block, lines, size, gap in placed:
        y -= gap
        c.setFillColor(block.colour)
        for line in lines:
            baseline = y - size * 0.95
            if centred:
                draw_string(c, x + width / 2, baseline, line, block.font, size, "middle")
            else:
                draw_string(c, x, baseline, line, block.font, size)
            y -= size * block.leading
    return y


# --------------------------------------------------------------------------- labels


def _short_lang(lang: str | None) -> str:
    return (lang or "").replace("-", "_").split("_")[0].lower()


class _Labels:
    """Label lookup for one badge: caller's labels, then defaults, then the fallback language."""

    def __init__(self, options: BadgeOptions, lang: str) -> None:
        self.options = options
        self.lang = _short_lang(lang) or FALLBACK_LANGUAGE
        second = _short_lang(options.bilingual)
        self.second = second if second and second != self.lang else None

    def _one(self, lang: str, key: str) -> str:
        for source in (
            self.options.labels.get(lang),
            DEFAULT_LABELS.get(lang),
            self.options.labels.get(FALLBACK_LANGUAGE),
            DEFAULT_LABELS[FALLBACK_LANGUAGE],
        ):
            if source and key in source:
                return str(source[key])
        return key.rsplit(".", 1)[-1].capitalize()

    def get(self, key: str, *, bilingual: bool = True) -> str:
        first = self._one(self.lang, key)
        if not bilingual or self.second is None:
            return first
        second = self._one(self.second, key)
        return first if second == first else f"{first} · {second}"

    def language_names(self, codes: Sequence[str]) -> str:
        return ", ".join(_language_name(self.lang, _short_lang(code)) for code in codes if code)


@lru_cache(maxsize=256)
def _language_name(lang: str, code: str) -> str:
    try:
        name = Locale.parse(lang).languages.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    if name is None:
        try:
            name = Locale.parse(FALLBACK_LANGUAGE).languages.get(code)
        except (UnknownLocaleError, ValueError):
            name = None
    return name or code.upper()


@lru_cache(maxsize=64)
def _babel_locale(lang: str) -> str:
    short = _short_lang(lang)
    # European events: day-month order and 24-hour clock for English too.
    return "en_GB" if short == "en" else (short or "fr")


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class _Slot:
    x: float
    y: float
    w: float
    h: float


A4_8_BADGE = (90 * mm, 60 * mm)
A4_8_GUTTER = 10 * mm
A4_8_BLEED = 1.5 * mm  # colour beyond the trim, inside the gutter; crop marks start further out
ID1 = (85.6 * mm, 54 * mm)


def _a4_8_slots() -> list[_Slot]:
    bw, bh = A4_8_BADGE
    page_w, page_h = A4
    left = (page_w - 2 * bw - A4_8_GUTTER) / 2
    top = page_h - (page_h - 4 * bh - 3 * A4_8_GUTTER) / 2
    slots = []
    for row in range(4):
        for col in range(2):
            slots.append(
                _Slot(
                    left + col * (bw + A4_8_GUTTER),
                    top - (row + 1) * bh - row * A4_8_GUTTER,
                    bw,
                    bh,
                )
            )
    return slots


def layout_slots(
    layout: str,
) -> tuple[tuple[float, float], list[tuple[float, float, float, float]]]:
    """Page size and the badge boxes on one page (x, y, width, height in points, origin bottom left).

    For ``a6-folded`` the two boxes are the front (lower left quarter) and the programme back
    (lower right quarter) of the A4 sheet.
    """
    if layout == "a6":
        return A6, [(0.0, 0.0, *A6)]
    if layout == "id1":
        return ID1, [(0.0, 0.0, *ID1)]
    if layout == "a4-8":
        return A4, [(s.x, s.y, s.w, s.h) for s in _a4_8_slots()]
    if layout == "a6-folded":
        w, h = A4[0] / 2, A4[1] / 2
        return A4, [(0.0, 0.0, w, h), (w, 0.0, w, h)]
    raise ValueError(f"unknown badge layout {layout!r}; expected one of {', '.join(LAYOUTS)}")


# --------------------------------------------------------------------------- drawing helpers

INK = HexColor("#111111")
SOFT_INK = HexColor("#3a3a3a")
MUTED = HexColor("#595959")  # 7:1 on white
RULE = HexColor("#c8c8c8")
WHITE = HexColor("#ffffff")


class _Renderer:
    def __init__(self, canvas: Canvas, options: BadgeOptions) -> None:
        self.c = canvas
        self.options = options
        self.tz = ZoneInfo(options.tz)
        self._logos: dict[bytes, tuple[str, float, float] | None] = {}

    # Logos are drawn once as form XObjects and reused by every badge of the PDF.
    def logo(self, data: bytes | None) -> tuple[str, float, float] | None:
        if not data:
            return None
        key = hashlib.sha256(data).digest()
        if key not in self._logos:
            try:
                reader = ImageReader(io.BytesIO(data))
                iw, ih = reader.getSize()
            except (OSError, ValueError, SyntaxError):  # unreadable image: print the badge anyway
                self._logos[key] = None
                return None
            name = "logo" + key.hex()[:16]
            self.c.beginForm(name, 0, 0, iw, ih)
            self.c.drawImage(reader, 0, 0, iw, ih, mask="auto")
            self.c.endForm()
            self._logos[key] = (name, float(iw), float(ih))
        return self._logos[key]

    def draw_logo(
        self, data: bytes | None, x: float, y: float, max_w: float, max_h: float
    ) -> float:
        """Draw the logo in a box anchored at its top left (x, y); return the width used."""
        logo = self.logo(data)
        if logo is None:
            return 0.0
        name, iw, ih = logo
        k = min(max_w / iw, max_h / ih)
        w, h = iw * k, ih * k
        self.c.saveState()
        self.c.translate(x, y - h + (max_h - h) / 2)
        self.c.scale(k, k)
        self.c.doForm(name)
        self.c.restoreState()
        return w

    def role_colour(self, role: str) -> Color:
        return HexColor(
            self.options.role_colours.get(role)
            or ROLE_COLOURS.get(role)
            or ROLE_COLOURS["participant"]
        )

    def ribbon(
        self, b: BadgeData, labels: _Labels, x: float, y: float, w: float, h: float, size: float
    ) -> None:
        """The role band: colour and the role's name, so colour is never the only cue."""
        c = self.c
        c.setFillColor(self.role_colour(b.role))
        c.rect(x, y, w, h, stroke=0, fill=1)
        text = labels.get(f"role.{b.role}")
        lines, fitted = fit_name(text, w - 8 * mm, size, size * 0.6)
        c.setFillColor(WHITE)
        line_h = fitted * 1.15
        # Centre the cap height (about 0.73 em) of the block of lines in the band.
        baseline = y + h / 2 + (len(lines) - 1) * line_h / 2 - fitted * 0.365
        for line in lines:
            draw_string(c, x + w / 2, baseline, line, SANS_BOLD, fitted, "middle")
            baseline -= line_h

    def qr(self, payload: str, x: float, y: float, block: float) -> None:
        """QR code with its quiet zone inside the square block at (x, y)."""
        matrix = qr_matrix(payload)
        n = len(matrix)
        module = block / (n + 2 * QUIET_ZONE)
        draw_qr(self.c, matrix, x + QUIET_ZONE * module, y + QUIET_ZONE * module, n * module)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz) if moment.tzinfo is not None else moment

    # ------------------------------------------------------------------ faces

    def front_portrait(self, b: BadgeData, slot: _Slot) -> None:
        c = self.c
        labels = _Labels(self.options, b.lang)
        pad = 7 * mm
        inner_w = slot.w - 2 * pad
        top = slot.y + slot.h - 8 * mm

        # Header: logo, event name and subtitle.
        logo_w = self.draw_logo(b.logo, slot.x + pad, top, 28 * mm, 15 * mm)
        text_x = slot.x + pad + (logo_w + 3 * mm if logo_w else 0)
        text_w = slot.x + slot.w - pad - text_x
        header, used = _fit_blocks(
            [
                _Block(b.event_name, SANS_BOLD, 10.5, 7.5, INK, max_lines=2),
                _Block(b.event_subtitle, SANS, 7.5, 6.5, MUTED, max_lines=2, gap=1.5),
            ],
            text_w,
            16 * mm,
        )
        header_h = max(used, 15 * mm if logo_w else 0)
        _draw_blocks(c, header, text_x, top - (header_h - used) / 2, text_w, centred=False)
        rule_y = top - header_h - 3 * mm
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.line(slot.x + pad, rule_y, slot.x + slot.w - pad, rule_y)

        # Bottom: the role band kept inside the printable area (office printers leave ~5 mm
        # unprinted), then the QR code with the languages beside it.
        inset = 5 * mm
        ribbon_h = 14 * mm
        self.ribbon(b, labels, slot.x + inset, slot.y + inset, slot.w - 2 * inset, ribbon_h, 16)
        qr_block = 36 * mm
        qr_y = slot.y + inset + ribbon_h + 1.5 * mm
        self.qr(b.qr_payload, slot.x + slot.w - pad - qr_block + QUIET_ZONE, qr_y, qr_block)
        languages = labels.language_names(b.languages)
        if languages:
            lang_blocks, lang_h = _fit_blocks(
                [
                    _Block(labels.get("languages"), SANS_BOLD, 8, 6.5, MUTED, max_lines=2),
                    _Block(languages, SANS, 9, 6.5, SOFT_INK, max_lines=4, gap=2),
                ],
                inner_w - qr_block,
                qr_block - 8 * mm,
            )
            _draw_blocks(
                c,
                lang_blocks,
                slot.x + pad,
                qr_y + qr_block / 2 + lang_h / 2,
                inner_w,
                centred=False,
            )

        # Middle: the name, large, centred between the header and the QR code.
        zone_top = rule_y - 3 * mm
        zone_bottom = qr_y + qr_block + 1 * mm
        names, used = _fit_blocks(
            [
                _Block(b.first_name, SANS_BOLD, 30, 18, INK, is_name=True, leading=1.2),
                _Block(b.last_name, SANS_BOLD, 22, 13, INK, is_name=True, gap=1, leading=1.2),
                _Block(b.organisation, SANS, 11, 8, SOFT_INK, max_lines=2, gap=7),
                _Block(b.delegation, SANS_BOLD, 10, 7, INK, max_lines=2, gap=3),
            ],
            inner_w,
            zone_top - zone_bottom,
        )
        _draw_blocks(
            c,
            names,
            slot.x + pad,
            zone_top - (zone_top - zone_bottom - used) / 2,
            inner_w,
            centred=True,
        )

    def front_landscape(
        self, b: BadgeData, slot: _Slot, *, compact: bool, bleed: float = 0.0
    ) -> None:
        c = self.c
        labels = _Labels(self.options, b.lang)
        pad = (3.5 if compact else 4) * mm
        ribbon_h = (8 if compact else 9) * mm
        # With `bleed` the band runs past the trim lines so a slightly off cut leaves no white edge.
        self.ribbon(
            b, labels, slot.x - bleed, slot.y - bleed, slot.w + 2 * bleed, ribbon_h + bleed,
            10 if compact else 11,
        )  # fmt: skip
        ribbon_top = slot.y + ribbon_h

        # Header across the badge: logo and event name, then a hairline.
        top = slot.y + slot.h - pad
        full_w = slot.w - 2 * pad
        logo_w = self.draw_logo(b.logo, slot.x + pad, top, 14 * mm, 7 * mm)
        header_x = slot.x + pad + (logo_w + 2 * mm if logo_w else 0)
        header_w = slot.x + slot.w - pad - header_x
        header, header_used = _fit_blocks(
            [_Block(b.event_name, SANS_BOLD, 7, 5.5, MUTED, max_lines=2)], header_w, 7 * mm
        )
        header_h = max(header_used, 7 * mm if logo_w else 0)
        _draw_blocks(
            c, header, header_x, top - (header_h - header_used) / 2, header_w, centred=False
        )
        rule_y = top - header_h - 1.5 * mm
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.line(slot.x + pad, rule_y, slot.x + pad + full_w, rule_y)

        # QR code on the right, centred between the hairline and the band; its quiet zone
        # is the white space that separates it from the text.
        qr_block = min((23 if compact else 25) * mm, rule_y - ribbon_top)
        qr_x = slot.x + slot.w - qr_block - 1 * mm
        qr_y = ribbon_top + (rule_y - ribbon_top - qr_block) / 2
        self.qr(b.qr_payload, qr_x, qr_y, qr_block)

        # Name, organisation and languages on the left, centred vertically.
        text_x = slot.x + pad
        text_w = qr_x - text_x
        zone_top = rule_y - 1.5 * mm
        zone_bottom = ribbon_top + 1.5 * mm
        languages = labels.language_names(b.languages)
        colon = "\u00a0: " if labels.lang == "fr" else ": "  # French puts a space before colons
        body, used = _fit_blocks(
            [
                _Block(b.first_name, SANS_BOLD, 19 if compact else 21, 11, INK, is_name=True, leading=1.2),
                _Block(b.last_name, SANS_BOLD, 14 if compact else 15, 9, INK, is_name=True, leading=1.2),
                _Block(b.organisation, SANS, 8, 6, SOFT_INK, max_lines=2, gap=3),
                _Block(b.delegation, SANS_BOLD, 8, 6, INK, max_lines=2, gap=2),
                _Block(
                    f"{labels.get('languages')}{colon}{languages}" if languages else "",
                    CONDENSED, 7, 5.5, MUTED, max_lines=2, gap=3,
                ),
            ],
            text_w,
            zone_top - zone_bottom,
        )  # fmt: skip
        _draw_blocks(
            c, body, text_x, zone_top - (zone_top - zone_bottom - used) / 2, text_w, centred=False
        )

    # ------------------------------------------------------------------ programme back

    def programme_rows(self, b: BadgeData, labels: _Labels) -> list[tuple]:
        rows: list[tuple] = []
        day: date | None = None
        locale = _babel_locale(labels.lang)
        for item in sorted(b.programme, key=lambda i: self.local(i.start).replace(tzinfo=None)):
            start = self.local(item.start)
            if start.date() != day:
                day = start.date()
                label = format_day(day, locale)
                rows.append(("day", label[:1].upper() + label[1:]))
            # Numeric times in every language: the time column is sized for "00:00–00:00".
            when = f"{start:%H:%M}"
            if item.end is not None:
                when += f"–{self.local(item.end):%H:%M}"
            rows.append(("item", when, _nfc(item.title), _nfc(item.room)))
        if b.itinerary:
            rows += self.itinerary_rows(b, labels, locale)
        return rows

    def itinerary_rows(self, b: BadgeData, labels: _Labels, locale: str) -> list[tuple]:
        """Speed-networking rounds: a heading per activity (with its day when the badge covers
        several days), then per round its time, round and table, theme and facilitator."""
        steps = sorted(
            b.itinerary, key=lambda s: (self.local(s.start).replace(tzinfo=None), s.number)
        )
        days = {self.local(i.start).date() for i in (*b.programme, *steps)}
        colon = "\u00a0: " if labels.lang == "fr" else ": "
        rows: list[tuple] = []
        group: tuple[str, date] | None = None
        for step in steps:
            start = self.local(step.start)
            if (step.activity, start.date()) != group:
                group = (step.activity, start.date())
                heading = _nfc(step.activity) or labels.get("itinerary", bilingual=False)
                if len(days) > 1:
                    heading += f" – {format_day(start.date(), locale, width='weekday')}"
                rows.append(("section", heading))
            when = f"{start:%H:%M}"
            if step.end is not None:
                when += f"–{self.local(step.end):%H:%M}"
            title = _nfc(step.place)
            if step.number:
                number = labels.get("round", bilingual=False) % {"number": step.number}
                title = f"{number} · {title}" if title else number
            details = []
            if step.sitting_out:
                details.append(labels.get("sitting_out", bilingual=False))
            if step.theme:
                details.append(f"{labels.get('theme', bilingual=False)}{colon}{_nfc(step.theme)}")
            if step.facilitator:
                details.append(
                    f"{labels.get('facilitator', bilingual=False)}{colon}{_nfc(step.facilitator)}"
                )
            if not details and step.detail:
                details.append(_nfc(step.detail))
            rows.append(("item", when, title, tuple(details)))
        return rows

    def row_height(self, row: tuple, width: float, k: float) -> tuple[float, object]:
        return _row_metrics(row, width, k)

    def draw_rows(
        self, rows: Sequence[tuple], x: float, top: float, width: float, bottom: float, k: float,
        *, draw: bool = True,
    ) -> int:  # fmt: skip
        """Draw rows from `top` while they fit above `bottom`; return how many fit (drawn or not)."""
        c = self.c
        # One text object for the whole list: a drawString per line costs a text object each,
        # which is most of a folded badge's rendering time.
        text = c.beginText()
        y = top
        fitting = len(rows)
        for index, row in enumerate(rows):
            h, fitted = self.row_height(row, width, k)
            if y - h < bottom:
                fitting = index
                break
            if not draw:
                y -= h
                continue
            if row[0] in ("day", "section"):
                lines, size = fitted
                y -= 1.5 * k
                text.setFillColor(INK)
                text.setFont(SANS_BOLD, size)
                for line in lines:
                    text.setTextOrigin(x, y - size * 0.95)
                    text_out(text, line, SANS_BOLD, size)
                    y -= size * 1.2
                c.setStrokeColor(RULE)
                c.setLineWidth(0.5)
                c.line(x, y - 0.6 * k, x + width, y - 0.6 * k)
                y -= 2.0 * k
                continue
            time_w, title_lines, title_size, room_lines, room_size = fitted
            row_top = y
            text.setFillColor(INK)
            text.setFont(CONDENSED_BOLD, 7.5 * k)
            text.setTextOrigin(x, y - 7.5 * k * 0.95)
            text.textOut(row[1])
            text.setFont(SANS_BOLD, title_size)
            for line in title_lines:
                text.setTextOrigin(x + time_w, y - title_size * 0.95)
                text_out(text, line, SANS_BOLD, title_size)
                y -= title_size * 1.2
            text.setFillColor(MUTED)
            text.setFont(SANS, room_size)
            for line in room_lines:
                text.setTextOrigin(x + time_w, y - room_size * 0.95)
                text_out(text, line, SANS, room_size)
                y -= room_size * 1.2
            y = min(y, row_top - 7.5 * k * 1.2) - 2.2 * k
        if draw:
            c.drawText(text)
        return fitting

    def back_panel(self, b: BadgeData, slot: _Slot) -> list[tuple]:
        """The programme side of a folded badge; returns the rows left for the inner panel."""
        c = self.c
        labels = _Labels(self.options, b.lang)
        pad = 7 * mm
        top = slot.y + slot.h - 8 * mm
        qr_block = 26 * mm
        self.qr(
            b.qr_payload,
            slot.x + slot.w - pad - qr_block + QUIET_ZONE,
            top - qr_block + QUIET_ZONE,
            qr_block,
        )
        head_w = slot.w - 2 * pad - qr_block
        head, used = _fit_blocks(
            [
                _Block(labels.get("programme"), SANS_BOLD, 13, 9, INK, max_lines=2),
                _Block(
                    f"{b.first_name} {b.last_name}", SANS_BOLD, 9, 7, SOFT_INK, is_name=True, gap=4
                ),
                _Block(b.event_name, SANS, 7.5, 6, MUTED, max_lines=2, gap=2),
                _Block(b.event_subtitle, SANS, 7, 6, MUTED, max_lines=2, gap=1),
            ],
            head_w,
            qr_block - 2 * mm,
        )
        _draw_blocks(c, head, slot.x + pad, top, head_w, centred=False)
        list_top = top - max(used, qr_block - QUIET_ZONE) - 4 * mm
        bottom = slot.y + 10 * mm
        width = slot.w - 2 * pad
        rows = self.programme_rows(b, labels)
        if not rows:
            c.setFillColor(MUTED)
            c.setFont(SANS, 8)
            c.drawString(slot.x + pad, list_top - 8, labels.get("no_programme", bilingual=False))
            return []
        for k in (1.3, 1.15, 1.0, 0.92, 0.85):  # as large as the panel allows
            if sum(self.row_height(r, width, k)[0] + 1.5 * k for r in rows) <= list_top - bottom:
                self.draw_rows(rows, slot.x + pad, list_top, width, bottom, k)
                return []
        drawn = self.draw_rows(rows, slot.x + pad, list_top, width, bottom + 6 * mm, 0.85)
        c.setFillColor(MUTED)
        c.setFont(SANS_BOLD, 7)
        c.drawRightString(
            slot.x + slot.w - pad, bottom, labels.get("continued_inside", bilingual=False) + " →"
        )
        return _continue_rows(rows, drawn)

    def inner_panels(
        self, b: BadgeData, rest: Sequence[tuple], page_w: float, page_h: float
    ) -> None:
        """Top half of the folded sheet (hidden once folded): folding help and programme overflow."""
        c = self.c
        labels = _Labels(self.options, b.lang)
        half_w, half_h = page_w / 2, page_h / 2
        pad = 10 * mm
        blocks, _ = _fit_blocks(
            [
                _Block(labels.get("fold_title", bilingual=False), SANS_BOLD, 10, 8, SOFT_INK),
                _Block(
                    labels.get("fold_1", bilingual=False),
                    SANS,
                    8,
                    6.5,
                    SOFT_INK,
                    max_lines=4,
                    gap=4,
                ),
                _Block(
                    labels.get("fold_2", bilingual=False),
                    SANS,
                    8,
                    6.5,
                    SOFT_INK,
                    max_lines=4,
                    gap=3,
                ),
            ],
            half_w - 2 * pad,
            half_h - 2 * pad,
        )
        end = _draw_blocks(c, blocks, pad, page_h - pad, half_w - 2 * pad, centred=False)
        if not rest:
            return
        # The inner right panel first, then under the folding help; smaller type if needed.
        x_right, top = half_w + 7 * mm, page_h - 10 * mm
        c.setFillColor(INK)
        c.setFont(SANS_BOLD, 11)
        c.drawString(x_right, top - 11, labels.get("continued", bilingual=False))
        panels = [
            (x_right, top - 20, half_w - 14 * mm, half_h + 8 * mm),
            (pad, end - 8 * mm, half_w - 2 * pad, half_h + 8 * mm),
        ]
        rows = list(rest)
        for k in (0.85, 0.78, 0.7, 0.62, 0.55):
            remaining = rows
            for x, y, w, bottom in panels:
                remaining = _continue_rows(
                    remaining, self.draw_rows(remaining, x, y, w, bottom, k, draw=False)
                )
            if not remaining:
                break
        for x, y, w, bottom in panels:
            rows = _continue_rows(rows, self.draw_rows(rows, x, y, w, bottom, k))
        if rows:  # beyond what a folded badge can hold: say so rather than drop it silently
            c.setFillColor(MUTED)
            c.setFont(SANS_BOLD, 7)
            c.drawRightString(
                page_w - 7 * mm, half_h + 4 * mm, f"+ {sum(r[0] == 'item' for r in rows)} …"
            )

    def fold_guides(self, page_w: float, page_h: float) -> None:
        """Dashed, light fold lines, drawn first so the badge prints over them."""
        c = self.c
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.setDash(3, 3)
        c.line(0, page_h / 2, page_w, page_h / 2)
        c.line(page_w / 2, 0, page_w / 2, page_h)
        c.restoreState()

    def crop_marks(self, slot: _Slot) -> None:
        c = self.c
        offset, length = A4_8_BLEED + 1 * mm, 3 * mm
        c.setStrokeColorRGB(0, 0, 0)
        c.setLineWidth(0.3)
        for cx, sx in ((slot.x, -1), (slot.x + slot.w, 1)):
            for cy, sy in ((slot.y, -1), (slot.y + slot.h, 1)):
                c.line(cx + sx * offset, cy, cx + sx * (offset + length), cy)
                c.line(cx, cy + sy * offset, cx, cy + sy * (offset + length))


@lru_cache(maxsize=8192)
def _row_metrics(row: tuple, width: float, k: float) -> tuple[float, object]:
    """Height and fitted lines of a programme row at scale `k` (cached: the same sessions and
    rounds come back on every badge of an event, at the same few scales)."""
    kind = row[0]
    if kind in ("day", "section"):
        size = 8.5 * k
        lines, size = fit_text(row[1], width, size, size * 0.8, font=SANS_BOLD, max_lines=2)
        return len(lines) * size * 1.2 + 3.5 * k, (lines, size)
    time_w = string_width("00:00–00:00", CONDENSED_BOLD, 7.5 * k) + 2 * mm
    title_lines, title_size = fit_text(
        row[2], width - time_w, 7.5 * k, 6.5 * k, font=SANS_BOLD, max_lines=3
    )
    # The line under the title: a room, or (itinerary) several parts, each on its own lines.
    parts = [p for p in (row[3] if isinstance(row[3], tuple) else (row[3],)) if p]
    fitted_parts = [
        fit_text(p, width - time_w, 6.5 * k, 5.5 * k, font=SANS, max_lines=2) for p in parts
    ]
    room_lines = tuple(line for lines, _ in fitted_parts for line in lines)
    room_size = min((size for _, size in fitted_parts), default=6.5 * k)
    h = len(title_lines) * title_size * 1.2 + len(room_lines) * room_size * 1.2 + 2.2 * k
    return h, (time_w, title_lines, title_size, room_lines, room_size)


def _continue_rows(rows: Sequence[tuple], drawn: int) -> list[tuple]:
    """Rows left after `drawn`, repeating the day heading when a panel starts mid-day."""
    rest = list(rows[drawn:])
    if rest and rest[0][0] == "item" and drawn:
        heading = next((r for r in reversed(rows[:drawn]) if r[0] in ("day", "section")), None)
        if heading is not None:
            rest.insert(0, heading)
    return rest


# --------------------------------------------------------------------------- entry point


def render_badges(
    badges: Sequence[BadgeData], layout: str = "a6", options: BadgeOptions | None = None
) -> bytes:
    """The PDF of `badges` in one of LAYOUTS (an empty list gives one blank page)."""
    options = options or BadgeOptions()
    page_size, boxes = layout_slots(layout)
    register_fonts()
    # reportlab wraps compressed streams in ASCII85 by default (+25 % size, slow in pure Python);
    # binary streams are valid in every PDF reader. The setting is read while pages are built.
    saved_a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        return _render(badges, layout, options, page_size, boxes)
    finally:
        rl_config.useA85 = saved_a85


def _render(
    badges: Sequence[BadgeData],
    layout: str,
    options: BadgeOptions,
    page_size: tuple[float, float],
    boxes: list[tuple[float, float, float, float]],
) -> bytes:
    buf = io.BytesIO()
    # invariant: the same badges give the same bytes (cacheable, testable); initialFontName
    # keeps reportlab from referencing Helvetica, which has no Greek or Cyrillic.
    c = Canvas(buf, pagesize=page_size, pageCompression=1, invariant=1, initialFontName=SANS)
    c.setTitle(options.title)
    c.setCreator("eventsys")
    c.setAuthor("eventsys")
    renderer = _Renderer(c, options)
    slots = [_Slot(*box) for box in boxes]

    if layout == "a4-8":
        for start in range(0, len(badges), len(slots)):
            if start:
                c.showPage()
            for badge, slot in zip(badges[start : start + len(slots)], slots, strict=False):
                renderer.front_landscape(badge, slot, compact=False, bleed=A4_8_BLEED)
                renderer.crop_marks(slot)
    else:
        for index, badge in enumerate(badges):
            if index:
                c.showPage()
            if layout == "a6":
                renderer.front_portrait(badge, slots[0])
            elif layout == "id1":
                renderer.front_landscape(badge, slots[0], compact=True)
            else:
                renderer.fold_guides(*page_size)
                renderer.front_portrait(badge, slots[0])
                rest = renderer.back_panel(badge, slots[1])
                renderer.inner_panels(badge, rest, *page_size)
    c.showPage()
    c.save()
    return buf.getvalue()
