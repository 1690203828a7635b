"""French habits must not leak into the other languages: no space before : ; ! ? in the en, de,
es and it catalogues nor in the pages they build, no French words in the names of files a
non-French user downloads, and the name fields say which name they ask for."""

from __future__ import annotations

import html
import io
import re

import pytest
from babel.messages.pofile import read_po

from tests.conftest import login
from tests.registration.helpers import person, registration_input
from tests.test_i18n import TRANSLATED, _po

# A letter, a digit, a closing bracket or quote, then a space (ordinary, no-break or narrow
# no-break) before the punctuation: French spacing. ". _ : -" (a list of characters) is not.
FRENCH_SPACING = re.compile(r"(?:[^\W_]|[)»\"'])[ \u00a0\u202f]+[:;!?]")
# Words of French file names that have no place in another language's download.
FRENCH_FILE_WORDS = {"donnees", "personnelles", "inscriptions", "salle", "intervenant", "emargement",
                     "attestations", "parcours", "animateurs"}  # fmt: skip


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogues_use_their_own_typography(lang):
    with open(_po(lang), "rb") as handle:
        catalogue = read_po(handle, locale=lang)
    slips = [
        (message.id, text)
        for message in catalogue
        if message.id
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
        if text and FRENCH_SPACING.search(text)
    ]
    assert slips == [], f"French spacing before punctuation in {lang}: {slips[:5]}"


def test_the_rule_catches_french_spacing():
    assert FRENCH_SPACING.search("Name : required")
    assert FRENCH_SPACING.search("Really\u202f?")
    assert FRENCH_SPACING.search("(moderator) ; John")
    assert not FRENCH_SPACING.search("1 to 64 letters, digits or . _ : -")
    assert not FRENCH_SPACING.search("Name: required; really?")


def _visible_text(response) -> str:
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_form_with_errors_speaks_the_language_typography(client, open_event, lang):
    event = open_event()
    response = client.post(f"/e/{event.code}/register?lang={lang}",
                           data=person(1, last_name="", email="not-an-address", language=lang))  # fmt: skip
    assert response.status_code in (200, 422)
    text = _visible_text(response)
    summary = text.split("\n", 1)[1]
    slips = [m.group(0) for m in FRENCH_SPACING.finditer(summary)]
    assert slips == [], f"French spacing in the {lang} form: {slips}"


def test_the_name_fields_say_which_name(client, open_event):
    event = open_event()
    english = _visible_text(client.post(f"/e/{event.code}/register?lang=en", data=person(1, last_name="")))
    assert "Last name" in english
    assert "Enter your last name." in english
    assert "surname" not in english
    german = _visible_text(client.get(f"/e/{event.code}/register?lang=de"))
    assert "Nachname" in german  # the family name field
    # Where "Nom" is a whole name (a speaker, a person in a list), German says "Name".
    from flask_babel import force_locale, gettext, pgettext

    with client.application.test_request_context("/"), force_locale("de"):
        assert gettext("Nom") == "Name"
        assert pgettext("nom de famille", "Nom") == "Nachname"


def _file_name(response) -> str:
    match = re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"])
    assert match, response.headers["Content-Disposition"]
    return match.group(1)


def _french_words(name: str) -> set[str]:
    return set(re.split(r"[-_.]", name)) & FRENCH_FILE_WORDS


def test_downloads_are_named_in_the_reader_language(client, open_event, make_room, request_ctx):
    from eventsys.extensions import db
    from eventsys.services import registration as reg

    event = open_event()
    room = make_room(event, "Salle Europe")
    outcome = reg.register_attendee(event, registration_input(1, language="en"))
    db.session.commit()
    token = reg.link_token(outcome.registration)

    data = client.get(f"/r/{token}/data.json?lang=en")
    assert data.status_code == 200
    assert _file_name(data) == f"personal-data-{event.code.lower()}.json"
    calendar = client.get(f"/e/{event.code}/rooms/{room.id}.ics?lang=en")
    assert calendar.status_code == 200
    assert _french_words(_file_name(calendar)) == set()
    login(client, event.owner)
    for lang in TRANSLATED:
        csv_file = client.get(f"/manage/events/{event.id}/registrations/export.csv?lang={lang}")
        assert csv_file.status_code == 200
        assert _french_words(_file_name(csv_file)) == set(), (lang, _file_name(csv_file))
        personal = client.get(
            f"/manage/events/{event.id}/registrations/{outcome.registration.id}/personal-data?lang={lang}"
        )
        assert personal.status_code == 200
        assert _french_words(_file_name(personal)) == set(), (lang, _file_name(personal))
    french = client.get(f"/manage/events/{event.id}/registrations/export.csv?lang=fr")
    assert _file_name(french) == f"inscriptions-{event.code.lower()}.csv"


def test_the_import_report_speaks_the_language_typography(client, open_event, request_ctx):
    event = open_event()
    login(client, event.owner)
    content = "Nom;Prénom;E-mail;Organisation\r\nDurand;Élise;pas-une-adresse;Agglo\r\n".encode()
    response = client.post(
        f"/manage/events/{event.id}/registrations/import?lang=en",
        data={"file": (io.BytesIO(content), "people.csv"), "informed": "y"},
        content_type="multipart/form-data",
    )
    text = _visible_text(response)
    assert "E-mail:" in text or "Email:" in text
    assert [m.group(0) for m in FRENCH_SPACING.finditer(text.split("\n", 1)[1])] == []
