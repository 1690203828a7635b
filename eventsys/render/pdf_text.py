"""Text into reportlab paragraphs, for every PDF: fallback fonts, word breaking, rich text.

* `para(markup, style)`: a Paragraph whose characters all print (render/fonts.py picks a fallback
  font per run, or prints a visible replacement mark); Chinese/Japanese/Korean text may break
  between its characters, as it does in print.
* `breaking(style, locale)`: a style that breaks words only at spaces, hyphens already in the
  word and hyphenation points of the language (pyphen), never in the middle of a syllable.
* `rich(blocks, style)`: a rich-text description (paragraphs, line breaks, lists, emphasis,
  links, as eventsys.richtext.blocks gives them) as one Paragraph per block: short flows
  reportlab splits across pages cheaply (a 3 kB abstract as one Paragraph is re-wrapped at
  every page it spans, the main cost of a 500-page booklet).

Pure: no flask, no database.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import KeepTogether, Paragraph
from reportlab.platypus.paragraph import _drawBullet, cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser
from reportlab.rl_config import paraFontSizeHeightOffset

from eventsys.render import fonts, pdf_markup

# pyphen dictionaries per interface language; others fall back to French, the reference language.
HYPHENATION = {"fr": "fr_FR", "en": "en_GB", "de": "de_DE", "es": "es_ES", "it": "it_IT"}


class Run(Protocol):
    text: str
    bold: bool
    italic: bool
    href: str


class Block(Protocol):
    kind: str  # "p", "ul" or "ol"
    number: int
    runs: list


def breaking(style: ParagraphStyle, locale: str = "fr") -> ParagraphStyle:
    """`style` with hyphenation in `locale`; words are never cut anywhere else."""
    style.hyphenationLang = HYPHENATION.get((locale or "fr")[:2], "fr_FR")
    style.embeddedHyphenation = 1  # "intercommunalité-départementalisation" breaks after its hyphen
    style.uriWasteReduce = 0.3  # a long address breaks after / or . rather than leaving half a line
    style.splitLongWords = 0
    return style


class QuickParagraph(Paragraph):
    """reportlab's Paragraph, measured once per width and with a quicker line breaker for plain text.

    * reportlab measures a flowable several times at the same width (a keep-together group, a
      table's rows and cells when drawn, then the frame that places it) and breaks its lines
      afresh each time: the line breaking is kept for the width it was made for. Splitting across pages works as
      reportlab's own (a split drops `blPara`, and the next measure breaks the lines again).
    * A paragraph of one plain run (most of a booklet) is broken into lines by the same rule as
      reportlab's (words at spaces, a line as long as its width and the 5 % space shrinkage
      allow) with the word widths looked up once per font. Anything else (several runs, bullets,
      hyphenation, a word longer than the line, no-break or soft hyphens, right-to-left text)
      is left to reportlab."""

    _measured: tuple | None = None

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        measured = self._measured
        # A table measures its cells at one width and draws them at the same width computed
        # another way, one rounding apart (103.25984251968505, then …504): the same lines.
        if (
            measured is not None and abs(measured[0] - availWidth) <= 1e-9
            and measured[1] is self.__dict__.get("blPara")
        ):  # fmt: skip
            self.width, self.height = availWidth, measured[2][1]
            return availWidth, measured[2][1]
        size = super().wrap(availWidth, availHeight)
        self._measured = (availWidth, self.__dict__.get("blPara"), size)
        return size

    _content: tuple | None = None  # what the text is made of, when `para` made it

    def breakLines(self, width):  # noqa: N802 - reportlab's name
        memo = _SAME_TEXT.get()
        if memo is None or self._content is None or self.style.wordWrap:
            return self._plain_lines(width) or super().breakLines(width)
        key = (self._content, self.style, self.bulletText, tuple(width) if isinstance(width, list | tuple) else width)
        known = memo.get(key)
        if known is None:
            para = self._plain_lines(width) or super().breakLines(width)
            known = memo[key] = (para, list(width) if isinstance(width, list | tuple) else width, self._width_max,
                                 getattr(self, "_splitLongWordCount", 0), getattr(self, "_hyphenations", 0))
        para, widths, self._width_max, self._splitLongWordCount, self._hyphenations = known
        self.height = 0
        if isinstance(width, list):
            width[:] = widths  # as breaking them would (a wide bullet shortens the first line)
        return para

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        para = self.__dict__.get("blPara")
        if para is not None and para.kind == 1 and self._content is not None and _SAME_TEXT.get() is not None:
            # reportlab adds spaces to the fragments of lines it splits: not to those other
            # paragraphs of the same text share.
            lines = [line.clone(words=[copy.copy(word) for word in line.words]) for line in para.lines]
            self.blPara = para.clone(lines=lines)
            self.blPara.__dict__.pop("_eventsys_drawn", None)
        return super().split(availWidth, availHeight)

    def _plain_lines(self, width):
        style, frags = self.style, self.frags
        if len(frags) != 1 or style.wordWrap or style.shaping or style.endDots:
            return None
        frag = frags[0]
        text = getattr(frag, "text", None)
        if (
            not isinstance(text, str) or hasattr(frag, "cbDefn") or hasattr(frag, "backColor")
            or "\xa0" in text or "\xad" in text
        ):  # fmt: skip
            return None
        font = pdfmetrics.getFont(frag.fontName)
        if not isinstance(font, fonts.Font):
            return None
        widths = list(width) if isinstance(width, list | tuple) else [width]
        if self.bulletText:  # as reportlab: a bullet wider than the indent shortens the first line
            bullet = pdfmetrics.stringWidth(self.bulletText, style.bulletFontName, style.bulletFontSize)
            overrun = style.bulletIndent + bullet + 0.6 * style.bulletFontSize - (style.leftIndent + style.firstLineIndent)
            if overrun > 0:
                widths[0] -= overrun
        words = text.split()
        size = frag.fontSize
        word_widths = font.word_widths(words, size)
        space = font.stringWidth(" ", size)
        if getattr(style, "hyphenationLang", "") or style.uriWasteReduce or style.embeddedHyphenation:
            # Hyphenation only ever acts on a word that overflows its line: none does when the
            # whole text fits on the first one.
            if sum(word_widths) + space * (len(words) - 1) > widths[0]:
                return None
        elif style.splitLongWords and word_widths and max(word_widths) > min(widths):
            return None
        if isinstance(width, list):
            width[:] = widths  # reportlab adjusts the caller's widths for the bullet too
        self._width_max = 0
        self.height = 0
        self._splitLongWordCount = self._hyphenations = 0
        ascent, descent = pdfmetrics.getAscentDescent(frag.fontName, size)
        if not words:
            return frag.clone(kind=0, lines=[], ascent=ascent, descent=descent, fontSize=size)
        shrink = style.spaceShrinkage * space
        last_index = len(widths) - 1
        lines, start, count, line_no, widest = [], 0, 0, 0, 0
        max_width = widths[0]
        current = -space
        for index, word_width in enumerate(word_widths):
            new_width = current + space + word_width
            if new_width <= max_width + shrink * count or not count:
                count += 1
                current = new_width
            else:
                if current > widest:
                    widest = current
                lines.append((max_width - current, words[start:index]))
                start, count, current = index, 1, word_width
                line_no += 1
                max_width = widths[min(last_index, line_no)]
        widest = max(widest, current)
        lines.append((max_width - current, words[start:]))
        self._width_max = widest
        return frag.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=size)


    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N803 - reportlab's names
        """reportlab's drawing of a left-aligned paragraph of one font and colour, written straight
        into the page: the same PDF operators, byte for byte, without a text object and its cursor
        bookkeeping per line, nor the canvas's state saved and restored twice in Python (most of a
        booklet's paragraphs). Anything else is drawn by reportlab."""
        style, para = self.style, self.__dict__.get("blPara")
        if (
            para is None or para.kind != 0 or not para.lines or style.alignment != TA_LEFT
            or style.backColor or (style.borderColor and style.borderWidth) or style.wordWrap
            or getattr(self, "autoLeading", getattr(style, "autoLeading", "")) in ("max", "min")
            or getattr(para, "us_lines", None) or getattr(para, "link", None) or any(getattr(self, "_offsets", ()))
            or getattr(self, "_showBoundary", None) or not canvas.bottomup
            or not isinstance(font := pdfmetrics.getFont(para.fontName), fonts.Font) or font.shapable
        ):  # fmt: skip
            return self._draw_again(canvas, x, y, _sW)
        x = self._hAlignAdjust(x, _sW)
        colour = para.textColor
        fill = None
        if not canvas._enforceColorSpace and canvas._extgstate.getValue("ca") == getattr(colour, "alpha", 1):
            fill = _fill_code(colour)
        if fill is None:
            canvas.saveState()
            canvas.translate(x, y)
            canvas.saveState()
        else:
            canvas._code.extend(("q", f"{fp_str(1, 0, 0, 1, x, y)} cm", "q"))
        cur_y = self.height - (para.fontSize if paraFontSizeHeightOffset else getattr(para, "ascent", para.fontSize))
        offset = style.firstLineIndent
        if self.bulletText:
            offset = _bullet(canvas, offset, cur_y, self.bulletText, style)
        if fill is None:
            canvas.setFillColor(colour)
            canvas._code.append(self._text_code(canvas, font, offset, cur_y))
            canvas.restoreState()
            canvas.restoreState()
        else:
            canvas._doc.ensureMinPdfVersion("transparency")  # as setFillColor does for the colour's alpha
            canvas._code.extend((fill, self._text_code(canvas, font, offset, cur_y), "Q", "Q"))
        return None

    def _draw_again(self, canvas, x, y, _sW=0):  # noqa: N803 - reportlab's names
        """reportlab's drawing; lines of several fonts shared with an earlier paragraph of the same
        text (`same_text_once`) take the operators that one wrote, at their own place. Not for
        links: their clickable areas are made where the paragraph is drawn."""
        para = self.__dict__.get("blPara")
        if para is None or para.kind != 1 or self._content is None or _SAME_TEXT.get() is None:
            return super().drawOn(canvas, x, y, _sW)
        key = (canvas._doc, canvas._extgstate.getValue("ca"), canvas._enforceColorSpace, getattr(self, "_showBoundary", None))
        known = para.__dict__.get("_eventsys_drawn")
        if known is not None and known[0] == key:
            x = self._hAlignAdjust(x, _sW)
            canvas._code.extend(("q", f"{fp_str(1, 0, 0, 1, x, y)} cm", *known[1]))
            return None
        start = len(canvas._code)
        super().drawOn(canvas, x, y, _sW)
        written = canvas._code[start:]
        if (
            len(written) > 2 and written[0] == "q" and written[1].endswith(" cm") and not key[3]
            and not any(getattr(word, "link", None) for line in para.lines for word in line.words)
        ):  # fmt: skip
            para._eventsys_drawn = (key, tuple(written[2:]))
        return None

    def _text_code(self, canvas, font: fonts.Font, offset: float, cur_y: float) -> str:
        """The text object reportlab's drawPara writes for these lines (offset: the first line's),
        kept with the lines: the same text in the same style, broken once, is written once."""
        para = self.blPara
        key = (canvas._doc, offset, cur_y, self.style.leftIndent, self.style.leading)
        known = para.__dict__.get("_eventsys_code")
        if known is not None and known[0] == key:
            return known[1]
        code = self._write_text(canvas, font, offset, cur_y)
        para._eventsys_code = (key, code)
        return code

    def _write_text(self, canvas, font: fonts.Font, offset: float, cur_y: float) -> str:
        style, para = self.style, self.blPara
        doc = canvas._doc
        escape_pdf = canvas._escape
        code = ["BT", f"1 0 0 1 {fp_str(style.leftIndent, cur_y)} Tm"]
        subset_now = -1
        head = _font_head(para.fontSize, style.leading)
        for extra, words in para.lines:
            text = " ".join(words)
            chunks = font.splitString(text, doc)
            if len(chunks) == 1 and chunks[0][0] == subset_now:
                line = f"({escape_pdf(chunks[0][1])}) Tj T*"
            else:
                out = []
                for subset, chunk in chunks:
                    if subset != subset_now:
                        out.append(f"{font.getSubsetInternalName(subset, doc)} {head}")
                        subset_now = subset
                    out.append(f"({escape_pdf(chunk)}) Tj")
                line = " ".join(out) + " T*"
            if extra <= -1e-8:  # a line a little too long, its spaces shrunk as reportlab does
                spaces = len(words) + text.count("\xa0") - 1
                if spaces > 0:
                    line = f"{fp_str(extra / float(spaces))} Tw {line} 0 Tw"
            if offset > 1e-6 or offset < -1e-6:  # a first line indented or hanging
                code += (f"{fp_str(offset, 0)} Td", line, f"{fp_str(-offset, 0)} Td")
                offset = 0
            else:
                code.append(line)
        code.append("ET")
        return " ".join(code)


