"""Badges as one PDF document: the entry point, render_badges.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from eventsys.render.badges.data import (
    BadgeData,
    BadgeOptions,
)
from eventsys.render.badges.drawing import (
    BadgeRenderer,
)
from eventsys.render.badges.layout import (
    A4_8_BLEED,
    Slot,
    layout_slots,
)
from eventsys.render.fonts import (
    SANS,
    register_fonts,
)

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
    renderer = BadgeRenderer(c, options)
    slots = [Slot(*box) for box in boxes]

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
