"""The organiser's own paragraph in registration e-mails (access, what to bring), written in the
event's languages side by side; each person reads it in their language, or in the main one."""

from __future__ import annotations

import re

import pytest

from eventsys.extensions import db
from eventsys.services import registration as reg
from tests.conftest import login
from tests.i18n.test_documents import make_conference  # noqa: F401 - fixture
from tests.registration.helpers import FUTURE, outbox, person

FRENCH = "Accueil à partir de 8 h 30, salle Loire.\nApportez une pièce d'identité.\n\n<b>Tram</b> ligne 2."
GERMAN = "Empfang ab 8:30 Uhr im Saal Loire.\nBitte einen Ausweis mitbringen."


@pytest.fixture
def conference(make_conference):  # noqa: F811 - the fixture, imported above
    """Offered in French (main), English and German; registration open."""
    return make_conference(FUTURE)


@pytest.fixture
def organiser(client, conference):
    assert login(client, conference.owner).status_code == 302
    return client


def _settings_form(client, event_id):
    return client.get(f"/manage/events/{event_id}/registrations/settings")


def _save(client, event_id, **fields):
    data = {"enabled": "y", "waitlist_enabled": "y", "retention_months": "12", **fields}
    return client.post(f"/manage/events/{event_id}/registrations/settings", data=data)


def test_the_organiser_writes_the_message_in_each_language(organiser, conference):
    page = _settings_form(organiser, conference.id).get_data(as_text=True)
    # the main language's field says its language; the others sit beside it, marked for readers
    assert re.search(r"Message ajouté aux e-mails d(&#39;|')inscription \(Français\)", page)
    assert re.search(
        r'<textarea[^>]*lang="de"[^>]*name="email_message__de"|<textarea[^>]*name="email_message__de"[^>]*lang="de"',
        page,
    )
    assert 'name="email_message__en"' in page

    response = _save(organiser, conference.id, email_message=FRENCH, email_message__de=GERMAN)
    assert response.status_code == 302
    page = _settings_form(organiser, conference.id).get_data(as_text=True)
    assert "Empfang ab 8:30 Uhr" in page
    assert "Apportez une pièce d&#39;identité." in page
    settings = reg.load_settings(conference)
    assert settings.email_message == FRENCH
    assert settings.localized("email_message", "de") == GERMAN
    assert settings.localized("email_message", "en") == FRENCH  # not written: the main one


def test_each_person_reads_it_in_their_language_or_the_main_one(app, client, organiser, conference):
    assert (
        _save(organiser, conference.id, email_message=FRENCH, email_message__de=GERMAN).status_code
        == 302
    )
    conference_code = conference.code
    for n, language in ((1, "de"), (2, "en")):
        data = person(n, language=language)
        assert client.post(f"/e/{conference_code}/register", data=data).status_code == 302

    [german] = outbox(to=person(1)["email"])
    assert "Empfang ab 8:30 Uhr im Saal Loire.\nBitte einen Ausweis mitbringen." in german.body_text
    assert "Accueil" not in german.body_text
    assert (
        '<p lang="de">Empfang ab 8:30 Uhr im Saal Loire.<br>Bitte einen Ausweis mitbringen.</p>'
        in german.body_html
    )

    [english] = outbox(to=person(2)["email"])
    assert "Dear" in english.body_text or "Hello" in english.body_text
    assert FRENCH in english.body_text  # the text part shows it as written
    # the HTML part keeps paragraphs and line breaks, says the paragraph is French, and escapes
    # what the organiser typed: a tag stays text
    assert (
        '<p lang="fr">Accueil à partir de 8 h 30, salle Loire.<br>Apportez une pièce d&#39;identité.</p>'
        in english.body_html
    )
    assert '<p lang="fr">&lt;b&gt;Tram&lt;/b&gt; ligne 2.</p>' in english.body_html


def test_without_a_message_the_mail_is_unchanged(app, client, make_conference):  # noqa: F811
    event = make_conference(FUTURE)
    assert client.post(f"/e/{event.code}/register", data=person(3)).status_code == 302
    [message] = outbox(to=person(3)["email"])
    assert "<p lang=" not in message.body_html
    assert "\n\n\n" not in message.body_text


def test_a_message_too_long_is_refused_and_nothing_is_saved(organiser, conference):
    response = _save(organiser, conference.id, email_message="x" * 4001, email_message__de=GERMAN)
    assert response.status_code == 422
    assert "4000 caractères au maximum." in response.get_data(as_text=True)
    db.session.expire_all()
    settings = reg.load_settings(conference)
    assert settings.email_message == ""
    assert settings.translation("de", "email_message") is None


def test_blank_lines_and_control_characters_are_tidied(organiser, conference):
    typed = "  Bienvenue\u0007 !\r\n\r\n\r\n\r\nÀ bientôt  "
    assert _save(organiser, conference.id, email_message=typed).status_code == 302
    assert reg.load_settings(conference).email_message == "Bienvenue !\n\nÀ bientôt"


def test_changing_the_main_language_keeps_each_text_with_its_language(organiser, conference):
    from eventsys.services import programme

    assert (
        _save(organiser, conference.id, email_message=FRENCH, email_message__de=GERMAN).status_code
        == 302
    )
    programme._switch_main_language(conference, "de")
    db.session.commit()
    settings = reg.load_settings(conference)
    assert settings.email_message == GERMAN
    assert settings.localized("email_message", "fr") == FRENCH