def _bullet(canvas, offset: float, cur_y: float, bullet, style: ParagraphStyle) -> float:
    """reportlab's _drawBullet; the text object it writes for a bullet of plain text is kept per
    document, place and canvas state (a booklet draws the same "•" at the same place thousands of
    times). Not when the bullet's colour changes the transparency: that changes the canvas."""
    colour = getattr(style, "bulletColor", style.textColor)
    if not isinstance(bullet, str) or getattr(colour, "alpha", 1) != canvas._extgstate.getValue("ca"):
        return _drawBullet(canvas, offset, cur_y, bullet, style, rtl=False)
    known_here = canvas._doc.__dict__.setdefault("_eventsys_bullets", {})  # goes with the document
    key = (offset, cur_y, bullet, style, canvas._fontname, canvas._fontsize, canvas._leading,
           canvas._enforceColorSpace, canvas.bottomup)  # fmt: skip
    known = known_here.get(key)
    if known is None:
        start = len(canvas._code)
        after = _drawBullet(canvas, offset, cur_y, bullet, style, rtl=False)
        written = canvas._code[start:]
        if len(written) == 1:  # the one text object this is for (else: not kept)
            known_here[key] = (written[0], after)
        return after
    canvas._code.append(known[0])
    return known[1]


@lru_cache(maxsize=256)
def _font_head(size: float, leading: float) -> str:
    return f"{fp_str(size)} Tf {fp_str(leading)} TL"


