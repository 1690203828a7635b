"""Every document in the reader's language: badges, certificates, sign-in sheets, the programme
booklet (one language or bilingual) and the calendar feeds; an event may restrict its languages."""

from __future__ import annotations

import re
import subprocess
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from eventsys.extensions import db
from eventsys.security import issue_api_token
from eventsys.services import checkin as svc
from eventsys.services import programme
from eventsys.services import registration as reg
from tests.api.conftest import ApiClient
from tests.conftest import login
from tests.registration.helpers import FUTURE

DAY = date(2026, 6, 25)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF"), data[:200]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    return " ".join(text.split())


@pytest.fixture
def make_conference(make_user, make_event, make_room, make_session):
    """make_conference(day) → a published event offered in French (main), English and German."""
    return lambda day=DAY: _conference(day, make_user, make_event, make_room, make_session)


@pytest.fixture
def conference(make_conference):
    return make_conference()


def _conference(day, make_user, make_event, make_room, make_session):
    owner = make_user(name="Organisatrice")
    event = make_event(
        owner=owner,
        code="RNIT 26",
        title="Rencontres de l'ingénierie",
        languages="fr,en,de",
        start_date=day,
        end_date=day,
        venue_name="Lyon",
        translations={
            "en": {"title": "Engineering Meetings"},
            "de": {"title": "Tagung der Ingenieure"},
        },
    )
    room = make_room(
        event,
        "Salle Loire",
        translations={"en": {"name": "Loire Room"}, "de": {"name": "Saal Loire"}},
    )
    make_session(
        event,
        "Adapter les territoires",
        "09:30",
        "12:30",
        type="plenary",
        room=room,
        translations={
            "en": {"title": "Adapting territories"},
            "de": {"title": "Regionen anpassen"},
        },
    )
    make_session(event, "Atelier sans traduction", "14:00", "16:00", type="workshop", room=room)
    programme.publish_event(event)
    db.session.commit()
    event.owner = owner
    return event


def _register(event, first: str, language: str):
    outcome = reg.register_attendee(
        event,
        reg.RegistrationInput(
            first_name=first,
            last_name="Muster",
            email=f"{first.lower()}@example.org",
            organisation="Stadt Beispiel",
            language=language,
            consent=True,
        ),
        source="organiser",
        by_organiser=True,
        notify=False,
    )
    db.session.commit()
    return outcome


@pytest.fixture
def organiser(client, conference):
    assert login(client, conference.owner).status_code == 302
    return client


# ------------------------------------------------------------------ badges and certificates


def test_a_german_registrant_gets_a_german_certificate(organiser, conference):
    german = _register(conference, "Greta", "de").registration
    french = _register(conference, "Anaïs", "fr").registration
    moment = datetime(2026, 6, 25, 8, 0, tzinfo=UTC)
    for person in (german, french):
        answer = svc.check_in(
            conference, None, f"n-{person.id}", registration_id=person.id, now=moment
        )
        assert answer["result"] == "ok"
    plenary = next(s for s in conference.sessions if s.title == "Adapter les territoires")
    answer = svc.check_in(  # Greta is also scanned at the plenary's door
        conference, None, "room-door", session_id=plenary.id, registration_id=german.id, now=moment
    )
    assert answer["result"] == "ok"
    db.session.commit()
    base = f"/manage/events/{conference.id}/certificates.pdf"
    text = pdf_text(organiser.get(f"{base}?registration={german.id}").data)
    assert "Teilnahmebestätigung" in text
    assert "Tagung der Ingenieure" in text
    assert "25. Juni 2026" in text
    assert "Rencontres de l'ingénierie" not in text
    # the session she was checked in at, in German, with its German title
    assert "Besuchte Programmpunkte: Donnerstag, 25. Juni 2026, 09:30–12:30 · Regionen anpassen" in text
    text = pdf_text(organiser.get(f"{base}?registration={french.id}").data)
    assert "Attestation de présence" in text
    assert "Rencontres de l'ingénierie" in text
    assert "25 juin 2026" in text
    assert "Sessions suivies" not in text  # only at the main door: no session list


