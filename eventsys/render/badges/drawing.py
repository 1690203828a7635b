"""Drawing the faces of a badge (front, back, folded programme) on a reportlab canvas.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from eventsys.i18n import format_day
from eventsys.render.badges.data import (
    ROLE_COLOURS,
    BadgeData,
    BadgeOptions,
)
from eventsys.render.badges.layout import (
    A4_8_BLEED,
    Labels,
    Slot,
    babel_locale,
)
from eventsys.render.badges.text import (
    Block,
    draw_blocks,
    fit_blocks,
    fit_name,
    fit_text,
    nfc,
)
from eventsys.render.fonts import (
    CONDENSED,
    CONDENSED_BOLD,
    SANS,
    SANS_BOLD,
    draw_string,
    string_width,
    text_out,
)
from eventsys.render.qr import QUIET_ZONE, draw_qr, qr_matrix

# --------------------------------------------------------------------------- drawing helpers

INK = HexColor("#111111")
SOFT_INK = HexColor("#3a3a3a")
MUTED = HexColor("#595959")  # 7:1 on white
RULE = HexColor("#c8c8c8")
WHITE = HexColor("#ffffff")


class BadgeRenderer:
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
        self, b: BadgeData, labels: Labels, x: float, y: float, w: float, h: float, size: float
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

    def front_portrait(self, b: BadgeData, slot: Slot) -> None:
        c = self.c
        labels = Labels(self.options, b.lang)
        pad = 7 * mm
        inner_w = slot.w - 2 * pad
        top = slot.y + slot.h - 8 * mm

        # Header: logo, event name and subtitle.
        logo_w = self.draw_logo(b.logo, slot.x + pad, top, 28 * mm, 15 * mm)
        text_x = slot.x + pad + (logo_w + 3 * mm if logo_w else 0)
        text_w = slot.x + slot.w - pad - text_x
        header, used = fit_blocks(
            [
                Block(b.event_name, SANS_BOLD, 10.5, 7.5, INK, max_lines=2),
                Block(b.event_subtitle, SANS, 7.5, 6.5, MUTED, max_lines=2, gap=1.5),
            ],
            text_w,
            16 * mm,
        )
        header_h = max(used, 15 * mm if logo_w else 0)
        draw_blocks(c, header, text_x, top - (header_h - used) / 2, text_w, centred=False)
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
            lang_blocks, lang_h = fit_blocks(
                [
                    Block(labels.get("languages"), SANS_BOLD, 8, 6.5, MUTED, max_lines=2),
                    Block(languages, SANS, 9, 6.5, SOFT_INK, max_lines=4, gap=2),
                ],
                inner_w - qr_block,
                qr_block - 8 * mm,
            )
            draw_blocks(
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
        names, used = fit_blocks(
            [
                Block(b.first_name, SANS_BOLD, 30, 18, INK, is_name=True, leading=1.2),
                Block(b.last_name, SANS_BOLD, 22, 13, INK, is_name=True, gap=1, leading=1.2),
                Block(b.organisation, SANS, 11, 8, SOFT_INK, max_lines=2, gap=7),
                Block(b.delegation, SANS_BOLD, 10, 7, INK, max_lines=2, gap=3),
            ],
            inner_w,
            zone_top - zone_bottom,
        )
        draw_blocks(
            c,
            names,
            slot.x + pad,
            zone_top - (zone_top - zone_bottom - used) / 2,
            inner_w,
            centred=True,
        )

    def front_landscape(
        self, b: BadgeData, slot: Slot, *, compact: bool, bleed: float = 0.0
    ) -> None:
        c = self.c
        labels = Labels(self.options, b.lang)
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
        header, header_used = fit_blocks(
            [Block(b.event_name, SANS_BOLD, 7, 5.5, MUTED, max_lines=2)], header_w, 7 * mm
        )
        header_h = max(header_used, 7 * mm if logo_w else 0)
        draw_blocks(
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
        body, used = fit_blocks(
            [
                Block(b.first_name, SANS_BOLD, 19 if compact else 21, 11, INK, is_name=True, leading=1.2),
                Block(b.last_name, SANS_BOLD, 14 if compact else 15, 9, INK, is_name=True, leading=1.2),
                Block(b.organisation, SANS, 8, 6, SOFT_INK, max_lines=2, gap=3),
                Block(b.delegation, SANS_BOLD, 8, 6, INK, max_lines=2, gap=2),
                Block(
                    f"{labels.get('languages')}{colon}{languages}" if languages else "",
                    CONDENSED, 7, 5.5, MUTED, max_lines=2, gap=3,
                ),
            ],
            text_w,
            zone_top - zone_bottom,
        )  # fmt: skip
        draw_blocks(
            c, body, text_x, zone_top - (zone_top - zone_bottom - used) / 2, text_w, centred=False
        )

    # ------------------------------------------------------------------ programme back

    def programme_rows(self, b: BadgeData, labels: Labels) -> list[tuple]:
        rows: list[tuple] = []
        day: date | None = None
        locale = babel_locale(labels.lang)
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
            rows.append(("item", when, nfc(item.title), nfc(item.room)))
        if b.itinerary:
            rows += self.itinerary_rows(b, labels, locale)
        return rows

    def itinerary_rows(self, b: BadgeData, labels: Labels, locale: str) -> list[tuple]:
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
                heading = nfc(step.activity) or labels.get("itinerary", bilingual=False)
                if len(days) > 1:
                    heading += f" – {format_day(start.date(), locale, width='weekday')}"
                rows.append(("section", heading))
            when = f"{start:%H:%M}"
            if step.end is not None:
                when += f"–{self.local(step.end):%H:%M}"
            title = nfc(step.place)
            if step.number:
                number = labels.get("round", bilingual=False) % {"number": step.number}
                title = f"{number} · {title}" if title else number
            details = []
            if step.sitting_out:
                details.append(labels.get("sitting_out", bilingual=False))
            if step.theme:
                details.append(f"{labels.get('theme', bilingual=False)}{colon}{nfc(step.theme)}")
            if step.facilitator:
                details.append(
                    f"{labels.get('facilitator', bilingual=False)}{colon}{nfc(step.facilitator)}"
                )
            if not details and step.detail:
                details.append(nfc(step.detail))
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

    def back_panel(self, b: BadgeData, slot: Slot) -> list[tuple]:
        """The programme side of a folded badge; returns the rows left for the inner panel."""
        c = self.c
        labels = Labels(self.options, b.lang)
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
        head, used = fit_blocks(
            [
                Block(labels.get("programme"), SANS_BOLD, 13, 9, INK, max_lines=2),
                Block(
                    f"{b.first_name} {b.last_name}", SANS_BOLD, 9, 7, SOFT_INK, is_name=True, gap=4
                ),
                Block(b.event_name, SANS, 7.5, 6, MUTED, max_lines=2, gap=2),
                Block(b.event_subtitle, SANS, 7, 6, MUTED, max_lines=2, gap=1),
            ],
            head_w,
            qr_block - 2 * mm,
        )
        draw_blocks(c, head, slot.x + pad, top, head_w, centred=False)
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
        labels = Labels(self.options, b.lang)
        half_w, half_h = page_w / 2, page_h / 2
        pad = 10 * mm
        blocks, _ = fit_blocks(
            [
                Block(labels.get("fold_title", bilingual=False), SANS_BOLD, 10, 8, SOFT_INK),
                Block(
                    labels.get("fold_1", bilingual=False),
                    SANS,
                    8,
                    6.5,
                    SOFT_INK,
                    max_lines=4,
                    gap=4,
                ),
                Block(
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
        end = draw_blocks(c, blocks, pad, page_h - pad, half_w - 2 * pad, centred=False)
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

    def crop_marks(self, slot: Slot) -> None:
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
