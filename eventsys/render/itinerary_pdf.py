"""A study trip's itinerary for one person: a page section per day with its site, time zone,
meeting point, transport, host and the person's sessions. Pure: plain data in, PDF bytes out; the
words come translated and the times already formatted in each day's zone by the caller."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from eventsys.render.fonts import SANS, SANS_BOLD, markup, register_fonts

INK = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#1f5f99")


@dataclass(frozen=True)
class ItineraryDay:
    """One day, everything already in the reader's language and the day's local time."""

    heading: str  # "Mardi 12 mai 2026 — Bruxelles"
    zone: str  # "heure d'Europe centrale (Europe/Brussels)"
    facts: Sequence[tuple[str, str]] = ()  # (label, value): meeting point, transport, site, host…
    sessions: Sequence[tuple[str, str]] = ()  # ("09:30–11:00", "Visite du chantier")
    notes: str = ""


@dataclass(frozen=True)
class Itinerary:
    title: str  # "Itinéraire — Voyage d'études Bruxelles–Milan"
    person: str  # "Lena Schmitt · ARDIC — Province de Namur"
    days: Sequence[ItineraryDay] = field(default_factory=tuple)
    sessions_heading: str = "Programme"
    footer: str = ""
    lang: str = "fr"


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(escape(text)).replace("\n", "<br/>"), style)


def render_itinerary(itinerary: Itinerary) -> bytes:
    """The itinerary as an A4 PDF."""
    register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
        title=itinerary.title, author="eventsys", lang=itinerary.lang,
    )  # fmt: skip
    title = ParagraphStyle(
        "title", fontName=SANS_BOLD, fontSize=17, leading=21, textColor=INK, spaceAfter=2 * mm
    )
    person = ParagraphStyle(
        "person", fontName=SANS, fontSize=11, leading=14, textColor=MUTED, spaceAfter=6 * mm
    )
    day_style = ParagraphStyle(
        "day", fontName=SANS_BOLD, fontSize=13, leading=16, textColor=RULE, spaceBefore=4 * mm
    )
    zone = ParagraphStyle(
        "zone", fontName=SANS, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=2 * mm
    )
    label = ParagraphStyle("label", fontName=SANS_BOLD, fontSize=9.5, leading=12, textColor=INK)
    body = ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=12, textColor=INK)
    small = ParagraphStyle("small", fontName=SANS, fontSize=8.5, leading=11, textColor=MUTED)
    story: list = [_p(itinerary.title, title), _p(itinerary.person, person)]
    width = A4[0] - 36 * mm
    for day in itinerary.days:
        block: list = [_p(day.heading, day_style), _p(day.zone, zone)]
        rows = [[_p(name, label), _p(value, body)] for name, value in day.facts if value]
        if day.sessions:
            rows.append([_p(itinerary.sessions_heading, label),
                         _p("\n".join(f"{when}  {what}" for when, what in day.sessions), body)])  # fmt: skip
        if rows:
            table = Table(rows, colWidths=[42 * mm, width - 42 * mm])
            table.setStyle(TableStyle([
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d0d0d0")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]))  # fmt: skip
            block.append(table)
        if day.notes:
            block += [Spacer(1, 1.5 * mm), _p(day.notes, small)]
        story.append(KeepTogether(block))
    if itinerary.footer:
        story += [Spacer(1, 8 * mm), _p(itinerary.footer, small)]
    doc.build(story)
    return out.getvalue()
