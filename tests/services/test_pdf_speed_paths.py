"""The quicker paths the PDF renderers take lay text out exactly as reportlab's own code does:
same lines, same widths, same bytes in the page (issue 15, part 7: a 600-page booklet in 3 s)."""

from __future__ import annotations

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from eventsys.render import fonts
from eventsys.render.pdf_text import QuickParagraph, breaking, item_style, para

TEXTS = [
    "Les collectivités territoriales engagent une transition qui transforme leurs services publics locaux.",
    "Un temps d'échange avec la salle suit chaque présentation ; venez avec vos questions. " * 9,
    "court",
    "   espaces   en   trop\tet\ttabulations  ",
    "Infrastrukturfinanzierungsgesellschaftsvertrag Donaudampfschifffahrtsgesellschaftskapitän " * 3,
    "https://www.example.org/un/tres/long/chemin/qui/ne/tient/pas/sur/une/ligne/etroite/du/tout.html",
    "",
]
WIDTHS = [60.0, 140.0, 300.0, 480.0]


def _styles() -> list[ParagraphStyle]:
    fonts.register_fonts()
    body = ParagraphStyle("body", fontName=fonts.SANS, fontSize=9.5, leading=13)
    hanging = ParagraphStyle("hanging", parent=body, leftIndent=8, firstLineIndent=-8)
    narrow = breaking(ParagraphStyle("cell", fontName=fonts.CONDENSED, fontSize=8, leading=10))
    return [body, hanging, narrow, item_style(body)]


def _lines(paragraph: Paragraph, widths: list[float]):
    result = paragraph.breakLines(list(widths))
    lines = [(round(space, 6), list(words)) for space, words in getattr(result, "lines", [])]
    return result.kind, lines, round(getattr(paragraph, "_width_max", 0), 6)


@pytest.mark.parametrize("width", WIDTHS)
def test_plain_paragraphs_break_into_the_same_lines_as_reportlab(width):
    compared = 0
    for style in _styles():
        for text in TEXTS:
            bullet = "•" if style.name.endswith("-item") else None
            quick = para(text, style, bulletText=bullet)
            assert isinstance(quick, QuickParagraph)
            reference = Paragraph(quick.text, style, frags=[f.clone() for f in quick.frags], bulletText=bullet)
            widths = [width - style.leftIndent - style.firstLineIndent, width - style.leftIndent]
            assert _lines(quick, widths) == _lines(reference, widths), (style.name, text[:40])
            assert quick.wrap(width, 1000) == reference.wrap(width, 1000)
            compared += 1
    assert compared == len(TEXTS) * 4


def test_a_paragraph_split_across_pages_is_measured_again():
    style = _styles()[0]
    quick = para(TEXTS[1], style)
    _, height = quick.wrap(200, 1000)
    first, rest = quick.split(200, height / 2)
    assert first.wrap(200, 1000)[1] + rest.wrap(200, 1000)[1] == pytest.approx(height)
    assert quick.wrap(200, 1000)[1] == pytest.approx(height)  # the split dropped its lines: measured anew


def test_fonts_encode_text_as_reportlab_does():
    fonts.register_fonts()
    quick = pdfmetrics.getFont(fonts.SANS)
    plain = TTFont("PlainDejaVu", str(fonts.FONT_DIR / f"{fonts.SANS}.ttf"))
    doc_quick, doc_plain = object.__new__(type("Doc", (), {})), object.__new__(type("Doc", (), {}))
    texts = ["Élodie à Noël", "Élodie à Noël encore", "no\xa0break", "", "Ωμέγα ЖЖ", "€ œ ß", "Élodie"]
    texts += ["".join(chr(c) for c in range(0x100, 0x250))]  # past one subset of 256 codes
    for text in texts:
        assert quick.splitString(text, doc_quick) == plain.splitString(text, doc_plain), text
        assert quick.stringWidth(text, 9.5) == plain.stringWidth(text, 9.5)


def _document(make) -> bytes:
    """A few pages of paragraphs (plain, hanging, bulleted, with bold, italics and links; each
    text several times, some split across pages), as PDF bytes; `make(text, style, bullet)`."""
    import io

    from reportlab import rl_config
    from reportlab.platypus import SimpleDocTemplate

    body, hanging, _, item = _styles()
    texts = [
        (TEXTS[0], body, None), (TEXTS[1], body, None), (TEXTS[0], hanging, None), ("une étape", item, "•"),
        ("Comment aborder <b>le plan vélo intercommunal</b> ? <i>Retours de terrain.</i> " * 14, body, None),
        ('Documents : <a href="https://example.org/docs" color="#0b4f8a"><u>example.org/docs</u></a>', body, None),
    ]
    story = [make(text, style, bullet) for _ in range(40) for text, style, bullet in texts]
    buffer = io.BytesIO()
    invariant, rl_config.invariant = rl_config.invariant, 1
    try:
        SimpleDocTemplate(buffer, pagesize=(300, 400)).build(story)
    finally:
        rl_config.invariant = invariant
    return buffer.getvalue()


def test_paragraphs_are_drawn_byte_for_byte_as_reportlab_draws_them():
    from eventsys.render.pdf_text import same_text_once

    def reference(text, style, bullet):
        quick = para(text, style, bulletText=bullet)
        return Paragraph(quick.text, style, frags=[f.clone() for f in quick.frags], bulletText=bullet)

    expected = _document(reference)
    assert _document(lambda text, style, bullet: para(text, style, bulletText=bullet)) == expected
    with same_text_once():  # each text broken into lines and encoded once, split pages included
        assert _document(lambda text, style, bullet: para(text, style, bulletText=bullet)) == expected
