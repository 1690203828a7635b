"""Paragraph markup read by render/pdf_markup.py gives exactly the fragments reportlab's own parser
gives (issue 15: a booklet's abstracts parsed in a fraction of the time)."""

from __future__ import annotations

import random

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from eventsys.render import fonts, pdf_markup
from eventsys.render.pdf_text import run_markup

PIECES = ["Comment aborder ", "la rénovation", " à Brest ? ", "x &amp; y", "&lt;b&gt;", "&eacute;t&eacute;",
          "&unknown;", " ", "例えば", "🚲", "a\nb", "  deux  espaces ", "ü"]  # fmt: skip
TAGS = [("<b>", "</b>"), ("<i>", "</i>"), ("<u>", "</u>"), ("<strong>", "</strong>"), ("<em>", "</em>"),
        ("<strike>", "</strike>"), ('<font color="#a4161a">', "</font>"), ('<font face="Symbola">', "</font>"),
        ('<a href="https://example.org/docs?a=1&amp;b=2" color="#0b4f8a">', "</a>"),
        ('<a href="https://example.org/x">', "</a>"), ("<super>", "</super>"), ("<sub>", "</sub>")]  # fmt: skip


def _styles() -> list[ParagraphStyle]:
    fonts.register_fonts()
    body = ParagraphStyle("body", fontName=fonts.SANS, fontSize=9.5, leading=13, textColor=colors.HexColor("#1b1f24"))
    return [body, ParagraphStyle("bold", parent=body, fontName=fonts.SANS_BOLD, fontSize=11, underlineWidth=0.5)]


def _markup(rng: random.Random, depth: int = 0) -> str:
    out = []
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        if choice < 0.45 or depth > 2:
            out.append(rng.choice(PIECES))
        elif choice < 0.55:
            out.append("<br/>")
        else:
            start, end = rng.choice(TAGS)
            out.append(start + _markup(rng, depth + 1) + end)
    return "".join(out)


def _reference(text: str, style: ParagraphStyle):
    parser = ParaParser()
    parser.caseSensitive = 1
    return parser.parse(text, style)[1]


def _same(ours, theirs) -> bool:
    def look(frags):
        return [sorted((name, repr(value)) for name, value in frag.__dict__.items()) for frag in frags]

    return look(ours) == look(theirs)


def test_same_fragments_as_reportlab_on_random_markup():
    rng = random.Random(15)
    read = 0
    for _ in range(3000):
        text = cleanBlockQuotedText(fonts.markup(_markup(rng)))
        for style in _styles():
            ours = pdf_markup.frags(text, style)
            if ours is not None:
                read += 1
                assert _same(ours, _reference(text, style)), text
    assert read > 5000  # nearly all of it is read by the quick path


def test_rich_text_runs_read_quickly_and_the_same():
    class Run:
        def __init__(self, text, bold=False, italic=False, href=""):
            self.text, self.bold, self.italic, self.href = text, bold, italic, href

    runs = [Run("Documents : "), Run("example.org/d?a=1&b=<2>", href="https://example.org/d?a=1&b=2"),
            Run(" <gras> ", bold=True), Run("penché\nligne", italic=True, bold=True)]  # fmt: skip
    text = cleanBlockQuotedText("".join(run_markup(run) for run in runs))
    for style in _styles():
        ours = pdf_markup.frags(text, style)
        assert ours is not None
        assert _same(ours, _reference(text, style))


def test_other_markup_is_left_to_reportlab():
    style = _styles()[0]
    for text in ['<a name="here"/>x', "<para>x</para>", "&#233;t&#xe9;", "a & b", "<b>x", "x</b>", "<b>x</i>",
                 "<img src='x.png'/>", "<B>x</B>", '<font size=9>x</font>', "<unknown>x</unknown>"]:  # fmt: skip
        assert pdf_markup.frags(text, style) is None, text
