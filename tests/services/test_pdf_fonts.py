"""PDFs print every character: fallback fonts, a visible mark for the rest; words break only where
they may (issue 15, part 6). Rich-text descriptions print formatted, not as tags."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import UTC, datetime

import pytest
from reportlab.lib.styles import ParagraphStyle

from eventsys.render import fonts
from eventsys.render.pdf_text import breaking, para
from eventsys.render.programme_pdf import render_programme_pdf
from tests.exports.helpers import pdf_text, small_event

STAMP = datetime(2026, 2, 1, tzinfo=UTC)
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
FALLBACKS_INSTALLED = all((fonts.SYSTEM_FONTS / path).is_file() for _, path in fonts.FALLBACKS[:3])
needs_fallbacks = pytest.mark.skipif(
    not FALLBACKS_INSTALLED,
    reason="fallback fonts missing: `python3 dev.py setup` installs fonts-noto-core, fonts-droid-fallback, fonts-symbola",
)
UNASSIGNED = "\U0001fae8"  # not in Unicode 13 fonts: no installed font has it


def _with_titles(*titles: str, description: str = ""):
    event = small_event()
    sessions = list(event.sessions)
    for index, title in enumerate(titles):
        sessions[index] = dataclasses.replace(sessions[index], title=title,
                                              description=description or sessions[index].description)
    return dataclasses.replace(event, sessions=tuple(sessions))


@needs_poppler
@needs_fallbacks
def test_programme_prints_japanese_and_emoji_with_fallback_fonts(tmp_path):
    event = _with_titles("日本の地方自治体との交流", "Mobilités douces 🚲🌱")
    pdf = render_programme_pdf(event, generated_at=STAMP)
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "日本の地方自治体との交流" in text
    assert "Mobilités douces 🚲🌱" in text
    assert fonts.REPLACEMENT not in text
    assert b"DroidSansFallback" in pdf
    assert b"Symbola" in pdf


@needs_poppler
def test_a_character_no_font_has_prints_as_a_visible_mark(tmp_path):
    event = _with_titles(f"Atelier {UNASSIGNED} créatif")
    assert fonts.unprintable(event.sessions[0].title) == {UNASSIGNED}
    text = pdf_text(render_programme_pdf(event, generated_at=STAMP), tmp_path)
    assert f"Atelier {fonts.REPLACEMENT} créatif" in " ".join(text.split())


def test_text_dejavu_prints_needs_no_fallback():
    assert fonts.markup("Œuvre d'Ŷ — « Łódź » ☕ &amp; <b>Ωμέγα</b>") == "Œuvre d'Ŷ — « Łódź » ☕ &amp; <b>Ωμέγα</b>"
    assert fonts.unprintable("Łukasz Ćwik, Ελληνικά, Кириллица\n") == set()
    assert fonts.runs("Anna Martin", fonts.SANS_BOLD) == [("Anna Martin", fonts.SANS_BOLD)]


@needs_fallbacks
def test_fallback_runs_keep_tags_and_entities_intact():
    text = fonts.markup('<a href="https://example.org/é">voir 🚲</a> &lt;b&gt; 佐藤')
    assert text == ('<a href="https://example.org/é">voir <font face="Symbola">🚲</font></a> &lt;b&gt; '
                    '<font face="DroidSansFallback">佐藤</font>')
    assert fonts.runs("Anna 佐藤", fonts.SANS) == [("Anna ", fonts.SANS), ("佐藤", "DroidSansFallback")]


def _lines(markup: str, width: float, locale: str = "fr") -> list[str]:
    fonts.register_fonts()
    style = breaking(ParagraphStyle("cell", fontName=fonts.CONDENSED_BOLD, fontSize=8.6, leading=10.4), locale)
    paragraph = para(markup, style)
    paragraph.wrap(width, 1000)
    return [" ".join(word for word in line.words) if hasattr(line, "words") else " ".join(line[1])
            for line in paragraph.blPara.lines]


def test_long_words_break_at_hyphenation_points_never_mid_syllable():
    word = "Donaudampfschifffahrtsgesellschaftskapitän"
    lines = _lines(f"Exposé : {word}", 110, "de")
    assert len(lines) > 1
    # Each line that does not end the text ends with a hyphen: the word was hyphenated, not cut.
    for line in lines[:-1]:
        assert line.endswith("-") or line.endswith(":") or line == "Exposé", lines
    assert "".join(line.removesuffix("-") for line in lines).replace(" ", "") == f"Exposé:{word}"
    pieces = [line.removesuffix("-").split()[-1] for line in lines[:-1] if line.endswith("-")]
    assert all(len(piece) >= 2 for piece in pieces)


def test_words_with_a_hyphen_break_at_it_or_at_syllables():
    lines = _lines("intercommunalité-départementalisation", 70)
    assert len(lines) > 1
    assert all(line.endswith("-") for line in lines[:-1]), lines


def test_japanese_breaks_between_characters_not_past_the_cell():
    fonts.register_fonts()
    style = breaking(ParagraphStyle("cell", fontName=fonts.CONDENSED_BOLD, fontSize=8.6, leading=10.4))
    paragraph = para("日本の地方自治体との交流と協力の新しい形", style)
    width, height = paragraph.wrap(60, 1000)
    assert height > 10.4  # several lines, none wider than the cell
    assert max(line[0] if isinstance(line, tuple) else line.currentWidth for line in paragraph.blPara.lines) <= 60


@needs_poppler
def test_html_description_prints_formatted_not_as_tags(tmp_path):
    html = ("<p>Premier <strong>paragraphe</strong> avec un <a href=\"https://example.org\">lien</a>.</p>"
            "<ul><li>diagnostic</li><li>programmation</li></ul><p>Fin<br>ligne deux</p>"
            "<script>alert(1)</script>")
    event = _with_titles("Exposé riche", description=html)
    text = pdf_text(render_programme_pdf(event, generated_at=STAMP), tmp_path)
    assert "<p>" not in text
    assert "<strong>" not in text
    assert "alert" not in text
    flat = " ".join(text.split())
    assert "Premier paragraphe avec un lien." in flat
    assert re.search(r"•\s*diagnostic\s*•\s*programmation", text)
    assert "Fin\nligne deux" in text


@needs_poppler
@needs_fallbacks
def test_badges_print_japanese_names_and_emoji(tmp_path):
    from eventsys.render.badges import BadgeData, render_badges

    badge = BadgeData(event_name="Échanges 🤝 franco-japonais", event_subtitle="15 mars 2027", first_name="花子",
                      last_name="佐藤", organisation="横浜市役所 🏛", role="participant", lang="fr",
                      languages=["fr", "ja"], qr_payload="x" * 40)  # fmt: skip
    text = " ".join(pdf_text(render_badges([badge], "a6"), tmp_path).split())
    for expected in ("花子", "佐藤", "横浜市役所", "🏛", "🤝"):
        assert expected in text
    assert fonts.REPLACEMENT not in text


@needs_poppler
@needs_fallbacks
def test_signin_sheets_and_certificates_print_every_name(tmp_path):
    from datetime import date, time

    from eventsys.render.attendance_pdf import (
        CertificateData,
        SignInAttendee,
        SignInSheetData,
        render_certificates,
        render_signin_sheet,
    )

    people = [SignInAttendee("花子", "佐藤", "横浜市役所"), SignInAttendee("Amira", "حداد", "Ville de Lyon")]
    sheet = SignInSheetData(event_title="Journée 🌱", session_title="Matin", day=date(2027, 3, 15), start=time(9),
                            end=time(12), place="Lyon", session_code="Z27IN 001", organiser="CNFPT",
                            trainers=["Kenji 山田"], attendees=people)  # fmt: skip
    text = " ".join(pdf_text(render_signin_sheet(sheet), tmp_path).split())
    for expected in ("花子", "佐藤", "横浜市役所", "山田", "🌱"):
        assert expected in text
    assert fonts.REPLACEMENT not in text
    certificate = CertificateData(first_name="花子", last_name="佐藤", event_title="Journée 🌱",
                                  start=date(2027, 3, 15), hours=3, organisation="横浜市役所")  # fmt: skip
    text = " ".join(pdf_text(render_certificates([certificate]), tmp_path).split())
    for expected in ("花子 佐藤", "横浜市役所", "🌱"):
        assert expected in text
