""""Label : value" is French punctuation: the PDF programme and the iCal description write it so in
French only; English (and German, Spanish, Italian) write "Label: value"."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from eventsys.i18n import label_colon, label_value
from eventsys.render.export_data import ExportLabels
from eventsys.render.ical import build_calendar
from eventsys.render.programme_pdf import render_programme_pdf
from tests.exports.helpers import pdf_text, small_event

STAMP = datetime(2026, 2, 1, tzinfo=UTC)
ENGLISH = ExportLabels(track="Theme", speakers="Speakers", cancelled="Cancelled",
                       more_info="Information and registration", lang="en")  # fmt: skip
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "Thème\u202f: Eau"), ("fr_FR", "Thème\u202f: Eau"), ("en", "Thème: Eau"), ("de", "Thème: Eau"),
     ("es", "Thème: Eau"), ("it", "Thème: Eau")],
)  # fmt: skip
def test_only_french_sets_a_space_before_the_colon(lang, expected):
    assert label_value("Thème", "Eau", lang) == expected
    assert label_colon("Thème", lang) == expected.removesuffix(" Eau")


def _descriptions(labels: ExportLabels | None) -> dict[str, str]:
    event = small_event()
    body = build_calendar(event, event.sessions, name="Programme", labels=labels, generated_at=STAMP)
    calendar = Calendar.from_ical(body)
    return {str(item["SUMMARY"]): str(item["DESCRIPTION"]) for item in calendar.walk("VEVENT")}


def test_ical_description_in_english_has_no_space_before_colons():
    descriptions = _descriptions(ENGLISH)
    text = "\n".join(descriptions.values())
    assert "· Theme: Eau & assainissement" in text
    assert "\nSpeakers:\n" in text
    assert " :" not in text
    assert "\u202f:" not in text
    assert any(summary.startswith("CANCELLED: ") for summary in descriptions)


def test_ical_description_in_french_keeps_its_narrow_no_break_space():
    descriptions = _descriptions(None)  # the default labels are French
    text = "\n".join(descriptions.values())
    assert "· Thème\u202f: Eau & assainissement" in text
    assert "\nIntervenants\u202f:\n" in text
    assert any(summary.startswith("ANNULÉE\u202f: ") for summary in descriptions)


@needs_poppler
def test_pdf_programme_in_english_writes_label_colon_value(tmp_path):
    text = pdf_text(render_programme_pdf(small_event(), labels=ENGLISH, locale="en", generated_at=STAMP), tmp_path)
    assert "Theme: Eau & assainissement" in text
    assert "Information and registration: https://events.example.org/e/Z26IN001" in text
    assert "Theme :" not in text
    assert "registration :" not in text


@needs_poppler
def test_pdf_programme_in_french_keeps_the_space_before_the_colon(tmp_path):
    text = pdf_text(render_programme_pdf(small_event(), generated_at=STAMP), tmp_path).replace("\u00a0", " ")
    assert "Thème : Eau & assainissement" in text
    assert "Informations et inscription : https://events.example.org/e/Z26IN001" in text


def test_export_labels_know_their_language(app):
    from flask_babel import force_locale

    from eventsys.services.exports import export_labels

    with app.test_request_context("/"):
        for lang, expected in (("en", "en"), ("de", "de"), ("fr", "fr"), ("pt", "fr")):  # no catalogue: French words
            with force_locale(lang):
                labels = export_labels()
            assert labels.lang == expected, lang
            assert ("\u202f:" in label_colon(labels.track, labels.lang)) == (expected == "fr")