@lru_cache(maxsize=256)
def _fill_code(colour) -> str | None:
    """The operator that sets an RGB fill colour, as canvas.setFillColor writes it."""
    if type(colour) is not Color:
        return None
    return f"{fp_str((colour.red, colour.green, colour.blue))} rg"


# Paragraphs of one document broken into lines once per text, style and width (a booklet prints
# the same speaker line, list item or notice many times); see `same_text_once`.
_SAME_TEXT: ContextVar[dict | None] = ContextVar("same_text", default=None)


@contextmanager
def same_text_once() -> Iterator[None]:
    """While a document is built: a paragraph whose text, style and width another already had
    takes its lines (and their PDF operators) instead of breaking and encoding them again."""
    token = _SAME_TEXT.set({})
    try:
        yield
    finally:
        _SAME_TEXT.reset(token)


class Together(KeepTogether):
    """reportlab's KeepTogether for paragraphs, tables and spaces, measured without the copy of
    the document's frame reportlab makes each time (for flowables that add content of their own
    while being measured, which these never do): a thousand copies in a booklet. A group taller
    than a page flows on from where it stands."""

    def wrap(self, aW, aH):  # noqa: N803 - reportlab's names
        doc = getattr(getattr(self, "canv", None), "_doctemplate", None)
        frame = getattr(doc, "frame", None)
        if frame is None:
            return super().wrap(aW, aH)
        doc.frame = None
        try:
            return super().wrap(aW, aH)
        finally:
            doc.frame = frame

    def split(self, aW, aH):  # noqa: N803 - reportlab's names
        # A group taller than a whole page cannot be kept on one: reportlab would still move it to
        # the next page first, leaving this one blank or with a heading alone. It flows from here.
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._height < self._H:
            return ([self.FrameBreak()] if aH < self._H0 else []) + list(self._content)
        return super().split(aW, aH)


