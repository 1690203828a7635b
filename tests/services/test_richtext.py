"""Descriptions and abstracts: imported HTML kept to a safe subset, organisers' Markdown or plain
paragraphs, plain text for iCal and CSV (eventsys/richtext.py)."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from eventsys import richtext

HOSTILE = [
    '<p>Bonjour</p><script>alert("x")</script>',
    "<p>Bonjour</p><style>p { display: none }</style>",
    '<p onclick="alert(1)">Bonjour</p>',
    '<p>Bonjour <a href="javascript:alert(1)">ici</a></p>',
    '<p>Bonjour <a href="JaVaScRiPt:alert(1)">ici</a></p>',
    '<p>Bonjour</p><img src="x" onerror="alert(1)">',
    '<p>Bonjour</p><iframe src="https://evil.example"></iframe>',
    '<p>Bonjour <a href="data:text/html;base64,PHNjcmlwdD4=">ici</a></p>',
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_html_is_stripped_and_flagged(value):
    html = str(richtext.to_html(value))
    assert "Bonjour" in html
    for bad in ("<script", "alert", "<style", "display", "onclick", "onerror", "javascript",
                "<img", "<iframe", "data:"):
        assert bad not in html.lower()
    assert richtext.has_unsafe_markup(value)
    assert "alert" not in richtext.to_plain(value)


def test_allowed_subset_is_kept():
    value = ('<p>Un <strong>atelier</strong> <em>pratique</em>, <b>gras</b> <i>italique</i><br>ligne</p>'
             '<ul><li>un</li><li>deux</li></ul><ol><li>premier</li></ol>'
             '<p><a href="https://example.org/a?b=1&amp;c=2">lien</a> <a href="mailto:x@example.org">courriel</a></p>')
    html = str(richtext.to_html(value))
    for kept in ("<strong>atelier</strong>", "<em>pratique</em>", "<b>gras</b>", "<i>italique</i>", "<br>",
                 "<ul><li>un</li><li>deux</li></ul>", "<ol><li>premier</li></ol>",
                 'href="https://example.org/a?b=1&amp;c=2"', 'href="mailto:x@example.org"'):
        assert kept in html
    assert not richtext.has_unsafe_markup(value)


def test_other_tags_lose_their_markup_not_their_text():
    html = str(richtext.to_html('<div class="x"><h2>Titre</h2><span style="color:red">texte</span></div>'))
    assert "<div" not in html
    assert "<h2" not in html
    assert "style" not in html
    assert "Titre" in html
    assert "texte" in html


def test_relative_links_are_dropped():
    html = str(richtext.to_html('<p><a href="/admin">ici</a></p>'))
    assert "href" not in html
    assert "ici" in html


def test_to_html_is_markup_and_sanitize_is_idempotent():
    value = '<p>Un <a href="https://example.org" onclick="x">lien</a></p><script>x</script>'
    once = richtext.sanitize(value)
    assert richtext.sanitize(once) == once
    assert isinstance(richtext.to_html(value), Markup)


def test_markdown_and_plain_paragraphs():
    value = "Premier paragraphe\nsur deux lignes\n\nUn *mot* et **un autre** [lien](https://example.org)\n\n- un\n- deux\n\n• trois\n• quatre"
    html = str(richtext.to_html(value))
    assert "<p>Premier paragraphe<br>\nsur deux lignes</p>" in html
    assert "<em>mot</em>" in html
    assert "<strong>un autre</strong>" in html
    assert '<a href="https://example.org"' in html
    assert html.count("<li>") == 4


def test_plain_text_is_escaped_not_interpreted():
    value = "Coût < 10 € & accès > 5 min <pas une balise>"
    html = str(richtext.to_html(value))
    assert "&lt; 10 € &amp; accès &gt; 5 min" in html
    assert richtext.to_plain(value) == value


def test_markdown_links_to_scripts_are_not_links():
    html = str(richtext.to_html("[clic](javascript:alert(1))"))
    assert "<a" not in html


def test_to_plain_for_calendars_and_spreadsheets():
    value = ('<p>Un <strong>atelier</strong><br>pratique</p><ul><li>un</li><li>deux</li></ul>'
             '<ol><li>premier</li><li>second</li></ol><p><a href="https://example.org">programme</a> '
             '<a href="https://example.org/x">https://example.org/x</a></p>')
    assert richtext.to_plain(value) == (
        "Un atelier\npratique\n\n- un\n- deux\n\n1. premier\n2. second\n\n"
        "programme (https://example.org) https://example.org/x"
    )


def test_blocks_give_styled_runs_for_renderers():
    found = richtext.blocks('<p>Un <strong>atelier</strong> <a href="https://example.org">lien</a></p><ol><li>a</li><li>b</li></ol>')
    assert [b.kind for b in found] == ["p", "ol", "ol"]
    assert [(r.text, r.bold, r.href) for r in found[0].runs] == [
        ("Un ", False, ""), ("atelier", True, ""), (" ", False, ""), ("lien", False, "https://example.org")]
    assert [b.number for b in found[1:]] == [1, 2]


def test_normalise_input_keeps_text_and_cleans_html():
    assert richtext.normalise_input("  ligne 1\r\nligne 2  ") == "ligne 1\nligne 2"
    assert richtext.normalise_input("<p>a</p><script>b</script>") == "<p>a</p>"
    assert richtext.normalise_input(None) == ""
    assert richtext.to_html("") == ""
    assert richtext.to_plain(None) == ""
