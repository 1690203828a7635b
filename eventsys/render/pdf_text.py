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

from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paraparser import ParaParser

from eventsys.render import fonts

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


@cache
def _cjk_variant(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")


@lru_cache(maxsize=512)
def _plain_frag(style: ParagraphStyle):
    """The text fragment reportlab's markup parser makes of a tagless text in `style`."""
    _, frags, _ = ParaParser().parse("x", style)
    return frags[0]


def para(markup: str, style: ParagraphStyle, **kw) -> Paragraph:
    """A Paragraph of (escaped) reportlab markup in which every character prints."""
    text = fonts.markup(markup)
    if fonts.has_cjk(text):
        style = _cjk_variant(style)
    if "<" not in text and "&" not in text and "\n" not in text:
        # Most paragraphs are plain text: skip the markup parser (a third of a booklet's build).
        text = " ".join(text.split())
        return Paragraph(text, style, frags=[_plain_frag(style).clone(text=text)], **kw)
    return Paragraph(text, style, **kw)


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
