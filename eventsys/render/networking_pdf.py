"""Speed-networking print-outs: a roster per facilitator (who comes when) and itinerary slips
(where each participant goes, four A6 slips per A4 sheet, with cut lines).

Pure: no flask, no database. The caller passes plain data with every text already translated and
every time already written in the event's time zone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Frame,
    KeepInFrame,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from eventsys.render.fonts import SANS, SANS_BOLD, register_fonts
from eventsys.render.pdf_text import para

__all__ = ["Roster", "RosterRound", "Slip", "SlipStop", "render_rosters", "render_slips"]

INK = HexColor("#1a1a1a")
MUTED = HexColor("#555555")
RULE = HexColor("#9a9a9a")
HEADER_BG = HexColor("#e8eef5")


@dataclass
class RosterRound:
    """One round at one station: its label ("Tour 2"), its times and who comes."""

    label: str
    time: str
    people: list[str] = field(default_factory=list)


@dataclass
class Roster:
    """The sheet of one station (facilitator)."""

    title: str  # "Table 3 — Financements FICOL"
    subtitle: str = ""  # "Animée par Hugo Lemaire"
    rounds: list[RosterRound] = field(default_factory=list)


@dataclass
class SlipStop:
    """One round of a participant's itinerary."""

    label: str  # "Tour 1 · 12:45–12:55"
    place: str  # "Table 3 — Financements FICOL (Hugo Lemaire)"


@dataclass
class Slip:
    """One participant's itinerary slip."""

    name: str
    organisation: str = ""
    stops: list[SlipStop] = field(default_factory=list)


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    return {
        "title": ParagraphStyle(
            "title", fontName=SANS_BOLD, fontSize=16, leading=20, textColor=INK
        ),
        "subtitle": ParagraphStyle(
            "subtitle", fontName=SANS, fontSize=11, leading=14, textColor=INK
        ),
        "heading": ParagraphStyle(
            "heading", fontName=SANS, fontSize=9, leading=12, textColor=MUTED
        ),
        "cell": ParagraphStyle("cell", fontName=SANS, fontSize=9.5, leading=12, textColor=INK),
        "head": ParagraphStyle("head", fontName=SANS_BOLD, fontSize=9.5, leading=12, textColor=INK),
        "small": ParagraphStyle("small", fontName=SANS, fontSize=8, leading=10, textColor=MUTED),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return para(escape(text or ""), style)


def render_rosters(
    heading: str,
    rosters: Sequence[Roster],
    labels: dict[str, str],
    *,
    title: str = "",
) -> bytes:
    """One A4 page (or more) per station: round, times and the people expected, in order.

    `labels`: "round", "time", "people" (column headings), "nobody" (an empty round).
    """
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title or heading,
        author="eventsys",
    )
    story: list = []
    width = A4[0] - 32 * mm
    for index, roster in enumerate(rosters):
        if index:
            story.append(PageBreak())
        story.append(_p(heading, styles["heading"]))
        story.append(Spacer(1, 2 * mm))
        story.append(_p(roster.title, styles["title"]))
        if roster.subtitle:
            story.append(_p(roster.subtitle, styles["subtitle"]))
        story.append(Spacer(1, 5 * mm))
        rows = [[_p(labels["round"], styles["head"]), _p(labels["time"], styles["head"]),
                 _p(labels["people"], styles["head"])]]  # fmt: skip
        # One row per person, so a crowded round can continue on the next page; a rule above
        # each round's first row groups its people.
        commands: list[tuple] = [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOX", (0, 0), (-1, -1), 0.5, RULE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        for rnd in roster.rounds:
            first = len(rows)
            names = rnd.people or [labels.get("nobody", "—")]
            for i, name in enumerate(names):
                rows.append([
                    _p(rnd.label, styles["head"]) if i == 0 else "",
                    _p(rnd.time, styles["cell"]) if i == 0 else "",
                    _p(name, styles["cell"]),
                ])  # fmt: skip
            commands += [
                ("LINEABOVE", (0, first), (-1, first), 0.5, RULE),
                ("TOPPADDING", (0, first), (-1, first), 4),
            ]
            commands.append(("BOTTOMPADDING", (0, len(rows) - 1), (-1, len(rows) - 1), 4))
        table = Table(rows, colWidths=[22 * mm, 28 * mm, width - 50 * mm], repeatRows=1)
        table.setStyle(TableStyle(commands))
        story.append(table)
    if not story:
        story.append(_p(heading, styles["heading"]))
    doc.build(story)
    return buffer.getvalue()


SLIP_W, SLIP_H = A4[0] / 2, A4[1] / 2
SLIP_MARGIN = 8 * mm


def _slip_flowables(heading: str, slip: Slip, styles: dict[str, ParagraphStyle]) -> list:
    name = ParagraphStyle("name", parent=styles["title"], fontSize=14, leading=17)
    stop_label = ParagraphStyle(
        "stop", parent=styles["head"], fontSize=10, leading=12, spaceBefore=4
    )
    place = ParagraphStyle(
        "place", parent=styles["cell"], fontSize=10, leading=12.5, leftIndent=3 * mm
    )
    items: list = [_p(heading, styles["small"]), Spacer(1, 2 * mm), _p(slip.name, name)]
    if slip.organisation:
        items.append(_p(slip.organisation, styles["cell"]))
    items.append(Spacer(1, 3 * mm))
    for stop in slip.stops:
        items.append(_p(stop.label, stop_label))
        items.append(_p(stop.place, place))
    return items


def render_slips(heading: str, slips: Sequence[Slip], *, title: str = "") -> bytes:
    """Four itinerary slips per A4 page, in the order given, with dashed cut lines."""
    styles = _styles()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(title or heading)
    canvas.setAuthor("eventsys")
    positions = [(0, SLIP_H), (SLIP_W, SLIP_H), (0, 0), (SLIP_W, 0)]
    for start in range(0, max(len(slips), 1), 4):
        page = slips[start : start + 4]
        canvas.setStrokeColor(RULE)
        canvas.setDash(3, 3)
        canvas.setLineWidth(0.5)
        canvas.line(SLIP_W, 0, SLIP_W, A4[1])
        canvas.line(0, SLIP_H, A4[0], SLIP_H)
        canvas.setDash()
        for (x, y), slip in zip(positions, page, strict=False):
            frame = Frame(
                x + SLIP_MARGIN, y + SLIP_MARGIN, SLIP_W - 2 * SLIP_MARGIN, SLIP_H - 2 * SLIP_MARGIN,
                leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, showBoundary=0,
            )  # fmt: skip
            content = KeepInFrame(
                SLIP_W - 2 * SLIP_MARGIN, SLIP_H - 2 * SLIP_MARGIN,
                _slip_flowables(heading, slip, styles), mode="shrink",
            )  # fmt: skip
            frame.addFromList([content], canvas)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
