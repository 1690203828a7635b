"""Sign-in sheets (feuilles d'émargement) and attendance certificates (attestations de présence).

Pure: no flask, no database. The caller passes plain data: attendees, local dates and times,
the hours each person attended (computed from check-ins), the language of each certificate.
French is the reference; English, German, Spanish and Italian labels are built in, and the
caller may override any label.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import partial
from xml.sax.saxutils import escape

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from eventsys.i18n import format_day, format_time, time_range
from eventsys.render.attendance_data import (
    CERTIFICATE_LABELS,
    CERTIFICATE_MAX_SESSIONS,
    FALLBACK_LANGUAGE,
    SIGNIN_LABELS,
    CertificateData,
    SignInAttendee,
    SignInSheetData,
)
from eventsys.render.fonts import SANS, SANS_BOLD, draw_string, register_fonts, string_width
from eventsys.render.pdf_pages import page_count_canvas
from eventsys.render.pdf_text import para

__all__ = [
    "CERTIFICATE_LABELS",
    "SIGNIN_LABELS",
    "CertificateData",
    "SignInAttendee",
    "SignInSheetData",
    "collation_key",
    "render_certificates",
    "render_signin_sheet",
]

# --------------------------------------------------------------------------- helpers

INK = HexColor("#111111")
MUTED = HexColor("#4d4d4d")
GRID = HexColor("#8c8c8c")
HEADER_BG = HexColor("#e8ecf2")

_FOLD = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "þ": "th",
        "ŀ": "l",
    }
)
_NOT_ALNUM = re.compile(r"[^\w ]+")


def collation_key(text: str) -> tuple[str, str]:
    """Sort key close to dictionary order for any Latin, Greek or Cyrillic name.

    Accents, case, hyphens and apostrophes are ignored first (Élodie next to Elodie, Łukasz
    among the L, d'Arc near Darc), then the exact spelling breaks ties. Scripts sort Latin,
    Greek, Cyrillic, by code point. Not full ICU collation, but no dependency.
    """
    nfc = unicodedata.normalize("NFC", text or "")
    folded = unicodedata.normalize("NFKD", nfc.casefold().translate(_FOLD))
    base = "".join(ch for ch in folded if not unicodedata.combining(ch))
    base = " ".join(_NOT_ALNUM.sub("", base).split())
    return base, nfc


def _short_lang(lang: str | None) -> str:
    return (lang or "").replace("-", "_").split("_")[0].lower()


def _babel_locale(lang: str) -> str:
    short = _short_lang(lang)
    try:
        Locale.parse(short)
    except (UnknownLocaleError, ValueError):
        return FALLBACK_LANGUAGE
    return "en_GB" if short == "en" else short


def _labels(
    table: Mapping[str, Mapping[str, str]], lang: str, overrides: Mapping[str, str]
) -> dict[str, str]:
    merged = dict(table[FALLBACK_LANGUAGE])
    merged.update(table.get(_short_lang(lang), {}))
    merged.update(overrides)
    return merged


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join((text or "").split()))


def _p(text: str) -> str:
    """Escape user text for a reportlab Paragraph."""
    return escape(_nfc(text))


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    return {
        "title": ParagraphStyle(
            "title", fontName=SANS_BOLD, fontSize=16, leading=20, textColor=INK, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle", fontName=SANS_BOLD, fontSize=11.5, leading=14.5, textColor=INK
        ),
        "meta": ParagraphStyle("meta", fontName=SANS, fontSize=9, leading=12, textColor=INK),
        "cell": ParagraphStyle("cell", fontName=SANS, fontSize=9, leading=11, textColor=INK),
        "head": ParagraphStyle(
            "head", fontName=SANS_BOLD, fontSize=8.5, leading=10.5, textColor=INK
        ),
        "small": ParagraphStyle("small", fontName=SANS, fontSize=8, leading=10, textColor=MUTED),
    }


def _footer_canvas(footer_left: str, page_label: str) -> type[Canvas]:
    """A canvas writing "Page x / y" (and `footer_left`) at the foot of every page."""

    def footer(canvas: Canvas, number: int, total: int) -> None:
        canvas.setFont(SANS, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(canvas._pagesize[0] - 15 * mm, 10 * mm, page_label % {"page": number, "pages": total})
        if footer_left:
            draw_string(canvas, 15 * mm, 10 * mm, footer_left, SANS, 8)

    return page_count_canvas(footer)


def _build(story: list, *, title: str, author: str, footer_left: str, page_label: str, top: float = 15 * mm,
           on_later_pages=None) -> bytes:  # fmt: skip
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=top,
        bottomMargin=18 * mm,
        title=title,
        author=author,
        creator="eventsys",
        invariant=1,
        initialFontName=SANS,
    )
    saved_a85, rl_config.useA85 = rl_config.useA85, 0  # binary streams: smaller, and faster
    try:
        doc.build(
            story,
            onLaterPages=on_later_pages or (lambda canvas, doc: None),
            canvasmaker=_footer_canvas(footer_left, page_label),
        )
    finally:
        rl_config.useA85 = saved_a85
    return buf.getvalue()


# --------------------------------------------------------------------------- sign-in sheets


def render_signin_sheet(data: SignInSheetData) -> bytes:
    """A4 portrait sign-in sheet: header, one numbered line per attendee sorted by name, page x/y."""
    labels = _labels(SIGNIN_LABELS, data.lang, data.labels)
    st = _styles()
    locale = _babel_locale(data.lang)
    day = format_day(data.day, locale)
    day = day[:1].upper() + day[1:]
    hours = ""
    if data.start is not None:
        hours = (
            time_range(data.start, data.end, locale)
            if data.end is not None
            else format_time(data.start, locale)
        )

    story: list = [
        para(escape(labels["title"]), st["title"]),
        para(_p(data.event_title), st["subtitle"]),
    ]
    if data.session_title and _nfc(data.session_title) != _nfc(data.event_title):
        story.append(para(_p(data.session_title), st["subtitle"]))
    story.append(Spacer(1, 3 * mm))
    meta = [(labels["date"], day)]
    if hours:
        meta.append((labels["time"], hours))
    if data.place:
        meta.append((labels["place"], data.place))
    if data.session_code:
        meta.append((labels["code"], data.session_code))
    if data.organiser:
        meta.append((labels["organiser"], data.organiser))
    if data.trainers:
        meta.append((labels["trainers"], ", ".join(data.trainers)))
    meta_table = Table(
        [
            [para(f"<b>{escape(k)}</b>", st["meta"]), para(_p(v), st["meta"])]
            for k, v in meta
        ],
        colWidths=[38 * mm, None],
        hAlign="LEFT",
    )
    meta_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SANS),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    story += [meta_table, Spacer(1, 5 * mm)]

    people = sorted(
        data.attendees,
        key=lambda a: (
            collation_key(a.last_name),
            collation_key(a.first_name),
            collation_key(a.organisation),
        ),
    )
    columns = list(data.signature_columns) or [labels["signature"]]
    page_w = A4[0] - 30 * mm
    number_w = 10 * mm
    signature_w = max(30 * mm, min(62 * mm, (page_w - number_w - 100 * mm) / len(columns)))
    rest = page_w - number_w - signature_w * len(columns)
    name_w, org_w = rest * 0.55, rest * 0.45
    widths = [number_w, name_w, org_w] + [signature_w] * len(columns)

    header = [
        para(escape(labels["number"]), st["head"]),
        para(escape(labels["name"]), st["head"]),
        para(escape(labels["organisation"]), st["head"]),
    ] + [para(_p(col), st["head"]) for col in columns]
    rows = [header]
    for number, person in enumerate(people, start=1):
        rows.append(
            [
                para(str(number), st["cell"]),
                para(f"<b>{_p(person.last_name)}</b> {_p(person.first_name)}", st["cell"]),
                para(_p(person.organisation), st["cell"]),
            ]
            + [""] * len(columns)
        )
    for number in range(len(people) + 1, len(people) + 1 + max(0, data.blank_rows)):
        rows.append([para(str(number), st["cell"]), "", ""] + [""] * len(columns))

    # Room to sign: at least 11 mm per line, more when a long name or organisation wraps.
    pad = 3
    heights: list[float | None] = [None]
    for row in rows[1:]:
        needed = max(
            (
                cell.wrap(w - 2 * pad, 1000)[1]
                for cell, w in zip(row, widths, strict=False)
                if isinstance(cell, Paragraph)
            ),
            default=0,
        )
        heights.append(max(11 * mm, needed + 2 * pad + 2))
    table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SANS),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ]
        )
    )
    story.append(table)

    closing = Table(
        [
            [
                para(escape(labels["registered"] % {"count": len(people)}), st["meta"]),
                para(escape(labels["trainer_signature"]), st["meta"]),
            ],
            [para(escape(labels["present"]), st["meta"]), ""],
        ],
        colWidths=[page_w * 0.45, page_w * 0.55],
        rowHeights=[None, 22 * mm],
    )
    closing.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SANS),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (1, 0), (1, 1), 0.5, GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story += [Spacer(1, 6 * mm), KeepTogether([closing])]

    # Date and time first: if the line must be shortened, the titles lose their end.
    running = " · ".join(
        part
        for part in (
            day,
            hours,
            _nfc(data.session_code),
            _nfc(data.session_title),
            _nfc(data.event_title),
        )
        if part
    )

    def later_pages(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        # Later pages repeat what the sheet is about above the repeated column headings.
        canvas.saveState()
        canvas.setFont(SANS, 8)
        canvas.setFillColor(MUTED)
        text = running
        max_w = A4[0] - 30 * mm
        while text and string_width(text, SANS, 8) > max_w:
            text = text[:-2] + "…"
        draw_string(canvas, 15 * mm, A4[1] - 10 * mm, text, SANS, 8)
        canvas.restoreState()

    footer_left = labels["title"] + (f" · {data.session_code}" if data.session_code else "")
    return _build(
        story,
        title=f"{labels['title']} – {_nfc(data.session_title) or _nfc(data.event_title)}",
        author=data.organiser or "eventsys",
        footer_left=footer_left,
        page_label=labels["page"],
        on_later_pages=later_pages,
    )


# --------------------------------------------------------------------------- certificates


def _hours_text(hours: float, lang: str, labels: Mapping[str, str]) -> str:
    locale = _babel_locale(lang)
    number = format_decimal(round(hours, 2), format="#,##0.##", locale=locale)
    form = Locale.parse(locale).plural_form(hours)
    return (labels["hours_one"] if form == "one" else labels["hours_other"]) % {"n": number}


def _certificate_story(cert: CertificateData, st: dict[str, ParagraphStyle]) -> list:
    labels = _labels(CERTIFICATE_LABELS, cert.lang, cert.labels)
    locale = _babel_locale(cert.lang)
    long_date = partial(format_day, locale=locale, width="long")
    if cert.end is None or cert.end == cert.start:
        when = labels["on"] % {"date": long_date(cert.start)}
    else:
        when = labels["from_to"] % {"start": long_date(cert.start), "end": long_date(cert.end)}
    where = labels["where"] % {"place": _nfc(cert.place)} if cert.place else ""
    centre = partial(ParagraphStyle, alignment=TA_CENTER, textColor=INK)
    title = centre("ctitle", parent=st["title"], fontSize=24, leading=30, spaceAfter=0)
    intro = centre("cintro", fontName=SANS, fontSize=12, leading=16)
    name = centre("cname", fontName=SANS_BOLD, fontSize=22, leading=27)
    org = centre("corg", fontName=SANS, fontSize=12, leading=16, textColor=MUTED)
    body = centre("cbody", fontName=SANS, fontSize=12, leading=17)
    small = centre("csmall", fontName=SANS, fontSize=10, leading=13, textColor=MUTED)
    left = ParagraphStyle(
        "cleft", fontName=SANS, fontSize=10.5, leading=14, alignment=TA_LEFT, textColor=INK
    )

    story: list = []
    if cert.logo:
        try:
            reader = ImageReader(io.BytesIO(cert.logo))
            iw, ih = reader.getSize()
            k = min(50 * mm / iw, 22 * mm / ih)
            story.append(Image(io.BytesIO(cert.logo), width=iw * k, height=ih * k, hAlign="LEFT"))
        except (OSError, ValueError, SyntaxError):
            pass  # an unreadable logo must not cost anyone their certificate
    story += [Spacer(1, 25 * mm), para(escape(labels["title"]), title), Spacer(1, 18 * mm)]
    intro_text = (
        labels["intro"] % {"organiser": _nfc(cert.organiser)}
        if cert.organiser
        else labels["intro_anonymous"]
    )
    story += [para(escape(intro_text), intro), Spacer(1, 8 * mm)]
    story.append(para(f"{_p(cert.first_name)} {_p(cert.last_name)}", name))
    if cert.organisation:
        story += [Spacer(1, 2 * mm), para(_p(cert.organisation), org)]
    story.append(Spacer(1, 8 * mm))
    body_text = escape(labels["body"]) % {
        "event": f"<b>{_p(cert.event_title)}</b>",
        "when": escape(when),
        "where": escape(where),
        "hours": f"<b>{escape(_hours_text(cert.hours, cert.lang, labels))}</b>",
    }
    story.append(para(body_text, body))
    if cert.sessions:
        lines = list(cert.sessions)
        if len(lines) > CERTIFICATE_MAX_SESSIONS:
            hidden = len(lines) - (CERTIFICATE_MAX_SESSIONS - 1)
            lines = lines[: CERTIFICATE_MAX_SESSIONS - 1] + [labels["sessions_more"] % {"n": hidden}]
        story += [Spacer(1, 5 * mm), para(escape(labels["sessions"]), small)]
        story += [para(_p(line), small) for line in lines]
    if cert.session_code:
        story += [
            Spacer(1, 4 * mm),
            para(escape(labels["code"] % {"code": _nfc(cert.session_code)}), small),
        ]
    issued_on = long_date(cert.issued_on or cert.end or cert.start)
    issued = (
        labels["issued_at"] % {"place": _nfc(cert.issued_place), "date": issued_on}
        if cert.issued_place
        else labels["issued"] % {"date": issued_on}
    )
    signature_lines = [escape(labels["signature"])]
    if cert.signatory_name:
        signature_lines.append(f"<b>{_p(cert.signatory_name)}</b>")
    if cert.signatory_title:
        signature_lines.append(_p(cert.signatory_title))
    block = Table(
        [
            [para(escape(issued), left), para("<br/>".join(signature_lines), left)],
            ["", ""],
        ],
        colWidths=[85 * mm, 95 * mm],
        rowHeights=[None, 28 * mm],
    )
    block.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SANS),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (1, 1), (1, 1), 0.6, GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story += [Spacer(1, 25 * mm), KeepTogether([block])]
    return story


def render_certificates(certificates: Sequence[CertificateData]) -> bytes:
    """One A4 page per attendee, each in the attendee's language (an empty list: one blank page)."""
    st = _styles()
    story: list = []
    for index, cert in enumerate(certificates):
        if index:
            story.append(PageBreak())
        story += _certificate_story(cert, st)
    if not story:
        story.append(Spacer(1, 1))
    first = certificates[0] if certificates else None
    labels = _labels(CERTIFICATE_LABELS, first.lang if first else FALLBACK_LANGUAGE, {})
    return _build(
        story,
        title=labels["title"] + (f" – {_nfc(first.event_title)}" if first else ""),
        author=(first.organiser if first and first.organiser else "eventsys"),
        footer_left="",
        page_label="",
    )
