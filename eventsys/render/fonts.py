"""Fonts for PDFs: DejaVu first, then a fallback chain, so that no character is dropped silently.

DejaVu (shipped in static/fonts) covers Latin with every diacritic, Greek and Cyrillic. Names and
titles also hold Japanese, emoji, Arabic, Devanagari…: reportlab would print nothing for them (an
empty .notdef glyph) and say nothing. So every text a PDF prints goes through this module:

* `markup(text)` (paragraph markup) wraps each run of characters DejaVu lacks in
  `<font face="…">` naming the first font of the chain that has them;
* `runs(text, font)` cuts a plain string into (text, font) pieces for canvas drawing
  (`draw_string`, `string_width`);
* a character that no installed font has is printed as REPLACEMENT (a visible mark), and
  `unprintable(text)` names those characters so the organiser can be warned before printing.

The chain is made of Debian font packages that dev.py installs (fonts-noto-core,
fonts-droid-fallback, fonts-symbola); a font that is not installed is skipped, and its characters
then become the replacement mark and a warning, never a silent gap. Fonts load lazily (only
when a text needs them) and once per process; reportlab subsets embedded fonts, so a PDF only
carries the glyphs it uses. Pure: no flask, no database.
"""

from __future__ import annotations

import re
import weakref
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
SYSTEM_FONTS = Path("/usr/share/fonts/truetype")
SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_ITALIC = "DejaVuSans-Oblique"
CONDENSED = "DejaVuSansCondensed"
CONDENSED_BOLD = "DejaVuSansCondensed-Bold"
REPLACEMENT = "\ufffd"  # drawn by DejaVu as a framed question mark: visibly something is missing

# (reportlab name, file under SYSTEM_FONTS), tried in this order for a character DejaVu lacks.
FALLBACKS: tuple[tuple[str, str], ...] = (
    ("NotoSans", "noto/NotoSans-Regular.ttf"),
    ("DroidSansFallback", "droid/DroidSansFallbackFull.ttf"),  # Chinese, Japanese, Korean
    ("Symbola", "ancient-scripts/Symbola_hint.ttf"),  # emoji and symbols, in black and white
    *(
        (f"NotoSans{script}", f"noto/NotoSans{script}-Regular.ttf")
        for script in (
            "Arabic", "Hebrew", "Devanagari", "Bengali", "Gujarati", "Gurmukhi", "Kannada", "Malayalam",
            "Oriya", "Tamil", "Telugu", "Sinhala", "Thai", "Lao", "Khmer", "Myanmar", "Armenian",
            "Georgian", "Ethiopic", "Tifinagh", "Cherokee", "Mongolian", "Tibetan", "Math", "Symbols",
            "Symbols2",
        )
    ),
)  # fmt: skip
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