@cache
def _cjk_variant(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")


@lru_cache(maxsize=512)
def _plain_frag(style: ParagraphStyle):
    """The text fragment reportlab's markup parser makes of a tagless text in `style`."""
    _, frags, _ = ParaParser().parse("x", style)
    return frags[0]


def para(markup: str, style: ParagraphStyle, **kw) -> QuickParagraph:
    """A Paragraph of (escaped) reportlab markup in which every character prints."""
    text = fonts.markup(markup)
    if fonts.has_cjk(text):
        style = _cjk_variant(style)
    if "<" not in text and "&" not in text and "\n" not in text:
        # Most paragraphs are plain text: skip the markup parser (a third of a booklet's build).
        text = " ".join(text.split())
        made = QuickParagraph(text, style, frags=[_plain_frag(style).clone(text=text)], **kw)
        made._content = ("plain", text)
        return made
    parsed = _parsed(text, style)
    if parsed is None:
        return QuickParagraph(text, style, **kw)
    made = QuickParagraph(text, style, frags=[frag.clone() for frag in parsed], **kw)
    made._content = ("markup", text)
    return made


@lru_cache(maxsize=2048)
def _parsed(text: str, style: ParagraphStyle) -> tuple | None:
    """The fragments reportlab's markup parser makes of `text` in `style` (None when the markup
    changes the style or has a bullet of its own: reportlab then parses it). A booklet repeats
    the same markup (a documents line under every session, the same workshop in two rooms):
    parsed once per booklet, as its styles are made for each booklet."""
    text = cleanBlockQuotedText(text)
    frags = pdf_markup.frags(text, style)
    if frags is None:
        parser = ParaParser()
        parser.caseSensitive = 1
        parsed_style, frags, bullet = parser.parse(text, style)
        if frags is None or parsed_style is not style or bullet:
            return None
    textTransformFrags(frags, style)
    return tuple(frags)


def plain(text: str, style: ParagraphStyle, **kw) -> Paragraph:
    """A Paragraph of plain text (line breaks kept)."""
    return para(escape(text or "").replace("\n", "<br/>"), style, **kw)


def run_markup(run: Run) -> str:
    text = escape(run.text).replace("\n", "<br/>")
    if run.bold:
        text = f"<b>{text}</b>"
    if run.italic:
        text = f"<i>{text}</i>"
    if run.href:
        text = f'<a href={quoteattr(run.href)} color="#0b4f8a"><u>{text}</u></a>'
    return text


def rich(blocks: Iterable[Block], style: ParagraphStyle, item_style: ParagraphStyle | None = None) -> list[Paragraph]:
    """Rich-text blocks as Paragraphs: paragraphs in `style`, list items in `item_style` with a
    bullet or their number."""
    item_style = item_style or style
    out = []
    for block in blocks:
        text = "".join(run_markup(run) for run in block.runs)
        if block.kind == "ul":
            out.append(para(text, item_style, bulletText="•"))
        elif block.kind == "ol":
            out.append(para(text, item_style, bulletText=f"{block.number}."))
        else:
            out.append(para(text, style))
    return out


def item_style(style: ParagraphStyle) -> ParagraphStyle:
    """The list-item look of a body style: indented, its bullet hanging in the margin."""
    return ParagraphStyle(f"{style.name}-item", parent=style, leftIndent=style.leftIndent + 10,
                          bulletIndent=style.leftIndent + 2, spaceAfter=1)  # fmt: skip
