"""The printable programme booklet (A4 PDF, reportlab platypus). Pure: plain data in, bytes out.

Cover, day-by-day overview with parallel sessions side by side, detailed list, speakers index,
rooms and access. Every text is a splittable Paragraph flow, so a 3,000-character abstract runs
on to the next page instead of being cut; table cells only ever hold short texts (titles, names).
Fonts are DejaVu with a fallback chain, embedded and subset (render/fonts.py): no character is
dropped. Words break at spaces and hyphenation points only (render/pdf_text.py). Descriptions are
rich text (eventsys/richtext.py), one Paragraph per paragraph or list item.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import HRFlowable

from eventsys.i18n import format_day, format_time, label_value
from eventsys.render.export_data import (
    EventData,
    ExportLabels,
    SessionData,
    fold,
    local,
    no_cycle_collection,
    speaker_line,
)
from eventsys.render.fonts import (
    CONDENSED,
    CONDENSED_BOLD,
    SANS,
    SANS_BOLD,
    draw_string,
    register_fonts,
    string_width,
)
from eventsys.render.pdf_pages import page_count_canvas
from eventsys.render.pdf_text import (
    QuickParagraph,
    Together,
    breaking,
    item_style,
    para,
    plain,
    rich,
    same_text_once,
)
from eventsys.richtext import blocks as text_blocks

BRAND = colors.HexColor("#0b4f8a")
INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#4a5561")
LINE = colors.HexColor("#c9d1da")
SOFT = colors.HexColor("#eef3f8")
DANGER = colors.HexColor("#a4161a")
PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 22 * mm, 20 * mm
BODY_W = PAGE_W - 2 * MARGIN_X
MAX_COLUMNS = 4  # parallel sessions per table row; ten rooms become three rows
GRID_SPEAKERS = 4  # names in an overview cell; the detailed list has them all
FULL_WIDTH = frozenset({"body", "small", "speaker", "index_entry", "cover", "cover_small"})


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    cover: ParagraphStyle
    cover_small: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    meta: ParagraphStyle
    session_title: ParagraphStyle
    session_second: ParagraphStyle
    title_second: ParagraphStyle
    cell_second: ParagraphStyle
    speaker: ParagraphStyle
    cell_title: ParagraphStyle
    cell_meta: ParagraphStyle
    cell_head: ParagraphStyle
    slot_time: ParagraphStyle
    index_name: ParagraphStyle
    index_entry: ParagraphStyle
    item: ParagraphStyle


def _styles(locale: str = "fr") -> _Styles:
    def style(name: str, **kw) -> ParagraphStyle:
        base = {"fontName": SANS, "fontSize": 9.5, "leading": 13, "textColor": INK}
        made = ParagraphStyle(name, **{**base, **kw})
        # Hyphenation where a long word may not fit (titles, narrow overview cells); full-width
        # body text holds any real word, and hyphenating it would cost a tenth of the booklet.
        return made if name in FULL_WIDTH else breaking(made, locale)

    body = style("body", spaceAfter=4)

    return _Styles(
        title=style("title", fontName=SANS_BOLD, fontSize=26, leading=31, textColor=BRAND, spaceAfter=8),
        subtitle=style("subtitle", fontSize=14, leading=18, textColor=MUTED, spaceAfter=14),
        cover=style("cover", fontSize=13, leading=18, spaceAfter=4),
        cover_small=style("cover_small", fontSize=10, leading=14, textColor=MUTED),
        h1=style("h1", fontName=SANS_BOLD, fontSize=17, leading=21, textColor=BRAND, spaceBefore=2, spaceAfter=8),
        h2=style("h2", fontName=SANS_BOLD, fontSize=12.5, leading=16, textColor=INK, spaceBefore=10, spaceAfter=6),
        body=body,
        small=style("small", fontSize=8.5, leading=11, textColor=MUTED),
        meta=style("meta", fontName=SANS_BOLD, fontSize=8.5, leading=11, textColor=BRAND, spaceBefore=6),
        session_title=style("session_title", fontName=SANS_BOLD, fontSize=11, leading=14, spaceAfter=3),
        session_second=style("session_second", fontSize=10, leading=13, textColor=MUTED, spaceAfter=3),
        title_second=style("title_second", fontSize=18, leading=23, textColor=MUTED, spaceAfter=8),
        cell_second=style("cell_second", fontName=CONDENSED, fontSize=8, leading=9.8, textColor=MUTED),
        speaker=style("speaker", fontSize=8.8, leading=11.5, leftIndent=8, firstLineIndent=-8, spaceAfter=1),
        cell_title=style("cell_title", fontName=CONDENSED_BOLD, fontSize=8.6, leading=10.4),
        cell_meta=style("cell_meta", fontName=CONDENSED, fontSize=7.6, leading=9.2, textColor=MUTED),
        cell_head=style("cell_head", fontName=CONDENSED_BOLD, fontSize=7.6, leading=9.2, textColor=BRAND),
        slot_time=style("slot_time", fontName=SANS_BOLD, fontSize=8.6, leading=10.5),
        index_name=style("index_name", fontName=SANS_BOLD, fontSize=9.2, leading=12, spaceBefore=5),
        index_entry=style("index_entry", fontSize=8.5, leading=11, leftIndent=10, textColor=INK),
        item=item_style(body),
    )


_p = plain


def _paragraphs(text: str, style: ParagraphStyle, item: ParagraphStyle | None = None) -> list[Paragraph]:
    """Rich text (HTML subset, Markdown or plain paragraphs): one flow per paragraph or list item,
    each one reportlab can split across pages."""
    return rich(text_blocks(text), style, item)


class _Section(QuickParagraph):
    """A heading that names the running header and gets a bookmark."""

    def __init__(self, text: str, style: ParagraphStyle, label: str, level: int) -> None:
        model = para(escape(text), style)  # the fallback-font markup of the text
        super().__init__(model.text, model.style)
        self.section_label = label
        self.outline_title = text
        self.outline_level = level


class _Doc(BaseDocTemplate):
    def __init__(self, buffer, **kw) -> None:
        super().__init__(buffer, **kw)
        self.section = ""
        self.page_section = ""
        self.page_fresh = True
        self.bookmarks = 0

    def afterFlowable(self, flowable) -> None:  # noqa: N802 - reportlab's hook name
        label = getattr(flowable, "section_label", None)
        if label is not None:
            self.section = label
            if self.page_fresh:
                self.page_section = label
            self.bookmarks += 1
            key = f"s{self.bookmarks}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_title, key, level=flowable.outline_level, closed=True)
        if not isinstance(flowable, ActionFlowable | Spacer | CondPageBreak | PageBreak):
            self.page_fresh = False


class _Renderer:
    def __init__(
        self,
        event: EventData,
        labels: ExportLabels,
        locale: str,
        generated_at: datetime,
        second: EventData | None = None,
    ) -> None:
        self.event, self.labels, self.locale = event, labels, locale
        # Bilingual booklet: the same event in a second language, its titles printed beneath.
        self.second_titles = {s.id: s.title for s in second.sessions} if second else {}
        self.second_event_title = second.title if second else ""
        self.tz = event.tz
        self.generated_at = generated_at
        self.st = _styles(locale)
        self.sessions = sorted(event.sessions, key=lambda s: (s.starts_at, s.id))
        self._times: dict[datetime, str] = {}
        self.room_order = {room.id: index for index, room in enumerate(event.rooms)}

    # ------------------------------------------------------------ formatting

    def time(self, value: datetime) -> str:
        if value not in self._times:
            self._times[value] = format_time(value, self.locale, self.tz)
        return self._times[value]

    def span(self, session: SessionData) -> str:
        return f"{self.time(session.starts_at)} – {self.time(session.ends_at)}"

    def day_label(self, day: date) -> str:
        text = format_day(day, self.locale)
        return text[:1].upper() + text[1:]

    def dates(self) -> str:
        event = self.event
        if event.start_date == event.end_date:
            return self.day_label(event.start_date)
        return self.labels.date_range % {
            "start": format_day(event.start_date, self.locale),
            "end": format_day(event.end_date, self.locale),
        }

    def second_title(self, session: SessionData) -> str:
        """The session's title in the second language, when it says something the first does not."""
        text = self.second_titles.get(session.id, "")
        return text if text and text != session.title else ""

    def type_label(self, session: SessionData) -> str:
        return self.labels.type_labels.get(session.type, session.type)

    def by_day(self) -> dict[date, list[SessionData]]:
        days: dict[date, list[SessionData]] = defaultdict(list)
        for session in self.sessions:
            days[local(session.starts_at, self.tz).date()].append(session)
        return dict(sorted(days.items()))

    # ------------------------------------------------------------------ cover

    def cover(self) -> list:
        st, event, labels = self.st, self.event, self.labels
        story: list = [Spacer(1, 48 * mm), _p(event.title, st.title)]
        if self.second_event_title and self.second_event_title != event.title:
            story.append(_p(self.second_event_title, st.title_second))
        if event.subtitle:
            story.append(_p(event.subtitle, st.subtitle))
        story.append(Spacer(1, 6 * mm))
        story.append(_p(self.dates(), st.cover))
        if event.venue_name:
            story.append(_p(event.venue_name, st.cover))
        if event.venue_address:
            story.append(_p(event.venue_address.strip(), st.cover_small))
        code = Table(
            [[_p(labels.session_code, st.cover_small), _p(event.code_display, st.title)]],
            colWidths=[45 * mm, None],
            style=TableStyle([
                ("FONT", (0, 0), (-1, -1), SANS, 9),
                ("BOX", (0, 0), (-1, -1), 1.2, BRAND),
                ("BACKGROUND", (0, 0), (-1, -1), SOFT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]),
            hAlign="LEFT",
        )  # fmt: skip
        story += [Spacer(1, 12 * mm), code]
        if event.url:
            story += [Spacer(1, 6 * mm), _p(_label(labels.more_info, event.url, labels), st.cover_small)]
        story += [NextPageTemplate("body"), PageBreak()]
        return story

    # --------------------------------------------------------------- overview

    def overview(self) -> list:
        st = self.st
        story: list = [_Section(self.labels.overview, st.h1, self.labels.overview, 0)]
        days = self.by_day()
        if not days:
            story.append(_p(self.labels.no_session, st.body))
        for day, sessions in days.items():
            label = self.day_label(day)
            story.append(CondPageBreak(45 * mm))
            story.append(_Section(label, st.h2, f"{self.labels.overview} — {label}", 1))
            for slot in _slots(sessions):
                # The gap after a slot belongs to it: alone, it could open a page and push the
                # next slot to the page after, leaving one blank.
                story.append(Together([*self.slot_tables(slot), Spacer(1, 2.5 * mm)]))
        story.append(PageBreak())
        return story

    def slot_tables(self, slot: list[SessionData]) -> list:
        st, labels = self.st, self.labels
        slot = sorted(slot, key=lambda s: (self.room_order.get(s.room.id, 10**6) if s.room else -1, s.starts_at, s.id))
        first, last = min(s.starts_at for s in slot), max(s.ends_at for s in slot)
        time_text = f"{self.time(first)}<br/>{self.time(last)}"
        rows_needed = -(-len(slot) // MAX_COLUMNS)
        per_row = -(-len(slot) // rows_needed)
        time_w = 17 * mm
        tables = []
        for index in range(0, len(slot), per_row):
            chunk = slot[index : index + per_row]
            width = (BODY_W - time_w) / per_row
            heads = [_p(s.room.name if s.room else labels.no_room, st.cell_head) for s in chunk]
            cells = [self.cell(s, first, last) for s in chunk]
            time_cell = para(time_text, st.slot_time) if index == 0 else ""
            table = Table(
                [[time_cell, *heads], ["", *cells]],
                colWidths=[time_w] + [width] * len(chunk),
                style=TableStyle([
                    ("FONT", (0, 0), (-1, -1), SANS, 8),
                    ("SPAN", (0, 0), (0, 1)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (1, 0), (-1, 0), SOFT),
                    ("LINEABOVE", (0, 0), (-1, 0), 0.8, BRAND if index == 0 else LINE),
                    ("INNERGRID", (1, 0), (-1, -1), 0.4, LINE),
                    ("BOX", (1, 0), (-1, -1), 0.4, LINE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]),
            )  # fmt: skip
            tables.append(table)
        return tables

    def cell(self, session: SessionData, first: datetime, last: datetime) -> list:
        st, labels = self.st, self.labels
        flow: list = []
        if session.cancelled:
            flow.append(para(f'<font color="#a4161a"><b>{escape(labels.cancelled.upper())}</b></font>', st.cell_meta))
        flow.append(_p(session.title, st.cell_title))
        second = self.second_title(session)
        if second:
            flow.append(_p(second, st.cell_second))
        meta = [self.type_label(session)]
        if session.track:
            meta.append(session.track.name)
        if (session.starts_at, session.ends_at) != (first, last):
            meta.insert(0, self.span(session))
        flow.append(_p(" · ".join(meta), st.cell_meta))
        names = [part.name for part in session.speakers]
        if names:
            shown = ", ".join(names[:GRID_SPEAKERS])
            if len(names) > GRID_SPEAKERS:
                shown += " " + labels.and_more(len(names) - GRID_SPEAKERS)
            flow.append(_p(shown, st.cell_meta))
        return flow

    # --------------------------------------------------------------- detailed

    def detailed(self) -> list:
        st, labels = self.st, self.labels
        story: list = [_Section(labels.detailed, st.h1, labels.detailed, 0)]
        for day, sessions in self.by_day().items():
            label = self.day_label(day)
            story.append(CondPageBreak(40 * mm))
            story.append(_Section(label, st.h2, f"{labels.detailed} — {label}", 1))
            for session in sessions:
                story += self.session_block(session)
        story.append(PageBreak())
        return story

    def session_block(self, session: SessionData) -> list:
        st, labels = self.st, self.labels
        meta = [self.span(session), session.room.name if session.room else labels.no_room, self.type_label(session)]
        if session.track:
            meta.append(_label(labels.track, session.track.name, labels))
        head = _p(" · ".join(meta), st.meta)
        head.keepWithNext = True
        title_text = escape(session.title)
        if session.cancelled:
            title_text = f'<font color="#a4161a">{escape(labels.cancelled.upper())} —</font> <strike>{title_text}</strike>'
        title = para(title_text, st.session_title)
        title.keepWithNext = True
        block: list = [head, title]
        second = self.second_title(session)
        if second:
            beneath = _p(second, st.session_second)
            beneath.keepWithNext = True
            block.append(beneath)
        for part in session.speakers:
            block.append(_p(f"• {speaker_line(part, labels)}", st.speaker))
        if session.description.strip():
            if session.speakers:
                block.append(Spacer(1, 2))
            block += _paragraphs(session.description, st.body, st.item)
        block.append(HRFlowable(width="100%", thickness=0.4, color=LINE, spaceBefore=4, spaceAfter=2))
        return block

    # ---------------------------------------------------------- speakers index

    def speakers_index(self) -> list:
        st, labels = self.st, self.labels
        people: dict[int, tuple] = {}
        parts: dict[int, list[tuple[SessionData, str]]] = defaultdict(list)
        for session in self.sessions:
            for part in session.speakers:
                people.setdefault(part.speaker_id, part)
                parts[part.speaker_id].append((session, part.role))
        if not people:
            return []
        story: list = [_Section(labels.speakers_index, st.h1, labels.speakers_index, 0)]
        days: dict[date, str] = {}
        for speaker_id in sorted(people, key=lambda i: (fold(people[i].name), i)):
            person = people[speaker_id]
            extra = ", ".join(p for p in (person.function, person.organisation) if p)
            text = f"<b>{escape(person.name)}</b>" + (f", {escape(extra)}" if extra else "")
            name = para(text, st.index_name)
            name.keepWithNext = True
            story.append(name)
            for session, role in parts[speaker_id]:
                day = local(session.starts_at, self.tz).date()
                when = days.get(day)
                if when is None:
                    when = days[day] = format_day(session.starts_at, self.locale, self.tz, "abbr")
                line = f"{when}, {self.time(session.starts_at)} — {session.title}"
                if role != "speaker":
                    line += f" ({labels.role_labels.get(role, role)})"
                story.append(_p(line, st.index_entry))
        story.append(PageBreak())
        return story

    # ------------------------------------------------------------------ rooms

    def rooms_and_access(self) -> list:
        st, labels, event = self.st, self.labels, self.event
        story: list = [_Section(labels.rooms_access, st.h1, labels.rooms_access, 0)]
        if event.venue_name or event.venue_address:
            story.append(_p(labels.venue, st.h2))
            if event.venue_name:
                story.append(para(f"<b>{escape(event.venue_name)}</b>", st.body))
            if event.venue_address:
                story.append(_p(event.venue_address.strip(), st.body))
        if event.access_notes.strip():
            story.append(_p(labels.access, st.h2))
            story += _paragraphs(event.access_notes, st.body)
        if event.rooms:
            story.append(_p(labels.rooms, st.h2))
            for room in event.rooms:
                name = para(f"<b>{escape(room.name)}</b>", st.body)
                name.keepWithNext = True
                details = [] if room.step_free is None else [
                    labels.step_free if room.step_free else labels.not_step_free
                ]
                if room.capacity:
                    details.insert(0, labels.capacity % {"count": room.capacity})
                story += [name, _p(" · ".join(details), st.small)]
                if room.location_notes.strip():
                    story += _paragraphs(room.location_notes, st.small)
                story.append(Spacer(1, 3))
        if event.contacts.strip():
            story.append(_p(labels.contacts, st.h2))
            story += _paragraphs(event.contacts, st.body)
        return story

    # ------------------------------------------------------------------ pages

    def draw_cover(self, canv, doc) -> None:
        canv.saveState()
        canv.setFillColor(BRAND)
        canv.rect(0, PAGE_H - 38 * mm, PAGE_W, 38 * mm, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        kind = self.labels.kind_labels.get(self.event.kind, "")
        draw_string(canv, MARGIN_X, PAGE_H - 18 * mm, kind.upper(), SANS_BOLD, 11)
        draw_string(canv, MARGIN_X, PAGE_H - 25 * mm, self.labels.programme, SANS, 10)
        canv.setFillColor(MUTED)
        stamp = format_day(self.generated_at, self.locale, self.tz, "long")
        draw_string(canv, MARGIN_X, MARGIN_BOTTOM - 6 * mm, self.labels.edition % {"date": stamp}, SANS, 8)
        canv.restoreState()

    def draw_header(self, canv, doc) -> None:
        canv.saveState()
        canv.setFillColor(MUTED)
        top = PAGE_H - 12 * mm
        right = doc.page_section or doc.section
        right_w = string_width(right, SANS, 7.8)
        title = _fit(self.event.title, SANS, 7.8, BODY_W - right_w - 8 * mm)
        draw_string(canv, MARGIN_X, top, title, SANS, 7.8)
        draw_string(canv, PAGE_W - MARGIN_X, top, right, SANS, 7.8, "end")
        canv.setStrokeColor(LINE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, top - 2.2 * mm, PAGE_W - MARGIN_X, top - 2.2 * mm)
        canv.restoreState()

    def start_page(self, canv, doc) -> None:
        doc.page_section = doc.section
        doc.page_fresh = True


def _label(label: str, value: str, labels: ExportLabels) -> str:
    """ "Thème : Eau" / "Theme: Water". reportlab breaks lines at U+202F (and prints it as a plain
    space): French gets the no-break space it keeps whole."""
    return label_value(label, value, labels.lang, space="\u00a0")


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Text shortened with an ellipsis to fit a running header."""
    if string_width(text, font, size) <= width:
        return text
    while text and string_width(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _slots(sessions: list[SessionData]) -> list[list[SessionData]]:
    """Groups of sessions that overlap in time: they are printed side by side."""
    slots: list[list[SessionData]] = []
    end = None
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.ends_at, s.id)):
        if end is None or session.starts_at >= end:
            slots.append([session])
            end = session.ends_at
        else:
            slots[-1].append(session)
            end = max(end, session.ends_at)
    return slots


def _canvas_class(event: EventData, labels: ExportLabels):
    """A canvas that writes 'Page n of N' in each footer but the cover's."""

    def footer(canvas: pdf_canvas.Canvas, number: int, total: int) -> None:
        if number > 1:
            canvas.saveState()
            canvas.setFont(SANS, 7.8)
            canvas.setFillColor(MUTED)
            draw_string(canvas, MARGIN_X, 10 * mm, event.code_display, SANS, 7.8)
            canvas.drawRightString(PAGE_W - MARGIN_X, 10 * mm, labels.page_of % {"page": number, "total": total})
            canvas.restoreState()

    return page_count_canvas(footer)


def render_programme_pdf(
    event: EventData,
    *,
    labels: ExportLabels | None = None,
    locale: str = "fr",
    generated_at: datetime | None = None,
    second: EventData | None = None,
) -> bytes:
    """The printable programme of the event, as PDF bytes.

    `second`: the same event in another language (bilingual booklet): the cover title and every
    session title get their translation printed beneath, where it differs.
    """
    register_fonts()
    labels = labels or ExportLabels()
    renderer = _Renderer(event, labels, locale, generated_at or datetime.now(UTC), second)
    buffer = io.BytesIO()
    doc = _Doc(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{labels.programme} – {event.title}",
        author=event.venue_name or "eventsys",
        subject=event.code_display,
        creator="eventsys",
        lang=locale,
        displayDocTitle=True,
        initialFontName=SANS,
        initialFontSize=9.5,
        keepTogetherClass=Together,  # a title kept with what follows it
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate("cover", frames=[frame], onPage=renderer.draw_cover),
        PageTemplate("body", frames=[frame], onPage=renderer.start_page, onPageEnd=renderer.draw_header),
    ])  # fmt: skip
    with no_cycle_collection(), same_text_once():
        story = renderer.cover() + renderer.overview() + renderer.detailed() + renderer.speakers_index()
        story += renderer.rooms_and_access()
        doc.build(story, canvasmaker=_canvas_class(event, labels))
    return buffer.getvalue()