_reportlab_cmap = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map, with characters past U+FFFF written as UTF-16 (reportlab writes
    their code point in hex, so 🚲 U+1F6B2 copies out of the PDF as U+1F6B and "2")."""
    text = _reportlab_cmap(fontname, [point if point <= 0xFFFF else 0 for point in subset])
    for index, point in enumerate(subset):
        if point > 0xFFFF:
            pair = chr(point).encode("utf-16-be").hex().upper()
            text = text.replace(f"<{index:02X}> <0000>", f"<{index:02X}> <{pair}>", 1)
    return text


class Font(TTFont):
    """reportlab's TrueType font, quicker to draw text whose characters are already in the PDF.

    reportlab maps every character drawn to its code in the embedded subset, one character at a
    time in Python (a third of the time spent drawing a 600-page booklet). Once the characters of
    a text have their code (after the first few lines, nearly always), one dict look-up per
    character gives the same bytes; anything else (a new character, several subsets, a
    no-break space) goes the way reportlab goes. Word widths, measured again and again while
    lines are broken, are remembered per font and size."""

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self._widths: dict[tuple[str, float], float] = {}
        self._word_widths: dict[float, dict[str, float]] = {}
        self._tables: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # per document

    def word_widths(self, words: list[str], size: float) -> list[float]:
        """stringWidth of each word, looked up in one pass (the line breaker's question)."""
        known = self._word_widths.get(size)
        if known is None or len(known) > 100_000:
            known = self._word_widths[size] = {}
        widths = list(map(known.get, words))
        if None in widths:
            measure = super().stringWidth
            for index, width in enumerate(widths):
                if width is None:
                    word = words[index]
                    widths[index] = known[word] = measure(word, size, "utf8")
        return widths

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802 - reportlab's name
        key = (text, size)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > 200_000:
                self._widths.clear()
            width = self._widths[key] = super().stringWidth(text, size, encoding)
        return width

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802 - reportlab's name
        state = self.state.get(doc)
        if state is not None and isinstance(text, str) and text and "\xa0" not in text:
            # Each character already in the first subset becomes U+F0xx, xx its code there:
            # str.translate and the UTF-16 encoder give the bytes in C, and a character left as
            # it was (new, or in a second subset) shows in the high bytes.
            assignments = state.assignments
            table = self._tables.get(doc)
            if table is None or table[0] != len(assignments):
                codes = dict.fromkeys(range(0xF000, 0xF100), 0xFFFF)  # such a character in the text itself
                codes.update((char, 0xF000 + code) for char, code in assignments.items() if code < 256)
                table = self._tables[doc] = (len(assignments), codes)
            pairs = text.translate(table[1]).encode("utf-16-be")
            if not pairs[::2].strip(b"\xf0"):
                return [(0, pairs[1::2])]
        return super().splitString(text, doc, encoding)


@cache
def register_fonts() -> None:
    """Register DejaVu with reportlab once per process (idempotent); fallbacks register lazily."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    for name in (SANS, SANS_BOLD, SANS_ITALIC, CONDENSED, CONDENSED_BOLD):
        pdfmetrics.registerFont(Font(name, str(FONT_DIR / f"{name}.ttf")))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, SANS_BOLD)
    for name in (CONDENSED, CONDENSED_BOLD):
        for bold in (0, 1):
            addMapping(name, bold, 0, CONDENSED_BOLD if bold else CONDENSED)
            addMapping(name, bold, 1, CONDENSED_BOLD if bold else CONDENSED)


@cache
def _base_cover() -> frozenset[int]:
    register_fonts()
    return frozenset(pdfmetrics.getFont(SANS).face.charToGlyph)


@cache
def _missing_pattern() -> re.Pattern[str]:
    """A regex matching runs of characters DejaVu lacks (a C-speed test on every text printed)."""
    points = sorted(_base_cover())
    ranges, start, prev = [], points[0], points[0]
    for point in points[1:]:
        if point != prev + 1:
            ranges.append((start, prev))
            start = point
        prev = point
    ranges.append((start, prev))
    covered = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    # Line breaks, tabs and the like are not glyphs: never "missing".
    return re.compile(f"[^{covered}\\s\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufe00-\ufe0f\U000e0000-\U000e01ef]+")


@cache
def _fallback(index: int) -> frozenset[int] | None:
    """The characters of the index-th fallback font, registered on first use; None if not installed."""
    name, relative = FALLBACKS[index]
    path = SYSTEM_FONTS / relative
    if not path.is_file():
        return None
    try:
        font = Font(name, str(path))
    except Exception:  # noqa: BLE001 - a broken or unsupported font file is skipped like a missing one
        return None
    pdfmetrics.registerFont(font)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)  # <b> inside a fallback run keeps the fallback
    return frozenset(font.face.charToGlyph)


@cache
def font_for(char: str) -> str | None:
    """The font that prints `char`: SANS when DejaVu has it, else the first fallback that has it."""
    point = ord(char)
    if point in _base_cover():
        return SANS
    for index in range(len(FALLBACKS)):
        cover = _fallback(index)
        if cover is not None and point in cover:
            return FALLBACKS[index][0]
    return None


def _pieces(text: str) -> list[tuple[str, str | None]]:
    """`text` (only characters DejaVu lacks) cut into runs of one font; None: no font has them."""
    out: list[tuple[str, str | None]] = []
    for char in text:
        font = font_for(char)
        if out and out[-1][1] == font:
            out[-1] = (out[-1][0] + char, font)
        else:
            out.append((char, font))
    return out


def unprintable(text: str) -> set[str]:
    """The characters of `text` that no installed font can print (they show as REPLACEMENT)."""
    found: set[str] = set()
    for match in _missing_pattern().finditer(text or ""):
        found.update(piece for piece, font in _pieces(match.group()) if font is None)
    return {char for piece in found for char in piece}


def _markup_run(match: re.Match[str]) -> str:
    out = []
    for piece, font in _pieces(match.group()):
        out.append(REPLACEMENT * len(piece) if font is None else f'<font face="{font}">{piece}</font>')
    return "".join(out)


_TAG = re.compile(r"(<[^>]*>)")


def markup(text: str) -> str:
    """Paragraph markup (already escaped) with fallback fonts for the characters DejaVu lacks."""
    pattern = _missing_pattern()
    if not pattern.search(text):
        return text
    parts = _TAG.split(text)  # tags stay as they are; only the text between them changes
    return "".join(part if index % 2 else pattern.sub(_markup_run, part) for index, part in enumerate(parts))


def has_cjk(text: str) -> bool:
    """Chinese, Japanese or Korean text: lines may break between any two of its characters."""
    return _CJK.search(text) is not None


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """A plain string as (piece, font) runs for canvas drawing: `font` where DejaVu has the
    characters, fallback fonts elsewhere, REPLACEMENT (in `font`) where none has them."""
    pattern = _missing_pattern()
    if not pattern.search(text):
        return [(text, font)]
    out: list[tuple[str, str]] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            out.append((text[position : match.start()], font))
        for piece, found in _pieces(match.group()):
            out.append((piece, found) if found else (REPLACEMENT * len(piece), font))
        position = match.end()
    if position < len(text):
        out.append((text[position:], font))
    return out


def string_width(text: str, font: str, size: float) -> float:
    """The printed width of `text`, fallback fonts included."""
    return sum(pdfmetrics.stringWidth(piece, name, size) for piece, name in runs(text, font))


def draw_string(canvas, x: float, y: float, text: str, font: str, size: float, anchor: str = "start") -> None:
    """canvas.drawString with fallback fonts; anchor "middle" or "end" as drawCentredString and
    drawRightString. Leaves the canvas font as `font`."""
    pieces = runs(text, font)
    if len(pieces) == 1:
        piece, name = pieces[0]
        canvas.setFont(name, size)
        draw = {"start": canvas.drawString, "middle": canvas.drawCentredString, "end": canvas.drawRightString}
        draw[anchor](x, y, piece)
        canvas.setFont(font, size)
        return
    width = sum(pdfmetrics.stringWidth(piece, name, size) for piece, name in pieces)
    x -= {"start": 0, "middle": width / 2, "end": width}[anchor]
    for piece, name in pieces:
        canvas.setFont(name, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, name, size)
    canvas.setFont(font, size)


def text_out(text_object, text: str, font: str, size: float) -> None:
    """textobject.textOut with fallback fonts (the text object keeps `font` afterwards)."""
    for piece, name in runs(text, font):
        text_object.setFont(name, size)
        text_object.textOut(piece)
    text_object.setFont(font, size)