def test_a_german_badge_speaks_german_with_the_main_language_as_fallback(organiser, conference):
    german = _register(conference, "Greta", "de").registration
    response = organiser.get(
        f"/manage/events/{conference.id}/badges/{german.id}.pdf?layout=a6-folded"
    )
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Tagung der Ingenieure" in text
    assert "Regionen anpassen" in text  # the folded back's programme
    assert "Saal Loire" in text
    assert "Juni 2026" in text
    assert "Rencontres de l'ingénierie" not in text
    # The untranslated workshop needs no registration: printed, in the main language.
    assert "Atelier sans traduction" in text


def test_the_attendees_own_badge_link_is_in_their_language(client, make_conference):
    conference = make_conference(FUTURE)  # a private link of a past event has expired
    outcome = _register(conference, "John", "en")
    text = pdf_text(client.get(f"/r/{outcome.token}/badge.pdf").data)
    assert "Engineering Meetings" in text
    assert "Tagung der Ingenieure" not in text


def test_signin_sheets_in_the_main_or_a_chosen_language(organiser, conference):
    base = f"/manage/events/{conference.id}/signin-sheets.pdf?per=session"
    _register(conference, "Greta", "de")
    main = pdf_text(organiser.get(base).data)
    assert "Adapter les territoires" in main
    assert "Feuille d'émargement" in main or "émargement" in main.lower()
    german = pdf_text(organiser.get(f"{base}&language=de").data)
    assert "Regionen anpassen" in german
    assert "Tagung der Ingenieure" in german
    assert "Juni 2026" in german
    # A language the event does not offer: the main language, not an error.
    other = pdf_text(organiser.get(f"{base}&language=it").data)
    assert "Adapter les territoires" in other
    page = organiser.get(f"/manage/events/{conference.id}/attendance").get_data(as_text=True)
    form = page.split('class="sheet-language-form"', 1)[1].split("</form>", 1)[0]
    assert re.findall(r'<option value="(\w+)" lang=', form) == ["fr", "en", "de"]
    assert 'for="sheet-language"' in form


# ------------------------------------------------------------------ the programme booklet


def test_programme_pdf_in_the_asked_language(client, conference):
    english = pdf_text(client.get(f"/e/{conference.code}/programme.pdf?lang=en").data)
    assert "Detailed programme" in english
    assert "Engineering Meetings" in english
    assert "Adapting territories" in english
    assert "Loire Room" in english
    assert "Thursday 25 June 2026" in english
    assert "Adapter les territoires" not in english
    german = pdf_text(client.get(f"/e/{conference.code}/programme.pdf?lang=de").data)
    assert "Regionen anpassen" in german
    assert "Juni 2026" in german
    # The download chose the document's language, not the site's: the next page is French again.
    page = client.get(f"/e/{conference.code}")
    assert re.search(r'<html lang="fr"', page.get_data(as_text=True))


def test_programme_pdf_defaults_to_the_current_language(client, conference):
    response = client.get(
        f"/e/{conference.code}/programme.pdf", headers={"Accept-Language": "en-GB,en;q=0.8"}
    )
    assert "Adapting territories" in pdf_text(response.data)
    assert "Accept-Language" in response.headers["Vary"]


def test_bilingual_programme_shows_both_titles(client, conference):
    response = client.get(f"/e/{conference.code}/programme.pdf?lang=fr&bilingual=en")
    assert response.status_code == 200
    assert "programme-RNIT26-fr-en.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "Programme détaillé" in text  # labels in the first language
    for french, english in (
        ("Rencontres de l'ingénierie", "Engineering Meetings"),
        ("Adapter les territoires", "Adapting territories"),
    ):
        assert french in text
        assert english in text
        assert text.index(french) < text.index(english)  # the translation comes beneath
    # The untranslated workshop is printed once, not twice.
    assert text.count("Atelier sans traduction") == text.count("Adapter les territoires")
    # A second language the event does not offer is ignored.
    plain = pdf_text(client.get(f"/e/{conference.code}/programme.pdf?lang=fr&bilingual=it").data)
    assert "Adapting territories" not in plain


def test_programme_page_offers_a_pdf_per_language(client, conference):
    for path in (f"/e/{conference.code}/programme", f"/e/{conference.code}"):
        page = client.get(path).get_data(as_text=True)
        block = page.split('class="pdf-languages', 1)[1].split("</div>", 1)[0]
        assert re.findall(r'programme\.pdf\?lang=(\w+)"', block) == ["fr", "en", "de"]
        assert "bilingual=en" in block
        assert "bilingual=de" in block
        assert '<span lang="de">Deutsch</span>' in block


