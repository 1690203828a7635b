"""Badge labels in the badge's language, and where badges sit on the page (slots per layout).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm

from eventsys.render.badges.data import (
    DEFAULT_LABELS,
    FALLBACK_LANGUAGE,
    LAYOUTS,
    BadgeOptions,
)

# --------------------------------------------------------------------------- labels


def _short_lang(lang: str | None) -> str:
    return (lang or "").replace("-", "_").split("_")[0].lower()


class Labels:
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
def babel_locale(lang: str) -> str:
    short = _short_lang(lang)
    # European events: day-month order and 24-hour clock for English too.
    return "en_GB" if short == "en" else (short or "fr")


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Slot:
    x: float
    y: float
    w: float
    h: float


A4_8_BADGE = (90 * mm, 60 * mm)
A4_8_GUTTER = 10 * mm
A4_8_BLEED = 1.5 * mm  # colour beyond the trim, inside the gutter; crop marks start further out
ID1 = (85.6 * mm, 54 * mm)


def _a4_8_slots() -> list[Slot]:
    bw, bh = A4_8_BADGE
    page_w, page_h = A4
    left = (page_w - 2 * bw - A4_8_GUTTER) / 2
    top = page_h - (page_h - 4 * bh - 3 * A4_8_GUTTER) / 2
    slots = []
    for row in range(4):
        for col in range(2):
            slots.append(
                Slot(
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
