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

The package: data.py (layouts, roles, labels, the dataclasses callers fill), text.py (fitting
names and lines), layout.py (labels in the badge's language, slots on the page), drawing.py
(the badge faces), document.py (render_badges). Who gets which badge, and the data, are the
services' business (services/checkin).
"""

from eventsys.render.badges.data import (
    DEFAULT_LABELS,
    LAYOUTS,
    ROLE_COLOURS,
    ROLES,
    BadgeData,
    BadgeOptions,
    ItineraryStep,
    ProgrammeItem,
)
from eventsys.render.badges.document import render_badges
from eventsys.render.badges.layout import layout_slots
from eventsys.render.badges.text import fit_name, fit_text

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