# ------------------------------------------------------------------ calendar feeds


def test_calendar_feeds_follow_lang(client, conference):
    english = client.get(f"/e/{conference.code}/programme.ics?lang=en").get_data(as_text=True)
    assert "SUMMARY:Adapting territories" in english
    assert "Engineering Meetings" in english  # the calendar's name
    french = client.get(f"/e/{conference.code}/programme.ics").get_data(as_text=True)
    assert "SUMMARY:Adapter les territoires" in french
    room = conference.rooms[0]
    feed = client.get(f"/e/{conference.code}/rooms/{room.id}.ics?lang=de").get_data(as_text=True)
    assert "SUMMARY:Regionen anpassen" in feed
    assert "Saal Loire" in feed
    # The subscription link of the English page keeps the English titles.
    page = client.get(f"/e/{conference.code}?lang=en").get_data(as_text=True)
    assert re.search(r'href="webcal://[^"]*programme\.ics\?lang=en"', page)


# ------------------------------------------------------------------ an event restricting its languages


def _switch(page: str) -> list[str]:
    switch = page.split('class="lang-switch"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'hreflang="(\w+)"', switch)


def test_a_restricted_event_offers_only_its_languages(client, make_conference):
    conference = make_conference(FUTURE)
    conference.languages = "fr,en"
    conference.restrict_languages = True
    db.session.commit()
    page = client.get(f"/e/{conference.code}?lang=de")
    html = page.get_data(as_text=True)
    assert re.search(r'<html lang="fr"', html)
    assert _switch(html) == ["fr", "en"]
    pdf = pdf_text(client.get(f"/e/{conference.code}/programme.pdf?lang=de").data)
    assert "Regionen anpassen" not in pdf
    assert "Programme détaillé" in pdf
    assert "Adapting territories" in pdf_text(
        client.get(f"/e/{conference.code}/programme.pdf?lang=en").data
    )
    # The attendee's private page too, even for a German registration.
    outcome = _register(conference, "Greta", "en")
    outcome.registration.language = "de"
    db.session.commit()
    private = client.get(f"/r/{outcome.token}").get_data(as_text=True)
    assert _switch(private) == ["fr", "en"]
    # Without the restriction, German is offered on the same event.
    conference.restrict_languages = False
    db.session.commit()
    html = client.get(f"/e/{conference.code}?lang=de").get_data(as_text=True)
    assert re.search(r'<html lang="de"', html)
    assert _switch(html) == ["fr", "en", "de", "es", "it"]


def test_the_organiser_sets_the_restriction_in_the_event_form(organiser, conference):
    page = organiser.get(f"/manage/events/{conference.id}/edit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="restrict_languages"' in html
    assert 'for="restrict_languages"' in html
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = {
        "csrf_token": csrf,
        "title": conference.title,
        "kind": conference.kind,
        "code": conference.code_display,
        "start_date": conference.start_date.isoformat(),
        "end_date": conference.end_date.isoformat(),
        "timezone": conference.timezone,
        "default_language": "fr",
        "languages": ["fr", "en"],
        "restrict_languages": "y",
        "tr-en-title": "Engineering Meetings",
    }
    response = organiser.post(f"/manage/events/{conference.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.refresh(conference)
    assert conference.restrict_languages is True
    data.pop("restrict_languages")
    assert organiser.post(f"/manage/events/{conference.id}/edit", data=data).status_code == 302
    db.session.refresh(conference)
    assert conference.restrict_languages is False


def test_the_api_reads_and_writes_the_restriction(client, conference):
    _token, raw = issue_api_token(conference.owner, name="test")
    db.session.commit()
    api = ApiClient(client, raw)
    response = api.get(f"/events/{conference.code}")
    assert response.status_code == 200
    assert response.get_json()["restrict_languages"] is False
    response = api.patch(f"/events/{conference.code}", {"restrict_languages": True})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["restrict_languages"] is True
    db.session.refresh(conference)
    assert conference.restrict_languages is True
    bad = api.patch(f"/events/{conference.code}", {"restrict_languages": "maybe"})
    assert bad.status_code == 422
    assert bad.get_json()["error"]["code"]
